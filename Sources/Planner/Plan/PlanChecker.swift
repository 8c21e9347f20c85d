import TransitNetwork
import Ridership
/// Checks a plan against the limits from the case's facts, independently of the model and the
/// solver: a plan that breaks a limit is caught here even if the model were built wrong.
public enum PlanChecker {
    /// The limits `headways` (seconds, one per group of the case) break, in words; empty when
    /// the plan meets them all.
    ///
    /// Checked: one allowed headway per group (or the current one for a route kept as is); the
    /// policy maximum; capacity per direction ((period / headway) × capacity × load factor ≥
    /// max load); vehicles ceil(cycle / headway) within each period's fleet; operating cost
    /// (vehicles × period hours × cost per vehicle-hour) within the budget.
    public static func violations(of headways: [Int32], in planning: PlanningCase) -> [String] {
        var out: [String] = []
        let limits = planning.limits
        let problem = planning.problem
        guard headways.count == problem.groups.count else {
            return ["the plan has \(headways.count) headways for \(problem.groups.count) route-periods"]
        }
        let allowed = Set(limits.headways)
        var vehicles = [Int](repeating: 0, count: problem.periods.count)
        var operating = 0.0
        for (g, group) in problem.groups.enumerated() {
            let f = planning.facts[g]
            let h = headways[g]
            let name = "route \(f.routeID) \(f.period.name)"
            guard h > 0 else { out.append("\(name): headway \(h) s is not positive"); continue }
            let v = f.keptAsIs ? max(1, f.currentVehicles) : max(1, Int((group.cycleTime / Double(h)).rounded(.up)))
            vehicles[group.period] += v
            operating += Double(v) * (Double(f.period.length) / 3600) * limits.vehicleHourCost
            if f.keptAsIs { continue }
            if !allowed.contains(h) { out.append("\(name): headway \(h) s is not an allowed headway") }
            if let m = f.policyMaximum, h > m { out.append("\(name): headway \(h) s is longer than the policy maximum \(m) s") }
            let carried = Double(f.period.length) / Double(h) * Double(f.capacity) * limits.loadFactor
            for (d, dem) in f.demand where carried + 1e-9 < dem.maxLoad {
                out.append("\(name) direction \(d): \(Int(carried)) places at load factor \(limits.loadFactor) for a max load of \(Int(dem.maxLoad.rounded()))")
            }
        }
        for (p, period) in problem.periods.enumerated() {
            if let fleet = period.fleet, vehicles[p] > fleet {
                out.append("\(period.name): \(vehicles[p]) vehicles for a fleet of \(fleet)")
            }
        }
        if let b = limits.budget, operating > b * (1 + 1e-9) {
            out.append("operating cost \(operating) is over the budget \(b)")
        }
        return out
    }
}
