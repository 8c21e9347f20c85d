public import GTFS
public import Network

/// Settings of ``Timetable/build(feed:plan:options:loads:)``.
public struct TimetableOptions: Sendable, Hashable {
    /// Place departures by Ceder's even-load rule inside each planned period (needs loads),
    /// keeping gaps near twice the planned headway at most where the load is thin.
    public var evenLoad: Bool
    /// The smallest layover at a terminal before a vehicle's next trip, seconds.
    public var minimumLayover: Int32
    /// The layover as a share of the arriving trip's run time (the larger of this and
    /// ``minimumLayover`` applies), as the planner's cycle time counts it.
    public var layoverShare: Double
    /// Let a vehicle continue on another route at a shared terminal (else blocks stay on their
    /// route, as the plan's ceil(cycle / headway) assumes).
    public var interline: Bool
    /// Stops within this many metres (or under one parent station) are one terminal.
    public var terminalRadius: Double
    /// Move each route's direction 1 departures, all by the same whole minutes within half
    /// its usual headway (its first and last departures too), to the offset at which the
    /// route needs the fewest vehicles (deficit function); the smallest move wins a tie.
    /// Off, both directions keep today's first and last departures, and their phasing can
    /// cost a vehicle beyond the plan's ceil(cycle / headway).
    public var phaseDirections: Bool

    /// Creates options; the defaults match the planner's cycle time (10% layover, at least
    /// 5 minutes).
    public init(evenLoad: Bool = false, minimumLayover: Int32 = 300, layoverShare: Double = 0.10,
                interline: Bool = false, terminalRadius: Double = 300, phaseDirections: Bool = false) {
        self.evenLoad = evenLoad
        self.minimumLayover = minimumLayover
        self.layoverShare = layoverShare
        self.interline = interline
        self.terminalRadius = terminalRadius
        self.phaseDirections = phaseDirections
    }
}

/// One planned departure: a new trip that runs the stops of current trips of the feed (its
/// templates), at their run times for its time of day.
///
/// Its stop times are those of ``template`` plus ``shift`` when it has no second template
/// (``secondTemplate`` is -1). With one, each stop time is interpolated between the two
/// templates' times, each shifted to start at ``start``: template time × (1 − ``weight``) +
/// second template time × ``weight``, rounded to the nearest second (halves up) and never
/// earlier than the time before it on the trip. `TimetableExport` writes them so.
public struct PlannedTrip: Sendable, Hashable {
    /// The new `trip_id`.
    public var id: String
    /// The route code (``IDSpace/route``) in the source feed.
    public var route: Int32
    /// `route_id`.
    public var routeID: String
    /// 0 or 1.
    public var direction: Int32
    /// The template trip code in the source feed: the observed run at or before ``start``
    /// when the trip is interpolated, else the run nearest in time. Its stops (and their
    /// pickup and drop-off types, distances, head sign and shape) are this trip's.
    public var template: Int32
    /// Seconds added to the template's stop times to make it start at ``start``.
    public var shift: Int32
    /// The trip code of the observed run after ``start`` that the stop times are interpolated
    /// towards, or -1 when they are ``template``'s shifted (before the first or after the last
    /// observed run, at one exactly, or when the two runs' stops or timed stops differ).
    public var secondTemplate: Int32
    /// Seconds added to the second template's stop times to make it start at ``start``
    /// (0 without one).
    public var secondShift: Int32
    /// The weight of the second template as a fraction: ``start`` minus the template run's
    /// start (0 without a second template).
    public var weightNumerator: Int32
    /// The denominator of the weight: the second template run's start minus the template
    /// run's start (1 without a second template).
    public var weightDenominator: Int32
    /// The first departure, seconds since service-day midnight.
    public var start: Int32
    /// The last arrival.
    public var end: Int32
    /// The period index of ``start`` in the plan, or -1 outside every period.
    public var periodIndex: Int
    /// The vehicle block (index into ``Timetable/blocks``).
    public var block: Int

    /// The weight of ``secondTemplate`` in the stop times, in [0, 1]: (``start`` − s₁) /
    /// (s₂ − s₁) for template runs starting at s₁ and s₂; 0 without a second template.
    public var weight: Double {
        secondTemplate >= 0 && weightDenominator > 0 ? Double(weightNumerator) / Double(weightDenominator) : 0
    }
}

