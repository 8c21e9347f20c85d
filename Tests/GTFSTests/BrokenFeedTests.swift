import Foundation
import GTFS
import Testing

/// A finding that must be in the report: its code, file, and (where the case makes it clear)
/// line, field and value.
struct ExpectedFinding: Sendable, CustomStringConvertible {
    var code: String
    var file: String
    var line: Int? = nil
    var field: String? = nil
    var value: String? = nil

    func matches(_ f: Finding) -> Bool {
        f.code == code && f.file == file
            && (line == nil || f.line == line) && (field == nil || f.field == field)
            && (value == nil || f.value == value)
    }

    var description: String {
        "\(code) in \(file)" + (line.map { ":\($0)" } ?? "") + (field.map { " field \($0)" } ?? "")
            + (value.map { " value '\($0)'" } ?? "")
    }
}

/// What reading one case of `broken/` must give.
struct BrokenCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// Loads; the report has at least these error codes.
        case errors(Set<String>)
        /// Loads with no error at all.
        case valid
        /// Loading throws `GTFSError.unreadable`.
        case unreadable
    }

    var name: String
    var outcome: Outcome
    /// Findings (any severity) that must be present.
    var findings: [ExpectedFinding] = []
    /// Codes (any severity) that must not be reported.
    var notReported: Set<String> = []
    /// Expected row counts of some tables.
    var rows: [String: Int] = [:]

    var testDescription: String { name }
}

