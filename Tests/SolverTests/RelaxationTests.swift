import Solver
import Testing

@Suite("LP relaxations")
struct RelaxationTests {
    @Test("knapsack relaxation: D, E whole, 5/6 of B; capacity dual 13/6; reduced costs by hand")
    func knapsack() throws {
        let r = try GLPK.solveRelaxation(Fixtures.knapsack(constant: 1))
        #expect(r.status == .optimal)
        #expect(close(r.objective, 1 + 23 + 5.0 / 6))
        #expect(close(r.values, [0, 5.0 / 6, 0, 1, 1]))
        #expect(close(r.rowDuals, [13.0 / 6]))
        // value − 13/6 · weight: A 10 − 65/6, B 0, C 7 − 52/6, D 8 − 39/6, E 5 − 26/6.
        #expect(close(r.reducedCosts, [-5.0 / 6, 0, -5.0 / 3, 1.5, 2.0 / 3]))
    }

    @Test("the relaxation ignores integrality: 2x = 3 gives x = 1.5")
    func ignoresIntegrality() throws {
        var m = LinearModel(name: "odd")
        m.addVariable("x", upper: 10, cost: 1, isInteger: true)
        m.addRow("twice", columns: [0], coefficients: [2], lower: 3, upper: 3)
        let r = try GLPK.solveRelaxation(m)
        #expect(r.status == .optimal)
        #expect(close(r.values, [1.5]))
        #expect(close(r.rowDuals, [0.5]))
    }

    @Test("an infeasible LP and an unbounded LP get definite statuses")
    func statuses() throws {
        var infeasible = LinearModel(name: "infeasible")
        infeasible.addVariable("x")
        infeasible.addVariable("y")
        infeasible.addRow("at_least", columns: [0, 1], coefficients: [1, 1], lower: 5)
        infeasible.addRow("at_most", columns: [0, 1], coefficients: [1, 1], upper: 3)
        let a = try GLPK.solveRelaxation(infeasible)
        #expect(a.status == .infeasible)
        #expect(a.objective == nil && a.values.isEmpty && a.reducedCosts.isEmpty && a.rowDuals.isEmpty)

        var unbounded = LinearModel(name: "unbounded", sense: .maximize)
        unbounded.addVariable("x", cost: 1)
        unbounded.addVariable("y", cost: 1)
        unbounded.addRow("spread", columns: [0, 1], coefficients: [1, -1], upper: 1)
        let b = try GLPK.solveRelaxation(unbounded)
        #expect(b.status == .unbounded)
        #expect(b.objective == nil)
    }

    @Test("a ranged row and a free variable: minimise x − y with 1 ≤ x + y ≤ 4, y ≤ 2, x free")
    func rangedRow() throws {
        var m = LinearModel(name: "ranged")
        m.addVariable("x", lower: -.infinity, cost: 1)
        m.addVariable("y", upper: 2, cost: -1)
        m.addRow("band", columns: [0, 1], coefficients: [1, 1], lower: 1, upper: 4)
        // y = 2 at its bound; x as small as the band allows: x + 2 = 1, x = −1; objective −3.
        let r = try GLPK.solveRelaxation(m)
        #expect(r.status == .optimal)
        #expect(close(r.objective, -3))
        #expect(close(r.values, [-1, 2]))
        #expect(close(r.rowDuals, [1]))
        #expect(close(r.reducedCosts, [0, -2]))
    }
}
