import Foundation
import GTFS
import Testing
import TestSupport

/// Finds the shared, read-only test data (`shared/gtfs-feeds/…`) and loads feeds from it.
///
/// The folder is `$TRANSIT_SHARED_DIR` when that is set, else `<package root>/../shared`, the
/// package root being the nearest folder above this source file that holds `Package.swift`.
/// When the folder is absent, tests that need it skip quietly, except under `CI=true`, where
/// ``require(sourceLocation:)`` records an issue so the run fails. Nothing is ever copied
/// from the shared folder into the project.
enum SharedFeeds {
    /// Whether the tests run under continuous integration (`CI=true`).
    static var isCI: Bool { SharedData.isCI }

    /// The shared folder, when it exists and holds `gtfs-feeds/` (see ``SharedData``).
    static var root: String? { SharedData.root }

    /// Whether tests that need the shared data should run: they do when the data is there,
    /// and under CI (where its absence must fail the run).
    static var runnable: Bool { SharedData.runnable }

    /// The reason shown when tests are skipped for lack of data.
    static let skipReason: Comment = "shared test data not found (set TRANSIT_SHARED_DIR or put shared/ beside the package)"

    /// The shared folder, or `nil` after recording an issue under CI when it is missing.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let root { return root }
        if isCI { Issue.record(Comment(rawValue: SharedData.missingMessage), sourceLocation: sourceLocation) }
        return nil
    }

    /// `shared/gtfs-feeds`.
    static var feedsFolder: String? { SharedData.feeds }

    /// The path of `NAME/NAME.zip`.
    static func feedZip(_ name: String) -> String? {
        SharedData.feedPath(name)
    }

    /// The path of `broken/NAME.zip`.
    static func brokenZip(_ name: String) -> String? {
        feedsFolder.map { "\($0)/broken/\(name).zip" }
    }

    /// The feed folders (`shared/gtfs-feeds/*/` except `broken/`), sorted.
    static let feedFolderNames: [String] = {
        guard let folder = feedsFolder,
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return name != "broken" && !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }()

    /// The cases in `shared/gtfs-feeds/broken/` (file names without `.zip`), sorted.
    static let brokenCaseNames: [String] = {
        guard let folder = feedsFolder,
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder + "/broken") else { return [] }
        return names.filter { $0.hasSuffix(".zip") }.map { String($0.dropLast(4)) }.sorted()
    }()

    // MARK: Manifest

    /// The row count the manifest states for one file.
    enum ExpectedRows: Sendable, Equatable, CustomStringConvertible {
        /// "–": the file is not in the feed.
        case absent
        /// The number of data rows (0 = header only).
        case rows(Int)

        var description: String {
            switch self {
            case .absent: "absent"
            case .rows(let n): "\(n) rows"
            }
        }
    }

    /// One row of the feed table in `MANIFEST.md`.
    struct ManifestEntry: Sendable {
        var tier: String
        var name: String
        /// Expected rows per file name (`stops.txt` …), for the counted files.
        var rows: [String: ExpectedRows]
    }

    /// The files whose row counts the manifest lists, by column title.
    static let countedFiles = ["stops", "routes", "trips", "stop_times", "shapes", "calendar",
                               "calendar_dates", "frequencies", "transfers"]

    /// The manifest's feed table, parsed, and any problems met while parsing it.
    static let manifest: (entries: [ManifestEntry], problems: [String]) = {
        guard let folder = feedsFolder else { return ([], ["no shared data"]) }
        guard let text = try? String(contentsOfFile: folder + "/MANIFEST.md", encoding: .utf8) else {
            return ([], ["cannot read \(folder)/MANIFEST.md"])
        }
        return parseManifest(text)
    }()

    /// The feed names the manifest lists (parameterises the real-feed tests).
    static let manifestFeedNames: [String] = manifest.entries.map(\.name)

    /// Tiers of real feeds (a tiny classic sample, b mid-size, c largest, e GTFS-ride sample).
    static let realTiers: Set<String> = ["a", "b", "c", "e"]

    /// The manifest entry of `name`.
    static func manifestEntry(_ name: String) -> ManifestEntry? {
        manifest.entries.first { $0.name == name }
    }

    /// Parses the markdown table whose header has `tier`, `NAME…` and the counted files.
    /// Counts may carry thousands separators (`445,217`); `–` (or `-`) means absent.
    static func parseManifest(_ text: String) -> (entries: [ManifestEntry], problems: [String]) {
        func cells(_ line: String) -> [String] {
            var s = line.trimmingCharacters(in: .whitespaces)
            if s.hasPrefix("|") { s.removeFirst() }
            if s.hasSuffix("|") { s.removeLast() }
            return s.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var entries: [ManifestEntry] = []
        var problems: [String] = []
        var header: [String]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|") else {
                if header != nil && !entries.isEmpty { break } // the table ended
                continue
            }
            let row = cells(trimmed)
            guard let columns = header else {
                if row.first == "tier", countedFiles.allSatisfy(row.contains) { header = row }
                continue
            }
            if row.allSatisfy({ $0.allSatisfy { "-:".contains($0) } }) { continue } // |---|---|
            guard row.count == columns.count else {
                problems.append("row has \(row.count) cells, header \(columns.count): \(trimmed)")
                continue
            }
            guard let nameColumn = columns.firstIndex(where: { $0.hasPrefix("NAME") }) else {
                problems.append("no NAME column in the header")
                break
            }
            var entry = ManifestEntry(tier: row[0], name: row[nameColumn], rows: [:])
            for file in countedFiles {
                guard let k = columns.firstIndex(of: file) else { continue }
                let cell = row[k]
                if cell == "–" || cell == "-" || cell == "—" {
                    entry.rows[file + ".txt"] = .absent
                } else if let n = Int(cell.replacingOccurrences(of: ",", with: "")) {
                    entry.rows[file + ".txt"] = .rows(n)
                } else {
                    problems.append("\(entry.name): cannot read the \(file) count '\(cell)'")
                }
            }
            entries.append(entry)
        }
        if header == nil { problems.append("no table with a 'tier' column and the counted files") }
        return (entries, problems)
    }

    // MARK: Loading

    /// Loads a feed of the shared folder (a path relative to `gtfs-feeds/`, or absolute) once
    /// per test run; later callers share the first load.
    static func load(_ relativePath: String) async throws(GTFSError) -> LoadedFeed {
        let path = relativePath.hasPrefix("/") ? relativePath : (feedsFolder ?? "") + "/" + relativePath
        return try await FeedCache.shared.load(path)
    }

    /// Loads `NAME/NAME.zip` once per test run.
    static func loadFeed(_ name: String) async throws(GTFSError) -> LoadedFeed {
        try await load("\(name)/\(name).zip")
    }
}

/// Loads each feed once per test run, however many tests ask for it (concurrent callers
/// wait for the one load in progress).
actor FeedCache {
    static let shared = FeedCache()

    private var loads: [String: Task<Result<LoadedFeed, GTFSError>, Never>] = [:]

    func load(_ path: String) async throws(GTFSError) -> LoadedFeed {
        let task: Task<Result<LoadedFeed, GTFSError>, Never>
        if let running = loads[path] {
            task = running
        } else {
            task = Task.detached {
                Result { () throws(GTFSError) -> LoadedFeed in try FeedReader.load(path) }
            }
            loads[path] = task
        }
        return try await task.value.get()
    }
}
