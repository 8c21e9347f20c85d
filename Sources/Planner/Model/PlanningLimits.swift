/// The limits and prices a plan is made under.
public struct PlanningLimits: Sendable {
    /// Vehicles available per period (same order as the plan's periods); nil entries, or an
    /// empty list, mean no limit.
    public var fleet: [Int?]
    /// Vehicle capacity (seated + standing) for every route; overrides `trip_capacity.txt`.
    public var capacity: Int?
    /// The desired load factor at the maximum load point (0 < lf ≤ 1.5).
    public var loadFactor: Double
    /// Allowed headways in seconds.
    public var headways: [Int32]
    /// Policy maximum headway (seconds) for every route, when set.
    public var maxHeadway: Int32?
    /// Policy maximum headway (seconds) per `route_type`; wins over ``maxHeadway``.
    public var maxHeadwayByRouteType: [Int: Int32]
    /// Policy maximum headway (seconds) per `route_id`; wins over the others.
    public var maxHeadwayByRoute: [String: Int32]
    /// The daily operating budget (currency), when set.
    public var budget: Double?
    /// Operating cost per vehicle-hour (currency).
    public var vehicleHourCost: Double
    /// Value of passenger waiting time (currency per hour).
    public var valueOfTime: Double
    /// Weight of waiting cost in the objective.
    public var waitingWeight: Double
    /// Weight of operating cost in the objective.
    public var operatingWeight: Double

    /// Creates limits; every argument has the documented default.
    public init(fleet: [Int?] = [], capacity: Int? = nil, loadFactor: Double = PlanningDefaults.loadFactor,
                headways: [Int32] = PlanningDefaults.headways, maxHeadway: Int32? = nil,
                maxHeadwayByRouteType: [Int: Int32] = [:], maxHeadwayByRoute: [String: Int32] = [:],
                budget: Double? = nil, vehicleHourCost: Double = PlanningDefaults.vehicleHourCost,
                valueOfTime: Double = PlanningDefaults.valueOfTime, waitingWeight: Double = 1,
                operatingWeight: Double = 1) {
        self.fleet = fleet
        self.capacity = capacity
        self.loadFactor = loadFactor
        self.headways = headways
        self.maxHeadway = maxHeadway
        self.maxHeadwayByRouteType = maxHeadwayByRouteType
        self.maxHeadwayByRoute = maxHeadwayByRoute
        self.budget = budget
        self.vehicleHourCost = vehicleHourCost
        self.valueOfTime = valueOfTime
        self.waitingWeight = waitingWeight
        self.operatingWeight = operatingWeight
    }

    /// The policy maximum headway for a route, when one applies.
    public func policyMaximum(routeID: String, routeType: Int?) -> Int32? {
        if let h = maxHeadwayByRoute[routeID] { return h }
        if let t = routeType, let h = maxHeadwayByRouteType[t] { return h }
        return maxHeadway
    }

    /// Checks the numbers: what is wrong, in words a user can act on.
    public func problems(periodCount: Int) -> [String] {
        var out: [String] = []
        if fleet.count > 1, fleet.count != periodCount {
            out.append("the fleet gives \(fleet.count) numbers for \(periodCount) periods: give one number, or one per period")
        }
        for f in fleet.compactMap({ $0 }) where f < 0 { out.append("fleet \(f) is negative") }
        if let c = capacity, c <= 0 { out.append("capacity \(c) must be positive") }
        if !(loadFactor > 0 && loadFactor <= 1.5) { out.append("load factor \(loadFactor) must be in (0, 1.5]") }
        if headways.isEmpty { out.append("no allowed headways") }
        for h in headways where h <= 0 { out.append("headway \(h) s must be positive") }
        if Set(headways).count != headways.count { out.append("allowed headways repeat a value") }
        if let b = budget, !(b.isFinite && b >= 0) { out.append("budget \(b) must be a finite number ≥ 0") }
        if !(vehicleHourCost.isFinite && vehicleHourCost >= 0) { out.append("cost per vehicle-hour \(vehicleHourCost) must be ≥ 0") }
        if !(valueOfTime.isFinite && valueOfTime >= 0) { out.append("value of time \(valueOfTime) must be ≥ 0") }
        if !(waitingWeight.isFinite && waitingWeight >= 0) || !(operatingWeight.isFinite && operatingWeight >= 0) {
            out.append("objective weights must be finite and ≥ 0")
        }
        return out
    }
}
