import Foundation
@testable import GTFS
import TestSupport

/// Small feeds written to a temporary folder, so each test states its data in code.
struct FeedFixture {
    let directory: URL

    /// A minimal valid feed: one agency, two stops, one route, one trip with two stop times,
    /// a weekday calendar. `overrides` replaces (or with an empty string removes) whole files.
    static let base: [String: String] = [
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://a.example,Europe/Vilnius\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.1,25.1\nS2,Two,54.2,25.2\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n",
        "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n",
        "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang\nP,https://p.example,en\n",
    ]

    init(_ overrides: [String: String?] = [:]) throws {
        directory = try TemporaryFolder("transit-fixture").url
        var files = FeedFixture.base.mapValues { Optional($0) }
        for (k, v) in overrides { files[k] = v }
        for case let (name, content?) in files {
            try Data(content.utf8).write(to: directory.appendingPathComponent(name))
        }
    }

    /// Writes raw bytes as `name`.
    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    var path: String { directory.path }

    func load(_ options: ReadOptions = ReadOptions()) throws -> LoadedFeed {
        try FeedReader.load(path, options: options)
    }

    /// Writes `files` over the minimal feed, reads it with `options` and returns the report
    /// (the folder is removed).
    static func report(_ files: [String: String?], options: ReadOptions = ReadOptions()) throws -> ValidationReport {
        let f = try FeedFixture(files)
        defer { f.remove() }
        return try f.load(options).report
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

extension ValidationReport {
    /// The findings of one code.
    func findings(_ code: String) -> [Finding] { findings.filter { $0.code == code } }
    /// The lines of the findings of one code, ascending.
    func lines(_ code: String) -> [Int] { findings(code).compactMap(\.line).sorted() }
}
