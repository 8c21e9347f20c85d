import Foundation
import GTFS
import Testing

/// Finds the shared, read-only test feeds (`shared/gtfs-feeds/NAME/NAME.zip`), as
/// `Tests/GTFSTests/SharedFeeds.swift` does: `$TRANSIT_SHARED_DIR` when set, else `../shared`
/// beside the package. Tests skip when the folder is absent, except under `CI=true`, where
/// ``require(sourceLocation:)`` records an issue so the run fails.
enum NetworkSharedFeeds {
    /// Whether the tests run under continuous integration (`CI=true`).
    static let isCI: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The folder holding `Package.swift`, found by walking up from this file.
    static let packageRoot: String? = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()

    /// Where the shared folder should be, whether or not it exists.
    static let expectedRoot: String? = {
        if let explicit = ProcessInfo.processInfo.environment["TRANSIT_SHARED_DIR"], !explicit.isEmpty {
            return explicit
        }
        guard let packageRoot else { return nil }
        return URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared").standardizedFileURL.path
    }()

    /// The shared folder, when it exists and holds `gtfs-feeds/`.
    static let root: String? = {
        guard let expectedRoot else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expectedRoot + "/gtfs-feeds", isDirectory: &isDirectory),
              isDirectory.boolValue else { return nil }
        return expectedRoot
    }()

    /// Whether tests that need the shared data should run (they do under CI, to fail there).
    static let runnable: Bool = root != nil || isCI

    /// The shared folder, or `nil` after recording an issue under CI when it is missing.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let root { return root }
        if isCI {
            Issue.record(
                "shared test data not found at \(expectedRoot ?? "<no package root>") (CI=true, so this fails): set TRANSIT_SHARED_DIR or check out shared/ beside the package",
                sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Loads `gtfs-feeds/NAME/NAME.zip` without validation, or `nil` (after recording an issue
    /// under CI) when the shared folder is missing.
    static func load(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Feed? {
        guard let root = require(sourceLocation: sourceLocation) else { return nil }
        return try FeedReader.load("\(root)/gtfs-feeds/\(name)/\(name).zip", options: ReadOptions(validate: false)).feed
    }

    /// The sample feed the project ships.
    static func sampleFolder() throws -> String {
        let root = try #require(packageRoot, "no package root above the test file")
        return root + "/gtfs/sample-city"
    }
}
