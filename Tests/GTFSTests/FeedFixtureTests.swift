import Foundation
@testable import GTFS
import Testing
import ZipArchive

@Suite("Reading and checking small feeds")
struct FeedFixtureTests {
    @Test("the minimal feed loads typed and indexed, with no errors")
    func minimal() throws {
        let f = try FeedFixture()
        defer { f.remove() }
        let loaded = try f.load()
        #expect(loaded.report.errorCount == 0)
        let st = loaded.feed.stopTimes
        #expect(st.count == 2)
        #expect(st.arrival == [28_800, 29_400])
        #expect(loaded.feed.ids(.stop) == ["S1", "S2"])
        #expect(loaded.feed.trips.id == [0])
        #expect(Array(loaded.feed.stopTimeIndex.rows(ofTrip: 0)) == [0, 1])
        #expect(loaded.feed.serviceDateRange?.lowerBound.description == "20260101")
    }

    @Test("a stop_times stop_id that stops.txt does not define is a foreign_key_violation at its line")
    func foreignKey() throws {
        let f = try FeedFixture(["stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,NOPE,2\n"])
        defer { f.remove() }
        let r = try f.load().report
        let hit = try #require(r.findings("foreign_key_violation").first)
        #expect(hit.file == "stop_times.txt")
        #expect(hit.line == 3)
        #expect(hit.field == "stop_id")
        #expect(hit.value == "NOPE")
        #expect(hit.severity == .error)
    }

    @Test("a repeated stop_sequence is a duplicate_key; a decreasing file order is not an error")
    func sequences() throws {
        let dup = try FeedFixture(["stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,1\n"])
        defer { dup.remove() }
        #expect(try dup.load().report.findings("duplicate_key").map(\.line) == [3])

        let reversed = try FeedFixture(["stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:10:00,08:10:00,S2,2\nT1,08:00:00,08:00:00,S1,1\n"])
        defer { reversed.remove() }
        let loaded = try reversed.load()
        #expect(loaded.report.errorCount == 0)
        #expect(Array(loaded.feed.stopTimeIndex.rows(ofTrip: 0)) == [1, 0])
    }

    @Test("times going backwards along a trip are reported with both times")
    func timesBackwards() throws {
        let f = try FeedFixture(["stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:10:00,08:10:00,S1,1\nT1,08:00:00,08:00:00,S2,2\n"])
        defer { f.remove() }
        let hit = try #require(try f.load().report.findings("stop_time_with_arrival_before_previous_departure_time").first)
        #expect(hit.line == 3)
        #expect(hit.value == "08:00:00")
    }

    @Test("an unparseable value is reported with file, line, field and value, and written back unchanged")
    func badValueRoundTrip() throws {
        let f = try FeedFixture(["calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,2026.01.01,20261231\n"])
        defer { f.remove() }
        let loaded = try f.load()
        let hit = try #require(loaded.report.findings("invalid_date").first)
        #expect(hit.file == "calendar.txt" && hit.line == 2 && hit.field == "start_date" && hit.value == "2026.01.01")
        let out = f.directory.appendingPathComponent("out").path
        try FeedWriter.write(loaded.feed, to: out)
        let text = try String(contentsOfFile: out + "/calendar.txt", encoding: .utf8)
        #expect(text.contains("2026.01.01"))
        #expect(try FeedReader.load(out).feed == loaded.feed)
    }

