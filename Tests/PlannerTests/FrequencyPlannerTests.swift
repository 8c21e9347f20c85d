@testable import Planner
import Solver
import Testing
import TransitSynthetic

@Suite("Frequency planner: proven optima")
struct FrequencyPlannerTests {
    @Test("structured and plain strategies reach the enumerated optimum, or both say infeasible", arguments: 0..<4)
    func agreesWithEnumeration(batch: Int) throws {
        for seed in UInt64(1000 + batch * 40)..<UInt64(1000 + batch * 40 + 40) {
            let problem = LagrangianTests.randomProblem(seed: seed, routes: 3, periods: 2)
            let exact = LagrangianTests.enumerate(problem)
            for strategy in SolveStrategy.allCases {
                let solution = try FrequencyPlanner.solve(problem, options: PlanSolveOptions(relativeGap: 0, strategy: strategy))
                guard let exact else {
                    #expect(solution.status == .infeasible, "seed \(seed) \(strategy): \(solution.status)")
                    continue
                }
                #expect(solution.status == .optimal, "seed \(seed) \(strategy): \(solution.status) \(solution.log)")
                let value = try #require(solution.objective)
                #expect(abs(value - exact.value) <= 1e-7 * max(1, abs(exact.value)),
                        "seed \(seed) \(strategy): \(value) vs enumerated \(exact.value)")
                #expect(problem.isFeasible(solution.choice))
                if let bound = solution.bound { #expect(bound <= exact.value + 1e-7 * max(1, abs(exact.value))) }
            }
        }
    }

    @Test("a 60-route generated problem: the structured optimum matches GLPK's own proof and is feasible")
    func generatedAgainstGLPK() throws {
        let problem = SyntheticProblem.make(routes: 60, seed: 7)
        let structured = try FrequencyPlanner.solve(problem, options: PlanSolveOptions(relativeGap: 0))
        #expect(structured.status == .optimal)
        #expect(problem.isFeasible(structured.choice))
        let plain = try FrequencyPlanner.solve(problem, options: PlanSolveOptions(relativeGap: 1e-6, timeLimit: 60, strategy: .plain))
        let a = try #require(structured.objective)
        let b = try #require(plain.objective)
        // GLPK's plan is within its proven gap of the optimum, never better than it.
        #expect(a <= b + 1e-9 * abs(b))
        if let bound = plain.bound { #expect(bound <= a + 1e-9 * abs(a), "GLPK's bound \(bound) is above the structured optimum \(a)") }
    }

    @Test("both limits bind on the generated 500-route problem and the proof needs the reformulation")
    func cityScale() throws {
        let problem = SyntheticProblem.make(routes: 500)
        #expect(problem.variableCount > 30_000)
        let solution = try FrequencyPlanner.solve(problem)
        #expect(solution.status == .optimal)
        #expect(solution.gap == 0)
        #expect(problem.isFeasible(solution.choice))
        #expect(solution.log.contains { $0.contains("Pareto merge") })
        // Both limits bind: the unconstrained choice breaks them.
        let free = problem.groups.indices.map { g in
            problem.groups[g].options.indices.min { problem.cost(g, $0) < problem.cost(g, $1) } ?? 0
        }
        #expect(!problem.isFeasible(free))
    }

    @Test("a cancelled solve returns the heuristic plan as feasible with its gap")
    func cancelled() throws {
        let flag = Cancellation()
        flag.cancel()
        let solution = try FrequencyPlanner.solve(SyntheticProblem.make(routes: 60, seed: 7), options: PlanSolveOptions(cancellation: flag))
        #expect(solution.status == .feasible)
        #expect(!solution.choice.isEmpty)
        #expect((solution.gap ?? -1) >= 0)
    }

    @Test("the model written for GLPK has one row per group, per limited period and the budget")
    func modelShape() {
        let problem = SyntheticProblem.make(routes: 10)
        let built = FrequencyModel.build(problem)
        #expect(built.model.variables.count == problem.variableCount)
        #expect(built.model.rows.count == problem.groups.count + problem.periods.count + 1)
        #expect(built.model.rows.last?.name == "budget")
        let names = Set(built.model.variables.map(\.name))
        #expect(names.count == built.model.variables.count)
    }
}

@Suite("Frequency planner: a case worked by hand")
struct HandWorkedPlanTests {
    /// Route A: 10 min needs 4 vehicles (waiting 100, operating 400), 20 min needs 2 (200, 200).
    /// Route B: 10 min needs 6 (150, 600), 20 min needs 3 (600, 300). One period.
    static func problem(fleet: Int?, budget: Double?) -> FrequencyProblem {
        let a = PlanGroup(route: 0, period: 0, cycleTime: 2400, boardings: 0, options: [
            HeadwayOption(headway: 600, vehicles: 4, waitingCost: 100, operatingCost: 400),
            HeadwayOption(headway: 1200, vehicles: 2, waitingCost: 200, operatingCost: 200),
        ])
        let b = PlanGroup(route: 1, period: 0, cycleTime: 3600, boardings: 0, options: [
            HeadwayOption(headway: 600, vehicles: 6, waitingCost: 150, operatingCost: 600),
            HeadwayOption(headway: 1200, vehicles: 3, waitingCost: 600, operatingCost: 300),
        ])
        return FrequencyProblem(routes: [.init(id: "A"), .init(id: "B")],
                                periods: [.init(name: "07:00-08:00", length: 3600, fleet: fleet)],
                                groups: [a, b], budget: budget)
    }

    @Test("fleet 8: A every 20 min, B every 10 min, cost 1150", arguments: SolveStrategy.allCases)
    func fleetOnly(strategy: SolveStrategy) throws {
        let s = try FrequencyPlanner.solve(Self.problem(fleet: 8, budget: nil), options: PlanSolveOptions(strategy: strategy))
        #expect(s.status == .optimal)
        #expect(s.choice == [1, 0])
        #expect(s.objective == 1150)
    }

    @Test("fleet 8 and budget 750: both every 20 min, cost 1300", arguments: SolveStrategy.allCases)
    func fleetAndBudget(strategy: SolveStrategy) throws {
        let s = try FrequencyPlanner.solve(Self.problem(fleet: 8, budget: 750), options: PlanSolveOptions(strategy: strategy))
        #expect(s.status == .optimal)
        #expect(s.choice == [1, 1])
        #expect(s.objective == 1300)
    }

    @Test("budget 400 is below the least operating cost 500: infeasible", arguments: SolveStrategy.allCases)
    func infeasibleBudget(strategy: SolveStrategy) throws {
        let s = try FrequencyPlanner.solve(Self.problem(fleet: 8, budget: 400), options: PlanSolveOptions(strategy: strategy))
        #expect(s.status == .infeasible)
        #expect(s.choice.isEmpty)
    }
}
