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

extension PlannerError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// A setting is out of its domain.
        public static let invalidSetting = Code(rawValue: "invalid_setting")
        /// A demand row names a period that is not one of the plan's.
        public static let periodMismatch = Code(rawValue: "period_mismatch")
        /// Two demand rows for the same route, direction and period.
        public static let duplicateDemand = Code(rawValue: "duplicate_demand")
        /// A route with demand has no vehicle capacity.
        public static let missingCapacity = Code(rawValue: "missing_capacity")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .invalidSetting: .invalidSetting
        case .periodMismatch: .periodMismatch
        case .duplicateDemand: .duplicateDemand
        case .missingCapacity: .missingCapacity
        }
    }
}
