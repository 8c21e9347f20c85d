public import GTFS
public import TransitNetwork
public import Ridership

/// What a plan is made from before any limit applies: the demand measured from ridership and
/// today's service on the plan date (``FrequencyPlanner/prepare(_:progress:)``). Plans under
/// several limits (``FrequencyPlanner/plan(_:inputs:progress:)``) share one.
public struct PlanInputs: Sendable {
    /// The service date whose timetable is current.
    public var day: GTFSDate
    /// Demand per route, direction and period.
    public var demand: [RouteDemand]
    /// The ridership's issues, every severity.
    public var ridershipIssues: [RidershipIssue]
    /// Today's service on ``day``.
    public var summary: ServiceSummary
    /// Vehicle capacity per `route_id` from `trip_capacity.txt`.
    public var capacities: [String: Int]
    /// `route_type` per `route_id`.
    public var routeTypes: [String: Int]

    /// Creates inputs.
    public init(day: GTFSDate, demand: [RouteDemand], ridershipIssues: [RidershipIssue], summary: ServiceSummary,
                capacities: [String: Int], routeTypes: [String: Int]) {
        self.day = day
        self.demand = demand
        self.ridershipIssues = ridershipIssues
        self.summary = summary
        self.capacities = capacities
        self.routeTypes = routeTypes
    }
}
