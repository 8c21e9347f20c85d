import Foundation
import GTFS
import TransitNetwork
import Testing

@Suite("Transit graph and walking links")
struct GraphTests {
    @Test("sample feed: one ride edge per consecutive stop pair of each pattern, with min/median run times from the timetable")
    func sampleEdges() throws {
        let feed = try #require(GraphFeeds.sample)
        let graph = TransitGraph(feed: feed)
        #expect(graph.nodeCount == feed.ids(.stop).count)
        let expected = graph.patterns.patterns.reduce(0) { $0 + $1.stops.count - 1 }
        #expect(graph.edgeCount == expected)
        #expect(expected == 330)
        // Route 1 direction 0, S1002 → S1003: every trip's arrival at S1003 minus departure at S1002.
        let st = feed.stopTimes
        let s1002 = try #require(feed.code(of: "S1002", in: .stop)), s1003 = try #require(feed.code(of: "S1003", in: .stop))
        var runs: [Int32] = []
        for t in 0..<feed.ids(.trip).count {
            let rows = Array(feed.stopTimeIndex.rows(ofTrip: Int32(t)))
            for i in 0..<max(0, rows.count - 1) where st.stop[Int(rows[i])] == s1002 && st.stop[Int(rows[i + 1])] == s1003 {
                runs.append(st.arrival[Int(rows[i + 1])] - st.departure[Int(rows[i])])
            }
        }
        runs.sort()
        let edge = try #require(graph.edges(from: s1002).first { graph.targets[$0] == s1003 })
        #expect(graph.minRunTime[edge] == runs.first)
        #expect(graph.medianRunTime[edge] == runs[(runs.count - 1) / 2])
        #expect(abs(graph.metres[edge] - 460.6) < 1e-6) // 901.2 − 440.6 in stop_times.txt
        #expect(feed.ids(.route)[Int(graph.route[edge])] == "1")
    }

    @Test("sample feed: transfers.txt links carry min_transfer_time; stations link their child stops")
    func sampleTransfers() throws {
        let feed = try #require(GraphFeeds.sample)
        let graph = TransitGraph(feed: feed)
        let a = try #require(feed.code(of: "TC-A", in: .stop)), b = try #require(feed.code(of: "TC-B", in: .stop))
        let p1 = try #require(feed.code(of: "TC-P1", in: .stop)), tc = try #require(feed.code(of: "TC", in: .stop))
        let link = try #require(graph.transfers.links(from: a).first { graph.transfers.targets[$0] == b })
        #expect(graph.transfers.seconds[link] == 120)
        #expect(graph.transfers.sources[link] == .transfersFile)
        #expect(graph.transfers.links(from: a).contains { graph.transfers.targets[$0] == p1 })
        // The station itself is not a boardable node.
        #expect(graph.transfers.links(from: tc).isEmpty)
        #expect(!graph.transfers.links(from: a).contains { graph.transfers.targets[$0] == a })
    }

    @Test("the grid finds exactly the stop pairs a brute-force all-pairs scan finds (sample feed)",
          arguments: [100.0, 250.0, 600.0])
    func gridMatchesBruteForce(radius: Double) throws {
        let feed = try #require(GraphFeeds.sample)
        let s = feed.stops
        let index = SpatialIndex(lat: s.lat, lon: s.lon, cellMetres: radius)
        var grid = Set<[Int]>(), brute = Set<[Int]>()
        for i in 0..<s.count {
            for hit in index.within(radius, lat: s.lat[i], lon: s.lon[i]) where Int(hit.point) != i { grid.insert([i, Int(hit.point)]) }
            for j in 0..<s.count where j != i
                && Geo.haversine(lat1: s.lat[i], lon1: s.lon[i], lat2: s.lat[j], lon2: s.lon[j]) <= radius { brute.insert([i, j]) }
        }
        #expect(grid == brute)
        #expect(!brute.isEmpty)
    }

    @Test("walking links in the graph: every boardable pair within 250 m, at 1.2 m/s, and nothing farther")
    func walkingLinks() throws {
        let feed = try #require(GraphFeeds.sample)
        let graph = TransitGraph(feed: feed)
        let s = feed.stops
        var brute = Set<[Int32]>()
        for i in 0..<s.count where s.locationType[i] == 0 {
            for j in 0..<s.count where j != i && s.locationType[j] == 0 {
                let d = Geo.haversine(lat1: s.lat[i], lon1: s.lon[i], lat2: s.lat[j], lon2: s.lon[j])
                if d <= 250 { brute.insert([s.id[i], s.id[j]]) }
            }
        }
        var walking = Set<[Int32]>()
        for a in 0..<graph.nodeCount {
            for l in graph.transfers.links(from: Int32(a)) {
                let pair = [Int32(a), graph.transfers.targets[l]]
                if graph.transfers.sources[l] == .walking {
                    walking.insert(pair)
                    #expect(graph.transfers.seconds[l] == Int32((graph.transfers.metres[l] / 1.2).rounded(.up)))
                }
            }
        }
        // Walking links = brute-force pairs, except pairs transfers.txt defines and station siblings.
        let fromFile = Set((0..<graph.nodeCount).flatMap { a in
            graph.transfers.links(from: Int32(a)).filter { graph.transfers.sources[$0] == .transfersFile }.map { [Int32(a), graph.transfers.targets[$0]] }
        })
        #expect(brute.subtracting(fromFile) == walking.filter { pair in
            let i = s.id.firstIndex(of: pair[0]) ?? 0, j = s.id.firstIndex(of: pair[1]) ?? 0
            return Geo.haversine(lat1: s.lat[i], lon1: s.lon[i], lat2: s.lat[j], lon2: s.lon[j]) <= 250
        })
        #expect(walking.count > 0)
    }

    @Test("a smaller radius gives fewer links; zero gives only transfers.txt and station links")
    func radiusOption() throws {
        let feed = try #require(GraphFeeds.sample)
        let wide = TransitGraph(feed: feed, options: GraphOptions(walkRadiusMetres: 400))
        let normal = TransitGraph(feed: feed)
        let none = TransitGraph(feed: feed, options: GraphOptions(walkRadiusMetres: 0))
        #expect(wide.transfers.targets.count > normal.transfers.targets.count)
        #expect(normal.transfers.targets.count > none.transfers.targets.count)
        #expect(none.transfers.targets.count >= 78 - 4) // the transfers.txt rows, less the 4 self-links
    }
}
