import Foundation
import GTFS
import Testing
import TestSupport

/// Reading a feed, writing it (as a folder or a .zip) and reading it back gives an equal
/// ``Feed``; the writer is atomic.
@Suite("Round trips of real feeds", .enabled(if: SharedFeeds.runnable, SharedFeeds.skipReason))
struct RoundTripTests {
    /// Feeds to round-trip, relative to `shared/gtfs-feeds/`. example-errors has unknown files
    /// (LICENSE.txt, malformed.txt with broken quoting) and ragged rows.
    static let feeds = [
        "google-sample-feed/google-sample-feed.zip",
        "bart-2018/bart-2018.zip",
        "cdmx-2018/cdmx-2018.zip",
        "kaunas-2016/kaunas-2016.zip",
        "wmata-2026/wmata-2026.zip",
        "broken/transitland-example-errors.zip",
    ]

    /// Re-reading only needs the parse; the cross-file checks do not change the feed.
    static let reread = ReadOptions(validate: false)

    static let unzipPath = "/usr/bin/unzip"

    @Test("read → write folder → read gives an equal feed", arguments: feeds)
    func folderRoundTrip(feedPath: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        let original = try await SharedFeeds.load(feedPath).feed
        let scratch = try TemporaryFolder("roundtrip-dir")
        defer { scratch.remove() }
        let out = scratch.file("feed")
        try FeedWriter.write(original, to: out)
        let back = try FeedReader.load(out, options: Self.reread)
        #expect(back.feed == original, "\(feedPath): \(Self.differences(original, back.feed))")
        #expect(back.subfolder == nil)
        // What we write is well-formed CSV, whatever the input was.
        #expect(back.report.counts["invalid_row_length"] == nil, "\(feedPath)")
        #expect(back.report.counts["csv_parsing_failed"] == nil, "\(feedPath)")
        #expect(scratch.contents() == ["feed"], "no temporary folders left beside the output")
    }

    @Test("read → write .zip → read gives an equal feed; unzip -t accepts the archive", arguments: feeds)
    func zipRoundTrip(feedPath: String) async throws {
        guard SharedFeeds.require() != nil else { return }
        let original = try await SharedFeeds.load(feedPath).feed
        let scratch = try TemporaryFolder("roundtrip-zip")
        defer { scratch.remove() }
        let out = scratch.file("feed.zip")
        try FeedWriter.write(original, to: out)
        let back = try FeedReader.load(out, options: Self.reread)
        #expect(back.feed == original, "\(feedPath): \(Self.differences(original, back.feed))")
        #expect(back.report.counts["invalid_row_length"] == nil, "\(feedPath)")
        #expect(scratch.contents() == ["feed.zip"], "no temporary files left beside the output")

        if FileManager.default.isExecutableFile(atPath: Self.unzipPath) {
            let (status, output) = try Self.run(Self.unzipPath, ["-t", "-qq", out])
            #expect(status == 0, "unzip -t \(feedPath): \(output)")
        } else if SharedFeeds.isCI {
            Issue.record("\(Self.unzipPath) not found; CI needs Info-ZIP unzip")
        }
    }

    @Test("Unknown files come back byte for byte")
    func extraFilesKept() async throws {
        guard SharedFeeds.require() != nil else { return }
        let original = try await SharedFeeds.load("broken/transitland-example-errors.zip").feed
        let names = original.extraFiles.map(\.name).sorted()
        #expect(names.contains("malformed.txt") && names.contains("LICENSE.txt"), "\(names)")
        let scratch = try TemporaryFolder("roundtrip-extra")
        defer { scratch.remove() }
        try FeedWriter.write(original, to: scratch.file("out"))
        for extra in original.extraFiles {
            let written = try #require(FileManager.default.contents(atPath: scratch.file("out/" + extra.name)))
            #expect([UInt8](written) == extra.bytes, "\(extra.name)")
        }
    }

    // MARK: Atomic writing

    /// A small feed to write in the atomicity tests.
    static func smallFeed() async throws -> Feed {
        try await SharedFeeds.loadFeed("google-sample-feed").feed
    }

    @Test("Writing a folder inside a missing parent folder throws writeFailed and creates nothing")
    func folderInMissingParent() async throws {
        guard SharedFeeds.require() != nil else { return }
        let feed = try await Self.smallFeed()
        let scratch = try TemporaryFolder("atomic-parent")
        defer { scratch.remove() }
        let target = scratch.file("no-such-parent/feed")
        let error = #expect(throws: GTFSError.self) { try FeedWriter.write(feed, to: target) }
        if let error, !Self.isWriteFailed(error) { Issue.record("expected GTFSError.writeFailed, got \(error)") }
        #expect(scratch.contents().isEmpty, "left behind: \(scratch.contents())")
    }

