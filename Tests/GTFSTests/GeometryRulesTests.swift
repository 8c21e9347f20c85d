import Foundation
@testable import GTFS
import Testing

/// The geometric rules on small hand-made feeds: each code fires on exactly the rows the
/// canonical validator names, and a clean shape raises none.
@Suite("Geometry rules")
struct GeometryRulesTests {
    static let geometryCodes = [
        "single_shape_point", "equal_shape_distance_same_coordinates", "equal_shape_distance_diff_coordinates",
        "equal_shape_distance_diff_coordinates_distance_below_threshold", "stop_too_far_from_shape",
        "stop_too_far_from_shape_using_user_distance", "stops_match_shape_out_of_order",
        "stop_has_too_many_matches_for_shape", "fast_travel_between_consecutive_stops", "fast_travel_between_far_stops",
    ]

    /// A straight shape along latitude 54 from longitude 25.00 to 25.10 (about 6.5 km), one
    /// point every 0.01 degree, with shape_dist_traveled 0…10.
    static let straightShape: String = {
        var s = "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n"
        for i in 0...10 { s += "SH,54.0,\(25.0 + Double(i) / 100),\(i + 1),\(i)\n" }
        return s
    }()

    /// Stops on the straight shape (S1 at its start, S2 in the middle, S3 at its end) and one
    /// 556 m north of it.
    static let stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,Start,54.0,25.0
        S2,Middle,54.0,25.05
        S3,End,54.0,25.1
        FAR,North,54.005,25.03

