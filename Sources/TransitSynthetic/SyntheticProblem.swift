public import Planner

/// A generated city-scale frequency problem, deterministic for a seed: the benchmark and the
/// solver tests use it where no real city of that size with ridership exists.
///
/// Each route gets a cycle time of 30–150 minutes, a peak demand of 50–900 boardings an hour
/// shaped over eight periods (early, AM peak, midday ×2, school, PM peak, evening, night), a
/// maximum load of 30–60 % of boardings, a policy maximum headway of 30 or 60 minutes, buses of
/// 70 places at a load factor of 0.85, a value of time of 15 and a vehicle-hour cost of 120.
/// The fleet of each period is `fleetShare` of what the unconstrained optimum would use and
/// the budget `budgetShare` of its operating cost, so both bind.
public enum SyntheticProblem {
    /// The eight periods, `05:00-07:00` to `23:00-29:00`.
    public static let periodNames = ["05:00-07:00", "07:00-09:00", "09:00-12:00", "12:00-15:00",
                                     "15:00-16:00", "16:00-19:00", "19:00-23:00", "23:00-29:00"]

    /// Generates a problem with `routes` routes.
    public static func make(routes routeCount: Int, seed: UInt64 = 1, fleetShare: Double = 0.9,
                            budgetShare: Double = 0.88,
                            headways: [Int32] = PlanningDefaults.headways) -> FrequencyProblem {
        var rng = SplitMix64(seed: seed)
        let lengths: [Int32] = [2, 2, 3, 3, 1, 3, 4, 6].map { $0 * 3600 }
        let profile = [0.35, 1.0, 0.55, 0.5, 0.7, 0.95, 0.45, 0.15]
        let capacity = 70.0, loadFactor = 0.85, valueOfTime = 15.0, hourCost = 120.0
        var routes: [FrequencyProblem.Route] = []
        var groups: [PlanGroup] = []
        var groupsByPeriod = [[PlanGroup]](repeating: [], count: lengths.count)
        for r in 0..<routeCount {
            routes.append(.init(id: "R\(r + 1)", shortName: "\(r + 1)"))
            let cycle = Double(30 + Int(rng.next() % 121)) * 60
            let base = 50 + rng.unit() * 850
            let policy: Int32 = rng.next() % 2 == 0 ? 1800 : 3600
            for p in lengths.indices {
                let hours = Double(lengths[p]) / 3600
                let perHour = base * profile[p] * (0.8 + 0.4 * rng.unit())
                let boardings = perHour * hours
                let maxLoad = boardings * (0.3 + 0.3 * rng.unit())
                var options: [HeadwayOption] = []
                var excluded: [Int32: ExclusionReason] = [:]
                for h in headways {
                    if h > policy { excluded[h] = .policy(maximum: policy); continue }
                    let carried = Double(lengths[p]) / Double(h) * capacity * loadFactor
                    if carried < maxLoad { excluded[h] = .capacity(carried: carried, maxLoad: maxLoad, direction: 0); continue }
                    let vehicles = Int((cycle / Double(h)).rounded(.up))
                    options.append(HeadwayOption(headway: h, vehicles: vehicles,
                                                 waitingCost: valueOfTime * boardings * Double(h) / 7200,
                                                 operatingCost: hourCost * Double(vehicles) * hours))
                }
                groupsByPeriod[p].append(PlanGroup(route: r, period: p, cycleTime: cycle, boardings: boardings,
                                                   options: options, excluded: excluded))
            }
        }
        for list in groupsByPeriod { groups.append(contentsOf: list) }
        // Size the limits from the unconstrained optimum.
        var fleet = [Int](repeating: 0, count: lengths.count)
        var operating = 0.0
        for g in groups {
            guard let best = g.options.min(by: {
                $0.waitingCost + $0.operatingCost < $1.waitingCost + $1.operatingCost
            }) else { continue }
            fleet[g.period] += best.vehicles
            operating += best.operatingCost
        }
        let periods = lengths.indices.map {
            FrequencyProblem.Period(name: periodNames[$0], length: lengths[$0],
                                    fleet: Int(Double(fleet[$0]) * fleetShare))
        }
        return FrequencyProblem(routes: routes, periods: periods, groups: groups,
                                budget: (operating * budgetShare).rounded())
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood 2014) so generated problems are the
/// same on every machine.
public struct SplitMix64: Sendable {
    private var state: UInt64
    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
