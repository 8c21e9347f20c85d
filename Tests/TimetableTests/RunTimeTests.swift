import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
@testable import Timetable

/// A small feed whose run times change over the morning, stated in code.
///
/// Route R (direction 0), stops A → B → C:
///
/// | trip | pattern | A | B | C | run |
/// |---|---|---|---|---|---|
/// | R0 | A-B (short) | 05:30 | 05:40 | | 10 min |
/// | R1 | A-B-C (main) | 06:00 | 06:10 | 06:30 | 30 min |
/// | R2 | A-B-C (main) | 08:00 | 08:20:01 | 08:50 | 50 min |
///
/// Route Q (direction 0), the same stops: Q1 as R1; Q2 at 08:00 with no time at B (a stop
/// without a time, as a non-timepoint) and a 50-minute run, so Q1 and Q2 cannot be
/// interpolated stop by stop.
enum MorningFeed {
    static let date = GTFSDate(yyyymmdd: 20260310)

    static var files: [String: String] {
        [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Morning,https://example.org,UTC\n",
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,R,3\nQ,A,Q,3\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                + "WD,1,1,1,1,1,0,0,20260101,20261231\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,54.00,25.00\nB,B,54.03,25.00\nC,C,54.06,25.00\n",
            "trips.txt": "route_id,service_id,trip_id,direction_id\nR,WD,R0,0\nR,WD,R1,0\nR,WD,R2,0\nQ,WD,Q1,0\nQ,WD,Q2,0\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                R0,05:30:00,05:30:00,A,1
                R0,05:40:00,05:40:00,B,2
                R1,06:00:00,06:00:00,A,1
                R1,06:10:00,06:10:00,B,2
                R1,06:30:00,06:30:00,C,3
                R2,08:00:00,08:00:00,A,1
                R2,08:20:01,08:20:01,B,2
                R2,08:50:00,08:50:00,C,3
                Q1,06:00:00,06:00:00,A,1
                Q1,06:10:00,06:10:00,B,2
                Q1,06:30:00,06:30:00,C,3
                Q2,08:00:00,08:00:00,A,1
                Q2,,,B,2
                Q2,08:50:00,08:50:00,C,3

                """,
        ]
    }

    /// Writes `files` to a temporary folder and loads them (without validation).
    static func load(_ files: [String: String] = files) throws -> Feed {
        let dir = try TemporaryFolder("timetable-morning").url
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try FeedReader.load(dir.path, options: ReadOptions(validate: false)).feed
    }

    /// One period, 05:00-09:00, at a 30-minute headway on both routes.
    static func plan() throws -> HeadwayPlan {
        let date = try #require(Self.date)
        let periods = try Period.parse("05:00-09:00")
        return HeadwayPlan(date: date, periods: periods, rows: [
            HeadwayPlan.Row(routeID: "R", direction: 0, periodIndex: 0, headway: 1800, vehicles: 3),
            HeadwayPlan.Row(routeID: "Q", direction: 0, periodIndex: 0, headway: 1800, vehicles: 3),
        ])
    }

    /// The arrival times `stop_times.txt` of an export gives each trip, in order.
    static func arrivals(_ files: [(path: String, data: [UInt8])]) throws -> [String: [String]] {
        let text = String(decoding: try #require(files.first { $0.path == "stop_times.txt" }).data, as: UTF8.self)
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[f[0], default: []].append(f[1])
            if f[1] != f[2] { out[f[0], default: []].append("departure differs: " + f[2]) }
        }
        return out
    }
}

@Suite("Run times interpolated between the nearest observed trips")
struct RunTimeTests {
    private func hms(_ h: Int32, _ m: Int32, _ s: Int32 = 0) -> Int32 { h * 3600 + m * 60 + s }

    @Test("07:00, half-way between a 30-minute run at 06:00 and a 50-minute run at 08:00, runs 40 minutes, B interpolated")
    func midpoint() throws {
        let feed = try MorningFeed.load()
        let timetable = try Timetable.build(feed: feed, plan: try MorningFeed.plan())
        let trips = timetable.trips.filter { $0.routeID == "R" }
        #expect(trips.map(\.start) == [hms(5, 30), hms(6, 0), hms(6, 30), hms(7, 0), hms(7, 30), hms(8, 0)])
        let codes = feed.codeMap(.trip)
        let r1 = try #require(codes["R1"]), r2 = try #require(codes["R2"])

        let seven = try #require(trips.first { $0.start == hms(7, 0) })
        #expect(seven.template == r1 && seven.secondTemplate == r2)
        #expect(seven.weight == 0.5)
        #expect(seven.end == hms(7, 40))
        // The blocks see the interpolated run time: it ends at 07:40 and waits
        // max(5 min, 10 % of 40 min).
        let block = timetable.blockTrips[try #require(timetable.trips.firstIndex(of: seven))]
        #expect(block.end == hms(7, 40))
        #expect(block.layover == 300)

        let written = try MorningFeed.arrivals(TimetableExport.files(timetable, source: feed))
        // B: 10 min and 20 min 1 s after the start → 15 min 0.5 s, rounded half up.
        #expect(written["R_0_0700"] == ["07:00:00", "07:15:01", "07:40:00"])
        // A quarter of the way: B at 10 min + (10 min 1 s) / 4 = 12 min 30.25 s, C at 35 min.
        #expect(written["R_0_0630"] == ["06:30:00", "06:42:30", "07:05:00"])
        // Three quarters: B at 10 min + 3 × (10 min 1 s) / 4 = 17 min 30.75 s; C at 45 min.
        #expect(written["R_0_0730"] == ["07:30:00", "07:47:31", "08:15:00"])
        #expect(try #require(trips.first { $0.start == hms(7, 30) }).end == hms(8, 15))
    }

    @Test("a departure before the first observed run, or at one, copies it, with no second template")
    func beforeFirstAndAtOne() throws {
        let feed = try MorningFeed.load()
        let timetable = try Timetable.build(feed: feed, plan: try MorningFeed.plan())
        let codes = feed.codeMap(.trip)
        let r1 = try #require(codes["R1"]), r2 = try #require(codes["R2"])
        let trips = timetable.trips.filter { $0.routeID == "R" }
        // 05:30 is the route direction's first departure (the short trip R0), before the main
        // pattern's first run at 06:00: it runs R1's stops and times.
        let early = try #require(trips.first { $0.start == hms(5, 30) })
        #expect(early.template == r1 && early.secondTemplate == -1 && early.weight == 0)
        #expect(early.end == hms(6, 0))
        let atFirst = try #require(trips.first { $0.start == hms(6, 0) })
        #expect(atFirst.template == r1 && atFirst.secondTemplate == -1 && atFirst.end == hms(6, 30))
        let atLast = try #require(trips.first { $0.start == hms(8, 0) })
        #expect(atLast.template == r2 && atLast.secondTemplate == -1 && atLast.end == hms(8, 50))
        let written = try MorningFeed.arrivals(TimetableExport.files(timetable, source: feed))
        #expect(written["R_0_0530"] == ["05:30:00", "05:40:00", "06:00:00"])
        #expect(written["R_0_0800"] == ["08:00:00", "08:20:01", "08:50:00"])
    }

    @Test("two runs that do not stop or time the same stops alike are not interpolated: the nearest is copied")
    func guardCopiesNearest() throws {
        let feed = try MorningFeed.load()
        let codes = feed.codeMap(.trip)
        let times = TripTimes(feed: feed)
        let r0 = try #require(codes["R0"]), r1 = try #require(codes["R1"]), r2 = try #require(codes["R2"])
        let q1 = try #require(codes["Q1"]), q2 = try #require(codes["Q2"])
        #expect(times.interpolable(r1, r2))
        #expect(!times.interpolable(r0, r1))  // 2 stop_times rows against 3
        #expect(!times.interpolable(q1, q2))  // B timed in one only

        let timetable = try Timetable.build(feed: feed, plan: try MorningFeed.plan())
        let q = timetable.trips.filter { $0.routeID == "Q" }
        // Equally near both: the earlier is copied, as without interpolation.
        let seven = try #require(q.first { $0.start == hms(7, 0) })
        #expect(seven.template == q1 && seven.secondTemplate == -1 && seven.end == hms(7, 30))
        let late = try #require(q.first { $0.start == hms(7, 30) })
        #expect(late.template == q2 && late.secondTemplate == -1 && late.end == hms(8, 20))
        let written = try MorningFeed.arrivals(TimetableExport.files(timetable, source: feed))
        #expect(written["Q_0_0730"] == ["07:30:00", "", "08:20:00"])
    }

    @Test("interpolation rounds to the nearest second, halves up, in exact arithmetic")
    func rounding() {
        #expect(TripTimes.interpolate(600, 1201, 1, 2) == 901)   // 900.5
        #expect(TripTimes.interpolate(600, 1201, 1, 4) == 750)   // 750.25
        #expect(TripTimes.interpolate(600, 1201, 3, 4) == 1051)  // 1050.75
        #expect(TripTimes.interpolate(0, 3, 1, 6) == 1)          // 0.5
        #expect(TripTimes.interpolate(0, 1, 1, 3) == 0)          // 0.33…
        #expect(TripTimes.interpolate(100, 200, 0, 7) == 100)
        #expect(TripTimes.interpolate(100, 200, 7, 7) == 200)
        #expect(TripTimes.interpolate(200, 100, 1, 2) == 150)
        #expect(TripTimes.interpolate(-10, -5, 1, 2) == -7)      // -7.5, up
    }

    @Test("interpolated times never decrease along a trip, even between templates that go backwards")
    func nonDecreasing() throws {
        var files = MorningFeed.files
        // R2 now passes B 20 minutes before it leaves A (bad data): at 07:00, B would
        // interpolate to 07:00 + (10 min − 20 min) / 2 = 06:55, before the trip leaves A.
        files["stop_times.txt"] = files["stop_times.txt"]?
            .replacingOccurrences(of: "R2,08:20:01,08:20:01,B,2", with: "R2,07:40:00,07:40:00,B,2")
        let feed = try MorningFeed.load(files)
        let timetable = try Timetable.build(feed: feed, plan: try MorningFeed.plan())
        let times = TripTimes(feed: feed)
        var interpolated = 0
        for trip in timetable.trips where trip.secondTemplate >= 0 {
            interpolated += 1
            var previous = Int32.min
            times.forEachStop(of: trip) { _, a, d in
                #expect(a >= previous && d >= a, "\(trip.id)")
                previous = d
            }
        }
        #expect(interpolated == 3)
        let written = try MorningFeed.arrivals(TimetableExport.files(timetable, source: feed))
        #expect(written["R_0_0700"] == ["07:00:00", "07:00:00", "07:40:00"])
        #expect(written["R_0_0730"] == ["07:30:00", "07:30:00", "08:15:00"])
        // A quarter of the way: B at 10 min − 30 min / 4 = 2 min 30 s, after A: kept.
        #expect(written["R_0_0630"] == ["06:30:00", "06:32:30", "07:05:00"])
    }
}
