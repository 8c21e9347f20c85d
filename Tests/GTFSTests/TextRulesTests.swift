import Foundation
@testable import GTFS
import Testing

/// The rules of `TextRules` (translations, attributions, phone numbers) on small hand-made
/// feeds: codes and rows as gtfs-guru 1.0.0 reports them, and none on clean files.
@Suite("Text rules")
struct TextRulesTests {
    static let codes = [
        "translation_unknown_table_name", "translation_unexpected_value", "translation_foreign_key_violation",
        "attribution_without_role", "invalid_phone_number", "missing_required_field",
    ]

    static func load(_ files: [String: String?], country: String? = nil) throws -> ValidationReport {
        try FeedFixture.report(files, options: ReadOptions(countryCode: country))
    }


    static let header = "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"

    @Test("clean translations, attributions and phone numbers raise none of these codes")
    func clean() throws {
        let r = try Self.load([
            "translations.txt": Self.header + """
                stops,stop_name,fr,Un,S1,,
                stops,stop_name,fr,Un,,,One
                stop_times,stop_headsign,fr,Un,T1,02,
                feed_info,feed_publisher_name,fr,P,,,
                agency,agency_name,fr,Agence,A,,

                """,
            "attributions.txt": "attribution_id,agency_id,organization_name,is_producer,is_operator,attribution_phone\nAT1,A,Org,1,,+1 650 253 0000\nAT2,,Org2,,1,(650) 253-0000\n",
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone,agency_phone\nA,Agency,https://a.example,Europe/Vilnius,650-253-0000\n",
        ], country: "US")
        for code in Self.codes { #expect(r.findings(code).isEmpty, "\(code)") }
    }

    @Test("translations: unknown tables, values that must be empty, missing keys, unknown records")
    func translations() throws {
        let r = try Self.load(["translations.txt": Self.header + """
            stops,stop_name,fr,Un,S1,,
            stops,stop_name,fr,Un,NOPE,,
            nonsense,stop_name,fr,Un,S1,,
            levels,level_name,fr,Un,L1,,
            stops,stop_name,fr,Un,S1,,One
            stops,stop_name,fr,Un,S1,X,One
            stops,stop_name,fr,Un,,,One
            stops,stop_name,fr,Un,S1,X,
            stop_times,stop_headsign,fr,Un,T1,,
            stop_times,stop_headsign,fr,Un,T1,1,
            stop_times,stop_headsign,fr,Un,T1,9,
            feed_info,feed_publisher_name,fr,Un,,,
            feed_info,feed_publisher_name,fr,Un,X,,
            agency,agency_name,fr,Un,A,,
            agency,agency_name,fr,Un,,,
            routes,route_long_name,fr,Un,R1,,
            calendar,service_id,fr,Un,WD,,
            calendar_dates,service_id,fr,Un,WD,20260101,
            Stops,stop_name,fr,Un,S1,,
             stops ,stop_name,fr,Un, S1,,

            """])
        #expect(r.lines("translation_foreign_key_violation") == [3, 12])
        #expect(r.findings("translation_foreign_key_violation").last?.value == "T1, 9")
        #expect(r.lines("translation_unknown_table_name") == [4, 5, 19, 20])
        #expect(r.findings("translation_unknown_table_name").allSatisfy { $0.severity == .warning })
        let unexpected = r.findings("translation_unexpected_value").map { "\($0.line ?? 0):\($0.field ?? "")" }
        #expect(unexpected == ["6:record_id", "7:record_id", "7:record_sub_id", "9:record_sub_id", "14:record_id"])
        let missing = r.findings("missing_required_field").map { "\($0.line ?? 0):\($0.field ?? "")" }
        #expect(missing == ["10:record_sub_id", "16:record_id"])
    }

    @Test("record keys are matched as the table's typed values: sequences, times, dates, pairs")
    func typedKeys() throws {
        let r = try Self.load([
            "translations.txt": Self.header + """
                calendar_dates,service_id,fr,Un,WD,20260101,
                calendar_dates,service_id,fr,Un,WD,2026-01-01,
                frequencies,trip_id,fr,Un,T1,8:00:00,
                frequencies,trip_id,fr,Un,T1,09:00:00,
                transfers,from_stop_id,fr,Un,S1,S2,
                transfers,from_stop_id,fr,Un,S1,S9,
                stop_times,stop_headsign,fr,Un,T1,abc,
                attributions,organization_name,fr,Un,AT1,,
                attributions,organization_name,fr,Un,AT9,,

                """,
            "calendar_dates.txt": "service_id,date,exception_type\nWD,20260101,2\n",
            "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nT1,08:00:00,09:00:00,600\n",
            "transfers.txt": "from_stop_id,to_stop_id,transfer_type\nS1,S2,0\n",
            "attributions.txt": "attribution_id,organization_name,is_producer\nAT1,Org,1\n",
        ])
        #expect(r.lines("translation_foreign_key_violation") == [3, 5, 7, 8, 10])
        #expect(r.lines("translation_unknown_table_name").isEmpty)
    }

    @Test("the legacy format and files with rows lacking table_name, field_name or language are not checked")
    func skipped() throws {
        let legacy = try Self.load(["translations.txt": "trans_id,lang,translation\nX,fr,Un\n"])
        #expect(legacy.findings("translation_foreign_key_violation").isEmpty)
        let incomplete = try Self.load(["translations.txt": Self.header + "stops,stop_name,,Un,S1,,\nstops,stop_name,fr,Un,NOPE,,\n"])
        #expect(incomplete.findings("translation_foreign_key_violation").isEmpty)
        #expect(incomplete.lines("missing_required_field") == [2])
    }

    @Test("attributions without a role, and the schema's own checks on attributions.txt")
    func attributions() throws {
        let r = try Self.load(["attributions.txt": """
            attribution_id,agency_id,route_id,trip_id,organization_name,is_producer,is_operator,is_authority,attribution_url,attribution_email,attribution_phone
            AT1,A,,,Org,1,,,https://x.example,a@b.example,+37060000000
            AT2,,R1,,Org,,,,,,
            AT3,,,T1,Org,0,0,0,,,
            AT4,,,,Org,,1,,,,
            ,,,,Org,,,1,,,
            ,,,,Org,,,,,,
            AT6,NOA,,,Org,2,,,,,
            AT7,,,,,1,,,notaurl,bad,

            """])
        #expect(r.lines("attribution_without_role") == [3, 4, 7, 8])
        #expect(r.findings("attribution_without_role").first?.value == "AT2")
        #expect(r.lines("invalid_url") == [9])
        #expect(r.lines("invalid_email") == [9])
        #expect(r.lines("missing_required_field") == [9])
        #expect(r.findings("foreign_key_violation").map(\.value) == ["NOA"])
        let noName = try Self.load(["attributions.txt": "attribution_id,is_producer\nAT1,\n"])
        #expect(noName.findings("attribution_without_role").isEmpty)
    }

    @Test("phone numbers are checked only with a country, in the three phone fields")
    func phoneNumbers() throws {
        let files: [String: String?] = [
            "agency.txt": """
                agency_id,agency_name,agency_url,agency_timezone,agency_phone
                A,Agency,https://a.example,Europe/Vilnius,1-800-FLOWERS
                B,Agency B,https://b.example,Europe/Vilnius,(650) 253-0000
                C,Agency C,https://c.example,Europe/Vilnius,911

                """,
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n",
            "attributions.txt": "attribution_id,organization_name,is_producer,attribution_phone\nAT1,Org,1,call-me\nAT2,Org,1,+1 650 253 0000\n",
            "booking_rules.txt": "booking_rule_id,booking_type,phone_number\nBR1,0,ring ring\nBR2,0,+370 600 00000\n",
        ]
        #expect(try Self.load(files).findings("invalid_phone_number").isEmpty)
        let us = try Self.load(files, country: "US").findings("invalid_phone_number")
        #expect(us.map { "\($0.file ?? ""):\($0.line ?? 0)" }
                == ["agency.txt:2", "agency.txt:4", "booking_rules.txt:2", "attributions.txt:2"])
        #expect(us.first?.value == "1-800-FLOWERS")
        #expect(us.allSatisfy { $0.severity == .error })
    }

