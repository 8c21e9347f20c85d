import Solver
import Testing

@Suite("Building and checking models")
struct ModelTests {
    @Test("addVariable and addRow return 0-based indices and keep what was given")
    func building() {
        var m = LinearModel(name: "m")
        #expect(m.addVariable("x", lower: -2, upper: 3, cost: 1.5) == 0)
        #expect(m.addBinary("y", cost: 2) == 1)
        #expect(m.addRow("r", columns: [0, 1], coefficients: [1, -1], lower: 0) == 0)
        #expect(m.variables[1] == LinearModel.Variable(name: "y", lower: 0, upper: 1, cost: 2, isInteger: true))
        #expect(m.rows[0].upper == .infinity)
        #expect(m.nonzeroCount == 2)
        #expect(m.issues().isEmpty)
    }

    @Test("objectiveValue adds the constant; violations finds bounds, integrality and rows")
    func independentChecks() {
        let m = Fixtures.knapsack(constant: 100)
        #expect(m.objectiveValue(Fixtures.knapsackOptimum) == 123)
        #expect(m.violations(of: Fixtures.knapsackOptimum).isEmpty)
        let bad = m.violations(of: [1, 1, 0, 0.5, 1.2])
        #expect(bad.contains { $0.contains("variable 'D' (index 3)") && $0.contains("not a whole number") })
        #expect(bad.contains { $0.contains("variable 'E' (index 4)") && $0.contains("above its upper bound 1") })
        #expect(bad.contains { $0.contains("row 'capacity' (index 0)") && $0.contains("above the upper bound 10") })
        #expect(m.violations(of: [1]).first?.contains("1 values for 5 variables") == true)
    }

    /// The model that each case below breaks: x, y, z and rows r0 (x + y ≤ 4), r1 (y + z ≥ 1).
    static func base() -> LinearModel {
        var m = LinearModel(name: "base")
        m.addVariable("x", upper: 5, cost: 1)
        m.addVariable("y", upper: 5, cost: 1)
        m.addVariable("z", upper: 5, cost: 1, isInteger: true)
        m.addRow("r0", columns: [0, 1], coefficients: [1, 1], upper: 4)
        m.addRow("r1", columns: [1, 2], coefficients: [1, 1], lower: 1)
        return m
    }

    /// (what is broken, the change, text the message must hold)
    static let defects: [(String, @Sendable (inout LinearModel) -> Void, [String])] = [
        ("NaN coefficient", { $0.rows[1].coefficients[1] = .nan },
         ["row 'r1' (index 1), entry 1 (column 2)", "coefficient of 'z' is nan"]),
        ("infinite cost", { $0.variables[0].cost = .infinity }, ["variable 'x' (index 0)", "cost is inf"]),
        ("lower above upper on a variable", { $0.variables[1].lower = 7 },
         ["variable 'y' (index 1)", "lower bound 7.0 is above upper bound 5.0"]),
        ("lower above upper on a row", { $0.rows[0].lower = 9 }, ["row 'r0' (index 0)", "lower bound 9.0 is above upper bound 4.0"]),
        ("NaN bound", { $0.rows[0].upper = .nan }, ["row 'r0' (index 0)", "upper bound is NaN"]),
        ("duplicate column in a row", { $0.rows[0].columns = [0, 0] },
         ["row 'r0' (index 0), entry 1 (column 0)", "appears twice"]),
        ("column index out of range", { $0.rows[1].columns[0] = 3 },
         ["row 'r1' (index 1), entry 0 (column 3)", "out of range", "3 variables"]),
        ("negative column index", { $0.rows[1].columns[0] = -1 }, ["entry 0 (column -1)", "out of range"]),
        ("coefficients missing", { $0.rows[0].coefficients = [1] }, ["row 'r0' (index 0)", "2 columns but 1 coefficients"]),
        ("name with a space", { $0.variables[2].name = "z 1" }, ["variable 'z 1' (index 2)", "contains a space"]),
        ("empty name", { $0.rows[1].name = "" }, ["row '' (index 1)", "is empty"]),
        ("name starting with a digit", { $0.variables[0].name = "1x" }, ["variable '1x' (index 0)", "must not start with a digit"]),
        ("name too long", { $0.rows[0].name = String(repeating: "a", count: 256) }, ["(index 0)", "256 bytes long"]),
        ("name with a bracket", { $0.variables[0].name = "x[1]" }, ["variable 'x[1]' (index 0)", "contains '['"]),
        ("duplicate variable name", { $0.variables[2].name = "x" }, ["variable 'x' (index 2)", "also used by variable 0"]),
        ("duplicate row name", { $0.rows[1].name = "r0" }, ["row 'r0' (index 1)", "also used by row 0"]),
        ("objective named like a row", { $0.objectiveName = "r1" }, ["row 'r1' (index 1)", "objective's name"]),
        ("fractional bound on an integer variable", { $0.variables[2].upper = 2.5 },
         ["variable 'z' (index 2)", "upper bound 2.5, not a whole number"]),
        ("infinite constant", { $0.objectiveConstant = -.infinity }, ["objective: constant term is -inf"]),
    ]

    @Test("validation names the row or column, the value and what to do",
          arguments: defects.indices)
    func validation(_ index: Int) {
        let (what, change, expected) = Self.defects[index]
        var m = Self.base()
        change(&m)
        do {
            try m.validate()
            Issue.record("\(what): validate() accepted the model")
        } catch {
            let text = error.description
            for piece in expected {
                #expect(text.contains(piece), "\(what): '\(piece)' missing from: \(text)")
            }
            guard case .invalidModel(let model, let issues, let total) = error else {
                Issue.record("\(what): wrong error \(error)")
                return
            }
            #expect(model == "base")
            #expect(total == issues.count && total >= 1)
        }
        // The solver refuses it the same way, before any GLPK call.
        #expect(throws: SolverError.self) { try GLPK.solve(m) }
        #expect(throws: SolverError.self) { try GLPK.solveRelaxation(m) }
    }

    @Test("validation collects every defect in one pass and caps the list")
    func manyDefects() {
        var m = LinearModel(name: "many")
        for j in 0..<150 { m.addVariable("x\(j)", lower: 1, upper: 0) }
        m.addRow("r", columns: [0, 0, 999], coefficients: [.nan, 1, 1])
        let issues = m.issues(limit: 1000)
        #expect(issues.count == 150 + 3)
        do {
            try m.validate()
            Issue.record("accepted")
        } catch {
            guard case .invalidModel(_, let listed, let total) = error else { return }
            #expect(listed.count == LinearModel.defaultIssueLimit)
            #expect(total == 153)
            #expect(error.description.contains("… and 53 more"))
        }
    }
}
