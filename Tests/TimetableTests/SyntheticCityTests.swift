import Foundation
import GTFS
import TransitNetwork
import Testing
import TransitSynthetic
@testable import Timetable

@Suite("A generated city")
struct SyntheticCityTests {
    @Test("interlining on a generated city: fewer vehicles than staying on their routes, and the saving is reported")
    func interliningSaves() throws {
        let (files, plan) = SyntheticCity.make(routes: 30)
        let source = PlanFixtures.temporaryPath("city-interline")
        defer { try? FileManager.default.removeItem(atPath: source) }
        try TimetableExport.write(files: files, to: source)
        let feed = try FeedReader.load(source).feed
        let own = try Timetable.build(feed: feed, plan: plan, options: TimetableOptions(interline: false))
        let shared = try Timetable.build(feed: feed, plan: plan, options: TimetableOptions(interline: true))
        #expect(own.fleetWithoutInterlining == nil)
        #expect(shared.fleetWithoutInterlining == own.blocks.fleet)
        #expect(shared.blocks.fleet < own.blocks.fleet)
        #expect(shared.dayOperation.savedByInterlining == own.blocks.fleet - shared.blocks.fleet)
        #expect(shared.dayOperation.interlinedBlocks > 0)
        #expect(shared.blocks.fleet >= shared.blocks.lowerBound)
        #expect(shared.blockViolations.isEmpty)
    }

    @Test("a 20-route generated day: the timetable validates, blocks are sound, headways as planned")
    func generatedDay() throws {
        let (files, plan) = SyntheticCity.make(routes: 20)
        let source = PlanFixtures.temporaryPath("city")
        defer { try? FileManager.default.removeItem(atPath: source) }
        try TimetableExport.write(files: files, to: source)
        let feed = try FeedReader.load(source).feed
        let timetable = try Timetable.build(feed: feed, plan: plan)
        #expect(timetable.notes.isEmpty)
        #expect(timetable.blockViolations.isEmpty)
        #expect(timetable.blocks.fleet <= timetable.blocks.minimumFleet && timetable.blocks.fleet >= timetable.blocks.lowerBound)
        // Direction 1 runs on stops across the street: the terminals pair up, so a route's
        // vehicles shuttle rather than one per trip.
        #expect(timetable.blocks.fleet < timetable.trips.count / 4)
        let out = PlanFixtures.temporaryPath("city-out.zip")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try TimetableExport.write(timetable, source: feed, to: out)
        let loaded = try FeedReader.load(out)
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.filter { $0.severity == .error }.prefix(5))")
        let summary = ServiceSummary(feed: loaded.feed, date: plan.date, periods: plan.periods)
        var got: [String: ServiceSummary.Row] = [:]
        for r in summary.rows { got["\(r.routeID)|\(r.direction)|\(r.periodIndex)"] = r }
        var exact = 0, checked = 0
        for row in plan.rows where row.periodIndex < plan.periods.count - 1 {
            guard let r = got["\(row.routeID)|\(row.direction)|\(row.periodIndex)"], r.trips >= 3 else { continue }
            checked += 1
            if r.minHeadway == row.headway && r.maxHeadway == row.headway { exact += 1 }
        }
        #expect(checked > 50)
        #expect(exact == checked, "\(exact) of \(checked) rows at exactly the planned headway")
    }
}
