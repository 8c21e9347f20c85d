import Foundation
@testable import GTFS
import Testing

extension FeedFixture {
    /// Loads the fixture with `--today` set.
    func load(today: String) throws -> LoadedFeed {
        try load(ReadOptions(today: GTFSDate(today)))
    }
}

@Suite("Date rules: expiry, coverage, calendars that never run")
struct DateRulesTests {
    static let twoServices: [String: String?] = [
        "trips.txt": "route_id,service_id,trip_id\nR1,OLD,T1\nR1,NEW,T2\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT2,09:00:00,09:00:00,S1,1\nT2,09:10:00,09:10:00,S2,2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nOLD,1,1,1,1,1,0,0,20250101,20251231\nNEW,1,1,1,1,1,0,0,20260101,20271231\n",
        "calendar_dates.txt": "service_id,date,exception_type\nX,20240101,1\nNEW,20260105,2\n",
    ]

    @Test("expired_calendar: one per expired service, on its calendar.txt row or its first calendar_dates.txt row")
    func expiredPerService() throws {
        let f = try FeedFixture(Self.twoServices)
        defer { f.remove() }
        let found = try f.load(today: "20260601").report.findings("expired_calendar")
        #expect(found.map(\.file) == ["calendar.txt", "calendar_dates.txt"])
        #expect(found.map(\.line) == [2, 2])
        #expect(found.map(\.value) == ["OLD", "X"])
        // Without --today no date rule runs.
        #expect(try f.load().report.findings("expired_calendar").isEmpty)
    }

    @Test("an exception removing the last day moves the last day of service")
    func removalCounts() throws {
        let f = try FeedFixture([
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260105,20260109\n",
            "calendar_dates.txt": "service_id,date,exception_type\nWD,20260109,2\n",
        ])
        defer { f.remove() }
        let days = ServiceDays(try f.load().feed)
        #expect(days.dates[0].map { GTFSDate(daysSinceEpoch: $0).yyyymmdd } == [20260105, 20260106, 20260107, 20260108])
    }

    @Test("trip_coverage_not_active_for_next7_days: when the busy span ends within 7 days or starts after today")
    func coverage() throws {
        let f = try FeedFixture(Self.twoServices)
        defer { f.remove() }
        #expect(try f.load(today: "20271228").report.findings("trip_coverage_not_active_for_next7_days").count == 1)
        #expect(try f.load(today: "20270601").report.findings("trip_coverage_not_active_for_next7_days").isEmpty)
        #expect(try f.load(today: "20240601").report.findings("trip_coverage_not_active_for_next7_days").count == 1)
    }

    @Test("feed_expiration_date7_days below 7 days, feed_expiration_date30_days up to 30, nothing beyond")
    func feedExpiration() throws {
        let f = try FeedFixture(["feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date,feed_version,feed_contact_email\nP,https://p.example,en,20260101,20260131,1,a@p.example\n"])
        defer { f.remove() }
        func codes(_ today: String) throws -> [String] {
            try f.load(today: today).report.findings.map(\.code).filter { $0.hasPrefix("feed_expiration") }
        }
        #expect(try codes("20260125") == ["feed_expiration_date7_days"])
        #expect(try codes("20260124") == ["feed_expiration_date30_days"])
        #expect(try codes("20260101") == ["feed_expiration_date30_days"])
        #expect(try codes("20251231").isEmpty)
    }

    @Test("a calendar row with no weekday, and a service with no day at all")
    func neverActive() throws {
        let f = try FeedFixture([
            "trips.txt": "route_id,service_id,trip_id\nR1,NONE,T1\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\nNONE,0,0,0,0,0,0,0,20260101,20261231\nXMAS,0,0,0,0,0,0,0,20260101,20261231\n",
            "calendar_dates.txt": "service_id,date,exception_type\nXMAS,20261225,1\n",
        ])
        defer { f.remove() }
        let r = try f.load(today: "20260601").report
        #expect(r.findings("service_has_no_active_day_of_the_week").map(\.line) == [3, 4])
        #expect(r.findings("service_never_active").map(\.line) == [3])
    }

