import Foundation
import Solver
import Testing

@Suite("Mixed-integer solves")
struct MIPTests {
    @Test("knapsack: A+D+E = 23, proven optimal, bound equals objective")
    func knapsack() throws {
        let r = try GLPK.solve(Fixtures.knapsack())
        #expect(r.status == .optimal)
        #expect(r.hasSolution)
        #expect(close(r.objective, 23))
        #expect(close(r.values, Fixtures.knapsackOptimum))
        #expect(r.bound == r.objective)
        #expect(r.gap == 0)
        #expect(r.incumbentAccepted == nil)
    }

    @Test("knapsack without presolve (simplex first): the same optimum")
    func knapsackWithoutPresolve() throws {
        let r = try GLPK.solve(Fixtures.knapsack(), options: MIPOptions(relativeGap: 0, presolve: false, cuts: Set(MIPOptions.Cut.allCases)))
        #expect(r.status == .optimal)
        #expect(close(r.objective, 23))
        #expect(close(r.values, Fixtures.knapsackOptimum))
    }

    @Test("assignment: w0→t1, w1→t0, w2→t2 at cost 5")
    func assignment() throws {
        let m = Fixtures.assignment()
        let r = try GLPK.solve(m)
        #expect(r.status == .optimal)
        #expect(close(r.objective, 5))
        #expect(close(r.values, [0, 1, 0, 1, 0, 0, 0, 0, 1]))
        #expect(m.violations(of: r.values).isEmpty)
    }

    @Test("one option per group with a weight cap: (1,1,1) at 15; without the cap (2,2,2) at 7")
    func multipleChoice() throws {
        let capped = try GLPK.solve(Fixtures.multipleChoice())
        #expect(capped.status == .optimal)
        #expect(close(capped.objective, 15))
        #expect(close(capped.values, [0, 1, 0, 0, 1, 0, 0, 1, 0]))
        let loose = try GLPK.solve(Fixtures.multipleChoice(capacity: 100))
        #expect(close(loose.objective, 7))
        #expect(close(loose.values, [0, 0, 1, 0, 0, 1, 0, 0, 1]))
    }

    @Test("an objective constant is part of objective and bound")
    func objectiveConstant() throws {
        let r = try GLPK.solve(Fixtures.knapsack(constant: 100))
        #expect(close(r.objective, 123))
        #expect(close(r.bound, 123))
        #expect(close(r.values, Fixtures.knapsackOptimum))
    }

    @Test("maximise and minimise the same objective: 2x + 3y over x + y ≤ 5, x ≤ 4, y ≤ 3")
    func sense() throws {
        var m = LinearModel(name: "sense", sense: .maximize)
        m.addVariable("x", upper: 4, cost: 2, isInteger: true)
        m.addVariable("y", upper: 3, cost: 3, isInteger: true)
        m.addRow("sum", columns: [0, 1], coefficients: [1, 1], upper: 5)
        let maximum = try GLPK.solve(m)
        #expect(close(maximum.objective, 13))
        #expect(close(maximum.values, [2, 3]))
        m.sense = .minimize
        let minimum = try GLPK.solve(m)
        #expect(close(minimum.objective, 0))
        #expect(close(minimum.values, [0, 0]))
    }

    @Test("infeasible: x + y ≥ 5 and x + y ≤ 3; and 2x = 3 with x integer (LP-feasible)",
          arguments: [true, false])
    func infeasible(presolve: Bool) throws {
        var contradictory = LinearModel(name: "contradictory")
        contradictory.addVariable("x", isInteger: true)
        contradictory.addVariable("y", isInteger: true)
        contradictory.addRow("at_least", columns: [0, 1], coefficients: [1, 1], lower: 5)
        contradictory.addRow("at_most", columns: [0, 1], coefficients: [1, 1], upper: 3)
        let a = try GLPK.solve(contradictory, options: MIPOptions(presolve: presolve))
        #expect(a.status == .infeasible)
        #expect(!a.hasSolution && a.values.isEmpty && a.objective == nil)

        var odd = LinearModel(name: "odd")
        odd.addVariable("x", upper: 10, cost: 1, isInteger: true)
        odd.addRow("twice", columns: [0], coefficients: [2], lower: 3, upper: 3)
        let b = try GLPK.solve(odd, options: MIPOptions(presolve: presolve))
        #expect(b.status == .infeasible)
        #expect(!b.hasSolution)
    }

    @Test("unbounded: maximise x + y with x − y ≤ 1, x, y ≥ 0 integer", arguments: [true, false])
    func unbounded(presolve: Bool) throws {
        var m = LinearModel(name: "unbounded", sense: .maximize)
        m.addVariable("x", cost: 1, isInteger: true)
        m.addVariable("y", cost: 1, isInteger: true)
        m.addRow("spread", columns: [0, 1], coefficients: [1, -1], upper: 1)
        let r = try GLPK.solve(m, options: MIPOptions(presolve: presolve))
        #expect(r.status == .unbounded)
        #expect(!r.hasSolution)
    }

