import Foundation
import GTFS
import TransitNetwork
import Planner
import Testing
import TestSupport
import Timetable

/// The README's "Using the library" example, run as written (with a scratch output path), so
/// the documented calls stay true.
@Suite("README library example")
struct ReadmeExampleTests {
    @Test("plan the sample under a fleet of 80 and a budget of 100,000, then export its timetable")
    func planThenTimetable() throws {
        let out = TemporaryFolder.uniquePath("readme-example") + ".zip"
        defer { try? FileManager.default.removeItem(atPath: out) }

        let loaded = try FeedReader.load(SharedData.samplePath)
        let periods = try Period.parse(NetworkDefaults.periods)
        let request = PlanRequest(loaded: loaded, feedName: "gtfs/sample-city", periods: periods,
                                  limits: PlanningLimits(fleet: Array(repeating: 80, count: periods.count),
                                                         budget: 100_000))
        // Plan, build the blocks, and tighten the plan until its timetable fits the fleet.
        let operable = try OperablePlanner.plan(request, options: TimetableOptions(interline: true, phaseDirections: true))
        let report = operable.report
        let document = operable.document()
        let headways = try HeadwayPlan(document: document, path: "in memory")
        let timetable = try Timetable.make(TimetableRequest(loaded: loaded, plan: headways,
                                                            options: TimetableOptions(interline: true, phaseDirections: true), out: out))

        #expect(report.status == .optimal)
        #expect(operable.fits && document.operation?.fits == true)
        #expect((document.operation?.blocks ?? .max) <= 80)
        #expect(report.violations.isEmpty)
        #expect(document.plan.count == report.plan.rows.count)
        // The plan keeps within its limits in every period.
        #expect(report.plan.periodTotals.allSatisfy { $0.vehicles <= 80 })
        #expect(report.plan.optimal.operatingCost <= 100_000)
        // The timetable has departures, is written where asked, and reads back as a feed.
        #expect(!timetable.timetable.trips.isEmpty)
        #expect(timetable.written == out)
        let exported = try FeedReader.load(out)
        #expect(exported.feed.ids(.trip).count == timetable.timetable.trips.count)
    }
}
