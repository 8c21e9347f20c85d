/// The Lagrangian relaxation of the fleet and budget rows, solved exactly, and what it gives:
/// a lower bound on the optimum, reduced costs for fixing options, and a feasible plan.
///
/// ## Why this works
/// Relax the fleet row of each period with a multiplier λ_p ≥ 0 and the budget row with
/// μ ≥ 0. What is left is one choice per group, solved by inspection:
/// `L(λ, μ) = Σ_g min_k (c_gk + λ_p V_gk + μ O_gk) − Σ_p λ_p F_p − μ B` is a lower bound on
/// the optimum for any λ, μ ≥ 0. Operating cost is proportional to vehicles within a period
/// (`O_gk = κ_p V_gk`, κ_p = cost per vehicle-hour × period hours), so the price of a vehicle
/// in period p is one number, `ν_p = λ_p + μ κ_p`, and each group only ever picks a vertex of
/// the lower convex hull of its (vehicles, cost) points. The best multipliers follow from
/// sorting hull edges by slope, the way the LP relaxation of a multiple-choice knapsack is
/// solved (Sinha & Zoltners 1979): first per period for the fleet, then across periods for
/// the budget. Because the relaxed problem has the integrality property, the bound equals the
/// LP relaxation's (Geoffrion 1974).
///
/// An option whose reduced cost `c_gk + ν_p V_gk − min_j (c_gj + ν_p V_gj)` exceeds the gap
/// between a known plan and the bound cannot be in any better plan, so it is fixed to zero.
/// On the city-scale instances this removes most options, and GLPK's branch and bound then
/// proves the optimum of what is left.
///
/// The bound is evaluated directly from the multipliers, so it stays valid whatever rounding
/// happened in finding them.
struct LagrangianBound: Sendable {
    /// Vehicle price per period (ν_p).
    var vehiclePrice: [Double]
    /// Fleet multipliers λ_p (0 where the period has no fleet limit).
    var fleetMultiplier: [Double]
    /// The budget multiplier μ (0 without a budget).
    var budgetMultiplier: Double
    /// The bound L(λ, μ).
    var bound: Double
    /// Per group, the smallest priced cost `min_k (c_gk + ν_p V_gk)`.
    var groupMinimum: [Double]

    /// Why the relaxation has no finite bound: the limits cannot be met by any plan.
    enum Infeasibility: Error, Sendable, Hashable {
        /// A group has no allowed option.
        case noOption(group: Int)
        /// The fewest vehicles the period can run with exceeds its fleet.
        case fleet(period: Int, minimum: Int)
        /// The lowest operating cost exceeds the budget.
        case budget(minimum: Double)
    }

    /// Whether operating cost is proportional to vehicles in each period (the structure the
    /// exact multiplier search relies on); returns κ_p per period, or nil.
    static func operatingRates(_ problem: FrequencyProblem) -> [Double]? {
        var rate = [Double?](repeating: nil, count: problem.periods.count)
        for g in problem.groups {
            for o in g.options {
                guard o.vehicles > 0 else {
                    if o.operatingCost != 0 { return nil }
                    continue
                }
                let r = o.operatingCost / Double(o.vehicles)
                if let known = rate[g.period] {
                    if abs(known - r) > 1e-9 * max(1, abs(known)) { return nil }
                } else {
                    rate[g.period] = r
                }
            }
        }
        return rate.map { $0 ?? 0 }
    }

