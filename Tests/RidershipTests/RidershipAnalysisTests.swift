import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing

@Suite("Ridership: counts to load profiles and demand")
struct RidershipAnalysisTests {
    /// The clean counts of ``LineFeed`` analysed over 07:00-09:00 and 09:00-16:00.
    static func clean() throws -> RidershipAnalysis {
        let loaded = try LineFeed.load(["board_alight.txt": LineFeed.cleanCounts])
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)
        return try RidershipAnalysis(input: input, periods: LineFeed.parsedPeriods())
    }

    @Test("a 4-stop trip: boardings and alightings give the loads after each stop")
    func fourStopLoads() throws {
        let a = try Self.clean()
        let t1 = a.profiles.filter { $0.tripID == "T1" }
        #expect(t1.count == 2)
        let first = try #require(t1.first { $0.date == GTFSDate(yyyymmdd: 20260310) })
        #expect(first.stopIDs == ["S1", "S2", "S3", "S4"])
        #expect(first.sequences == [1, 2, 3, 4])
        #expect(first.boardings == [10, 5, 2, 0])
        #expect(first.alightings == [0, 3, 8, 6])
        #expect(first.loadAfter == [10, 12, 6, 0])
        #expect(first.metres == [0, 1000, 2500, 4000])
        let eight: Int32 = 8 * 3600
        #expect(first.times == [eight, eight + 600, eight + 1200, eight + 1800])
        #expect(first.maxLoad == 12)
        // 10 × 1 km + 12 × 1.5 km + 6 × 1.5 km = 37 passenger-km.
        #expect(close(first.passengerKm, 37))
        #expect(first.counted == [true, true, true, true])
        #expect(!first.clamped)
        #expect(first.weight == 0.5)
        #expect(a.issues.isEmpty, "clean counts raise no issue: \(a.issues.map(\.description))")
    }

    @Test("two dates average; a trip observed on 1 of 2 dates counts once; the period split follows each stop's time")
    func demandByHand() throws {
        let a = try Self.clean()
        let am = try #require(a.demand(routeID: "R1", direction: 0, period: 0))
        // T1 averaged over its two dates (boardings 17 and 24) plus T2 from its one date (7).
        #expect(close(am.boardings, 20.5 + 7))
        // Departing loads per stop: S1 (10+20)/2 + 4 = 19, S2 (12+19)/2 + 5 = 20.5, S3 (6+9)/2 + 4 = 11.5.
        #expect(close(am.maxLoad, 20.5))
        #expect(am.maxLoadStopID == "S2")
        // T1: (37 + 62) / 2 = 49.5; T2: 4 × 1 + 5 × 1.5 + 4 × 1.5 = 17.5 (S3 → S4 leaves S3 at 08:59).
        #expect(close(am.passengerKm, 67))
        #expect(close(am.routeKm, 4))
        #expect(am.observedTrips == 2)
        #expect(am.period == "07:00-09:00")

        // T2's last stop (09:02) is in 09:00-16:00: no boardings, load 0 there.
        let t2 = try #require(a.profiles.first { $0.tripID == "T2" })
        #expect(t2.periods == [0, 0, 0, 1])
        #expect(t2.weight == 1)
        let midday = try #require(a.demand(routeID: "R1", direction: 0, period: 1))
        #expect(midday.boardings == 0)
        #expect(midday.maxLoad == 0)
        #expect(midday.maxLoadStopID == "S4")
        #expect(midday.observedTrips == 1)

        // Direction 1: T3 on one date, loads 3, 3, 1, 0 at S4, S3, S2, S1 (S4 is met first).
        let back = try #require(a.demand(routeID: "R1", direction: 1, period: 0))
        #expect(back.boardings == 4)
        #expect(back.maxLoad == 3)
        #expect(back.maxLoadStopID == "S4")
        // 3 × 1.5 + 3 × 1.5 + 1 × 1 = 10 passenger-km.
        #expect(close(back.passengerKm, 10))
        #expect(a.demand.count == 3)
        #expect(a.demand.map(\.direction) == [0, 0, 1])
    }

    @Test("summary: dates, records, boardings on an average day")
    func summary() throws {
        let s = try Self.clean().summary
        #expect(s.dates == [GTFSDate(yyyymmdd: 20260310), GTFSDate(yyyymmdd: 20260311)].compactMap { $0 })
        #expect(!s.hasUndatedRecords)
        #expect(s.records == 16)
        #expect(s.recordsUsed == 16)
        #expect(s.recordsSkipped == 0)
        #expect(s.cancellationRecords == 0)
        #expect(s.tripsObserved == 3)
        #expect(s.tripDates == 4)
        #expect(s.totalBoardings == 17 + 24 + 7 + 4)
        #expect(close(s.averageDayBoardings, 20.5 + 7 + 4))
        #expect(s.boardingsOutsidePeriods == 0)
    }

    @Test("stop events outside every period are counted apart")
    func outsidePeriods() throws {
        let loaded = try LineFeed.load(["board_alight.txt": LineFeed.cleanCounts])
        let input = try RidershipInput.load(feed: loaded.feed)
        let a = try RidershipAnalysis(input: input, periods: Period.parse("09:00-16:00"))
        // Only T2's last stop is in 09:00-16:00; every boarding happened before 09:00.
        #expect(close(a.summary.boardingsOutsidePeriods, 20.5 + 7 + 4))
        #expect(a.demand.count == 1)
        #expect(a.demand.first?.periodIndex == 0)
    }

    /// Counts with one defect per row, read as a file apart from the feed.
    static let defectiveCounts = """
        trip_id,stop_id,stop_sequence,record_use,boardings,alightings,load_count,load_type,service_date,service_arrival_time
        T1,S1,1,0,5,0,5,1,20260310,
        T1,S2,2,0,1,9,,1,20260310,
        T1,S3,3,0,2,0,7,1,20260310,
        T1,S3,3,0,2,0,,1,20260310,
        T1,S4,4,0,0,,,1,20260310,
        TX,S1,1,0,1,0,,1,20260310,
        T2,SX,2,0,1,0,,1,20260310,
        T2,S3,1,0,1,0,,1,20260310,
        T2,S2,7,0,1,0,,1,20260310,
        T2,S1,1,1,,,,,20260310,
        TF,S1,1,0,3,0,,1,20260310,
        TF,S2,2,0,0,0,,1,20260311,10:05:00
        T2,S4,4,0,abc,0,,1,20260310,

        """

    static func defective() throws -> RidershipAnalysis {
        let loaded = try LineFeed.load()
        let path = try LineFeed.writeFile("counts.txt", defectiveCounts)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report, boardAlightPath: path)
        #expect(input.boardAlightSource == path)
        return try RidershipAnalysis(input: input, periods: LineFeed.parsedPeriods())
    }

    @Test("every defect is reported with its line, field and value", arguments: [
        (RidershipIssue.Code.negativeLoad, 3, "alightings", "9"),
        (RidershipIssue.Code.loadCountMismatch, 4, "load_count", "7"),
        (RidershipIssue.Code.duplicateRecord, 5, "stop_sequence", "3"),
        (RidershipIssue.Code.missingCount, 6, "alightings", ""),
        (RidershipIssue.Code.tripEndsWithLoad, 6, "alightings", ""),
        (RidershipIssue.Code.unknownTrip, 7, "trip_id", "TX"),
        (RidershipIssue.Code.unknownStop, 8, "stop_id", "SX"),
        (RidershipIssue.Code.stopNotInTrip, 9, "stop_id", "S3"),
        (RidershipIssue.Code.stopNotInTrip, 10, "stop_sequence", "7"),
        (RidershipIssue.Code.unplaceableTrip, 12, "service_arrival_time", ""),
        (RidershipIssue.Code.missingCount, 14, "boardings", "abc"),
        ("invalid_integer", 14, "boardings", "abc"),
    ])
    func defects(code: String, line: Int, field: String, value: String) throws {
        let a = try Self.defective()
        let hits = a.issues.filter { $0.code == code && $0.line == line }
        #expect(hits.count == 1, "expected \(code) on line \(line); got \(a.issues.map(\.description))")
        #expect(hits.first?.file == "board_alight.txt")
        #expect(hits.first?.field == field)
        #expect(hits.first?.value == value)
    }

    @Test("defective counts: what is used, skipped and repaired")
    func defectiveOutcome() throws {
        let a = try Self.defective()
        // Exactly the defects listed above (the cancellation on line 11 is not one).
        #expect(a.issues.count == 12, "\(a.issues.map(\.description))")
        #expect(!a.issues.contains { $0.line == 2 || $0.line == 11 || $0.line == 13 })
        #expect(a.issues.with(code: RidershipIssue.Code.tripEndsWithLoad).first?.severity == .warning)
        #expect(a.issues.with(code: RidershipIssue.Code.negativeLoad).first?.severity == .error)
        let s = a.summary
        #expect(s.records == 13)
        #expect(s.cancellationRecords == 1)
        // Used: T1 lines 2, 3, 4, 6; TF line 13; T2 line 14.
        #expect(s.recordsUsed == 6)
        #expect(s.recordsSkipped == 6)

        // T1: 5 on board, +1 −9 would leave −3: clamped to 0, then +2, and the empty
        // alightings at S4 read as 0, so 2 passengers stay on board.
        let t1 = try #require(a.profiles.first { $0.tripID == "T1" })
        #expect(t1.loadAfter == [5, 0, 2, 2])
        #expect(t1.clamped)
        #expect(t1.counted == [true, true, true, true])

        // TF is frequency-based: placed by its service_arrival_time on 2026-03-11 only, its S1
        // time shifted back by the template's 5 minutes.
        let tf = try #require(a.profiles.first { $0.tripID == "TF" })
        #expect(tf.date == GTFSDate(yyyymmdd: 20260311))
        let ten: Int32 = 10 * 3600
        #expect(tf.times == [ten, ten + 300])
        #expect(tf.periods == [1, 1])
        #expect(tf.counted == [false, true])
        #expect(tf.weight == 1)

        // T2: only its S4 row is usable, with boardings 'abc' read as 0.
        let t2 = try #require(a.profiles.first { $0.tripID == "T2" })
        #expect(t2.counted == [false, false, false, true])
        #expect(t2.loadAfter == [0, 0, 0, 0])
    }

    @Test("a trip without direction_id gets the inferred direction")
    func inferredDirection() throws {
        var files = LineFeed.files
        files["trips.txt"] = "route_id,service_id,trip_id,direction_id\nR1,WD,T1,\nR1,WD,T2,\nR1,WD,T3,\nRF,WD,TF,\n"
        let path = try LineFeed.write(files.merging(["board_alight.txt": LineFeed.cleanCounts]) { $1 })
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try FeedReader.load(path)
        let input = try RidershipInput.load(feed: loaded.feed)
        let a = try RidershipAnalysis(input: input, periods: LineFeed.parsedPeriods())
        let t1 = try #require(a.profiles.first { $0.tripID == "T1" })
        let t3 = try #require(a.profiles.first { $0.tripID == "T3" })
        #expect(t1.direction != t3.direction)
        #expect(a.demand.filter { $0.periodIndex == 0 }.count == 2)
    }

    @Test("no board_alight.txt, or one without rows, is an error that says what to give")
    func noRidership() throws {
        let loaded = try LineFeed.load()
        let input = try RidershipInput.load(feed: loaded.feed)
        #expect(throws: RidershipError.noRidership(source: nil)) {
            try RidershipAnalysis(input: input, periods: LineFeed.parsedPeriods())
        }
        let empty = try LineFeed.writeFile("ba.txt", "trip_id,stop_id,stop_sequence,record_use,boardings,alightings\n")
        let withEmpty = try RidershipInput.load(feed: loaded.feed, boardAlightPath: empty)
        #expect(throws: RidershipError.noRidership(source: empty)) {
            try RidershipAnalysis(input: withEmpty, periods: LineFeed.parsedPeriods())
        }
        #expect(RidershipError.noRidership(source: nil).description.contains("--ridership"))
    }

    @Test("a ridership path that does not exist is a typed error naming it")
    func unreadablePath() throws {
        let loaded = try LineFeed.load()
        do {
            _ = try RidershipInput.load(feed: loaded.feed, boardAlightPath: "/nonexistent/board_alight.txt")
            Issue.record("expected an error")
        } catch {
            guard case .ridershipFileUnreadable(let path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == "/nonexistent/board_alight.txt")
            #expect(error.description.contains("/nonexistent/board_alight.txt"))
        }
    }
}
