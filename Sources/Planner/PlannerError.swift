/// The errors of the planner: inputs that cannot be used at all, each saying what is wrong,
/// where, and what to do.
///
/// Defects *inside* usable data (a count that makes the load negative, a load-table row naming
/// an unknown route) are never thrown: they are collected as ``RidershipIssue``s so that one run
/// reports them all.
public enum PlannerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A ridership or capacity file (`board_alight.txt`, `trip_capacity.txt`) given by path
    /// could not be read.
    case ridershipFileUnreadable(path: String, reason: String)
    /// There are no counts: neither the feed nor a path gave `board_alight.txt` (`source` is
    /// `nil`), or the file given (`source`: `feed` or its path) has no rows.
    case noRidership(source: String?)
    /// A load table could not be read (missing, a folder, unreadable).
    case loadTableUnreadable(path: String, reason: String)
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
        case let .ridershipFileUnreadable(path, reason):
            "\(path): cannot read the ridership file: \(reason); check the path given with --ridership or --capacity-file"
        case let .noRidership(source):
            if let source {
                "board_alight.txt (\(source == "feed" ? "in the feed" : source)) has no rows; give counts with --ridership PATH or a load table with --loads PATH"
            } else {
                "the feed has no board_alight.txt; give counts with --ridership PATH or a load table with --loads PATH"
            }
        case let .loadTableUnreadable(path, reason):
            "\(path): cannot read the load table: \(reason); give the path of a CSV file with route_id,direction_id,period,boardings,max_load"
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
