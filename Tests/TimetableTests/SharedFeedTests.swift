import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
@testable import Timetable
import TransitSynthetic

/// Real feeds from the shared folder (skipped when it is absent, failing under CI).
@Suite("Real shared feeds: plan → timetable → GTFS → summary")
struct SharedFeedTests {
    /// The busiest weekday in the feed's first three weeks.
    static func busyDate(_ feed: Feed) throws -> GTFSDate {
        try #require(ServicePlans.busiestWeekday(feed))
    }

    /// Synthetic loads at the max load point: a morning and an evening peak.
    static func syntheticLoads(_ timetable: Timetable) -> [RouteDirection: [LoadSample]] {
        var out: [RouteDirection: [LoadSample]] = [:]
        for t in timetable.trips {
            let hour = Double(t.start) / 3600
            let load = 10 + 60 * exp(-pow(hour - 8, 2)) + 50 * exp(-pow(hour - 17.5, 2))
            out[RouteDirection(routeID: t.routeID, direction: t.direction), default: []].append(LoadSample(time: t.start, load: load))
        }
        return out
    }

    @Test("a plan 20% more frequent than today's service, exported and read back", arguments: ["cairns-2014", "santa-monica-bbb-2020"])
    func roundTrip(name: String) throws {
        guard SharedData.runnable else { return }
        guard let path = SharedData.feedPath(name), FileManager.default.fileExists(atPath: path) else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return
        }
        let feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
        let date = try Self.busyDate(feed)
        let periods = try Period.parse(NetworkDefaults.periods)
        let plan = ServicePlans.plan(from: ServiceSummary(feed: feed, date: date, periods: periods), scale: 0.8)
        #expect(!plan.rows.isEmpty)
        let timetable = try Timetable.build(feed: feed, plan: plan)
        #expect(timetable.blockViolations.isEmpty)
        #expect(timetable.blocks.fleet <= timetable.blocks.minimumFleet && timetable.blocks.fleet >= timetable.blocks.lowerBound)

        let out = PlanFixtures.temporaryPath("\(name).zip")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try TimetableExport.write(timetable, source: feed, to: out)
        let loaded = try FeedReader.load(out)
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.filter { $0.severity == .error }.prefix(5))")
        let summary = ServiceSummary(feed: loaded.feed, date: date, periods: periods)
        var got: [String: ServiceSummary.Row] = [:]
        for r in summary.rows { got["\(r.routeID)|\(r.direction)|\(r.periodIndex)"] = r }
        var last: [RouteDirection: Int] = [:]
        for r in plan.rows {
            let k = RouteDirection(routeID: r.routeID, direction: r.direction)
            last[k] = max(last[k] ?? -1, r.periodIndex)
        }
        var checked = 0, sameHeadway = 0, closeVehicles = 0
        for row in plan.rows where row.periodIndex != last[RouteDirection(routeID: row.routeID, direction: row.direction)] {
            guard let r = got["\(row.routeID)|\(row.direction)|\(row.periodIndex)"], r.trips >= 3 else { continue }
            checked += 1
            if r.minHeadway == row.headway && r.maxHeadway == row.headway { sameHeadway += 1 }
            if abs(r.vehicles - row.vehicles) <= 1 { closeVehicles += 1 }
        }
        #expect(checked > 10)
        #expect(Double(sameHeadway) >= 0.9 * Double(checked), "\(sameHeadway) of \(checked) rows at exactly the planned headway")
        #expect(Double(closeVehicles) >= 0.9 * Double(checked), "\(closeVehicles) of \(checked) rows within one vehicle of the plan")

        // Even-load departures from synthetic peaked loads keep the number of trips.
        let even = try Timetable.build(feed: feed, plan: plan, options: TimetableOptions(evenLoad: true),
                                       loads: Self.syntheticLoads(timetable))
        #expect(even.trips.count == timetable.trips.count)
        #expect(even.blockViolations.isEmpty)
    }
}
