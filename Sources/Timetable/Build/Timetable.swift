public import GTFS
public import TransitNetwork

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
    /// Let vehicles run empty between terminals (deadhead) when the move fits before the next
    /// departure: from ``deadheadMatrix`` when given, else estimated from the terminals'
    /// positions (``Deadheads/estimated(positions:allowed:speed:detour:maximum:)`` at
    /// ``deadheadSpeed`` and ``deadheadDetour``, up to ``maximumDeadhead``). Without
    /// ``interline`` a deadhead stays between terminals of one route.
    public var deadheading: Bool
    /// The operator's deadhead times between stops; when given, only the moves it lists are
    /// allowed (see ``DeadheadMatrix``).
    public var deadheadMatrix: DeadheadMatrix?
    /// The speed of an estimated deadhead, metres per second.
    public var deadheadSpeed: Double
    /// The street distance per straight-line metre of an estimated deadhead.
    public var deadheadDetour: Double
    /// The longest estimated deadhead, seconds.
    public var maximumDeadhead: Int32
    /// Where vehicles pull out from and pull in to; the drives are counted in the vehicle-hours
    /// and the scheduler minimises them after the fleet (`nil`: no depot drives counted).
    public var depot: Depot?

    /// Creates options; the defaults match the planner's cycle time (10% layover, at least
    /// 5 minutes), with estimated deadheads of up to 30 minutes at 25 km/h × 1.3.
    public init(evenLoad: Bool = false, minimumLayover: Int32 = 300, layoverShare: Double = 0.10,
                interline: Bool = false, terminalRadius: Double = 300, phaseDirections: Bool = false,
                deadheading: Bool = true, deadheadMatrix: DeadheadMatrix? = nil,
                deadheadSpeed: Double = Deadheads.defaultSpeed, deadheadDetour: Double = Deadheads.defaultDetour,
                maximumDeadhead: Int32 = Deadheads.defaultMaximum, depot: Depot? = nil) {
        self.evenLoad = evenLoad
        self.minimumLayover = minimumLayover
        self.layoverShare = layoverShare
        self.interline = interline
        self.terminalRadius = terminalRadius
        self.phaseDirections = phaseDirections
        self.deadheading = deadheading
        self.deadheadMatrix = deadheadMatrix
        self.deadheadSpeed = deadheadSpeed
        self.deadheadDetour = deadheadDetour
        self.maximumDeadhead = maximumDeadhead
        self.depot = depot
    }
}

extension TimetableOptions {
    /// The layover after a trip that runs `seconds` from first departure to last arrival: the
    /// larger of ``minimumLayover`` and ``layoverShare`` of the run (rounded up to a second).
    public func layover(afterRun seconds: Int32) -> Int32 {
        let share = layoverShare.isFinite ? (layoverShare * Double(seconds)).rounded(.up) : 0
        return max(minimumLayover, Int32(clamping: Int(max(0, min(share, Double(Int32.max))))))
    }
}

/// Where vehicles start and end their day.
public enum Depot: Sendable, Hashable {
    /// At a stop of the feed (`stop_id`).
    case stop(String)
    /// At a position.
    case position(latitude: Double, longitude: Double)

