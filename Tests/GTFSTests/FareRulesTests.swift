import Foundation
@testable import GTFS
import Testing

/// The Fares v1 and v2 rules of `FareRules` on small hand-made feeds: each code fires on the
/// rows (and fields) the canonical validator names, and a clean Fares v2 feed raises none.
@Suite("Fare rules")
struct FareRulesTests {
    static let codes = [
        "fare_transfer_rule_duration_limit_type_without_duration_limit", "fare_transfer_rule_duration_limit_without_type",
        "fare_transfer_rule_invalid_transfer_count", "fare_transfer_rule_with_forbidden_transfer_count",
        "fare_transfer_rule_without_transfer_count", "fare_product_with_multiple_default_rider_categories",
        "duplicate_fare_media", "invalid_currency_amount", "invalid_currency", "timeframe_only_start_or_end_time_specified",
        "timeframe_overlap", "timeframe_start_or_end_time_greater_than_twenty_four_hours",
        "route_networks_specified_in_more_than_one_file", "stop_without_zone_id", "missing_required_agency_id",
    ]

    static let fareFiles: Set<String> = [
        "fare_attributes.txt", "fare_rules.txt", "areas.txt", "stop_areas.txt", "networks.txt", "route_networks.txt",
        "timeframes.txt", "rider_categories.txt", "fare_media.txt", "fare_products.txt", "fare_leg_rules.txt",
        "fare_leg_join_rules.txt", "fare_transfer_rules.txt",
    ]

    /// A small correct Fares v2 feed on top of the fixture's base feed.
    static let clean: [String: String?] = [
        "areas.txt": "area_id,area_name\nA1,Zone 1\nA2,Zone 2\n",
        "stop_areas.txt": "area_id,stop_id\nA1,S1\nA2,S2\n",
        "networks.txt": "network_id,network_name\nN1,Bus\n",
        "route_networks.txt": "network_id,route_id\nN1,R1\n",
        "timeframes.txt": "timeframe_group_id,start_time,end_time,service_id\nPEAK,07:00:00,09:00:00,WD\nPEAK,16:00:00,18:00:00,WD\nANY,,,WD\n",
        "rider_categories.txt": "rider_category_id,rider_category_name,is_default_fare_category,eligibility_url\nADULT,Adult,1,\nCHILD,Child,0,https://a.example/child\n",
        "fare_media.txt": "fare_media_id,fare_media_name,fare_media_type\nCARD,Transit card,2\nAPP,Mobile app,4\nCASH,Cash,0\n",
        "fare_products.txt": """
            fare_product_id,fare_product_name,rider_category_id,fare_media_id,amount,currency
            SINGLE,Single ride,ADULT,CARD,1.50,EUR
            SINGLE,Single ride,CHILD,CARD,0.75,EUR
            SINGLE,Single ride,ADULT,CASH,2.00,EUR
            TRANSFER,Transfer,,APP,0.50,EUR
            DAY,Day pass,ADULT,APP,500,JPY

            """,
        "fare_leg_rules.txt": """
            leg_group_id,network_id,from_area_id,to_area_id,from_timeframe_group_id,to_timeframe_group_id,fare_product_id,rule_priority
            BUS,N1,A1,A2,PEAK,PEAK,SINGLE,1
            BUS,N1,A1,A2,ANY,ANY,SINGLE,0

            """,
        "fare_transfer_rules.txt": """
            from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,fare_transfer_type,fare_product_id
            BUS,BUS,1,5400,1,1,TRANSFER

            """,
        "fare_leg_join_rules.txt": "from_network_id,to_network_id,from_stop_id,to_stop_id\nN1,N1,S2,S2\n",
    ]

    static func load(_ files: [String: String?]) throws -> ValidationReport {
        try FeedFixture.report(files, options: ReadOptions(today: GTFSDate(yyyymmdd: 20261207)))
    }


    static func fields(_ r: ValidationReport, _ code: String) -> [String] {
        r.findings(code).sorted { ($0.line ?? 0) < ($1.line ?? 0) }.compactMap(\.field)
    }

