import Foundation
import GTFS
import Testing

/// Every real feed of `shared/gtfs-feeds/` loads with the row counts that `MANIFEST.md` states,
/// and the quirks the manifest lists (padding, odd headers, quoting, times past midnight,
/// missing calendar.txt) are read the way a planner expects.
///
/// Expected values were checked against the data with Python's csv module and `unzip`.
@Suite("Real feeds (shared/gtfs-feeds)", .enabled(if: SharedFeeds.runnable, SharedFeeds.skipReason))
struct RealFeedTests {
    // MARK: Manifest and row counts

    @Test("MANIFEST.md parses and lists exactly the feed folders, each with NAME/NAME.zip")
    func manifestMatchesFolders() throws {
        guard SharedFeeds.require() != nil else { return }
        let (entries, problems) = SharedFeeds.manifest
        #expect(problems.isEmpty, "MANIFEST.md: \(problems)")
        #expect(!entries.isEmpty, "MANIFEST.md lists no feeds")
        for entry in entries {
            #expect(entry.rows.count == SharedFeeds.countedFiles.count, "\(entry.name): counts \(entry.rows)")
        }
        #expect(Set(entries.map(\.name)) == Set(SharedFeeds.feedFolderNames),
                "manifest feeds vs folders in gtfs-feeds/")
        for name in SharedFeeds.feedFolderNames {
            let zip = try #require(SharedFeeds.feedZip(name))
            #expect(FileManager.default.isReadableFile(atPath: zip), "\(zip) is missing")
        }
    }

    @Test("Feed loads with the manifest's row counts (absent files absent)",
          arguments: SharedFeeds.manifestFeedNames)
    func rowCounts(name: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        let entry = try #require(SharedFeeds.manifestEntry(name))
        let feed = try await SharedFeeds.loadFeed(name).feed
        for file in SharedFeeds.countedFiles.map({ $0 + ".txt" }) {
            switch try #require(entry.rows[file], "\(name): no manifest count for \(file)") {
            case .absent:
                #expect(feed.tables[file] == nil, "\(name): \(file) should be absent")
            case .rows(let n):
                let table = try #require(feed.tables[file], "\(name): \(file) should be present with \(n) rows")
                #expect(table.rowCount == n, "\(name): \(file) rows")
                // Source lines: after the header, increasing, one per row at least.
                if n > 0 {
                    let first = table.line(of: 0) ?? 0, last = table.line(of: n - 1) ?? 0
                    #expect(first >= 2 && last >= first + n - 1, "\(name): \(file) lines \(first)...\(last)")
                }
            }
        }
    }

    @Test("Real feeds have no ragged rows or CSV errors (google-sample-feed: its 13 ragged rows)",
          arguments: SharedFeeds.manifest.entries.filter { SharedFeeds.realTiers.contains($0.tier) }.map(\.name))
    func noStructuralCSVErrors(name: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        let report = try await SharedFeeds.loadFeed(name).report
        let ragged = name == "google-sample-feed" ? 13 : 0
        #expect(report.counts["invalid_row_length", default: 0] == ragged, "\(name)")
        #expect(report.counts["csv_parsing_failed", default: 0] == 0, "\(name)")
    }

    @Test("google-sample-feed: exactly 13 ragged stop_times rows (lines 17-29), read with empty tails")
    func googleSampleRaggedRows() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("google-sample-feed")
        let ragged = loaded.report.findings.filter { $0.code == "invalid_row_length" }
        let files = Set(ragged.map { "\($0.severity) \($0.file ?? "-")" })
        let lines = ragged.compactMap(\.line).sorted()
        #expect(ragged.count == 13)
        #expect(files == ["error stop_times.txt"])
        #expect(lines == Array(17...29))
        let stopTimes = try #require(loaded.feed.tables["stop_times.txt"])
        #expect(stopTimes.rowCount == 28)
        // The five cells a short row has still land in their columns; the rest are empty.
        let row = try #require((0..<stopTimes.rowCount).first { stopTimes.line(of: $0) == 17 })
        #expect(stopTimes.strings("trip_id")?[row] != nil)
        #expect(stopTimes.integers("stop_sequence")?[row] != Column.missingInteger)
        #expect(stopTimes.strings("stop_headsign")?[row] == nil)
        #expect(stopTimes.reals("shape_dist_traveled")?[row].isNaN == true)
        // The header's typo is kept as an unknown column, not taken for drop_off_type.
        #expect(stopTimes.column("drop_off_time") != nil)
        let typo = loaded.report.findings.contains { $0.code == "unknown_column" && $0.field == "drop_off_time" }
        #expect(typo)
    }

    // MARK: Quirks

    /// (feed, latest arrival and departure in seconds, empty arrival_time fields): times past
    /// 24:00:00 are kept as they are, not wrapped or rejected.
    static let latestTimes: [(String, Int32, Int)] = [
        ("cairns-2014", 29 * 3600 + 39 * 60, 65),          // 29:39:00; 65 rows without times
        ("vilnius-2016", 27 * 3600 + 36 * 60, 0),          // 27:36:00
        ("kaunas-2016", 30 * 3600 + 46 * 60, 0),           // 30:46:00
        ("nyc-subway-2024", 27 * 3600 + 40 * 60 + 30, 0),  // 27:40:30
        ("hart-2018", 26 * 3600 + 12 * 60, 0),             // 26:12:00, single-digit hours too
    ]

    @Test("Times past 24:00:00 are kept", arguments: latestTimes)
    func timesPastMidnight(name: String, latest: Int32, emptyArrivals: Int) async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed(name)
        let stopTimes = loaded.feed.stopTimes
        let latestArrival = stopTimes.arrival.max(), latestDeparture = stopTimes.departure.max()
        let noArrival = stopTimes.arrival.count { $0 < 0 }, noDeparture = stopTimes.departure.count { $0 < 0 }
        #expect(latestArrival == latest, "\(name): latest arrival")
        #expect(latestDeparture == latest, "\(name): latest departure")
        #expect(noArrival == emptyArrivals, "\(name): empty arrivals")
        #expect(noDeparture == emptyArrivals, "\(name): empty departures")
        #expect(loaded.report.counts["invalid_time"] == nil, "\(name): no time is rejected")
    }

    @Test("A header ' agency_name' (leading space) is read as agency_name",
          arguments: [("kaunas-2016", "Kauno miesto savivaldybės administracija"),
                      ("vilnius-2016", "UAB Vilniaus viešasis transportas")])
    func paddedHeader(name: String, agencyName: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed(name)
        let agency = try #require(loaded.feed.tables["agency.txt"])
        #expect(agency.columns.map(\.name).first == "agency_id", "\(name): the UTF-8 BOM is not part of the first name")
        #expect(agency.columns.map(\.name).contains("agency_name"))
        #expect(agency.strings("agency_name")?[0] == agencyName)
        let agencyFindings = loaded.report.findings.filter { $0.file == "agency.txt" }
        #expect(!agencyFindings.contains { $0.code == "unknown_column" }, "\(name): \(agencyFindings)")
        #expect(!agencyFindings.contains { $0.code == "missing_required_column" }, "\(name): \(agencyFindings)")
    }

    @Test("renfe-2022: the ~300 padding spaces after every last field (header too) are trimmed")
    func renfePadding() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("renfe-2022")
        let feed = loaded.feed
        // Every padded last column is recognised, and its values parse.
        #expect(loaded.report.counts["unknown_column"] == nil)
        for code in ["invalid_date", "invalid_integer", "invalid_float", "invalid_timezone", "invalid_color", "invalid_url"] {
            #expect(loaded.report.counts[code] == nil, "\(code): \(loaded.report.findings.filter { $0.code == code }.prefix(3))")
        }
        #expect(feed.tables["routes.txt"]?.column("route_text_color") != nil)
        #expect(feed.tables["agency.txt"]?.strings("agency_phone")?[0] == "902320320")
        let timezones = try #require(feed.tables["stops.txt"]?.strings("stop_timezone"))
        let otherZones = Set((0..<timezones.codes.count).map { timezones[$0] ?? "<empty>" }).subtracting(["Europe/Madrid"])
        #expect(otherZones.isEmpty, "\(otherZones.sorted().prefix(3))")
        // Calendar end dates (the padded last column) are real dates.
        let ends = try #require(feed.tables["calendar.txt"]?.dates("end_date"))
        let badEnds = ends.count { $0 < 20_000_000 }
        #expect(ends.count == 14_141 && badEnds == 0)
        // No identifier or text value keeps padding.
        let routeIDs = feed.ids(.route)
        let paddedIDs = routeIDs.filter { $0.hasSuffix(" ") || $0.hasPrefix(" ") }
        #expect(routeIDs.count == 578)
        #expect(paddedIDs.isEmpty, "\(paddedIDs.prefix(3))")
        for table in feed.tables.values {
            for column in table.columns {
                guard case .strings(let s) = column.data else { continue }
                let padded = s.values.filter { $0.hasSuffix(" ") || $0.hasPrefix(" ") }
                #expect(padded.isEmpty, "\(table.name) \(column.name): \(padded.prefix(3))")
            }
        }
    }

    @Test("wmata-2026: a space after a closing quote in agency.txt is padding, not an error")
    func wmataSpaceAfterQuote() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("wmata-2026")
        let agency = try #require(loaded.feed.tables["agency.txt"])
        #expect(agency.rowCount == 1)
        #expect(agency.strings("agency_fare_url")?[0] == "https://www.wmata.com/fares/")
        #expect(agency.strings("agency_id")?[0] == "1")
        #expect(agency.strings("agency_name")?[0] == "WMATA")
        let agencyErrors = loaded.report.findings.filter { $0.file == "agency.txt" && $0.severity == .error }.map(\.message)
        #expect(agencyErrors.isEmpty)
        #expect(loaded.feed.tables["calendar.txt"] == nil)
    }

    @Test("cdmx-2018: stop_times columns in a different order land in the right columns")
    func cdmxColumnOrder() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("cdmx-2018")
        let table = try #require(loaded.feed.tables["stop_times.txt"])
        #expect(table.columns.prefix(5).map(\.name) == ["trip_id", "stop_sequence", "stop_id", "arrival_time", "departure_time"])
        // Lines 2 and 3: 14743,1,14216,00:00:00,00:00:00 and 14743,2,14217,00:02:00,00:02:24
        let st = loaded.feed.stopTimes
        let trips = loaded.feed.ids(.trip), stops = loaded.feed.ids(.stop)
        let firstTwo = (0..<2).map { r in
            "\(trips[Int(st.trip[r])]),\(st.sequence[r]),\(stops[Int(st.stop[r])]),\(st.arrival[r]),\(st.departure[r])"
        }
        #expect(firstTwo == ["14743,1,14216,0,0", "14743,2,14217,120,144"])
        // Misplaced values would fail to parse or fail to resolve.
        for code in ["invalid_time", "invalid_integer", "foreign_key_violation", "missing_required_field"] {
            #expect(loaded.report.counts[code] == nil, "\(code)")
        }
        // Frequency-based: one frequencies.txt row per trip.
        #expect(loaded.feed.tables["frequencies.txt"]?.rowCount == loaded.feed.tables["trips.txt"]?.rowCount)
    }

    @Test("porto-alegre-eptc-2019: quoted empty times (\"\") are empty, not errors")
    func portoAlegreQuotedEmptyTimes() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("porto-alegre-eptc-2019")
        let st = loaded.feed.stopTimes
        let noArrival = st.arrival.count { $0 == GTFSTime.missing }, noDeparture = st.departure.count { $0 == GTFSTime.missing }
        #expect(st.count == 130_019)
        #expect(noArrival == 125_271)
        #expect(noDeparture == 125_271)
        // Line 2 is timed (12:02:00), line 3 has "" for both times.
        let firstTwo = [st.arrival[0], st.departure[0], st.arrival[1], st.departure[1]]
        let noon: Int32 = 12 * 3600 + 2 * 60
        #expect(firstTwo == [noon, noon, -1, -1])
        let table = try #require(loaded.feed.tables["stop_times.txt"])
        #expect(table.column("arrival_time")?.unparsed.isEmpty == true)
        for code in ["invalid_time", "csv_parsing_failed", "stop_time_with_only_arrival_or_departure_time"] {
            #expect(loaded.report.counts[code] == nil, "\(code)")
        }
    }

    @Test("metro-north-2026: no calendar.txt, service from calendar_dates.txt only, is not an error")
    func metroNorthCalendarDatesOnly() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("metro-north-2026")
        #expect(loaded.feed.tables["calendar.txt"] == nil)
        #expect(loaded.feed.tables["calendar_dates.txt"]?.rowCount == 1_266)
        #expect(loaded.report.counts["missing_calendar_and_calendar_date_files"] == nil)
        let missingFiles = loaded.report.findings.filter { $0.code == "missing_required_file" }.compactMap(\.file)
        #expect(missingFiles.isEmpty)
        // Service ids of trips resolve through calendar_dates.txt alone.
        let unresolved = loaded.report.findings.count { $0.code == "foreign_key_violation" && $0.field == "service_id" }
        #expect(unresolved == 0)
        // The extra stop_times columns are kept.
        let stopTimes = try #require(loaded.feed.tables["stop_times.txt"])
        #expect(stopTimes.column("track") != nil && stopTimes.column("note_id") != nil)
    }

    // MARK: Agreement with the canonical validator

    /// Error codes MobilityData's canonical validator (gtfs-guru 1.0.0) reports on each real
    /// feed, measured 2026-11-28 (`gtfs_guru.validate(path).notices`, severity ERROR).
    /// Our reader may report fewer (it implements fewer rules) but never an error code the
    /// canonical tool does not report: that would be a false alarm on a real feed.
    static let canonicalErrors: [String: Set<String>] = [
        "google-sample-feed": ["invalid_row_length"],
        "transitfeed-good-feed": [],
        "gtfs-ride-sample": [],
        "cairns-2014": [],
        "nyc-subway-2024": [],
        "bart-2018": [],
        "santa-monica-bbb-2020": [],
        "porto-alegre-eptc-2019": ["invalid_color"],
        "cdmx-2018": [],
        "renfe-2022": [],
        "sacramento-rt-2024": ["equal_shape_distance_diff_coordinates"],
        "kaunas-2016": [],
        "metro-north-2026": [],
        "hart-2018": ["equal_shape_distance_diff_coordinates"],
        "vilnius-2016": [],
        "wmata-2026": ["bidirectional_exit_gate", "number_out_of_range"],
    ]

    @Test("No error code on a real feed that the canonical validator does not report",
          arguments: SharedFeeds.manifestFeedNames)
    func noFalseErrors(name: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        guard let canonical = Self.canonicalErrors[name] else { return } // a feed added later
        let report = try await SharedFeeds.loadFeed(name).report
        let extra = Set(report.codes(.error)).subtracting(canonical)
        let examples = report.findings.filter { extra.contains($0.code) }.prefix(3).map { "\($0.location): \($0.message)" }
        #expect(extra.isEmpty, "\(name): \(extra.sorted()) e.g. \(examples)")
    }

    @Test("wmata-2026: stops.level_id references resolve against levels.txt")
    func wmataLevels() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("wmata-2026")
        // levels.txt defines all 277 level_ids that 1,868 stops use (checked with Python).
        let levelsKept = loaded.feed.extraFiles.contains { $0.name == "levels.txt" } || loaded.feed.tables["levels.txt"] != nil
        #expect(levelsKept)
        let bad = loaded.report.findings.filter { $0.code == "foreign_key_violation" && $0.field == "level_id" }
        let count = bad.count
        #expect(count == 0, "\(loaded.report.counts["foreign_key_violation", default: 0]) false foreign_key_violation, e.g. \(bad.first.map { "\($0.location): \($0.message)" } ?? "")")
    }

    @Test("santa-monica-bbb-2020: an empty transfer_type (means 0) is not a missing required field")
    func santaMonicaEmptyTransferType() async throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try await SharedFeeds.loadFeed("santa-monica-bbb-2020")
        #expect(loaded.feed.tables["transfers.txt"]?.rowCount == 143)
        let bad = loaded.report.findings.filter { $0.file == "transfers.txt" && $0.code == "missing_required_field" }
        let count = bad.count
        #expect(count == 0, "\(bad.count) findings, e.g. \(bad.first.map { "\($0.location): \($0.message)" } ?? "")")
    }
}
