import Foundation
import GTFS
import Testing
import TestSupport

/// The feeds the network tests read, located by ``SharedData``: the shipped sample feed, and
/// the shared real feeds (`$TRANSIT_SHARED_DIR`, else `../shared` beside the package). Without
/// the shared folder the real-feed tests skip, except under `CI=true`, where they fail.
enum GraphFeeds {
    /// The folder holding Package.swift.
    static var packageRoot: URL { SharedData.packageRoot }

    /// Whether the tests run under continuous integration.
    static var isCI: Bool { SharedData.isCI }

    /// `shared/gtfs-feeds`, when present.
    static var sharedFeeds: String? { SharedData.feeds }

    /// Whether real-feed tests should run (they do under CI, to fail when data is missing).
    static var runnable: Bool { SharedData.runnable }

    /// The path of the sample feed shipped with the project.
    static var samplePath: String { SharedData.samplePath }

    /// The sample feed, loaded once.
    static let sample: Feed? = try? FeedReader.load(samplePath, options: ReadOptions(validate: false)).feed

    /// Loads shared feed `name` (`NAME/NAME.zip`), or records an issue under CI.
    static func shared(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Feed? {
        guard let dir = sharedFeeds else {
            if isCI { Issue.record(Comment(rawValue: SharedData.missingMessage), sourceLocation: sourceLocation) }
            return nil
        }
        return try FeedReader.load("\(dir)/\(name)/\(name).zip", options: ReadOptions(validate: false)).feed
    }

    /// Writes `files` (name → CSV text) into a fresh temporary folder and loads it.
    static func tiny(_ files: [String: String]) throws -> Feed {
        let scratch = try TemporaryFolder("graph-tiny")
        defer { scratch.remove() }
        let dir = scratch.url
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try FeedReader.load(dir.path, options: ReadOptions(validate: false)).feed
    }

    /// The minimal files around stops, trips and stop times for a tiny feed.
    static func tinyFeed(stops: String, trips: String, stopTimes: String, extra: [String: String] = [:]) throws -> Feed {
        var files = [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Tiny,https://example.org,UTC\n",
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,R,3\nQ,A,Q,3\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nS,1,1,1,1,1,1,1,20260101,20261231\n",
            "stops.txt": stops,
            "trips.txt": trips,
            "stop_times.txt": stopTimes,
        ]
        for (k, v) in extra { files[k] = v }
        return try tiny(files)
    }
}
