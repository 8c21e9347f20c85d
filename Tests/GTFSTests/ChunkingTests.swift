import Foundation
@testable import GTFS
import Testing
import ZipArchive

/// Large files are read in ~1 MiB chunks cut at line ends and parsed in parallel; these tests
/// make chunk boundaries fall everywhere (inside quoted multi-line values, between CR and LF,
/// around blank lines and bad values) and check the result equals a one-piece parse.
@Suite("Chunked parsing")
struct ChunkingTests {
    /// A stop_times.txt of about `rows` rows with every awkward feature, deterministic.
    static func awkwardStopTimes(rows: Int, quotes: Bool) -> (text: String, badLines: [Int]) {
        var out = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,stop_headsign,shape_dist_traveled\r\n"
        var line = 2
        var bad: [Int] = []
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        for i in 0..<rows {
            let trip = "trip_\(i / 20)"
            let seq = i % 20 + 1
            let t = 18_000 + (i % 20) * 120
            let time = GTFSTime.format(Int32(t))
            var headsign = "Downtown \(i % 7)"
            var newlines = 0
            if quotes {
                switch next() % 50 {
                case 0: headsign = "\"Two\nlines, \"\"quoted\"\"\""; newlines = 1
                case 1: headsign = "\"comma, inside\""
                default: break
                }
            }
            var arrival = time
            if next() % 997 == 0 { arrival = "25:61:00"; bad.append(line) }
            let ending = next() % 3 == 0 ? "\n" : "\r\n"
            out += "\(trip),\(arrival),\(time),S\(i % 300),\(seq),\(headsign),\(Double(i % 20) * 250.5)\(ending)"
            line += 1 + newlines
            if next() % 400 == 0 { out += "\r\n"; line += 1 }
        }
        return (out, bad)
    }

    static func reference(_ text: String) -> ParsedTable {
        let bytes = Array(text.utf8)
        let schema = GTFSSchema.file("stop_times.txt")!
        return bytes.withUnsafeBufferPointer { TableParser.parse(name: "stop_times.txt", bytes: $0, schema: schema, maxPerCode: 100_000) }
    }

    @Test("chunked reading of a 3+ MiB file equals a one-piece parse, lines included", arguments: [false, true])
    func chunkedEqualsWhole(quotes: Bool) throws {
        let (text, badLines) = Self.awkwardStopTimes(rows: 60_000, quotes: quotes)
        #expect(text.utf8.count > 3 << 20)
        let f = try FeedFixture(["stop_times.txt": text])
        defer { f.remove() }
        let loaded = try FeedReader.load(f.path, options: ReadOptions(maxFindingsPerCode: 100_000))
        let table = try #require(loaded.feed.table("stop_times.txt"))
        let whole = Self.reference(text)
        #expect(table.rowCount == 60_000)
        #expect(table.rowCount == whole.rowCount)
        // Same values column by column (identifier codes differ: compare the text).
        for (k, c) in table.columns.enumerated() {
            #expect(c.name == whole.columns[k].name)
            for r in stride(from: 0, to: table.rowCount, by: 7) {
                let expected: String
                switch whole.columns[k].storage {
                case .strings(let codes, let values): expected = codes[r] < 0 ? "" : values[Int(codes[r])]
                case .integers(let v): expected = v[r] == Column.missingInteger ? "" : String(v[r])
                case .smallIntegers(let v): expected = v[r] == Column.missingSmallInteger ? "" : String(v[r])
                case .times(let v): expected = GTFSTime.format(v[r])
                case .reals(let v): expected = v[r].isNaN ? "" : formatReal(v[r])
                case .dates(let v): expected = String(v[r])
                }
                if c.unparsed[Int32(r)] == nil { #expect(c.text(row: r) == expected) }
            }
        }
        // Lines agree row by row, and bad values are reported at the right lines.
        for r in stride(from: 0, to: table.rowCount, by: 13) {
            #expect(table.line(of: r) == (whole.lines.isEmpty ? Int(whole.firstLine) + r : Int(whole.lines[r])))
        }
        #expect(loaded.report.findings("invalid_time").compactMap(\.line).sorted() == badLines)
        #expect(!badLines.isEmpty)
    }

    @Test("the same file read from a zip gives the same table")
    func zipEqualsDirectory() throws {
        let (text, _) = Self.awkwardStopTimes(rows: 40_000, quotes: true)
        let f = try FeedFixture(["stop_times.txt": text])
        defer { f.remove() }
        let fromDirectory = try FeedReader.load(f.path).feed
        let zip = f.directory.appendingPathComponent("feed.zip").path
        try FeedWriter.write(fromDirectory, to: zip)
        let fromZip = try FeedReader.load(zip).feed
        #expect(fromZip == fromDirectory)
    }
}
