public import Solver
import TransitSupport
import Foundation

/// How the optimal plan is found.
public enum SolveStrategy: String, Sendable, CaseIterable {
    /// The Lagrangian bound, a heuristic plan and reduced-cost fixing first, then GLPK's branch
    /// and bound on the options that can still be in a better plan (the default; see
    /// ``FrequencyPlanner``).
    case structured
    /// GLPK's branch and bound on the whole model, as written by `--write-model`.
    case plain
}

/// Options for ``FrequencyPlanner/solve(_:options:)``.
public struct PlanSolveOptions: Sendable {
    /// The relative gap to prove: |plan − bound| / |plan| (default 1e-6).
    public var relativeGap: Double
    /// Seconds before giving up with the best plan so far, or nil for no limit.
    public var timeLimit: Double?
    /// The strategy.
    public var strategy: SolveStrategy
    /// Set it from another task to stop the solve.
    public var cancellation: Cancellation?

    /// Creates options.
    public init(relativeGap: Double = PlanningDefaults.relativeGap, timeLimit: Double? = nil,
                strategy: SolveStrategy = .structured, cancellation: Cancellation? = nil) {
        self.relativeGap = relativeGap
        self.timeLimit = timeLimit
        self.strategy = strategy
        self.cancellation = cancellation
    }
}

/// The outcome of a solve.
public struct PlanSolution: Sendable {
    /// How the solve ended.
    public enum Status: String, Sendable {
        /// Proven optimal within the requested relative gap.
        case optimal
        /// A plan that meets every limit, stopped before the gap was proven (time limit or
        /// cancellation); ``gap`` says how far from proven it is.
        case feasible
        /// No plan meets the limits; ``FrequencySolveResult/explanation`` says why.
        case infeasible
        /// Stopped by the time limit or cancelled with no plan found.
        case noSolution = "no_solution"
    }
    /// The status.
    public var status: Status
    /// The chosen option index per group (empty without a plan).
    public var choice: [Int]
    /// The objective of the plan (currency per average day), when there is one.
    public var objective: Double?
    /// A proven lower bound on the optimum.
    public var bound: Double?
    /// The proven relative gap, |objective − bound| / |objective|.
    public var gap: Double?
    /// Seconds spent.
    public var seconds: Double
    /// What the solve did, step by step, for the report and `--verbose`.
    public var log: [String]
    /// Binary variables in the full model and in the model GLPK solved.
    public var variables: Int
    /// Binary variables left after fixing by reduced cost (equal to ``variables`` for `plain`).
    public var variablesSolved: Int
    /// What proved the result: `reformulation` (the exact period reformulation after
    /// reduced-cost fixing), `glpk` (GLPK's branch and bound), `relaxation` (infeasibility
    /// shown by the relaxation) or `none` (stopped without a proof).
    public var proof: String = "none"
}