/// Every case of `shared/gtfs-feeds/broken/`: we report at least the error codes the canonical
/// validator reports (`shared/reference/validation.md`), except where the project decided
/// otherwise (houston packaging, UTF-16, not-a-zip), and none of them crashes the reader.
@Suite("Broken feeds (shared/gtfs-feeds/broken)", .enabled(if: SharedFeeds.runnable, SharedFeeds.skipReason))
struct BrokenFeedTests {
    /// The expectations, by case. Error codes are the "errors" column of validation.md;
    /// locations were read from the files themselves.
    static let cases: [BrokenCase] = [
        // (a) Files are read from the single sub-folder: calendar.txt is found there, so
        // only stop_times.txt is missing (it was replaced by stop_times_mini.csv).
        BrokenCase(name: "houston-metro-2015-packaging",
                   outcome: .errors(["invalid_input_files_in_subfolder", "missing_required_file"]),
                   findings: [.init(code: "invalid_input_files_in_subfolder", file: "google_transit/"),
                              .init(code: "missing_required_file", file: "stop_times.txt")],
                   notReported: ["missing_calendar_and_calendar_date_files"],
                   rows: ["calendar.txt": 8]),
        BrokenCase(name: "transitfeed-bad_date_format", outcome: .errors(["invalid_date"]),
                   findings: [.init(code: "invalid_date", file: "calendar.txt", line: 2, field: "start_date", value: "2007.01.01"),
                              .init(code: "invalid_date", file: "calendar_dates.txt", line: 2, field: "date", value: "2007-06-04")]),
        // Mixed CRLF / bare CR / LF: every row still found.
        BrokenCase(name: "transitfeed-bad_eol", outcome: .errors([]),
                   notReported: ["invalid_row_length", "csv_parsing_failed"],
                   rows: ["routes.txt": 5, "calendar.txt": 2, "stop_times.txt": 28, "trips.txt": 11]),
        BrokenCase(name: "transitfeed-bad_utf8", outcome: .errors(["invalid_character"]),
                   findings: [.init(code: "invalid_character", file: "agency.txt", line: 2, field: "agency_name"),
                              .init(code: "invalid_character", file: "stops.txt", line: 2, field: "stop_name"),
                              .init(code: "invalid_character", file: "trips.txt", line: 2, field: "trip_headsign"),
                              .init(code: "invalid_character", file: "stop_times.txt", line: 2, field: "stop_headsign")]),
        BrokenCase(name: "transitfeed-contains_null", outcome: .errors(["invalid_row_length"]),
                   findings: [.init(code: "invalid_row_length", file: "routes.txt", line: 2),
                              .init(code: "invalid_character", file: "stops.txt", line: 9)]),
        BrokenCase(name: "transitfeed-duplicate_schedule_id", outcome: .errors(["duplicate_key"]),
                   findings: [.init(code: "duplicate_key", file: "calendar.txt", line: 4, field: "service_id", value: "WE")]),
        BrokenCase(name: "transitfeed-duplicate_stop", outcome: .errors(["invalid_row_length"]),
                   findings: [.init(code: "invalid_row_length", file: "stop_times.txt", line: 2)]),
        BrokenCase(name: "transitfeed-duplicate_stop_sequence", outcome: .errors(["duplicate_key"]),
                   findings: [.init(code: "duplicate_key", file: "stop_times.txt", line: 4, field: "trip_id,stop_sequence")]),
        BrokenCase(name: "transitfeed-empty_file", outcome: .errors(["empty_file", "invalid_row_length"]),
                   findings: [.init(code: "empty_file", file: "agency.txt")],
                   rows: ["agency.txt": 0]),
        BrokenCase(name: "transitfeed-extra_row_cells", outcome: .errors(["invalid_row_length"]),
                   findings: [.init(code: "invalid_row_length", file: "routes.txt", line: 4)]),
        BrokenCase(name: "transitfeed-invalid_agency_ids", outcome: .errors(["missing_required_agency_id"]),
                   findings: [.init(code: "missing_required_agency_id", file: "agency.txt", line: 3, field: "agency_id")]),
        BrokenCase(name: "transitfeed-invalid_route_agency", outcome: .errors(["foreign_key_violation"]),
                   findings: [.init(code: "foreign_key_violation", file: "routes.txt", line: 4, field: "agency_id", value: "DVT")]),
        BrokenCase(name: "transitfeed-missing_agency", outcome: .errors(["invalid_row_length", "missing_required_file"]),
                   findings: [.init(code: "missing_required_file", file: "agency.txt"),
                              .init(code: "invalid_row_length", file: "trips.txt", line: 4)]),
        BrokenCase(name: "transitfeed-missing_calendar",
                   outcome: .errors(["foreign_key_violation", "missing_calendar_and_calendar_date_files"]),
                   findings: [.init(code: "missing_calendar_and_calendar_date_files", file: "calendar.txt"),
                              .init(code: "foreign_key_violation", file: "trips.txt", line: 2, field: "service_id", value: "FULLW")]),
        BrokenCase(name: "transitfeed-missing_column", outcome: .errors(["invalid_row_length", "missing_required_column"]),
                   findings: [.init(code: "missing_required_column", file: "agency.txt", line: 1, field: "agency_name")]),
        BrokenCase(name: "transitfeed-missing_departure_time",
                   outcome: .errors(["stop_time_with_only_arrival_or_departure_time"]),
                   findings: [.init(code: "stop_time_with_only_arrival_or_departure_time", file: "stop_times.txt",
                                    line: 3, field: "departure_time")]),
        BrokenCase(name: "transitfeed-missing_endpoint_times", outcome: .errors(["missing_trip_edge"]),
                   findings: [.init(code: "missing_trip_edge", file: "stop_times.txt", line: 16, value: "AB2"),
                              .init(code: "missing_trip_edge", file: "stop_times.txt", line: 21, value: "BFC2")]),
        BrokenCase(name: "transitfeed-missing_routes", outcome: .errors(["missing_required_file"]),
                   findings: [.init(code: "missing_required_file", file: "routes.txt")]),
        BrokenCase(name: "transitfeed-missing_row_cells", outcome: .errors(["invalid_row_length"]),
                   findings: [.init(code: "invalid_row_length", file: "routes.txt", line: 4)]),
        BrokenCase(name: "transitfeed-missing_stop_times", outcome: .errors(["missing_required_file"]),
                   findings: [.init(code: "missing_required_file", file: "stop_times.txt")]),
        BrokenCase(name: "transitfeed-missing_stops",
                   outcome: .errors(["foreign_key_violation", "invalid_row_length", "missing_required_file"]),
                   findings: [.init(code: "missing_required_file", file: "stops.txt"),
                              .init(code: "foreign_key_violation", file: "stop_times.txt", line: 2, field: "stop_id", value: "STAGECOACH")]),
        // With trips.txt missing, its references are not reported one by one (as the canonical
        // validator does): the missing file is the defect.
        BrokenCase(name: "transitfeed-missing_trips", outcome: .errors(["missing_required_file"]),
                   findings: [.init(code: "missing_required_file", file: "trips.txt")]),
        BrokenCase(name: "transitfeed-missing_weekday_column",
                   outcome: .errors(["invalid_row_length", "missing_required_column"]),
                   findings: [.init(code: "missing_required_column", file: "calendar.txt", line: 1, field: "thursday")]),
        BrokenCase(name: "transitfeed-negative_stop_sequence", outcome: .errors(["number_out_of_range"]),
                   findings: [.init(code: "number_out_of_range", file: "stop_times.txt", line: 9, field: "stop_sequence", value: "-2")]),
        BrokenCase(name: "transitfeed-only_calendar_dates", outcome: .valid,
                   notReported: ["missing_calendar_and_calendar_date_files", "missing_required_file"]),
        BrokenCase(name: "transitfeed-undefined_stop", outcome: .errors(["foreign_key_violation"]),
                   findings: [.init(code: "foreign_key_violation", file: "stop_times.txt", line: 11, field: "stop_id", value: "NADAR")]),
        BrokenCase(name: "transitfeed-unknown_file", outcome: .errors([]),
                   findings: [.init(code: "unknown_file", file: "frecuencias.txt")]),
        // (c) Not a zip: the CLI turns the throw into exit 2 and the canonical i_o_error.
        BrokenCase(name: "transitfeed-unknown_format", outcome: .unreadable),
        BrokenCase(name: "transitfeed-unrecognized_columns", outcome: .errors([]),
                   findings: [.init(code: "unknown_column", file: "stop_times.txt", line: 1, field: "drop_off_time"),
                              .init(code: "unknown_column", file: "routes.txt", line: 1, field: "Route_Text_Color"),
                              .init(code: "unknown_column", file: "trips.txt", line: 1, field: "sharpe_id")]),
        // (b) UTF-16: our own invalid_input_encoding besides the canonical missing_required_column.
        BrokenCase(name: "transitfeed-utf16", outcome: .errors(["invalid_input_encoding", "missing_required_column"]),
                   findings: [.init(code: "invalid_input_encoding", file: "agency.txt", line: 1),
                              .init(code: "missing_required_column", file: "agency.txt", line: 1, field: "agency_name")]),
        // A UTF-8 BOM is not part of the first column's name.
        BrokenCase(name: "transitfeed-utf8bom", outcome: .errors([]),
                   notReported: ["unknown_column", "missing_required_column", "invalid_character"]),
        BrokenCase(name: "transitland-bart-errors", outcome: .errors(["number_out_of_range"]),
                   findings: [.init(code: "number_out_of_range", file: "stops.txt", line: 49, field: "stop_lat", value: "-200"),
                              .init(code: "number_out_of_range", file: "stops.txt", line: 49, field: "stop_lon", value: "-200")]),
        BrokenCase(name: "transitland-example-errors",
                   outcome: .errors(["foreign_key_violation", "invalid_row_length", "number_out_of_range"]),
                   findings: [.init(code: "foreign_key_violation", file: "routes.txt", line: 6, field: "agency_id", value: "DTAZ"),
                              .init(code: "number_out_of_range", file: "stops.txt", line: 6, field: "stop_lat", value: "-100"),
                              .init(code: "invalid_row_length", file: "shapes.txt", line: 2),
                              .init(code: "unknown_file", file: "malformed.txt")]),
    ]

