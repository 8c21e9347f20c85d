// The loader's chunk cutting (LoadPipeline's cut scanner) and the in-order merging of chunk
// results (TableParser.merge), on hostile bytes, with a differential check: one table read in
// pieces of a fuzzer-chosen size (ReadOptions.chunkBytes, 1 to 1,021 bytes, two threads so
// pieces are parsed and merged out of order) must give exactly the feed, source lines and
// findings (by location, and their counts) of the same bytes read in one piece. A difference is
// a finding (abort).
//
// Input: byte 0 picks the file (low bits), byte 1 the piece size (1 + 4 × byte), the rest is the
// file. With pieces of a few bytes, a 2 KiB input has hundreds of cuts, wherever the fuzzer puts
// quotes, `\r\n`, multi-byte characters or a row longer than a piece; the real 512 KiB pieces
// differ only in size (the tests in ChunkingTests and ChunkSizeTests read files of megabytes).
import FuzzSupport
import GTFS

let tables = ["stop_times.txt", "stops.txt", "trips.txt", "shapes.txt", "calendar_dates.txt", "routes.txt",
              "board_alight.txt", "frequencies.txt"]

func options(chunkBytes: Int, threads: Int) -> ReadOptions {
    // Every finding kept (64 KiB cannot make a million): past the limit, which ones are kept
    // depends on the order found, which the piece size may change.
    var o = ReadOptions(maxFindingsPerCode: 1_000_000, validate: true, today: GTFSDate(year: 2026, month: 6, day: 1))
    o.chunkBytes = chunkBytes
    o.threads = threads
    return o
}

let whole = options(chunkBytes: ReadOptions.defaultChunkBytes, threads: 1)

/// Every row's source line of every table.
func lines(_ feed: Feed) -> [String: [Int?]] {
    var out: [String: [Int?]] = [:]
    for table in feed.orderedTables { out[table.name] = (0..<table.rowCount).map { table.line(of: $0) } }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 2 else { return 0 }
    let name = tables[Int(data[0]) % tables.count]
    let chunkBytes = 1 + 4 * Int(data[1])
    let files = [name: inputBytes(data + 2, size - 2)]
    let one = try? FeedReader.load(files: files, label: "fuzz", options: whole)
    let cut = try? FeedReader.load(files: files, label: "fuzz", options: options(chunkBytes: chunkBytes, threads: 2))
    switch (one, cut) {
    case (nil, nil):
        return 0
    case let (one?, cut?):
        if cut.feed != one.feed { setupFailed("\(name) in \(chunkBytes)-byte pieces: a different feed") }
        if lines(cut.feed) != lines(one.feed) { setupFailed("\(name) in \(chunkBytes)-byte pieces: different source lines") }
        // The findings, their counts and their order by location are the same; the order found
        // is not promised (a piece's rows are checked together).
        if cut.report.sortedByLocation != one.report.sortedByLocation || cut.report.counts != one.report.counts
            || cut.report.severityCounts != one.report.severityCounts {
            setupFailed("\(name) in \(chunkBytes)-byte pieces: different findings:\n\(cut.report.sortedByLocation)\nvs\n\(one.report.sortedByLocation)")
        }
    default:
        setupFailed("\(name) in \(chunkBytes)-byte pieces: one load failed and the other did not")
    }
    return 0
}
