import GTFS
import TransitNetwork

extension Timetable {
    /// Turns drafts into trips: each departure's template runs and stop times, its terminals
    /// (numbered in the order first met) and its layover.
    struct TripAssembly {
        let options: TimetableOptions
        let index: StopTimeIndex
        /// The stop times of planned trips (for their last arrival).
        let times: TripTimes
        /// `stop_times.stop_id` by row.
        let stopOfRow: [Int32]
        /// The terminals, numbered in the order first met.
        var terminals: TerminalNumbering

        /// Groups the terminals of `drafts` (the first and last stops of their templates).
        init(feed: Feed, drafts: [Draft], options: TimetableOptions) {
            self.options = options
            index = feed.stopTimeIndex
            times = TripTimes(feed: feed)
            stopOfRow = times.stop
            var ends = Set<Int32>()
            for d in drafts {
                for run in d.templates {
                    let rows = index.rows(ofTrip: run.trip)
                    if let f = rows.first, let l = rows.last { ends.insert(stopOfRow[Int(f)]); ends.insert(stopOfRow[Int(l)]) }
                }
            }
            terminals = TerminalNumbering(terminals: TerminalMap(feed: feed, terminals: ends, radius: options.terminalRadius),
                                          interline: options.interline)
        }

        /// The terminal of `stop` for `route` (shared by all routes when interlining).
        mutating func terminal(route: Int32, stop: Int32) -> Int {
            terminals.terminal(route: route, stop: stop)
        }

        /// The template runs of `draft` for a departure at `t`: the runs leaving at s₁ < t < s₂
        /// next to it when they stop alike (``TripTimes/interpolable(_:_:)``) and are not one
        /// trip, else the run nearest in time alone (before the first run, after the last, or
        /// at one exactly).
        func templates(_ draft: Draft, at t: Int32) -> (first: TripRun, second: TripRun?) {
            let starts = draft.starts
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] < t { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0, lo < starts.count, starts[lo] > t {
                let a = draft.templates[lo - 1], b = draft.templates[lo]
                if a.trip != b.trip, times.interpolable(a.trip, b.trip) { return (a, b) }
            }
            return (draft.templates[nearest(starts, to: t)], nil)
        }

        /// The trip of `draft` leaving at `t` (without its ID, period and block) and the block
        /// view: its template runs, stop times and last arrival, terminals and layover.
        mutating func trip(_ draft: Draft, at t: Int32) -> (trip: PlannedTrip, block: BlockTrip) {
            let (run, next) = templates(draft, at: t)
            var trip = PlannedTrip(id: "", route: draft.key.route, routeID: draft.routeID, direction: draft.key.direction,
                                   template: run.trip, shift: run.offset + (t - run.start), secondTemplate: -1, secondShift: 0,
                                   weightNumerator: 0, weightDenominator: 1, start: t, end: t + run.runTime,
                                   periodIndex: -1, block: -1)
            if let next {
                trip.secondTemplate = next.trip
                trip.secondShift = next.offset + (t - next.start)
                trip.weightNumerator = t - run.start
                trip.weightDenominator = next.start - run.start
                trip.end = times.end(of: trip)
            }
            let rows = index.rows(ofTrip: run.trip)
            let from = rows.first.map { stopOfRow[Int($0)] } ?? -1
            let to = rows.last.map { stopOfRow[Int($0)] } ?? -1
            let runTime = trip.end - t
            return (trip, BlockTrip(start: t, end: trip.end, from: terminal(route: draft.key.route, stop: from),
                                    to: terminal(route: draft.key.route, stop: to), layover: options.layover(afterRun: runTime)))
        }

        /// Phasing: moves direction 1 by whole minutes within half its usual headway, to the
        /// offset whose route needs the fewest vehicles (the smallest move on a tie).
        mutating func phaseDirections(_ drafts: inout [Draft]) {
            var byRoute: [Int32: [Int]] = [:]
            for (i, d) in drafts.enumerated() { byRoute[d.key.route, default: []].append(i) }
            for (_, list) in byRoute.sorted(by: { $0.key < $1.key }) {
                guard let a = list.first(where: { drafts[$0].key.direction == 0 }),
                      let b = list.first(where: { drafts[$0].key.direction == 1 }) else { continue }
                let da = drafts[a], db = drafts[b]
                var fixed: [BlockTrip] = []
                for t in da.times { fixed.append(trip(da, at: t).block) }
                let half = Int(db.headway / 2 / 60)
                var best: (fleet: Int, shift: Int32) = (Int.max, 0)
                for k in -half...half {
                    let delta = Int32(k * 60)
                    var moved: [BlockTrip] = []
                    for t in db.times { moved.append(trip(db, at: t + delta).block) }
                    let fleet = VehicleBlocks.deficits(trips: fixed + moved, terminalCount: terminals.count).reduce(0, +)
                    if fleet < best.fleet || (fleet == best.fleet && abs(delta) < abs(best.shift)) { best = (fleet, delta) }
                }
                if best.shift != 0 { drafts[b].times = drafts[b].times.map { $0 + best.shift } }
            }
        }

        /// The planned trips of `drafts` (unique IDs `route_direction_HHMM`, suffixed on a
        /// clash) and their block views.
        mutating func plannedTrips(_ drafts: [Draft], periods: [Period]) -> (trips: [PlannedTrip], blockTrips: [BlockTrip]) {
            var planned: [PlannedTrip] = []
            var blockTrips: [BlockTrip] = []
            var usedIDs = Set<String>()
            for draft in drafts {
                for t in draft.times {
                    let made = trip(draft, at: t)
                    var newTrip = made.trip
                    var id = "\(draft.routeID)_\(draft.key.direction)_\(hhmm(t))"
                    if usedIDs.contains(id) {
                        var k = 2
                        while usedIDs.contains("\(id)_\(k)") { k += 1 }
                        id = "\(id)_\(k)"
                    }
                    usedIDs.insert(id)
                    newTrip.id = id
                    newTrip.periodIndex = periods.firstIndex { $0.contains(t) } ?? -1
                    planned.append(newTrip)
                    blockTrips.append(made.block)
                }
            }
            return (planned, blockTrips)
        }
    }
}
