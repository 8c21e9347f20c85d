/// How serious a finding is, as MobilityData's canonical validator grades its notices.
public enum Severity: String, Sendable, Codable, Hashable, Comparable, CaseIterable {
    /// The feed breaks the specification; consumers may reject it.
    case error
    /// Probably a mistake, or a recommended practice not followed.
    case warning
    /// Worth knowing; not a defect.
    case info

    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One defect or remark about transit data, located by file, line and field: the one
/// diagnostics type of every module.
///
/// The GTFS reader and validator report feed defects with it (``ValidationReport``), the
/// Ridership module its count and capacity defects (as `RidershipIssue`), the Network module
/// the data problems it works around (as `NetworkIssue`, which names the trip, stop or shape
/// by interned code instead of a file and line). Findings never stop an analysis: each says
/// what is wrong and what was done about it.
///
/// ``code`` is a stable snake_case notice code; the GTFS ones are the canonical validator's
/// (`foreign_key_violation`, `duplicate_key`, …) so a report can be compared line by line
/// with that tool's. Other modules add theirs to ``Code``.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious it is.
    public var severity: Severity
    /// The notice code, snake_case.
    public var code: String
    /// The file concerned (a feed file such as `stops.txt`, or a path), if any.
    public var file: String?
    /// The 1-based physical line in that file (the header is line 1).
    public var line: Int?
    /// The column name.
    public var field: String?
    /// The offending value, as written.
    public var value: String?
    /// What is wrong and what to do (or what was done), in one sentence.
    public var message: String
    /// The trip concerned, as its ``IDSpace/trip`` code, for findings made on the typed model
    /// rather than on a row.
    public var trip: Int32?
    /// The stop concerned, as its ``IDSpace/stop`` code.
    public var stop: Int32?
    /// The shape concerned, as its ``IDSpace/shape`` code.
    public var shape: Int32?

    /// Creates a finding.
    public init(_ severity: Severity, _ code: String, file: String? = nil, line: Int? = nil,
                field: String? = nil, value: String? = nil, message: String,
                trip: Int32? = nil, stop: Int32? = nil, shape: Int32? = nil) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.message = message
        self.trip = trip
        self.stop = stop
        self.shape = shape
    }

    /// `file:line: field 'f'` — the form compilers use, so editors can jump to it (`feed`
    /// when no file is named).
    public var location: String {
        var s = file ?? "feed"
        if let line { s += ":\(line)" }
        if let field { s += ": field '\(field)'" }
        return s
    }

    /// `file:line: field 'f': 'value': message`, one line.
    public var description: String {
        var s = location
        if let value { s += ": '\(value)'" }
        return s + ": " + message
    }

    /// The notice codes of the modules above GTFS, as constants (`Finding.Code.unknownTrip`,
    /// …); each module adds its own in an extension. The GTFS reader and validator write the
    /// canonical validator's codes as they are.
    public enum Code {}
}

extension Array where Element == Finding {
    /// The number of errors.
    public var errorCount: Int { count { $0.severity == .error } }
    /// The findings of one code, in order.
    public func with(code: String) -> [Finding] { filter { $0.code == code } }
}
