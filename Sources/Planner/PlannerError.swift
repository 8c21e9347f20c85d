/// The errors of the planner: inputs that cannot be used at all, each saying what is wrong,
/// where, and what to do.
///
/// Ridership input that cannot be read at all is the Ridership module's `RidershipError`;
/// defects *inside* usable data are collected as `RidershipIssue`s so that one run reports
/// them all.
public enum PlannerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting is out of its domain (`name` is the option, `value` what was given).
    case invalidSetting(name: String, value: String, reason: String)
    /// A demand row names a period that is not in the plan's period list.
    case periodMismatch(routeID: String, direction: Int, period: String, known: [String])
    /// Two demand rows for the same route, direction and period.
    case duplicateDemand(routeID: String, direction: Int, period: String)
    /// A route with demand has no vehicle capacity (no `trip_capacity.txt` rows and no default).
    case missingCapacity(routeID: String)

    /// One line: what is wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .invalidSetting(name, value, reason):
            "invalid \(name) '\(value)': \(reason)"
        case let .periodMismatch(routeID, direction, period, known):
            "demand for route '\(routeID)' direction \(direction) names period '\(period)', which is not one of the plan's periods (\(known.joined(separator: ", "))); use the same --periods for the demand and the plan"
        case let .duplicateDemand(routeID, direction, period):
            "two demand rows for route '\(routeID)' direction \(direction) in \(period); give one row per route, direction and period"
        case let .missingCapacity(routeID):
            "route '\(routeID)' has no vehicle capacity in trip_capacity.txt; give one with --capacity PASSENGERS"
        }
    }
}
