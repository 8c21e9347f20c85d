import Foundation
import GTFS
import TransitNetwork
import Planner
import Ridership
import Testing
import TestSupport

/// The events a run reported, in order. `@unchecked Sendable`: every access holds `lock`.
final class PlanEventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [PlanEvent] = []
    func append(_ event: PlanEvent) { lock.withLock { stored.append(event) } }
    var events: [PlanEvent] { lock.withLock { stored } }
}

@Suite("The planning entry point: PlanRequest → PlanReport → PlanDocument")
struct PlanRequestTests {
    /// The sample with the CLI's defaults, `--fleet 80 --budget 100000`.
    static func sampleRequest(date: GTFSDate? = nil) throws -> PlanRequest {
        let loaded = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false))
        var limits = PlanningLimits()
        limits.fleet = [80]
        limits.budget = 100_000
        return PlanRequest(loaded: loaded, feedName: "gtfs/sample-city", date: date,
                           periods: try Period.parse(NetworkDefaults.periods), limits: limits)
    }

    @Test("the sample through the library gives the CLI's plan rows, periods, scenarios and status")
    func sameAsCommand() throws {
        let log = PlanEventLog()
        let report = try FrequencyPlanner.plan(try Self.sampleRequest(), progress: { log.append($0) })
        #expect(report.status == .optimal)
        #expect(report.hasPlan && report.violations.isEmpty && report.explanation.isEmpty)
        #expect(report.date == GTFSDate(yyyymmdd: 20260310))

        let cli = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "80", "--budget", "100000", "--format", "json"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let printed = try JSONDecoder().decode(PlanDocument.self, from: Data(cli.stdout.utf8))
        let mine = report.document()
        #expect(mine.plan.count > 100)
        #expect(mine.plan == printed.plan)
        #expect(mine.periods == printed.periods)
        #expect(mine.scenarios == printed.scenarios)
        #expect(mine.limits == printed.limits)
        #expect(mine.warnings == printed.warnings)
        #expect(mine.status == printed.status && mine.objective == printed.objective && mine.date == printed.date)

        let events = log.events
        #expect(events.first == .progress("reading ridership"))
        #expect(events.contains(.progress("current service on 2026-03-10")))
        #expect(events.contains { if case .note(let n) = $0 { n.contains("route RL has no ridership counts") } else { false } })
        #expect(events.contains { if case .ridershipIssues = $0 { true } else { false } })
    }

    @Test("the plan document round-trips: encode → decode gives the same document")
    func roundTrip() throws {
        let report = try FrequencyPlanner.plan(try Self.sampleRequest())
        let document = report.document()
        let data = try JSONEncoder().encode(document)
        let decoded = try JSONDecoder().decode(PlanDocument.self, from: data)
        #expect(decoded == document)
        #expect(report.document(diagnostics: false).plan == document.plan)
        #expect(document.serviceDate == report.date)
        #expect(try document.parsedPeriods().map(\.name) == report.planning.periods.map(\.name))
    }

    @Test("a date with no service is a typed error with a code, not a crash")
    func noService() throws {
        let day = try #require(GTFSDate(yyyymmdd: 19990101))
        #expect(throws: PlanRequestError.noService(date: day)) {
            try FrequencyPlanner.plan(try Self.sampleRequest(date: day))
        }
        #expect(PlanRequestError.noService(date: day).code == "no_service_on_date")
        #expect(PlanRequestError.noService(date: day).description.contains("pick another --date"))
    }

    @Test("a load table that cannot be read stops the run with its code")
    func missingLoadTable() throws {
        var request = try Self.sampleRequest()
        request.ridership = .loadTable(path: "/nonexistent/loads.csv")
        do {
            _ = try FrequencyPlanner.plan(request)
            Issue.record("planned without a load table")
        } catch {
            #expect(error.code == "load_table_unreadable")
            #expect(error.description.contains("/nonexistent/loads.csv"))
        }
    }
}
