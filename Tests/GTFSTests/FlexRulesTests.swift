import Foundation
@testable import GTFS
import Testing

private func cosine(_ a: Double) -> Double { cos(a) }
private func sine(_ a: Double) -> Double { sin(a) }

/// Small GTFS-Flex feeds: a zone-based trip (T2, a polygon in locations.geojson), a trip
/// between the stops of a location group (T3), booking rules, pickup/drop-off windows.
enum FlexFixture {
    static let stopTimesHeader = "trip_id,arrival_time,departure_time,stop_id,location_group_id,location_id,stop_sequence,pickup_type,drop_off_type,start_pickup_drop_off_window,end_pickup_drop_off_window,pickup_booking_rule_id,drop_off_booking_rule_id\n"
    static let fixedTrip = "T1,08:00:00,08:00:00,S1,,,1,0,0,,,,\nT1,08:10:00,08:10:00,S2,,,2,0,0,,,,\n"

    static func square(_ id: String, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String {
        #"{"id":"\#(id)","type":"Feature","properties":{"stop_name":"Zone \#(id)"},"geometry":{"type":"Polygon","coordinates":[[[\#(x0),\#(y0)],[\#(x1),\#(y0)],[\#(x1),\#(y1)],[\#(x0),\#(y1)],[\#(x0),\#(y0)]]]}}"#
    }

    static func collection(_ features: String...) -> String {
        #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
    }

    static let files: [String: String?] = [
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.1,25.1\nS2,Two,54.2,25.2\nS3,Three,54.3,25.3\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,3\n",
        "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR2,WD,T2\nR2,WD,T3\n",
        "stop_times.txt": stopTimesHeader + fixedTrip
            + "T2,,,,,Z1,1,2,1,08:00:00,18:00:00,BR1,\nT2,,,,,Z1,2,1,2,08:00:00,18:00:00,,BR1\n"
            + "T3,,,,LG1,,1,2,1,09:00:00,17:00:00,BR2,\nT3,,,,LG1,,2,1,2,09:00:00,17:00:00,,BR2\n",
        "location_groups.txt": "location_group_id,location_group_name\nLG1,Villages\n",
        "location_group_stops.txt": "location_group_id,stop_id\nLG1,S3\n",
        "booking_rules.txt": "booking_rule_id,booking_type,prior_notice_duration_min,prior_notice_last_day,prior_notice_last_time,phone_number\nBR1,1,30,,,+37060000000\nBR2,2,,1,17:00:00,+37060000000\n",
        "locations.geojson": collection(square("Z1", 25.0, 54.0, 25.4, 54.4)),
    ]

    /// The Flex feed with `overrides` (a `nil` value removes a file).
    static func load(_ overrides: [String: String?] = [:]) throws -> ValidationReport {
        var all = files
        for (k, v) in overrides { all[k] = v }
        return try FeedFixture.report(all)
    }

    /// The stop_times.txt of the fixture with `rows` in place of the Flex trips.
    static func stopTimes(_ rows: String) -> String { stopTimesHeader + fixedTrip + rows }
}

/// The GTFS-Flex notice codes.
let flexCodes: Set<String> = [
    "malformed_json", "missing_required_element", "unsupported_geo_json_type", "unsupported_feature_type",
    "unsupported_geometry_type", "invalid_geometry", "duplicate_geo_json_key", "geo_json_duplicated_element",
    "geo_json_unknown_element", "point_near_origin", "point_near_pole", "duplicate_geography_id",
    "forbidden_geography_id", "forbidden_arrival_or_departure_time", "missing_pickup_or_drop_off_window",
    "invalid_pickup_drop_off_window", "forbidden_pickup_type", "forbidden_drop_off_type",
    "forbidden_continuous_pickup_drop_off", "missing_pickup_drop_off_booking_rule_id",
    "overlapping_zone_and_pickup_drop_off_window", "location_with_unexpected_stop_time", "forbidden_shape_dist_traveled",
    "forbidden_prior_day_booking_field_value", "forbidden_prior_notice_start_day", "forbidden_prior_notice_start_time",
    "forbidden_real_time_booking_field_value", "forbidden_same_day_booking_field_value", "invalid_prior_notice_duration_min",
    "missing_prior_notice_duration_min", "missing_prior_notice_last_day", "missing_prior_notice_last_time",
    "missing_prior_notice_start_time", "prior_notice_last_day_after_start_day",
]

@Suite("GTFS-Flex rules")
struct FlexRulesTests {
    /// The lines of the findings of `code`, after checking that every Flex finding has the
    /// catalog's severity.
    func lines(_ r: ValidationReport, _ code: String) -> [Int?] {
        for f in r.findings where flexCodes.contains(f.code) {
            #expect(NoticeCatalog.entry(f.code)?.severity == f.severity, "\(f.code) reported as \(f.severity)")
        }
        return r.findings(code).map(\.line)
    }

