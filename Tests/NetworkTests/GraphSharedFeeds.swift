import Foundation
import GTFS
import Testing

/// Locates the feeds the graph and distance tests read: the shipped sample feed, and the
/// shared real feeds (`$TRANSIT_SHARED_DIR`, else `../shared` beside the package). Without the
/// shared folder the real-feed tests skip, except under `CI=true`, where they fail.
enum GraphFeeds {
    /// The folder holding Package.swift, found by walking up from this file.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    /// Whether the tests run under continuous integration.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// `shared/gtfs-feeds`, when present.
    static let sharedFeeds: String? = {
        let env = ProcessInfo.processInfo.environment["TRANSIT_SHARED_DIR"]
        let root = (env?.isEmpty == false ? env : nil)
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
        let dir = root + "/gtfs-feeds"
        return FileManager.default.fileExists(atPath: dir) ? dir : nil
    }()

    /// Whether real-feed tests should run (they do under CI, to fail when data is missing).
    static let runnable = sharedFeeds != nil || isCI

    /// The path of the sample feed shipped with the project.
    static var samplePath: String { packageRoot.appendingPathComponent("gtfs/sample-city").path }

    /// The sample feed, loaded once.
    static let sample: Feed? = try? FeedReader.load(samplePath, options: ReadOptions(validate: false)).feed

    /// Loads shared feed `name` (`NAME/NAME.zip`), or records an issue under CI.
    static func shared(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Feed? {
        guard let dir = sharedFeeds else {
            if isCI { Issue.record("shared feeds not found (CI=true)", sourceLocation: sourceLocation) }
            return nil
        }
        return try FeedReader.load("\(dir)/\(name)/\(name).zip", options: ReadOptions(validate: false)).feed
    }

    /// Writes `files` (name → CSV text) into a fresh temporary folder and loads it.
    static func tiny(_ files: [String: String]) throws -> Feed {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("graph-tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
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
