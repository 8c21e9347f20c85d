/// The errors of the network module: bad options and inputs that a caller can fix.
///
/// Data defects in a feed (a trip without times, an invalid date) are never errors here: the
/// analyses skip what they cannot use and say so in their results.
public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `--periods` text that does not parse: `piece` is the offending part (the whole text
    /// when it is empty), `reason` says what is wrong with it.
    case invalidPeriod(piece: String, reason: String)
    /// Two periods that share some time (`07:00-09:00` and `08:00-10:00`).
    case overlappingPeriods(String, String)

    /// A one-line message naming the bad input.
    public var description: String {
        switch self {
        case let .invalidPeriod(piece, reason):
            "invalid period '\(piece)': \(reason)"
        case let .overlappingPeriods(a, b):
            "periods '\(a)' and '\(b)' overlap"
        }
    }
}

extension NetworkError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// A `--periods` text does not parse.
        public static let invalidPeriod = Code(rawValue: "invalid_period")
        /// Two periods share some time.
        public static let overlappingPeriods = Code(rawValue: "overlapping_periods")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .invalidPeriod: .invalidPeriod
        case .overlappingPeriods: .overlappingPeriods
        }
    }
}
