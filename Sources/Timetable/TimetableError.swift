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
        }
    }
}
