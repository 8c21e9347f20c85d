import Foundation
@testable import GTFS
import Testing

/// The rules of `StationRules` on small hand-made stations: each code fires on the rows
/// gtfs-guru 1.0.0 (the reference) names for the same feed, and clean stations raise none.
@Suite("Station rules")
struct StationRulesTests {
    static let codes = [
        "pathway_loop", "pathway_to_wrong_location_type", "pathway_to_platform_with_boarding_areas",
        "pathway_dangling_generic_node", "pathway_unreachable_location",
        "pathway_to_stop_with_access_outside_of_station_pathways", "missing_level_id",
        "stop_access_specified_for_incorrect_location", "stop_access_specified_for_stop_with_no_parent_station",
    ]

    static func load(_ files: [String: String?]) throws -> ValidationReport {
        try FeedFixture.report(files)
    }


    static let header = "pathway_id,from_stop_id,to_stop_id,pathway_mode,is_bidirectional\n"

    /// A station with an entrance, a node, a platform and a platform with two boarding areas
    /// (rows 2-10 of stops.txt).
    static let station = """
        stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,level_id
        ST,Station,54.1,25.1,1,,
        S1,One,54.1,25.1,0,ST,L1
        S2,Two,54.2,25.2,0,,
        E1,Entrance,54.1,25.1,2,ST,L0
        N1,Node,,,3,ST,
        N2,Dangling,,,3,ST,
        P2,Platform2,54.1,25.1,0,ST,L1
        B1,Board1,,,4,P2,
        B2,Board2,,,4,P2,

        """
    static let levels = "level_id,level_index\nL0,0\nL1,-1\n"

