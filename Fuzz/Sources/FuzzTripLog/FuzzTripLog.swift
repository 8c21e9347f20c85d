// Trip logs → Carbon's TripLogReader (CSV, GTFS-ride `rider_trip.txt`, JSON Lines), then every
// accepted record priced against the sample feed, as `transit carbon credit --feed` does.
// Byte 0 picks the form: the log is written to a file in /dev/shm (the reader takes a path)
// named `log.csv`, `log.jsonl` or `rider_trip.txt`, read with or without a pseudonymizer.
import Carbon
import FuzzPricing
import FuzzSupport
import GTFS
import TransitNetwork

let pricer = samplePricer

let pseudonymizer = fuzzPseudonymizer

let names = ["log.csv", "log.jsonl", "rider_trip.txt", "log.ndjson"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let path = scratchFolder + "/" + names[Int(data[0] & 3)]
    guard writeScratch(path, inputBytes(data + 1, size - 1)) else { setupFailed("cannot write \(path)") }
    let format: TripLogFormat? = data[0] & 8 == 0 ? nil : .csv
    var reader: TripLogReader
    do { reader = try TripLogReader(path: path, format: format, pseudonymizer: data[0] & 4 == 0 ? nil : pseudonymizer) } catch {
        return 0
    }
    while let item = reader.next() {
        if case .record(let record) = item { _ = pricer.price(record) }
    }
    return 0
}
