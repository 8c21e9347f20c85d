import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport

@Suite("transit timetable, end to end")
struct CommandTests {
    static func plan(_ extra: [String]) throws -> String {
        let result = try TransitBinary.run(["plan", "gtfs/sample-city", "--format", "json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let path = PlanFixtures.temporaryPath("plan.json")
        try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("plan → timetable → a zip that validates with 0 errors; per-route table on stdout, progress on stderr")
    func pipeline() throws {
        let plan = try Self.plan([])
        let out = PlanFixtures.temporaryPath("feed.zip")
        defer { try? FileManager.default.removeItem(atPath: plan); try? FileManager.default.removeItem(atPath: out) }
        let result = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", plan, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Timetable for 2026-03-10: "))
        #expect(result.stdout.contains("Route 1 direction 0: "))
        #expect(result.stdout.contains("deficit-function fleet without deadheads"))
        #expect(result.stderr.contains("timetable: writing \(out)"))
        #expect(!result.stdout.contains("timetable: "))
        let validate = try TransitBinary.run(["gtfs", "validate", out])
        #expect(validate.stdout.contains("0 errors"), "\(validate.stdout)")
    }

    @Test("csv: one row per trip with its block; the exported trips are the csv's")
    func csv() throws {
        let plan = try Self.plan([])
        let out = PlanFixtures.temporaryPath("dir")
        defer { try? FileManager.default.removeItem(atPath: plan); try? FileManager.default.removeItem(atPath: out) }
        let result = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", plan, "--out", out, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "route_id,direction_id,period,trip_id,block_id,departure,arrival")
        let feed = try FeedReader.load(out).feed
        #expect(feed.trips.count == lines.count - 1)
        #expect(result.stderr.contains("Vehicle blocks: "))
    }

    @Test("a plan whose fleet the blocks cannot keep to: the period is flagged, nothing is written, exit status 1")
    func fleetExceeded() throws {
        let planned = try Self.plan(["--fleet", "90"])
        // The same plan with a fleet of 60 in every period: its blocks need more.
        let text = try String(contentsOfFile: planned, encoding: .utf8)
        let tight = text.replacingOccurrences(of: #""fleet" *: *90"#, with: "\"fleet\": 60", options: .regularExpression)
        #expect(tight != text)
        let plan = PlanFixtures.temporaryPath("tight.json")
        try Data(tight.utf8).write(to: URL(fileURLWithPath: plan))
        let out = PlanFixtures.temporaryPath("tight")
        defer { for p in [planned, plan, out] { try? FileManager.default.removeItem(atPath: p) } }
        let result = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", plan, "--out", out])
        #expect(result.status == 1)
        #expect(result.stdout.contains("EXCEEDED"))
        #expect(result.stderr.contains("does not fit the fleet"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("even-load departures from the sample's counts keep the departures per period and validate")
    func evenLoad() throws {
        let plan = try Self.plan([])
        let even = PlanFixtures.temporaryPath("even"), plain = PlanFixtures.temporaryPath("plain")
        defer { for p in [plan, even, plain] { try? FileManager.default.removeItem(atPath: p) } }
        let a = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", plan, "--out", even, "--even-load"])
        let b = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", plan, "--out", plain])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        #expect(a.stdout.contains("even load"))
        let loadedEven = try FeedReader.load(even), loadedPlain = try FeedReader.load(plain)
        #expect(loadedEven.report.errorCount == 0)
        let periods = try Period.parse(NetworkDefaults.periods)
        let date = try #require(GTFSDate(yyyymmdd: 20260310))
        let x = ServiceSummary(feed: loadedEven.feed, date: date, periods: periods)
        let y = ServiceSummary(feed: loadedPlain.feed, date: date, periods: periods)
        #expect(x.rows.map(\.trips) == y.rows.map(\.trips))
        // Some headways are no longer even.
        #expect(x.rows.contains { ($0.maxHeadway ?? 0) != ($0.minHeadway ?? 0) })
    }

    @Test("a plan file that is not a plan: exit 2 with the file named")
    func badPlan() throws {
        let path = PlanFixtures.temporaryPath("bad.json")
        try Data("{\"date\": \"2026-03-10\"}".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try TransitBinary.run(["timetable", "gtfs/sample-city", "--plan", path, "--out", "/tmp/never-written"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path): field 'periods'"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written"))
    }
}
