/// Demand on one route direction in one period of an average observed day: what the
/// capacity constraint, the waiting-time objective and the classical (Ceder) methods need.
///
/// All passenger figures are totals over the period on an average day (counts summed over the
/// observed service dates, divided by the number of dates each trip was observed), so a
/// two-hour peak with 600 passengers past the busiest stop has `maxLoad == 600`, that is
/// 300 passengers an hour.
public struct RouteDemand: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// `direction_id` (0 or 1; inferred directions follow the network module's rule).
    public var direction: Int
    /// The period index in the plan's period list.
    public var periodIndex: Int
    /// The period's name (`07:00-09:00`).
    public var period: String
    /// Passengers boarding in the period.
    public var boardings: Double
    /// Passengers past the maximum load point in the period (Ceder's P_m), the largest
    /// period total of departing loads over the direction's stops.
    public var maxLoad: Double
    /// The `stop_id` of the maximum load point, when stop-level counts gave it.
    public var maxLoadStopID: String?
    /// Passenger-kilometres in the period (Σ load × segment length), when known.
    public var passengerKm: Double?
    /// The route length in kilometres the load profile runs over (for Ceder's A / L), when known.
    public var routeKm: Double?
    /// Trips with counts in this period (0 for a load-table row).
    public var observedTrips: Int

    /// Creates a demand row.
    public init(routeID: String, direction: Int, periodIndex: Int, period: String, boardings: Double,
                maxLoad: Double, maxLoadStopID: String? = nil, passengerKm: Double? = nil,
                routeKm: Double? = nil, observedTrips: Int = 0) {
        self.routeID = routeID
        self.direction = direction
        self.periodIndex = periodIndex
        self.period = period
        self.boardings = boardings
        self.maxLoad = maxLoad
        self.maxLoadStopID = maxLoadStopID
        self.passengerKm = passengerKm
        self.routeKm = routeKm
        self.observedTrips = observedTrips
    }

    /// The average load along the route (Ceder's A / L): passenger-km over route-km, when both
    /// are known.
    public var averageLoad: Double? {
        guard let pk = passengerKm, let km = routeKm, km > 0 else { return nil }
        return pk / km
    }
}
