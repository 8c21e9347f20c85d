import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
@testable import Timetable

/// Blocks of a feed's own service (``CurrentServiceBlocks``) beside the feed's `block_id`s.
@Suite("Current service blocks: the scheduler's fleet for today's trips against the feed's own blocks")
struct CurrentServiceBlockTests {
    /// Layover 0: a vehicle may leave again the second it arrives.
    static let noLayover = TimetableOptions(minimumLayover: 0, layoverShare: 0)

    /// A small feed on Monday 2026-03-02. Route R runs A↔B (about 1.7 km apart) in two
    /// blocks: X (R1 07:00–07:20 A→B, R2 07:25–07:45 B→A: a 5-minute turn) and Y (R3
    /// 07:10–07:30 A→B, R4 07:32–07:52 B→A: a 2-minute turn). Route Q's Q1 (08:00–08:20 B→A)
    /// has no block_id; R9 runs on weekends only.
    static func smallFeed() throws -> Feed {
        let scratch = try TemporaryFolder("current-service-blocks")
        defer { scratch.remove() }
        let files: [String: String] = [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://example.org,UTC\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,54.700,25.200\nB,B,54.710,25.220\n",
            "routes.txt": "route_id,route_short_name,route_type\nR,R,3\nQ,Q,3\n",
            "trips.txt": """
                route_id,service_id,trip_id,direction_id,block_id
                R,WK,R1,0,X
                R,WK,R2,1,X
                R,WK,R3,0,Y
                R,WK,R4,1,Y
                Q,WK,Q1,1,
                R,WE,R9,0,Z

                """,
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                R1,07:00:00,07:00:00,A,1
                R1,07:20:00,07:20:00,B,2
                R2,07:25:00,07:25:00,B,1
                R2,07:45:00,07:45:00,A,2
                R3,07:10:00,07:10:00,A,1
                R3,07:30:00,07:30:00,B,2
                R4,07:32:00,07:32:00,B,1
                R4,07:52:00,07:52:00,A,2
                Q1,08:00:00,08:00:00,B,1
                Q1,08:20:00,08:20:00,A,2
                R9,09:00:00,09:00:00,A,1
                R9,09:20:00,09:20:00,B,2

                """,
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                WK,1,1,1,1,1,0,0,20260101,20261231
                WE,0,0,0,0,0,1,1,20260101,20261231

                """,
        ]
        for (name, text) in files {
            try text.write(to: scratch.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try FeedReader.load(scratch.url.path, options: ReadOptions(validate: false)).feed
    }


    @Test("small feed: the day's trips, the feed's blocks counted apart from trips without one, layover and interlining")
    func smallFeedBlocks() throws {
        let feed = try Self.smallFeed()
        let monday = try #require(GTFSDate(year: 2026, month: 3, day: 2))
        let zero = try CurrentServiceBlocks.build(feed: feed, date: monday, options: Self.noLayover)
        #expect(zero.trips.count == 5, "R9 runs on weekends only")
        #expect(zero.tripsLeftOut == 0)
        #expect(zero.feedBlocks.tripsWithBlock == 4 && zero.feedBlocks.tripsWithoutBlock == 1)
        #expect(zero.feedBlocks.blocks == 2)
        #expect(zero.feedFleet == nil, "Q1 has no block_id, so the feed's fleet for all trips is unknown")
        #expect(zero.feedBlocks.connections == 2 && zero.feedBlocks.shortestGap == 120)
        #expect(zero.feedBlocks.overlaps == 0 && zero.feedBlocks.shorterThanLayover == 0 && zero.feedBlocks.changingTerminal == 0)
        // Without interlining Q1 needs a vehicle of its own.
        #expect(zero.fleet == 3 && zero.lowerBound == 2 && zero.deficitFleet == 3)
        #expect(zero.violations.isEmpty)

        // Interlined, R2's vehicle deadheads A → B (about 2.2 km at 25 km/h: 319 s) for Q1.
        var interlined = Self.noLayover
        interlined.interline = true
        let shared = try CurrentServiceBlocks.build(feed: feed, date: monday, options: interlined)
        #expect(shared.fleet == 2 && shared.lowerBound == 2)
        #expect(shared.deadheadCount == 1)
        #expect((300...340).contains(shared.deadheadSeconds) && (2_100...2_300).contains(shared.deadheadMetres))
        #expect(shared.violations.isEmpty)
        interlined.deadheading = false
        #expect(try CurrentServiceBlocks.build(feed: feed, date: monday, options: interlined).fleet == 3)

        // Only the trips with a block_id: the feed's fleet is known and the scheduler matches it.
        let blocked = try CurrentServiceBlocks.build(feed: feed, date: monday, options: Self.noLayover, scope: .tripsWithBlockID)
        #expect(blocked.trips.count == 4 && blocked.tripsLeftOut == 1)
        #expect(blocked.feedFleet == 2 && blocked.fleet == 2)
        #expect(blocked.blocks.blocks.allSatisfy { $0.count == 2 })

        // The default 5-minute layover breaks block Y's 2-minute turn: a third vehicle.
        let standard = try CurrentServiceBlocks.build(feed: feed, date: monday, scope: .tripsWithBlockID)
        #expect(standard.feedBlocks.shorterThanLayover == 1)
        #expect(standard.fleet == 3 && standard.feedFleet == 2)
        #expect(standard.violations.isEmpty)

        // No service that day: nothing to schedule.
        let sunday = try CurrentServiceBlocks.build(feed: feed, date: try #require(GTFSDate(year: 2026, month: 3, day: 1)))
        #expect(sunday.trips.count == 1 && sunday.fleet == 1 && sunday.feedFleet == 1)
    }

    /// The shared feed `name`, or `nil` when the shared folder is absent (an issue under CI).
    static func sharedFeed(_ name: String) throws -> Feed? {
        guard SharedData.runnable else { return nil }
        guard let path = SharedData.feedPath(name), FileManager.default.fileExists(atPath: path) else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return nil
        }
        return try FeedReader.load(path, options: ReadOptions(validate: false)).feed
    }

    /// One line of numbers for the test log.
    static func line(_ name: String, _ label: String, _ r: CurrentServiceBlocks) -> String {
        let f = r.feedBlocks
        return "\(name) \(r.date) [\(label)] trips \(r.trips.count) (left out \(r.tripsLeftOut)); feed block_ids \(f.blocks) "
            + "(trips with \(f.tripsWithBlock), without \(f.tripsWithoutBlock); feed fleet \(r.feedFleet.map(String.init) ?? "n/a")); "
            + "our fleet \(r.fleet), deficit D \(r.deficitFleet), lower bound \(r.lowerBound); "
            + "deadheads \(r.deadheadCount), \(r.deadheadSeconds / 60) min, \(r.deadheadMetres / 1000) km"
    }

    /// The four rule sets the shared feeds are scheduled under: the default layover (5 minutes,
    /// at least 10% of the run) and layover 0, each with and without interlining.
    static let ruleSets: [(label: String, options: TimetableOptions)] = {
        var interlined = TimetableOptions()
        interlined.interline = true
        var interlinedZero = noLayover
        interlinedZero.interline = true
        return [("layover 5 min/10%", TimetableOptions()), ("layover 5 min/10%, interlined", interlined),
                ("layover 0", noLayover), ("layover 0, interlined", interlinedZero)]
    }()

    @Test("Cairns and Santa Monica: today's service scheduled; the feeds carry no block_id to compare with",
          arguments: ["cairns-2014", "santa-monica-bbb-2020"])
    func feedsWithoutBlocks(name: String) throws {
        guard let feed = try Self.sharedFeed(name) else { return }
        let date = try SharedFeedTests.busyDate(feed)
        for (label, options) in Self.ruleSets {
            let r = try CurrentServiceBlocks.build(feed: feed, date: date, options: options)
            print(Self.line(name, label, r))
            #expect(r.trips.count > 100)
            #expect(r.violations.isEmpty, "\(r.violations.prefix(3))")
            #expect(r.fleet >= r.lowerBound && r.fleet <= r.deficitFleet)
            // These pinned (byte-identical) feeds have an empty block_id column: there is no
            // feed fleet to compare with. Should they ever carry one, it must not be beaten.
            #expect(r.feedBlocks.tripsWithBlock == 0 && r.feedBlocks.blocks == 0 && r.feedFleet == nil)
            if let feedFleet = r.feedFleet { #expect(r.fleet <= feedFleet) }
        }
    }

    /// The shared feeds that do carry block_ids: HART on every trip, Sacramento RT on most
    /// (compared on the trips that have one, ``CurrentServiceBlocks/Scope/tripsWithBlockID``).
    ///
    /// The layover: both feeds' own blocks turn vehicles round with no layover at all somewhere
    /// (``CurrentServiceBlocks/FeedBlocks/shortestGap`` is 0), so layover 0 is the rule the
    /// feeds hold themselves to, and the scheduler must not need more vehicles under it. It
    /// must not under the default layover either, which the feeds' blocks break on many
    /// connections (``CurrentServiceBlocks/FeedBlocks/shorterThanLayover``): the scheduler
    /// makes up for the longer turns by chaining trips better.
    @Test("HART and Sacramento RT: no more vehicles than the feed's own block_ids", arguments: ["hart-2018", "sacramento-rt-2024"])
    func feedsWithBlocks(name: String) throws {
        guard let feed = try Self.sharedFeed(name) else { return }
        let date = try SharedFeedTests.busyDate(feed)
        let all = try CurrentServiceBlocks.build(feed: feed, date: date, options: Self.noLayover)
        #expect(all.feedBlocks.tripsWithBlock > 0)
        #expect(all.feedFleet == (all.feedBlocks.tripsWithoutBlock == 0 ? all.feedBlocks.blocks : nil))
        let scope: CurrentServiceBlocks.Scope = all.feedBlocks.tripsWithoutBlock == 0 ? .allTrips : .tripsWithBlockID
        for (label, options) in Self.ruleSets {
            let r = try CurrentServiceBlocks.build(feed: feed, date: date, options: options, scope: scope)
            print(Self.line(name, label, r) + "; feed's shortest turn \(r.feedBlocks.shortestGap.map { "\($0) s" } ?? "n/a"), "
                  + "\(r.feedBlocks.shorterThanLayover) of \(r.feedBlocks.connections) feed connections under this layover")
            let feedFleet = try #require(r.feedFleet)
            #expect(feedFleet == r.feedBlocks.blocks && r.tripsLeftOut == r.feedBlocks.tripsWithoutBlock)
            #expect(r.fleet <= feedFleet, "\(name) [\(label)]: our fleet \(r.fleet), the feed's \(feedFleet)")
            #expect(r.fleet >= r.lowerBound && r.fleet <= r.deficitFleet)
            #expect(r.violations.isEmpty, "\(r.violations.prefix(3))")
            #expect(r.feedBlocks.overlaps == 0)
            if options.minimumLayover == 0 { #expect(r.feedBlocks.shorterThanLayover == 0 && r.feedBlocks.shortestGap == 0) }
        }
    }
}
