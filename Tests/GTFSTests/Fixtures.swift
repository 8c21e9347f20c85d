import Foundation
@testable import GTFS
import TestSupport

/// Small feeds written to a temporary folder, so each test states its data in code.
struct FeedFixture {
    let directory: URL

    /// A minimal valid feed: one agency, two stops, one route, one trip with two stop times,
    /// a weekday calendar. `overrides` replaces (or with an empty string removes) whole files.
    static let base = MinimalFeed.files

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
