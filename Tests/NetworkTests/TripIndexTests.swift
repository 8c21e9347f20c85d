import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport

@Suite("The trip index: each trip's first row, route, shape and direction, linked once")
struct TripIndexTests {
    /// Trips: T1 (direction 1, shape SH1, repeated later with another route), T2 (empty
    /// direction_id), T3 (direction 0, shape SH2), T4 (direction_id 7, unusable); T5 only in
    /// stop_times.txt.
    static func feed() throws -> Feed {
        let scratch = try TemporaryFolder("trip-index")
        defer { scratch.remove() }
        let files: [String: String] = [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://example.org,UTC\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,54.700,25.200\nB,B,54.710,25.220\n",
            "routes.txt": "route_id,route_short_name,route_type\nR,R,3\nQ,Q,3\n",
            "trips.txt": """
                route_id,service_id,trip_id,direction_id,shape_id
                R,S,T1,1,SH1
                R,S,T2,,
                Q,S,T3,0,SH2
                Q,S,T1,0,SH2
                R,S,T4,7,

                """,
            "shapes.txt": """
                shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence
                SH1,54.700,25.200,1
                SH1,54.710,25.220,2
                SH2,54.710,25.220,1
                SH2,54.700,25.200,2

                """,
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,07:00:00,07:00:00,A,1
                T1,07:10:00,07:10:00,B,2
                T2,07:20:00,07:20:00,B,1
                T2,07:30:00,07:30:00,A,2
                T3,07:40:00,07:40:00,B,1
                T3,07:50:00,07:50:00,A,2
                T4,08:00:00,08:00:00,A,1
                T4,08:10:00,08:10:00,B,2
                T5,08:20:00,08:20:00,A,1
                T5,08:30:00,08:30:00,B,2

                """,
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nS,1,1,1,1,1,1,1,20260101,20261231\n",
        ]
        for (name, text) in files {
            try text.write(to: scratch.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try FeedReader.load(scratch.url.path, options: ReadOptions(validate: false)).feed
    }

    @Test("first row wins; routes, shapes and file directions per trip; unknown codes answer nil or 0")
    func linksFirstRows() throws {
        let feed = try Self.feed()
        let index = TripIndex(feed: feed)
        let ids = feed.ids(.trip)
        func code(_ id: String) throws -> Int32 { Int32(try #require(ids.firstIndex(of: id))) }
        let route = { (id: String) in Int32(feed.ids(.route).firstIndex(of: id) ?? -9) }
        let shape = { (id: String) in Int32(feed.ids(.shape).firstIndex(of: id) ?? -9) }
        #expect(index.count == ids.count)

        let t1 = try code("T1"), t2 = try code("T2"), t3 = try code("T3"), t4 = try code("T4")
        #expect(index.row(ofTrip: t1) == 0 && index.row(ofTrip: t2) == 1 && index.row(ofTrip: t3) == 2 && index.row(ofTrip: t4) == 4)
        // T1's repeated row (route Q, direction 0) is not read.
        #expect(index.route(ofTrip: t1) == route("R") && index.direction(ofTrip: t1) == 1)
        #expect(index.route(ofTrip: t3) == route("Q") && index.direction(ofTrip: t3) == 0)
        #expect(index.shape(ofTrip: t1) == shape("SH1") && index.shape(ofTrip: t3) == shape("SH2"))
        #expect(index.shape(ofTrip: t2) == -1)
        #expect(index.hasFileDirection[Int(t1)] && index.hasFileDirection[Int(t3)])
        #expect(!index.hasFileDirection[Int(t2)] && !index.hasFileDirection[Int(t4)])
        #expect(index.direction(ofTrip: t2) == 0 && index.direction(ofTrip: t4) == 0)
        #expect(index.withoutFileDirection == 2)

        for bad: Int32 in [-1, Int32(ids.count), Int32.max] {
            #expect(!index.isDeclared(bad))
            #expect(index.row(ofTrip: bad) == nil && index.route(ofTrip: bad) == nil && index.shape(ofTrip: bad) == nil)
            #expect(index.direction(ofTrip: bad) == 0)
        }
        if let t5 = ids.firstIndex(of: "T5").map(Int32.init) {
            #expect(!index.isDeclared(t5) && index.route(ofTrip: t5) == nil && index.routes[Int(t5)] == -1)
        }
        #expect(RoutePatterns(feed: feed).tripRow == index.rows)
    }

    @Test("inferring takes the inferred direction only for trips without a usable direction_id")
    func inferringKeepsFileDirections() throws {
        for feed in [try Self.feed(), try DirectionInferenceTests.smallFeed()] {
            let inference = DirectionInference(feed: feed)
            let plain = TripIndex(feed: feed)
            let index = TripIndex(feed: feed, inference: inference)
            #expect(plain.inferring(nil).directions == plain.directions)
            #expect(index.withoutFileDirection == inference.inferredCount)
            for t in 0..<index.count {
                let code = Int32(t)
                if !plain.isDeclared(code) {
                    #expect(index.direction(ofTrip: code) == 0)
                } else if plain.hasFileDirection[t] {
                    #expect(index.direction(ofTrip: code) == plain.direction(ofTrip: code))
                } else {
                    #expect(index.direction(ofTrip: code) == inference.direction(ofTrip: code))
                }
                #expect(index.direction(ofTrip: code) == inference.direction(ofTrip: code))
            }
        }
    }
}
