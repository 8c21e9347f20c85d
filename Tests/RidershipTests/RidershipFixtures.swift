import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing
import TestSupport

/// Small feeds for the ridership tests, written to a temporary folder so each test states its
/// data in code.
///
/// The line feed: stops S1-S4 due north of each other, 1000 m, 1500 m and 1500 m apart
/// (`shape_dist_traveled` in metres, so distances are exact); route R1 runs them both ways,
/// route RF is a frequency-based template trip TF over S1-S2.
///
/// | trip | route | dir | S1 | S2 | S3 | S4 |
/// |---|---|---|---|---|---|---|
/// | T1 | R1 | 0 | 08:00 | 08:10 | 08:20 | 08:30 |
/// | T2 | R1 | 0 | 08:40 | 08:50 | 08:59 | 09:02 |
/// | T3 | R1 | 1 | 08:35 | 08:25 | 08:15 | 08:05 (S4 first) |
/// | TF | RF | 0 | 00:00 | 00:05 | | |
enum LineFeed {
    /// Metres per degree of latitude on the sphere the network module uses.
    static let metresPerDegree = 6_371_008.8 * Double.pi / 180

    static func latitude(_ metres: Double) -> String {
        String(format: "%.9f", 54.0 + metres / metresPerDegree)
    }

    static let periods = "07:00-09:00,09:00-16:00"

    static var files: [String: String] {
        [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Line,https://example.org,UTC\n",
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nRF,A,F,3\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                + "S1,One,\(latitude(0)),25.0\nS2,Two,\(latitude(1000)),25.0\nS3,Three,\(latitude(2500)),25.0\nS4,Four,\(latitude(4000)),25.0\n",
            "trips.txt": "route_id,service_id,trip_id,direction_id\nR1,WD,T1,0\nR1,WD,T2,0\nR1,WD,T3,1\nRF,WD,TF,0\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled
                T1,08:00:00,08:00:00,S1,1,0
                T1,08:10:00,08:10:00,S2,2,1000
                T1,08:20:00,08:20:00,S3,3,2500
                T1,08:30:00,08:30:00,S4,4,4000
                T2,08:40:00,08:40:00,S1,1,0
                T2,08:50:00,08:50:00,S2,2,1000
                T2,08:59:00,08:59:00,S3,3,2500
                T2,09:02:00,09:02:00,S4,4,4000
                T3,08:05:00,08:05:00,S4,1,0
                T3,08:15:00,08:15:00,S3,2,1500
                T3,08:25:00,08:25:00,S2,3,3000
                T3,08:35:00,08:35:00,S1,4,4000
                TF,00:00:00,00:00:00,S1,1,0
                TF,00:05:00,00:05:00,S2,2,1000

                """,
            "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nTF,06:00:00,22:00:00,1800\n",
        ]
    }

    /// Counts without defects: T1 on two dates, T2 on the first only, T3 on the first.
    ///
    /// T1 on 2026-03-10: S1 +10, S2 +5 −3, S3 +2 −8, S4 −6 → loads 10, 12, 6, 0.
    /// T1 on 2026-03-11: S1 +20, S2 +4 −5, S3 −10, S4 −9 → loads 20, 19, 9, 0.
    /// T2 on 2026-03-10: S1 +4, S2 +2 −1, S3 +1 −2, S4 −4 → loads 4, 5, 4, 0.
    /// T3 on 2026-03-10: S4 +3, S3 +1 −1, S2 −2, S1 −1 → loads 3, 3, 1, 0.
    static let cleanCounts = """
        trip_id,stop_id,stop_sequence,record_use,boardings,alightings,load_count,load_type,service_date
        T1,S1,1,0,10,0,10,1,20260310
        T1,S2,2,0,5,3,12,1,20260310
        T1,S3,3,0,2,8,6,1,20260310
        T1,S4,4,0,0,6,0,1,20260310
        T1,S1,1,0,20,0,20,1,20260311
        T1,S2,2,0,4,5,19,1,20260311
        T1,S3,3,0,0,10,9,1,20260311
        T1,S4,4,0,0,9,0,1,20260311
        T2,S1,1,0,4,0,4,1,20260310
        T2,S2,2,0,2,1,5,1,20260310
        T2,S3,3,0,1,2,4,1,20260310
        T2,S4,4,0,0,4,0,1,20260310
        T3,S4,1,0,3,0,3,1,20260310
        T3,S3,2,0,1,1,3,1,20260310
        T3,S2,3,0,0,2,1,1,20260310
        T3,S1,4,0,0,1,0,1,20260310

        """

    /// Writes the line feed (plus `extra` files) to a temporary folder and returns its path.
    static func write(_ extra: [String: String] = [:]) throws -> String {
        let dir = try TemporaryFolder("ridership").url
        var all = files
        for (k, v) in extra { all[k] = v }
        for (name, text) in all {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    /// Writes one file into a fresh temporary folder and returns its path.
    static func writeFile(_ name: String, _ text: String) throws -> String {
        let dir = try TemporaryFolder("ridership-file").url
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Loads the line feed with `extra` files.
    static func load(_ extra: [String: String] = [:]) throws -> LoadedFeed {
        let path = try write(extra)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try FeedReader.load(path)
    }

    /// The line feed's periods.
    static func parsedPeriods() throws -> [Period] { try Period.parse(periods) }
}

/// The sample feed, loaded once for every ridership test.
enum SampleCity {
    static let loaded: LoadedFeed? = try? FeedReader.load(SharedData.samplePath)
}

/// Compares two numbers within `tolerance`.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}
