@testable import GTFS
import Testing
import TestSupport

/// `ReadOptions.chunkBytes` changes how files are cut into pieces, never what is read: these
/// tests load the same bytes with pieces of a few bytes and in one piece and require the same
/// tables, line numbers and findings (by location, with their counts).
@Suite("Chunk size")
struct ChunkSizeTests {
    static func options(chunkBytes: Int, threads: Int) -> ReadOptions {
        var o = ReadOptions(maxFindingsPerCode: 100_000, today: GTFSDate(year: 2026, month: 6, day: 1))
        o.chunkBytes = chunkBytes
        o.threads = threads
        return o
    }

    /// Every row's source line of every table.
    static func lines(_ feed: Feed) -> [String: [Int?]] {
        var out: [String: [Int?]] = [:]
        for table in feed.orderedTables { out[table.name] = (0..<table.rowCount).map { table.line(of: $0) } }
        return out
    }

    /// The findings by location and their counts (the order found is not promised).
    static func sameFindings(_ a: ValidationReport, _ b: ValidationReport) -> Bool {
        a.sortedByLocation == b.sortedByLocation && a.counts == b.counts && a.severityCounts == b.severityCounts
    }

    @Test("a stop_times.txt with quotes, multi-line values, CR LF and bad times: any piece size gives the one-piece result",
          arguments: [1, 2, 3, 7, 64, 1000])
    func awkwardFileAnyChunk(chunkBytes: Int) throws {
        let (text, badLines) = ChunkingTests.awkwardStopTimes(rows: 2_000, quotes: true)
        let files = ["stop_times.txt": Array(text.utf8)]
        let whole = try FeedReader.load(files: files, options: Self.options(chunkBytes: ReadOptions.defaultChunkBytes, threads: 1))
        let cut = try FeedReader.load(files: files, options: Self.options(chunkBytes: chunkBytes, threads: 2))
        #expect(whole.feed.table("stop_times.txt")?.rowCount == 2_000)
        #expect(cut.feed == whole.feed)
        #expect(Self.lines(cut.feed) == Self.lines(whole.feed))
        #expect(Self.sameFindings(cut.report, whole.report))
        #expect(cut.report.findings("invalid_time").compactMap(\.line).sorted() == badLines)
        #expect(!badLines.isEmpty)
    }

    @Test("the sample city in 4 KiB pieces equals the sample city in 512 KiB pieces: tables, lines, findings")
    func sampleCityInSmallPieces() throws {
        let files = try InMemoryFeedTests.files(in: SharedData.samplePath)
        #expect((files["stop_times.txt"]?.count ?? 0) > 4096 * 100)
        let whole = try FeedReader.load(files: files, options: Self.options(chunkBytes: ReadOptions.defaultChunkBytes, threads: 2))
        let cut = try FeedReader.load(files: files, options: Self.options(chunkBytes: 4096, threads: 2))
        #expect(cut.feed == whole.feed)
        #expect(Self.lines(cut.feed) == Self.lines(whole.feed))
        #expect(Self.sameFindings(cut.report, whole.report))
    }

    @Test("a piece size of zero or less counts as one byte, and a file read by path honours it")
    func nonPositiveAndByPath() throws {
        let text = "stop_id,stop_name,stop_lat,stop_lon\nA,\"Alpha,\nnorth\",54.1,25.2\nB,Beta,54.2,25.3\n"
        let f = try FeedFixture(["stops.txt": text])
        defer { f.remove() }
        let reference = try FeedReader.load(f.path, options: Self.options(chunkBytes: ReadOptions.defaultChunkBytes, threads: 1))
        for chunkBytes in [0, -5, 1] {
            let loaded = try FeedReader.load(f.path, options: Self.options(chunkBytes: chunkBytes, threads: 2))
            #expect(loaded.feed == reference.feed)
            #expect(Self.sameFindings(loaded.report, reference.report))
            #expect(loaded.feed.table("stops.txt")?.strings("stop_name")?[0] == "Alpha,\nnorth")
        }
        let table = try FeedReader.loadTable(f.path + "/stops.txt", as: "stops.txt",
                                             into: reference.feed, options: Self.options(chunkBytes: 3, threads: 2))
        #expect(table.feed.table("stops.txt") == reference.feed.table("stops.txt"))
    }

