// GTFS-ride counts and taps → Ridership, against the sample feed loaded once (without its own
// counts, and thinned to one trip in eight: see `thinned`): byte 0 even: the input is a
// `board_alight.txt` given by path (RidershipInput.load, then RidershipAnalysis, as `transit plan --board-alight` reads it); 1 (mod 4): a load table
// (LoadTable, as `transit plan --load-table`), over the network's standard periods; 3 (mod 4):
// a taps file (CSV or JSON Lines) read by TapFile and inferred by TapInference on 2026-03-10,
// as `transit ridership infer` does, with its loads checked (never negative, zero at the end).
import FuzzSupport
import GTFS
import Ridership
import TransitNetwork

/// The sample feed without `board_alight.txt`, and the network structures built once.
struct Sample: Sendable {
    let loaded: LoadedFeed
    let patterns: RoutePatterns
    let directions: TripDirections
    let distances: ShapeDistances
    let lengths: RouteLengths
    let periods: [Period]
    /// Tap inference prepared for 2026-03-10 (service-day midnight in America/Chicago, UTC-5).
    let taps: TapInference
}

let sample: Sample = {
    let root = sampleFeedPath()
    var files: [String: [UInt8]] = [:]
    for name in ["agency.txt", "calendar.txt", "calendar_dates.txt", "feed_info.txt", "frequencies.txt", "routes.txt",
                 "shapes.txt", "stop_times.txt", "stops.txt", "trips.txt", "trip_capacity.txt", "ride_feed_info.txt"] {
        guard let bytes = readAll(root + "/" + name) else { setupFailed("cannot read \(root)/\(name)") }
        files[name] = bytes
    }
    files = thinned(files, keepingOneTripIn: 8)
    let loaded: LoadedFeed
    do { loaded = try FeedReader.load(files: files, label: root, options: ReadOptions(validate: false)) } catch {
        setupFailed("cannot load the sample feed: \(error)")
    }
    let feed = loaded.feed
    let patterns = RoutePatterns(feed: feed)
    let directions = TripDirections(feed: feed, patterns: patterns)
    let distances = ShapeDistances(feed: feed, patterns: patterns)
    let periods: [Period]
    do { periods = try Period.parse(NetworkDefaults.periods) } catch { setupFailed("periods: \(error)") }
    guard let tapDate = GTFSDate(year: 2026, month: 3, day: 10) else { setupFailed("the taps' date") }
    return Sample(loaded: loaded, patterns: patterns, directions: directions, distances: distances,
                  lengths: RouteLengths(feed: feed, patterns: patterns, distances: distances, directions: directions),
                  periods: periods,
                  taps: TapInference(feed: feed, date: tapDate, serviceDayStart: Int64(tapDate.daysSinceEpoch) * 86_400 + 5 * 3600))
}()

/// `files` with one trip in `n` of `trips.txt` (and every trip `frequencies.txt` names), and
/// only their rows of `stop_times.txt`, `trip_capacity.txt` and `frequencies.txt`.
///
/// Every stop, route, shape and service stays, so the corpus's identifiers keep meaning the
/// same things; but the per-input work that scales with the feed (attaching a table builds the
/// trip and stop code maps; tap inference sizes its counts by the day's stop times) shrinks about
/// eightfold, and the fuzzer runs about twice as fast. The sample has no quoted fields in these
/// files (checked: a quote stops the run).
func thinned(_ files: [String: [UInt8]], keepingOneTripIn n: Int) -> [String: [UInt8]] {
    func rows(_ name: String) -> (header: Substring, rows: [Substring], column: Int) {
        guard let bytes = files[name] else { setupFailed("no \(name)") }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !text.contains("\"") else { setupFailed("\(name) has a quoted field") }
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { setupFailed("\(name) is empty") }
        let header = lines.removeFirst()
        guard let column = header.split(separator: ",", omittingEmptySubsequences: false).firstIndex(of: "trip_id") else {
            setupFailed("\(name) has no trip_id")
        }
        return (header, lines, column)
    }
    func tripID(_ row: Substring, _ column: Int) -> Substring {
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        return column < fields.count ? fields[column] : ""
    }
    let frequencies = rows("frequencies.txt")
    let trips = rows("trips.txt")
    var kept = Set(frequencies.rows.map { tripID($0, frequencies.column) })
    for (i, row) in trips.rows.enumerated() where i % n == 0 { kept.insert(tripID(row, trips.column)) }
    var out = files
    for name in ["trips.txt", "stop_times.txt", "trip_capacity.txt", "frequencies.txt"] {
        let table = rows(name)
        let keptRows = table.rows.filter { kept.contains(tripID($0, table.column)) }
        out[name] = Array(([table.header] + keptRows).joined(separator: "\n").utf8) + [0x0A]
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let s = sample
    let bytes = inputBytes(data + 1, size - 1)
    if data[0] & 3 == 3 {
        let path = scratchFolder + "/taps.csv"
        guard writeScratch(path, bytes) else { setupFailed("cannot write \(path)") }
        var inference = s.taps // a copy of the prepared schedule (copy on write): no per-input setup
        do {
            try TapFile.read(path: path) { item in
                switch item {
                case .success(let tap): inference.add(tap)
                case .failure(let r): inference.reject(r)
                }
            }
        } catch {
            return 0
        }
        inference.infer()
        for t in inference.tripCounts {
            // The expansion promises conservative loads: a broken promise is a finding.
            if !t.loads.allSatisfy({ $0 >= 0 }) || t.loads.last ?? 0 != 0 { setupFailed("loads not conservative on trip \(t.trip): \(t.loads)") }
        }
        return 0
    }
    if data[0] & 1 == 1 {
        let table = LoadTable(bytes: bytes, file: "load.csv", periods: s.periods, feed: s.loaded.feed, lengths: s.lengths)
        _ = table.demand.count + table.issues.count
        return 0
    }
    let path = scratchFolder + "/board_alight.txt"
    guard writeScratch(path, bytes) else { setupFailed("cannot write \(path)") }
    guard let input = try? RidershipInput.load(feed: s.loaded.feed, report: s.loaded.report, boardAlightPath: path) else { return 0 }
    _ = try? RidershipAnalysis(input: input, periods: s.periods, patterns: s.patterns, directions: s.directions,
                               distances: s.distances)
    return 0
}
