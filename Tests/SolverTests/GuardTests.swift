@_spi(Testing) import Solver
import Testing

@Suite("The GLPK error guard and concurrent solves")
struct GuardTests {
    @Test("GLPK is linked and says its version")
    func version() {
        #expect(GLPK.version.hasPrefix("5."))
    }

    @Test("a GLPK error is caught, reported, and the thread's next solve works")
    func errorIsCaught() throws {
        let error = try #require(GLPK.provokeGuardedError())
        guard case .glpk(let operation, let code, let message) = error else {
            Issue.record("wrong error \(error)")
            return
        }
        #expect(operation.contains("glp_set_col_bnds"))
        #expect(code == -1)
        #expect(message.contains("column number out of range"))
        // Same thread, synchronous: GLPK's environment was rebuilt from scratch.
        let r = try GLPK.solve(Fixtures.knapsack())
        #expect(r.status == .optimal)
        #expect(close(r.objective, 23))
        #expect(GLPK.provokeGuardedError() != nil)
        #expect(close(try GLPK.solveRelaxation(Fixtures.knapsack()).objective, 23 + 5.0 / 6))
    }

    @Test("solves run at the same time on different threads, with errors caught among them")
    func concurrentSolves() async throws {
        let models: [(LinearModel, Double)] = [
            (Fixtures.knapsack(), 23), (Fixtures.assignment(), 5), (Fixtures.multipleChoice(), 15),
            (Fixtures.knapsack(constant: 100), 123), (Fixtures.multipleChoice(capacity: 100), 7),
        ]
        let reference = try GLPK.solve(Fixtures.hardKnapsack(count: 25, dimensions: 3), options: MIPOptions(relativeGap: 0))
        #expect(reference.status == .optimal)
        let rounds = 4
        let results = try await withThrowingTaskGroup(of: (Int, Double?, MIPStatus).self) { group in
            for round in 0..<rounds {
                for (k, (model, _)) in models.enumerated() {
                    group.addTask { (k, try GLPK.solve(model).objective, .optimal) }
                }
                group.addTask {
                    let r = try GLPK.solve(Fixtures.hardKnapsack(count: 25, dimensions: 3), options: MIPOptions(relativeGap: 0))
                    return (-1, r.objective, r.status)
                }
                group.addTask {
                    #expect(GLPK.provokeGuardedError() != nil, "round \(round)")
                    return (-2, nil, .optimal)
                }
            }
            var all: [(Int, Double?, MIPStatus)] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == rounds * (models.count + 2))
        for (k, objective, status) in results {
            switch k {
            case -2: continue
            case -1:
                #expect(status == .optimal)
                #expect(close(objective, reference.objective ?? .nan, 1e-9))
            default:
                #expect(close(objective, models[k].1), "model \(k)")
            }
        }
    }
}
