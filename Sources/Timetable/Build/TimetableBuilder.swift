public import GTFS
import Network
import Foundation

/// A route direction: the key of load samples for even-load departures.
public struct RouteDirection: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// 0 or 1.
    public var direction: Int32

    /// Creates a key.
    public init(routeID: String, direction: Int32) {
        self.routeID = routeID
        self.direction = direction
    }
}

extension Timetable {
    /// Builds the timetable of `plan` on `feed` (see ``Timetable`` for the rules).
    ///
    /// - Parameters:
    ///   - feed: the feed the plan was made for; its timetable on ``HeadwayPlan/date`` gives
    ///     first and last departures and run times.
    ///   - loads: per route direction, the loads at its max load point (for
    ///     ``TimetableOptions/evenLoad``; route directions without samples keep even headways).
    /// - Throws: ``TimetableError/unknownRoute(routeID:)`` when the plan names a route the feed
    ///   lacks.
    /// - Complexity: O(trips + stop times of the feed + planned departures × log runs).
    public static func build(feed: Feed, plan: HeadwayPlan, options: TimetableOptions = TimetableOptions(),
                             loads: [RouteDirection: [LoadSample]] = [:]) throws(TimetableError) -> Timetable {
        let routeCodes = feed.codeMap(.route)
        let routeIDs = feed.ids(.route)
        for r in plan.rows where routeCodes[r.routeID] == nil { throw .unknownRoute(routeID: r.routeID) }
        let tripCount = feed.ids(.trip).count
        let trips = feed.trips
        let patterns = RoutePatterns(feed: feed)
        let inference = DirectionInference(feed: feed, patterns: patterns)
        var tripRoute = [Int32](repeating: -1, count: tripCount)
        var tripDirection = [Int32](repeating: 0, count: tripCount)
        for row in 0..<trips.count {
            let t = trips.id[row]
            guard t >= 0, Int(t) < tripCount, tripRoute[Int(t)] < 0 else { continue }
            tripRoute[Int(t)] = trips.route[row]
            tripDirection[Int(t)] = DirectionInference.fileDirection(trips.direction[row])
                ?? (Int(t) < inference.directions.count ? inference.directions[Int(t)] : 0)
        }
        let calendar = ServiceCalendar(feed: feed)
        let runs = Departures.runs(feed: feed, calendar: calendar, date: plan.date)
        struct Key: Hashable { var route: Int32; var direction: Int32 }
        var runsByKey: [Key: [TripRun]] = [:]
        for run in runs where Int(run.trip) < tripCount {
            runsByKey[Key(route: tripRoute[Int(run.trip)], direction: tripDirection[Int(run.trip)]), default: []].append(run)
        }

        // Plan rows by route direction, in the plan's route order.
        var order: [Key] = []
        var segments: [Key: [Int: Int32]] = [:]
        for r in plan.rows {
            guard let code = routeCodes[r.routeID], r.periodIndex >= 0, r.periodIndex < plan.periods.count else { continue }
            let key = Key(route: code, direction: r.direction)
            if segments[key] == nil { order.append(key) }
            segments[key, default: [:]][r.periodIndex] = min(segments[key]?[r.periodIndex] ?? Int32.max, r.headway)
        }
        order.sort { a, b in
            let x = routeIDs[Int(a.route)], y = routeIDs[Int(b.route)]
            return x != y ? x < y : a.direction < b.direction
        }

        let st = feed.stopTimes
        let index = feed.stopTimeIndex
        struct Draft {
            var key: Key
            var routeID: String
            var templates: [TripRun]
            var starts: [Int32]
            var times: [Int32]
            var headway: Int32
        }
        var drafts: [Draft] = []
        var notes: [String] = []
        for key in order {
            let routeID = routeIDs[Int(key.route)]
            let segs = (segments[key] ?? [:]).sorted { $0.key < $1.key }.map {
                HeadwaySegment(start: plan.periods[$0.key].start, end: plan.periods[$0.key].end, headway: $0.value)
            }
            guard let firstSeg = segs.first, let lastSeg = segs.last else { continue }
            let current = runsByKey[key] ?? []

            // Templates: the runs of the main pattern that day, else any trip of it.
            var count: [Int32: Int] = [:]
            for run in current { count[patterns.patternOfTrip[Int(run.trip)], default: 0] += 1 }
            var templates: [TripRun] = []
            if let main = count.filter({ $0.key >= 0 }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key {
                templates = current.filter { patterns.patternOfTrip[Int($0.trip)] == main }
            } else {
                let candidates = patterns.patterns(ofRoute: key.route).filter { p in
                    p.trips.contains { tripDirection[Int($0)] == key.direction }
                }
                if let best = candidates.max(by: { $0.trips.count < $1.trips.count }),
                   let trip = best.trips.first(where: { tripDirection[Int($0)] == key.direction }),
                   let span = Departures.span(of: trip, index: index, arrival: st.arrival, departure: st.departure) {
                    templates = [TripRun(trip: trip, start: span.first, end: span.last, offset: 0)]
                }
            }
            guard !templates.isEmpty else {
                notes.append("route \(routeID) direction \(key.direction): no trip in the feed to take stop times from; left out")
                continue
            }

            // First and last departures: today's, unless today runs outside the planned periods.
            var first = current.first?.start ?? firstSeg.start
            var last = current.map(\.start).max() ?? (lastSeg.end - lastSeg.headway)
            if first >= firstSeg.end { first = firstSeg.start }
            if last < lastSeg.start { last = max(first, lastSeg.end - lastSeg.headway) }
            var times = DepartureRules.evenHeadways(segments: segs, first: first, last: last)
            if options.evenLoad, let samples = loads[RouteDirection(routeID: routeID, direction: key.direction)], !samples.isEmpty {
                times = evenLoadTimes(times, segments: segs, samples: samples)
            }

            guard !index.rows(ofTrip: templates[0].trip).isEmpty else { continue }
            let headways = segs.map(\.headway).sorted()
            drafts.append(Draft(key: key, routeID: routeID, templates: templates, starts: templates.map(\.start),
                                times: times, headway: headways[headways.count / 2]))
        }

        // Terminals: the first and last stops of the templates.
        var ends = Set<Int32>()
        for d in drafts {
            for run in d.templates {
                let rows = index.rows(ofTrip: run.trip)
                if let f = rows.first, let l = rows.last { ends.insert(st.stop[Int(f)]); ends.insert(st.stop[Int(l)]) }
            }
        }
        let terminals = TerminalMap(feed: feed, terminals: ends, radius: options.terminalRadius)
        var terminalIndex: [Int64: Int] = [:]
        var terminalStops: [Int32] = []
        func terminal(route: Int32, stop: Int32) -> Int {
            let cluster = terminals.cluster(of: stop)
            let k = options.interline ? Int64(cluster) : (Int64(route) << 32) | Int64(UInt32(bitPattern: cluster))
            if let i = terminalIndex[k] { return i }
            terminalIndex[k] = terminalStops.count
            terminalStops.append(terminals.representative(of: cluster))
            return terminalStops.count - 1
        }
        func layover(_ run: Int32) -> Int32 {
            max(options.minimumLayover, Int32((options.layoverShare * Double(run)).rounded(.up)))
        }
        /// The trip of `draft` leaving at `t`: its template run and the block view.
        func trip(_ draft: Draft, at t: Int32) -> (run: TripRun, block: BlockTrip) {
            let run = draft.templates[nearest(draft.starts, to: t)]
            let rows = index.rows(ofTrip: run.trip)
            let from = rows.first.map { st.stop[Int($0)] } ?? -1
            let to = rows.last.map { st.stop[Int($0)] } ?? -1
            return (run, BlockTrip(start: t, end: t + run.runTime, from: terminal(route: draft.key.route, stop: from),
                                   to: terminal(route: draft.key.route, stop: to), layover: layover(run.runTime)))
        }

        // Phasing: move direction 1 by whole minutes within half its usual headway, to the
        // offset whose route needs the fewest vehicles (the smallest move on a tie).
        if options.phaseDirections {
            var byRoute: [Int32: [Int]] = [:]
            for (i, d) in drafts.enumerated() { byRoute[d.key.route, default: []].append(i) }
            for list in byRoute.values {
                guard let a = list.first(where: { drafts[$0].key.direction == 0 }),
                      let b = list.first(where: { drafts[$0].key.direction == 1 }) else { continue }
                let fixed = drafts[a].times.map { trip(drafts[a], at: $0).block }
                let half = Int(drafts[b].headway / 2 / 60)
                var best: (fleet: Int, shift: Int32) = (Int.max, 0)
                for k in -half...half {
                    let delta = Int32(k * 60)
                    let moved = drafts[b].times.map { trip(drafts[b], at: $0 + delta).block }
                    let fleet = VehicleBlocks.deficits(trips: fixed + moved, terminalCount: terminalStops.count).reduce(0, +)
                    if fleet < best.fleet || (fleet == best.fleet && abs(delta) < abs(best.shift)) { best = (fleet, delta) }
                }
                if best.shift != 0 { drafts[b].times = drafts[b].times.map { $0 + best.shift } }
            }
        }

        var planned: [PlannedTrip] = []
        var blockTrips: [BlockTrip] = []
        var usedIDs = Set<String>()
        for draft in drafts {
            for t in draft.times {
                let (run, block) = trip(draft, at: t)
                var id = "\(draft.routeID)_\(draft.key.direction)_\(hhmm(t))"
                if usedIDs.contains(id) {
                    var k = 2
                    while usedIDs.contains("\(id)_\(k)") { k += 1 }
                    id = "\(id)_\(k)"
                }
                usedIDs.insert(id)
                let period = plan.periods.firstIndex { $0.contains(t) } ?? -1
                planned.append(PlannedTrip(id: id, route: draft.key.route, routeID: draft.routeID, direction: draft.key.direction,
                                           template: run.trip, shift: run.offset + (t - run.start), start: t,
                                           end: t + run.runTime, periodIndex: period, block: -1))
                blockTrips.append(block)
            }
        }

        let blocks = VehicleBlocks(trips: blockTrips, terminalCount: terminalStops.count)
        var blockIDs: [String] = []
        var perRoute: [String: Int] = [:]
        for list in blocks.blocks {
            guard let f = list.first else { blockIDs.append("block"); continue }
            if options.interline {
                blockIDs.append("block_\(blockIDs.count + 1)")
            } else {
                let r = planned[f].routeID
                perRoute[r, default: 0] += 1
                blockIDs.append("\(r)_block_\(perRoute[r] ?? 0)")
            }
        }
        for i in planned.indices { planned[i].block = blocks.blockOfTrip[i] }
        return Timetable(date: plan.date, plan: plan, options: options, trips: planned, blockTrips: blockTrips,
                         blocks: blocks, blockIDs: blockIDs, terminalStops: terminalStops, notes: notes)
    }

    /// Replaces the even-headway departures inside each segment by as many even-load ones
    /// (gaps kept near twice the planned headway at most where the load is thin), keeping the
    /// day's first and last departure.
    static func evenLoadTimes(_ times: [Int32], segments: [HeadwaySegment], samples: [LoadSample]) -> [Int32] {
        guard let first = times.first, let last = times.last else { return times }
        var out: [Int32] = []
        var i = 0
        for seg in segments {
            while i < times.count && times[i] < seg.start { out.append(times[i]); i += 1 }
            var inside = 0
            while i + inside < times.count && times[i + inside] < seg.end { inside += 1 }
            if inside > 0 {
                // The day's first and last departures stay; the others of the segment are
                // placed by load between them.
                let pinFirst = seg.start <= first && first < seg.end
                let pinLast = seg.start <= last && last < seg.end && last != first
                let free = inside - (pinFirst ? 1 : 0) - (pinLast ? 1 : 0)
                let a = max(seg.start, first), b = min(seg.end, last + 1)
                if pinFirst { out.append(first) }
                if free > 0 {
                    out.append(contentsOf: DepartureRules.evenLoad(start: a, end: pinLast ? last : b, count: free,
                                                                   loads: samples, maxGap: 2 * seg.headway))
                }
                if pinLast { out.append(last) }
            }
            i += inside
        }
        out.append(contentsOf: times[i...])
        out.sort()
        if !out.isEmpty { out[0] = first; out[out.count - 1] = last }
        var clean: [Int32] = []
        for t in out where t >= first && t <= last && t > (clean.last ?? Int32.min) { clean.append(t) }
        if clean.last != last { clean.append(last) }
        return clean
    }

    /// The index in sorted `values` nearest to `t` (the earlier on a tie).
    static func nearest(_ values: [Int32], to t: Int32) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        if lo == values.count { return values.count - 1 }
        if lo > 0 && t - values[lo - 1] <= values[lo] - t { return lo - 1 }
        return lo
    }

