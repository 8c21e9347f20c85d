import Foundation
import Testing
import TestSupport
import ZipArchive

/// Reads a real GTFS feed from the shared data folder (``SharedData``: `$TRANSIT_SHARED_DIR`,
/// else `../shared` beside the package). Skips when absent, fails under `CI=true`.
@Suite("Real feed")
struct RealFeedTests {
    static let feedPath = SharedData.feedPath("vilnius-2016")
    static let feedPresent = feedPath.map { FileManager.default.isReadableFile(atPath: $0) } ?? false

    @Test(
        "Every entry of vilnius-2016.zip extracts, totalling the declared sizes",
        .enabled(if: feedPresent || isCI, "shared feed vilnius-2016.zip not found; set TRANSIT_SHARED_DIR"))
    func vilnius() throws {
        let path = try #require(
            Self.feedPresent ? Self.feedPath : nil,
            "vilnius-2016.zip is missing from the shared data folder (\(Self.feedPath ?? "not found"))")
        let archive = try ZipArchive(path: path)
        #expect(archive.entries.count >= 6)
        for name in ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"] {
            #expect(archive.entry(named: name) != nil, "\(name) present")
        }
        var total: UInt64 = 0
        for entry in archive.entries {
            let data = try archive.extract(entry)
            #expect(UInt64(data.count) == entry.uncompressedSize, "\(entry.path)")
            total += UInt64(data.count)
        }
        #expect(total == archive.entries.reduce(0) { $0 + $1.uncompressedSize })
        #expect(total > 20_000_000)
        let agency = try archive.extract(try #require(archive.entry(named: "agency.txt")))
        #expect(String(decoding: agency, as: UTF8.self).hasPrefix("agency_id") || agency.starts(with: [0xEF, 0xBB, 0xBF]))
    }
}