    @Test("an unparsable calendar.txt (missing a weekday column) gets no expiry notices")
    func unparsableCalendar() throws {
        let f = try FeedFixture([
            "calendar.txt": "service_id,monday,tuesday,wednesday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,0,0,20200101,20201231\n",
        ])
        defer { f.remove() }
        let r = try f.load(today: "20260601").report
        #expect(r.findings("missing_required_column").map(\.field) == ["thursday"])
        #expect(r.findings("expired_calendar").isEmpty)
        #expect(r.findings("trip_coverage_not_active_for_next7_days").isEmpty)
    }

    @Test("a hostile calendar range costs at most 100 years of days")
    func hostileRange() throws {
        let f = try FeedFixture([
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,1,1,00010101,99991231\n",
        ])
        defer { f.remove() }
        let days = ServiceDays(try f.load().feed)
        #expect(days.dates[0].count == ServiceDays.maximumSpan + 1)
    }
}

@Suite("Record rules: recommended fields, rider-facing text, routes, rows")
struct RecordRulesTests {
    @Test("with one agency, an empty agency_id in agency.txt and routes.txt is a missing_recommended_field")
    func recommendedAgencyID() throws {
        let f = try FeedFixture([
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n,Agency,https://a.example,Europe/Vilnius\n",
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,,1,3\n",
        ])
        defer { f.remove() }
        let found = try f.load().report.findings("missing_recommended_field")
        #expect(found.map(\.file) == ["agency.txt", "routes.txt", "feed_info.txt"])
        #expect(found.map(\.field) == ["agency_id", "agency_id", "feed_version"])
        #expect(try f.load().report.findings("missing_feed_contact_email_and_url").map(\.line) == [2])
    }

    @Test("mixed case: single-case names of two words, or small-letter words, are flagged; codes and mixed text pass",
          arguments: [("MAIN ST & 5TH AVE", true), ("libertad", true), ("to the airport", true), ("1a. CDA. HIDALGO", true),
                      ("47th AVE & STOCKTON BLVD (WB)", true), ("Main Street", false), ("UCLA", false), ("46-C", false),
                      ("AV. 503", false), ("J STREET", false), ("M.alvaro-P", false), ("東西線", false), ("22222", false),
                      ("Avenue des Champs-Élysées", false), ("COSUMNES STATION & Bus Bay 4", false)])
    func mixedCase(text: String, flagged: Bool) {
        #expect(RecordRules.needsMixedCase(text) == flagged)
    }

    @Test("route rules: extended route types, duplicate names on the later row, poor colour contrast")
    func routes() throws {
        let f = try FeedFixture([
            "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type,route_color,route_text_color\nR1,A,1,Main Line,3,FFFFFF,000000\nR2,A,1,Main Line,3,777777,888888\nR3,A,2,Other,700,,\n",
        ])
        defer { f.remove() }
        let r = try f.load().report
        #expect(r.findings("unexpected_enum_value").map(\.line) == [4])
        #expect(r.findings("unexpected_enum_value").first?.value == "700")
        #expect(r.findings("duplicate_route_name").map(\.line) == [3])
        #expect(r.findings("route_color_contrast").map(\.line) == [3])
    }

    @Test("rows of white space, line breaks in values, and two feed_info rows")
    func rows() throws {
        let f = try FeedFixture([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,\"One\nTwo\",54.1,25.1\n   \nS2,Two,54.2,25.2\n",
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_version,feed_contact_url\nP,https://p.example,en,1,https://p.example\nP,https://p.example,en,1,https://p.example\n",
        ])
        defer { f.remove() }
        let r = try f.load().report
        #expect(r.findings("empty_row").map(\.line) == [4])
        #expect(r.findings("invalid_row_length").isEmpty)
        #expect(r.findings("new_line_in_value").map(\.field) == ["stop_name"])
        #expect(r.findings("more_than_one_entity").count == 1)
        #expect(try f.load().feed.stops.count == 2)
    }