    /// `HHMM` of a time (hours may pass 24).
    static func hhmm(_ t: Int32) -> String {
        let h = t / 3600, m = (t / 60) % 60
        return (h < 10 ? "0\(h)" : "\(h)") + (m < 10 ? "0\(m)" : "\(m)")
    }
}

/// Groups terminal stops (the first and last stops of trips) into terminals: stops under one
/// parent station are one terminal, and so are terminal stops within `radius` metres of one
/// another (single linkage over the terminal stops only, so a street of stops is not chained).
struct TerminalMap {
    let clusterOfStop: [Int32]
    let representatives: [Int32]

    init(feed: Feed, terminals: Set<Int32>, radius: Double) {
        let stops = feed.stops
        let stopCount = feed.ids(.stop).count
        var lat = [Double](repeating: .nan, count: stopCount), lon = lat
        var parent = [Int32](repeating: -1, count: stopCount)
        for row in 0..<stops.count {
            let s = stops.id[row]
            guard s >= 0, Int(s) < stopCount else { continue }
            lat[Int(s)] = stops.lat[row]
            lon[Int(s)] = stops.lon[row]
            parent[Int(s)] = stops.parentStation[row]
        }
        // Grid cells of about `radius` for the neighbour search.
        let cell = max(radius, 1) / 111_000
        struct Cell: Hashable { var x: Int; var y: Int }
        var grid: [Cell: [Int32]] = [:]
        var cluster = [Int32](repeating: -1, count: stopCount)
        var reps: [Int32] = []
        func cellOf(_ s: Int) -> Cell? {
            guard lat[s].isFinite, lon[s].isFinite else { return nil }
            return Cell(x: Int((lon[s] * cos(lat[s] * .pi / 180) / cell).rounded(.down)), y: Int((lat[s] / cell).rounded(.down)))
        }
        for s in terminals.sorted() where s >= 0 && Int(s) < stopCount {
            let s = Int(s)
            let p = parent[s]
            var found: Int32 = -1
            if p >= 0, Int(p) < stopCount, Int(p) != s, cluster[Int(p)] >= 0 { found = cluster[Int(p)] }
            if found < 0, radius > 0, let c = cellOf(s) {
                search: for dx in -1...1 {
                    for dy in -1...1 {
                        for r in grid[Cell(x: c.x + dx, y: c.y + dy)] ?? [] {
                            let d = Geo.haversine(lat1: lat[s], lon1: lon[s], lat2: lat[Int(r)], lon2: lon[Int(r)])
                            if d <= radius { found = cluster[Int(r)]; break search }
                        }
                    }
                }
            }
            if found < 0 {
                found = Int32(reps.count)
                reps.append(Int32(s))
            }
            if let c = cellOf(s) { grid[c, default: []].append(Int32(s)) }
            cluster[s] = found
            if p >= 0, Int(p) < stopCount, cluster[Int(p)] < 0 { cluster[Int(p)] = found }
        }
        clusterOfStop = cluster
        representatives = reps
    }

    func cluster(of stop: Int32) -> Int32 {
        stop >= 0 && Int(stop) < clusterOfStop.count ? clusterOfStop[Int(stop)] : -1
    }

    func representative(of cluster: Int32) -> Int32 {
        cluster >= 0 && Int(cluster) < representatives.count ? representatives[Int(cluster)] : -1
    }
}
