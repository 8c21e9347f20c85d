import CGLPK
import Foundation
@_spi(Testing) import Solver
import Testing

/// Every public GLPK call frees the calling thread's GLPK environment before it returns.
///
/// An environment left on a thread that later ends is memory nobody can free: the whole-suite
/// AddressSanitizer run's LeakSanitizer found two (`glp_init_env`, 5,296 bytes each), left by
/// the raw GLPK smoke tests, which never called `glp_free_env()`. These tests keep the
/// library's own calls from doing the same. `glp_free_env()` returns 1 when the thread has no
/// environment, so each check below fails if the call before it left one (Debian's
/// `glp_version` sets none up). The tests are synchronous: the call and the check run on the
/// same thread.
@Suite("Each GLPK call leaves no GLPK environment on its thread")
struct EnvironmentTests {
    /// Frees whatever environment the thread has and says whether there was one.
    static func leftAnEnvironment() -> Bool { glp_free_env() == 0 }

    @Test("the version, a solve, a relaxation and both flow methods")
    func solves() throws {
        _ = Self.leftAnEnvironment()  // start clean, whatever ran on this thread before
        #expect(GLPK.version.hasPrefix("5."))
        #expect(!Self.leftAnEnvironment(), "GLPK.version")
        #expect(try GLPK.solve(Fixtures.knapsack()).status == .optimal)
        #expect(!Self.leftAnEnvironment(), "GLPK.solve")
        #expect(try GLPK.solveRelaxation(Fixtures.knapsack()).status == .optimal)
        #expect(!Self.leftAnEnvironment(), "GLPK.solveRelaxation")
        var net = FlowNetwork(nodes: 2)
        net.supply = [1, -1]
        net.addArc(from: 0, to: 1, capacity: 1, cost: 3)
        for method in FlowMethod.allCases {
            #expect(try GLPK.minimumCostFlow(net, method: method).cost == 3)
            #expect(!Self.leftAnEnvironment(), "GLPK.minimumCostFlow \(method)")
        }
    }

    @Test("a guarded GLPK error and a model file written, read, and refused")
    func errorsAndFiles() throws {
        _ = Self.leftAnEnvironment()
        #expect(GLPK.provokeGuardedError() != nil)
        #expect(!Self.leftAnEnvironment(), "after a guarded error")
        try FileTests.withFolder { folder in
            try GLPK.write(Fixtures.knapsack(), to: "\(folder)/k.mps")
            #expect(!Self.leftAnEnvironment(), "GLPK.write")
            #expect(try GLPK.read("\(folder)/k.mps").variables.count == Fixtures.knapsack().variables.count)
            #expect(!Self.leftAnEnvironment(), "GLPK.read")
            try "Minimize\n obj: x + \nEnd\n".write(toFile: "\(folder)/bad.lp", atomically: true, encoding: .utf8)
            #expect(throws: SolverError.self) { try GLPK.read("\(folder)/bad.lp") }
            #expect(!Self.leftAnEnvironment(), "GLPK.read of a malformed file")
        }
    }
}
