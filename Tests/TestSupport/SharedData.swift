public import Foundation

/// Where the tests find their data, in one place for every test target: the package root (for
/// the shipped sample feed and the built `transit` binary) and the shared, read-only real
/// feeds (`$TRANSIT_SHARED_DIR`, else `../shared` beside the package).
///
/// Tests that need the shared feeds skip when they are absent, except under `CI=true`, where
/// the callers record an issue with ``missingMessage`` so the run fails.
public enum SharedData {
    /// Whether the tests run under continuous integration (`CI=true`).
    public static let isCI: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The folder holding `Package.swift`, found by walking up from this file.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    /// Where the shared folder should be, whether or not it exists.
    public static let expectedRoot: String = {
        if let explicit = ProcessInfo.processInfo.environment["TRANSIT_SHARED_DIR"], !explicit.isEmpty {
            return explicit
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL.path
    }()

    /// The shared folder, when it exists and holds `gtfs-feeds/`.
    public static let root: String? = {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expectedRoot + "/gtfs-feeds", isDirectory: &isDirectory),
              isDirectory.boolValue else { return nil }
        return expectedRoot
    }()

    /// `shared/gtfs-feeds`, when present.
    public static var feeds: String? { root.map { $0 + "/gtfs-feeds" } }

    /// Whether tests that need the shared data should run: when it is there, and under CI
    /// (where its absence must fail the run).
    public static let runnable: Bool = root != nil || isCI

    /// What to record when the shared data is missing under CI.
    public static let missingMessage =
        "shared test data not found at \(expectedRoot) (CI=true, so this fails): set TRANSIT_SHARED_DIR or check out shared/ beside the package"

    /// The path of shared feed `name` (`gtfs-feeds/NAME/NAME.zip`), when the folder is there.
    public static func feedPath(_ name: String) -> String? {
        feeds.map { "\($0)/\(name)/\(name).zip" }
    }

    /// The sample feed the project ships.
    public static var samplePath: String { packageRoot.appendingPathComponent("gtfs/sample-city").path }
}
