import Foundation
@testable import GTFS
import Testing
import TestSupport

/// `FeedReader.load(files:)` reads a feed from bytes in memory through the same pipeline as a
/// folder: these tests hold it to exactly the folder's result.
@Suite("In-memory feeds")
struct InMemoryFeedTests {
    /// Every regular file of a folder, by name.
    static func files(in folder: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            var isDirectory: ObjCBool = false
            let path = folder + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[name] = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return files
    }

    @Test("the sample city from memory equals the sample city from its folder: tables, findings, counts")
    func sampleFromMemoryEqualsFolder() throws {
        let options = ReadOptions(today: GTFSDate(year: 2026, month: 6, day: 1))
        let fromFolder = try FeedReader.load(SharedData.samplePath, options: options)
        let files = try Self.files(in: SharedData.samplePath)
        #expect(files["stop_times.txt"] != nil)
        let fromMemory = try FeedReader.load(files: files, label: "sample", options: options)
        #expect(fromMemory.feed == fromFolder.feed)
        #expect(fromMemory.report.counts == fromFolder.report.counts)
        #expect(fromMemory.report.findings.map(\.code) == fromFolder.report.findings.map(\.code))
        #expect(fromMemory.report.findings.map(\.line) == fromFolder.report.findings.map(\.line))
        #expect(fromMemory.subfolder == nil)
    }

    @Test("one thread (no thread started) gives exactly the result of every core")
    func oneThreadEqualsAllCores() throws {
        // A day after the sample's calendars end, so the date rules have something to say.
        var one = ReadOptions(today: GTFSDate(year: 2027, month: 3, day: 1))
        one.threads = 1
        let files = try Self.files(in: SharedData.samplePath)
        let single = try FeedReader.load(files: files, options: one)
        let all = try FeedReader.load(files: files, options: ReadOptions(today: GTFSDate(year: 2027, month: 3, day: 1)))
        #expect(single.feed == all.feed)
        #expect(single.report.findings == all.report.findings)
        #expect(single.report.counts == all.report.counts)
        #expect(single.report.findings.contains { $0.code == "expired_calendar" })
    }

    @Test("a 3+ MiB file in memory is read in chunks and equals a one-piece parse", arguments: [false, true])
    func chunkedInMemory(quotes: Bool) throws {
        let (text, badLines) = ChunkingTests.awkwardStopTimes(rows: 60_000, quotes: quotes)
        let loaded = try FeedReader.load(files: ["stop_times.txt": Array(text.utf8)],
                                         options: ReadOptions(maxFindingsPerCode: 100_000, validate: false))
        let table = try #require(loaded.feed.table("stop_times.txt"))
        let whole = ChunkingTests.reference(text)
        #expect(table.rowCount == 60_000)
        #expect(table.rowCount == whole.rowCount)
        for r in stride(from: 0, to: table.rowCount, by: 13) {
            #expect(table.line(of: r) == (whole.lines.isEmpty ? Int(whole.firstLine) + r : Int(whole.lines[r])))
        }
        #expect(loaded.report.findings("invalid_time").compactMap(\.line).sorted() == badLines)
        #expect(!badLines.isEmpty)
    }

    @Test("archive junk is set aside and unknown files are kept as bytes")
    func junkAndExtras() throws {
        let loaded = try FeedReader.load(files: [
            "agency.txt": Array("agency_name,agency_url,agency_timezone\nA,https://a.example,Europe/Vilnius\n".utf8),
            "__MACOSX/._agency.txt": [0, 1, 2],
            "notes.pdf": [37, 80, 68, 70],
        ], options: ReadOptions(validate: false))
        #expect(loaded.feed.table("agency.txt")?.rowCount == 1)
        #expect(loaded.feed.extraFiles.map(\.name) == ["notes.pdf"])
        #expect(loaded.report.findings.contains { $0.code == "unknown_file" && $0.file == "notes.pdf" })
    }

    /// Found by fuzzing (issue 17): an empty `stop_id` has no identifier code (-1), and the
    /// stop rules indexed an array with it (SIGILL, "Index out of range").
    @Test("a stop with an empty stop_id and a parent_station is reported, not a crash")
    func emptyStopIDWithParent() throws {
        let loaded = try FeedReader.load(files: ["stops.txt": Array("stop_id,parent_station\n,P\n".utf8)])
        #expect(loaded.report.findings.contains { $0.code == "missing_required_field" && $0.file == "stops.txt" && $0.line == 2 })
    }
}
