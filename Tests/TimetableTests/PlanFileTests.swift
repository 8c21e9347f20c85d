import Foundation
import GTFS
import TransitNetwork
import Testing
@testable import Timetable

@Suite("Reading the plan JSON")
struct PlanFileTests {
    static let json = """
        {"date": "2026-03-10", "status": "optimal",
         "periods": [{"period": "07:00-09:00", "fleet": 75, "vehicles": 12},
                     {"period": "09:00-16:00", "fleet": null, "vehicles": 8}],
         "plan": [{"route_id": "1", "direction_id": 0, "period": "07:00-09:00", "headway_s": 300, "vehicles": 12},
                  {"route_id": "1", "direction_id": 1, "period": "09:00-16:00", "headway_s": 600, "vehicles": 8}]}
        """

    @Test("date, periods with fleet and planned vehicles, and rows are read")
    func reads() throws {
        let plan = try HeadwayPlan.parse(Data(Self.json.utf8), path: "plan.json")
        #expect(plan.date == GTFSDate(yyyymmdd: 20260310))
        #expect(plan.periods.map(\.name) == ["07:00-09:00", "09:00-16:00"])
        #expect(plan.periods[0].start == 7 * 3600 && plan.periods[1].end == 16 * 3600)
        #expect(plan.fleet == [75, nil])
        #expect(plan.plannedVehicles == [12, 8])
        #expect(plan.rows == [HeadwayPlan.Row(routeID: "1", direction: 0, periodIndex: 0, headway: 300, vehicles: 12),
                              HeadwayPlan.Row(routeID: "1", direction: 1, periodIndex: 1, headway: 600, vehicles: 8)])
    }

    @Test("a bad field is named with the file and what to do", arguments: [
        ("{\"date\": \"soon\"}", "field 'date'"),
        ("{\"date\": \"2026-03-10\", \"periods\": []}", "field 'periods'"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}], "plan": [{"route_id": "1", "direction_id": 2, "period": "07:00-09:00", "headway_s": 300}]}"#, "field 'plan[0].direction_id'"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}], "plan": [{"route_id": "1", "direction_id": 0, "period": "08:00-09:00", "headway_s": 300}]}"#, "field 'plan[0].period'"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}], "plan": [{"route_id": "1", "direction_id": 0, "period": "07:00-09:00", "headway_s": 0}]}"#, "field 'plan[0].headway_s'"),
        ("not json", "cannot read the plan"),
    ])
    func errors(text: String, expected: String) {
        do {
            _ = try HeadwayPlan.parse(Data(text.utf8), path: "plan.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.hasPrefix("plan.json: "))
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains("transit plan"))
        }
    }

    @Test("numbers are read as NSNumber read them: decimals truncated, booleans as 1 and 0; other fields ignored")
    func lenientNumbers() throws {
        let text = #"{"date": "2026-03-10", "feed": 7, "limits": "none", "periods": [{"period": "07:00-09:00", "fleet": 75.9, "vehicles": true}], "plan": [{"route_id": "1", "direction_id": 1.0, "period": "07:00-09:00", "headway_s": 300.7, "vehicles": "many"}]}"#
        let plan = try HeadwayPlan.parse(Data(text.utf8), path: "plan.json")
        #expect(plan.fleet == [75])
        #expect(plan.plannedVehicles == [1])
        #expect(plan.rows == [HeadwayPlan.Row(routeID: "1", direction: 1, periodIndex: 0, headway: 300, vehicles: 0)])
    }

    @Test("the first bad field in the old order is the one named", arguments: [
        ("[1, 2]", "field '(top level)'"),
        (#"{"date": "soon", "periods": 3}"#, "field 'date'"),
        (#"{"date": "2026-03-10", "periods": [{"period": "7"}, {"fleet": 1}]}"#, "field 'periods[0].period'"),
        (#"{"date": "2026-03-10", "periods": [{"fleet": 1}]}"#, "field 'periods[0].period': expected HH:MM-HH:MM"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}, 5]}"#, "field 'periods': expected a non-empty list"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}, {"period": "08:00-10:00"}]}"#, "must not overlap"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}]}"#, "field 'plan'"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}], "plan": [{"direction_id": 7}]}"#, "field 'plan[0].route_id'"),
        (#"{"date": "2026-03-10", "periods": [{"period": "07:00-09:00"}], "plan": [{"route_id": "1", "direction_id": 0, "period": "07:00-09:00"}]}"#, "field 'plan[0].headway_s'"),
    ])
    func firstBadField(text: String, expected: String) {
        do {
            _ = try HeadwayPlan.parse(Data(text.utf8), path: "plan.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.hasPrefix("plan.json: "))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("a missing file is an error naming it")
    func missing() {
        let error = #expect(throws: TimetableError.self) { try HeadwayPlan.load("/nonexistent/plan.json") }
        #expect(error?.code == .planUnreadable)
    }

    @Test("planned vehicles default to the per-route maximum, summed per period")
    func plannedVehiclesDefault() throws {
        let periods = [TransitNetwork.Period(name: "a", start: 0, end: 3600), TransitNetwork.Period(name: "b", start: 3600, end: 7200)]
        let plan = HeadwayPlan(date: try #require(GTFSDate(yyyymmdd: 20260310)), periods: periods, rows: [
            .init(routeID: "1", direction: 0, periodIndex: 0, headway: 600, vehicles: 4),
            .init(routeID: "1", direction: 1, periodIndex: 0, headway: 600, vehicles: 4),
            .init(routeID: "2", direction: 0, periodIndex: 0, headway: 600, vehicles: 3),
            .init(routeID: "2", direction: 0, periodIndex: 1, headway: 900, vehicles: 2),
        ])
        #expect(plan.plannedVehicles == [7, 2])
        #expect(plan.fleet == [nil, nil])
    }
}