    /// Solves the Lagrangian dual exactly (given the proportional structure).
    ///
    /// - Complexity: O(n log n) for n options.
    static func solve(_ problem: FrequencyProblem, rates: [Double]) throws(Infeasibility) -> LagrangianBound {
        let periodCount = problem.periods.count
        struct Edge { var slope: Double; var dV: Int; var dO: Double; var period: Int }
        var edges: [[Edge]] = Array(repeating: [], count: periodCount)
        var baseVehicles = [Int](repeating: 0, count: periodCount)
        var baseOperating = 0.0

        for (gi, g) in problem.groups.enumerated() {
            guard !g.options.isEmpty else { throw .noOption(group: gi) }
            // Points sorted by vehicles, cheapest first among equals.
            var pts: [(v: Int, c: Double, o: Double)] = g.options.indices.map {
                (g.options[$0].vehicles, problem.cost(gi, $0), g.options[$0].operatingCost)
            }
            pts.sort { $0.v != $1.v ? $0.v < $1.v : $0.c < $1.c }
            // Lower-left convex chain: vehicles up, cost strictly down, slopes decreasing.
            var hull: [(v: Int, c: Double, o: Double)] = []
            for p in pts {
                if let last = hull.last, p.v == last.v || p.c >= last.c { continue }
                while hull.count >= 2 {
                    let a = hull[hull.count - 2], b = hull[hull.count - 1]
                    let sab = (a.c - b.c) / Double(b.v - a.v)
                    let sbp = (b.c - p.c) / Double(p.v - b.v)
                    if sbp >= sab { hull.removeLast() } else { break }
                }
                hull.append(p)
            }
            baseVehicles[g.period] += hull[0].v
            baseOperating += hull[0].o
            for i in 1..<max(1, hull.count) where hull.count > 1 {
                let a = hull[i - 1], b = hull[i]
                edges[g.period].append(Edge(slope: (a.c - b.c) / Double(b.v - a.v), dV: b.v - a.v,
                                            dO: b.o - a.o, period: g.period))
            }
        }

        // Fleet: per period the price at which the cheapest-first vehicle additions fill it.
        var fleetPrice = [Double](repeating: 0, count: periodCount)
        for p in 0..<periodCount {
            edges[p].sort { $0.slope > $1.slope }
            guard let fleet = problem.periods[p].fleet else { continue }
            if baseVehicles[p] > fleet { throw .fleet(period: p, minimum: baseVehicles[p]) }
            var used = baseVehicles[p]
            for e in edges[p] {
                if used + e.dV > fleet { fleetPrice[p] = e.slope; break }
                used += e.dV
            }
        }

        // Budget: walk the additions still worth making at the fleet prices, dearest first in
        // budget terms, until the budget is spent.
        var mu = 0.0
        if let budget = problem.budget {
            if baseOperating > budget * (1 + 1e-12) { throw .budget(minimum: baseOperating) }
            var active: [(key: Double, dO: Double)] = []
            var spent = baseOperating
            for p in 0..<periodCount where rates[p] > 0 {
                for e in edges[p] where e.slope > fleetPrice[p] {
                    active.append((e.slope / rates[p], e.dO))
                    spent += e.dO
                }
            }
            if spent > budget {
                active.sort { $0.key > $1.key }
                var used = baseOperating
                for a in active {
                    if used + a.dO > budget { mu = a.key; break }
                    used += a.dO
                }
            }
        }

        var price = [Double](repeating: 0, count: periodCount)
        var lambda = [Double](repeating: 0, count: periodCount)
        for p in 0..<periodCount {
            price[p] = max(fleetPrice[p], mu * rates[p])
            lambda[p] = problem.periods[p].fleet == nil ? 0 : max(0, price[p] - mu * rates[p])
            if problem.periods[p].fleet == nil { price[p] = mu * rates[p] }
        }
        return evaluate(problem, price: price, fleetMultiplier: lambda, budgetMultiplier: mu)
    }

    /// Evaluates L(λ, μ) for given multipliers.
    static func evaluate(_ problem: FrequencyProblem, price: [Double], fleetMultiplier: [Double],
                         budgetMultiplier: Double) -> LagrangianBound {
        var minimum = [Double](repeating: 0, count: problem.groups.count)
        var bound = 0.0
        for (gi, g) in problem.groups.enumerated() {
            var best = Double.infinity
            for k in g.options.indices {
                let v = problem.cost(gi, k) + price[g.period] * Double(g.options[k].vehicles)
                if v < best { best = v }
            }
            minimum[gi] = best
            bound += best
        }
        for p in problem.periods.indices {
            if let f = problem.periods[p].fleet { bound -= fleetMultiplier[p] * Double(f) }
        }
        if let b = problem.budget { bound -= budgetMultiplier * b }
        return LagrangianBound(vehiclePrice: price, fleetMultiplier: fleetMultiplier,
                               budgetMultiplier: budgetMultiplier, bound: bound, groupMinimum: minimum)
    }

