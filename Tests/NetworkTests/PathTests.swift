import Foundation
import GTFS
import TransitNetwork
import Testing

/// A hand-built network: route R runs A → B → C (5 + 7 min), route Q runs A → D → C (4 + 10
/// min); E is 120 m east of C (no route); F is far away and never served.
private func handFeed() throws -> Feed {
    try GraphFeeds.tinyFeed(
        stops: """
            stop_id,stop_name,stop_lat,stop_lon
            A,A,50.000,10.000
            B,B,50.020,10.000
            C,C,50.040,10.000
            D,D,50.020,10.030
            E,E,50.040,10.0016764
            F,F,51.000,11.000

            """,
        trips: "route_id,service_id,trip_id\nR,S,R1\nR,S,R2\nQ,S,Q1\n",
        stopTimes: """
            trip_id,arrival_time,departure_time,stop_id,stop_sequence
            R1,08:00:00,08:00:00,A,1
            R1,08:05:00,08:05:00,B,2
            R1,08:12:00,08:12:00,C,3
            R2,09:00:00,09:00:00,A,1
            R2,09:06:00,09:06:30,B,2
            R2,09:14:30,09:14:30,C,3
            Q1,08:00:00,08:00:00,A,1
            Q1,08:04:00,08:04:00,D,2
            Q1,08:14:00,08:14:00,C,3

            """)
}

