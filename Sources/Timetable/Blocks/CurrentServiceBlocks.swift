public import GTFS
public import TransitNetwork

/// The vehicle blocks of a feed's own service on one date, beside the feed's own `block_id`s.
///
/// Every run of the date (``Departures/runs(feed:calendar:date:)``: the trips the service
/// calendar runs that day, frequency templates expanded) becomes a ``BlockTrip``: its first
/// departure and last arrival, its first and last stops as terminals, and the layover of
/// ``TimetableOptions/layover(afterRun:)``. Terminals are grouped, deadheads estimated (or
/// read from the matrix) and the trips scheduled exactly as ``Timetable/build(feed:plan:options:loads:)``
/// does for planned trips, so the fleet here is what the scheduler would need to run today's
/// service as it is.
///
/// ## The feed's own blocks
/// A trip's `block_id` (from its first `trips.txt` row) names the vehicle that runs it, so the
/// feed's fleet that day is the number of distinct non-empty `block_id`s among the day's
/// trips. A trip without a `block_id` says nothing about its vehicle; such trips are counted in
/// ``FeedBlocks/tripsWithoutBlock`` and never guessed at, so ``feedFleet`` is only given when
/// every scheduled trip has a `block_id` (schedule with ``Scope/tripsWithBlockID`` to compare
/// on the trips that have one). The runs of one frequency template share its `block_id`.
///
/// To compare like with like, give the options the feed's own layover: a feed block may turn a
/// vehicle round with less than the default layover (``FeedBlocks/shortestGap`` says how much
/// it allows itself), and a layover of 0 (`minimumLayover: 0, layoverShare: 0`) lets the
/// scheduler chain whatever the feed could.
public struct CurrentServiceBlocks: Sendable, Hashable {
    /// Which of the day's trips are scheduled.
    public enum Scope: Sendable, Hashable {
        /// Every run of the day.
        case allTrips
        /// Only the runs whose trip has a non-empty `block_id` (for comparing with the feed's
        /// blocks when some trips lack one).
        case tripsWithBlockID
    }

    /// What the feed's own `block_id`s say about the day.
    public struct FeedBlocks: Sendable, Hashable {
        /// The day's runs whose trip has a non-empty `block_id` (all runs of the day, whatever
        /// the scope).
        public var tripsWithBlock: Int
        /// The day's runs whose trip has none.
        public var tripsWithoutBlock: Int
        /// The distinct non-empty `block_id`s among the day's runs.
        public var blocks: Int
        /// Feed blocks that run more than one route.
        public var interlinedBlocks: Int
        /// Consecutive trips of one feed block (both scheduled), in departure order.
        public var connections: Int
        /// The shortest time between a feed block's arrival and its next departure, seconds
        /// (negative when two trips of a block overlap); `nil` when no block has two trips.
        public var shortestGap: Int32?
        /// Connections whose next departure is before the previous trip's arrival.
        public var overlaps: Int
        /// Connections shorter than the layover the options ask for after the previous trip.
        public var shorterThanLayover: Int
        /// Connections whose next trip leaves from another terminal (stop cluster of
        /// ``TerminalMap``) than the previous one reached: the vehicle deadheads there, which
        /// the feed does not describe.
        public var changingTerminal: Int
    }

    /// The service date.
    public let date: GTFSDate
    /// The layover, terminal, interlining and deadhead rules used.
    public let options: TimetableOptions
    /// Which runs were scheduled.
    public let scope: Scope
    /// Per scheduled trip, its run (trip code and times).
    public let runs: [TripRun]
    /// Per scheduled trip, its block view.
    public let trips: [BlockTrip]
    /// Per scheduled trip, its `block_id` (`nil` when empty).
    public let blockIDs: [String?]
    /// The representative stop of each terminal.
    public let terminalStops: [Int32]
    /// The deadhead moves the blocks could use.
    public let deadheads: Deadheads
    /// Per terminal, the depot drive (`nil` without a depot).
    public let depotDrives: [DepotDrive?]?
    /// The scheduled blocks (fewest vehicles, then least deadheading).
    public let blocks: VehicleBlocks
    /// The feed's own blocks that day.
    public let feedBlocks: FeedBlocks

    /// The runs of the day the scope left out.
    public let tripsLeftOut: Int

