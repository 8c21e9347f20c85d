import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport

@Suite("Inferring directions for trips without direction_id")
struct DirectionInferenceTests {
    /// A feed without `direction_id`: route R runs A→M→B (3 trips), B→M→A and B→A; route L is
    /// a loop X→Y→Z→X (2 trips), the same loop started at Y, and the reverse loop X→Z→Y→X.
    static func smallFeed() throws -> Feed {
        let scratch = try TemporaryFolder("direction-inference")
        defer { scratch.remove() }
        let dir = scratch.url
        var stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        let trips: [(String, String, [String])] = [
            ("R", "R1", ["A", "M", "B"]), ("R", "R2", ["A", "M", "B"]), ("R", "R3", ["B", "M", "A"]),
            ("R", "R4", ["A", "M", "B"]), ("R", "R5", ["B", "A"]),
            ("L", "L1", ["X", "Y", "Z", "X"]), ("L", "L2", ["X", "Y", "Z", "X"]),
            ("L", "L3", ["Y", "Z", "X", "Y"]), ("L", "L4", ["X", "Z", "Y", "X"]),
        ]
        for (n, (_, id, stops)) in trips.enumerated() {
            for (i, s) in stops.enumerated() {
                let t = String(format: "%02d:%02d:00", 7 + n / 6, (n % 6) * 10 + i)
                stopTimes += "\(id),\(t),\(t),\(s),\(i + 1)\n"
            }
        }
        let files: [String: String] = [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://example.org,UTC\n",
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon
                A,A,54.700,25.200
                M,M,54.705,25.210
                B,B,54.710,25.220
                X,X,54.680,25.250
                Y,Y,54.690,25.260
                Z,Z,54.680,25.270

                """,
            "routes.txt": "route_id,route_short_name,route_type\nR,R,3\nL,L,3\n",
            "trips.txt": "route_id,service_id,trip_id,direction_id\n" + trips.map { "\($0.0),S,\($0.1),\n" }.joined(),
            "stop_times.txt": stopTimes,
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nS,1,1,1,1,1,1,1,20260101,20261231\n",
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try FeedReader.load(dir.path, options: ReadOptions(validate: false)).feed
    }

    @Test("A→B and B→A get different directions; a loop and its rotation agree, the reverse loop differs")
    func smallFeedDirections() throws {
        let feed = try Self.smallFeed()
        let inference = DirectionInference(feed: feed)
        let ids = feed.ids(.trip)
        var direction: [String: Int32] = [:]
        var method: [String: DirectionInference.Method] = [:]
        for code in 0..<ids.count {
            direction[ids[code]] = inference.direction(ofTrip: Int32(code))
            method[ids[code]] = inference.method(ofTrip: Int32(code))
            #expect(inference.isInferred(trip: Int32(code)))
        }
        #expect(inference.inferredCount == 9)
        #expect(inference.undecidedCount == 0)
        // R: A→M→B has the most trips (3): the reference, direction 0.
        #expect(direction["R1"] == 0 && direction["R2"] == 0 && direction["R4"] == 0)
        #expect(method["R1"] == .reference)
        #expect(direction["R3"] == 1 && method["R3"] == .vector)
        #expect(direction["R5"] == 1 && method["R5"] == .vector)
        // L: X→Y→Z→X (2 trips) is the reference; the loop started at Y runs the same way round.
        #expect(direction["L1"] == 0 && direction["L2"] == 0)
        #expect(direction["L3"] == 0)
        #expect(direction["L4"] == 1)
        #expect(method["L4"] == .stopOrder)

        // The summary splits the route's departures into the two directions.
        let day = try #require(GTFSDate("20260310"))
        let summary = ServiceSummary(feed: feed, date: day, periods: try Period.parse("06:00-10:00"))
        let r = summary.rows.filter { $0.routeID == "R" }
        #expect(r.map(\.direction) == [0, 1] && r.map(\.trips) == [3, 2])
        #expect(summary.runsWithoutDirection == 9 && summary.runsWithInferredDirection == 9)
        #expect(summary.runsWithUndecidedDirection == 0)
        let naive = ServiceSummary(feed: feed, date: day, periods: try Period.parse("06:00-10:00"), inferDirections: false)
        #expect(naive.rows.allSatisfy { $0.direction == 0 })
        #expect(naive.runsWithoutDirection == 9 && naive.runsWithInferredDirection == 0)
    }

    @Test("a feed with direction_id everywhere (sample-city): inference changes nothing")
    func sampleFeedUnchanged() throws {
        let feed = try FeedReader.load(GraphFeeds.samplePath, options: ReadOptions(validate: false)).feed
        let inference = DirectionInference(feed: feed)
        #expect(inference.inferredCount == 0)
        let trips = feed.trips
        for row in 0..<trips.count {
            let t = trips.id[row]
            #expect(inference.direction(ofTrip: t) == trips.direction[row])
            #expect(inference.method(ofTrip: t) == .file)
        }
        let day = try #require(GTFSDate("20260310"))
        let periods = try Period.parse(NetworkDefaults.periods)
        let with = ServiceSummary(feed: feed, date: day, periods: periods)
        let without = ServiceSummary(feed: feed, date: day, periods: periods, inferDirections: false)
        #expect(with.rows == without.rows)
        #expect(with.runsWithInferredDirection == 0)
    }

    @Test("vilnius-2016 (no direction_id at all): reversed two-pattern routes split, trips are conserved, the peak fleet drops",
          .enabled(if: GraphFeeds.runnable))
    func vilnius() throws {
        guard let feed = try GraphFeeds.shared("vilnius-2016") else { return }
        let inference = DirectionInference(feed: feed)
        let trips = feed.trips
        #expect(inference.inferredCount == trips.count)
        #expect(inference.undecidedCount * 20 < inference.inferredCount, "undecided \(inference.undecidedCount)")

        // Routes with exactly two patterns whose terminals are each other's reversed (3 in this feed).
        let patterns = RoutePatterns(feed: feed)
        var byRoute: [Int32: [RoutePattern]] = [:]
        for p in patterns.patterns { byRoute[p.route, default: []].append(p) }
        var reversedRoutes = 0
        for (_, list) in byRoute where list.count == 2 {
            let a = list[0], b = list[1]
            guard let af = a.stops.first, let al = a.stops.last, let bf = b.stops.first, let bl = b.stops.last,
                  af != al, af == bl, al == bf else { continue }
            reversedRoutes += 1
            let da = Set(a.trips.map { inference.direction(ofTrip: $0) })
            let db = Set(b.trips.map { inference.direction(ofTrip: $0) })
            #expect(da.count == 1 && db.count == 1 && da != db, "route code \(a.route)")
        }
        #expect(reversedRoutes >= 1, "routes with two reversed patterns: \(reversedRoutes)")

        let day = try #require(GTFSDate("20160301"))
        let periods = try Period.parse(NetworkDefaults.periods)
        let calendar = ServiceCalendar(feed: feed)
        let inferred = ServiceSummary(feed: feed, date: day, periods: periods, calendar: calendar, directions: inference)
        let naive = ServiceSummary(feed: feed, date: day, periods: periods, calendar: calendar, inferDirections: false)
        #expect(inferred.runsWithInferredDirection == inferred.runsWithoutDirection)
        #expect(inferred.runsWithoutDirection == inferred.totalRuns)
        #expect(naive.rows.allSatisfy { $0.direction == 0 })
        #expect(inferred.rows.contains { $0.direction == 1 })
        // Per route and period, the directions' trips add up to the naive single row's trips.
        struct Key: Hashable { var route: Int32; var period: Int }
        func tripsPerRoute(_ s: ServiceSummary) -> [Key: Int] {
            var out: [Key: Int] = [:]
            for r in s.rows { out[Key(route: r.route, period: r.periodIndex), default: 0] += r.trips }
            return out
        }
        #expect(tripsPerRoute(inferred) == tripsPerRoute(naive))
        // Splitting a merged row never needs more vehicles than the merged one's halved headway
        // implied: the peak drops, by a clear margin since every route was merged.
        #expect(inferred.peakVehicles <= naive.peakVehicles)
        #expect(Double(inferred.peakVehicles) < 0.8 * Double(naive.peakVehicles),
                "peak with inference \(inferred.peakVehicles), naive \(naive.peakVehicles)")
    }
}
