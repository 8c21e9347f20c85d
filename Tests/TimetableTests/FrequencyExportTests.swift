import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
@testable import Timetable

@Suite("frequencies.txt windows follow the vehicle blocks")
struct FrequencyExportTests {
    /// A shuttle between A and C, 6 km apart: 20 minutes each way all morning, and a plan of
    /// one departure every 25 minutes each way from 06:00 (A) and 06:25 (C). With the
    /// 5-minute layover a vehicle is back at A 50 minutes after it left, so two vehicles run
    /// it, alternating.
    static var files: [String: String] {
        [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Shuttle,https://example.org,UTC\n",
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nS,A,S,3\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                + "WD,1,1,1,1,1,0,0,20260101,20261231\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,54.00,25.00\nB,B,54.03,25.00\nC,C,54.06,25.00\n",
            "trips.txt": "route_id,service_id,trip_id,direction_id\nS,WD,OUT1,0\nS,WD,OUT2,0\nS,WD,IN1,1\nS,WD,IN2,1\n",
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                OUT1,06:00:00,06:00:00,A,1
                OUT1,06:08:00,06:08:00,B,2
                OUT1,06:20:00,06:20:00,C,3
                OUT2,08:05:00,08:05:00,A,1
                OUT2,08:13:00,08:13:00,B,2
                OUT2,08:25:00,08:25:00,C,3
                IN1,06:25:00,06:25:00,C,1
                IN1,06:37:00,06:37:00,B,2
                IN1,06:45:00,06:45:00,A,3
                IN2,08:30:00,08:30:00,C,1
                IN2,08:42:00,08:42:00,B,2
                IN2,08:50:00,08:50:00,A,3

                """,
        ]
    }

    static func build() throws -> (Feed, Timetable) {
        let feed = try MorningFeed.load(files)
        let date = try #require(MorningFeed.date)
        let plan = HeadwayPlan(date: date, periods: try Period.parse("06:00-09:00"), rows: [
            HeadwayPlan.Row(routeID: "S", direction: 0, periodIndex: 0, headway: 1500, vehicles: 2),
            HeadwayPlan.Row(routeID: "S", direction: 1, periodIndex: 0, headway: 1500, vehicles: 2),
        ])
        return (feed, try Timetable.build(feed: feed, plan: plan))
    }

    static func text(_ files: [(path: String, data: [UInt8])], _ name: String) throws -> [String] {
        String(decoding: try #require(files.first { $0.path == name }).data, as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    @Test("each vehicle's departures in one direction are one window at its cycle, carrying its block_id")
    func windowsPerVehicle() throws {
        let (feed, timetable) = try Self.build()
        #expect(timetable.blocks.fleet == 2)
        #expect(timetable.blockIDs == ["S_block_1", "S_block_2"])
        // The blocks as worked out by hand: vehicle 1 leaves A at 06:00, 06:50, 07:40 and C
        // at 06:25, 07:15, 08:05; vehicle 2 leaves A at 06:25, 07:15, 08:05 and C at 06:50,
        // 07:40, 08:30.
        var starts: [String: [String]] = [:]
        for t in timetable.trips { starts[timetable.blockIDs[t.block], default: []].append(t.id) }
        #expect(starts["S_block_1"] == ["S_0_0600", "S_0_0650", "S_0_0740", "S_1_0625", "S_1_0715", "S_1_0805"])
        #expect(starts["S_block_2"] == ["S_0_0625", "S_0_0715", "S_0_0805", "S_1_0650", "S_1_0740", "S_1_0830"])

        let files = TimetableExport.files(timetable, source: feed, frequencies: true)
        // Not one window per direction at the route's 25 minutes (that would mix the two
        // vehicles under one block_id) but one per vehicle and direction at its 50 minutes,
        // ending one second after its last departure.
        #expect(try Self.text(files, "frequencies.txt") == [
            "trip_id,start_time,end_time,headway_secs,exact_times",
            "S_0_0600,06:00:00,07:40:01,3000,1",
            "S_0_0625,06:25:00,08:05:01,3000,1",
            "S_1_0625,06:25:00,08:05:01,3000,1",
            "S_1_0650,06:50:00,08:30:01,3000,1",
        ])
        #expect(try Self.text(files, "trips.txt") == [
            "route_id,service_id,trip_id,trip_headsign,direction_id,block_id,shape_id",
            "S,planned_20260310,S_0_0600,,0,S_block_1,",
            "S,planned_20260310,S_0_0625,,0,S_block_2,",
            "S,planned_20260310,S_1_0625,,1,S_block_1,",
            "S,planned_20260310,S_1_0650,,1,S_block_2,",
        ])
        // Without --frequencies every departure is a trip of its own, with the same blocks.
        let plain = try Self.text(TimetableExport.files(timetable, source: feed), "trips.txt")
        #expect(plain.count == 1 + 12)
        #expect(plain.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[5].hasPrefix("S_block_") })
    }

    @Test("a vehicle's run breaks where its stop times change, and a lone departure is a plain trip with its block_id")
    func runsBreakOnStopTimes() throws {
        var files = Self.files
        // From 08:05 the trip from A takes 2 minutes longer to B: the last outbound runs of
        // each vehicle no longer share stop times with its earlier ones.
        files["stop_times.txt"] = files["stop_times.txt"]?
            .replacingOccurrences(of: "OUT2,08:13:00,08:13:00,B,2", with: "OUT2,08:15:00,08:15:00,B,2")
        let feed = try MorningFeed.load(files)
        let date = try #require(MorningFeed.date)
        let plan = HeadwayPlan(date: date, periods: try Period.parse("06:00-09:00"), rows: [
            HeadwayPlan.Row(routeID: "S", direction: 0, periodIndex: 0, headway: 1500, vehicles: 2),
            HeadwayPlan.Row(routeID: "S", direction: 1, periodIndex: 0, headway: 1500, vehicles: 2),
        ])
        let timetable = try Timetable.build(feed: feed, plan: plan)
        let out = TimetableExport.files(timetable, source: feed, frequencies: true)
        // Between 06:00 and 08:05 the time to B is interpolated, so every outbound departure
        // but the first has its own stop times; inbound runs are unchanged.
        let frequencies = try Self.text(out, "frequencies.txt")
        #expect(frequencies == [
            "trip_id,start_time,end_time,headway_secs,exact_times",
            "S_1_0625,06:25:00,08:05:01,3000,1",
            "S_1_0650,06:50:00,08:30:01,3000,1",
        ])
        let trips = try Self.text(out, "trips.txt").dropFirst()
        #expect(trips.count == 6 + 2)
        for line in trips {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let id = String(fields[2])
            let trip = try #require(timetable.trips.first { $0.id == id })
            #expect(fields[5] == Substring(timetable.blockIDs[trip.block]), "\(line)")
        }
    }
}
