// Large tables from small inputs, so that the loader's chunk cutting (LoadPipeline.safeCut, at
// 512 KiB) and the merging of chunk results (TableParser.merge) run on hostile bytes.
//
// Input: byte 0 picks the file (low bits) and the size (bit 7: past 1.2 MiB, three chunks;
// else past 600 KiB, two chunks — twice as fast); bytes 1–2 (little-endian) a phase; then the
// file's header line and a body. The table is the header, the body's bytes from the phase on
// once, then the body repeated until the file passes the size, so a chunk boundary lands
// wherever the fuzzer wants (quotes, `\r\n`, multi-byte characters, a field spanning the cut).
import FuzzSupport
import GTFS

let tables = ["stop_times.txt", "stops.txt", "trips.txt", "shapes.txt", "calendar_dates.txt", "routes.txt",
              "board_alight.txt", "frequencies.txt"]
/// Two threads, so chunks are parsed and merged out of order as on a real machine.
let options: ReadOptions = {
    var o = ReadOptions(maxFindingsPerCode: 100, validate: true, today: GTFSDate(year: 2026, month: 6, day: 1))
    o.threads = 2
    return o
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 3 else { return 0 }
    let name = tables[Int(data[0] & 0x7F) % tables.count]
    let target = data[0] & 0x80 == 0 ? 600 * 1024 : 1_200 * 1024
    let phase = Int(data[1]) | Int(data[2]) << 8
    let rest = inputBytes(data + 3, size - 3)
    let newline = rest.firstIndex(of: 0x0A) ?? rest.count
    let header = rest[..<min(newline + 1, rest.count)]
    let body = rest[min(newline + 1, rest.count)...]
    var file: [UInt8] = []
    file.reserveCapacity(target + body.count + header.count)
    file.append(contentsOf: header)
    if !body.isEmpty {
        file.append(contentsOf: body.dropFirst(phase % body.count))
        while file.count < target { file.append(contentsOf: body) }
    }
    _ = try? FeedReader.load(files: [name: file], label: "fuzz", options: options)
    return 0
}