    static func expectation(_ name: String) -> BrokenCase? { cases.first { $0.name == name } }

    @Test("Every zip in broken/ has an expectation, and every expectation a zip")
    func tableCoversFolder() {
        guard SharedFeeds.require() != nil else { return }
        #expect(!SharedFeeds.brokenCaseNames.isEmpty, "broken/ is empty")
        #expect(Set(SharedFeeds.brokenCaseNames) == Set(Self.cases.map(\.name)))
    }

    @Test("Broken feed: at least the canonical error codes, located", arguments: SharedFeeds.brokenCaseNames)
    func brokenCase(name: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        let expected = try #require(Self.expectation(name), "no expectation for broken/\(name).zip: add one to the table")
        let path = try #require(SharedFeeds.brokenZip(name))

        let loaded: LoadedFeed
        do {
            loaded = try FeedReader.load(path)
        } catch {
            guard case .unreadable = expected.outcome else {
                Issue.record("broken/\(name).zip: loading threw \(error)")
                return
            }
            guard case .unreadable(let p, let reason) = error else {
                Issue.record("broken/\(name).zip: expected GTFSError.unreadable, got \(error)")
                return
            }
            #expect(p == path)
            #expect(!reason.isEmpty)
            return
        }
        let report = loaded.report
        let errors = Set(report.codes(.error))
        switch expected.outcome {
        case .unreadable:
            Issue.record("broken/\(name).zip loaded, but it should throw GTFSError.unreadable; errors: \(errors.sorted())")
        case .valid:
            #expect(report.errorCount == 0, "\(name): \(report.findings.filter { $0.severity == .error }.map(\.location))")
        case .errors(let required):
            let missing = required.subtracting(errors)
            #expect(missing.isEmpty, "\(name): missing error codes \(missing.sorted()); reported \(errors.sorted())")
            // An error code's true count and its kept findings agree in severity.
            for code in required {
                let isError = report.findings.contains { $0.code == code && $0.severity == .error }
            #expect(isError, "\(name): \(code) is not an error")
            }
        }
        for finding in expected.findings {
            let found = report.findings.contains(where: finding.matches)
            #expect(found, "\(name): no finding \(finding); have \(report.findings.filter { $0.code == finding.code }.prefix(5).map { "\($0.location) value=\($0.value ?? "nil")" })")
        }
        for code in expected.notReported {
            #expect(report.counts[code] == nil, "\(name): \(code) must not be reported: \(report.findings.filter { $0.code == code }.map(\.location))")
        }
        for (file, n) in expected.rows {
            #expect(loaded.feed.tables[file]?.rowCount == n, "\(name): \(file) rows")
        }
        // Every kept finding names a file, and line numbers are 1-based.
        for f in report.findings where f.severity == .error {
            #expect(f.file != nil, "\(name): \(f.code) has no file")
            if let line = f.line { #expect(line >= 1, "\(name): \(f.location)") }
        }
    }

    @Test("houston-metro-2015-packaging: files read from the google_transit/ sub-folder, junk ignored")
    func houstonSubfolder() throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try FeedReader.load(try #require(SharedFeeds.brokenZip("houston-metro-2015-packaging")))
        #expect(loaded.subfolder == "google_transit")
        let calendar = try #require(loaded.feed.tables["calendar.txt"], "calendar.txt is in the sub-folder")
        #expect(calendar.rowCount == 8)
        for file in ["agency.txt", "routes.txt", "stops.txt", "trips.txt", "calendar_dates.txt", "shapes.txt"] {
            #expect(loaded.feed.tables[file] != nil, "\(file) read from the sub-folder")
        }
        #expect(loaded.feed.tables["stop_times.txt"] == nil)
        // Only stop_times.txt is missing; __MACOSX resource forks are not files of the feed.
        let missing = loaded.report.findings.filter { $0.code == "missing_required_file" }.compactMap(\.file)
        #expect(missing == ["stop_times.txt"])
        #expect(loaded.feed.extraFiles.map(\.name) == ["stop_times_mini.csv"])
        let junk = loaded.feed.extraFiles.map(\.name).filter { $0.contains("__MACOSX") || $0.contains("._") }
        #expect(junk.isEmpty)
    }

    @Test("transitfeed-utf16: invalid_input_encoding for every UTF-16 file, tables left empty")
    func utf16() throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try FeedReader.load(try #require(SharedFeeds.brokenZip("transitfeed-utf16")))
        let encoding = Set(loaded.report.findings.filter { $0.code == "invalid_input_encoding" }.compactMap(\.file))
        for file in ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt"] {
            #expect(encoding.contains(file), "\(file)")
            #expect(loaded.feed.tables[file]?.rowCount == 0, "\(file)")
        }
        let stopID = loaded.report.findings.contains { $0.code == "missing_required_column" && $0.file == "stops.txt" && $0.field == "stop_id" }
        #expect(stopID)
    }

    @Test("transitfeed-unknown_format: not a zip, so load throws GTFSError.unreadable")
    func unknownFormatThrows() throws {
        guard SharedFeeds.require() != nil else { return }
        let path = try #require(SharedFeeds.brokenZip("transitfeed-unknown_format"))
        let error = #expect(throws: GTFSError.self) { try FeedReader.load(path) }
        guard case .unreadable(let p, _)? = error else {
            Issue.record("expected GTFSError.unreadable, got \(String(describing: error))")
            return
        }
        #expect(p == path)
    }

    @Test("transitfeed-only_calendar_dates is valid: no error at all")
    func onlyCalendarDatesIsValid() throws {
        guard SharedFeeds.require() != nil else { return }
        let loaded = try FeedReader.load(try #require(SharedFeeds.brokenZip("transitfeed-only_calendar_dates")))
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.filter { $0.severity == .error }.map(\.location))")
        #expect(loaded.feed.tables["calendar.txt"] == nil)
        #expect((loaded.feed.tables["calendar_dates.txt"]?.rowCount ?? 0) > 0)
    }
}