    @Test("a correct Flex feed (zone, location group, booking rules, windows) reports no Flex notice, no error")
    func clean() throws {
        let r = try FlexFixture.load()
        #expect(r.errorCount == 0, "\(r.findings.filter { $0.severity == .error })")
        #expect(r.findings.filter { flexCodes.contains($0.code) }.isEmpty, "\(r.findings)")
        #expect(r.findings("unknown_file").isEmpty)
        #expect(r.findings("missing_trip_edge").isEmpty)
        // S3 is served through location group LG1.
        #expect(r.findings("stop_without_stop_time").isEmpty)
        for code in flexCodes { #expect(NoticeCatalog.entry(code) != nil, "\(code) is not in the catalog") }
    }

    @Test("pickup/drop-off windows: times beside a window, a half window, a window that does not move forward")
    func windows() throws {
        let r = try FlexFixture.load(["stop_times.txt": FlexFixture.stopTimes(
            "T2,08:00:00,,,,Z1,1,2,1,08:00:00,18:00:00,BR1,\n" + // 4
            "T2,,,,,Z1,2,1,2,08:00:00,,,BR1\n" + // 5
            "T3,,,,LG1,,1,2,1,17:00:00,09:00:00,BR2,\n" + // 6
            "T3,,,,LG1,,2,1,2,09:00:00,09:00:00,,BR2\n")]) // 7
        #expect(lines(r, "forbidden_arrival_or_departure_time") == [4])
        #expect(r.findings("missing_pickup_or_drop_off_window").map(\.field) == ["end_pickup_drop_off_window"])
        #expect(lines(r, "missing_pickup_or_drop_off_window") == [5])
        #expect(lines(r, "invalid_pickup_drop_off_window") == [6, 7])
        #expect(r.findings("missing_trip_edge").isEmpty)
    }

    @Test("pickup and drop-off types a window forbids, and missing booking rule ids")
    func types() throws {
        let r = try FlexFixture.load(["stop_times.txt": FlexFixture.stopTimes(
            "T2,,,,,Z1,1,0,1,08:00:00,18:00:00,BR1,\n" + // 4: pickup 0
            "T2,,,,,Z1,2,3,0,08:00:00,18:00:00,,BR1\n" + // 5: pickup 3, drop-off 0
            "T3,,,,LG1,,1,,,09:00:00,17:00:00,BR2,\n" + // 6: empty types mean 0
            "T3,,,,LG1,,2,2,2,09:00:00,17:00:00,,\n")]) // 7: both need a booking rule
        #expect(lines(r, "forbidden_pickup_type") == [4, 5, 6])
        #expect(lines(r, "forbidden_drop_off_type") == [5, 6])
        let missing = r.findings("missing_pickup_drop_off_booking_rule_id")
        #expect(missing.map(\.line) == [7, 7])
        #expect(missing.map(\.field) == ["pickup_booking_rule_id", "drop_off_booking_rule_id"])
        #expect(missing.allSatisfy { $0.severity == .warning })
    }

    @Test("one of stop_id, location_group_id, location_id; no shape distance for zones; location_id must name a feature")
    func geography() throws {
        let header = "trip_id,arrival_time,departure_time,stop_id,location_group_id,location_id,stop_sequence,pickup_type,drop_off_type,start_pickup_drop_off_window,end_pickup_drop_off_window,shape_dist_traveled\n"
        let r = try FlexFixture.load(["stop_times.txt": header
            + "T1,08:00:00,08:00:00,S1,,,1,0,0,,,\nT1,08:10:00,08:10:00,S2,,,2,0,0,,,\n"
            + "T2,,,S1,,Z1,1,2,1,08:00:00,18:00:00,\n" // 4: two geographies
            + "T2,,,,,,2,1,2,08:00:00,18:00:00,\n" // 5: none
            + "T3,,,,LG1,,1,2,1,09:00:00,17:00:00,5.0\n" // 6: shape distance for a group
            + "T3,,,,,NOPE,2,1,2,09:00:00,17:00:00,\n"]) // 7: unknown zone
        let forbidden = r.findings("forbidden_geography_id")
        #expect(forbidden.map(\.line) == [4])
        #expect(forbidden.first?.value == "S1, Z1")
        let missing = r.findings("missing_required_field").filter { $0.file == "stop_times.txt" }
        #expect(missing.map(\.line) == [5] && missing.first?.field == "stop_id")
        #expect(lines(r, "forbidden_shape_dist_traveled") == [6])
        let fk = r.findings("foreign_key_violation")
        #expect(fk.map(\.line) == [7] && fk.first?.field == "location_id" && fk.first?.value == "NOPE")
    }

    @Test("an empty stop_id in a plain feed is a missing_required_field")
    func plainMissingStop() throws {
        let f = try FeedFixture(["stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,,2\n"])
        defer { f.remove() }
        let hits = try f.load().report.findings("missing_required_field")
        #expect(hits.map(\.line) == [3] && hits.first?.field == "stop_id")
    }

    @Test("booking rules: fields each booking type forbids or needs, and the order of the notice bounds")
    func booking() throws {
        let r = try FlexFixture.load(["booking_rules.txt":
            "booking_rule_id,booking_type,prior_notice_duration_min,prior_notice_duration_max,prior_notice_last_day,prior_notice_last_time,prior_notice_start_day,prior_notice_start_time,prior_notice_service_id,phone_number\n"
            + "BR1,1,30,,,,,,,1\n" // 2: fine
            + "BR2,2,,,1,17:00:00,,,,1\n" // 3: fine
            + "R0,0,10,20,1,17:00:00,2,08:00:00,WD,1\n" // 4
            + "S1,1,,,1,17:00:00,,,WD,1\n" // 5
            + "S2,1,60,30,,,,,,1\n" // 6
            + "S3,1,30,60,,,3,08:00:00,,1\n" // 7
            + "P1,2,10,20,,,,,,1\n" // 8
            + "P2,2,,,5,17:00:00,2,08:00:00,,1\n" // 9
            + "P3,2,,,1,17:00:00,,08:00:00,,1\n" // 10
            + "P4,2,,,1,17:00:00,3,,,1\n" // 11
            + "BAD,1,abc,,,,,,,1\n"]) // 12: unreadable row, skipped
        let expected: [String: [Int]] = [
            "forbidden_real_time_booking_field_value": [4],
            "forbidden_same_day_booking_field_value": [5],
            "forbidden_prior_day_booking_field_value": [8],
            "missing_prior_notice_duration_min": [5],
            "invalid_prior_notice_duration_min": [6],
            "forbidden_prior_notice_start_day": [4, 7],
            "prior_notice_last_day_after_start_day": [9],
            "missing_prior_notice_last_day": [8],
            "missing_prior_notice_last_time": [8],
            "forbidden_prior_notice_start_time": [10],
            "missing_prior_notice_start_time": [11],
        ]
        for (code, want) in expected { #expect(lines(r, code) == want, "\(code)") }
        #expect(r.findings("forbidden_real_time_booking_field_value").first?.field
            == "prior_notice_duration_min,prior_notice_duration_max,prior_notice_last_day,prior_notice_last_time,prior_notice_start_day,prior_notice_start_time,prior_notice_service_id")
        #expect(r.findings("forbidden_same_day_booking_field_value").first?.field == "prior_notice_last_day,prior_notice_last_time,prior_notice_service_id")
    }

    @Test("routes with continuous stopping cannot have windowed trips; one finding per stop time, at the route")
    func continuous() throws {
        let r = try FlexFixture.load(["routes.txt": "route_id,agency_id,route_short_name,route_type,continuous_pickup,continuous_drop_off\nR1,A,1,3,0,\nR2,A,2,3,1,0\n"])
        let hits = r.findings("forbidden_continuous_pickup_drop_off")
        #expect(hits.map(\.line) == [3, 3, 3, 3] && hits.allSatisfy { $0.file == "routes.txt" && $0.value == "R2" })
    }

    @Test("a station served by stop_times is location_with_unexpected_stop_time, once, at its stops.txt row")
    func unexpectedStopTime() throws {
        let r = try FlexFixture.load([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\nST,Station,54.1,25.1,1,\nS1,One,54.1,25.1,0,ST\nS2,Two,54.2,25.2,,\nS3,Three,54.3,25.3,,\n",
            "stop_times.txt": FlexFixture.stopTimesHeader + "T1,08:00:00,08:00:00,ST,,,1,0,0,,,,\nT1,08:10:00,08:10:00,S2,,,2,0,0,,,,\nT1,08:20:00,08:20:00,ST,,,3,0,0,,,,\n"
                + "T2,,,,,Z1,1,2,1,08:00:00,18:00:00,BR1,\nT2,,,,,Z1,2,1,2,08:00:00,18:00:00,,BR1\n",
        ])
        let hits = r.findings("location_with_unexpected_stop_time")
        #expect(hits.map(\.line) == [2] && hits.first?.value == "ST" && hits.first?.file == "stops.txt")
    }

    @Test("an id shared by a stop, a location group or a zone is duplicate_geography_id; repeats within a file are not")
    func geographyIDs() throws {
        let r = try FlexFixture.load([
            "location_groups.txt": "location_group_id,location_group_name\nLG1,Villages\nLG1,Again\nS2,Clash\nZ2,Clash\n",
            "locations.geojson": FlexFixture.collection(FlexFixture.square("Z1", 25.0, 54.0, 25.4, 54.4), FlexFixture.square("S1", 26.0, 54.0, 26.4, 54.4),
                                                        FlexFixture.square("Z2", 27.0, 54.0, 27.4, 54.4)),
        ])
        let hits = r.findings("duplicate_geography_id")
        #expect(hits.map(\.value) == ["S1", "S2", "Z2"])
        #expect(hits.map(\.file) == ["stops.txt", "stops.txt", "location_groups.txt"])
        #expect(hits.map(\.line) == [2, 3, 5])
        #expect(lines(r, "duplicate_key") == [3])
    }

    @Test("stops and shape points next to (0, 0) or a pole, one finding per row; rows reading rejected are skipped")
    func coordinates() throws {
        let r = try FlexFixture.load([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,0.5,0.5\nS2,Two,89.5,25.2\nS3,Three,-89,25.3\n",
            "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH,0.1,0.1,1\nSH,1.0,1.0,2,9\nSH,-89.9,3,3\nSH,54,25,4\n",
        ])
        let origin = r.findings("point_near_origin"), pole = r.findings("point_near_pole")
        #expect(origin.map(\.file) == ["stops.txt", "shapes.txt"] && origin.map(\.line) == [2, 2])
        #expect(pole.map(\.file) == ["stops.txt", "stops.txt", "shapes.txt"] && pole.map(\.line) == [3, 4, 4])
        #expect(origin.first?.value == "S1" && origin.first?.field == "stop_lat")
    }

    @Test("references to an absent location_groups.txt or booking_rules.txt are reported one by one")
    func absentParents() throws {
        let r = try FlexFixture.load(["location_groups.txt": nil, "location_group_stops.txt": nil, "booking_rules.txt": nil])
        let fk = r.findings("foreign_key_violation")
        #expect(fk.filter { $0.field == "location_group_id" }.map(\.line) == [6, 7])
        #expect(fk.filter { $0.field == "pickup_booking_rule_id" }.map(\.line) == [4, 6])
        #expect(fk.filter { $0.field == "drop_off_booking_rule_id" }.map(\.line) == [5, 7])
        // Without locations.geojson every location_id is unknown.
        let noZones = try FlexFixture.load(["locations.geojson": nil])
        #expect(noZones.findings("foreign_key_violation").map(\.line) == [4, 5])
    }

    @Test("overlapping zones of one trip with overlapping windows and a shared pickup or drop-off type")
    func overlappingZones() throws {
        let r = try FlexFixture.load([
            "locations.geojson": FlexFixture.collection(
                FlexFixture.square("Z1", 25.0, 54.0, 25.4, 54.4), FlexFixture.square("Z2", 25.2, 54.2, 25.6, 54.6),
                FlexFixture.square("Z3", 25.1, 54.1, 25.3, 54.3), FlexFixture.square("Z4", 25.4, 54.0, 25.8, 54.4)),
            "stop_times.txt": FlexFixture.stopTimes(
                "T2,,,,,Z1,1,2,1,08:00:00,18:00:00,BR1,\n" + // 4
                "T2,,,,,Z2,2,1,2,08:00:00,18:00:00,,BR1\n" + // 5: both types differ from line 4
                "T2,,,,,Z2,3,2,1,09:00:00,10:00:00,BR1,\n" + // 6: overlaps Z1 (line 4)
                "T2,,,,,Z3,4,2,2,08:00:00,18:00:00,BR1,BR1\n" + // 7: inside Z1 (no overlap), overlaps Z2 (lines 5, 6)
                "T2,,,,,Z4,5,2,1,08:00:00,18:00:00,BR1,\n" + // 8: touches Z1, overlaps Z2 (line 6)
                "T3,,,,LG1,,1,2,1,09:00:00,17:00:00,BR2,\nT3,,,,LG1,,2,1,2,09:00:00,17:00:00,,BR2\n"),
        ])
        #expect(lines(r, "overlapping_zone_and_pickup_drop_off_window") == [6, 7, 7, 8])
    }

    @Test("locations.geojson defects, each with its canonical code")
    func geoJSON() throws {
        func codes(_ text: String) throws -> [String] {
            try FlexFixture.load(["locations.geojson": text]).findings.filter { $0.file == "locations.geojson" }.map(\.code)
        }
        let sq = #"{"type":"Polygon","coordinates":[[[25.0,54.0],[25.4,54.0],[25.4,54.4],[25.0,54.4],[25.0,54.0]]]}"#
        func feature(_ body: String) -> String { #"{"type":"FeatureCollection","features":[{"# + body + "}]}" }
        #expect(try codes(#"{"type":"FeatureCollection","features":[}"#) == ["malformed_json"])
        #expect(try codes("[1, 2]") == ["malformed_json"])
        #expect(try codes(#"{"features":[]}"#) == ["missing_required_element"])
        #expect(try codes(#"{"type":"Feature","features":[]}"#) == ["unsupported_geo_json_type"])
        #expect(try codes(#"{"type":"FeatureCollection"}"#) == ["missing_required_element"])
        #expect(try codes(feature(#""id":"Z1","type":"Feature","properties":{},"geometry":"# + sq)) == [])
        #expect(try codes(feature(#""type":"Feature","properties":{},"geometry":"# + sq)) == ["missing_required_element"])
        #expect(try codes(feature(#""id":"Z1","type":"Feature","geometry":{"type":"Polygon"}"#)) == ["missing_required_element", "missing_required_element"])
        #expect(try codes(feature(#""id":"Z1","type":"Thing","properties":{},"geometry":"# + sq)) == ["unsupported_feature_type"])
        #expect(try codes(feature(#""id":"Z1","type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[25,54]}"#)) == ["unsupported_geometry_type"])
        #expect(try codes(feature(#""id":"Z1","type":"Feature","bbox":[1],"properties":{},"geometry":"# + sq)) == ["geo_json_unknown_element"])
        #expect(try FlexFixture.load(["locations.geojson": feature(#""id":"Z1","type":"Feature","x":1,"properties":{},"geometry":"# + sq)])
            .findings("geo_json_unknown_element").first?.severity == .info)
        #expect(try codes(feature(#""id":"Z1","type":"Feature","properties":{"a":1,"a":2},"geometry":"# + sq)) == ["geo_json_duplicated_element"])
        #expect(try codes(FlexFixture.collection(FlexFixture.square("Z1", 25, 54, 25.4, 54.4), FlexFixture.square("Z1", 26, 54, 26.4, 54.4))) == ["duplicate_geo_json_key"])
        // Positions near (0, 0) or a pole: one finding per position, the closing one included.
        #expect(try codes(FlexFixture.collection(FlexFixture.square("Z1", 0, 0, 0.5, 0.5))) == Array(repeating: "point_near_origin", count: 5))
        #expect(try codes(FlexFixture.collection(FlexFixture.square("Z1", 25, 89, 25.4, 89.4))) == Array(repeating: "point_near_pole", count: 5))
    }

    @Test("invalid polygons: too few positions, open, self-crossing, a hole outside, overlapping parts")
    func invalidGeometry() throws {
        func findings(_ geometry: String) throws -> ValidationReport {
            try FlexFixture.load(["locations.geojson": #"{"type":"FeatureCollection","features":[{"id":"Z1","type":"Feature","properties":{},"geometry":"# + geometry + "}]}"])
        }
        let bad = [
            #"{"type":"Polygon","coordinates":[[[25,54],[25.4,54],[25,54]]]}"#,
            #"{"type":"Polygon","coordinates":[[[25,54],[25.4,54],[25.4,54.4],[25,54.4]]]}"#,
            #"{"type":"Polygon","coordinates":[[[25,54],[25.4,54.4],[25.4,54],[25,54.4],[25,54]]]}"#,
            #"{"type":"Polygon","coordinates":[[[25,54],[25.4,54],[25.4,54.4],[25,54.4],[25,54]],[[26,55],[26.1,55],[26.1,55.1],[26,55]]]}"#,
            #"{"type":"MultiPolygon","coordinates":[[[[25,54],[25.4,54],[25.4,54.4],[25,54.4],[25,54]]],[[[25.2,54.2],[26,54.2],[26,55],[25.2,54.2]]]]}"#,
            #"{"type":"Polygon","coordinates":[[[25,54],["x",54],[25.4,54.4],[25,54]]]}"#,
            #"{"type":"Polygon","coordinates":[]}"#,
        ]
        for geometry in bad {
            let r = try findings(geometry)
            #expect(r.findings("invalid_geometry").count == 1, "\(geometry)")
            // An invalid zone makes the file unusable: its references are not checked one by one.
            #expect(r.findings("foreign_key_violation").isEmpty)
        }
        let good = #"{"type":"MultiPolygon","coordinates":[[[[25,54],[25.4,54],[25.4,54.4],[25,54.4],[25,54]],[[25.1,54.1],[25.2,54.1],[25.2,54.2],[25.1,54.1]]],[[[26,54],[26.4,54],[26.4,54.4],[26,54]]]]}"#
        #expect(try findings(good).findings("invalid_geometry").isEmpty)
    }

    @Test("hostile zones stay bounded: findings are capped per code, large rings are checked in a sweep")
    func bounded() throws {
        // 20,000 positions next to (0, 0): all counted, ten kept.
        let ring = (0..<20_000).map { k -> String in
            let a = Double(k) / 20_000 * 2 * Double.pi
            return "[\(0.5 * cosine(a)),\(0.5 * sine(a))]"
        }
        let closed = ring + [ring[0]]
        let text = #"{"type":"FeatureCollection","features":[{"id":"Z1","type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["# + closed.joined(separator: ",") + "]]}}]}"
        let file = LocationsFile(bytes: Array(text.utf8), maxPerCode: 10)
        #expect(file.usable)
        #expect(file.report.counts["point_near_origin"] == 20_001)
        #expect(file.report.findings.count == 10)
        #expect(file.features.first?.parts.first?.rings.first?.count == 20_001)
        // A zigzag whose every edge spans the zone: the budget ends the search, the reader returns.
        var zigzag: [String] = []
        for k in 0..<3000 { zigzag.append(k % 2 == 0 ? "[10,\(20 + Double(k) * 0.001)]" : "[11,\(20 + Double(k) * 0.001)]") }
        zigzag += ["[11,19]", "[10,19]", zigzag[0]]
        let hostile = #"{"type":"FeatureCollection","features":[{"id":"Z1","type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["# + zigzag.joined(separator: ",") + "]]}}]}"
        _ = LocationsFile(bytes: Array(hostile.utf8))
    }

    @Test("zone overlap is the OGC predicate: crossing yes; containment, touching and equality no")
    func planarOverlap() {
        func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [GeoPolygon] {
            [GeoPolygon(rings: [[GeoPoint(x: x0, y: y0), GeoPoint(x: x1, y: y0), GeoPoint(x: x1, y: y1), GeoPoint(x: x0, y: y1), GeoPoint(x: x0, y: y0)]])]
        }
        var budget = WorkBudget(remaining: 1_000_000)
        let a = square(0, 0, 2, 2)
        #expect(Planar.overlaps(a, square(1, 1, 3, 3), budget: &budget))
        #expect(Planar.overlaps(a, square(1, 0, 3, 2), budget: &budget)) // shared edges, no proper crossing
        #expect(!Planar.overlaps(a, square(0.5, 0.5, 1, 1), budget: &budget))
        #expect(!Planar.overlaps(a, square(2, 0, 4, 2), budget: &budget))
        #expect(!Planar.overlaps(a, a, budget: &budget))
        #expect(!Planar.overlaps(a, square(5, 5, 6, 6), budget: &budget))
        var empty = WorkBudget(remaining: 0)
        #expect(!Planar.overlaps(a, square(1, 1, 3, 3), budget: &empty))
    }
}
