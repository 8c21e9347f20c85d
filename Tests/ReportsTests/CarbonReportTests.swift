import Carbon
import Charts
import Foundation
import GTFS
@testable import Reports
import Testing
import TestSupport
import TransitSynthetic

/// The carbon report (`transit carbon report`): the ledger digest against the ledger's own
/// sums, the rejection files, and the page on the sample and on real shared feeds:
/// well-formed, self-contained, with its figures, under the size limit, clean in a browser.
@Suite("CarbonReport", .serialized)
struct CarbonReportTests {
    // MARK: - Fixtures

    /// Runs `body` on a thread of its own: crediting waits on the pricing thread, and the
    /// binary runs wait on a child, neither of which may hold Swift concurrency's threads.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try body() }) }.start()
        }
        return try result.get()
    }

    /// A fresh SQLite ledger in `folder`, with `log` credited against `feedPath`; the
    /// rejections are written to `rejections` as `transit carbon credit --rejections` does.
    static func credit(log: String, feed context: FeedContext?, ledger: any Ledger, rejections: String) throws -> CreditSummary {
        let pricer = Pricer(factors: try FactorSet.ukDESNZ2022, policy: try Policy.standard, feed: context)
        var csv = "line,event_id,reason,detail\n"
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let summary = try CreditRun.run(logPath: log, pricer: pricer, ledger: ledger, onRejection: { r in
            csv += "\(r.line),\(field(r.eventID ?? "")),\(r.reason.rawValue),\(field(r.detail))\n"
        })
        try csv.write(toFile: rejections, atomically: true, encoding: .utf8)
        return summary
    }

    /// A few records every reason the sample does not produce, plus a source whose name
    /// needs escaping (`<`, `&`, quotes).
    static let extraLog = #"""
        event_id,source,rider_id,mode,start_time,end_time,trip_id,board_stop_id,board_stop_sequence,alight_stop_id,alight_stop_sequence,service_date,distance_m
        x-1,"Bikes <&> ""Co""",R9001,bike,2026-01-06T08:00:00-06:00,2026-01-06T08:20:00-06:00,,,,,,,4200
        x-2,"Bikes <&> ""Co""",R9002,bike,2026-01-07T09:00:00-06:00,2026-01-07T09:15:00-06:00,,,,,,,3100
        x-3,walkers,R9003,car_petrol,2026-01-06T08:00:00-06:00,2026-01-06T08:20:00-06:00,,,,,,,4200
        x-4,walkers,R9004,hovercraft,2026-01-06T08:00:00-06:00,2026-01-06T08:20:00-06:00,,,,,,,4200
        x-5,walkers,R9005,walk,2026-01-06T08:00:00,2026-01-06T08:20:00-06:00,,,,,,,1200
        x-6,walkers,R9006,bike,2026-01-06T08:00:00-06:00,2026-01-06T08:01:00-06:00,,,,,,,9000
        x-7,transit,R9007,bus,2026-01-06T08:00:00-06:00,2026-01-06T08:20:00-06:00,NO-SUCH-TRIP,S1,1,S2,2,20260106,

        """#

    /// The sample logs and the extra records credited into a fresh ledger, one credit reversed,
    /// one redemption and one expiry run.
    struct Sample: Sendable {
        var ledger: any Ledger
        var feed: Feed
        var rejectionFiles: [String]
        var summaries: [CreditSummary]
    }

    static func sample(in folder: TemporaryFolder) async throws -> Sample {
        try await onThread {
            let feed = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false)).feed
            let context = FeedContext(feed: feed)
            let ledger = try openLedger(folder.file("sample.sqlite"))
            let extra = folder.file("extra.csv")
            try Self.extraLog.write(toFile: extra, atomically: true, encoding: .utf8)
            let logs = SharedData.packageRoot.appendingPathComponent("gtfs/sample-city-logs").path
            var files: [String] = []
            var summaries: [CreditSummary] = []
            for (i, log) in ["\(logs)/trips.csv", "\(logs)/trips.jsonl", extra].enumerated() {
                let rejections = folder.file("rejections-\(i).csv")
                summaries.append(try credit(log: log, feed: context, ledger: ledger, rejections: rejections))
                files.append(rejections)
            }
            _ = try ledger.reverse(eventID: "g1-3", reason: "refund")
            _ = try ledger.reverse(eventID: "x-2", reason: "duplicate trip")
            _ = try ledger.redeem(rider: "R000031", points: 50, reference: "voucher-1")
            _ = try ledger.expire(asOf: GTFSDate(yyyymmdd: 20260107) ?? GTFSDate(daysSinceEpoch: 0), validDays: 1)
            return Sample(ledger: ledger, feed: feed, rejectionFiles: files, summaries: summaries)
        }
    }

    /// A shared feed's path, or `nil` (an issue under CI) when the shared folder is missing.
    static func sharedFeedPath(_ name: String) -> String? {
        guard SharedData.runnable, let path = SharedData.feedPath(name), FileManager.default.fileExists(atPath: path) else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return nil
        }
        return path
    }

    /// The checks every report gets: well-formed, self-contained, `svgs` figures, small enough.
    static func checkPage(_ html: String, name: String, svgs: Int) {
        let problems = HTMLChecks.problems(html)
        #expect(problems.isEmpty, "\(name): \(problems)")
        let external = HTMLChecks.externalReferences(html)
        #expect(external.isEmpty, "\(name): \(external)")
        #expect(HTMLChecks.svgCount(html) == svgs, "\(name): \(HTMLChecks.svgCount(html)) figures")
        #expect(html.utf8.count < ReportLimits.maximumBytes, "\(name): \(html.utf8.count) bytes")
        #expect(!html.contains("src="))
        #expect(!html.contains("url("))
    }

    /// Writes the page under `.build/report-screens` and opens it in a browser.
    static func checkInBrowser(_ html: String, name: String) async throws {
        let folder = SharedData.packageRoot.appendingPathComponent(".build/report-screens")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(name).html").path
        try html.write(toFile: file, atomically: true, encoding: .utf8)
        guard let outcome = try await Browser.check(htmlPath: file, name: name, height: 3600) else { return }
        #expect(outcome.consoleErrors.isEmpty, "\(name): \(outcome.consoleErrors)")
        #expect(!outcome.isBlank, "\(name): blank screenshot \(outcome.pngPath)")
    }

    /// The number of `<svg` figures whose title starts with `prefix`.
    static func figures(_ html: String, titled prefix: String) -> Int {
        html.components(separatedBy: "class=\"chart\"><title>\(prefix)").count - 1
    }

    // MARK: - The digest

    @Test("the digest is net of reversals and agrees with the ledger's own sums and balances")
    func digestAgreesWithLedger() async throws {
        let folder = try TemporaryFolder("carbon-report-digest")
        defer { folder.remove() }
        let s = try await Self.sample(in: folder)
        let entries = try s.ledger.entries()
        let digest = LedgerDigest(entries: entries)
        let credits = entries.filter { $0.kind == .credit }
        let reversals = entries.filter { $0.kind == .reversal }
        #expect(credits.count == s.summaries.reduce(0) { $0 + $1.accepted })
        #expect(reversals.count == 2)
        #expect(digest.credited.legs == credits.count)
        #expect(digest.credited.grams == credits.reduce(0) { $0 + $1.grams })
        #expect(digest.credited.points == credits.reduce(0) { $0 + $1.points })
        #expect(digest.reversed.legs == 2)
        #expect(digest.net.legs == credits.count - 2)
        // Net grams and outstanding points are the sums of every entry: the sum of the balances.
        #expect(digest.net.grams == entries.reduce(0) { $0 + $1.grams })
        #expect(digest.outstandingPoints == entries.reduce(0) { $0 + $1.points })
        let riders = Set(entries.map(\.rider))
        let balances = try riders.map { try s.ledger.balance(rider: $0) }
        #expect(digest.outstandingPoints == balances.reduce(0) { $0 + $1.points })
        #expect(digest.net.grams == balances.reduce(0) { $0 + $1.grams })
        #expect(digest.redemptions == 1 && digest.redeemedPoints == 50)
        #expect(digest.expiries > 0 && digest.expiredPoints == -entries.filter { $0.kind == .expiry }.reduce(0) { $0 + $1.points })
        // Reversed credits lose their metres, legs and rider.
        let reversedIDs = Set(reversals.compactMap(\.reverses))
        let kept = credits.filter { !reversedIDs.contains($0.id) }
        #expect(digest.net.metres == kept.reduce(0) { $0 + ($1.metres ?? 0) })
        #expect(digest.riders == Set(kept.map(\.rider)).count)
        // Per day, per mode, per source and per trip, the parts add up to the whole.
        let perDay = digest.byDayAndMode.values.flatMap(\.values).reduce(LedgerDigest.Totals(), +)
        let perSource = digest.byDayAndSource.values.flatMap(\.values).reduce(LedgerDigest.Totals(), +)
        #expect(perDay == digest.net)
        #expect(perSource == digest.net)
        #expect(digest.days == [20260105, 20260106, 20260107])
        let transit = kept.filter { $0.tripID != nil }
        #expect(digest.byTrip.values.reduce(LedgerDigest.Totals(), +).grams == transit.reduce(0) { $0 + $1.grams })
        #expect(digest.distanceClasses.values.flatMap(\.values).reduce(0, +) == kept.count)
        #expect(digest.bySource["Bikes <&> \"Co\""]?.legs == 1, "x-2 of that source was reversed")
        #expect(Set(digest.byMode.keys) == ["walk", "bike", "bus"])
        #expect(digest.versions.count == 1)
        #expect(digest.versions.first?.methodologyVersion == "uk-desnz-2022.1")
        #expect(digest.versions.first?.credits == credits.count)
        #expect(digest.versions.first?.reversals == 2)
        // Read from the ledger a page at a time: the same sums.
        let read = try LedgerDigest.read(s.ledger)
        #expect(read.net == digest.net && read.outstandingPoints == digest.outstandingPoints && read.riders == digest.riders)
    }

    @Test("--from/--to keep the credits of those service days; redemptions and expiries count by the day recorded")
    func dayRange() async throws {
        let folder = try TemporaryFolder("carbon-report-days")
        defer { folder.remove() }
        let s = try await Self.sample(in: folder)
        let entries = try s.ledger.entries()
        let day = try #require(GTFSDate(yyyymmdd: 20260106))
        let digest = LedgerDigest(entries: entries, from: day, to: day)
        #expect(digest.days == [20260106])
        let onDay = entries.filter { ($0.kind == .credit || $0.kind == .reversal) && $0.day == 20260106 }
        #expect(digest.net.grams == onDay.reduce(0) { $0 + $1.grams })
        #expect(digest.net.legs == onDay.reduce(0) { $0 + ($1.kind == .credit ? 1 : -1) })
        // The redemption and the expiry were recorded today, not in 2026-01: left out.
        #expect(digest.redemptions == 0 && digest.expiries == 0)
        #expect(digest.entriesRead == entries.count)
        #expect(digest.entriesOutside == entries.count - onDay.count)
        // The page covers that day only and names the range.
        let html = CarbonReport.html(CarbonReportInput(digest: digest, ledgerName: "sample.sqlite", madeBy: "test"))
        #expect(html.contains("service days 2026-01-06 to 2026-01-06"))
        #expect(html.contains("<text x=\"") && !html.contains(">2026-01-05</text>"))
        let recorded = try #require(entries.last?.recordedAt)
        let today = try #require(GTFSDate(String(recorded.prefix(10)).replacingOccurrences(of: "-", with: "")))
        let recent = LedgerDigest(entries: entries, from: today)
        #expect(recent.redemptions == 1 && recent.net.legs == 0)
    }

    @Test("an empty ledger: zero totals, empty figures, no failure")
    func emptyLedger() async throws {
        let folder = try TemporaryFolder("carbon-report-empty")
        defer { folder.remove() }
        let ledger = try openLedger(folder.file("empty.sqlite"))
        let digest = try LedgerDigest.read(ledger)
        #expect(digest.net == LedgerDigest.Totals() && digest.riders == 0 && digest.versions.isEmpty)
        let html = CarbonReport.html(CarbonReportInput(digest: digest, rejections: RejectionTally(), ledgerName: "empty", madeBy: "test"))
        Self.checkPage(html, name: "empty", svgs: 5)
        #expect(html.contains("no data"))
        #expect(html.contains("No credits in this report."))
    }

    // MARK: - Rejection files

    @Test("rejection files: quoted fields, counts by reason across files, examples; a wrong header or row is an error")
    func rejectionFiles() throws {
        var tally = RejectionTally()
        try tally.add(csv: Array("""
            line,event_id,reason,detail\r
            4,a,bad_time,"start_time ""8:00"" is not ISO 8601, with an offset"\r
            7,b,below_min_distance,298 m by bus is below the minimum of 300 m\r
            9,"c,d",bad_time,"two
            lines"\r

            """.utf8), file: "one.csv")
        try tally.add(csv: Array("line,event_id,reason,detail\n12,e,below_min_distance,x\n13,f,below_min_distance,y\n".utf8), file: "two.csv")
        #expect(tally.total == 5)
        #expect(tally.reasons.map(\.code) == ["below_min_distance", "bad_time"])
        #expect(tally.reasons.map(\.count) == [3, 2])
        #expect(tally.reasons.last?.example == "start_time \"8:00\" is not ISO 8601, with an offset")
        #expect(tally.reasons.last?.exampleAt == "one.csv:2 (log line 4)")
        #expect(tally.files.map(\.count) == [3, 2])
        #expect(RejectionTally.meaning(of: "bad_time") != nil)
        #expect(RejectionReason.allCases.allSatisfy { RejectionTally.meaning(of: $0.rawValue) != nil }, "every reason has a meaning")

        var bad = RejectionTally()
        #expect(throws: CarbonReportError.self) { try bad.add(csv: Array("event_id,source\n1,2\n".utf8), file: "log.csv") }
        #expect(throws: CarbonReportError(file: "short.csv", line: 2, "expected 4 fields (line,event_id,reason,detail), found 2")) {
            try bad.add(csv: Array("line,event_id,reason,detail\n1,2\n".utf8), file: "short.csv")
        }
        #expect(throws: CarbonReportError.self) { _ = try RejectionTally.read(paths: ["/nonexistent/rejections.csv"]) }
    }

    // MARK: - The sample

    @Test("the sample: totals, per-day charts by mode and source, rejections, distances, top routes, versions; escaped names")
    func sampleReport() async throws {
        let folder = try TemporaryFolder("carbon-report-sample")
        defer { folder.remove() }
        let s = try await Self.sample(in: folder)
        let digest = try LedgerDigest.read(s.ledger)
        let tally = try RejectionTally.read(paths: s.rejectionFiles)
        #expect(tally.total == s.summaries.reduce(0) { $0 + $1.rejected + $1.conflicts })
        #expect(Set(tally.reasons.map(\.code)).isSuperset(of: ["below_min_distance", "not_green_mode", "unknown_mode", "bad_time", "unknown_trip"]))
        let html = CarbonReport.html(CarbonReportInput(digest: digest, rejections: tally, feed: s.feed, ledgerName: "sample.sqlite",
                                                       feedName: "gtfs/sample-city", madeBy: "transit carbon report --ledger sample.sqlite"))
        // 4 per-day charts, rejections, distances, routes.
        Self.checkPage(html, name: "sample", svgs: 7)
        #expect(Self.figures(html, titled: "CO2e avoided per day, by mode") == 1)
        #expect(Self.figures(html, titled: "Points per day, by source") == 1)
        #expect(Self.figures(html, titled: "Rejected records by reason") == 1)
        #expect(Self.figures(html, titled: "Leg distances") == 1)
        #expect(Self.figures(html, titled: "Top 8 routes by CO2e avoided") == 1)
        // Totals: exact grams beside the rounded mass; legs net of the two reversals.
        #expect(html.contains("\(Format.grouped(digest.net.grams)) g exactly"))
        #expect(html.contains(Format.grouped(digest.net.legs)))
        #expect(html.contains("2 reversed"))
        // Sources and routes by name, escaped.
        #expect(html.contains("Bikes &lt;&amp;&gt; &quot;Co&quot;"))
        #expect(!html.contains("Bikes <&>"))
        #expect(html.contains("Main Avenue") && html.contains("University – Center Street"))
        #expect(html.contains("are not in this feed") == false, "every credited trip is in the sample")
        // Versions.
        #expect(html.contains("uk-desnz-2022.1") && html.contains("default-2026.2"))
        // Rejections: each reason with its meaning.
        #expect(html.contains("not_green_mode") && html.contains("the mode earns nothing (a car)"))
        try await Self.checkInBrowser(html, name: "carbon-sample")

        // Without --feed and --rejections: the sections say how to get them.
        let bare = CarbonReport.html(CarbonReportInput(digest: digest, ledgerName: "sample.sqlite", madeBy: "test"))
        Self.checkPage(bare, name: "sample-bare", svgs: 5)
        #expect(bare.contains("<code>--feed FEED</code>"))
        #expect(bare.contains("<code>transit carbon credit LOG --rejections FILE</code>"))
    }

    // MARK: - Real shared feeds

    /// A synthetic log over a real feed, its records split among four operators, credited
    /// into a fresh ledger and reported.
    static func realFeedReport(_ name: String, count: Int, days: Int) async throws
        -> (html: String, digest: LedgerDigest, routes: Int, credited: Int)? {
        guard let path = sharedFeedPath(name) else { return nil }
        let folder = try TemporaryFolder("carbon-report-\(name)")
        defer { folder.remove() }
        return try await onThread {
            let feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
            let context = FeedContext(feed: feed)
            var lines: [String] = []
            SyntheticTripLog.generate(feed: feed, context: context, count: count, seed: 7, riders: count / 5, days: days) { lines.append($0) }
            // Operators: bikes, walks, and two transit operators (every third transit record).
            for i in 1..<lines.count {
                var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard fields.count > 3 else { continue }
                fields[1] = fields[3] == "bike" ? "bike-share" : fields[3] == "walk" ? "walking-app" : i % 3 == 0 ? "metro-co" : "city-transit"
                lines[i] = fields.joined(separator: ",")
            }
            let log = folder.file("log.csv")
            try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
            let ledger = try openLedger(folder.file("ledger.sqlite"))
            let rejections = folder.file("rejections.csv")
            let summary = try credit(log: log, feed: context, ledger: ledger, rejections: rejections)
            let digest = try LedgerDigest.read(ledger)
            let tally = try RejectionTally.read(paths: [rejections])
            let html = CarbonReport.html(CarbonReportInput(digest: digest, rejections: tally, feed: feed, ledgerName: "ledger.sqlite",
                                                           feedName: name, madeBy: "test"))
            return (html, digest, RouteCredits(byTrip: digest.byTrip, feed: feed).routes.count, summary.accepted)
        }
    }

    @Test("real shared feeds (cairns-2014, vilnius-2016): synthetic logs credited and reported", .timeLimit(.minutes(10)))
    func realFeeds() async throws {
        for (name, count, days) in [("cairns-2014", 6000, 30), ("vilnius-2016", 8000, 120)] {
            guard let (html, digest, routes, credited) = try await Self.realFeedReport(name, count: count, days: days) else { continue }
            #expect(credited > count / 2, "\(name): \(credited) of \(count) credited")
            #expect(digest.net.legs == credited)
            let rejectionCharts = html.contains("Rejected records by reason") ? 1 : 0
            Self.checkPage(html, name: name, svgs: 6 + rejectionCharts)
            #expect(Set(digest.bySource.keys).isSuperset(of: ["bike-share", "walking-app", "city-transit", "metro-co"]), "\(name)")
            #expect(routes > 3, "\(name): \(routes) routes")
            #expect(Self.figures(html, titled: "Top 10 routes by CO2e avoided") == 1, "\(name)")
            #expect(html.contains("are not in this feed") == false, "\(name)")
            // Over 92 days the per-day charts group by week.
            #expect(Self.figures(html, titled: days > 92 ? "CO2e avoided per week" : "CO2e avoided per day") == 2, "\(name)")
            print("carbon report \(name): \(html.utf8.count) bytes, \(digest.net.legs) legs, \(routes) routes")
            try await Self.checkInBrowser(html, name: "carbon-\(name)")
        }
    }

    // MARK: - The command

    static func run(_ arguments: [String]) async throws -> TransitBinary.Result {
        try await onThread { try TransitBinary.run(arguments) }
    }

    @Test("transit carbon credit then transit carbon report: the page is written atomically and named on stderr; bad options fail")
    func command() async throws {
        let scratch = try TemporaryFolder("carbon-report-cli")
        defer { scratch.remove() }
        let ledger = scratch.file("ledger.sqlite"), rejections = scratch.file("rejections.csv"), out = scratch.file("carbon.html")
        let credit = try await Self.run(["carbon", "credit", "gtfs/sample-city-logs/trips.csv", "--feed", "gtfs/sample-city",
                                         "--ledger", ledger, "--rejections", rejections])
        #expect(credit.status == 0, "\(credit.stderr)")
        let r = try await Self.run(["carbon", "report", "--ledger", ledger, "--feed", "gtfs/sample-city", "--rejections", rejections,
                                    "--from", "20260105", "--to", "20260107", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("wrote \(out)"))
        let html = try String(contentsOfFile: out, encoding: .utf8)
        Self.checkPage(html, name: "cli", svgs: 7)
        #expect(html.contains("transit carbon report --ledger \(ledger) --from 20260105 --to 20260107"))
        #expect(html.contains("below_min_distance"))
        let names = try scratch.names()
        #expect(Set(names).isSubset(of: ["carbon.html", "ledger.sqlite", "ledger.sqlite-shm", "ledger.sqlite-wal", "rejections.csv"]),
                "no temporary file is left: \(names)")

        let reversed = try await Self.run(["carbon", "report", "--ledger", ledger, "--from", "20260107", "--to", "20260105", "--out", out])
        #expect(reversed.status != 0 && reversed.stderr.contains("--from 20260107 is after --to 20260105"))
        let badDate = try await Self.run(["carbon", "report", "--ledger", ledger, "--to", "2026-01-05", "--out", out])
        #expect(badDate.status != 0 && badDate.stderr.contains("--to '2026-01-05' is not a date"))
        let missing = try await Self.run(["carbon", "report", "--ledger", scratch.file("none.sqlite"), "--out", out])
        #expect(missing.status != 0 && missing.stderr.contains("--ledger: no ledger at"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("none.sqlite")), "a report never creates a ledger")
        let notRejections = try await Self.run(["carbon", "report", "--ledger", ledger, "--rejections", "gtfs/sample-city-logs/trips.csv", "--out", out])
        #expect(notRejections.status == 1 && notRejections.stderr.contains("not a rejection file"))
        let unwritable = try await Self.run(["carbon", "report", "--ledger", ledger, "--out", scratch.file("missing/carbon.html")])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("error: cannot write the report to"))
    }
}