/// A planned timetable for one service day: the departures of every planned route direction,
/// their stop times (from current trips of the same time of day) and the vehicle blocks.
///
/// ## How it is built
/// - **Departures** per route and direction: ``DepartureRules/evenHeadways(segments:first:last:)``
///   over the plan's periods, from the first to the last departure the route direction has in
///   the feed on the plan's date (when that day has none in the planned periods, the first
///   planned period's start and the last one's end). With ``TimetableOptions/evenLoad`` the
///   departures inside each planned period are then placed by
///   ``DepartureRules/evenLoad(start:end:count:loads:)``, keeping their count and the day's
///   first and last departure.
/// - **Stop times**: the route direction's main pattern (the stop sequence most of its trips
///   run that day) is used. A departure at t between two current trips of that pattern
///   leaving at s₁ ≤ t ≤ s₂ gets their times, each counted from its own start, interpolated
///   with weight (t − s₁) / (s₂ − s₁) and rounded to whole seconds (never decreasing along
///   the trip), so run times follow the day's observed ones, a peak trip gets peak run times
///   and a shoulder trip a run time between. Before the first and after the last current trip
///   (or when the two do not stop alike) it copies the nearest one's. See ``PlannedTrip``.
/// - **Blocks**: ``VehicleBlocks`` at terminals (first and last stops, grouped by parent
///   station and ``TimetableOptions/terminalRadius``), with the layover
///   max(``TimetableOptions/minimumLayover``, ``TimetableOptions/layoverShare`` × run time).
public struct Timetable: Sendable {
    /// The service date.
    public let date: GTFSDate
    /// The plan.
    public let plan: HeadwayPlan
    /// The options used.
    public let options: TimetableOptions
    /// The trips, by route, direction and departure.
    public let trips: [PlannedTrip]
    /// The trips as the block chaining saw them (same order as ``trips``).
    public let blockTrips: [BlockTrip]
    /// The vehicle blocks.
    public let blocks: VehicleBlocks
    /// Per block, its `block_id`.
    public let blockIDs: [String]
    /// Per terminal index, the stop code that names it.
    public let terminalStops: [Int32]
    /// Things worth knowing that did not stop the build (route directions without a template).
    public let notes: [String]

    /// The vehicles per period: the blocks' peak against the plan and the fleet limit.
    public struct PeriodFleet: Sendable, Hashable {
        /// The period.
        public var period: Period
        /// The vehicles the blocks have in service at most in the period
        /// (``VehicleBlocks/inService(trips:departingFrom:to:subset:)``).
        public var blocks: Int
        /// The plan's vehicles (Σ over routes of ceil(cycle / headway)).
        public var planned: Int
        /// The fleet limit, when there is one.
        public var limit: Int?
        /// `blocks − planned`: positive when the blocks need more vehicles than the plan
        /// counted.
        public var difference: Int { blocks - planned }
        /// Whether the blocks stay within the limit (true without a limit).
        public var withinLimit: Bool { limit.map { blocks <= $0 } ?? true }
    }

    /// One route in one period where the blocks and ceil(cycle / headway) disagree.
    public struct RouteFleetDifference: Sendable, Hashable {
        /// `route_id`.
        public var routeID: String
        /// The period's index.
        public var periodIndex: Int
        /// The route's vehicles in service at most in the period.
        public var blocks: Int
        /// The plan's ceil(cycle / headway).
        public var planned: Int
    }

    /// Per period, the blocks' vehicles against the plan.
    /// - Complexity: O(periods × blocks log blocks).
    public func periodFleet() -> [PeriodFleet] {
        plan.periods.indices.map { p in
            let period = plan.periods[p]
            return PeriodFleet(period: period,
                               blocks: VehicleBlocks.inService(trips: blockTrips, departingFrom: period.start, to: period.end),
                               planned: p < plan.plannedVehicles.count ? plan.plannedVehicles[p] : 0,
                               limit: p < plan.fleet.count ? plan.fleet[p] : nil)
        }
    }

    /// The routes and periods whose blocks (when they stay on their route) need another number
    /// of vehicles than the plan's ceil(cycle / headway); empty with interlining.
    public func routeFleetDifferences() -> [RouteFleetDifference] {
        guard !options.interline else { return [] }
        var tripsOfRoute: [String: [Int]] = [:]
        for (i, t) in trips.enumerated() { tripsOfRoute[t.routeID, default: []].append(i) }
        var planned: [String: [Int: Int]] = [:]
        for r in plan.rows { planned[r.routeID, default: [:]][r.periodIndex] = max(planned[r.routeID]?[r.periodIndex] ?? 0, r.vehicles) }
        var out: [RouteFleetDifference] = []
        for (route, byPeriod) in planned.sorted(by: { $0.key < $1.key }) {
            for (p, v) in byPeriod.sorted(by: { $0.key < $1.key }) {
                let period = plan.periods[p]
                let n = VehicleBlocks.inService(trips: blockTrips, departingFrom: period.start, to: period.end, subset: tripsOfRoute[route] ?? [])
                if n != v { out.append(RouteFleetDifference(routeID: route, periodIndex: p, blocks: n, planned: v)) }
            }
        }
        return out
    }

    init(date: GTFSDate, plan: HeadwayPlan, options: TimetableOptions, trips: [PlannedTrip], blockTrips: [BlockTrip],
         blocks: VehicleBlocks, blockIDs: [String], terminalStops: [Int32], notes: [String]) {
        self.date = date
        self.plan = plan
        self.options = options
        self.trips = trips
        self.blockTrips = blockTrips
        self.blocks = blocks
        self.blockIDs = blockIDs
        self.terminalStops = terminalStops
        self.notes = notes
    }
}
