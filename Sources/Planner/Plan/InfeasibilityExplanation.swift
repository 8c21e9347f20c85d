import TransitNetwork
import Ridership
import Foundation

/// Why no plan meets the limits, in sentences a planner can act on.
///
/// Three things can make the limits impossible, and they are checked exactly (each is both
/// necessary and sufficient given the others pass, because the fewest vehicles and the lowest
/// cost come from the same choice, the longest allowed headway):
/// - a route-period with no allowed headway (the policy maximum is below what the loads need,
///   or even the shortest allowed headway cannot carry the load);
/// - a period whose fewest vehicles (every route at its longest allowed headway) exceed the
///   fleet;
/// - a budget below the lowest operating cost.
public enum InfeasibilityExplanation {
    /// The reasons, most fundamental first; empty when the limits can be met.
    public static func reasons(_ planning: PlanningCase) -> [String] {
        var out: [String] = []
        let problem = planning.problem
        let limits = planning.limits
        for (g, group) in problem.groups.enumerated() where group.options.isEmpty {
            let f = planning.facts[g]
            let shortest = limits.headways.min() ?? 0
            let worst = f.demand.values.max { $0.maxLoad < $1.maxLoad }
            var need = ""
            if let w = worst, w.maxLoad > 0 {
                let required = Double(f.period.length) * Double(f.capacity) * limits.loadFactor / w.maxLoad
                need = String(format: "the max load of %.0f passengers (direction %d, %.0f an hour) needs a headway of at most %@ at %d places × %.2f",
                              w.maxLoad, w.direction, w.maxLoad / (Double(f.period.length) / 3600), minutes(required), f.capacity, limits.loadFactor)
            }
            if let m = f.policyMaximum, m < shortest {
                out.append("route \(f.routeID), \(f.period.name): the policy maximum headway \(minutes(Double(m))) is shorter than every allowed headway (shortest \(minutes(Double(shortest))))")
            } else if let m = f.policyMaximum, !need.isEmpty {
                out.append("route \(f.routeID), \(f.period.name): \(need); no allowed headway between that and the policy maximum \(minutes(Double(m))) (shortest allowed \(minutes(Double(shortest))))")
            } else {
                out.append("route \(f.routeID), \(f.period.name): \(need.isEmpty ? "no allowed headway" : need); the shortest allowed headway is \(minutes(Double(shortest))). Allow shorter headways (--headways), larger vehicles (--capacity) or a higher load factor")
            }
        }
        guard out.isEmpty else { return out }

        var minimum = [Int](repeating: 0, count: problem.periods.count)
        var drivers = [[(vehicles: Int, text: String)]](repeating: [], count: problem.periods.count)
        var lowestCost = 0.0
        for (g, group) in problem.groups.enumerated() {
            guard let least = group.options.min(by: { ($0.vehicles, $0.operatingCost) < ($1.vehicles, $1.operatingCost) }) else { continue }
            minimum[group.period] += least.vehicles
            lowestCost += least.operatingCost
            let f = planning.facts[g]
            let next = limits.headways.sorted().first { $0 > least.headway }
            let why: String
            if f.keptAsIs {
                why = "kept at current service, no counts"
            } else if let n = next, case .capacity? = group.excluded[n] {
                why = "load"
            } else if let n = next, case .policy? = group.excluded[n] {
                why = "policy"
            } else {
                why = "longest allowed headway"
            }
            drivers[group.period].append((least.vehicles, "route \(f.routeID) \(least.vehicles) at \(minutes(Double(least.headway))) (\(why))"))
        }
        for (p, period) in problem.periods.enumerated() {
            guard let fleet = period.fleet, minimum[p] > fleet else { continue }
            let top = drivers[p].sorted { $0.vehicles > $1.vehicles }.prefix(5).map(\.text).joined(separator: ", ")
            out.append("\(period.name) needs at least \(minimum[p]) vehicles to meet the policy headways and loads; the fleet is \(fleet). Most vehicles: \(top)")
        }
        if let budget = problem.budget, lowestCost > budget * (1 + 1e-12) {
            out.append(String(format: "the least service the policy headways and loads allow costs %.2f a day to operate; the budget is %.2f", lowestCost, budget))
        }
        return out
    }

    /// `7.5 min` / `3 min`.
    static func minutes(_ seconds: Double) -> String {
        let m = seconds / 60
        return m == m.rounded() ? String(format: "%.0f min", m) : String(format: "%.1f min", m)
    }
}
