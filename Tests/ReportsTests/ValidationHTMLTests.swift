import Charts
import Foundation
@testable import GTFS
@testable import Reports
import Testing
import TestSupport

/// The HTML validation report: its sections, counts, escaping of hostile feed text and that it
/// loads nothing from anywhere.
@Suite("ValidationHTML")
struct ValidationHTMLTests {
    static let today = GTFSDate(year: 2026, month: 12, day: 7)!

    /// A small feed with known findings and hostile text in the places the page shows.
    static func hostileFeed() throws -> PageFixture {
        try PageFixture([
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                + "A,\"<img src=x onerror=alert(1)>\",javascript:alert(1),Europe/Vilnius\n",
            // A route naming an unknown agency: foreign_key_violation, its value hostile.
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,<script>alert(2)</script>,2,3\n",
            // An out-of-range latitude (number_out_of_range) and an unknown column (info).
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,platform_colour\nS1,One,54.1,25.1,red\nS2,Two,154.2,25.2,\n",
            "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH,54.1,25.1,1\nSH,54.2,25.2,2\n",
            "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\nF,1.50,EUR,0,0\n",
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_version\nP & Co,https://p.example,en,v<1>\n",
        ])
    }

    static func render(_ fixture: PageFixture, includeInfo: Bool = true) throws -> (LoadedFeed, String) {
        let loaded = try FeedReader.load(fixture.path, options: ReadOptions(validate: true, today: today))
        let html = ValidationHTML.render(report: loaded.report, feed: loaded.feed, path: fixture.path, today: today,
                                         includeInfo: includeInfo)
        return (loaded, html)
    }

    @Test("a section per code with its count and rule link, the TOC linking to each, errors first")
    func sections() throws {
        let fixture = try Self.hostileFeed()
        defer { fixture.remove() }
        let (loaded, html) = try Self.render(fixture)
        let report = loaded.report
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<title>") && html.hasSuffix("</html>\n"))
        for code in ["foreign_key_violation", "number_out_of_range", "unknown_column", "unused_shape"] {
            #expect(report.counts[code] != nil, "fixture should report \(code)")
        }
        for (code, n) in report.counts {
            #expect(html.contains("<section class=\"notice \(report.findings.first { $0.code == code }!.severity.rawValue)\" id=\"code-\(code)\""))
            #expect(html.contains("<a href=\"#code-\(code)\">"), "TOC entry of \(code)")
            #expect(html.contains("<code>\(code)</code> <span class=\"count\">\(n) \(n == 1 ? "finding" : "findings")</span>"))
            if NoticeCatalog.isCanonical(code) {
                #expect(html.contains("href=\"https://gtfs-validator.mobilitydata.org/rules.html#\(code)-rule\""))
            }
            if let summary = NoticeCatalog.entry(code)?.summary {
                #expect(html.contains(ValidationHTML.escape(summary)))
            }
        }
        // Errors before warnings before infos.
        let fk = try #require(html.range(of: "id=\"code-foreign_key_violation\""))
        let shape = try #require(html.range(of: "id=\"code-unused_shape\""))
        let unknown = try #require(html.range(of: "id=\"code-unknown_column\""))
        #expect(fk.lowerBound < shape.lowerBound && shape.lowerBound < unknown.lowerBound)
        // Totals per severity and the date used.
        #expect(html.contains("<span class=\"n\">\(report.errorCount)</span> errors"))
        #expect(html.contains("<span class=\"n\">\(report.warningCount)</span> warning"))
        #expect(html.contains("<span class=\"n\">\(report.severityCounts[.info, default: 0])</span> info"))
        #expect(html.contains("2026-12-07") && html.contains("--today 20261207"))
    }

    @Test("the summary: agencies, feed info, files with row counts, features")
    func summary() throws {
        let fixture = try Self.hostileFeed()
        defer { fixture.remove() }
        let (_, html) = try Self.render(fixture)
        #expect(html.contains("<td>Europe/Vilnius</td>"))
        #expect(html.contains("<dt>Publisher</dt><dd class=\"wrap\">P &amp; Co</dd>"))
        #expect(html.contains("<dt>Version</dt><dd class=\"wrap\">v&lt;1&gt;</dd>"))
        #expect(html.contains("<dt>Language</dt><dd class=\"wrap\">en</dd>"))
        #expect(html.contains("<tr><td><code>stops.txt</code></td><td class=\"num\">2</td></tr>"))
        #expect(html.contains("<tr><td><code>fare_attributes.txt</code></td><td class=\"num\">1</td></tr>"))
        #expect(html.contains("<li>Shapes</li>") && html.contains("<li>Fares V1</li>") && html.contains("<li>Feed Information</li>"))
        #expect(!html.contains("<li>Transfers</li>"))
    }

