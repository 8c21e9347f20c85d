import Foundation
@testable import GTFS
import Testing

/// The canonical rules of `CanonicalRules` on small hand-made feeds: each code fires on the
/// rows gtfs-guru (the reference) names, and the minimal clean feed raises none of them.
@Suite("Canonical rules")
struct CanonicalRulesTests {
    static let codes = [
        "route_short_name_too_long", "route_long_name_contains_short_name", "same_name_and_description_for_route",
        "inconsistent_agency_timezone", "inconsistent_agency_lang", "feed_info_lang_and_agency_lang_mismatch",
        "same_route_and_agency_url", "same_stop_and_agency_url", "same_stop_and_route_url", "invalid_currency",
        "non_ascii_or_non_printable_char", "unused_station", "platform_without_parent_station", "unused_trip",
        "missing_timepoint_value", "stop_time_timepoint_without_times", "overlapping_frequency", "start_and_end_range_equal",
        "inconsistent_route_type_for_block_id", "block_trips_with_overlapping_stop_times", "big_gap_in_service",
        "service_extends_far_in_the_future", "future_calendar", "future_feed", "feed_valid_beyond_total_service_window",
        "service_window_outside_feed_period", "stop_without_location", "missing_stop_name", "location_without_parent_station",
        "transfer_with_invalid_stop_location_type", "transfer_with_invalid_trip_and_route", "transfer_with_invalid_trip_and_stop",
        "transfer_with_suspicious_mid_trip_in_seat", "transfer_distance_too_large", "transfer_distance_above_2_km",
    ]

    static func load(_ files: [String: String?], today: Int32? = 20261207) throws -> ValidationReport {
        try FeedFixture.report(files, options: ReadOptions(today: today.flatMap { GTFSDate(yyyymmdd: $0) }))
    }


    @Test("the minimal clean feed raises none of these codes")
    func clean() throws {
        let r = try Self.load([:])
        for code in Self.codes { #expect(r.findings(code).isEmpty, "\(code)") }
    }

    @Test("route names: too long a short name, a long name starting with it, a description repeating a name")
    func routeNames() throws {
        let r = try Self.load(["routes.txt": """
            route_id,agency_id,route_short_name,route_long_name,route_desc,route_type
            R1,A,10,10 - Downtown,10,3
            R2,A,VeryLongShortName1,Uptown,,3
            R3,A,4,4,,3
            R4,A,5,5th Avenue,the 5th avenue line,3
            R5,A,6,Sixth,SIXTH,3

            """, "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\n"])
        #expect(r.lines("route_short_name_too_long") == [3])
        #expect(r.lines("route_long_name_contains_short_name") == [2, 4])
        #expect(r.lines("same_name_and_description_for_route") == [2, 6])
        #expect(r.findings("same_name_and_description_for_route").first?.message.contains("route_short_name") == true)
    }

    @Test("agencies: time zone and language consistency, feed_lang mismatch on the feed_info row")
    func agencies() throws {
        let r = try Self.load([
            "agency.txt": """
                agency_id,agency_name,agency_url,agency_timezone,agency_lang
                A,One,https://a.example,Europe/Vilnius,en
                B,Two,https://b.example,Europe/Riga,EN
                C,Three,https://c.example,Europe/Vilnius,fr

                """,
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang\nP,https://p.example,en\n",
        ])
        #expect(r.lines("inconsistent_agency_timezone") == [3])
        #expect(r.lines("inconsistent_agency_lang") == [4])
        #expect(r.lines("feed_info_lang_and_agency_lang_mismatch") == [2])
        #expect(r.findings("feed_info_lang_and_agency_lang_mismatch").first?.file == "feed_info.txt")
        let multilingual = try Self.load([
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone,agency_lang\nA,One,https://a.example,Europe/Vilnius,fr\n",
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang\nP,https://p.example,mul\n",
        ])
        #expect(multilingual.findings("feed_info_lang_and_agency_lang_mismatch").isEmpty)
    }

    @Test("URLs shared with the agency or a route are reported on the agency's or route's row")
    func urls() throws {
        let r = try Self.load([
            "routes.txt": "route_id,agency_id,route_short_name,route_type,route_url\nR1,A,1,3,https://a.example\nR2,A,2,3,https://r2.example\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,stop_url\nS1,One,54.1,25.1,https://a.example\nS2,Two,54.2,25.2,https://r2.example\n",
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR2,WD,T2\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT2,09:00:00,09:00:00,S1,1\nT2,09:10:00,09:10:00,S2,2\n",
        ])
        #expect(r.lines("same_route_and_agency_url") == [2])
        #expect(r.lines("same_stop_and_agency_url") == [2])
        #expect(r.lines("same_stop_and_route_url") == [2, 3])
    }

    @Test("currency codes and identifiers with unusual characters")
    func codesAndIdentifiers() throws {
        let r = try Self.load([
            "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\nF1,1.5,EUR,0,0\nF2,1.5,usd,0,0\nF3,1.5,XXY,0,0\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.1,25.1\nSé,Two,54.2,25.2\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,Sé,2\n",
        ])
        #expect(r.findings("invalid_currency").map(\.value) == ["usd", "XXY"])
        #expect(r.findings("non_ascii_or_non_printable_char").map { "\($0.file ?? ""):\($0.line ?? 0)" }.sorted()
                == ["stop_times.txt:3", "stops.txt:3"])
    }

