/// Why a timetable could not be built or written, said so a user can act on it: what is
/// wrong, where, and what to do.
public enum TimetableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plan file could not be read.
    case planUnreadable(path: String, reason: String)
    /// The plan file was read but a field is missing or invalid.
    case planInvalid(path: String, field: String, reason: String)
    /// The plan names a route the feed does not have.
    case unknownRoute(routeID: String)
    /// Writing the exported feed failed; nothing was left half-written.
    case writeFailed(path: String, reason: String)
    /// The deadhead matrix file cannot be read or a row cannot be used (line 0: the whole file).
    case deadheadMatrixInvalid(path: String, line: Int, field: String, value: String, reason: String)
    /// The depot names a stop the feed does not have.
    case unknownDepot(stopID: String)
    /// The vehicle scheduling LP failed.
    case scheduling(VehicleSchedulingError)

    /// The message, with where and what to do.
    public var description: String {
        switch self {
        case .planUnreadable(let path, let reason):
            "\(path): cannot read the plan: \(reason); give the JSON written by `transit plan FEED --format json`"
        case .planInvalid(let path, let field, let reason):
            "\(path): field '\(field)': \(reason); write the plan again with `transit plan FEED --format json`"
        case .unknownRoute(let routeID):
            "the plan names route '\(routeID)', which the feed does not have; give the feed the plan was made for"
        case .writeFailed(let path, let reason):
            "\(path): cannot write the timetable feed: \(reason) (nothing was written)"
        case .deadheadMatrixInvalid(let path, let line, let field, let value, let reason):
            "\(path)\(line > 0 ? ":\(line)" : "")\(field.isEmpty ? "" : ": field '\(field)'")\(value.isEmpty ? "" : " = '\(value)'"): \(reason); fix the deadhead matrix (from_stop_id,to_stop_id,seconds[,metres])"
        case .unknownDepot(let stopID):
            "--depot '\(stopID)' is neither a stop_id of the feed nor LAT,LON; give one of them"
        case .scheduling(let error):
            error.description
        }
    }
}

extension TimetableError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// The plan file could not be read.
        public static let planUnreadable = Code(rawValue: "plan_unreadable")
        /// A field of the plan file is missing or invalid.
        public static let planInvalid = Code(rawValue: "plan_invalid")
        /// The plan names a route the feed does not have.
        public static let unknownRoute = Code(rawValue: "unknown_route")
        /// Writing the exported feed failed.
        public static let writeFailed = Code(rawValue: "write_failed")
        /// The deadhead matrix cannot be used.
        public static let deadheadMatrixInvalid = Code(rawValue: "deadhead_matrix_invalid")
        /// The depot stop is unknown.
        public static let unknownDepot = Code(rawValue: "unknown_depot")
        /// Vehicle scheduling failed.
        public static let scheduling = Code(rawValue: "scheduling_failed")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .planUnreadable: .planUnreadable
        case .planInvalid: .planInvalid
        case .unknownRoute: .unknownRoute
        case .writeFailed: .writeFailed
        case .deadheadMatrixInvalid: .deadheadMatrixInvalid
        case .unknownDepot: .unknownDepot
        case .scheduling: .scheduling
        }
    }
}
