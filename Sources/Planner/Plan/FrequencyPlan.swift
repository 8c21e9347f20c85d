import TransitNetwork
import Ridership

/// A plan as planners read it: per route, direction and period the current, reference and
/// optimal headways with vehicles, loads and waiting; per period the fleet used; for the day
/// the vehicle-hours, cost and passenger waiting of each scenario.
public struct FrequencyPlan: Sendable {
    /// One route direction in one period.
    public struct Row: Sendable, Hashable {
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`.
        public var routeShortName: String?
        /// `direction_id`.
        public var direction: Int
        /// The period's position.
        public var periodIndex: Int
        /// The period's name.
        public var period: String
        /// Boardings in the period (average day).
        public var boardings: Double
        /// Passengers past the maximum load point in the period.
        public var maxLoad: Double
        /// Vehicle capacity.
        public var capacity: Int
        /// Today's mean headway (seconds), when the route runs at least twice.
        public var currentHeadway: Double?
        /// Today's vehicles on the route.
        public var currentVehicles: Int
        /// The reference (Ceder) headway (seconds), when computed.
        public var referenceHeadway: Int32?
        /// The optimal headway (seconds).
        public var headway: Int32
        /// Vehicles the route needs at the optimal headway (the route's, shared by its
        /// directions: period totals count it once).
        public var vehicles: Int
        /// Load at the maximum load point over the places offered there at the optimal
        /// headway, when there is demand.
        public var peakLoadFactor: Double?
        /// Passenger waiting hours in the period at the optimal headway (boardings × headway / 2).
        public var waitingHours: Double
        /// True when the route has no counts and keeps its current service.
        public var keptAsIs: Bool
    }

    /// Vehicles in one period.
    public struct PeriodTotal: Sendable, Hashable {
        /// The period's name.
        public var period: String
        /// Vehicles available, when limited.
        public var fleet: Int?
        /// Vehicles today.
        public var currentVehicles: Int
        /// Vehicles in the reference plan, when computed.
        public var referenceVehicles: Int?
        /// Vehicles in the optimal plan.
        public var vehicles: Int
    }

    /// Day totals of one scenario.
    public struct Scenario: Sendable, Hashable {
        /// Vehicle-hours in service (vehicles × period hours, summed).
        public var vehicleHours: Double
        /// Operating cost (vehicle-hours × cost per vehicle-hour).
        public var operatingCost: Double
        /// Passenger waiting hours (boardings × headway / 2, summed).
        public var waitingHours: Double
        /// Waiting cost (waiting hours × value of time).
        public var waitingCost: Double
        /// The objective: weighted waiting cost + weighted operating cost.
        public var objective: Double
    }

    /// Rows, by period, route and direction.
    public var rows: [Row]
    /// Per period totals.
    public var periodTotals: [PeriodTotal]
    /// Today's service.
    public var current: Scenario
    /// The reference plan, when computed.
    public var reference: Scenario?
    /// The optimal plan.
    public var optimal: Scenario
    /// The solve behind the optimal plan.
    public var solution: PlanSolution

    /// Assembles the plan from a solved case. `referenceHeadways` gives, per group of the
    /// case, the reference headway in seconds (nil entries where none).
    public init(case planning: PlanningCase, solution: PlanSolution, referenceHeadways: [Int32?]? = nil) {
        self.solution = solution
        let problem = planning.problem
        let limits = planning.limits
        var rows: [Row] = []
        var totals = problem.periods.map {
            PeriodTotal(period: $0.name, fleet: $0.fleet, currentVehicles: 0,
                        referenceVehicles: referenceHeadways == nil ? nil : 0, vehicles: 0)
        }
        func scenario(_ vh: Double, _ wait: Double) -> Scenario {
            let op = vh * limits.vehicleHourCost
            let wc = wait * limits.valueOfTime
            return Scenario(vehicleHours: vh, operatingCost: op, waitingHours: wait, waitingCost: wc,
                            objective: limits.waitingWeight * wc + limits.operatingWeight * op)
        }
        var cur = (vh: 0.0, wait: 0.0), ref = (vh: 0.0, wait: 0.0), opt = (vh: 0.0, wait: 0.0)
        for (g, group) in problem.groups.enumerated() {
            let f = planning.facts[g]
            let hours = (Double(f.period.length) / 3600)
            let option = solution.choice.isEmpty ? nil : group.options[solution.choice[g]]
            let headway = option?.headway ?? 0
            let vehicles = option?.vehicles ?? 0
            totals[group.period].currentVehicles += f.currentVehicles
            totals[group.period].vehicles += vehicles
            cur.vh += Double(f.currentVehicles) * hours
            opt.vh += Double(vehicles) * hours
            let currentWaitHeadway = f.currentHeadway ?? Double(f.period.length)
            var refHeadway: Int32? = nil
            if let list = referenceHeadways, g < list.count, let h = list[g] {
                refHeadway = h
                let v = max(1, Int((group.cycleTime / Double(h)).rounded(.up)))
                totals[group.period].referenceVehicles = (totals[group.period].referenceVehicles ?? 0) + v
                ref.vh += Double(v) * hours
            }
            var directions = Set(f.demand.keys).union(f.currentTrips.keys)
            if directions.isEmpty { directions = [0] }
            for d in directions.sorted() {
                let dem = f.demand[d]
                let boardings = dem?.boardings ?? 0
                let maxLoad = dem?.maxLoad ?? 0
                let wait = boardings * Double(headway) / 7200
                cur.wait += boardings * currentWaitHeadway / 7200
                opt.wait += wait
                if let h = refHeadway { ref.wait += boardings * Double(h) / 7200 }
                let places = headway > 0 ? Double(f.period.length) / Double(headway) * Double(f.capacity) : 0
                rows.append(Row(routeID: f.routeID, routeShortName: f.routeShortName, direction: d,
                                periodIndex: group.period, period: f.period.name, boardings: boardings,
                                maxLoad: maxLoad, capacity: f.capacity, currentHeadway: f.currentHeadway,
                                currentVehicles: f.currentVehicles, referenceHeadway: refHeadway,
                                headway: headway, vehicles: vehicles,
                                peakLoadFactor: dem != nil && places > 0 ? maxLoad / places : nil,
                                waitingHours: wait, keptAsIs: f.keptAsIs))
            }
        }
        self.rows = rows
        self.periodTotals = totals
        current = scenario(cur.vh, cur.wait)
        reference = referenceHeadways == nil ? nil : scenario(ref.vh, ref.wait)
        optimal = scenario(opt.vh, opt.wait)
    }
}
