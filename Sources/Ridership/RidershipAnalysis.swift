public import GTFS
public import TransitNetwork

/// Options for ``RidershipAnalysis``.
public struct RidershipOptions: Sendable {
    /// The most issues kept per code (all are counted in ``RidershipSummary/issueCounts``).
    public var maxIssuesPerCode: Int
    /// Compare `load_count` (when the file has it) with the load computed from boardings and
    /// alightings, and report the first disagreement of each trip and date.
    public var checkLoadCount: Bool

    /// Creates options (defaults: 1000 issues per code, `load_count` checked).
    public init(maxIssuesPerCode: Int = 1000, checkLoadCount: Bool = true) {
        self.maxIssuesPerCode = maxIssuesPerCode
        self.checkLoadCount = checkLoadCount
    }
}

/// What an analysis read and used.
public struct RidershipSummary: Sendable, Hashable {
    /// The distinct service dates with usable counts, ascending.
    public var dates: [GTFSDate]
    /// Whether some usable rows had no `service_date` (taken as one more, unnamed date).
    public var hasUndatedRecords: Bool
    /// Rows of `board_alight.txt`.
    public var records: Int
    /// Rows whose counts went into a load profile.
    public var recordsUsed: Int
    /// Rows with `record_use` 1 (a cancellation, not counts): skipped by design.
    public var cancellationRecords: Int
    /// Rows not used because of a defect (each reported as an issue).
    public var recordsSkipped: Int
    /// Distinct trips with a load profile.
    public var tripsObserved: Int
    /// Load profiles (trip × service date).
    public var tripDates: Int
    /// Boardings of all profiles, all dates, passengers.
    public var totalBoardings: Int
    /// Boardings on an average observed day (each trip's boardings divided by the number of
    /// dates it was observed), passengers.
    public var averageDayBoardings: Double
    /// Of ``averageDayBoardings``, those at stop events outside every period (in no demand row).
    public var boardingsOutsidePeriods: Double
    /// Issues per code, including those not kept in the list.
    public var issueCounts: [String: Int]
}

/// Ridership turned into load profiles and per-period demand, Ceder's "load at stop *i* in
/// hour *j*", from GTFS-ride `board_alight.txt`.
///
/// How it works (times are seconds since service-day midnight):
///
/// 1. **Rows.** Rows with `record_use` 1 are cancellations, not counts, and are skipped. Every
///    other row must name a declared trip and stop, and a `stop_sequence` at which that trip
///    stops at that stop in `stop_times.txt`; one row per trip, sequence and `service_date`.
///    Rows that break these rules are reported and skipped; an empty `boardings` or
///    `alightings` is reported and read as 0.
/// 2. **Walk.** Per trip and service date, the stops are walked in `stop_sequence` order:
///    load after = load before + boardings − alightings. A negative load is reported and set
///    to 0 (the walk goes on from 0, so one bad count does not poison the rest of the trip);
///    a load left on board after the last stop is reported as a warning. `load_count`, when
///    present, is compared with the computed load (arriving for `load_type` 0, departing
///    otherwise); `current_load` is a percentage of capacity in GTFS-ride and is not checked.
/// 3. **Time and period.** Each stop event happens when the vehicle leaves the stop: the
///    scheduled departure (``TripLoadProfile/times``), and it belongs to the period containing
///    that time, so one trip can add load to two periods (a stop at 08:59 is in 07:00-09:00,
///    the next at 09:02 in 09:00-16:00). Frequency-based trips have no schedule of their own:
///    their counted `service_departure_time` (else `service_arrival_time`) places them, and
///    without either they are reported as unplaceable and not used.
/// 4. **Average day.** Each profile is weighted by 1 / the number of service dates its trip
///    was observed on, so a trip counted on 1 of 3 dates still adds one trip's demand.
/// 5. **Demand** per route, direction (`direction_id`, else ``TripDirections``' inference)
///    and period: boardings Σ w·b; per stop (each visit of a stop counted apart on loops) the
///    summed departing load Σ w·load, whose maximum is ``RouteDemand/maxLoad`` (P_m) at
///    ``RouteDemand/maxLoadStopID``; passenger-km Σ w·load after *i* × segment *i* → *i* + 1
///    (``ShapeDistances``); ``RouteDemand/routeKm`` from ``RouteLengths``; and the distinct
///    trips observed.
///
/// - Complexity: O(r log r) for r rows (sorting them by trip, date and sequence), plus the
///   stops of the observed trips, plus building the network structures not passed in.
public struct RidershipAnalysis: Sendable {
    /// The periods demand is aggregated into, in the order given.
    public let periods: [Period]
    /// Demand rows per route, direction and period with counts, sorted by route (the order of
    /// `routes.txt`), direction, period index.
    public let demand: [RouteDemand]
    /// One load profile per trip and service date, sorted by trip code, then date.
    public let profiles: [TripLoadProfile]
    /// What was read and used.
    public let summary: RidershipSummary
    /// The input's issues and the analysis', sorted by file and line (at most
    /// ``RidershipOptions/maxIssuesPerCode`` per code).
    public let issues: [RidershipIssue]

