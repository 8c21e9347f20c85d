import ArgumentParser
import Foundation
import GTFS
import Testing
import TestSupport
@testable import TransitCLI

/// `transit gtfs validate --format html`, run as the built binary.
@Suite("transit gtfs validate --format html")
struct ValidateHTMLCommandTests {
    @Test("the sample feed: exit 0, one HTML page on standard output")
    func sampleFeed() throws {
        let r = try TransitBinary.run(["gtfs", "validate", "gtfs/sample-city", "--format", "html", "--today", "20261128"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(r.stdout.hasSuffix("</html>\n"))
        #expect(r.stdout.contains("Riverton Valley Transit"))
        #expect(r.stdout.contains("2026-11-28"))
        #expect(r.stderr.isEmpty)
    }

    @Test("a feed with errors: exit 1, a section for the error's code")
    func errors() throws {
        let dir = TemporaryFolder.uniqueURL("transit-html")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TransitBinary.packageRoot.appendingPathComponent("gtfs/sample-city"), to: dir)
        let stopTimes = dir.appendingPathComponent("stop_times.txt")
        var text = try String(contentsOf: stopTimes, encoding: .utf8)
        text += "NO_SUCH_TRIP,08:00:00,08:00:00,<b>NO_SUCH_STOP</b>,1,,,,,\n"
        try text.write(to: stopTimes, atomically: true, encoding: .utf8)
        let r = try TransitBinary.run(["gtfs", "validate", dir.path, "--format", "html", "--today", "20261128"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(r.stdout.contains("id=\"code-foreign_key_violation\""))
        #expect(r.stdout.contains("&lt;b&gt;NO_SUCH_STOP&lt;/b&gt;") && !r.stdout.contains("<b>NO_SUCH_STOP"))
    }

    @Test("an unreadable feed: exit 2, still a page, with the i_o_error section")
    func unreadable() throws {
        let r = try TransitBinary.run(["gtfs", "validate", "/no/such/feed.zip", "--format", "html"])
        #expect(r.status == 2)
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(r.stdout.contains("id=\"code-i_o_error\""))
    }

    @Test("--format html parses for validate only; --help names it")
    func parsing() throws {
        let command = try Transit.parseAsRoot(["gtfs", "validate", "f", "--format", "html"])
        #expect((command as? GTFSCommand.Validate)?.output.format == .html)
        #expect(throws: (any Error).self) { try Transit.parseAsRoot(["gtfs", "inspect", "f", "--format", "html"]) }
        let help = try TransitBinary.run(["gtfs", "validate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("html"))
    }
}
