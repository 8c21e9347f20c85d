import Foundation
import GTFS
import Testing
import TestSupport

/// Finds the shared, read-only test feeds (`shared/gtfs-feeds/NAME/NAME.zip`), as
/// `Tests/GTFSTests/SharedFeeds.swift` does: `$TRANSIT_SHARED_DIR` when set, else `../shared`
/// beside the package. Tests skip when the folder is absent, except under `CI=true`, where
/// ``require(sourceLocation:)`` records an issue so the run fails.
enum NetworkSharedFeeds {
    /// Whether the tests run under continuous integration (`CI=true`).
    static var isCI: Bool { SharedData.isCI }

    /// The folder holding `Package.swift`.
    static var packageRoot: String? { SharedData.packageRoot.path }

    /// The shared folder, when it exists and holds `gtfs-feeds/`.
    static var root: String? { SharedData.root }

    /// Whether tests that need the shared data should run (they do under CI, to fail there).
    static var runnable: Bool { SharedData.runnable }

    /// The shared folder, or `nil` after recording an issue under CI when it is missing.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let root { return root }
        if isCI { Issue.record(Comment(rawValue: SharedData.missingMessage), sourceLocation: sourceLocation) }
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
        SharedData.samplePath
    }
}