/// Solves a ``FrequencyProblem`` to proven optimality with GLPK.
///
/// GLPK alone finds the optimum of these multiple-choice knapsack models quickly but cannot
/// close the last millionths of gap: its branch and bound bound comes from the LP relaxation,
/// which is a few millionths below the optimum, and its branching does not raise it. The
/// `structured` strategy proves it from the model's structure:
/// 1. the Lagrangian relaxation of the fleet and budget rows is solved exactly (its bound
///    equals the LP relaxation's);
/// 2. a plan is built from the relaxation's choices and repaired/improved greedily;
/// 3. every option whose reduced cost exceeds the gap between that plan and the bound is fixed
///    to zero (no better plan can use it);
/// 4. GLPK solves the rest (typically a tenth of the options) with the plan as its starting
///    incumbent. Its optimum is the optimum of the whole model, and the bound is the larger of
///    the Lagrangian bound and GLPK's own.
public enum FrequencyPlanner {
    /// Solves `problem`.
    ///
    /// - Throws: ``SolverError`` when GLPK fails (never for an infeasible problem: that is a
    ///   status).
    public static func solve(_ problem: FrequencyProblem, options: PlanSolveOptions = .init()) throws(SolverError) -> PlanSolution {
        let clock = Stopwatch()
        func elapsed() -> Double { clock.seconds }
        var log: [String] = []
        let total = problem.variableCount

        if let g = problem.groups.firstIndex(where: { $0.options.isEmpty }) {
            log.append("group \(g) has no allowed headway")
            return PlanSolution(status: .infeasible, choice: [], objective: nil, bound: nil, gap: nil,
                                seconds: elapsed(), log: log, variables: total, variablesSolved: 0,
                                proof: "relaxation")
        }
        guard options.strategy == .structured, let rates = LagrangianBound.operatingRates(problem) else {
            if options.strategy == .structured {
                log.append("operating cost is not proportional to vehicles: plain branch and bound")
            }
            let keep = problem.groups.map { Array($0.options.indices) }
            return try solveWithGLPK(problem, keep: keep, incumbent: nil, lagrangianBound: nil,
                                     options: options, log: log, total: total, elapsed: elapsed)
        }

        let relaxation: LagrangianBound
        do {
            relaxation = try LagrangianBound.solve(problem, rates: rates)
        } catch {
            log.append("relaxation: \(error)")
            return PlanSolution(status: .infeasible, choice: [], objective: nil, bound: nil, gap: nil,
                                seconds: elapsed(), log: log, variables: total, variablesSolved: 0,
                                proof: "relaxation")
        }
        log.append(String(format: "Lagrangian bound %.4f (budget price %.6g) in %.3f s",
                          relaxation.bound, relaxation.budgetMultiplier, elapsed()))
        guard let plan = relaxation.heuristicPlan(problem) else {
            // The relaxation is feasible but the greedy plan is not: let GLPK search the whole
            // model (it proves infeasibility if that is the case).
            log.append("no heuristic plan: branch and bound on the whole model")
            let keep = problem.groups.map { Array($0.options.indices) }
            return try solveWithGLPK(problem, keep: keep, incumbent: nil, lagrangianBound: relaxation.bound,
                                     options: options, log: log, total: total, elapsed: elapsed)
        }
        let incumbent = problem.objective(of: plan)
        let slack = incumbent - relaxation.bound
        if options.cancellation?.isCancelled == true {
            log.append("cancelled after the heuristic plan")
            return PlanSolution(status: .feasible, choice: plan, objective: incumbent, bound: relaxation.bound,
                                gap: max(0, slack) / max(abs(incumbent), 1e-9), seconds: elapsed(), log: log,
                                variables: total, variablesSolved: 0)
        }
        log.append(String(format: "heuristic plan %.4f, gap %.3g, in %.3f s", incumbent,
                          slack / max(abs(incumbent), 1e-9), elapsed()))
        let tolerance = 1e-9 * max(1, abs(incumbent))
        var keep: [[Int]] = []
        keep.reserveCapacity(problem.groups.count)
        var kept = 0
        for g in problem.groups.indices {
            var list: [Int] = []
            for k in problem.groups[g].options.indices where relaxation.reducedCost(problem, g, k) <= slack + tolerance {
                list.append(k)
            }
            if !list.contains(plan[g]) { list.append(plan[g]); list.sort() }
            kept += list.count
            keep.append(list)
        }
        log.append("reduced-cost fixing keeps \(kept) of \(total) options")
        if let proven = try solveByPeriodTotals(problem, keep: keep, rates: rates, budgetPrice: relaxation.budgetMultiplier, incumbent: plan, options: options,
                                                log: &log, elapsed: elapsed) {
            let objective = problem.objective(of: proven)
            return PlanSolution(status: .optimal, choice: proven, objective: objective, bound: objective, gap: 0,
                                seconds: elapsed(), log: log, variables: total, variablesSolved: kept,
                                proof: "reformulation")
        }
        return try solveWithGLPK(problem, keep: keep, incumbent: plan, lagrangianBound: relaxation.bound,
                                 options: options, log: log, total: total, elapsed: elapsed)
    }

