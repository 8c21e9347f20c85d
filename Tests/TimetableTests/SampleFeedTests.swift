import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
@testable import Timetable
import TransitSynthetic

@Suite("The sample city: plan → timetable → GTFS → summary")
struct SampleFeedTests {
    static let date = GTFSDate(yyyymmdd: 20260310)

    static func load() throws -> (Feed, HeadwayPlan) {
        let feed = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false)).feed
        let date = try #require(Self.date)
        let periods = try Period.parse(NetworkDefaults.periods)
        let summary = ServiceSummary(feed: feed, date: date, periods: periods)
        return (feed, ServicePlans.plan(from: summary))
    }

    /// Per route direction, its last planned period (where the day's last departure is kept).
    static func lastPeriods(_ plan: HeadwayPlan) -> [RouteDirection: Int] {
        var last: [RouteDirection: Int] = [:]
        for r in plan.rows {
            let k = RouteDirection(routeID: r.routeID, direction: r.direction)
            last[k] = max(last[k] ?? -1, r.periodIndex)
        }
        return last
    }

    @Test("the exported feed loads back with 0 errors and its summary shows the planned headways and vehicles, route by route",
          arguments: [false, true])
    func roundTrip(frequencies: Bool) throws {
        let (feed, plan) = try Self.load()
        let timetable = try Timetable.build(feed: feed, plan: plan)
        #expect(timetable.notes.isEmpty)
        let out = PlanFixtures.temporaryPath(frequencies ? "freq.zip" : "dir")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try TimetableExport.write(timetable, source: feed, to: out, frequencies: frequencies)

        let loaded = try FeedReader.load(out)
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.filter { $0.severity == .error }.prefix(5))")
        let exported = loaded.feed
        #expect((exported.table("frequencies.txt") != nil) == frequencies)
        let summary = ServiceSummary(feed: exported, date: plan.date, periods: plan.periods)
        var got: [String: ServiceSummary.Row] = [:]
        for r in summary.rows { got["\(r.routeID)|\(r.direction)|\(r.periodIndex)"] = r }
        let last = Self.lastPeriods(plan)
        var checked = 0, sameVehicles = 0
        for row in plan.rows {
            let r = try #require(got["\(row.routeID)|\(row.direction)|\(row.periodIndex)"],
                                 "route \(row.routeID) direction \(row.direction) period \(row.periodIndex) has no service")
            // The last planned period ends with today's last departure: its gaps may differ.
            guard row.periodIndex != last[RouteDirection(routeID: row.routeID, direction: row.direction)], r.trips >= 2 else { continue }
            #expect(r.meanHeadway == Double(row.headway), "route \(row.routeID)/\(row.direction) \(r.period)")
            #expect(r.minHeadway == row.headway && r.maxHeadway == row.headway, "route \(row.routeID)/\(row.direction) \(r.period)")
            // Vehicles are ceil(cycle / headway) with the cycle from the median run times of the
            // period's trips; the new trips take the run times of the current trips around them
            // in time, so the median can move by a little and tip the ceiling by one.
            #expect(abs(r.vehicles - row.vehicles) <= 1, "route \(row.routeID)/\(row.direction) \(r.period): vehicles")
            if r.vehicles == row.vehicles { sameVehicles += 1 }
            checked += 1
        }
        #expect(checked > plan.rows.count / 2)
        #expect(Double(sameVehicles) >= 0.9 * Double(checked), "\(sameVehicles) of \(checked) rows have the plan's vehicles")
        // Every route of the plan runs in the export, and nothing else does.
        #expect(Set(summary.rows.map(\.routeID)) == Set(plan.rows.map(\.routeID)))
    }

    @Test("blocks: every trip in exactly one, no layover broken, fleet = the deficit-function minimum; block_id exported")
    func blocks() throws {
        let (feed, plan) = try Self.load()
        let timetable = try Timetable.build(feed: feed, plan: plan)
        #expect(timetable.blockViolations.isEmpty)
        #expect(timetable.blocks.fleet <= timetable.blocks.minimumFleet && timetable.blocks.fleet >= timetable.blocks.lowerBound)
        #expect(timetable.trips.allSatisfy { $0.block >= 0 })
        // Blocks stay on their route by default.
        for list in timetable.blocks.blocks {
            #expect(Set(list.map { timetable.trips[$0].routeID }).count == 1)
        }
        // Per period, the blocks' vehicles in service are at least the plan's ceil(cycle/headway)
        // minus one per route (phasing of the two directions can only cost, not save, a vehicle
        // beyond rounding) and the differences are reported.
        for f in timetable.periodFleet() {
            #expect(f.blocks > 0)
            #expect(abs(f.difference) <= plan.rows.count)
        }
        let files = TimetableExport.files(timetable, source: feed)
        let trips = try #require(files.first { $0.path == "trips.txt" })
        let text = String(decoding: trips.data, as: UTF8.self)
        #expect(text.hasPrefix("route_id,service_id,trip_id,trip_headsign,direction_id,block_id,shape_id\n"))
        #expect(text.contains(",1_block_1,"))
        // With interlining, vehicles may change route: never more vehicles.
        let interlined = try Timetable.build(feed: feed, plan: plan, options: TimetableOptions(interline: true))
        #expect(interlined.blocks.fleet <= timetable.blocks.fleet)
        #expect(interlined.blockViolations.isEmpty)
    }

    @Test("phasing direction 1 saves vehicles on the sample, moves it by whole minutes within half a headway, and still validates")
    func phasing() throws {
        let (feed, plan) = try Self.load()
        let plain = try Timetable.build(feed: feed, plan: plan)
        let phased = try Timetable.build(feed: feed, plan: plan, options: TimetableOptions(phaseDirections: true))
        #expect(phased.blocks.fleet < plain.blocks.fleet)
        #expect(phased.blocks.fleet <= phased.blocks.minimumFleet && phased.blocks.fleet >= phased.blocks.lowerBound)
        #expect(phased.blockViolations.isEmpty)
        #expect(phased.trips.count == plain.trips.count)
        // Direction 0 is untouched; direction 1 moves as a whole, by whole minutes.
        var moves: [String: Set<Int32>] = [:]
        for (a, b) in zip(plain.trips, phased.trips) {
            #expect(a.routeID == b.routeID && a.direction == b.direction)
            if a.direction == 0 { #expect(a.start == b.start) } else { moves[a.routeID, default: []].insert(b.start - a.start) }
        }
        let largest = Dictionary(grouping: plan.rows.filter { $0.direction == 1 }, by: \.routeID).mapValues { $0.map(\.headway).max() ?? 0 }
        for (route, set) in moves {
            #expect(set.count == 1, "route \(route) direction 1 moved unevenly: \(set)")
            let d = set.first ?? 0
            #expect(d % 60 == 0 && abs(d) <= (largest[route] ?? 0) / 2)
        }
        #expect(moves.values.contains { $0 != [0] })
        for period in plan.periods {
            let p = VehicleBlocks.inService(trips: plain.blockTrips, departingFrom: period.start, to: period.end)
            let q = VehicleBlocks.inService(trips: phased.blockTrips, departingFrom: period.start, to: period.end)
            #expect(q <= p + 1, "\(period.name): \(q) trips in progress phased, \(p) plain")
        }
        let out = PlanFixtures.temporaryPath("phased.zip")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try TimetableExport.write(phased, source: feed, to: out)
        #expect(try FeedReader.load(out).report.errorCount == 0)
    }

    @Test("stop times follow the current trips of the time of day: copied at the ends, interpolated between two runs")
    func runTimesByTimeOfDay() throws {
        let (feed, plan) = try Self.load()
        let timetable = try Timetable.build(feed: feed, plan: plan)
        let calendar = ServiceCalendar(feed: feed)
        let runs = Departures.runs(feed: feed, calendar: calendar, date: plan.date)
        var byTrip: [Int32: [TripRun]] = [:]
        for r in runs { byTrip[r.trip, default: []].append(r) }
        var differing = Set<Int32>()
        var interpolated = 0, strictlyBetween = 0
        for trip in timetable.trips {
            // The templates run that day; the trip's run time is the template's, or lies
            // between the two templates' when it is interpolated.
            let template = try #require(byTrip[trip.template]?.first, "template of \(trip.id) does not run that day")
            let run = trip.end - trip.start
            if trip.secondTemplate < 0 {
                #expect(run == template.runTime, "\(trip.id)")
            } else {
                let second = try #require(byTrip[trip.secondTemplate]?.first, "second template of \(trip.id)")
                #expect(min(template.runTime, second.runTime) <= run && run <= max(template.runTime, second.runTime), "\(trip.id)")
                #expect(trip.weight > 0 && trip.weight < 1)
                interpolated += 1
                if run != template.runTime && run != second.runTime { strictlyBetween += 1 }
            }
            differing.insert(run)
        }
        // The sample's run times vary over the day, and so do the planned trips'. Many
        // departures fall between two observed runs (the others leave at the minute of one, or
        // on a frequency-based route whose runs all share one template), and some get a run
        // time neither of the two has.
        #expect(differing.count > 1)
        #expect(interpolated > timetable.trips.count / 3)
        #expect(strictlyBetween > 0)
    }

    @Test("feed_info says the feed was generated, and the calendar runs on the planned date only")
    func feedInfoAndCalendar() throws {
        let (feed, plan) = try Self.load()
        let timetable = try Timetable.build(feed: feed, plan: plan)
        let out = PlanFixtures.temporaryPath("info")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try TimetableExport.write(timetable, source: feed, to: out)
        let exported = try FeedReader.load(out).feed
        let info = try #require(exported.table("feed_info.txt"))
        #expect(info.column("feed_version")?.text(row: 0).hasPrefix("generated by transit timetable") == true)
        let calendar = ServiceCalendar(feed: exported)
        #expect(Departures.runs(feed: exported, calendar: calendar, date: plan.date).count == timetable.trips.count)
        #expect(Departures.runs(feed: exported, calendar: calendar, date: plan.date.adding(days: 7)).isEmpty)
        // Writing again replaces the folder atomically and leaves no temporary siblings.
        try TimetableExport.write(timetable, source: feed, to: out)
        let parent = (out as NSString).deletingLastPathComponent, name = (out as NSString).lastPathComponent
        let siblings = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(name) }
        #expect(siblings == [name])
    }

    @Test("terminals: bays under one parent station are one terminal, and so are stops across the street")
    func terminals() throws {
        let (feed, _) = try Self.load()
        let codes = feed.codeMap(.stop)
        func code(_ id: String) throws -> Int32 { try #require(codes[id], "stop \(id)") }
        let ends: Set<Int32> = try Set(["TC-A", "TC-B", "S1065", "S1066", "S1001", "S1021"].map(code))
        let map = TerminalMap(feed: feed, terminals: ends, radius: 300)
        #expect(map.cluster(of: try code("TC-A")) == map.cluster(of: try code("TC-B")))
        #expect(map.cluster(of: try code("S1065")) == map.cluster(of: try code("S1066")))  // 60 m apart
        #expect(map.cluster(of: try code("S1001")) != map.cluster(of: try code("S1021")))  // the two ends of route 1
        #expect(map.cluster(of: try code("TC-A")) != map.cluster(of: try code("S1065")))
        let tight = TerminalMap(feed: feed, terminals: ends, radius: 10)
        #expect(tight.cluster(of: try code("S1065")) != tight.cluster(of: try code("S1066")))
        #expect(tight.cluster(of: try code("TC-A")) == tight.cluster(of: try code("TC-B")))  // the parent still joins them
    }

    @Test("frequencies.txt: one vehicle's runs at an even interval become one trip (exact_times=1) and every trip has its true block_id")
    func frequenciesFile() throws {
        let (feed, plan) = try Self.load()
        let timetable = try Timetable.build(feed: feed, plan: plan)
        let files = TimetableExport.files(timetable, source: feed, frequencies: true)
        let text = String(decoding: try #require(files.first { $0.path == "frequencies.txt" }).data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "trip_id,start_time,end_time,headway_secs,exact_times")
        #expect(lines.count > 10)
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",1") })
        let trips = String(decoding: try #require(files.first { $0.path == "trips.txt" }).data, as: UTF8.self)
        let tripRows = trips.split(separator: "\n").dropFirst()
        for line in tripRows {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 7 && !fields[5].isEmpty, "no block_id: \(line)")
        }
        // Fewer trips written than departures run.
        #expect(tripRows.count < timetable.trips.count)

        // Loaded back and expanded, the departures are the timetable's, each in its own block
        // with its own run time; within a block they never overlap.
        let out = PlanFixtures.temporaryPath("freq-blocks")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try TimetableExport.write(files: files, to: out)
        let loaded = try FeedReader.load(out)
        #expect(loaded.report.errorCount == 0, "\(loaded.report.findings.filter { $0.severity == .error }.prefix(5))")
        let exported = loaded.feed
        let tripTable = try #require(exported.table("trips.txt"))
        let tripIDs = try #require(tripTable.column("trip_id")), blockIDs = try #require(tripTable.column("block_id"))
        var blockOfTrip: [String: String] = [:]
        for row in 0..<tripTable.rowCount { blockOfTrip[tripIDs.text(row: row)] = blockIDs.text(row: row) }
        let ids = exported.ids(.trip)
        struct Departure: Hashable, Comparable {
            var block: String, start: Int32, end: Int32
            static func < (a: Self, b: Self) -> Bool { (a.block, a.start, a.end) < (b.block, b.start, b.end) }
        }
        var got: [Departure] = []
        for run in Departures.runs(feed: exported, calendar: ServiceCalendar(feed: exported), date: plan.date) {
            let block = try #require(blockOfTrip[ids[Int(run.trip)]])
            got.append(Departure(block: block, start: run.start, end: run.end))
        }
        let expected = timetable.trips.map { Departure(block: timetable.blockIDs[$0.block], start: $0.start, end: $0.end) }
        #expect(got.count == expected.count)
        #expect(got.sorted() == expected.sorted())
        let sorted = got.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.block == b.block {
            #expect(a.end <= b.start, "block \(a.block): a trip leaves at \(b.start) before the one before arrives at \(a.end)")
        }
        // Each window ends one second after its last departure (before one headway more).
        let frequencies = try #require(exported.table("frequencies.txt"))
        let f = exported.frequencies
        #expect(f.count == lines.count - 1 && frequencies.rowCount == f.count)
        for row in 0..<f.count {
            #expect(f.headway[row] > 0 && (f.end[row] - 1 - f.start[row]) % f.headway[row] == 0)
            #expect(f.end[row] - 1 > f.start[row])
        }
    }

    @Test("a plan naming a route the feed lacks is refused with the route named")
    func unknownRoute() throws {
        let (feed, plan) = try Self.load()
        var bad = plan
        bad.rows.append(HeadwayPlan.Row(routeID: "NOPE", direction: 0, periodIndex: 0, headway: 600, vehicles: 1))
        #expect(throws: TimetableError.unknownRoute(routeID: "NOPE")) { try Timetable.build(feed: feed, plan: bad) }
    }
}
