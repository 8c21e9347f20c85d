import Foundation
import Solver
import Testing
import TestSupport

@Suite("Writing and reading LP and MPS files")
struct FileTests {
    /// A folder of its own for each test, removed afterwards.
    static func withFolder<R>(_ body: (String) throws -> R) throws -> R {
        let scratch = try TemporaryFolder("solver-files")
        defer { scratch.remove() }
        let folder = scratch.path
        return try body(folder)
    }

    /// Everything GLPK's writers need help with: maximisation, a constant term, a ranged row,
    /// a free row, an equality, a ≥ row, a free variable, an upper-bounded-only variable, a
    /// general integer, a binary and a continuous variable with a negative lower bound.
    static func awkward() -> LinearModel {
        var m = LinearModel(name: "awkward", sense: .maximize, objectiveName: "profit", objectiveConstant: 12.5)
        let a = m.addVariable("a", lower: 0, upper: 10, cost: 3, isInteger: true)
        let b = m.addBinary("b(1)", cost: 5)
        let c = m.addVariable("c", lower: -4, upper: 6, cost: 2)
        let d = m.addVariable("d", lower: -.infinity, upper: .infinity, cost: -1)
        let e = m.addVariable("e", lower: -.infinity, upper: 3, cost: 1)
        m.addRow("band", columns: [a, c], coefficients: [1, 1], lower: 2, upper: 9)
        m.addRow("note", columns: [a, b, c], coefficients: [1, 1, 1])  // free: constrains nothing
        m.addRow("tie", columns: [d, c], coefficients: [1, -2], lower: 1, upper: 1)
        m.addRow("floor", columns: [d, e], coefficients: [1, 1], lower: -5)
        m.addRow("link", columns: [b, a], coefficients: [4, 1], upper: 8.5)
        return m
    }

    @Test("a written file read back by GLPK solves to the same objective", arguments: ["lp", "mps"])
    func roundTrip(_ ext: String) throws {
        let model = Self.awkward()
        let original = try GLPK.solve(model, options: MIPOptions(relativeGap: 0))
        #expect(original.status == .optimal)
        try Self.withFolder { folder in
            let path = "\(folder)/awkward.\(ext)"
            try GLPK.write(model, to: path)
            let back = try GLPK.read(path)
            #expect(back.sense == .maximize)
            #expect(back.objectiveName == "profit")
            let names = Set(back.variables.map(\.name))
            #expect(names.isSuperset(of: model.variables.map(\.name)))
            #expect(names.contains("objective_constant"))
            #expect(!back.rows.contains { $0.name == "note" })
            #expect(back.variables.first { $0.name == "a" }?.isInteger == true)
            let reread = try GLPK.solve(back, options: MIPOptions(relativeGap: 0))
            #expect(reread.status == .optimal)
            #expect(close(reread.objective, original.objective ?? .nan, 1e-9))
            // The same values under the same names.
            for (j, v) in model.variables.enumerated() {
                let k = try #require(back.variables.firstIndex { $0.name == v.name })
                #expect(close(reread.values[k], original.values[j], 1e-9))
            }
            // Only the file is left in the folder: temporaries are gone.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["awkward.\(ext)"])
        }
    }

    @Test("MPS names the objective row after the model and says MAX; LP keeps every name")
    func fileText() throws {
        try Self.withFolder { folder in
            let model = Self.awkward()
            try GLPK.write(model, to: "\(folder)/m.mps")
            let mps = try String(contentsOfFile: "\(folder)/m.mps", encoding: .utf8)
            #expect(mps.contains("OBJSENSE\n    MAX\n"))
            #expect(mps.contains(" N profit\n"))
            #expect(!mps.contains("R0000000"))
            try GLPK.write(model, to: "\(folder)/m.lp")
            let lp = try String(contentsOfFile: "\(folder)/m.lp", encoding: .utf8)
            #expect(lp.contains("Maximize\n profit:"))
            for name in model.variables.map(\.name) + ["band", "tie", "floor", "link"] {
                #expect(lp.contains(" \(name)"), "\(name) missing")
            }
            #expect(lp.contains("objective_constant = 1"))
        }
    }

    @Test("the format is picked by extension, or given, or refused")
    func formats() throws {
        #expect(ModelFormat(path: "a/b.LP") == .cplexLP)
        #expect(ModelFormat(path: "b.mps") == .freeMPS)
        #expect(ModelFormat(path: "b.txt") == nil)
        try Self.withFolder { folder in
            #expect(throws: SolverError.self) { try GLPK.write(Fixtures.knapsack(), to: "\(folder)/k.txt") }
            try GLPK.write(Fixtures.knapsack(), to: "\(folder)/k.txt", format: .freeMPS)
            let back = try GLPK.read("\(folder)/k.txt", format: .freeMPS)
            #expect(back.variables.count == 5)
            #expect(close(try GLPK.solve(back).objective, 23))
        }
    }

    @Test("a write that cannot happen leaves nothing behind and says where")
    func writeFailure() throws {
        do {
            try GLPK.write(Fixtures.knapsack(), to: "/nonexistent-folder-for-tests/k.lp")
            Issue.record("wrote into a missing folder")
        } catch {
            guard case .io(let path, let reason) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == "/nonexistent-folder-for-tests/k.lp")
            #expect(reason.contains("No such file or directory"))
        }
        try Self.withFolder { folder in
            var model = Fixtures.knapsack()
            model.rows[0].name = "R0000000"
            #expect(throws: SolverError.self) { try GLPK.write(model, to: "\(folder)/k.mps") }
            try GLPK.write(model, to: "\(folder)/k.lp")  // only MPS reserves the name
            #expect(throws: SolverError.self) { try GLPK.write(LinearModel(name: "none"), to: "\(folder)/e.lp") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["k.lp"])
        }
    }

    @Test("reading a malformed file gives GLPK's line and message")
    func readFailure() throws {
        try Self.withFolder { folder in
            let path = "\(folder)/bad.lp"
            try "Minimize\n obj: x + \nSubject To\n c1: x >= = 1\nEnd\n".write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try GLPK.read(path)
                Issue.record("read a malformed file")
            } catch {
                guard let error = error as? SolverError, case .io(let where_, let reason) = error else {
                    Issue.record("wrong error \(error)")
                    return
                }
                #expect(where_ == path)
                #expect(reason.contains("bad.lp:"))
            }
            #expect(throws: SolverError.self) { try GLPK.read("\(folder)/missing.mps") }
        }
    }

    @Test("a model without rows is written with a trivial row and reads back the same")
    func noRows() throws {
        var m = LinearModel(name: "boxes", sense: .maximize)
        m.addVariable("x", upper: 3, cost: 2)
        m.addVariable("y", upper: 1, cost: 1, isInteger: true)
        try Self.withFolder { folder in
            for ext in ["lp", "mps"] {
                try GLPK.write(m, to: "\(folder)/b.\(ext)")
                let back = try GLPK.read("\(folder)/b.\(ext)")
                #expect(back.rows.map(\.name) == ["no_constraints"])
                #expect(close(try GLPK.solve(back).objective, 7))
            }
        }
    }
}
