import ArgumentParser
import Foundation
import GTFS
import Testing
import TestSupport
@testable import TransitCLI

/// The shared feeds folder, if present (CI requires it; see .ci/run).
private var sharedFeeds: String? { SharedData.feeds }

@Suite("transit, end to end")
struct TransitCommandTests {
    @Test("the shipped sample feed passes validate with no errors and no warnings (exit 0)")
    func sampleValidates() throws {
        let r = try TransitBinary.run(["gtfs", "validate", "gtfs/sample-city", "--format", "json", "--today", "20261128"])
        #expect(r.status == 0)
        let json = try TransitBinary.json(r.stdout)
        #expect(json["errors"] as? Int == 0)
        #expect(json["warnings"] as? Int == 0)
    }

    @Test("inspect --format json: row counts per table, agencies, service range")
    func inspectJSON() throws {
        let r = try TransitBinary.run(["gtfs", "inspect", "gtfs/sample-city", "--format", "json"])
        #expect(r.status == 0)
        let json = try TransitBinary.json(r.stdout)
        let tables = try #require(json["tables"] as? [String: Any])
        // Independent count: the data lines of the file (it has no blank lines or quoted newlines).
        let text = try String(contentsOf: TransitBinary.packageRoot.appendingPathComponent("gtfs/sample-city/stop_times.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).count - 1
        #expect((tables["stop_times"] as? [String: Any])?["rows"] as? Int == lines)
        #expect(tables["board_alight"] != nil)
        #expect(tables["levels"] == nil)
        let range = try #require(json["service_date_range"] as? [String: Any])
        #expect(range["start"] as? String == "2026-01-05")
        #expect(range["end"] as? String == "2026-12-31")
        let agencies = try #require(json["agencies"] as? [[String: Any]])
        #expect(agencies.first?["agency_timezone"] as? String == "America/Chicago")
    }

    @Test("inspect as a table lists every file with its rows")
    func inspectTable() throws {
        let r = try TransitBinary.run(["gtfs", "inspect", "gtfs/sample-city"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("stop_times.txt"))
        #expect(r.stdout.contains("Riverton Valley Transit"))
    }

    @Test("a feed with errors exits 1 and lists the finding with file, line and field")
    func errorsExitOne() throws {
        let dir = TemporaryFolder.uniqueURL("transit-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TransitBinary.packageRoot.appendingPathComponent("gtfs/sample-city"), to: dir)
        let stopTimes = dir.appendingPathComponent("stop_times.txt")
        var text = try String(contentsOf: stopTimes, encoding: .utf8)
        text += "NO_SUCH_TRIP,08:00:00,08:00:00,NO_SUCH_STOP,1,,,,,\n"
        try text.write(to: stopTimes, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n").count
        let r = try TransitBinary.run(["gtfs", "validate", dir.path, "--format", "json"])
        #expect(r.status == 1)
        let findings = try #require(try TransitBinary.json(r.stdout)["findings"] as? [[String: Any]])
        let fk = findings.filter { $0["code"] as? String == "foreign_key_violation" }
        #expect(fk.contains { $0["field"] as? String == "stop_id" && $0["line"] as? Int == line && $0["file"] as? String == "stop_times.txt" })
        #expect(fk.contains { $0["field"] as? String == "trip_id" && $0["value"] as? String == "NO_SUCH_TRIP" })
    }

    @Test("an unreadable feed exits 2 with i_o_error; a missing one too")
    func unreadableExitTwo() throws {
        let file = URL(fileURLWithPath: TemporaryFolder.uniquePath("transit-not-a-zip") + ".zip")
        try Data("not a zip".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try TransitBinary.run(["gtfs", "validate", file.path, "--format", "json"])
        #expect(r.status == 2)
        let findings = try #require(try TransitBinary.json(r.stdout)["findings"] as? [[String: Any]])
        #expect(findings.first?["code"] as? String == "i_o_error")
        #expect(!r.stderr.isEmpty)
        let missing = try TransitBinary.run(["gtfs", "inspect", "/nonexistent/feed.zip"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
    }

    @Test("convert folder → zip → folder gives the same feed")
    func convertRoundTrip() throws {
        let scratch = try TemporaryFolder("transit-convert")
        defer { scratch.remove() }
        let dir = scratch.url
        let zip = dir.appendingPathComponent("sample.zip").path
        let back = dir.appendingPathComponent("back").path
        #expect(try TransitBinary.run(["gtfs", "convert", "gtfs/sample-city", zip]).status == 0)
        #expect(try TransitBinary.run(["gtfs", "convert", zip, back]).status == 0)
        let original = try FeedReader.load(TransitBinary.packageRoot.appendingPathComponent("gtfs/sample-city").path).feed
        #expect(try FeedReader.load(zip).feed == original)
        #expect(try FeedReader.load(back).feed == original)
    }

    @Test("--help works on every command", arguments: [["--help"], ["gtfs", "--help"], ["gtfs", "inspect", "--help"],
                                                      ["gtfs", "validate", "--help"], ["gtfs", "convert", "--help"]])
    func help(arguments: [String]) throws {
        let r = try TransitBinary.run(arguments)
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE:"))
    }

    @Test("bad arguments fail with a message (parsed in-process); a bad date exits non-zero")
    func badArguments() throws {
        // A parse error: argument-parser's message, as the binary prints it on stderr.
        #expect(throws: (any Error).self) { try Transit.parseAsRoot(["gtfs", "validate", "gtfs/sample-city", "--format", "xml"]) }
        do {
            _ = try Transit.parseAsRoot(["gtfs", "validate", "gtfs/sample-city", "--format", "xml"])
        } catch {
            #expect(Transit.message(for: error).contains("format"))
        }
        let d = try TransitBinary.run(["gtfs", "validate", "gtfs/sample-city", "--today", "2026-11-28"])
        #expect(d.status != 0)
    }

    @Test("a real broken feed: transitfeed-undefined_stop.zip names NADAR at stop_times.txt line 11",
          .enabled(if: sharedFeeds != nil || ProcessInfo.processInfo.environment["CI"] == "true"))
    func realBrokenFeed() throws {
        let feeds = try #require(sharedFeeds, "shared feeds are required under CI")
        let r = try TransitBinary.run(["gtfs", "validate", feeds + "/broken/transitfeed-undefined_stop.zip", "--format", "csv"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("severity,code,file,line,field,message"))
        #expect(r.stdout.contains("error,foreign_key_violation,stop_times.txt,11,stop_id,"))
    }
}

@Suite("transit gtfs validate, run to run")
struct ValidateDeterminismTests {
    @Test("a broken feed with several findings on one line prints the same report every run",
          arguments: ["transitfeed-utf16", "transitfeed-contains_null"])
    func sameEveryRun(_ name: String) throws {
        guard let feeds = SharedData.feeds else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return
        }
        // Each run is a new process with its own hash seed: the order must not depend on it.
        let outputs = try (0..<4).map { _ in
            try TransitBinary.run(["gtfs", "validate", "\(feeds)/broken/\(name).zip", "--format", "csv", "--today", "20261128"])
        }
        #expect(outputs.allSatisfy { $0.status == 1 })
        #expect(Set(outputs.map(\.stdout)).count == 1)
        #expect(outputs[0].stdout.split(separator: "\n").count > 10)
    }
}
