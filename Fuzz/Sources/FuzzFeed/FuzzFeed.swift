// A whole feed: the input split into files → FeedReader.load(files:) with validation on, as
// `transit gtfs validate` reads a folder. A line `#FILE name` starts the file `name` (any
// name: GTFS files, unknown files, `sub/stops.txt`, `locations.geojson`); bytes before the
// first such line are `stops.txt`. The fuzz dictionary holds the markers.
import FuzzSupport
import GTFS

/// One thread: no thread is started per input (the loader parses on the calling thread and the
/// geometry rules run inline), which keeps the fuzzer fast.
let options: ReadOptions = {
    var o = ReadOptions(maxFindingsPerCode: 100, validate: true, today: GTFSDate(year: 2026, month: 6, day: 1),
                        countryCode: "US")
    o.threads = 1
    return o
}()

let marker: [UInt8] = Array("#FILE ".utf8)

/// The files of `bytes`: split at lines starting with `#FILE `; the later of two same-named
/// files wins.
func split(_ bytes: [UInt8]) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    var name = "stops.txt"
    var start = 0
    var i = 0
    func isMarker(at p: Int) -> Bool {
        guard p + marker.count <= bytes.count, p == 0 || bytes[p - 1] == 0x0A else { return false }
        for k in 0..<marker.count where bytes[p + k] != marker[k] { return false }
        return true
    }
    while i < bytes.count {
        if isMarker(at: i) {
            if i > start || start > 0 { files[name] = Array(bytes[start..<i]) }
            var end = i + marker.count
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            name = String(decoding: bytes[(i + marker.count)..<end], as: UTF8.self)
            start = min(end + 1, bytes.count)
            i = start
            continue
        }
        i += 1
    }
    files[name] = Array(bytes[start..<bytes.count])
    return files
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let files = split(inputBytes(data, size))
    _ = try? FeedReader.load(files: files, label: "fuzz", options: options)
    return 0
}
