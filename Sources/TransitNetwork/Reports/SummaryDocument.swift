import GTFS

/// What `transit network summary` reports for one service date, as a document: the options in
/// force, the departures counted, the totals per period and one row per route, direction and
/// period. Times are whole seconds since service-day midnight.
///
/// Built from a ``ServiceSummary`` by ``init(summary:feed:)``; encodes with snake_case keys in
/// the order declared here.
public struct SummaryDocument: Codable, Sendable, Equatable {
    /// The feed path as given.
    public var feed: String
    /// The service date, ISO 8601.
    public var date: String
    /// Terminal layover per direction as a share of the run time.
    public var layoverShare: Double
    /// The smallest terminal layover per direction, in seconds.
    public var minLayoverS: Int
    /// Departures running on the date.
    public var departures: Int
    /// Departures outside every period (not counted in the rows).
    public var unassignedDepartures: Int
    /// Departures whose trip has no `direction_id`.
    public var departuresWithoutDirection: Int
    /// Of those, departures whose direction was inferred.
    public var directionsInferred: Int
    /// Of those, departures whose direction could not be decided (counted as direction 0).
    public var directionsUndecided: Int
    /// The most vehicles of any period.
    public var peakVehicles: Int
    /// Trips and vehicles per period, in period order.
    public var periods: [PeriodTotal]
    /// One row per route, direction and period.
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case feed
        case date
        case layoverShare = "layover_share"
        case minLayoverS = "min_layover_s"
        case departures
        case unassignedDepartures = "unassigned_departures"
        case departuresWithoutDirection = "departures_without_direction"
        case directionsInferred = "directions_inferred"
        case directionsUndecided = "directions_undecided"
        case peakVehicles = "peak_vehicles"
        case periods
        case rows
    }

    /// The totals of one period.
    public struct PeriodTotal: Codable, Sendable, Equatable {
        /// The period's name (`07:00-09:00`).
        public var period: String
        /// Its start, seconds since midnight.
        public var startS: Int
        /// Its end (exclusive), seconds since midnight.
        public var endS: Int
        /// Departures in the period.
        public var trips: Int
        /// Vehicles the period needs, summed over routes and directions.
        public var vehicles: Int

        enum CodingKeys: String, CodingKey {
            case period
            case startS = "start_s"
            case endS = "end_s"
            case trips
            case vehicles
        }

        /// The document row of `total`.
        public init(_ total: ServiceSummary.PeriodTotal) {
            period = total.period.name
            startS = Int(total.period.start)
            endS = Int(total.period.end)
            trips = total.trips
            vehicles = total.vehicles
        }
    }

    /// One route, direction and period; durations rounded to whole seconds.
    public struct Row: Codable, Sendable, Equatable {
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`, if any.
        public var routeShortName: String?
        /// The direction, 0 or 1.
        public var directionID: Int
        /// The period's name.
        public var period: String
        /// Departures.
        public var trips: Int
        /// The mean gap between consecutive departures, when there are two or more.
        public var meanHeadwayS: Int?
        /// The shortest gap, when there are two or more departures.
        public var minHeadwayS: Int?
        /// The longest gap, when there are two or more departures.
        public var maxHeadwayS: Int?
        /// The median run time.
        public var runTimeS: Int
        /// The cycle time: both directions' run times plus layovers.
        public var cycleTimeS: Int
        /// Vehicles: ceil(cycle time / mean headway).
        public var vehicles: Int

        enum CodingKeys: String, CodingKey {
            case routeID = "route_id"
            case routeShortName = "route_short_name"
            case directionID = "direction_id"
            case period
            case trips
            case meanHeadwayS = "mean_headway_s"
            case minHeadwayS = "min_headway_s"
            case maxHeadwayS = "max_headway_s"
            case runTimeS = "run_time_s"
            case cycleTimeS = "cycle_time_s"
            case vehicles
        }

        /// The document row of `row`, durations rounded to whole seconds.
        public init(_ row: ServiceSummary.Row) {
            routeID = row.routeID
            routeShortName = row.routeShortName
            directionID = Int(row.direction)
            period = row.period
            trips = row.trips
            meanHeadwayS = row.meanHeadway.map { Int($0.rounded()) }
            minHeadwayS = row.minHeadway.map { Int($0) }
            maxHeadwayS = row.maxHeadway.map { Int($0) }
            runTimeS = Int(row.runTime.rounded())
            cycleTimeS = Int(row.cycleTime.rounded())
            vehicles = row.vehicles
        }
    }

    /// The document of `summary` on the feed at `feed`.
    /// - Complexity: O(rows + periods).
    public init(summary: ServiceSummary, feed: String) {
        self.feed = feed
        date = summary.date.iso8601
        layoverShare = summary.layoverShare
        minLayoverS = Int(summary.minimumLayover)
        departures = summary.totalRuns
        unassignedDepartures = summary.unassignedRuns
        departuresWithoutDirection = summary.runsWithoutDirection
        directionsInferred = summary.runsWithInferredDirection
        directionsUndecided = summary.runsWithUndecidedDirection
        peakVehicles = summary.peakVehicles
        periods = summary.totals.map(PeriodTotal.init)
        rows = summary.rows.map(Row.init)
    }
}