    @Test("stops: location, name and parent station replace missing_required_field; stations and platforms")
    func stops() throws {
        let r = try Self.load([
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code
                S1,One,54.1,25.1,0,ST2,
                S2,Two,54.2,25.2,0,,3
                ST1,Lonely,54.3,25.3,1,,
                ST2,Station,54.4,25.4,1,,
                E1,Entrance,54.41,25.41,2,,
                S5,Five,,,0,,
                S6,,54.5,25.5,0,,

                """,
        ])
        #expect(r.lines("unused_station") == [4])
        #expect(r.lines("platform_without_parent_station") == [3])
        #expect(r.lines("location_without_parent_station") == [6])
        #expect(r.lines("stop_without_location") == [7])
        #expect(r.lines("missing_stop_name") == [8])
        #expect(r.findings("missing_required_field").isEmpty)
        #expect(r.findings("unused_station").allSatisfy { $0.severity == .info })
    }

    @Test("trips without stop times, timepoints, frequencies")
    func tripsAndTimes() throws {
        let r = try Self.load([
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR1,WD,T2\nR1,WD,T3\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint
                T1,08:00:00,08:00:00,S1,1,
                T1,08:10:00,08:10:00,S2,2,1
                T2,09:00:00,09:00:00,S1,1,1
                T2,,,S2,2,1
                T2,09:20:00,09:20:00,S1,3,0

                """,
            "frequencies.txt": """
                trip_id,start_time,end_time,headway_secs
                T1,06:00:00,10:00:00,600
                T1,09:00:00,11:00:00,600
                T2,12:00:00,12:00:00,600

                """,
        ])
        #expect(r.lines("unused_trip") == [4])
        #expect(r.lines("missing_timepoint_value") == [2])
        #expect(r.findings("stop_time_timepoint_without_times").map(\.field) == ["arrival_time", "departure_time"])
        #expect(r.lines("stop_time_timepoint_without_times") == [5, 5])
        #expect(r.lines("overlapping_frequency") == [3])
        #expect(r.lines("start_and_end_range_equal") == [4])
        #expect(r.findings("start_and_end_time_out_of_order").isEmpty)
        // Without a timepoint column, no timepoint rule applies.
        let none = try Self.load([:])
        #expect(none.findings("missing_timepoint_value").isEmpty)
    }

    @Test("blocks: overlapping trips on a shared day, and mixed route types")
    func blocks() throws {
        let files: [String: String?] = [
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,0\n",
            "trips.txt": "route_id,service_id,trip_id,block_id\nR1,WD,T1,B1\nR2,WD,T2,B1\nR1,WE,T3,B2\nR1,WD,T4,B2\nR1,WD,T5,B3\nR1,WD,T6,B3\n",
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                WD,1,1,1,1,1,0,0,20260101,20261231
                WE,0,0,0,0,0,1,1,20260101,20261231

                """,
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:10:00,08:10:00,S2,2
                T2,08:05:00,08:05:00,S2,1
                T2,08:20:00,08:20:00,S1,2
                T3,08:00:00,08:00:00,S1,1
                T3,08:10:00,08:10:00,S2,2
                T4,08:05:00,08:05:00,S2,1
                T4,08:20:00,08:20:00,S1,2
                T5,10:00:00,10:00:00,S1,1
                T5,10:10:00,10:10:00,S2,2
                T6,10:10:00,10:10:00,S2,1
                T6,10:20:00,10:20:00,S1,2

                """,
        ]
        let r = try Self.load(files)
        // B1 overlaps on weekdays; B2's trips never share a day; B3 hands over at the same stop time.
        #expect(r.lines("block_trips_with_overlapping_stop_times") == [2])
        #expect(r.findings("block_trips_with_overlapping_stop_times").first?.value == "B1")
        #expect(r.findings("inconsistent_route_type_for_block_id").map(\.value) == ["B1"])
    }

