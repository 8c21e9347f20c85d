import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing
import TestSupport

@Suite("Ridership on the sample feed and the GTFS-ride sample")
struct RidershipSampleFeedTests {
    /// The sample feed's counts analysed over the default periods, once.
    static let sample: (input: RidershipInput, analysis: RidershipAnalysis)? = {
        guard let loaded = SampleCity.loaded,
              let input = try? RidershipInput.load(feed: loaded.feed, report: loaded.report),
              let periods = try? Period.parse(NetworkDefaults.periods),
              let analysis = try? RidershipAnalysis(input: input, periods: periods) else { return nil }
        return (input, analysis)
    }()

    /// The boardings column of the sample's board_alight.txt summed by plain text splitting.
    static func rawBoardings() throws -> (total: Int, rows: Int) {
        let text = try String(contentsOfFile: SharedData.samplePath + "/board_alight.txt", encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let k = try #require(header.firstIndex(of: "boardings"))
        var total = 0
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            total += Int(cells[k]) ?? 0
        }
        return (total, lines.count - 1)
    }

    @Test("sample feed: no errors, every record used, three dates")
    func clean() throws {
        let s = try #require(Self.sample)
        #expect(s.analysis.issues.errorCount == 0, "\(s.analysis.issues.prefix(5).map(\.description))")
        #expect(s.analysis.issues.isEmpty, "\(s.analysis.issues.prefix(5).map(\.description))")
        let summary = s.analysis.summary
        #expect(summary.dates.map(\.yyyymmdd) == [20260310, 20260311, 20260312])
        let raw = try Self.rawBoardings()
        #expect(summary.records == raw.rows)
        #expect(summary.recordsUsed == raw.rows)
        #expect(summary.tripsObserved == 1035)
        #expect(summary.tripDates == 1035 * 3)
        #expect(summary.totalBoardings == raw.total)
    }

    @Test("sample feed: the demand rows' boardings sum to the counted boardings / 3 dates")
    func boardingsBalance() throws {
        let s = try #require(Self.sample)
        let raw = try Self.rawBoardings()
        let sum = s.analysis.demand.reduce(0) { $0 + $1.boardings }
        // The default periods start at 05:00; route 7's 04:45 trip boards a few riders before.
        let outside = s.analysis.summary.boardingsOutsidePeriods
        #expect(outside > 0 && outside < 10)
        #expect(abs(sum + outside - Double(raw.total) / 3) < 1e-6 * Double(raw.total))
        #expect(abs(s.analysis.summary.averageDayBoardings - Double(raw.total) / 3) < 1e-6 * Double(raw.total))

        // Periods covering the whole service day put every boarding in a demand row.
        let input = s.input
        let wholeDay = try RidershipAnalysis(input: input, periods: Period.parse("04:00-07:00,07:00-09:00,09:00-29:00"))
        let all = wholeDay.demand.reduce(0) { $0 + $1.boardings }
        #expect(wholeDay.summary.boardingsOutsidePeriods == 0)
        #expect(abs(all - Double(raw.total) / 3) < 1e-6 * Double(raw.total))
        // The README's figure for route 5: 16,998 boardings a day.
        let route5 = s.analysis.demand.filter { $0.routeID == "5" }.reduce(0) { $0 + $1.boardings }
        #expect(abs(route5 - 16_998) < 1)
    }