        """

    static func load(_ files: [String: String?]) throws -> ValidationReport {
        try FeedFixture.report(files)
    }


    @Test("a clean shape and a plausible schedule raise no geometric finding")
    func clean() throws {
        let r = try Self.load([
            "stops.txt": Self.stops,
            "shapes.txt": Self.straightShape,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,SH\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled
                T1,08:00:00,08:00:00,S1,1,0
                T1,08:10:00,08:10:00,S2,2,5
                T1,08:20:00,08:20:00,S3,3,10

                """,
        ])
        for code in Self.geometryCodes { #expect(r.findings(code).isEmpty, "\(code)") }
    }

    @Test("single_shape_point names the one point of a one-point shape, not the others")
    func singleShapePoint() throws {
        let r = try Self.load([
            "shapes.txt": """
                shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence
                A,54.0,25.0,1
                A,54.0,25.01,2
                B,54.1,25.1,1
                C,54.2,25.2,1
                C,54.2,25.21,2

                """,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,A\n",
        ])
        let hits = r.findings("single_shape_point")
        #expect(hits.map(\.line) == [4])
        #expect(hits.first?.value == "B")
        #expect(hits.first?.severity == .warning)
    }

    @Test("equal shape_dist_traveled on consecutive points: same place, under 1.11 m and beyond, in sequence order")
    func equalShapeDistances() throws {
        // Listed out of sequence order: the rule follows shape_pt_sequence, and names the later
        // point's own line.
        let r = try Self.load([
            "shapes.txt": """
                shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled
                SH,54.0,25.0,1,0
                SH,54.0,25.0,2,0
                SH,54.0,25.01,4,1
                SH,54.0,25.01,3,0.5
                SH,54.0,25.010005,5,1
                SH,54.0,25.02,6,2
                SH,54.0,25.021,7,2
                SH,54.0,25.03,8,3

                """,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,SH\n",
        ])
        #expect(r.lines("equal_shape_distance_same_coordinates") == [3])
        // 0.000005 degrees of longitude at latitude 54 is about 0.33 m.
        #expect(r.lines("equal_shape_distance_diff_coordinates_distance_below_threshold") == [6])
        // 0.001 degrees is about 65 m.
        let errors = r.findings("equal_shape_distance_diff_coordinates")
        #expect(errors.map(\.line) == [8])
        #expect(errors.first?.severity == .error)
        #expect(r.findings("decreasing_shape_distance").isEmpty)
    }

    @Test("stop_too_far_from_shape: once per stop and shape, at the first trip's stop time")
    func stopTooFar() throws {
        let r = try Self.load([
            "stops.txt": Self.stops,
            "shapes.txt": Self.straightShape,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,SH\nR1,WD,T2,SH\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:05:00,08:05:00,FAR,2
                T1,08:20:00,08:20:00,S3,3
                T2,09:00:00,09:00:00,S1,1
                T2,09:05:00,09:05:00,FAR,2
                T2,09:15:00,09:15:00,S2,3
                T2,09:20:00,09:20:00,S3,4

                """,
        ])
        let hits = r.findings("stop_too_far_from_shape")
        #expect(hits.map(\.line) == [3])
        #expect(hits.first?.file == "stop_times.txt")
        #expect(hits.first?.value == "FAR")
        #expect(r.findings("stops_match_shape_out_of_order").isEmpty)
    }

    @Test("a rail trip's first and last stops may lie 400 m from the shape, the others 100 m")
    func largeStations() throws {
        let r = try Self.load([
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon
                A,First,54.003,25.0
                B,Middle,54.003,25.05
                C,Last,54.003,25.1

                """,
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,2\n",
            "shapes.txt": Self.straightShape,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR2,WD,RAIL,SH\nR1,WD,BUS,SH\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                RAIL,08:00:00,08:00:00,A,1
                RAIL,08:10:00,08:10:00,B,2
                RAIL,08:20:00,08:20:00,C,3
                BUS,09:00:00,09:00:00,A,1
                BUS,09:10:00,09:10:00,B,2
                BUS,09:20:00,09:20:00,C,3
                BUS,09:30:00,09:30:00,B,4

                """,
        ])
        // 0.003 degrees of latitude is 334 m: too far for the middle stop of the rail trip and
        // for every stop of the bus trip, each stop reported once for the shape.
        #expect(r.lines("stop_too_far_from_shape") == [3, 5, 7])
    }

    @Test("stop_too_far_from_shape_using_user_distance: the place a stop's shape_dist_traveled names is far from it")
    func userDistance() throws {
        let r = try Self.load([
            "stops.txt": Self.stops,
            "shapes.txt": Self.straightShape,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,SH\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled
                T1,08:00:00,08:00:00,S1,1,0
                T1,08:10:00,08:10:00,S2,2,5
                T1,08:20:00,08:20:00,S3,3,7

                """,
        ])
        // S3 sits at distance 10, not 7: about 2 km from where its distance puts it.
        let hits = r.findings("stop_too_far_from_shape_using_user_distance")
        #expect(hits.map(\.line) == [4])
        #expect(hits.first?.value == "7")
        #expect(r.findings("stop_too_far_from_shape").isEmpty)
    }

    @Test("stops_match_shape_out_of_order names the stop that matches before its predecessor")
    func outOfOrder() throws {
        let r = try Self.load([
            "stops.txt": Self.stops,
            "shapes.txt": Self.straightShape,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,SH\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S2,1
                T1,08:10:00,08:10:00,S1,2
                T1,08:20:00,08:20:00,S3,3

                """,
        ])
        #expect(r.lines("stops_match_shape_out_of_order") == [3])
        #expect(r.findings("stops_match_shape_out_of_order").first?.value == "S1")
        #expect(r.findings("stop_too_far_from_shape").isEmpty)
    }

    @Test("stop_has_too_many_matches_for_shape: a shape that passes a stop more than 20 times")
    func tooManyMatches() throws {
        // A zigzag of 24 segments, each crossing latitude 54 within a metre of S1 and turning
        // 1.1 km away, then a straight run east to S2.
        var shape = "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
        for k in 0..<25 { shape += "Z,\(k % 2 == 0 ? "53.99" : "54.01"),25.000\(k < 10 ? "0" : "")\(k),\(k + 1)\n" }
        shape += "Z,54.0,25.05,26\n"
        let r = try Self.load([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,Centre,54.0,25.0\nS2,East,54.0,25.05\n",
            "shapes.txt": shape,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,Z\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:10:00,08:10:00,S2,2

                """,
        ])
        let hits = r.findings("stop_has_too_many_matches_for_shape")
        #expect(hits.map(\.line) == [2])
        #expect(hits.first?.message.contains("24") == true)
        #expect(r.findings("stop_too_far_from_shape").isEmpty)
        #expect(r.findings("stops_match_shape_out_of_order").isEmpty)
    }

    /// Three stops 11.1 km apart in a row (0.1 degree of latitude each).
    static let farStops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,54.0,25.0
        S2,Two,54.1,25.0
        S3,Three,54.2,25.0

        """

    @Test("fast travel: each too-fast hop, and the first far pair once per trip; a train may go faster")
    func fastTravel() throws {
        let r = try Self.load([
            "stops.txt": Self.farStops,
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,2\n",
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR1,WD,T2\nR2,WD,TRAIN\nR1,WD,SLOW\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:01:00,08:01:00,S2,2
                T1,08:20:00,08:20:00,S3,3
                T2,09:00:00,09:00:00,S1,1
                T2,09:01:00,09:01:00,S2,2
                T2,09:02:00,09:02:00,S3,3
                TRAIN,10:00:00,10:00:00,S1,1
                TRAIN,10:01:00,10:01:00,S2,2
                TRAIN,10:02:00,10:02:00,S3,3
                SLOW,11:00:00,11:00:00,S1,1
                SLOW,11:10:00,11:10:00,S2,2
                SLOW,11:20:00,11:20:00,S3,3

                """,
        ])
        // 11.1 km in one minute (two, for minute-rounded times) is 333 km/h: too fast for a bus.
        #expect(r.lines("fast_travel_between_consecutive_stops") == [2, 5, 6])
        #expect(r.lines("fast_travel_between_far_stops") == [2, 5])
        #expect(r.findings("fast_travel_between_far_stops").allSatisfy { $0.severity == .warning && $0.file == "stop_times.txt" })
    }

    @Test("rows with errors are left out as the canonical validator does; broken references raise nothing and do not crash")
    func brokenInput() throws {
        let r = try Self.load([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,,\nS2,Two,54.0,25.025\n",
            "shapes.txt": """
                shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence
                SH,,25.0,1
                SH,54.0,x,2
                SH,54.0,25.02,3
                SH,54.0,25.03,4
                ONE,54.0,25.0,1
                ONE,54.0,25.1,x

                """,
            "trips.txt": "route_id,service_id,trip_id,shape_id\nNOPE,WD,T1,SH\nR1,WD,T2,MISSING\nR1,WD,T3,SH\nR1,WD,T4,ONE\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:01:00,08:01:00,S2,2
                T2,08:00:00,08:00:00,GHOST,1
                T2,08:01:00,08:01:00,S2,2
                T3,08:00:00,08:00:00,S1,1
                T3,08:00:30,08:00:30,S2,2
                UNKNOWN,08:00:00,08:00:00,S1,1

                """,
        ])
        // Shape ONE keeps one loadable point (line 6); SH keeps two.
        #expect(r.lines("single_shape_point") == [6])
        for code in Self.geometryCodes where code != "single_shape_point" { #expect(r.findings(code).isEmpty, "\(code)") }
    }
}