    @Test("calendar spread: gaps, far ends, future service, feed period against service window")
    func serviceSpread() throws {
        let r = try Self.load([
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                WD,1,1,1,1,1,0,0,20270101,20270110

                """,
            "calendar_dates.txt": "service_id,date,exception_type\nWD,20270301,1\n",
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date\nP,https://p.example,en,20270101,20271231\n",
        ])
        #expect(r.findings("big_gap_in_service").count == 1)
        #expect(r.findings("future_calendar").count == 1)
        #expect(r.findings("future_feed").count == 1)
        #expect(r.findings("feed_valid_beyond_total_service_window").count == 1)
        #expect(r.findings("service_window_outside_feed_period").isEmpty)
        #expect(r.findings("big_gap_in_service").allSatisfy { $0.severity == .info })

        let far = try Self.load([
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                WD,1,1,1,1,1,0,0,20260101,20281231

                """,
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date\nP,https://p.example,en,20260101,20271231\n",
        ])
        #expect(far.lines("service_extends_far_in_the_future") == [2])
        #expect(far.findings("service_window_outside_feed_period").map(\.value) == ["WD"])
        #expect(far.findings("future_calendar").isEmpty)
        // Without a date for today, the rules that compare with it are skipped.
        let undated = try Self.load(["calendar.txt": """
            service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
            WD,1,1,1,1,1,0,0,20260101,20281231

            """], today: nil)
        #expect(undated.findings("service_extends_far_in_the_future").isEmpty)
    }

    @Test("transfers: location types, trips against routes and stops, in-seat edges, distances")
    func transfers() throws {
        let r = try Self.load([
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
                S1,One,54.0,25.0,0,ST
                S2,Two,54.001,25.0,0,ST
                S3,Three,54.03,25.0,0,
                S4,Four,54.2,25.0,0,
                ST,Station,54.0005,25.0,1,
                E1,Entrance,54.0004,25.0,2,ST

                """,
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,3\n",
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR2,WD,T2\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:10:00,08:10:00,S2,2
                T1,08:20:00,08:20:00,S3,3
                T2,09:00:00,09:00:00,S3,1
                T2,09:30:00,09:30:00,S4,2

                """,
            "transfers.txt": """
                from_stop_id,to_stop_id,from_route_id,from_trip_id,to_trip_id,transfer_type
                S1,S2,,,,0
                E1,S1,,,,0
                S1,S3,,,,2
                S1,S4,,,,2
                S3,S3,,T1,T2,4
                S2,S3,,T1,T2,4
                S1,S3,R2,T1,,1
                S4,S3,,T1,,1
                ST,S3,,T1,,1

                """,
        ])
        #expect(r.lines("transfer_with_invalid_stop_location_type") == [3])
        #expect(r.lines("transfer_with_invalid_trip_and_route") == [8])
        #expect(r.lines("transfer_with_invalid_trip_and_stop") == [9])
        #expect(r.lines("transfer_with_suspicious_mid_trip_in_seat") == [7])
        #expect(r.lines("transfer_distance_too_large") == [5, 9])
        #expect(r.lines("transfer_distance_above_2_km") == [4, 7, 8, 10])
    }

    @Test("transfers of types 0–3 need both stop ids; in-seat transfers (4, 5) and a row without a type do not")
    func transferStopIdsRequired() throws {
        let r = try Self.load([
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n",
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR1,WD,T2\n",
            "transfers.txt": """
                from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type
                ,,,,1
                S1,,,,2
                ,S1,,,3
                ,,,,0
                ,,T1,T2,4
                ,,T1,T2,5
                S1,S1,,,1
                ,,,,

                """,
        ])
        let missing = r.findings("missing_required_field").filter { $0.file == "transfers.txt" }
        #expect(missing.map { "\($0.line ?? 0):\($0.field ?? "")" } == [
            "2:from_stop_id", "2:to_stop_id", "3:to_stop_id", "4:from_stop_id", "5:from_stop_id", "5:to_stop_id",
        ])
        // A row with an empty transfer_type is left alone, as the reference (gtfs-guru) does.
    }

    @Test("a stop that names itself as parent_station is reported: its parent has the wrong location type")
    func selfParent() throws {
        let r = try Self.load(["stops.txt": """
            stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
            S1,One,54.0,25.0,0,S1
            ST,Station,54.0,25.0,1,ST
            E1,Entrance,54.0,25.0,2,E1

            """])
        #expect(r.lines("wrong_parent_location_type") == [2, 4])
        #expect(r.lines("station_with_parent_station") == [3])
    }
}