    /// Analyses the counts of `input`.
    ///
    /// - Parameters:
    ///   - input: the feed and its ridership tables.
    ///   - periods: the plan's periods (``Period/parse(_:)``); a stop event in none of them
    ///     is counted in ``RidershipSummary/boardingsOutsidePeriods`` only.
    ///   - patterns, directions, distances: network structures already built for
    ///     `input.feed`, to save rebuilding them.
    /// - Throws: ``RidershipError/noRidership(source:)`` when there is no `board_alight.txt` or
    ///   it has no rows.
    public init(input: RidershipInput, periods: [Period], patterns: RoutePatterns? = nil,
                directions: TripDirections? = nil, distances: ShapeDistances? = nil,
                options: RidershipOptions = RidershipOptions()) throws(RidershipError) {
        guard let table = input.boardAlight else { throw .noRidership(source: nil) }
        guard table.rowCount > 0 else { throw .noRidership(source: input.boardAlightSource) }
        let feed = input.feed
        let patterns = patterns ?? RoutePatterns(feed: feed)
        let directions = directions ?? TripDirections(feed: feed, patterns: patterns)
        let distances = distances ?? ShapeDistances(feed: feed, patterns: patterns)
        var issues = IssueCollector(maxPerCode: options.maxIssuesPerCode)
        issues.add(contentsOf: input.issues)
        self.periods = periods

        var walker = RidershipWalker(feed: feed, table: table, periods: periods, distances: distances,
                            directions: directions, trips: patterns.tripIndex, checkLoadCount: options.checkLoadCount)
        walker.run(into: &issues)
        let profiles = walker.profiles

        let lengths = RouteLengths(feed: feed, patterns: patterns, distances: distances, directions: directions)
        let aggregate = DemandAggregation(feed: feed, profiles: profiles, periods: periods, lengths: lengths)
        self.demand = aggregate.demand
        self.profiles = profiles

        var dates = Set<Int32>()
        var undated = false
        var trips = 0
        var lastTrip: Int32 = -1
        var total = 0
        for p in profiles {
            if let d = p.date { dates.insert(d.yyyymmdd) } else { undated = true }
            if p.trip != lastTrip { trips += 1; lastTrip = p.trip }
            total += p.totalBoardings
        }
        self.issues = issues.sorted
        self.summary = RidershipSummary(
            dates: dates.sorted().compactMap { GTFSDate(yyyymmdd: $0) }, hasUndatedRecords: undated,
            records: table.rowCount, recordsUsed: walker.used, cancellationRecords: walker.cancellations,
            recordsSkipped: table.rowCount - walker.used - walker.cancellations,
            tripsObserved: trips, tripDates: profiles.count, totalBoardings: total,
            averageDayBoardings: aggregate.averageDayBoardings, boardingsOutsidePeriods: aggregate.boardingsOutside,
            issueCounts: issues.counts)
    }

    /// The demand row of `routeID`, `direction` and period index `period`, if there were counts.
    /// - Complexity: O(rows).
    public func demand(routeID: String, direction: Int, period: Int) -> RouteDemand? {
        demand.first { $0.routeID == routeID && $0.direction == direction && $0.periodIndex == period }
    }
}
