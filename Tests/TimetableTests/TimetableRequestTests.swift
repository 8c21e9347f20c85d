import Foundation
import GTFS
import TransitNetwork
import Planner
import Testing
import TestSupport
import Timetable

@Suite("The timetable entry point: TimetableRequest → TimetableReport, and plan --out through the library")
struct TimetableRequestTests {
    static func sampleReport() throws -> (LoadedFeed, PlanReport) {
        let loaded = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false))
        var limits = PlanningLimits()
        limits.fleet = [80]
        limits.budget = 100_000
        let request = PlanRequest(loaded: loaded, feedName: "gtfs/sample-city",
                                  periods: try Period.parse(NetworkDefaults.periods), limits: limits)
        return (loaded, try FrequencyPlanner.plan(request))
    }

    /// Every file under `dir`, by relative path.
    static func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            out[name] = FileManager.default.contents(atPath: dir + "/" + name)
        }
        return out
    }

    @Test("the operable plan through the library writes the feed the two CLI steps write, and plan --out too")
    func outEquivalence() throws {
        let loaded = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false))
        var limits = PlanningLimits()
        limits.fleet = [80]
        limits.budget = 100_000
        let request = PlanRequest(loaded: loaded, feedName: "gtfs/sample-city",
                                  periods: try Period.parse(NetworkDefaults.periods), limits: limits)
        let options = TimetableOptions(interline: true, phaseDirections: true)
        let operable = try OperablePlanner.plan(request, options: options)
        #expect(operable.fits)
        let library = PlanFixtures.temporaryPath("library"), cli = PlanFixtures.temporaryPath("cli")
        let planOut = PlanFixtures.temporaryPath("plan-out"), planFile = PlanFixtures.temporaryPath("plan.json")
        defer { for p in [library, cli, planOut, planFile] { try? FileManager.default.removeItem(atPath: p) } }

        let headways = try HeadwayPlan(document: operable.document(diagnostics: false), path: "plan")
        #expect(headways.fleet == operable.limits)
        let made = try Timetable.make(TimetableRequest(loaded: loaded, plan: headways, options: options, out: library))
        #expect(made.written == library)
        #expect(made.blockProblems.isEmpty)
        #expect(made.timetable.trips.count > 1000)

        let plan = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "80", "--budget", "100000", "--format", "json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        try Data(plan.stdout.utf8).write(to: URL(fileURLWithPath: planFile))
        #expect(try HeadwayPlan.load(planFile) == headways)
        let timetable = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", planFile, "--out", cli, "--phase-directions"])
        #expect(timetable.status == 0, "\(timetable.stderr)")
        let both = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "80", "--budget", "100000", "--out", planOut])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("The timetable fits the fleet."))
        #expect(!both.stderr.contains("timetable: loading"))

        let mine = try Self.files(library)
        #expect(mine.keys.contains("stop_times.txt") && mine.keys.contains("trips.txt"))
        #expect(mine == (try Self.files(cli)))
        #expect(mine == (try Self.files(planOut)))
    }

    @Test("progress comes as events in order; without --out nothing is written")
    func events() throws {
        let (loaded, report) = try Self.sampleReport()
        let headways = try HeadwayPlan(document: report.document(), path: "plan")
        let log = TimetableEventLog()
        let made = try Timetable.make(TimetableRequest(loaded: loaded, plan: headways), progress: { log.append($0) })
        #expect(made.written == nil)
        #expect(log.events.first == .progress("building departures and blocks for 2026-03-10"))
        #expect(!log.events.contains { if case .progress(let p) = $0 { p.hasPrefix("writing") } else { false } })
        #expect(made.periodFleet.count == headways.periods.count)
    }

    @Test("even-load departures without counts are a typed error with a code")
    func evenLoadWithoutCounts() throws {
        let (loaded, report) = try Self.sampleReport()
        let headways = try HeadwayPlan(document: report.document(), path: "plan")
        let request = TimetableRequest(loaded: loaded, plan: headways, options: TimetableOptions(evenLoad: true),
                                       ridershipPath: "/nonexistent/board_alight.txt")
        do {
            _ = try Timetable.make(request)
            Issue.record("built even-load departures without counts")
        } catch {
            #expect(error.code == "even_load_ridership_unusable")
            #expect(error.description.hasPrefix("--even-load needs ridership counts: "))
        }
    }
}

/// The events a run reported. `@unchecked Sendable`: every access holds `lock`.
final class TimetableEventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [TimetableEvent] = []
    func append(_ event: TimetableEvent) { lock.withLock { stored.append(event) } }
    var events: [TimetableEvent] { lock.withLock { stored } }
}