    @Test("sample feed: each bus route has demand in both directions in 07:00-09:00; the light rail has none")
    func amPeak() throws {
        let s = try #require(Self.sample)
        let am = try #require(s.analysis.periods.firstIndex { $0.name == "07:00-09:00" })
        for route in ["1", "2", "3", "4", "5", "6", "7", "8"] {
            for direction in [0, 1] {
                let row = try #require(s.analysis.demand(routeID: route, direction: direction, period: am), "route \(route) dir \(direction)")
                #expect(row.maxLoad > 0)
                #expect(row.maxLoadStopID != nil)
                #expect(row.observedTrips > 0)
                #expect((row.passengerKm ?? 0) > 0)
                // Every load is at most the busiest stop's: average load ≤ max load.
                #expect((row.averageLoad ?? .infinity) <= row.maxLoad + 1e-9)
            }
        }
        #expect(!s.analysis.demand.contains { $0.routeID == "RL" })
        // Route 1 is 9.0 km long (README).
        let r1 = try #require(s.analysis.demand(routeID: "1", direction: 0, period: am))
        #expect(abs((r1.routeKm ?? 0) - 9.0) < 0.1)
        // Radial route 2: direction 1 is inbound and carries the AM peak.
        let in2 = try #require(s.analysis.demand(routeID: "2", direction: 1, period: am))
        let out2 = try #require(s.analysis.demand(routeID: "2", direction: 0, period: am))
        #expect(in2.maxLoad > out2.maxLoad)
    }

    @Test("sample feed: capacities per route from trip_capacity.txt")
    func capacities() throws {
        let s = try #require(Self.sample)
        let caps = VehicleCapacities(input: s.input)
        #expect(caps.issues.isEmpty)
        #expect(caps.capacity(ofRoute: "1") == 70)
        #expect(caps.capacity(ofRoute: "5") == 110)
        #expect(caps.capacity(ofRoute: "8") == 48)
        #expect(caps.capacity(ofRoute: "RL") == 340)
        let r5 = try #require(caps.routes.first { $0.routeID == "5" })
        #expect(r5.seated == 60 && r5.standing == 50)
        #expect(r5.distinctValues == 1)
        #expect(r5.tripsWithCapacity == r5.trips)
    }

    @Test("the GTFS-ride spec sample loads; its quirks are reported, not fatal")
    func gtfsRideSample() throws {
        guard SharedData.runnable else { return }
        guard let feeds = SharedData.feeds else {
            Issue.record(Comment(rawValue: SharedData.missingMessage))
            return
        }
        let loaded = try FeedReader.load("\(feeds)/gtfs-ride-sample/gtfs-ride-sample.zip")
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)
        let a = try RidershipAnalysis(input: input, periods: Period.parse(NetworkDefaults.periods))
        // Empty alightings on lines 4 and 7 are read as 0 and reported.
        #expect(a.issues.with(code: RidershipIssue.Code.missingCount).compactMap(\.line) == [4, 7])
        // T1: 5−3, +3−1, +2, +1−6 leaves 1 on board; T2 (rows out of sequence order) ends at −2,
        // clamped to 0.
        #expect(a.issues.with(code: RidershipIssue.Code.tripEndsWithLoad).compactMap(\.line) == [5])
        #expect(a.issues.with(code: RidershipIssue.Code.negativeLoad).compactMap(\.line) == [9])
        let t1 = try #require(a.profiles.first { $0.tripID == "T1" })
        #expect(t1.loadAfter == [2, 4, 6, 1])
        let t2 = try #require(a.profiles.first { $0.tripID == "T2" })
        #expect(t2.stopIDs == ["S_D", "S_C", "S_B", "S_A"])
        #expect(t2.loadAfter == [4, 1, 2, 0])
        // Both trips are frequency-based: placed by their counted service times.
        #expect(t1.times.first == Int32(22_560))  // 06:16
        #expect(t2.times.first == Int32(65_040))  // 18:04
        let early = try #require(a.demand.first { $0.routeID == "AD" })
        #expect(early.period == "05:00-07:00")
        #expect(early.boardings == 11)
        #expect(early.maxLoad == 6)
        #expect(early.maxLoadStopID == "S_C")
        let late = try #require(a.demand.first { $0.routeID == "DA" })
        #expect(late.period == "16:00-19:00")
        #expect(late.maxLoad == 4)
        // Capacities: each trip's only (dated) row.
        let caps = VehicleCapacities(input: input)
        #expect(caps.capacity(ofRoute: "AD") == 100)
        #expect(caps.capacity(ofRoute: "DA") == 95)
    }
}