    @Test("the time limit is respected on a hard instance")
    func timeLimit() throws {
        let m = Fixtures.hardKnapsack()
        let r = try GLPK.solve(m, options: MIPOptions(relativeGap: 0, timeLimit: 1))
        #expect(r.status == .timeLimit || r.status == .optimal)
        #expect(r.seconds <= 1 + 4)
        if r.hasSolution {
            #expect(m.violations(of: r.values).isEmpty)
            if let objective = r.objective, let bound = r.bound {
                #expect(bound >= objective)  // maximising: the bound is an upper bound
            }
        }
        #expect((r.nodes ?? 0) > 0)
    }

    @Test("stopping at a relative gap reports a bound on the right side, constant included")
    func gapStop() throws {
        // Objective about 12,200 − 5,000: a bound without the constant would be 5,000 off.
        let m = Fixtures.hardKnapsack(count: 40, constant: -5_000)
        let r = try GLPK.solve(m, options: MIPOptions(relativeGap: 0.01, timeLimit: 30))
        #expect(r.status == .feasible || r.status == .optimal)
        let objective = try #require(r.objective)
        let bound = try #require(r.bound)
        let gap = try #require(r.gap)
        #expect(bound >= objective - 1e-6)
        #expect(gap <= 0.01 + 1e-9)
        #expect(abs(gap - abs(objective - bound) / abs(objective)) < 1e-12)
        #expect(close(m.objectiveValue(r.values), objective, 1e-6))
    }

    @Test("a cancellation set before the solve: status cancelled, no work done")
    func cancelledBefore() throws {
        let cancellation = Cancellation()
        cancellation.cancel()
        #expect(cancellation.isCancelled)
        let r = try GLPK.solve(Fixtures.hardKnapsack(), options: MIPOptions(cancellation: cancellation))
        #expect(r.status == .cancelled)
        #expect(!r.hasSolution)
        #expect(r.nodes == nil)
    }

    @Test("a cancellation set from another thread stops a running search (GLPK's callback)")
    func cancelledDuring() throws {
        let cancellation = Cancellation()
        Thread.detachNewThread {
            usleep(300_000)
            cancellation.cancel()
        }
        let m = Fixtures.hardKnapsack()
        let r = try GLPK.solve(m, options: MIPOptions(relativeGap: 0, timeLimit: 60, cancellation: cancellation))
        #expect(r.status == .cancelled)
        #expect((r.nodes ?? 0) > 0)
        if r.hasSolution { #expect(m.violations(of: r.values).isEmpty) }
    }

    @Test("the known optimum handed over as incumbent is taken and proven", arguments: [false, true])
    func incumbent(withConstant: Bool) throws {
        let m = Fixtures.knapsack(constant: withConstant ? 100 : 0)
        let r = try GLPK.solve(m, options: MIPOptions(relativeGap: 0, incumbent: Fixtures.knapsackOptimum))
        #expect(r.status == .optimal)
        #expect(close(r.objective, withConstant ? 123 : 23))
        #expect(r.incumbentAccepted == true)
        #expect(close(r.values, Fixtures.knapsackOptimum))
    }

    @Test("an incumbent near whole numbers is rounded; an infeasible one is refused")
    func incumbentChecks() throws {
        let m = Fixtures.knapsack()
        let nearly = try GLPK.solve(m, options: MIPOptions(relativeGap: 0, incumbent: [1 - 1e-9, 0, 1e-9, 1, 1]))
        #expect(nearly.incumbentAccepted == true)
        #expect(close(nearly.objective, 23))

        for bad in [[1.0, 1, 0, 0, 0], [1, 0, 0, 1], [1, 0, 0, 0.5, 1], [.nan, 0, 0, 1, 1]] {
            #expect(throws: SolverError.self) {
                try GLPK.solve(m, options: MIPOptions(incumbent: bad))
            }
        }
        do {
            _ = try GLPK.solve(m, options: MIPOptions(incumbent: [1, 1, 0, 0, 0]))
        } catch {
            #expect(error.description.contains("row 'capacity' (index 0)"))
        }
    }

    @Test("options out of range are refused with the value",
          arguments: [MIPOptions(relativeGap: -1), MIPOptions(relativeGap: .nan), MIPOptions(timeLimit: -2)])
    func badOptions(_ options: MIPOptions) {
        do {
            _ = try GLPK.solve(Fixtures.knapsack(), options: options)
            Issue.record("accepted")
        } catch {
            guard case .invalidOptions(let text) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(text.contains("relativeGap is") || text.contains("timeLimit is -2.0"))
        }
    }

    @Test("a model without rows or integer variables is solved too")
    func degenerate() throws {
        var m = LinearModel(name: "boxes")
        m.addVariable("x", lower: -3, upper: 2, cost: 1)
        m.addVariable("y", lower: -.infinity, upper: 4, cost: -1, isInteger: true)
        let r = try GLPK.solve(m)
        #expect(r.status == .optimal)
        #expect(close(r.objective, -7))
        #expect(close(r.values, [-3, 4]))
        let empty = try GLPK.solve(LinearModel(name: "empty", objectiveConstant: 4))
        #expect(empty.status == .optimal)
        #expect(close(empty.objective, 4))
    }
}