    @Test("Writing a .zip inside a missing parent folder throws writeFailed and creates nothing")
    func zipInMissingParent() async throws {
        guard SharedFeeds.require() != nil else { return }
        let feed = try await Self.smallFeed()
        let scratch = try TemporaryFolder("atomic-parent-zip")
        defer { scratch.remove() }
        let target = scratch.file("no-such-parent/feed.zip")
        let error = #expect(throws: GTFSError.self) { try FeedWriter.write(feed, to: target) }
        if let error, !Self.isWriteFailed(error) { Issue.record("expected GTFSError.writeFailed, got \(error)") }
        #expect(scratch.contents().isEmpty, "left behind: \(scratch.contents())")
    }

    @Test("Writing over an existing output folder replaces it completely")
    func overwriteFolder() async throws {
        guard SharedFeeds.require() != nil else { return }
        let first = try await Self.smallFeed()
        let second = try await SharedFeeds.loadFeed("bart-2018").feed
        let scratch = try TemporaryFolder("atomic-overwrite")
        defer { scratch.remove() }
        let out = scratch.file("feed")
        try FeedWriter.write(first, to: out)
        // Leftovers of the old output that the new one must not keep.
        try Data("stale".utf8).write(to: URL(fileURLWithPath: out + "/stale.txt"))
        try FileManager.default.createDirectory(atPath: out + "/old-folder", withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: out + "/old-folder/data.bin"))

        try FeedWriter.write(second, to: out)
        let written = Set((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
        let expected = Set(FeedWriter.files(second).map { String($0.path.split(separator: "/").first ?? "") })
        #expect(written == expected, "stale: \(written.subtracting(expected).sorted()), missing: \(expected.subtracting(written).sorted())")
        // google-sample-feed has frequencies.txt and fare files that bart's output must not inherit.
        #expect(try FeedReader.load(out, options: Self.reread).feed == second)
        #expect(scratch.contents() == ["feed"], "no backup or temporary folder left: \(scratch.contents())")
    }

    @Test("Writing over an existing .zip replaces it")
    func overwriteZip() async throws {
        guard SharedFeeds.require() != nil else { return }
        let first = try await SharedFeeds.loadFeed("bart-2018").feed
        let second = try await Self.smallFeed()
        let scratch = try TemporaryFolder("atomic-overwrite-zip")
        defer { scratch.remove() }
        let out = scratch.file("feed.zip")
        try FeedWriter.write(first, to: out)
        try FeedWriter.write(second, to: out)
        #expect(try FeedReader.load(out, options: Self.reread).feed == second)
        #expect(scratch.contents() == ["feed.zip"])
    }

    @Test("A file in the way of an output folder: writeFailed, the file untouched, nothing left")
    func fileInTheWay() async throws {
        guard SharedFeeds.require() != nil else { return }
        let feed = try await Self.smallFeed()
        let scratch = try TemporaryFolder("atomic-file")
        defer { scratch.remove() }
        let out = scratch.file("feed")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: out))
        let error = #expect(throws: GTFSError.self) { try FeedWriter.write(feed, to: out) }
        if let error, !Self.isWriteFailed(error) { Issue.record("expected GTFSError.writeFailed, got \(error)") }
        #expect(FileManager.default.contents(atPath: out) == Data("not a folder".utf8))
        #expect(scratch.contents() == ["feed"], "left behind: \(scratch.contents())")
    }

    // MARK: Helpers

    static func isWriteFailed(_ error: GTFSError) -> Bool {
        if case .writeFailed = error { return true }
        return false
    }

    /// Where two feeds differ, briefly (for failure messages).
    static func differences(_ a: Feed, _ b: Feed) -> String {
        var out: [String] = []
        for name in Set(a.tables.keys).union(b.tables.keys).sorted() {
            guard let x = a.tables[name], let y = b.tables[name] else {
                out.append("\(name) only in \(a.tables[name] == nil ? "re-read" : "original")")
                continue
            }
            if x == y { continue }
            if x.rowCount != y.rowCount { out.append("\(name) rows \(x.rowCount) vs \(y.rowCount)") }
            if x.columns.map(\.name) != y.columns.map(\.name) {
                out.append("\(name) columns \(x.columns.map(\.name)) vs \(y.columns.map(\.name))")
                continue
            }
            for (cx, cy) in zip(x.columns, y.columns) where cx != cy {
                let rows = min(x.rowCount, y.rowCount)
                let row = (0..<rows).first { cx.text(row: $0) != cy.text(row: $0) }
                out.append("\(name).\(cx.name)" + (row.map { " row \($0): '\(cx.text(row: $0))' vs '\(cy.text(row: $0))'" } ?? " (unparsed \(cx.unparsed.count) vs \(cy.unparsed.count))"))
            }
        }
        let ea = a.extraFiles.sorted { $0.name < $1.name }, eb = b.extraFiles.sorted { $0.name < $1.name }
        if ea != eb { out.append("extra files \(ea.map { "\($0.name):\($0.bytes.count)" }) vs \(eb.map { "\($0.name):\($0.bytes.count)" })") }
        return out.prefix(8).joined(separator: "; ")
    }

    /// Runs a tool and returns its exit status and combined output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let result = try ChildProcess.run(executable, arguments)
        return (result.status, result.combined)
    }
}