    @Test("hostile feed text shows as text: no markup, no script, no javascript: link")
    func escaping() throws {
        let fixture = try Self.hostileFeed()
        defer { fixture.remove() }
        let (_, html) = try Self.render(fixture)
        #expect(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("href=\"javascript:"))
        #expect(html.contains("javascript:alert(1)")) // shown, as text
        #expect(html.components(separatedBy: "<script").count == 2) // the page's own script only
    }

    @Test("the page loads nothing: no external resources, a CSP forbidding them")
    func selfContained() throws {
        let fixture = try Self.hostileFeed()
        defer { fixture.remove() }
        let (_, html) = try Self.render(fixture)
        let lower = html.lowercased()
        for needle in ["src=\"http", "src='http", "<link", "@import", "url(", "<iframe", "<object", "<img", "@font-face"] {
            #expect(!lower.contains(needle), "found \(needle)")
        }
        #expect(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
    }

    @Test("a code with more findings than the cap lists the cap and counts the rest; an unreadable feed still renders")
    func cappedAndUnreadable() {
        var report = ValidationReport(maxPerCode: 1000)
        for i in 0..<150 {
            report.add(Finding(.warning, "unused_shape", file: "shapes.txt", line: 150 - i, field: "shape_id", value: "S\(i)", message: "unused"))
        }
        report.add(Finding(.info, "unknown_file", file: "extra.txt", message: "not a GTFS file"))
        let html = ValidationHTML.render(report: report, feed: nil, path: "/no/such.zip", today: nil, samplesPerCode: 100)
        let section = html.components(separatedBy: "id=\"code-unused_shape\"")[1].components(separatedBy: "</section>")[0]
        #expect(section.components(separatedBy: "<tr><td>").count - 1 == 100)
        #expect(section.contains("50 more not shown."))
        #expect(section.contains("The first 100 of 150 findings"))
        // Sorted by line: line 1 comes first.
        #expect(section.components(separatedBy: "<td class=\"num\">")[1].hasPrefix("1</td>"))
        #expect(html.contains("could not be read"))
        #expect(html.contains("none (date-based checks skipped)"))
        // Info left out: its section goes, its count stays.
        let noInfo = ValidationHTML.render(report: report, feed: nil, path: "x", today: nil, includeInfo: false)
        #expect(!noInfo.contains("id=\"code-unknown_file\""))
        #expect(noInfo.contains("<span class=\"n\">1</span> info"))
    }

    @Test("escape: markup characters, control characters, direction overrides, the length limit")
    func escape() {
        #expect(ValidationHTML.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
        #expect(ValidationHTML.escape("x\u{0}y\nz") == "x\u{2400}y\u{240A}z")
        #expect(ValidationHTML.escape("ab\u{202E}cd") == "ab[U+202E]cd")
        #expect(ValidationHTML.escape("abcdef", limit: 3) == "abc…")
        #expect(ValidationHTML.escape("abc", limit: 3) == "abc")
        #expect(ValidationHTML.anchor("a b<c>") == "code-a-b-c-")
        #expect(ValidationHTML.grouped(1_234_567) == "1,234,567" && ValidationHTML.grouped(12) == "12")
    }

    @Test("CSV record counts of kept files: quoted line breaks, CRLF, blank lines")
    func recordCount() {
        let count = { (text: String) in ValidationHTML.FeedSummary.csvRecordCount(Array(text.utf8)) }
        #expect(count("") == 0)
        #expect(count("a,b\n") == 0)
        #expect(count("a,b\r\n1,2\r\n3,4") == 2)
        #expect(count("a,b\n\"x\ny\",2\n\n3,4\n") == 2)
    }

    @Test("the page uses the reports' building blocks: their style sheet, sorting script and policy")
    func sharedBlocks() throws {
        let fixture = try Self.hostileFeed()
        defer { fixture.remove() }
        let (_, html) = try Self.render(fixture)
        #expect(html.contains(Page.contentSecurityPolicy) && html.contains(Page.sortScript))
        #expect(ValidationHTML.styleSheet.hasPrefix(Page.styleSheet))
    }
}

/// A feed folder for the page tests: ``MinimalFeed`` with `overrides` written over it.
struct PageFixture {
    let directory: URL

    init(_ overrides: [String: String]) throws {
        directory = try TemporaryFolder("transit-page-fixture").url
        for (name, content) in MinimalFeed.files.merging(overrides, uniquingKeysWith: { $1 }) {
            try Data(content.utf8).write(to: directory.appendingPathComponent(name))
        }
    }

    var path: String { directory.path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
