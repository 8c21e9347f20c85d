import Foundation
@testable import GTFS
import Testing
import TestSupport

/// Issue 17: row numbers and identifier codes used as array indices must stay in range.
@Suite("Identifier codes: indices stay inside their arrays")
struct CodeIndexRegressionTests {
    /// `FeedReader.loadTable(_:as:into:)` replaced `stop_times.txt` but kept the feed's old
    /// stop-time index, whose row numbers then pointed past the end of the new, shorter table
    /// (every consumer of `rows(ofTrip:)` indexes the stop-time columns with them).
    @Test("a stop_times.txt read apart gets its own stop-time index")
    func replacedStopTimesGetTheirOwnIndex() throws {
        let base = try FeedReader.load(files: CodeIndexFeeds.baseFiles, options: ReadOptions(validate: false)).feed
        #expect(base.stopTimes.count == 6)
        let folder = try TemporaryFolder("code-index")
        defer { folder.remove() }
        let path = folder.file("stop_times.txt")
        // One stop time of T2, one with an empty trip_id, one of a trip nothing declares.
        try "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT2,09:00:00,09:00:00,S3,1\n,09:01:00,09:01:00,S2,2\nNEW,09:02:00,09:02:00,S1,1\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try FeedReader.loadTable(path, as: "stop_times.txt", into: base)
        let feed = loaded.feed
        let rowCount = feed.stopTimes.count
        #expect(rowCount == 3)
        let trips = feed.ids(.trip)
        for trip in Int32(-1)...Int32(trips.count) {
            for r in feed.stopTimeIndex.rows(ofTrip: trip) {
                #expect(r >= 0 && Int(r) < rowCount, "trip code \(trip): row \(r) of \(rowCount)")
            }
        }
        #expect(feed.stopTimeIndex.rows(ofTrip: try #require(feed.code(of: "T", in: .trip))).isEmpty)
        #expect(Array(feed.stopTimeIndex.rows(ofTrip: try #require(feed.code(of: "T2", in: .trip)))) == [0])
        #expect(Array(feed.stopTimeIndex.rows(ofTrip: try #require(feed.code(of: "NEW", in: .trip)))) == [2])
        #expect(loaded.report.findings.contains { $0.code == "foreign_key_violation" && $0.value == "NEW" })
    }
}