    /// Found by the FuzzFeedLarge differential check (issue 17): with pieces smaller than the
    /// blank lines before the header, the first piece held no header, and the file was read as
    /// headerless (no rows) instead of the rows after it.
    @Test("blank lines (and a byte-order mark) before the header are read the same in any piece size",
          arguments: ["\n,", "\r\n\n\r\nstop_id,stop_name\nA,Alpha\n", "\u{FEFF}\n\nstop_id,stop_name\r\nA,Alpha\r\n", "\n\n\n"])
    func blankLinesBeforeTheHeader(text: String) throws {
        let files = ["stops.txt": Array(text.utf8)]
        let whole = try FeedReader.load(files: files, options: Self.options(chunkBytes: ReadOptions.defaultChunkBytes, threads: 1))
        for chunkBytes in [1, 2, 3] {
            let cut = try FeedReader.load(files: files, options: Self.options(chunkBytes: chunkBytes, threads: 2))
            #expect(cut.feed == whole.feed, "\(chunkBytes)-byte pieces")
            #expect(Self.sameFindings(cut.report, whole.report), "\(chunkBytes)-byte pieces")
        }
        if text.contains("Alpha") { #expect(whole.feed.table("stops.txt")?.rowCount == 1) }
    }

    @Test("a megabyte of blank lines before the header, in 4 KiB pieces, is read to its rows")
    func longBlankPrefix() throws {
        let text = String(repeating: "\r\n", count: 512 * 1024) + "stop_id,stop_name\nA,Alpha\nB,Beta\n"
        let loaded = try FeedReader.load(files: ["stops.txt": Array(text.utf8)], options: Self.options(chunkBytes: 4096, threads: 2))
        let stops = try #require(loaded.feed.table("stops.txt"))
        #expect(stops.rowCount == 2)
        #expect(stops.line(of: 0) == 512 * 1024 + 2)
        #expect(loaded.report.findings("empty_file").isEmpty)
    }

    /// Found by the FuzzFeedLarge differential check (issue 17): each piece reported its own
    /// first NUL byte, so a binary file got one `invalid_character` per piece.
    @Test("a file with NUL bytes on several lines gets one NUL finding, at the first, in any piece size")
    func oneNULFindingPerFile() throws {
        let text = "stop_id,stop_name\nA,Al\u{0}pha\nB,Beta\nC,Ga\u{0}mma\nD,Delta\u{0}\n"
        let files = ["stops.txt": Array(text.utf8)]
        for chunkBytes in [ReadOptions.defaultChunkBytes, 1, 5, 16] {
            let loaded = try FeedReader.load(files: files, options: Self.options(chunkBytes: chunkBytes, threads: 2))
            let nul = loaded.report.findings("invalid_character").filter { $0.message.contains("NUL byte") }
            #expect(nul.map(\.line) == [2], "\(chunkBytes)-byte pieces")
            #expect(loaded.feed.table("stops.txt")?.rowCount == 4)
        }
    }

    /// Found by the FuzzFeedLarge differential check (issue 17): the NUL byte's line counted
    /// only LF, the scanner also a bare CR, so a piece starting after a CR put it a line later.
    @Test("the NUL byte's line counts a bare CR as a line end, as the scanner does")
    func nulLineAfterBareCR() throws {
        let files = ["stop_times.txt": Array("d\n\r\u{0}".utf8)]
        for chunkBytes in [ReadOptions.defaultChunkBytes, 1, 2] {
            let loaded = try FeedReader.load(files: files, options: Self.options(chunkBytes: chunkBytes, threads: 2))
            let nul = loaded.report.findings("invalid_character").filter { $0.message.contains("NUL byte") }
            #expect(nul.map(\.line) == [3], "\(chunkBytes)-byte pieces")
        }
    }

    /// Found by the FuzzFeedLarge differential check (issue 17): the cut search toggled on every
    /// quote, the parser only on a quote that opens a field, so after a quote inside an unquoted
    /// value (`12" sub`) the pieces were cut inside rows, and the feed came out different. And
    /// the cut search read a byte-order mark as text, so a quote after it opened no field there,
    /// while the header's scanner (which skips the mark) opened one.
    @Test("quotes inside unquoted values and after closing quotes do not move the cuts",
          arguments: [("stop_times.txt", "0\",\"\n\""), ("shapes.txt", "\u{FEFF}\"\n\""),
                      ("stops.txt", "stop_id,stop_name,stop_desc\nA,12\" sub,\"two\nlines\"\nB,Beta,plain\r\n"
                          + "C,\"x \"\"y\"\" z\"tail\",more\nD, \"Delta\" ,\"end\"\nE,\"open\nF,Phi,x\n")])
    func quotesInsideValues(name: String, text: String) throws {
        let files = [name: Array(text.utf8)]
        let whole = try FeedReader.load(files: files, options: Self.options(chunkBytes: ReadOptions.defaultChunkBytes, threads: 1))
        for chunkBytes in 1...24 {
            let cut = try FeedReader.load(files: files, options: Self.options(chunkBytes: chunkBytes, threads: 2))
            #expect(cut.feed == whole.feed, "\(chunkBytes)-byte pieces")
            #expect(Self.lines(cut.feed) == Self.lines(whole.feed), "\(chunkBytes)-byte pieces")
            #expect(Self.sameFindings(cut.report, whole.report), "\(chunkBytes)-byte pieces")
        }
        if name == "stops.txt" {
            let stops = try #require(whole.feed.table("stops.txt"))
            #expect(stops.strings("stop_name")?[0] == "12\" sub")
            #expect(stops.strings("stop_desc")?[0] == "two\nlines")
        }
    }
}