    @Test("phone plausibility: characters, E.164 lengths and national lengths per country")
    func plausibility() {
        func ok(_ s: String, _ c: String) -> Bool { PhoneNumber.isPlausible(s, country: c) }
        // Characters, as gtfs-guru: letters, slashes, '#', tabs are refused.
        for bad in ["invalid", "1-800-FLOWERS", "tel: 555-1234", "(650) 253-0000 x123", "650/253-0000", "*123", "1", "", "+", "650\t2530000"] {
            #expect(!ok(bad, "US"), "\(bad)")
        }
        #expect(!ok("650 + 2530000", "US"))
        // International: 7 to 15 digits, and the national length where the calling code is known.
        #expect(ok("+1 650 253 0000", "LT") && ok("+370 600 00000", "US") && ok("00370 600 00000", "LT") && ok("+7 495 123-45-67", "FR"))
        #expect(!ok("+123456789012345678", "US") && !ok("+370 600 0000", "US") && !ok("011 370 600", "US"))
        // National formats.
        #expect(ok("(650) 253-0000", "US") && ok("1-650-253-0000", "US") && ok("253-0000", "US") && !ok("911", "US"))
        #expect(ok("8 600 00000", "LT") && ok("37123456", "LT") && !ok("(650) 253-0000", "LT"))
        #expect(ok("01 23 45 67 89", "FR") && !ok("37123456", "FR"))
        #expect(ok("030 1234567", "DE") && ok("0800 123 456", "DE"))
        #expect(ok("020 7946 0000", "GB") && !ok("020 7946 0000 12", "GB"))
        #expect(ok("(11) 91234-5678", "BR") && !ok("156", "BR"))
        #expect(ok("55 1234 5678", "MX") && ok("912 345 678", "ES") && !ok("020 7946 0000", "ES"))
        // A country outside the table: 2 to 15 digits.
        #expect(ok("(07)40576411", "AU") && ok("12", "AU") && !ok("12345678901234567", "AU"))
    }
}