    /// Parses `STOP_ID` or `LAT,LON`.
    public static func parse(_ text: String) -> Depot {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 2, let lat = Double(parts[0].filter { $0 != " " }), let lon = Double(parts[1].filter { $0 != " " }),
           lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 {
            return .position(latitude: lat, longitude: lon)
        }
        return .stop(text)
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
/// - **Blocks**: ``VehicleScheduler`` (a minimum-cost flow LP solved by GLPK: fleet first,
///   then deadhead and depot drive time) at terminals (first and last stops, grouped by parent
///   station and ``TimetableOptions/terminalRadius``; shared by all routes with
///   ``TimetableOptions/interline``), with the layover
///   max(``TimetableOptions/minimumLayover``, ``TimetableOptions/layoverShare`` × run time) and
///   the deadheads of ``TimetableOptions/deadheading``.
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
    /// The deadhead moves the blocks could use.
    public let deadheads: Deadheads
    /// Per terminal, the drives from and to the depot (`nil` without a depot).
    public let depotDrives: [DepotDrive?]?
    /// With ``TimetableOptions/interline``, the vehicles the same trips need when every vehicle
    /// stays on its route (deadheads only between a route's own terminals), scheduled the same
    /// way: the vehicles interlining saves are this minus the blocks. `nil` without interlining.
    public let fleetWithoutInterlining: Int?
    /// Things worth knowing that did not stop the build (route directions without a template).
    public let notes: [String]

    /// What is wrong with the blocks (``VehicleBlocks/violations(blocks:trips:legs:deadheads:)``
    /// with their deadheads, checked against the allowed moves); empty when they are sound.
    public var blockViolations: [String] {
        VehicleBlocks.violations(blocks: blocks.blocks, trips: blockTrips, legs: blocks.legs, deadheads: deadheads)
    }

    /// The vehicles per period: the blocks in service at the busiest instant against the plan
    /// and the fleet limit, with the period's deadheads and interlined blocks.
    public struct PeriodFleet: Sendable, Hashable {
        /// The period.
        public var period: Period
        /// The blocks in service at the busiest instant of the period
        /// (``VehicleBlocks/inService(trips:from:to:)``: from a block's first departure to its
        /// last arrival, layovers and deadheads included). This is what the fleet limit bounds.
        public var blocks: Int
        /// The blocks in service at some time in the period.
        public var activeBlocks: Int
        /// The plan's vehicles (Σ over routes of ceil(cycle / headway)).
        public var planned: Int
        /// The fleet limit, when there is one.
        public var limit: Int?
        /// Deadheads leaving in the period: seconds.
        public var deadheadSeconds: Int
        /// Deadheads leaving in the period: metres.
        public var deadheadMetres: Int
        /// Blocks in service in the period that run more than one route.
        public var interlinedBlocks: Int
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

    /// Per period, the blocks' vehicles against the plan and the plan's fleet limits.
    /// - Complexity: O(periods × (blocks log blocks + legs)).
    public func periodFleet() -> [PeriodFleet] {
        periodFleet(limits: plan.fleet)
    }

    /// Per period, the blocks' vehicles against the plan and `limits` (per period, `nil` for
    /// none).
    public func periodFleet(limits: [Int?]) -> [PeriodFleet] {
        let interlined = interlinedBlocks
        return plan.periods.indices.map { p in
            let period = plan.periods[p]
            var active = 0, mixed = 0
            for (b, list) in blocks.blocks.enumerated() {
                guard let f = list.first, let l = list.last, blockTrips[f].start < period.end, blockTrips[l].end > period.start else { continue }
                active += 1
                if interlined[b] { mixed += 1 }
            }
            var seconds = 0, metres = 0
            for legs in blocks.legs {
                for leg in legs where period.contains(leg.depart) {
                    seconds += Int(leg.seconds)
                    metres += Int(leg.metres)
                }
            }
            return PeriodFleet(period: period, blocks: blocks.inService(trips: blockTrips, from: period.start, to: period.end),
                               activeBlocks: active, planned: p < plan.plannedVehicles.count ? plan.plannedVehicles[p] : 0,
                               limit: p < limits.count ? limits[p] : nil, deadheadSeconds: seconds, deadheadMetres: metres,
                               interlinedBlocks: mixed)
        }
    }

    /// Whether the timetable fits `limits` (per period; `nil` entries are no limit): in each
    /// limited period no more blocks in service at once than its limit, and no more blocks in
    /// the day than the largest limit.
    public func fits(limits: [Int?]) -> Bool {
        fleetShortfall(limits: limits) == nil
    }

    /// Why the timetable does not fit `limits`, in words (`nil` when it fits).
    /// - Parameter fleet: ``periodFleet(limits:)`` for the same limits, when already at hand.
    public func fleetShortfall(limits: [Int?], fleet: [PeriodFleet]? = nil) -> String? {
        var reasons: [String] = []
        for f in fleet ?? periodFleet(limits: limits) where !f.withinLimit {
            reasons.append("\(f.period.name): \(f.blocks) vehicles in service at the busiest moment, limit \(f.limit ?? 0)")
        }
        if let most = limits.compactMap({ $0 }).max(), blocks.fleet > most {
            reasons.append("the day needs \(blocks.fleet) vehicle blocks, the largest limit is \(most)")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// The day's operation: vehicle-hours from each block's first departure to its last
    /// arrival plus its depot drives, and the deadheads.
    public struct DayOperation: Sendable, Hashable {
        /// Vehicle blocks.
        public var blocks: Int
        /// Hours in service (first departure to last arrival of every block) plus depot drives.
        public var vehicleHours: Double
        /// Deadhead hours between trips.
        public var deadheadHours: Double
        /// Deadhead kilometres between trips.
        public var deadheadKilometres: Double
        /// Depot drive hours (pull-out and pull-in), 0 without a depot.
        public var depotHours: Double
        /// Depot drive kilometres.
        public var depotKilometres: Double
        /// Blocks that run more than one route.
        public var interlinedBlocks: Int
        /// The lower bound on any schedule's fleet (``VehicleBlocks/lowerBound``).
        public var lowerBound: Int
        /// Vehicles interlining saves (``Timetable/fleetWithoutInterlining`` minus the blocks),
        /// `nil` without interlining.
        public var savedByInterlining: Int?
    }

    /// Per block, whether it runs more than one route.
    var interlinedBlocks: [Bool] {
        blocks.blocks.map { list in list.contains { trips[$0].route != trips[list[0]].route } }
    }

    /// The day's operation (see ``DayOperation``).
    public var dayOperation: DayOperation {
        var spanSeconds = 0, depotSeconds = 0, depotMetres = 0
        let mixed = interlinedBlocks.filter { $0 }.count
        for list in blocks.blocks {
            guard let f = list.first, let l = list.last else { continue }
            spanSeconds += Int(blockTrips[l].end - blockTrips[f].start)
            if let drives = depotDrives {
                for t in [blockTrips[f].from, blockTrips[l].to] where t >= 0 && t < drives.count {
                    depotSeconds += Int(drives[t]?.seconds ?? 0)
                    depotMetres += Int(drives[t]?.metres ?? 0)
                }
            }
        }
        var dhSeconds = 0, dhMetres = 0
        for legs in blocks.legs { for leg in legs { dhSeconds += Int(leg.seconds); dhMetres += Int(leg.metres) } }
        return DayOperation(blocks: blocks.fleet, vehicleHours: Double(spanSeconds + depotSeconds) / 3600,
                            deadheadHours: Double(dhSeconds) / 3600, deadheadKilometres: Double(dhMetres) / 1000,
                            depotHours: Double(depotSeconds) / 3600, depotKilometres: Double(depotMetres) / 1000,
                            interlinedBlocks: mixed, lowerBound: blocks.lowerBound,
                            savedByInterlining: fleetWithoutInterlining.map { $0 - blocks.fleet })
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
         blocks: VehicleBlocks, blockIDs: [String], terminalStops: [Int32], deadheads: Deadheads,
         depotDrives: [DepotDrive?]?, fleetWithoutInterlining: Int?, notes: [String]) {
        self.fleetWithoutInterlining = fleetWithoutInterlining
        self.deadheads = deadheads
        self.depotDrives = depotDrives
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