    /// The reduced cost of option `k` of group `g` (≥ 0).
    @inline(__always)
    func reducedCost(_ problem: FrequencyProblem, _ g: Int, _ k: Int) -> Double {
        let group = problem.groups[g]
        return problem.cost(g, k) + vehiclePrice[group.period] * Double(group.options[k].vehicles) - groupMinimum[g]
    }

    /// A feasible plan near the bound: each group takes its cheapest priced option (the one
    /// with fewer vehicles on ties), then spare fleet and budget are spent greedily on the
    /// moves that save the most. Returns nil if no feasible plan was found this way.
    func heuristicPlan(_ problem: FrequencyProblem) -> [Int]? {
        let groups = problem.groups
        var choice = [Int](repeating: 0, count: groups.count)
        var vehicles = [Int](repeating: 0, count: problem.periods.count)
        var operating = 0.0
        for (gi, g) in groups.enumerated() {
            let tolerance = 1e-9 * max(1, abs(groupMinimum[gi]))
            var best = -1
            for k in g.options.indices {
                let v = problem.cost(gi, k) + vehiclePrice[g.period] * Double(g.options[k].vehicles)
                guard v <= groupMinimum[gi] + tolerance else { continue }
                if best < 0 || g.options[k].vehicles < g.options[best].vehicles
                    || (g.options[k].vehicles == g.options[best].vehicles && problem.cost(gi, k) < problem.cost(gi, best)) {
                    best = k
                }
            }
            choice[gi] = max(0, best)
            vehicles[g.period] += g.options[choice[gi]].vehicles
            operating += g.options[choice[gi]].operatingCost
        }
        // Repair: while a limit is broken, drop vehicles where it costs least per vehicle.
        func overFleet(_ p: Int) -> Bool { problem.periods[p].fleet.map { vehicles[p] > $0 } ?? false }
        func overBudget() -> Bool { problem.budget.map { operating > $0 } ?? false }
        var guardCount = 0
        while (problem.periods.indices.contains(where: overFleet) || overBudget()), guardCount < 1_000_000 {
            guardCount += 1
            var bestMove: (g: Int, k: Int, score: Double)? = nil
            let budgetBroken = overBudget()
            for (gi, g) in groups.enumerated() where budgetBroken || overFleet(g.period) {
                let cur = g.options[choice[gi]]
                for k in g.options.indices where g.options[k].vehicles < cur.vehicles {
                    let score = (problem.cost(gi, k) - problem.cost(gi, choice[gi])) / Double(cur.vehicles - g.options[k].vehicles)
                    if let b = bestMove, b.score <= score { continue }
                    bestMove = (gi, k, score)
                }
            }
            guard let move = bestMove else { return nil }
            let g = groups[move.g]
            vehicles[g.period] += g.options[move.k].vehicles - g.options[choice[move.g]].vehicles
            operating += g.options[move.k].operatingCost - g.options[choice[move.g]].operatingCost
            choice[move.g] = move.k
        }
        if problem.periods.indices.contains(where: overFleet) || overBudget() { return nil }
        // Improve: take the most valuable move that still fits, until none does.
        while guardCount < 1_000_000 {
            guardCount += 1
            var bestMove: (g: Int, k: Int, gain: Double)? = nil
            let budgetLeft = problem.budget.map { $0 - operating } ?? .infinity
            for (gi, g) in groups.enumerated() {
                let cur = g.options[choice[gi]]
                let curCost = problem.cost(gi, choice[gi])
                let fleetLeft = problem.periods[g.period].fleet.map { $0 - vehicles[g.period] } ?? Int.max
                for k in g.options.indices {
                    let gain = curCost - problem.cost(gi, k)
                    guard gain > 1e-12 * max(1, abs(curCost)) else { continue }
                    let o = g.options[k]
                    guard o.vehicles - cur.vehicles <= fleetLeft,
                          o.operatingCost - cur.operatingCost <= budgetLeft else { continue }
                    if let b = bestMove, b.gain >= gain { continue }
                    bestMove = (gi, k, gain)
                }
            }
            guard let move = bestMove else { break }
            let g = groups[move.g]
            vehicles[g.period] += g.options[move.k].vehicles - g.options[choice[move.g]].vehicles
            operating += g.options[move.k].operatingCost - g.options[choice[move.g]].operatingCost
            choice[move.g] = move.k
        }
        return choice
    }
}
