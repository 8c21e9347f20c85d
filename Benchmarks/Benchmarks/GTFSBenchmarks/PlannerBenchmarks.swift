// Issue 4's performance target: the time to a proven optimum (relative gap ≤ 1e-6, the default
// `--gap`) on generated city-scale problems with 500 and 2000 routes × 8 periods × 12 headway
// options, fleet per period and budget binding. HiGHS's time on the same models comes from
// compare-highs.sh (it solves the model `transit plan --synthetic N --write-model` writes).

import Benchmark
import Planner
import TransitSynthetic

enum PlannerBenchmarks {
    /// Registers the planner benchmarks.
    static func register() {
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .peakMemoryResident],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(20),
            maxIterations: 10
        )
        for routes in [500, 2000] {
            let problem = ProblemBox(routes: routes)
            Benchmark("plan optimal \(routes) routes", configuration: configuration) { benchmark in
                let p = problem.problem
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let solution = try FrequencyPlanner.solve(p, options: PlanSolveOptions(timeLimit: 120))
                    guard solution.status == .optimal else {
                        throw BenchmarkFailure("\(routes) routes: \(solution.status.rawValue), gap \(solution.gap ?? -1)")
                    }
                    blackHole(solution)
                }
            }
        }
    }

    /// The problem, generated once per benchmark (not measured).
    final class ProblemBox: @unchecked Sendable {
        let problem: FrequencyProblem
        init(routes: Int) { problem = SyntheticProblem.make(routes: routes) }
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
