/// How a mixed-integer solve ended.
public enum MIPStatus: String, Sendable, Hashable, CaseIterable {
    /// The search finished: the solution is optimal (within GLPK's tolerances).
    case optimal
    /// The search stopped at ``MIPOptions/relativeGap`` with a solution whose objective is at
    /// most that far (relatively) from the best bound.
    case feasible
    /// No solution exists (the LP relaxation, or the integer search, found none).
    case infeasible
    /// The LP relaxation is feasible and its objective unbounded. With rational data the
    /// integer model is then unbounded too, unless it has no integer solution at all.
    case unbounded
    /// The time limit struck; the best solution so far is given if one was found.
    case timeLimit
    /// The ``Cancellation`` was set; the best solution so far is given if one was found.
    case cancelled
}

/// The outcome of ``GLPK/solve(_:options:)``.
public struct MIPResult: Sendable {
    /// How the solve ended.
    public var status: MIPStatus
    /// The objective value of ``values`` (constant term included), when there is a solution.
    public var objective: Double?
    /// The best bound proven: no solution is better than this (a lower bound when
    /// minimising, an upper bound when maximising). Equal to ``objective`` when optimal; for a
    /// search that stopped early, the best local bound of the open subproblems last seen in
    /// GLPK's callback; `nil` when none is known.
    public var bound: Double?
    /// The relative gap `|objective − bound| / max(1e-9, |objective|)`, when both are known.
    public var gap: Double?
    /// One value per variable (integer variables whole up to GLPK's tolerance); empty when
    /// there is no solution.
    public var values: [Double]
    /// Whether ``values`` holds a solution.
    public var hasSolution: Bool
    /// Branch-and-bound subproblems created; `nil` when GLPK never built a search tree (the
    /// presolver or the root LP settled the model) or never ran.
    public var nodes: Int?
    /// Whether GLPK took ``MIPOptions/incumbent`` as its best solution: `nil` when none was
    /// given, `false` when GLPK never asked for one (the root LP was already integral) or
    /// had a better one.
    public var incumbentAccepted: Bool?
    /// Wall-clock seconds of the whole call (validation, loading and search).
    public var seconds: Double

    /// Creates a result.
    public init(status: MIPStatus, objective: Double?, bound: Double?, gap: Double?, values: [Double],
                nodes: Int?, incumbentAccepted: Bool? = nil, seconds: Double) {
        self.status = status
        self.objective = objective
        self.bound = bound
        self.gap = gap
        self.values = values
        self.hasSolution = objective != nil
        self.nodes = nodes
        self.incumbentAccepted = incumbentAccepted
        self.seconds = seconds
    }
}

/// How an LP solve ended.
public enum LPStatus: String, Sendable, Hashable, CaseIterable {
    /// An optimal basic solution was found.
    case optimal
    /// No point satisfies the rows and bounds.
    case infeasible
    /// Feasible, with the objective unbounded in the optimisation direction.
    case unbounded
    /// The time limit struck before the simplex method finished.
    case timeLimit
    /// The simplex method stopped without a definite answer.
    case undefined
}

/// The outcome of ``GLPK/solveRelaxation(_:timeLimit:)``: an optimal basic solution of the LP
/// relaxation, with its duals.
public struct LPResult: Sendable {
    /// How the solve ended.
    public var status: LPStatus
    /// The objective value (constant term included) when optimal.
    public var objective: Double?
    /// One value per variable when optimal; empty otherwise.
    public var values: [Double]
    /// One reduced cost per variable when optimal: `d_j = cost_j − Σ_i a_ij · y_i`, the
    /// objective's change per unit increase of the variable from its bound (objective units
    /// per unit); empty otherwise.
    public var reducedCosts: [Double]
    /// One dual value (shadow price) per row when optimal: the objective's change per unit
    /// increase of the row's active bound; empty otherwise.
    public var rowDuals: [Double]
    /// Wall-clock seconds of the whole call.
    public var seconds: Double

    /// Creates a result.
    public init(status: LPStatus, objective: Double?, values: [Double], reducedCosts: [Double],
                rowDuals: [Double], seconds: Double) {
        self.status = status
        self.objective = objective
        self.values = values
        self.reducedCosts = reducedCosts
        self.rowDuals = rowDuals
        self.seconds = seconds
    }
}
