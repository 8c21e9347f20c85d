import Foundation
import GTFS
import TransitNetwork
import Testing

@Suite("Periods and the service summary")
struct SummaryTests {
    // MARK: Periods

    @Test("the default periods parse, sorted, with 23:00-29:00 passing midnight")
    func defaultPeriods() throws {
        let p = try Period.parse(NetworkDefaults.periods)
        #expect(p.map(\.name) == ["05:00-07:00", "07:00-09:00", "09:00-16:00", "16:00-19:00", "19:00-23:00", "23:00-29:00"])
        #expect(p[1].start == 7 * 3600 && p[1].end == 9 * 3600)
        #expect(p[5].end == 29 * 3600)
        let unsorted = try Period.parse(" 16:00-19:00 , 7:00-9:00")
        #expect(unsorted.map(\.start) == [7 * 3600, 16 * 3600])
        #expect(unsorted[0].name == "7:00-9:00")
    }

    @Test("overlapping periods throw the typed error naming both")
    func overlaps() {
        #expect(throws: NetworkError.overlappingPeriods("07:00-09:00", "08:00-10:00")) {
            try Period.parse("07:00-09:00,08:00-10:00")
        }
        #expect(throws: NetworkError.overlappingPeriods("05:00-23:00", "07:00-09:00")) {
            try Period.parse("07:00-09:00,05:00-23:00")
        }
        #expect(throws: Never.self) { try Period.parse("07:00-09:00,09:00-10:00") } // touching is fine
    }

    @Test("bad syntax throws invalidPeriod naming the bad piece",
          arguments: [
              ("07:00-09:00,7-9", "7-9"),
              ("07:00-09:00,09:00", "09:00"),
              ("09:00-07:00", "09:00-07:00"),
              ("07:00-07:00", "07:00-07:00"),
              ("07:60-09:00", "07:60-09:00"),
              ("07:00-09:00-10:00", "07:00-09:00-10:00"),
              ("ab:cd-09:00", "ab:cd-09:00"),
              ("-07:00-09:00", "-07:00-09:00"),
              ("", ""),
              ("07:00-09:00,,09:00-10:00", "07:00-09:00,,09:00-10:00"),
          ])
    func badSyntax(text: String, piece: String) {
        do {
            let p = try Period.parse(text)
            Issue.record("'\(text)' parsed as \(p)")
        } catch {
            guard case let .invalidPeriod(bad, reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(bad == piece)
            #expect(error.code == .invalidPeriod && error.code.rawValue == "invalid_period")
            #expect(!reason.isEmpty)
            #expect(piece.isEmpty || error.description.contains(piece))
        }
    }

    // MARK: The sample feed, by hand

    @Test("route 3, Tuesday 2026-03-10, 07:00-09:00: headways, run times, cycle time and vehicles checked by hand")
    func route3ByHand() throws {
        let feed = try sampleFeed.get()
        let day = try #require(GTFSDate("20260310"))
        let summary = ServiceSummary(feed: feed, date: day, periods: try Period.parse(NetworkDefaults.periods))
        let rows = summary.rows.filter { $0.routeID == "3" && $0.period == "07:00-09:00" }
        try #require(rows.count == 2)
        // Direction 0 (trips.txt / stop_times.txt): departures 07:15, 07:30, … 08:45 → 7 trips,
        // every gap 15 min = 900 s. Run times (first departure → last arrival):
        // 22, 23, 23, 23, 23, 22, 21 min → sorted 1260, 1320, 1320, 1380, 1380, 1380, 1380 s,
        // median 1380 s.
        let d0 = rows[0]
        #expect(d0.direction == 0)
        #expect(d0.trips == 7)
        #expect(d0.meanHeadway == 900 && d0.minHeadway == 900 && d0.maxHeadway == 900)
        #expect(d0.runTime == 1380)
        // Direction 1: 07:02, 07:17, … 08:47 → 8 trips, gaps 900 s. Run times 22, 23, 24, 24,
        // 24, 24, 23, 22 min → sorted 1320, 1320, 1380, 1380, 1440, 1440, 1440, 1440: median
        // (1380 + 1440) / 2 = 1410 s.
        let d1 = rows[1]
        #expect(d1.direction == 1)
        #expect(d1.trips == 8)
        #expect(d1.meanHeadway == 900)
        #expect(d1.runTime == 1410)
        // Layovers: max(10% × 1380 = 138, 300) = 300 and max(141, 300) = 300.
        // Cycle = 1380 + 1410 + 300 + 300 = 3390 s; vehicles = ceil(3390 / 900) = ceil(3.77) = 4.
        #expect(d0.cycleTime == 3390 && d1.cycleTime == 3390)
        #expect(d0.vehicles == 4 && d1.vehicles == 4)
        // With a 12% / 6-minute layover (the generator's blocks): 1380 + 1410 + 2 × 360 = 3510,
        // still 4 vehicles; with 20% / 10 min: 1380 + 1410 + 600 + 600 = 3990 → ceil(4.43) = 5.
        let wide = ServiceSummary(feed: feed, date: day, periods: try Period.parse("07:00-09:00"),
                                  layoverShare: 0.20, minimumLayover: 600)
        let w0 = try #require(wide.rows.first { $0.routeID == "3" && $0.direction == 0 })
        #expect(w0.cycleTime == 3990 && w0.vehicles == 5)
    }

    @Test("one departure in a period: 1 vehicle if the cycle fits, else ceil(cycle / period length)")
    func singleDeparture() throws {
        let feed = try sampleFeed.get()
        let day = try #require(GTFSDate("20260310"))
        // 07:14-07:16 holds only route 3's 07:15 direction-0 trip (run 22 min = 1320 s); no
        // direction 1. Cycle = 2 × (1320 + 300) = 3240 s > 120 s → ceil(3240 / 120) = 27.
        let narrow = ServiceSummary(feed: feed, date: day, periods: try Period.parse("07:14-07:16"))
        let row = try #require(narrow.rows.first { $0.routeID == "3" })
        #expect(row.trips == 1 && row.meanHeadway == nil && row.minHeadway == nil && row.maxHeadway == nil)
        #expect(row.cycleTime == 3240)
        #expect(row.vehicles == 27)
        // A 19-minute period: every row with one departure follows the same rule.
        let wideOne = ServiceSummary(feed: feed, date: day, periods: try Period.parse("06:36-06:55"))
        for r in wideOne.rows where r.trips == 1 {
            let fits = r.cycleTime <= Double(19 * 60)
            #expect(r.vehicles == (fits ? 1 : Int((r.cycleTime / Double(19 * 60)).rounded(.up))))
        }
    }

    @Test("the Riverline's frequencies: 07:00-09:00 at 7.5 min gives 16 departures with 450 s headways")
    func riverlineHeadways() throws {
        let feed = try sampleFeed.get()
        let day = try #require(GTFSDate("20260310"))
        let summary = ServiceSummary(feed: feed, date: day, periods: try Period.parse(NetworkDefaults.periods))
        let rl = summary.rows.filter { $0.routeID == "RL" && $0.period == "07:00-09:00" }
        #expect(rl.count == 2)
        for r in rl {
            #expect(r.trips == 16) // 07:00, 07:07:30, … 08:52:30
            #expect(r.meanHeadway == 450 && r.minHeadway == 450 && r.maxHeadway == 450)
        }
    }

    @Test("period totals: per route the larger direction, summed; the peak is the largest total; rows sorted")
    func totals() throws {
        let feed = try sampleFeed.get()
        let day = try #require(GTFSDate("20260310"))
        let summary = ServiceSummary(feed: feed, date: day, periods: try Period.parse(NetworkDefaults.periods))
        for (i, total) in summary.totals.enumerated() {
            var perRoute: [String: Int] = [:]
            var trips = 0
            for r in summary.rows where r.periodIndex == i {
                perRoute[r.routeID] = max(perRoute[r.routeID] ?? 0, r.vehicles)
                trips += r.trips
            }
            #expect(total.vehicles == perRoute.values.reduce(0, +))
            #expect(total.trips == trips)
        }
        #expect(summary.peakVehicles == summary.totals.map(\.vehicles).max())
        #expect(summary.peakVehicles > 40)
        // Route order: 1, 2, …, 8, RL (short names compared as numbers), then direction, period.
        var order: [String] = []
        for r in summary.rows where order.last != r.routeID { order.append(r.routeID) }
        #expect(order == ["1", "2", "3", "4", "5", "6", "7", "8", "RL"])
        // Every departure is in a period or counted as unassigned: the defaults start at 05:00,
        // and route 7's two airport trips 7-WKD-0-0445 and 7-WKD-1-0453 leave before that.
        #expect(summary.totals.map(\.trips).reduce(0, +) + summary.unassignedRuns == summary.totalRuns)
        #expect(summary.unassignedRuns == 2)
        #expect(summary.runsWithoutDirection == 0)
        let early = ServiceSummary(feed: feed, date: day, periods: try Period.parse("04:00-05:00"))
        #expect(early.rows.map(\.routeID) == ["7", "7"])
        #expect(early.rows.map(\.trips) == [1, 1])
    }

    @Test("a date outside the service range gives an empty summary")
    func outsideRange() throws {
        let feed = try sampleFeed.get()
        let summary = ServiceSummary(feed: feed, date: try #require(GTFSDate("20300101")), periods: try Period.parse(NetworkDefaults.periods))
        #expect(summary.rows.isEmpty)
        #expect(summary.peakVehicles == 0)
        #expect(summary.totals.count == 6)
        #expect(summary.totalRuns == 0)
    }

    // MARK: A frequency-based real feed

    @Test("cdmx-2018 (every trip is a frequency template, direction_id empty): departures expand, headways equal headway_secs",
          .enabled(if: GraphFeeds.runnable))
    func cdmxFrequencies() throws {
        guard let feed = try GraphFeeds.shared("cdmx-2018") else { return }
        let day = try #require(GTFSDate("20180306")) // a Tuesday
        let calendar = ServiceCalendar(feed: feed)
        let running = calendar.runningTrips(on: day)
        let runs = Departures.runs(feed: feed, calendar: calendar, date: day)
        #expect(!running.isEmpty)
        #expect(runs.count > 5 * running.count, "\(runs.count) departures from \(running.count) templates")

        let periods = try Period.parse(NetworkDefaults.periods)
        let summary = ServiceSummary(feed: feed, date: day, periods: periods, calendar: calendar)
        #expect(summary.peakVehicles > 0)
        // 1,721 of the 1,741 trips have an empty direction_id. Without inference they read as 0:
        // direction-1 rows come only from routes with a trip whose direction_id is 1.
        let naive = ServiceSummary(feed: feed, date: day, periods: periods, calendar: calendar, inferDirections: false)
        let view = feed.trips
        let routesWithDirection1 = Set((0..<view.count).filter { view.direction[$0] == 1 }.map { view.route[$0] })
        #expect(naive.rows.filter { $0.direction == 1 }.allSatisfy { routesWithDirection1.contains($0.route) })
        #expect(naive.rows.filter { $0.direction == 0 }.count > 50)
        #expect(naive.runsWithoutDirection > naive.totalRuns / 2)
        // With inference (the default) their directions are inferred, and direction-1 rows appear
        // on other routes too.
        #expect(summary.runsWithoutDirection == naive.runsWithoutDirection)
        #expect(summary.runsWithInferredDirection == summary.runsWithoutDirection)
        #expect(summary.rows.contains { $0.direction == 1 && !routesWithDirection1.contains($0.route) })

        // Frequency rows of running templates, by route: (start, end, headway).
        let f = feed.frequencies
        let trips = feed.trips
        var routeOfTrip: [Int32: Int32] = [:]
        for r in 0..<trips.count { routeOfTrip[trips.id[r]] = trips.route[r] }
        let runningSet = Set(running)
        var windows: [Int32: [(start: Int32, end: Int32, headway: Int32)]] = [:]
        for r in 0..<f.count where runningSet.contains(f.trip[r]) {
            if let route = routeOfTrip[f.trip[r]] { windows[route, default: []].append((f.start[r], f.end[r], f.headway[r])) }
        }
        var checked = 0
        for row in summary.rows where row.trips >= 2 {
            let p = periods[row.periodIndex]
            let overlapping = (windows[row.route] ?? []).filter { $0.start < p.end && p.start < $0.end }
            guard overlapping.count == 1, let w = overlapping.first else { continue }
            #expect(row.minHeadway == w.headway && row.maxHeadway == w.headway, "route \(row.routeID) \(row.period)")
            #expect(row.meanHeadway == Double(w.headway))
            checked += 1
        }
        #expect(checked >= 5, "routes with a single frequency window in a period: \(checked)")
    }
}