@Suite("Shortest paths and legs")
struct PathTests {
    @Test("hand-built network: the fastest path, its time and its steps are exact")
    func handBuilt() throws {
        let feed = try handFeed()
        let graph = TransitGraph(feed: feed)
        func code(_ s: String) throws -> Int32 { try #require(feed.code(of: s, in: .stop)) }
        let a = try code("A"), b = try code("B"), c = try code("C"), e = try code("E"), f = try code("F")
        let r = try #require(Dijkstra.path(graph, from: a, to: c))
        #expect(r.seconds == 12 * 60) // R's min run times: 300 + 420; Q takes 840
        #expect(r.steps.map(\.from) == [a, b] && r.steps.map(\.to) == [b, c])
        #expect(r.steps.map(\.seconds) == [300, 420])
        // Medians (lower median of two): A→B 300, B→C 420 as well.
        let median = try #require(Dijkstra.path(graph, from: a, to: c, statistic: .median))
        #expect(median.seconds == 720)
        // To E: ride to C, then walk 120 m at 1.2 m/s = 100 s (rounded up).
        let toE = try #require(Dijkstra.path(graph, from: a, to: e))
        let walk = try #require(toE.steps.last)
        guard case .transfer(_, let source) = walk.kind else { Issue.record("last step should be a walk"); return }
        #expect(source == .walking)
        let metres = Geo.haversine(lat1: 50.04, lon1: 10.0, lat2: 50.04, lon2: 10.0016764)
        #expect(walk.seconds == Int32((metres / 1.2).rounded(.up)))
        #expect(toE.seconds == 720 + walk.seconds)
        // Unreachable and backwards.
        #expect(Dijkstra.path(graph, from: a, to: f) == nil)
        #expect(Dijkstra.path(graph, from: c, to: a) == nil)
        // One-to-all agrees with one-to-one.
        let all = Dijkstra.oneToAll(graph, from: a)
        #expect(all.seconds[Int(c)] == 720 && all.seconds[Int(b)] == 300 && !all.reached(f))
        #expect(all.path(to: a, in: graph) == [])
    }

    @Test("sample feed: a path along route 1 takes the scheduled run time")
    func sampleSameRoute() throws {
        let feed = try #require(GraphFeeds.sample)
        let graph = TransitGraph(feed: feed)
        let st = feed.stopTimes
        let from = try #require(feed.code(of: "S1002", in: .stop)), to = try #require(feed.code(of: "S1006", in: .stop))
        let path = try #require(Dijkstra.path(graph, from: from, to: to))
        let routeOne = try #require(feed.code(of: "1", in: .route))
        #expect(path.steps.allSatisfy { if case .ride(_, let r, _) = $0.kind { r == routeOne } else { false } })
        #expect(path.steps.count == 4)
        // Independently: per segment the fastest scheduled run, summed; and the earliest trip's run.
        let trip = try #require(feed.code(of: "1-WKD-0-0500", in: .trip))
        let rows = Array(feed.stopTimeIndex.rows(ofTrip: trip))
        #expect(st.stop[Int(rows[1])] == from && st.stop[Int(rows[5])] == to)
        var sum: Int32 = 0
        for k in 1..<5 {
            var best = Int32.max
            for t in 0..<feed.ids(.trip).count {
                let rr = Array(feed.stopTimeIndex.rows(ofTrip: Int32(t)))
                for i in 0..<max(0, rr.count - 1) where st.stop[Int(rr[i])] == st.stop[Int(rows[k])] && st.stop[Int(rr[i + 1])] == st.stop[Int(rows[k + 1])] {
                    best = min(best, st.arrival[Int(rr[i + 1])] - st.departure[Int(rr[i])])
                }
            }
            sum += best
        }
        #expect(path.seconds == sum)
        // The 05:00 trip is among the fastest (early morning): its run time equals the path's.
        #expect(path.seconds == st.arrival[Int(rows[5])] - st.departure[Int(rows[1])])
    }

    @Test("one-to-all Dijkstra equals Bellman-Ford on the sample feed")
    func dijkstraMatchesBellmanFord() throws {
        let feed = try #require(GraphFeeds.sample)
        let graph = TransitGraph(feed: feed)
        let origin = try #require(feed.code(of: "S1001", in: .stop))
        let fast = Dijkstra.oneToAll(graph, from: origin)
        var dist = [Int64](repeating: .max, count: graph.nodeCount)
        dist[Int(origin)] = 0
        var changed = true
        while changed {
            changed = false
            for u in 0..<graph.nodeCount where dist[u] != .max {
                for e in graph.edges(from: Int32(u)) where dist[u] + Int64(graph.minRunTime[e]) < dist[Int(graph.targets[e])] {
                    dist[Int(graph.targets[e])] = dist[u] + Int64(graph.minRunTime[e]); changed = true
                }
                for l in graph.transfers.links(from: Int32(u)) where dist[u] + Int64(graph.transfers.seconds[l]) < dist[Int(graph.transfers.targets[l])] {
                    dist[Int(graph.transfers.targets[l])] = dist[u] + Int64(graph.transfers.seconds[l]); changed = true
                }
            }
        }
        for v in 0..<graph.nodeCount {
            #expect((dist[v] == .max ? Int64(Int32.max) : dist[v]) == Int64(fast.seconds[v]))
        }
        #expect(fast.seconds.filter { $0 != .max }.count > 300)
    }

    @Test("a rider's leg: in-vehicle distance, scheduled time, stops passed and method")
    func leg() throws {
        let feed = try #require(GraphFeeds.sample)
        let legs = LegQueries(feed: feed)
        let trip = try #require(feed.code(of: "1-WKD-0-0500", in: .trip))
        let s1002 = try #require(feed.code(of: "S1002", in: .stop)), s1004 = try #require(feed.code(of: "S1004", in: .stop))
        let leg = try #require(legs.leg(trip: trip, board: .stop(s1002), alight: s1004))
        #expect(abs(leg.metres - 891.2) < 1e-6)
        #expect(leg.scheduledSeconds == 141) // 05:01:09 → 05:03:30
        #expect(leg.stopsPassed == 2 && leg.stops.count == 3)
        #expect(leg.method == .shapeDistTraveled)
        #expect(legs.leg(trip: trip, board: .sequence(2), alight: s1004) == leg)
        #expect(legs.leg(trip: trip, board: .stop(s1004), alight: s1002) == nil)
    }

    @Test("tap-in/tap-out without a trip: the scheduled runs that match, filtered by service date")
    func taps() throws {
        let feed = try #require(GraphFeeds.sample)
        let legs = LegQueries(feed: feed)
        let calendar = ServiceCalendar(feed: feed)
        let s1002 = try #require(feed.code(of: "S1002", in: .stop)), s1004 = try #require(feed.code(of: "S1004", in: .stop))
        let tapIn = try #require(GTFSTime.parse("05:01:30"))
        let monday = try #require(GTFSDate("20260112"))
        let weekday = legs.matches(boardStop: s1002, alightStop: s1004, boardTime: tapIn, tolerance: 120,
                                   feed: feed, calendar: calendar, date: monday)
        #expect(weekday.map { feed.ids(.trip)[Int($0.run.trip)] } == ["1-WKD-0-0500"])
        #expect(weekday.first?.delta == -21)
        // On a Saturday the weekday trip does not run.
        let saturday = try #require(GTFSDate("20260117"))
        let weekend = legs.matches(boardStop: s1002, alightStop: s1004, boardTime: tapIn, tolerance: 120,
                                   feed: feed, calendar: calendar, date: saturday)
        #expect(!weekend.contains { feed.ids(.trip)[Int($0.run.trip)] == "1-WKD-0-0500" })
        // Wrong direction: nothing.
        #expect(legs.matches(boardStop: s1004, alightStop: s1002, boardTime: tapIn, tolerance: 600,
                             feed: feed, calendar: calendar, date: monday).isEmpty)
    }
}
