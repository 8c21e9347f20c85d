public import Planner

/// What `transit plan --synthetic N` prints: the solve of a generated problem (its status,
/// objective, bound, proof and size) and the vehicles the optimum uses in each period beside
/// the period's fleet. The benchmarks read it.
///
/// Keys are snake_case and in this order; `nil` values are written as `null`.
public struct SyntheticPlanDocument: Codable, Sendable, Equatable {
    /// One period: its name, its fleet limit and the vehicles the plan uses.
    public struct PeriodRow: Codable, Sendable, Equatable {
        /// `HH:MM-HH:MM`.
        public var period: String
        /// The fleet limit, when the problem has one.
        public var fleet: Int?
        /// Vehicles the chosen options use in the period.
        public var vehicles: Int
    }

    /// The number of generated routes.
    public var syntheticRoutes: Int
    /// The generator's seed.
    public var seed: Int
    /// `optimal`, `feasible`, `infeasible` or `no_solution`.
    public var status: String
    /// The objective of the plan found, when there is one.
    public var objective: Double?
    /// The proven lower bound, when there is one.
    public var bound: Double?
    /// The relative gap between objective and bound.
    public var gap: Double?
    /// Wall-clock seconds of the solve.
    public var seconds: Double
    /// The strategy used (`structured` or `plain`).
    public var strategy: String
    /// Binary variables in the model.
    public var variables: Int
    /// Binary variables left after reduced-cost fixing.
    public var variablesSolved: Int
    /// How optimality was proven.
    public var proof: String
    /// Vehicles per period.
    public var periods: [PeriodRow]
    /// The daily budget, when the problem has one.
    public var budget: Double?

    enum CodingKeys: String, CodingKey {
        case syntheticRoutes = "synthetic_routes", seed, status, objective, bound, gap, seconds, strategy
        case variables, variablesSolved = "variables_solved", proof, periods, budget
    }

    /// The document of `solution`, the solve of `problem` (generated with `routes` and `seed`)
    /// with `strategy`.
    /// - Complexity: O(groups).
    public init(problem: FrequencyProblem, solution: PlanSolution, routes: Int, seed: UInt64, strategy: SolveStrategy) {
        var vehicles = [Int](repeating: 0, count: problem.periods.count)
        for (g, k) in solution.choice.enumerated() where g < problem.groups.count {
            let group = problem.groups[g]
            guard k >= 0, k < group.options.count, group.period >= 0, group.period < vehicles.count else { continue }
            vehicles[group.period] += group.options[k].vehicles
        }
        syntheticRoutes = routes
        self.seed = Int(truncatingIfNeeded: seed)
        status = solution.status.rawValue
        objective = solution.objective
        bound = solution.bound
        gap = solution.gap
        seconds = solution.seconds
        self.strategy = strategy.rawValue
        variables = solution.variables
        variablesSolved = solution.variablesSolved
        proof = solution.proof
        periods = problem.periods.indices.map { p in
            PeriodRow(period: problem.periods[p].name, fleet: problem.periods[p].fleet, vehicles: vehicles[p])
        }
        budget = problem.budget
    }
}