    /// The vehicles the scheduled blocks need.
    public var fleet: Int { blocks.fleet }
    /// No schedule of these trips needs fewer vehicles: the most trips in progress or in
    /// their layover at once (``VehicleBlocks/lowerBound``).
    public var lowerBound: Int { blocks.lowerBound }
    /// The fleet without deadheading: the deficit-function count D
    /// (``VehicleBlocks/minimumFleet``).
    public var deficitFleet: Int { blocks.minimumFleet }
    /// The feed's fleet for the scheduled trips: its distinct `block_id`s, when every scheduled
    /// trip has one; `nil` otherwise (the trips without cannot be counted honestly).
    public var feedFleet: Int? {
        guard !blockIDs.isEmpty, blockIDs.allSatisfy({ $0 != nil }) else { return nil }
        return Set(blockIDs.compactMap { $0 }).count
    }
    /// The deadheads the blocks run between trips.
    public var deadheadCount: Int { blocks.legs.reduce(0) { $0 + $1.count } }
    /// Their total time, seconds.
    public var deadheadSeconds: Int { blocks.legs.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1.seconds) } } }
    /// Their total length, metres.
    public var deadheadMetres: Int { blocks.legs.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1.metres) } } }
    /// What is wrong with the blocks (``VehicleBlocks/violations(blocks:trips:legs:deadheads:)``);
    /// empty when they are sound.
    public var violations: [String] {
        VehicleBlocks.violations(blocks: blocks.blocks, trips: trips, legs: blocks.legs, deadheads: deadheads)
    }

    /// Schedules the runs of `date` in `feed` into vehicle blocks and counts the feed's own.
    /// - Parameters:
    ///   - options: the layover (``TimetableOptions/minimumLayover``,
    ///     ``TimetableOptions/layoverShare``), terminal radius, interlining, deadhead and depot
    ///     rules; the departure options do not apply.
    ///   - scope: every run, or only those with a `block_id`.
    ///   - method: how the scheduler solves.
    /// - Throws: ``TimetableError/deadheadMatrixInvalid(path:line:field:value:reason:)``,
    ///   ``TimetableError/unknownDepot(stopID:)`` or ``TimetableError/scheduling(_:)``.
    /// - Complexity: O(trips + stop times) to read the day, plus one scheduling solve.
    public static func build(feed: Feed, date: GTFSDate, options: TimetableOptions = TimetableOptions(),
                             scope: Scope = .allTrips, method: SchedulingMethod = .standard) throws(TimetableError) -> CurrentServiceBlocks {
        let tripIndex = TripIndex(feed: feed)
        let blockColumn = feed.trips.block
        func blockID(_ trip: Int32) -> String? {
            guard let column = blockColumn, trip >= 0, Int(trip) < tripIndex.rows.count else { return nil }
            let row = Int(tripIndex.rows[Int(trip)])
            guard row >= 0, row < column.codes.count, let id = column[row], !id.isEmpty else { return nil }
            return id
        }
        func route(_ trip: Int32) -> Int32 {
            trip >= 0 && Int(trip) < tripIndex.routes.count ? tripIndex.routes[Int(trip)] : -1
        }

        let day = Departures.runs(feed: feed, calendar: ServiceCalendar(feed: feed), date: date)
        let dayBlockIDs = day.map { blockID($0.trip) }
        var runs: [TripRun] = [], blockIDs: [String?] = []
        for (run, id) in zip(day, dayBlockIDs) where scope == .allTrips || id != nil {
            runs.append(run)
            blockIDs.append(id)
        }

        // Terminals: the first and last stops of the scheduled trips.
        let index = feed.stopTimeIndex
        let stopOfRow = feed.stopTimes.stop
        let ends: [(first: Int32, last: Int32)] = runs.map { run in
            let rows = index.rows(ofTrip: run.trip)
            return (rows.first.map { stopOfRow[Int($0)] } ?? -1, rows.last.map { stopOfRow[Int($0)] } ?? -1)
        }
        var endStops = Set<Int32>()
        for e in ends { endStops.insert(e.first); endStops.insert(e.last) }
        endStops.remove(-1)
        var terminals = TerminalNumbering(terminals: TerminalMap(feed: feed, terminals: endStops, radius: options.terminalRadius),
                                          interline: options.interline)
        var trips: [BlockTrip] = []
        trips.reserveCapacity(runs.count)
        for (run, e) in zip(runs, ends) {
            let r = route(run.trip)
            trips.append(BlockTrip(start: run.start, end: max(run.end, run.start), from: terminals.terminal(route: r, stop: e.first),
                                   to: terminals.terminal(route: r, stop: e.last), layover: options.layover(afterRun: run.runTime)))
        }

        let (deadheads, depot) = try Timetable.vehicleMoves(feed: feed, options: options, terminals: terminals)
        let blocks = try Timetable.scheduleBlocks(trips, terminalCount: terminals.count, deadheads: deadheads,
                                                  depot: depot, method: method)

        // The feed's blocks: counts over the whole day, connections over the scheduled trips.
        var feedBlocks = FeedBlocks(tripsWithBlock: 0, tripsWithoutBlock: 0, blocks: 0, interlinedBlocks: 0, connections: 0,
                                    shortestGap: nil, overlaps: 0, shorterThanLayover: 0, changingTerminal: 0)
        var routesOfBlock: [String: Set<Int32>] = [:]
        for (run, id) in zip(day, dayBlockIDs) {
            guard let id else { feedBlocks.tripsWithoutBlock += 1; continue }
            feedBlocks.tripsWithBlock += 1
            routesOfBlock[id, default: []].insert(route(run.trip))
        }
        feedBlocks.blocks = routesOfBlock.count
        feedBlocks.interlinedBlocks = routesOfBlock.values.filter { $0.count > 1 }.count
        var tripsOfBlock: [String: [Int]] = [:]
        for (i, id) in blockIDs.enumerated() { if let id { tripsOfBlock[id, default: []].append(i) } }
        let map = terminals.terminals
        for list in tripsOfBlock.values {
            let ordered = list.sorted { trips[$0].start != trips[$1].start ? trips[$0].start < trips[$1].start : $0 < $1 }
            for (a, b) in zip(ordered, ordered.dropFirst()) {
                let gap = trips[b].start - trips[a].end
                feedBlocks.connections += 1
                feedBlocks.shortestGap = min(feedBlocks.shortestGap ?? gap, gap)
                if gap < 0 { feedBlocks.overlaps += 1 }
                if gap < trips[a].layover { feedBlocks.shorterThanLayover += 1 }
                if map.cluster(of: ends[a].last) != map.cluster(of: ends[b].first) { feedBlocks.changingTerminal += 1 }
            }
        }
        return CurrentServiceBlocks(date: date, options: options, scope: scope, runs: runs, trips: trips, blockIDs: blockIDs,
                                    terminalStops: terminals.stops, deadheads: deadheads, depotDrives: depot, blocks: blocks,
                                    feedBlocks: feedBlocks, tripsLeftOut: day.count - runs.count)
    }
}