    /// The exact reformulation over vehicle totals per period (``PeriodReformulation``): the
    /// proven optimum, or nil when the tables would be too large or the master problem could
    /// not be solved (then GLPK's branch and bound runs on the kept options).
    private static func solveByPeriodTotals(_ problem: FrequencyProblem, keep: [[Int]], rates: [Double], budgetPrice: Double, incumbent: [Int],
                                            options: PlanSolveOptions, log: inout [String],
                                            elapsed: () -> Double) throws(SolverError) -> [Int]? {
        guard let reform = PeriodReformulation.build(problem, keep: keep, rates: rates) else {
            log.append("period reformulation too large: branch and bound on the kept options")
            return nil
        }
        let sizes = reform.tables.map(\.vehicles.count)
        log.append("period value functions by dynamic programming: \(sizes.reduce(0, +)) vehicle totals in \(String(format: "%.3f", elapsed())) s")
        let incumbentValue = problem.objective(of: incumbent)
        let entries = reform.paretoMaster(budget: problem.budget, incumbent: incumbentValue, budgetPrice: budgetPrice)
        log.append("master problem (one vehicle total per period under the budget) by exact Pareto merge in \(String(format: "%.3f", elapsed())) s")
        guard let entries else { return nil }
        let choice = reform.choice(problem, entries: entries)
        let value = problem.objective(of: choice)
        // Rounding can make the reconstructed plan a hair worse than the heuristic one when
        // both are optimal: keep the better.
        guard problem.isFeasible(choice) else {
            log.append("the reconstructed plan breaks a limit: not used")
            return nil
        }
        return value <= incumbentValue ? choice : incumbent
    }

    /// Builds the model over the kept options and runs GLPK on it.
    private static func solveWithGLPK(_ problem: FrequencyProblem, keep: [[Int]], incumbent: [Int]?,
                                      lagrangianBound: Double?, options: PlanSolveOptions, log: [String],
                                      total: Int, elapsed: () -> Double) throws(SolverError) -> PlanSolution {
        var log = log
        let built = FrequencyModel.build(problem, keep: keep)
        var mip = MIPOptions()
        mip.relativeGap = options.relativeGap
        if let limit = options.timeLimit { mip.timeLimit = max(0.001, limit - elapsed()) }
        mip.cancellation = options.cancellation
        if let incumbent { mip.incumbent = built.values(of: incumbent) }
        let result = try GLPK.solve(built.model, options: mip)
        log.append("GLPK: \(result.status.rawValue) on \(built.model.variables.count) binaries in \(String(format: "%.3f", result.seconds)) s")
        var choice: [Int] = []
        var objective: Double? = nil
        if result.hasSolution {
            choice = built.choice(from: result.values)
            objective = problem.objective(of: choice)
        } else if let incumbent {
            // GLPK found nothing better in time; the heuristic plan stands.
            choice = incumbent
            objective = problem.objective(of: incumbent)
        }
        if let objective, let incumbent, problem.objective(of: incumbent) < objective - 1e-9 * max(1, abs(objective)) {
            choice = incumbent
        }
        let finalObjective = choice.isEmpty ? nil : problem.objective(of: choice)
        var bound: Double? = [lagrangianBound, result.bound].compactMap { $0 }.max()
        if result.status == .optimal, let o = finalObjective {
            // GLPK proved the optimum of the kept options; nothing outside them is better.
            bound = max(bound ?? -.infinity, min(o, result.bound ?? o))
        }
        let gap: Double? = if let o = finalObjective, let b = bound { max(0, o - b) / max(abs(o), 1e-9) } else { nil }
        let status: PlanSolution.Status
        switch result.status {
        case .infeasible where incumbent == nil:
            status = .infeasible
        case .unbounded:
            status = .infeasible
        default:
            if finalObjective == nil {
                status = .noSolution
            } else if result.status == .optimal || (gap ?? 1) <= options.relativeGap {
                status = .optimal
            } else {
                status = .feasible
            }
        }
        return PlanSolution(status: status, choice: choice, objective: finalObjective, bound: bound, gap: gap,
                            seconds: elapsed(), log: log, variables: total,
                            variablesSolved: built.model.variables.count,
                            proof: status == .optimal || status == .infeasible ? "glpk" : "none")
    }
}
