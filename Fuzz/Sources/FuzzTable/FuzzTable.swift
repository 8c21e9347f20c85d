// One CSV table's bytes → the GTFS table parser and the validator, through the in-memory feed
// entry point with a one-file feed (the table parser itself is internal). The first byte picks
// the file (its schema); the rest is the file's bytes.
import FuzzSupport
import GTFS

/// The files a first byte picks from: the four big ones first (most values of the byte pick
/// them), then every other schema.
let tables = [
    "stop_times.txt", "trips.txt", "stops.txt", "calendar.txt",
    "stop_times.txt", "trips.txt", "stops.txt", "calendar.txt",
    "routes.txt", "calendar_dates.txt", "shapes.txt", "frequencies.txt", "transfers.txt",
    "agency.txt", "feed_info.txt", "fare_attributes.txt", "fare_rules.txt", "pathways.txt",
    "levels.txt", "translations.txt", "attributions.txt", "board_alight.txt", "trip_capacity.txt",
    "rider_trip.txt", "ridership.txt", "ride_feed_info.txt", "areas.txt", "stop_areas.txt",
    "fare_media.txt", "fare_products.txt", "fare_leg_rules.txt", "fare_transfer_rules.txt",
    "timeframes.txt", "networks.txt", "route_networks.txt", "location_groups.txt",
    "location_group_stops.txt", "booking_rules.txt", "rider_categories.txt", "fare_leg_join_rules.txt",
]

/// As `transit gtfs validate` reads: validation on, a fixed "today" and a country for phones.
/// One thread: no thread is started per input (the loader parses on the calling thread and the
/// geometry rules run inline), which keeps the fuzzer fast.
let options: ReadOptions = {
    var o = ReadOptions(maxFindingsPerCode: 100, validate: true, today: GTFSDate(year: 2026, month: 6, day: 1),
                        countryCode: "US")
    o.threads = 1
    return o
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let name = tables[Int(data[0]) % tables.count]
    let bytes = inputBytes(data + 1, size - 1)
    _ = try? FeedReader.load(files: [name: bytes], label: "fuzz", options: options)
    return 0
}
