/// The errors of the ridership module: inputs that cannot be used at all, each saying what is
/// wrong, where, and what to do.
///
/// Defects *inside* usable data (a count that makes the load negative, a load-table row naming
/// an unknown route) are never thrown: they are collected as ``RidershipIssue``s so that one run
/// reports them all.
public enum RidershipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A ridership or capacity file (`board_alight.txt`, `trip_capacity.txt`) given by path
    /// could not be read.
    case ridershipFileUnreadable(path: String, reason: String)
    /// There are no counts: neither the feed nor a path gave `board_alight.txt` (`source` is
    /// `nil`), or the file given (`source`: `feed` or its path) has no rows.
    case noRidership(source: String?)
    /// A load table could not be read (missing, a folder, unreadable).
    case loadTableUnreadable(path: String, reason: String)

    /// One line: what is wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .ridershipFileUnreadable(path, reason):
            "\(path): cannot read the ridership file: \(reason); check the path given with --ridership, --capacity-file or --occupancy-from-ridership"
        case let .noRidership(source):
            if let source {
                "board_alight.txt (\(source == "feed" ? "in the feed" : source)) has no rows; give counts with --ridership PATH or a load table with --loads PATH"
            } else {
                "the feed has no board_alight.txt; give counts with --ridership PATH or a load table with --loads PATH"
            }
        case let .loadTableUnreadable(path, reason):
            "\(path): cannot read the load table: \(reason); give the path of a CSV file with route_id,direction_id,period,boardings,max_load"
        }
    }
}
