import Foundation
import GTFS
import Testing
import TestSupport

/// The documents `gtfs inspect` and `gtfs validate` print: built from the library's results,
/// snake_case keys, and a JSON round trip for clients.
@Suite("GTFS report documents")
struct ReportDocumentTests {
    static let sample = Result { try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false)) }

    @Test("InspectDocument: every table's rows and columns, agencies, dates and route types of the sample feed")
    func inspect() throws {
        let loaded = try Self.sample.get()
        let d = InspectDocument(feed: loaded.feed, path: "gtfs/sample-city", subfolder: loaded.subfolder)
        #expect(d.feed == "gtfs/sample-city")
        #expect(d.tables.entries.map(\.key) == loaded.feed.orderedTables.map { String($0.name.dropLast(4)) })
        let stopTimes = try #require(loaded.feed.table("stop_times.txt"))
        #expect(d.tables["stop_times"]?.rows == stopTimes.rowCount && d.tables["stop_times"]?.columns == stopTimes.columns.count)
        #expect(d.serviceDateRange?.start == "2026-01-05" && d.serviceDateRange?.end == "2026-12-31")
        #expect(d.agencies.first?.agencyTimezone == "America/Chicago")
        #expect(d.routeTypes.map(\.routeType) == d.routeTypes.map(\.routeType).sorted())
        #expect(d.routeTypes.reduce(0) { $0 + $1.routes } == loaded.feed.routes.type.filter { $0 != Column.missingInteger }.count)
        #expect(d.routeTypes.first { $0.routeType == 3 }?.name == "bus")
        #expect(InspectDocument.routeTypeName(715) == "bus service" && InspectDocument.routeTypeName(42) == "other")
    }

    @Test("InspectDocument round-trips through JSON with snake_case keys (data keys come back sorted)")
    func inspectRoundTrip() throws {
        let loaded = try Self.sample.get()
        let d = InspectDocument(feed: loaded.feed, path: "p", subfolder: nil)
        let data = try JSONEncoder().encode(d)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // Foundation's encoder leaves a nil optional out (the CLI's writes null): no subfolder here.
        #expect(Set(object.keys) == ["feed", "tables", "extra_files", "agencies", "service_date_range", "route_types"])
        var back = try JSONDecoder().decode(InspectDocument.self, from: data)
        #expect(back.tables.entries == d.tables.entries.sorted { $0.key < $1.key })
        back.tables = d.tables
        #expect(back == d)
    }

    @Test("ValidationDocument: totals, counts by code, findings in report order, info left out on request")
    func validation() throws {
        var report = ValidationReport()
        report.add(Finding(.warning, "b_code", file: "stops.txt", line: 3, field: "stop_lat", value: "x", message: "w"))
        report.add(Finding(.info, "a_code", message: "i"))
        report.add(Finding(.error, "c_code", file: "trips.txt", line: 2, message: "e"))
        let all = ValidationDocument(report: report, feed: "f")
        #expect(all.errors == 1 && all.warnings == 1)
        #expect(all.counts.entries.map(\.key) == ["a_code", "b_code", "c_code"])
        #expect(all.findings.map(\.code) == report.sorted.map(\.code))
        let warning = try #require(all.findings.first { $0.code == "b_code" })
        #expect(warning.severity == "warning" && warning.line == 3 && warning.field == "stop_lat" && warning.value == "x")
        let noInfo = ValidationDocument(report: report, feed: "f", includeInfo: false)
        #expect(!noInfo.findings.contains { $0.severity == "info" })
        #expect(noInfo.counts == all.counts)
        let back = try JSONDecoder().decode(ValidationDocument.self, from: try JSONEncoder().encode(all))
        #expect(back == all)
    }
}
