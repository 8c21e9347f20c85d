import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

/// Builders for the tests: records, pricers, temporary files and ledgers.
enum Fixture {
    static func factors() throws -> FactorSet { try FactorSet.ukDESNZ2022 }
    static func policy() throws -> Policy { try Policy.standard }

    /// A policy from the default with some fields replaced.
    static func policy(gramsPerPoint: Int = 10, perTrip: Int = 5000, perRiderDay: Int = 10_000,
                       perModeDay: [String: Int] = [:], minDistance: [String: Int] = [:],
                       speed: [String: (Double, Double)] = [:], tolerance: Int = 600) throws -> Policy {
        func obj(_ d: [String: Int]) -> String { "{" + d.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ",") + "}" }
        let speeds = "{" + speed.sorted { $0.key < $1.key }.map { "\"\($0.key)\": {\"min\": \($0.value.0), \"max\": \($0.value.1)}" }.joined(separator: ",") + "}"
        let text = """
            {"version": "test-1", "grams_per_point": \(gramsPerPoint), "schedule_tolerance_seconds": \(tolerance),
             "min_distance_metres": \(obj(minDistance)),
             "caps": {"per_trip_grams": \(perTrip), "per_rider_day_grams": \(perRiderDay), "per_mode_day_grams": \(obj(perModeDay))},
             "speed_kmh": \(speeds)}
            """
        return try Policy.parse(text, file: "test-policy.json")
    }

    /// A non-transit record with a reported distance, starting 2024-05-06T07:00:00+08:00.
    static func trip(_ event: String, rider: String = "R1", mode: String, metres: Double, minutes: Int = 30,
                     start: String = "2024-05-06T07:00:00+08:00", line: Int = 2) -> TripRecord {
        var r = TripRecord(line: line, eventID: event, source: "app", riderID: rider)
        r.modeText = mode
        r.start = Timestamp.parseISO8601(start)
        r.end = r.start.map { Timestamp(epochSeconds: $0.epochSeconds + Int64(minutes * 60), offsetSeconds: $0.offsetSeconds) }
        r.distanceMetres = metres
        return r
    }

    static func priced(_ pricer: Pricer, _ r: TripRecord) throws -> PricedLeg {
        switch pricer.price(r) {
        case .success(let leg): return leg
        case .failure(let rej): throw rej
        }
    }

    /// A fresh folder under the temporary directory.
    static func folder() throws -> String {
        try TemporaryFolder("carbon-tests").path
    }

    static func write(_ text: String, name: String) throws -> String {
        let path = try folder() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every item of a log.
    static func read(_ path: String, format: TripLogFormat? = nil) throws -> [LogItem] {
        var reader = try TripLogReader(path: path, format: format)
        var out: [LogItem] = []
        while let item = reader.next() { out.append(item) }
        return out
    }

    /// The entries of a ledger without the commit times (which differ between runs).
    static func comparable(_ ledger: any Ledger) throws -> [String] {
        try ledger.entries().map { e in
            "\(e.id)|\(e.kind.rawValue)|\(e.key)|\(e.contentHash)|\(e.rider)|\(e.mode ?? "")|\(e.day ?? 0)|\(e.metres ?? -1)|\(e.gramsPriced)|\(e.grams)|\(e.points)|\(e.reverses ?? 0)|\(e.reason ?? "")"
        }
    }
}
