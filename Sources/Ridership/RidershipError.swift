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
    /// A taps file could not be read, or its header lacks a required column.
    case tapsFileUnreadable(path: String, reason: String)
    /// An output file could not be written (nothing is left half-written).
    case outputUnwritable(path: String, reason: String)

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
        case let .tapsFileUnreadable(path, reason):
            "\(path): cannot read the taps: \(reason); give a CSV or JSON Lines file of taps (see `transit ridership infer --help`)"
        case let .outputUnwritable(path, reason):
            "\(path): cannot write: \(reason); check that the --out folder exists and is writable"
        }
    }
}

extension RidershipError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// A ridership or capacity file given by path could not be read.
        public static let ridershipFileUnreadable = Code(rawValue: "ridership_file_unreadable")
        /// There are no counts.
        public static let noRidership = Code(rawValue: "no_ridership")
        /// A load table could not be read.
        public static let loadTableUnreadable = Code(rawValue: "load_table_unreadable")
        /// A taps file could not be read.
        public static let tapsFileUnreadable = Code(rawValue: "taps_file_unreadable")
        /// An output file could not be written.
        public static let outputUnwritable = Code(rawValue: "output_unwritable")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .ridershipFileUnreadable: .ridershipFileUnreadable
        case .noRidership: .noRidership
        case .loadTableUnreadable: .loadTableUnreadable
        case .tapsFileUnreadable: .tapsFileUnreadable
        case .outputUnwritable: .outputUnwritable
        }
    }
}
