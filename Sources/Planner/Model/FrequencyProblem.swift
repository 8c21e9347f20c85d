/// One allowed headway for one route in one period, with what it costs.
public struct HeadwayOption: Sendable, Hashable {
    /// The headway in seconds.
    public var headway: Int32
    /// Vehicles the route needs at this headway: ceil(cycle time / headway).
    public var vehicles: Int
    /// Passenger waiting cost over the period on an average day: value of time × boardings ×
    /// headway / 2 (riders arriving at random wait half a headway), in currency units.
    public var waitingCost: Double
    /// Operating cost over the period: cost per vehicle-hour × vehicles × period hours.
    public var operatingCost: Double

    /// Creates an option.
    public init(headway: Int32, vehicles: Int, waitingCost: Double, operatingCost: Double) {
        self.headway = headway
        self.vehicles = vehicles
        self.waitingCost = waitingCost
        self.operatingCost = operatingCost
    }
}

/// Why a headway was left out of a route's choices in a period.
public enum ExclusionReason: Sendable, Hashable {
    /// The headway is longer than the route's policy maximum (seconds).
    case policy(maximum: Int32)
    /// Vehicles at this headway cannot carry the maximum load at the desired load factor:
    /// `carried` passengers over the period against `maxLoad`.
    case capacity(carried: Double, maxLoad: Double, direction: Int)
}

/// One route in one period: the choice the model makes.
public struct PlanGroup: Sendable, Hashable {
    /// The route's position in ``FrequencyProblem/routes``.
    public var route: Int
    /// The period's position in ``FrequencyProblem/periods``.
    public var period: Int
    /// The cycle time in seconds (both directions plus layovers) the vehicle counts use.
    public var cycleTime: Double
    /// Boardings of both directions over the period on an average day.
    public var boardings: Double
    /// Allowed options, sorted by headway (shortest first). Empty when no allowed headway
    /// meets the policy and the loads: the problem is then infeasible.
    public var options: [HeadwayOption]
    /// Headways left out, with the reason.
    public var excluded: [Int32: ExclusionReason]

    /// Creates a group.
    public init(route: Int, period: Int, cycleTime: Double, boardings: Double,
                options: [HeadwayOption], excluded: [Int32: ExclusionReason] = [:]) {
        self.route = route
        self.period = period
        self.cycleTime = cycleTime
        self.boardings = boardings
        self.options = options
        self.excluded = excluded
    }
}

/// The frequency-setting problem in the standard discrete form (a multiple-choice knapsack with
/// one fleet row per period and an optional budget row; see the Planner catalog):
///
/// ```
/// min  Σ (wW · W_gk + wO · O_gk) x_gk
/// s.t. Σ_k x_gk = 1                 for every group g (route × period)
///      Σ_{g in p, k} V_gk x_gk ≤ F_p  for every period p with a fleet limit
///      Σ O_gk x_gk ≤ B                when a budget is set
/// ```
/// Options that break the policy headway or the capacity rule are not variables at all.
public struct FrequencyProblem: Sendable {
    /// A planned route.
    public struct Route: Sendable, Hashable {
        /// `route_id`.
        public var id: String
        /// `route_short_name`, when the feed has one.
        public var shortName: String?
        /// Creates a route.
        public init(id: String, shortName: String? = nil) {
            self.id = id
            self.shortName = shortName
        }
    }

    /// A planning period.
    public struct Period: Sendable, Hashable {
        /// Its name, `07:00-09:00`.
        public var name: String
        /// Its length in seconds.
        public var length: Int32
        /// Vehicles available, or nil for no limit.
        public var fleet: Int?
        /// Creates a period.
        public init(name: String, length: Int32, fleet: Int?) {
            self.name = name
            self.length = length
            self.fleet = fleet
        }
        /// The length in hours.
        public var hours: Double { Double(length) / 3600 }
    }

    /// Routes, in report order.
    public var routes: [Route]
    /// Periods, in time order.
    public var periods: [Period]
    /// Route × period groups, sorted by period then route.
    public var groups: [PlanGroup]
    /// The daily operating budget (currency), or nil for none.
    public var budget: Double?
    /// Weight of passenger waiting cost in the objective (default 1).
    public var waitingWeight: Double
    /// Weight of operating cost in the objective (default 1).
    public var operatingWeight: Double

    /// Creates a problem.
    public init(routes: [Route], periods: [Period], groups: [PlanGroup], budget: Double? = nil,
                waitingWeight: Double = 1, operatingWeight: Double = 1) {
        self.routes = routes
        self.periods = periods
        self.groups = groups
        self.budget = budget
        self.waitingWeight = waitingWeight
        self.operatingWeight = operatingWeight
    }

    /// The objective coefficient of option `k` of group `g`.
    @inline(__always)
    public func cost(_ g: Int, _ k: Int) -> Double {
        let o = groups[g].options[k]
        return waitingWeight * o.waitingCost + operatingWeight * o.operatingCost
    }

    /// The number of binary variables (allowed options over all groups).
    public var variableCount: Int { groups.reduce(0) { $0 + $1.options.count } }

    /// The objective of a choice (one option index per group).
    public func objective(of choice: [Int]) -> Double {
        var total = 0.0
        for g in groups.indices { total += cost(g, choice[g]) }
        return total
    }

    /// Whether a choice meets every fleet limit and the budget (relative tolerance 1e-9 on the
    /// budget).
    public func isFeasible(_ choice: [Int]) -> Bool {
        guard choice.count == groups.count else { return false }
        var vehicles = [Int](repeating: 0, count: periods.count)
        var operating = 0.0
        for (g, k) in choice.enumerated() {
            guard k >= 0, k < groups[g].options.count else { return false }
            vehicles[groups[g].period] += groups[g].options[k].vehicles
            operating += groups[g].options[k].operatingCost
        }
        for p in periods.indices { if let f = periods[p].fleet, vehicles[p] > f { return false } }
        if let b = budget, operating > b * (1 + 1e-9) { return false }
        return true
    }
}