    @Test("unknown columns and files are kept through a round trip")
    func unknownKept() throws {
        let f = try FeedFixture(["stops.txt": "stop_id,stop_name,stop_lat,stop_lon,my_note\nS1,One,54.1,25.1,\"hello, world\"\nS2,Two,54.2,25.2,\n"])
        defer { f.remove() }
        try f.write("notes.pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF])
        let loaded = try f.load()
        #expect(loaded.report.findings("unknown_column").map(\.field) == ["my_note"])
        #expect(loaded.report.findings("unknown_file").map(\.file) == ["notes.pdf"])
        let zip = f.directory.appendingPathComponent("out.zip").path
        try FeedWriter.write(loaded.feed, to: zip)
        let again = try FeedReader.load(zip).feed
        #expect(again == loaded.feed)
        #expect(again.table("stops.txt")?.strings("my_note")?[0] == "hello, world")
        #expect(again.extraFiles.first { $0.name == "notes.pdf" }?.bytes == [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF])
    }

    @Test("missing files: a required one, and both calendars")
    func missingFiles() throws {
        let f = try FeedFixture(["stops.txt": nil, "calendar.txt": nil])
        defer { f.remove() }
        let r = try f.load().report
        #expect(r.findings("missing_required_file").map(\.file) == ["stops.txt"])
        #expect(r.findings("missing_calendar_and_calendar_date_files").count == 1)
    }

    @Test("a row with too few or too many fields is invalid_row_length at its line")
    func raggedRows() throws {
        let f = try FeedFixture(["stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.1\nS2,Two,54.2,25.2,extra\n"])
        defer { f.remove() }
        #expect(try f.load().report.findings("invalid_row_length").map(\.line) == [2, 3])
    }

    @Test("a BOM and padded header names are read as the standard columns")
    func bomAndPadding() throws {
        let f = try FeedFixture(["agency.txt": "\u{FEFF}agency_id, agency_name ,agency_url,agency_timezone\r\nA,Agency  ,https://a.example,Europe/Vilnius"])
        defer { f.remove() }
        let loaded = try f.load()
        #expect(loaded.report.findings("unknown_column").isEmpty)
        #expect(loaded.feed.table("agency.txt")?.strings("agency_name")?[0] == "Agency")
    }

    @Test("UTF-16, NUL bytes and invalid UTF-8 get their own errors, never a crash")
    func encodings() throws {
        let f = try FeedFixture()
        defer { f.remove() }
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in "agency_id,agency_name\n".utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        try f.write("agency.txt", bytes: utf16)
        try f.write("routes.txt", bytes: Array("route_id,agency_id,route_short_name,route_type\nR1,A,1\u{0},3\n".utf8))
        try f.write("trips.txt", bytes: Array("route_id,service_id,trip_id,trip_headsign\nR1,WD,T1,".utf8) + [0xC3, 0x28] + [0x0A])
        let r = try f.load().report
        #expect(r.findings("invalid_input_encoding").map(\.file) == ["agency.txt"])
        #expect(r.findings("missing_required_column").contains { $0.file == "agency.txt" && $0.field == "agency_name" })
        #expect(r.findings("invalid_character").contains { $0.file == "routes.txt" && $0.line == 2 })
        #expect(r.findings("invalid_character").contains { $0.file == "trips.txt" && $0.line == 2 && $0.field == "trip_headsign" })
    }

    @Test("several agencies without agency_id: missing_required_agency_id")
    func agencyIDs() throws {
        let f = try FeedFixture(["agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,One,https://a.example,Europe/Vilnius\n,Two,https://b.example,Europe/Vilnius\n"])
        defer { f.remove() }
        #expect(try f.load().report.findings("missing_required_agency_id").map(\.line) == [3])
    }

    @Test("a zip with the files in one sub-folder and __MACOSX junk is read, with the canonical notice")
    func subfolderZip() throws {
        let f = try FeedFixture()
        defer { f.remove() }
        var entries: [(path: String, data: [UInt8])] = FeedFixture.base.map { ("gtfs/" + $0.key, Array($0.value.utf8)) }
        entries.append(("__MACOSX/gtfs/._stops.txt", [0, 5, 22, 7]))
        let zip = f.directory.appendingPathComponent("nested.zip").path
        try ZipWriter.write(entries.sorted { $0.path < $1.path }, to: zip)
        let loaded = try FeedReader.load(zip)
        #expect(loaded.subfolder == "gtfs")
        #expect(loaded.feed.stopTimes.count == 2)
        #expect(loaded.feed.extraFiles.isEmpty)
        #expect(loaded.report.findings("invalid_input_files_in_subfolder").count == 1)
        #expect(loaded.report.findings("missing_required_file").isEmpty)
    }

    @Test("a missing path and a file that is not a zip cannot be read at all")
    func unreadable() throws {
        #expect(throws: GTFSError.notFound(path: "/nonexistent/feed.zip")) { try FeedReader.load("/nonexistent/feed.zip") }
        let f = try FeedFixture()
        defer { f.remove() }
        try f.write("x.zip", bytes: Array("this is not a zip file".utf8))
        let error = #expect(throws: GTFSError.self) { try FeedReader.load(f.directory.appendingPathComponent("x.zip").path) }
        #expect(error?.code == .unreadable && error?.code != GTFSError.notFound(path: "x").code)
    }

    @Test("the writer never leaves a partial output: a failed write leaves nothing behind")
    func atomicWrite() throws {
        let f = try FeedFixture()
        defer { f.remove() }
        let feed = try f.load().feed
        // A parent that is a file, not a folder: the write must fail and leave nothing behind.
        try f.write("blocker", bytes: [1, 2, 3])
        let target = f.directory.appendingPathComponent("blocker/out").path
        #expect(throws: GTFSError.self) { try FeedWriter.write(feed, to: target) }
        #expect(throws: GTFSError.self) { try FeedWriter.write(feed, to: target + ".zip") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.path).filter { $0.contains("partial") || $0.hasPrefix("out") }
        #expect(leftovers.isEmpty)
        // A folder in the way of a .zip is not replaced either.
        let folder = f.directory.appendingPathComponent("taken.zip")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        #expect(throws: GTFSError.self) { try FeedWriter.write(feed, to: folder.path) }
        #expect(FileManager.default.fileExists(atPath: folder.path))
    }
}
