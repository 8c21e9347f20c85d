@testable import Planner
import Testing
import TransitSynthetic

/// Small random problems solved by enumeration, checked against the Lagrangian machinery.
@Suite("Lagrangian bound, reduced costs and the heuristic plan")
struct LagrangianTests {
    /// A random problem: `routes` × `periods` groups of 2–5 options with costs that trade
    /// vehicles against waiting, fleet and budget limits that may or may not bind.
    static func randomProblem(seed: UInt64, routes: Int = 3, periods: Int = 2) -> FrequencyProblem {
        var rng = SplitMix64(seed: seed)
        let rates = (0..<periods).map { _ in 50 + Double(rng.next() % 200) }
        var groups: [PlanGroup] = []
        for p in 0..<periods {
            for r in 0..<routes {
                let n = 2 + Int(rng.next() % 4)
                var vehicles = 1 + Int(rng.next() % 3)
                var wait = 100 + rng.unit() * 900
                var options: [HeadwayOption] = []
                for k in 0..<n {
                    options.append(HeadwayOption(headway: Int32(600 * (k + 1)), vehicles: vehicles,
                                                 waitingCost: wait, operatingCost: rates[p] * Double(vehicles)))
                    vehicles += 1 + Int(rng.next() % 3)
                    wait *= 0.4 + 0.5 * rng.unit()
                }
                options.reverse() // shortest headway (most vehicles) first, as the builder does
                for i in options.indices { options[i].headway = Int32(600 * (i + 1)) }
                groups.append(PlanGroup(route: r, period: p, cycleTime: 3600, boardings: 100, options: options))
            }
        }
        var fleet: [Int] = Array(repeating: 0, count: periods)
        var lowOp = 0.0, highOp = 0.0
        for g in groups {
            fleet[g.period] += g.options.map(\.vehicles).reduce(0, +) / g.options.count
            lowOp += g.options.map(\.operatingCost).min() ?? 0
            highOp += g.options.map(\.operatingCost).max() ?? 0
        }
        let ps = (0..<periods).map {
            FrequencyProblem.Period(name: "P\($0)", length: 3600, fleet: rng.next() % 4 == 0 ? nil : fleet[$0] + Int(rng.next() % 3) - 1)
        }
        let budget: Double? = rng.next() % 3 == 0 ? nil : lowOp + (highOp - lowOp) * rng.unit() * 0.8
        return FrequencyProblem(routes: (0..<routes).map { .init(id: "R\($0)") }, periods: ps,
                                groups: groups, budget: budget)
    }

    /// The optimum by enumeration, or nil when no plan meets the limits.
    static func enumerate(_ problem: FrequencyProblem) -> (value: Double, choice: [Int])? {
        var best: (Double, [Int])? = nil
        var choice = [Int](repeating: 0, count: problem.groups.count)
        func feasible() -> Bool {
            var v = [Int](repeating: 0, count: problem.periods.count)
            var o = 0.0
            for (gi, g) in problem.groups.enumerated() {
                v[g.period] += g.options[choice[gi]].vehicles
                o += g.options[choice[gi]].operatingCost
            }
            for p in problem.periods.indices { if let f = problem.periods[p].fleet, v[p] > f { return false } }
            if let b = problem.budget, o > b { return false }
            return true
        }
        func walk(_ i: Int) {
            if i == problem.groups.count {
                guard feasible() else { return }
                let value = problem.objective(of: choice)
                if best == nil || value < best!.0 { best = (value, choice) }
                return
            }
            for k in problem.groups[i].options.indices { choice[i] = k; walk(i + 1) }
        }
        walk(0)
        return best.map { (value: $0.0, choice: $0.1) }
    }

    @Test("on 300 random problems: bound ≤ optimum ≤ heuristic, fixing keeps the optimum, infeasibility agrees",
          arguments: 0..<6)
    func randomAgreement(batch: Int) throws {
        var boundsHit = 0
        for seed in UInt64(batch * 50)..<UInt64(batch * 50 + 50) {
            let problem = Self.randomProblem(seed: seed)
            let exact = Self.enumerate(problem)
            let rates = try #require(LagrangianBound.operatingRates(problem))
            let result: LagrangianBound
            do {
                result = try LagrangianBound.solve(problem, rates: rates)
            } catch {
                // The relaxation says no plan exists: enumeration must agree.
                #expect(exact == nil, "seed \(seed): relaxation infeasible (\(error)) but enumeration found \(exact?.value ?? 0)")
                continue
            }
            guard let exact else {
                // Integer-infeasible although the relaxation is not: possible only when the
                // heuristic also fails.
                #expect(result.heuristicPlan(problem) == nil, "seed \(seed)")
                continue
            }
            let tolerance = 1e-9 * max(1, abs(exact.value))
            #expect(result.bound <= exact.value + tolerance, "seed \(seed): bound \(result.bound) above optimum \(exact.value)")
            if abs(result.bound - exact.value) <= tolerance { boundsHit += 1 }
            if let plan = result.heuristicPlan(problem) {
                #expect(problem.objective(of: plan) >= exact.value - tolerance)
                let gap = problem.objective(of: plan) - result.bound
                for (gi, k) in exact.choice.enumerated() {
                    #expect(result.reducedCost(problem, gi, k) <= gap + tolerance,
                            "seed \(seed): fixing would remove the optimum's option in group \(gi)")
                }
            }
        }
        #expect(boundsHit > 0, "the bound should be tight on some problems")
    }

    @Test("a period whose fewest vehicles exceed its fleet is reported with that minimum")
    func fleetInfeasible() {
        let g = PlanGroup(route: 0, period: 0, cycleTime: 3600, boardings: 10, options: [
            HeadwayOption(headway: 600, vehicles: 6, waitingCost: 10, operatingCost: 600),
            HeadwayOption(headway: 1200, vehicles: 3, waitingCost: 20, operatingCost: 300),
        ])
        let problem = FrequencyProblem(routes: [.init(id: "A")], periods: [.init(name: "P", length: 3600, fleet: 2)], groups: [g])
        #expect(throws: LagrangianBound.Infeasibility.fleet(period: 0, minimum: 3)) {
            try LagrangianBound.solve(problem, rates: [100])
        }
    }
}