    @Test("the minimal feed and a well-linked station raise none of these codes")
    func clean() throws {
        let minimal = try Self.load([:])
        for code in Self.codes { #expect(minimal.findings(code).isEmpty, "\(code)") }
        let linked = try Self.load([
            "stops.txt": Self.station, "levels.txt": Self.levels,
            "pathways.txt": Self.header + "W1,E1,N1,1,1\nW2,N1,S1,2,1\nW3,N1,B1,5,1\nW4,N1,B2,4,1\nW5,N2,N1,1,1\nW6,N2,E1,1,1\n",
        ])
        for code in Self.codes { #expect(linked.findings(code).isEmpty, "\(code)") }
    }

    @Test("a pathway back to its start is a loop; a node linked to one location dangles")
    func loopAndDangling() throws {
        let r = try Self.load([
            "stops.txt": Self.station, "levels.txt": Self.levels,
            "pathways.txt": Self.header + "W1,E1,N1,1,1\nW2,N1,S1,1,1\nW3,N1,N1,1,1\nW4,N1,B1,1,1\nW5,N1,B2,2,1\nW6,N2,N1,1,1\n",
        ])
        #expect(r.lines("pathway_loop") == [4])
        #expect(r.findings("pathway_loop").first?.severity == .warning)
        #expect(r.lines("pathway_dangling_generic_node") == [7])
        #expect(r.findings("pathway_dangling_generic_node").first?.file == "stops.txt")
        #expect(r.lines("pathway_unreachable_location").isEmpty)
    }

    @Test("pathways to a station or to a platform with boarding areas, from and to")
    func endpoints() throws {
        let r = try Self.load([
            "stops.txt": Self.station, "levels.txt": Self.levels,
            "pathways.txt": Self.header + "W1,E1,N1,1,1\nW2,N1,S1,1,1\nW3,ST,N1,1,1\nW4,N1,P2,1,1\nW5,N1,B1,1,1\nW6,B2,N1,1,1\nW7,P2,ST,1,1\n",
        ])
        let wrong = r.findings("pathway_to_wrong_location_type")
        #expect(wrong.map { "\($0.line ?? 0):\($0.field ?? "")" } == ["4:from_stop_id", "8:to_stop_id"])
        let platform = r.findings("pathway_to_platform_with_boarding_areas")
        #expect(platform.map { "\($0.line ?? 0):\($0.field ?? "")" } == ["5:to_stop_id", "8:from_stop_id"])
        #expect(platform.first?.value == "P2")
        #expect(r.lines("pathway_unreachable_location") == [7])
    }

    @Test("one-way pathways: locations without a way in from an entrance or a way out")
    func reachability() throws {
        let r = try Self.load([
            "stops.txt": Self.station, "levels.txt": Self.levels,
            "pathways.txt": Self.header + "W1,E1,N1,1,0\nW2,N1,S1,1,0\nW3,S1,N1,1,0\nW4,N2,B1,1,1\nW5,N1,B2,2,1\n",
        ])
        // Nothing leads back to the entrance: S1, N1, N2, B1, B2; not the platform with
        // boarding areas (P2), the station, the entrance, or S2 outside the station.
        #expect(r.lines("pathway_unreachable_location") == [3, 6, 7, 9, 10])
        #expect(r.findings("pathway_unreachable_location").first?.value == "S1")
    }

    @Test("stop_access: only on stops in a station, and never with a pathway when it is 1")
    func stopAccess() throws {
        let r = try Self.load([
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,stop_access,platform_code
                ST,Station,54.1,25.1,1,,1,
                S1,One,54.1,25.1,0,ST,1,A
                S2,Two,54.2,25.2,0,,1,
                E1,Entrance,54.1,25.1,2,ST,0,
                N1,Node,,,3,ST,1,
                S3,Three,54.2,25.2,0,,0,
                S4,Four,54.2,25.2,0,,,
                ST2,Station2,54.1,25.1,1,,,
                S5,Five,54.1,25.1,,ST,1,
                B1,Board,,,4,S5,0,
                S6,Six,54.1,25.1,0,ST,0,
                S7,Seven,54.1,25.1,0,ST,2,
                E2,Entrance2,54.1,25.1,2,ST,x,

                """,
            "pathways.txt": Self.header + "W1,E1,S1,1,1\nW2,S1,N1,1,1\nW3,S1,S1,1,1\nW4,E1,S6,1,1\nW5,E1,S5,1,1\nW6,S5,S1,1,1\n",
        ])
        #expect(r.lines("stop_access_specified_for_incorrect_location") == [2, 5, 6, 11])
        #expect(r.lines("stop_access_specified_for_stop_with_no_parent_station") == [4, 7])
        let access = r.findings("pathway_to_stop_with_access_outside_of_station_pathways")
        #expect(access.map { "\($0.line ?? 0):\($0.field ?? "")" }
                == ["2:to_stop_id", "3:from_stop_id", "3:to_stop_id", "4:from_stop_id", "6:to_stop_id", "7:from_stop_id", "7:to_stop_id"])
        #expect(r.lines("pathway_unreachable_location") == [11, 13])
        #expect(r.lines("pathway_dangling_generic_node") == [6])
    }

    @Test("rows whose numbers cannot be read are left out; unreadable enumerations are not")
    func unreadableRows() throws {
        let r = try Self.load([
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,stop_access
                ST,Station,54.1,25.1,1,,
                S1,One,54.1,25.1,0,ST,
                E1,Entrance,54.1,25.1,2,ST,
                N1,Node,,,3,ST,
                N2,Node,,,3,ST,
                N3,Node,,,3,ST,
                N4,Node,,,3,ST,
                S2,Two,x,25.2,0,,1
                E4,Entrance,54.1,25.1,x,ST,1

                """,
            "pathways.txt": "pathway_id,from_stop_id,to_stop_id,pathway_mode,is_bidirectional,length,stair_count\n"
                + "W1,E1,S1,1,1,,\nW2,N1,N1,1,1,x,\nW3,S1,N2,x,1,,\nW4,S1,N3,1,1,,y\nW5,S1,N4,1,x,,\n",
        ])
        // W2 (unreadable length) and W4 (unreadable stair count) are left out; W3 and W5 stay.
        #expect(r.lines("pathway_loop").isEmpty)
        #expect(r.lines("pathway_dangling_generic_node") == [6, 8])
        #expect(r.lines("pathway_unreachable_location") == [5, 7, 8])
        // S2 (unreadable latitude) is left out; E4's unknown location type is not a stop's.
        #expect(r.lines("stop_access_specified_for_stop_with_no_parent_station").isEmpty)
        #expect(r.lines("stop_access_specified_for_incorrect_location") == [10])
    }

    @Test("missing_level_id is not reported (gtfs-guru 1.0.0 does not by default)")
    func noMissingLevel() throws {
        let r = try Self.load([
            "stops.txt": Self.station, "levels.txt": Self.levels,
            "pathways.txt": Self.header + "W1,E1,N1,5,1\nW2,N1,S1,5,1\n",
        ])
        #expect(r.findings("missing_level_id").isEmpty)
    }

    @Test("bad input does not crash: parent cycles, unknown stops and types, empty ends")
    func badInput() throws {
        let stops = """
            stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,stop_access
            A,A,54.1,25.1,3,B,1
            B,B,54.1,25.1,3,A,
            C,C,54.1,25.1,4,C,0
            D,D,54.1,25.1,9,NOWHERE,1
            S1,One,54.1,25.1,0,,
            S2,Two,54.2,25.2,0,,

            """
        let r = try Self.load([
            "stops.txt": stops,
            "pathways.txt": Self.header + "W1,A,B,1,1\nW2,B,GHOST,1,1\nW3,,A,1,1\nW4,C,C,1,1\n",
        ])
        #expect(r.lines("pathway_loop") == [5])
        #expect(r.lines("pathway_dangling_generic_node") == [2])
        #expect(r.lines("stop_access_specified_for_incorrect_location") == [2, 4, 5])
        #expect(r.lines("pathway_to_stop_with_access_outside_of_station_pathways") == [2, 4])
        #expect(r.lines("pathway_unreachable_location").isEmpty)
        // A pathways.txt without its required columns is not read at all, as gtfs-guru does.
        let partial = try Self.load(["stops.txt": stops, "pathways.txt": "pathway_id,from_stop_id,to_stop_id\nW1,A,B\nW4,C,C\n"])
        #expect(partial.lines("pathway_loop").isEmpty)
        #expect(partial.lines("pathway_dangling_generic_node").isEmpty)
        #expect(partial.lines("stop_access_specified_for_incorrect_location") == [2, 4, 5])
    }
}
