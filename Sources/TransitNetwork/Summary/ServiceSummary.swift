public import GTFS

/// What service a feed runs on one date: per route, direction and period the trips, headways,
/// run time, cycle time and vehicles needed; per period the vehicles in service.
///
/// How it is computed (all times in seconds since service-day midnight):
///
/// - **Departures** are the runs of ``Departures/runs(feed:calendar:date:)``: running trips
///   once, frequency templates expanded. A run belongs to the period that contains its first
///   departure; runs outside every period are counted in ``unassignedRuns`` only.
/// - **Direction**: a trip's `direction_id` 0 or 1 is used as given. A trip that leaves it empty
///   (or invalid) gets the direction ``DirectionInference`` infers from the geometry of its
///   route's trips (``runsWithInferredDirection`` counts those departures, and
///   ``runsWithUndecidedDirection`` those for which no test decided, read as 0). With
///   `inferDirections: false` such trips are direction 0, as before: a feed that leaves it
///   empty everywhere (Vilnius 2016) then gets both directions in one row, the headway about
///   halved and the vehicles about doubled. ``runsWithoutDirection`` counts the departures
///   whose trip has no usable `direction_id`, either way.
/// - **Headways** are the gaps between consecutive departures of the same route and direction
///   within the period. The mean headway is the mean of those gaps, (last − first) / (trips − 1),
///   not the period length divided by the trips (which would count the empty time before the
///   first and after the last departure). With fewer than two departures there is no headway.
/// - **Run time** is the median over the period's runs of first departure → last arrival (the
///   mean of the two middle values for an even count).
/// - **Cycle time** of a route in a period is the run time of direction 0 plus that of
///   direction 1 (twice the one run time when only one direction runs), plus a terminal
///   layover per direction of max(`layoverShare` × its run time, `minimumLayover`).
/// - **Vehicles** of a row: ceil(cycle time / mean headway). With a single departure in the
///   period there is no headway; the row then needs 1 vehicle when the cycle fits in the
///   period, else ceil(cycle time / period length) (the vehicles that run the cycle back to
///   back over the period).
/// - **Vehicles in service** per period: both directions of a route describe the same vehicles
///   going round, so a route counts the larger of its two rows, and the period total is the
///   sum over routes. The peak fleet is the largest period total.
///
/// Rows are sorted by route (short name, else id, numbers in numeric order), direction, then
/// period start.
public struct ServiceSummary: Sendable {
    /// One route × direction × period.
    public struct Row: Sendable, Hashable {
        /// The route code (``IDSpace/route``).
        public var route: Int32
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`, when the route has one.
        public var routeShortName: String?
        /// 0 or 1 (inferred for an empty `direction_id`, see ``DirectionInference``).
        public var direction: Int32
        /// The period's index in ``ServiceSummary/periods``.
        public var periodIndex: Int
        /// The period's name, `07:00-09:00`.
        public var period: String
        /// The departures in the period.
        public var trips: Int
        /// The mean gap between consecutive departures, seconds; `nil` with < 2 departures.
        public var meanHeadway: Double?
        /// The smallest gap, seconds; `nil` with < 2 departures.
        public var minHeadway: Int32?
        /// The largest gap, seconds; `nil` with < 2 departures.
        public var maxHeadway: Int32?
        /// The median run time (first departure to last arrival), seconds.
        public var runTime: Double
        /// The route's cycle time in the period (both directions plus layovers), seconds.
        public var cycleTime: Double
        /// The vehicles this direction's frequency needs over the cycle.
        public var vehicles: Int
    }

    /// The vehicles in service in one period.
    public struct PeriodTotal: Sendable, Hashable {
        /// The period.
        public var period: Period
        /// The departures in the period, all routes and directions.
        public var trips: Int
        /// The vehicles in service: per route the larger of its direction rows, summed.
        public var vehicles: Int
    }

    /// The service date.
    public let date: GTFSDate
    /// The periods, sorted by start.
    public let periods: [Period]
    /// The layover share of the run time (0.10 = 10%).
    public let layoverShare: Double
    /// The minimum layover per direction, seconds.
    public let minimumLayover: Int32
    /// The rows, sorted by route, direction, period.
    public let rows: [Row]
    /// Per period (in ``periods`` order), the totals.
    public let totals: [PeriodTotal]
    /// All runs on the date (including those outside every period).
    public let totalRuns: Int
    /// The runs whose first departure is outside every period.
    public let unassignedRuns: Int
    /// The runs whose trip has an empty (or invalid) `direction_id`.
    public let runsWithoutDirection: Int
    /// The runs whose direction was inferred (``DirectionInference``); 0 when inference is off.
    public let runsWithInferredDirection: Int
    /// Of ``runsWithInferredDirection``, those no inference test decided (direction 0).
    public let runsWithUndecidedDirection: Int

    /// The peak fleet: the largest ``PeriodTotal/vehicles`` (0 without periods).
    public var peakVehicles: Int { totals.map(\.vehicles).max() ?? 0 }

    /// Computes the summary of `feed` on `date`.
    ///
    /// - Parameters:
    ///   - periods: from ``Period/parse(_:)``; overlapping periods would count a run once, in
    ///     the first that contains it.
    ///   - layoverShare: the layover per direction as a share of its run time.
    ///   - minimumLayover: the smallest layover per direction, seconds.
    ///   - calendar: a calendar already built for `feed`, to save rebuilding it.
    ///   - inferDirections: whether trips without `direction_id` get an inferred direction
    ///     (else direction 0).
    ///   - directions: an inference already made for `feed`, to save redoing it.
    ///   - patterns: route patterns already built for `feed` (for the inference), to save
    ///     rebuilding them.
    /// - Complexity: O(trips + stop times of the running trips and of the trips without
    ///   `direction_id` + runs × log runs).
    public init(feed: Feed, date: GTFSDate, periods: [Period], layoverShare: Double = 0.10,
                minimumLayover: Int32 = 300, calendar: ServiceCalendar? = nil,
                inferDirections: Bool = true, directions: DirectionInference? = nil,
                patterns: RoutePatterns? = nil) {
        let periods = periods.sorted { $0.start < $1.start }
        self.date = date
        self.periods = periods
        self.layoverShare = layoverShare
        self.minimumLayover = minimumLayover
        let (runs, inference) = Self.runsAndInference(feed: feed, date: date, calendar: calendar,
                                                      inferDirections: inferDirections, directions: directions,
                                                      patterns: patterns)
        totalRuns = runs.count
        let trips = (patterns?.tripIndex ?? TripIndex(feed: feed)).inferring(inference)
        let groups = RunGroups(runs: runs, trips: trips, inference: inference, periods: periods,
                               routeCount: feed.ids(.route).count)
        unassignedRuns = groups.unassigned
        runsWithoutDirection = groups.withoutDirection
        runsWithInferredDirection = groups.inferred
        runsWithUndecidedDirection = groups.undecided
        let shortNames = Self.routeShortNames(feed)
        let rows = Self.rows(groups, periods: periods, routeIDs: feed.ids(.route), shortNames: shortNames,
                             layoverShare: layoverShare, minimumLayover: minimumLayover)
        self.rows = Self.sorted(rows, routeIDs: feed.ids(.route), shortNames: shortNames, periodCount: periods.count)
        self.totals = Self.totals(of: self.rows, periods: periods)
    }
}