    @Test("stop times out of file order, and a headsign naming a stop the trip passes")
    func tripRemarks() throws {
        let f = try FeedFixture([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.1,25.1\nS2,Two,54.2,25.2\nS3,Three,54.3,25.3\n",
            "trips.txt": "route_id,service_id,trip_id,trip_headsign\nR1,WD,T1,two\nR1,WD,T2,Three\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT2,09:00:00,09:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT1,08:20:00,08:20:00,S3,3\nT2,09:10:00,09:10:00,S3,2\n",
        ])
        defer { f.remove() }
        let r = try f.load().report
        #expect(r.findings("unsorted_stop_times").map(\.value) == ["T1", "T2"])
        #expect(r.findings("unsorted_stop_times").map(\.line) == [2, 3])
        let headsign = r.findings("trip_headsign_matches_intermediate_stop")
        #expect(headsign.map(\.file) == ["trips.txt"])
        #expect(headsign.map(\.line) == [2])
    }

    @Test("an enumeration value GTFS does not define is unexpected_enum_value, a warning, not an error")
    func enumerations() throws {
        let f = try FeedFixture([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,location_type\nS1,One,54.1,25.1,9\nS2,Two,54.2,25.2,0\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,2,1,1,1,1,0,0,20260101,20261231\n",
        ])
        defer { f.remove() }
        let r = try f.load().report
        let found = r.findings("unexpected_enum_value")
        #expect(found.map(\.field) == ["location_type", "monday"])
        #expect(found.allSatisfy { $0.severity == .warning })
        #expect(r.findings("number_out_of_range").isEmpty)
    }

    @Test("a stop with an empty stop_id and a parent_station does not crash the unused-stop rule (fuzzing finding)")
    func emptyStopIDWithParent() throws {
        let f = try FeedFixture(["stops.txt": "stop_id,parent_station\n,P\n"])
        defer { f.remove() }
        let r = try f.load().report
        #expect(r.findings("missing_required_field").contains { $0.field == "stop_id" && $0.line == 2 })
    }

    @Test("language codes: BCP 47 tags pass, an underscore or a digit-led tag does not",
          arguments: [("en", true), ("EN", true), ("en-US", true), ("zh-Hant-TW", true), ("x-klingon", true),
                      ("en_US", false), ("e", false), ("1en", false), ("en-", false), ("", false)])
    func languageTags(tag: String, valid: Bool) {
        #expect(RecordRules.isLanguageTag(tag) == valid)
    }

    @Test("trips running past their shape's end: an error from 11.1 m, a warning below; distances on a shape without them: info")
    func shapeDistances() throws {
        let f = try FeedFixture([
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.0,25.0\nS2,Two,54.02,25.0\nS3,Three,54.0100449,25.0\n",
            "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\nA,54.0,25.0,1,0\nA,54.01,25.0,2,1000\nB,54.0,25.0,1,\nB,54.02,25.0,2,\n",
            "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WD,T1,A\nR1,WD,T2,A\nR1,WD,T3,B\nR1,WD,T4,A\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\n"
                + "T1,08:00:00,08:00:00,S1,1,0\nT1,08:10:00,08:10:00,S3,2,1001\n"
                + "T2,08:00:00,08:00:00,S1,1,0\nT2,08:10:00,08:10:00,S2,2,2000\n"
                + "T3,08:00:00,08:00:00,S1,1,0\nT3,08:10:00,08:10:00,S2,2,2000\n"
                + "T4,08:00:00,08:00:00,S1,1,0\nT4,08:10:00,08:10:00,S3,2,1000\n",
        ])
        defer { f.remove() }
        let r = try f.load().report
        #expect(r.findings("trip_distance_exceeds_shape_distance_below_threshold").map(\.line) == [2])
        #expect(r.findings("trip_distance_exceeds_shape_distance").map(\.line) == [3])
        #expect(r.findings("trip_with_shape_dist_traveled_but_no_shape_distances").map(\.line) == [6])
    }
}
