public import GTFS

extension PlanDocument {
    /// The document of a solved case, rounded as the report shows it.
    /// - Parameters:
    ///   - plan: the plan (rows, totals, scenarios and the solve).
    ///   - planning: the case it was solved from (limits, periods' fleet, warnings).
    ///   - feed: the feed's name as the caller gave it (a path, usually).
    ///   - date: the service date whose timetable is current.
    ///   - explanation: why no plan meets the limits, when none does.
    ///   - violations: limits the plan breaks by ``PlanChecker``.
    /// - Complexity: O(rows).
    public init(plan: FrequencyPlan, planning: PlanningCase, feed: String, date: GTFSDate,
                explanation: [String], violations: [String]) {
        let s = plan.solution
        let l = planning.limits
        let limits = Limits(
            fleet: planning.problem.periods.map(\.fleet), budget: l.budget, capacity: l.capacity,
            loadFactor: l.loadFactor, headways: l.headways.sorted().map { Int($0) },
            costPerVehicleHour: l.vehicleHourCost, valueOfTime: l.valueOfTime,
            waitWeight: l.waitingWeight, costWeight: l.operatingWeight)
        let periods = plan.periodTotals.map {
            PeriodRow(period: $0.period, fleet: $0.fleet, currentVehicles: $0.currentVehicles,
                      referenceVehicles: $0.referenceVehicles, vehicles: $0.vehicles)
        }
        self.init(
            feed: feed, date: date.iso8601, status: s.status.rawValue, objective: s.objective, bound: s.bound,
            gap: s.gap, seconds: Self.rounded(s.seconds, places: 3), variables: s.variables,
            variablesSolved: s.variablesSolved, proof: s.proof, solveLog: s.log, limits: limits,
            explanation: explanation, violations: violations, warnings: planning.warnings,
            scenarios: Scenarios(current: Scenario(plan.current), reference: plan.reference.map(Scenario.init),
                                 optimal: Scenario(plan.optimal)),
            periods: periods, plan: plan.rows.map(Row.init))
    }
}

extension PlanDocument.Scenario {
    /// A scenario's totals, rounded to 0.01.
    public init(_ s: FrequencyPlan.Scenario) {
        func r(_ v: Double) -> Double { PlanDocument.rounded(v, places: 2) }
        self.init(vehicleHours: r(s.vehicleHours), operatingCost: r(s.operatingCost), waitingHours: r(s.waitingHours),
                  waitingCost: r(s.waitingCost), objective: r(s.objective))
    }
}

extension PlanDocument.Row {
    /// A plan row, rounded as the report shows it.
    public init(_ r: FrequencyPlan.Row) {
        self.init(routeID: r.routeID, routeShortName: r.routeShortName, direction: r.direction, period: r.period,
                  boardings: PlanDocument.rounded(r.boardings, places: 1),
                  maxLoad: PlanDocument.rounded(r.maxLoad, places: 1), capacity: r.capacity,
                  currentHeadway: r.currentHeadway.map { Int($0.rounded()) }, currentVehicles: r.currentVehicles,
                  referenceHeadway: r.referenceHeadway.map { Int($0) }, headway: Int(r.headway), vehicles: r.vehicles,
                  peakLoadFactor: r.peakLoadFactor.map { PlanDocument.rounded($0, places: 3) },
                  waitingHours: PlanDocument.rounded(r.waitingHours, places: 2), keptAsIs: r.keptAsIs)
    }
}
