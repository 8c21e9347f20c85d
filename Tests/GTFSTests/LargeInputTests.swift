import Foundation
@testable import GTFS
import Testing
import TestSupport
import TransitSupport
import ZipArchive

/// Hostile shapes of input, built at run time (nothing large is committed): one value tens of
/// megabytes long, quoted or not, a header of a million columns, a zip entry that inflates a
/// thousandfold. Each must be read correctly (or refused with its code) in linear time; the
/// time itself is measured by `Benchmarks/scripts/scaling.sh`, not here.
@Suite("Large inputs: linear time, bounded memory")
struct LargeInputTests {
    static let agency = Array("agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://example.com,Europe/Vilnius\n".utf8)
    static let mib = 1 << 20

    /// `stops.txt` with a row whose `stop_desc` is `value` (written as given, quoted or not),
    /// then an ordinary row.
    static func stops(desc value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count + 200)
        out += Array("stop_id,stop_name,stop_lat,stop_lon,stop_desc\nS1,First,54.68,25.28,".utf8)
        out += value
        out += Array("\nS2,Second,54.69,25.29,short\n".utf8)
        return out
    }

    /// `piece` repeated `count` times, built by doubling copies (fast in a debug build).
    static func repeated(_ piece: [UInt8], count: Int) -> [UInt8] {
        let total = piece.count * count
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress, total > 0 else { initialized = 0; return }
            piece.withUnsafeBufferPointer { p in if let source = p.baseAddress { base.initialize(from: source, count: piece.count) } }
            var filled = piece.count
            while filled < total {
                let n = min(filled, total - filled)
                (base + filled).initialize(from: base, count: n)
                filled += n
            }
            initialized = total
        }
    }

    /// Whether `text`'s UTF-8 is exactly `bytes` (one `memcmp`).
    static func same(_ text: String?, _ bytes: [UInt8]) -> Bool {
        guard var text else { return false }
        return text.withUTF8 { t in
            bytes.withUnsafeBufferPointer { b in
                guard t.count == b.count else { return false }
                guard let x = t.baseAddress, let y = b.baseAddress else { return t.count == 0 }
                return memcmp(x, y, t.count) == 0
            }
        }
    }

    static func load(_ stops: [UInt8], options: ReadOptions = ReadOptions(validate: false)) throws -> LoadedFeed {
        try FeedReader.load(files: ["agency.txt": agency, "stops.txt": stops], options: options)
    }

    @Test("a 32 MiB unquoted value is read whole and the row after it too")
    func longUnquotedValue() throws {
        let value = Self.repeated(Array("abcdefghi0".utf8), count: 32 * Self.mib / 10)
        let loaded = try Self.load(Self.stops(desc: value))
        let stops = try #require(loaded.feed.table("stops.txt"))
        #expect(stops.rowCount == 2)
        let desc = try #require(stops.strings("stop_desc"))
        #expect(Self.same(desc[0], value))
        #expect(desc[1] == "short")
        #expect(stops.strings("stop_id")?[1] == "S2")
        #expect(stops.line(of: 1) == 3)
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.prefix(3))")
    }

    @Test("a 32 MiB quoted value with commas, doubled quotes and line breaks round-trips")
    func longQuotedValue() throws {
        let piece = Array("a,b \"\"quoted\"\" c\n".utf8)
        let expectedPiece = Array("a,b \"quoted\" c\n".utf8)
        let repeats = 32 * Self.mib / piece.count
        let quoted = [0x22] + Self.repeated(piece, count: repeats) + [0x22]
        let expected = Self.repeated(expectedPiece, count: repeats)
        let loaded = try Self.load(Self.stops(desc: quoted))
        let stops = try #require(loaded.feed.table("stops.txt"))
        #expect(stops.rowCount == 2)
        let desc = try #require(stops.strings("stop_desc"))
        #expect(Self.same(desc[0], expected))
        #expect(desc[1] == "short")
        // The value spans `repeats` line breaks, so the next row's line is after them.
        #expect(stops.line(of: 1) == 3 + repeats)
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.prefix(3))")
    }

    @Test("an unterminated 8 MiB quoted value is reported and the rows after its line are read")
    func unterminatedLongQuote() throws {
        var value: [UInt8] = [0x22]
        value += [UInt8](repeating: 0x62, count: 8 * Self.mib)
        let loaded = try Self.load(Self.stops(desc: value))
        #expect(loaded.report.counts["csv_parsing_failed", default: 0] >= 1)
        let stops = try #require(loaded.feed.table("stops.txt"))
        #expect(stops.strings("stop_id")?[stops.rowCount - 1] == "S2")
    }

    @Test("a header of 1.5 million columns: the first 4096 are read, too_many_columns once, rows not ragged")
    func millionsOfColumns() throws {
        let extra = 1_500_000
        // Distinct names for the columns that are read; past the 4096th, names are never looked at.
        let named = TableParser.maxColumns - 4
        var text = Array("stop_id,stop_name,stop_lat,stop_lon".utf8)
        for i in 0..<named { text += Array(",x\(i)".utf8) }
        text += Self.repeated(Array(",y".utf8), count: extra - named)
        text += Array("\nS1,First,54.68,25.28".utf8)
        text += Self.repeated(Array(",v".utf8), count: extra)
        text += Array("\nS2,Second,54.69,25.29\n".utf8)
        let loaded = try Self.load(text)
        let stops = try #require(loaded.feed.table("stops.txt"))
        #expect(stops.columns.count == TableParser.maxColumns)
        #expect(stops.rowCount == 2)
        #expect(stops.strings("stop_id")?[0] == "S1")
        #expect(stops.strings("x0")?[0] == "v")
        #expect(loaded.report.counts["too_many_columns"] == 1)
        let finding = try #require(loaded.report.findings.first { $0.code == "too_many_columns" })
        #expect(finding.message.contains("\(extra + 4) columns"))
        // Row 1 has as many fields as the header: not ragged. Row 2 has 4: ragged.
        #expect(loaded.report.counts["invalid_row_length"] == 1)
    }

    @Test("the cut search is incremental: fed a growing buffer, it finds the cut a one-shot scan finds")
    func incrementalCut() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x61, 0x2C, 0x22, 0x0A, 0x0D, 0x62]
        for _ in 0..<300 {
            let n = Int.random(in: 0...200, using: &generator)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &generator) ?? 0x61 }
            var scanner = CutScanner()
            var end = 0
            while end < n {
                end = min(n, end + Int.random(in: 1...40, using: &generator))
                let prefix = Array(bytes[0..<end])
                let incremental = prefix.withUnsafeBufferPointer { scanner.advance($0) }
                #expect(incremental == LoadPipeline.safeCut(prefix), "\(bytes) at \(end)")
            }
        }
    }

    @Test("a stop_times.txt that inflates 1000x is streamed, and refused past a lowered ceiling")
    func zipBomb() throws {
        let folder = try TemporaryFolder("limits")
        defer { folder.remove() }
        let header = Array("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n".utf8)
        let size = 48 * Self.mib
        var stopTimes = header
        stopTimes += [UInt8](repeating: 0x0A, count: size - header.count)
        let path = folder.file("bomb.zip")
        try ZipWriter.write([("agency.txt", Self.agency), ("stop_times.txt", stopTimes)], to: path, level: 9)
        stopTimes = []
        let archive = try ZipArchive(path: path)
        let entry = try #require(archive.entry(named: "stop_times.txt"))
        #expect(entry.uncompressedSize / entry.compressedSize >= 900, "a thousandfold bomb")

        let loaded = try FeedReader.load(path, options: ReadOptions(validate: false))
        #expect(loaded.feed.table("stop_times.txt")?.rowCount == 0)

        let limit = 16 * Self.mib
        do {
            _ = try FeedReader.load(path, options: ReadOptions(validate: false, maxFileBytes: limit))
            Issue.record("a file over the ceiling was read")
        } catch {
            #expect(error == .fileTooLarge(path: path, file: "stop_times.txt", size: UInt64(size), limit: limit))
            #expect(error.code == .fileTooLarge)
            #expect(error.description.contains("stop_times.txt") && error.description.contains("\(size)")
                && error.description.contains("\(limit)") && error.description.contains("maxFileBytes"))
        }
    }

    @Test("an extra file and a single table over the ceiling are refused too")
    func ceilingOnEveryFile() throws {
        let notes = [UInt8](repeating: 0x20, count: 4096)
        do {
            _ = try FeedReader.load(files: ["agency.txt": Self.agency, "notes.bin": notes],
                                    options: ReadOptions(validate: false, maxFileBytes: 1000))
            Issue.record("an extra file over the ceiling was read")
        } catch {
            #expect(error.code == .fileTooLarge)
        }
        let folder = try TemporaryFolder("limits")
        defer { folder.remove() }
        let path = folder.file("board_alight.txt")
        try FileSystem.writeAtomically(notes, to: path)
        let base = try Self.load(Self.stops(desc: Array("x".utf8)))
        #expect(throws: GTFSError.fileTooLarge(path: path, file: "board_alight.txt", size: 4096, limit: 1000)) {
            try FeedReader.loadTable(path, as: "board_alight.txt", into: base.feed, options: ReadOptions(maxFileBytes: 1000))
        }
    }

    @Test("a FIFO and a link to /dev/zero in a feed folder are reported and never read")
    func specialFilesAreNotRead() throws {
        let f = try FeedFixture()
        defer { f.remove() }
        let fifo = f.directory.appendingPathComponent("fare_rules.txt").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: f.directory.appendingPathComponent("shapes.txt").path,
                                                   withDestinationPath: "/dev/zero")
        // Reading either would block forever (the FIFO has no writer) or never end (/dev/zero).
        let loaded = try FeedReader.load(f.path)
        let reported = loaded.report.findings.filter { $0.code == "not_a_regular_file" }.compactMap(\.file).sorted()
        #expect(reported == ["fare_rules.txt", "shapes.txt"])
        #expect(loaded.feed.table("shapes.txt") == nil)
        #expect(loaded.feed.table("stops.txt")?.rowCount == 2)
    }
}