    @Test("a clean Fares v2 feed raises none of these codes, and nothing about its fare files")
    func cleanFeed() throws {
        let r = try Self.load(Self.clean)
        for code in Self.codes { #expect(r.findings(code).isEmpty, "\(code)") }
        let aboutFares = r.findings.filter { Self.fareFiles.contains($0.file ?? "") }
        #expect(aboutFares.isEmpty, "\(aboutFares.map(\.description))")
    }

    @Test("transfer rules: duration limit and type together, transfer_count only within one leg group, -1 or ≥ 1")
    func transferRules() throws {
        let r = try Self.load([
            "fare_products.txt": "fare_product_id,fare_product_name,amount,currency\nP1,Single,1.50,EUR\n",
            "fare_leg_rules.txt": "leg_group_id,network_id,fare_product_id\nG1,,P1\nG2,,P1\n",
            "fare_transfer_rules.txt": """
                from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,fare_transfer_type,fare_product_id
                G1,G1,1,,,0,P1
                G1,G1,,,,0,P1
                G1,G2,2,,,0,P1
                G2,G2,0,,,0,P1
                G2,G2,-2,,,0,P1
                G2,G2,-1,600,,0,P1
                G1,G2,,,1,0,P1
                ,,5,,,0,P1
                G1,,,,,0,P1

                """,
        ])
        #expect(r.lines("fare_transfer_rule_without_transfer_count") == [3])
        #expect(r.lines("fare_transfer_rule_with_forbidden_transfer_count") == [4, 9])
        #expect(r.lines("fare_transfer_rule_invalid_transfer_count") == [5, 6])
        #expect(r.findings("fare_transfer_rule_invalid_transfer_count").map(\.value) == ["0", "-2"])
        #expect(r.lines("fare_transfer_rule_duration_limit_without_type") == [7])
        #expect(Self.fields(r, "fare_transfer_rule_duration_limit_without_type") == ["duration_limit_type"])
        #expect(r.lines("fare_transfer_rule_duration_limit_type_without_duration_limit") == [8])
        #expect(Self.fields(r, "fare_transfer_rule_duration_limit_type_without_duration_limit") == ["duration_limit"])
        // -2 is the transfer-count rule's, not a range error.
        #expect(r.findings("number_out_of_range").isEmpty)
        #expect(r.findings.filter { $0.code.hasPrefix("fare_transfer_rule") }.allSatisfy { $0.file == "fare_transfer_rules.txt" && $0.severity == .error })
    }

    @Test("timeframes: both times or neither, at most 24:00:00, start before end, no overlap within a group and service")
    func timeframes() throws {
        let r = try Self.load([
            "timeframes.txt": """
                timeframe_group_id,start_time,end_time,service_id
                PEAK,08:00:00,09:00:00,WD
                PEAK,08:30:00,09:30:00,WD
                PEAK,09:15:00,10:00:00,WD
                OFF,,,WD
                X,10:00:00,,WD
                Y,,10:00:00,WD
                Z,23:00:00,25:00:00,WD
                Z2,24:00:00,24:00:00,WD
                Z3,12:00:00,11:00:00,WD
                Z4,26:00:00,27:00:00,WD
                C,10:00:00,11:00:00,WD
                C,10:00:00,10:30:00,WD

                """,
        ])
        #expect(r.lines("timeframe_only_start_or_end_time_specified") == [6, 7])
        #expect(Self.fields(r, "timeframe_only_start_or_end_time_specified") == ["end_time", "start_time"])
        let late = r.findings("timeframe_start_or_end_time_greater_than_twenty_four_hours")
        #expect(late.map { "\($0.line ?? 0) \($0.field ?? "") \($0.value ?? "")" } == ["8 end_time 25:00:00", "11 start_time 26:00:00", "11 end_time 27:00:00"])
        // In start-time order, each timeframe against the one before it (the canonical pairs).
        #expect(r.lines("timeframe_overlap") == [3, 4, 12])
        #expect(r.lines("start_and_end_range_equal") == [9])
        #expect(r.lines("start_and_end_range_out_of_order") == [10])
    }

    @Test("fare media: duplicates of name and type on the first row, named transit cards and apps")
    func fareMedia() throws {
        let r = try Self.load([
            "fare_media.txt": """
                fare_media_id,fare_media_name,fare_media_type
                M1,Card,2
                M2,Card,2
                M3,Card,1
                M4,,0
                M5,,0
                M6,Card,2
                M7,,4

                """,
        ])
        #expect(r.lines("duplicate_fare_media") == [2, 2, 5])
        #expect(r.findings("duplicate_fare_media").allSatisfy { $0.severity == .warning })
        let unnamed = r.findings("missing_recommended_field").filter { $0.file == "fare_media.txt" }
        #expect(unnamed.map(\.line) == [8])
        #expect(unnamed.map(\.field) == ["fare_media_name"])
    }

    @Test("a fare product with two default rider categories; is_default_fare_category is required")
    func riderCategories() throws {
        let r = try Self.load([
            "rider_categories.txt": """
                rider_category_id,rider_category_name,is_default_fare_category
                ADULT,Adult,1
                SENIOR,Senior,1
                CHILD,Child,0

                """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,rider_category_id,amount,currency
                P1,Single,ADULT,1.50,EUR
                P1,Single,CHILD,0.50,EUR
                P1,Single,SENIOR,1.00,EUR
                P2,Day,ADULT,5.00,EUR
                P2,Day,CHILD,3.00,EUR
                P3,Week,SENIOR,9.00,EUR
                P3,Week,ADULT,9.00,EUR

                """,
        ])
        let found = r.findings("fare_product_with_multiple_default_rider_categories")
        #expect(found.map(\.line) == [2, 7])
        #expect(found.map(\.value) == ["P1", "P3"])
        let missing = try Self.load([
            "rider_categories.txt": "rider_category_id,rider_category_name,is_default_fare_category\nADULT,Adult,1\nSTUDENT,Student,\n",
        ])
        #expect(missing.findings("missing_required_field").map(\.line) == [3])
    }

    @Test("currencies: ISO 4217 codes, and amounts with the currency's decimal places")
    func currencies() throws {
        let r = try Self.load([
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency
                P1,a,1.50,EUR
                P2,b,2,EUR
                P3,c,2.5,EUR
                P4,d,3.000,EUR
                P5,e,100,JPY
                P6,f,100.5,JPY
                P7,g,1.234,BHD
                P8,h,1.5,XXX
                P9,i,1.5,eur
                P10,j,-1.00,EUR
                P11,k,abc,EUR
                P12,l,1.2500,CLF
                P13,m,.50,EUR

                """,
        ])
        #expect(r.lines("invalid_currency_amount") == [3, 4, 5, 7, 9])
        #expect(r.findings("invalid_currency_amount").map(\.value) == ["2", "2.5", "3.000", "100.5", "1.5"])
        #expect(r.lines("invalid_currency") == [10])
        #expect(Self.fields(r, "invalid_currency") == ["currency"])
        #expect(r.lines("invalid_float") == [12])
        #expect(FareRules.decimalScale("2.5e1") == 0)
        #expect(FareRules.decimalScale("1E-2") == 2)
        #expect(FareRules.decimalScale(" 2.00 ") == 2)
        #expect(FareRules.decimalScale("1.2.3") == nil)
        #expect(FareRules.decimalScale("e5") == nil)
        #expect(FareRules.decimalScale("-") == nil)
    }

    @Test("networks: routes.network_id with route_networks.txt or networks.txt, and fare_leg_rules' network_id")
    func networks() throws {
        let r = try Self.load([
            "routes.txt": "route_id,agency_id,route_short_name,route_type,network_id\nR1,A,1,3,N1\n",
            "networks.txt": "network_id,network_name\nN2,Other\n",
            "route_networks.txt": "network_id,route_id\nN2,R1\n",
            "fare_products.txt": "fare_product_id,fare_product_name,amount,currency\nP1,Single,1.50,EUR\n",
            "fare_leg_rules.txt": "leg_group_id,network_id,fare_product_id\nG1,N1,P1\nG2,N2,P1\nG3,N3,P1\n",
        ])
        let twice = r.findings("route_networks_specified_in_more_than_one_file")
        #expect(twice.count == 2)
        #expect(twice.allSatisfy { $0.file == "routes.txt" && $0.field == "network_id" && $0.line == nil })
        let fk = r.findings("foreign_key_violation")
        #expect(fk.map { "\($0.file ?? "") \($0.line ?? 0) \($0.field ?? "") \($0.value ?? "")" } == ["fare_leg_rules.txt 4 network_id N3"])
        let alone = try Self.load(["routes.txt": "route_id,agency_id,route_short_name,route_type,network_id\nR1,A,1,3,\n"])
        #expect(alone.findings("route_networks_specified_in_more_than_one_file").isEmpty)
    }

    @Test("fares v1: agency_id with several agencies, zones of fare_rules.txt, stops without a zone, fare_rules.txt alone")
    func faresV1() throws {
        let agencies = try Self.load([
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://a.example,Europe/Vilnius\nB,Bgency,https://b.example,Europe/Vilnius\n",
            "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers,agency_id\nF1,1.50,EUR,0,,\nF2,1.50,EUR,0,,A\n",
            "fare_rules.txt": "fare_id,route_id\nF1,R1\n",
        ])
        let missing = agencies.findings("missing_required_agency_id").filter { $0.file == "fare_attributes.txt" }
        #expect(missing.map(\.line) == [2])
        #expect(missing.map(\.field) == ["agency_id"])

        let zones = try Self.load([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,zone_id\nS1,One,54.1,25.1,Z1\nS2,Two,54.2,25.2,\nS3,Three,54.3,25.3,\n",
            "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers,agency_id\nF1,1.50,EUR,0,,A\n",
            "fare_rules.txt": "fare_id,route_id,origin_id,destination_id,contains_id\nF1,R1,Z1,,\nF1,,Z9,Z8,Z7\nF1,R1,,,\n",
        ])
        let fk = zones.findings("foreign_key_violation").map { "\($0.line ?? 0) \($0.field ?? "") \($0.value ?? "")" }
        #expect(fk == ["3 origin_id Z9", "3 destination_id Z8", "3 contains_id Z7"])
        // S2 is served by R1, whose fare depends on zones; S3 is served by no trip.
        #expect(zones.lines("stop_without_zone_id") == [3])
        #expect(zones.findings("stop_without_zone_id").allSatisfy { $0.severity == .info && $0.file == "stops.txt" })

        let rulesOnly = try Self.load(["fare_rules.txt": "fare_id,route_id\nF1,R1\n"])
        #expect(rulesOnly.findings("missing_required_file").map(\.file) == ["fare_attributes.txt"])
        #expect(rulesOnly.findings("foreign_key_violation").map(\.value) == ["F1"])
    }

    @Test("references to absent or empty fare files are each reported")
    func absentParents() throws {
        let r = try Self.load([
            "areas.txt": "area_id,area_name\n",
            "stop_areas.txt": "area_id,stop_id\nA1,S1\n",
            "fare_leg_rules.txt": "leg_group_id,from_area_id,fare_product_id\nG1,A1,P1\n",
            "fare_transfer_rules.txt": "from_leg_group_id,to_leg_group_id,fare_transfer_type\nG1,G9,0\n",
        ])
        let fk = r.findings("foreign_key_violation").map { "\($0.file ?? "") \($0.line ?? 0) \($0.field ?? "") \($0.value ?? "")" }.sorted()
        #expect(fk == [
            "fare_leg_rules.txt 2 fare_product_id P1", "fare_leg_rules.txt 2 from_area_id A1",
            "fare_transfer_rules.txt 2 to_leg_group_id G9", "stop_areas.txt 2 area_id A1",
        ])
    }

    @Test("leg join rules: from_stop_id and to_stop_id go together")
    func legJoinRules() throws {
        let r = try Self.load([
            "networks.txt": "network_id,network_name\nN1,Net\n",
            "fare_leg_join_rules.txt": "from_network_id,to_network_id,from_stop_id,to_stop_id\nN1,N1,S1,\nN1,N1,,S2\nN1,N1,S1,S2\nN1,N1,,\n",
        ])
        let missing = r.findings("missing_required_field").filter { $0.file == "fare_leg_join_rules.txt" }
        #expect(missing.map(\.line) == [2, 3])
        #expect(missing.map(\.field) == ["to_stop_id", "from_stop_id"])
    }

    @Test("malformed fare files do not crash the rules")
    func malformed() throws {
        let r = try Self.load([
            "fare_transfer_rules.txt": "from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,fare_transfer_type\nG1,G1,x,y,z,0\n,,,,\nG1\n",
            "timeframes.txt": "timeframe_group_id,start_time,end_time,service_id\nT,8am,25:99:00,WD\nT,,,\n,xx\n",
            "fare_media.txt": "fare_media_id,fare_media_name,fare_media_type\nM1,,9\nM1,,q\n",
            "fare_products.txt": "fare_product_id,amount,currency,rider_category_id\nP1,1e999999999,EUR,C\nP1,,,\n,1.00,EUR,C\n",
            "rider_categories.txt": "rider_category_id,rider_category_name,is_default_fare_category\nC,C,1\nC,C,7\n",
            "fare_rules.txt": "fare_id,origin_id\n,Z\n",
            "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\nF1,-1,???,9,9\n",
        ])
        #expect(r.errorCount > 0)
    }
}
