/// An error that stops a carbon operation: what went wrong, where, and what to do.
///
/// Per-record problems in a trip log are not errors: they become ``Rejection``s and the rest
/// of the batch goes on. These errors are for inputs nothing after can be trusted from (a
/// policy file that does not parse, a ledger that cannot be opened).
///
/// Match on ``code`` (`catch let e as CarbonError where e.code == .insufficientPoints`); the
/// message is for people. When the error wraps another one (SQLite's, a JSON decoder's),
/// ``underlying`` keeps it.
public struct CarbonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code to match on. Its ``rawValue`` is the snake_case text printed after the
    /// message and written in JSON (`policy_invalid`, `ledger_write`, …).
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code as printed.
        public let rawValue: String

        /// A code from its printed form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// The trip log cannot be opened or read.
        public static let logUnreadable = Code(rawValue: "log_unreadable")
        /// A CSV trip log is empty or its header lacks a required column.
        public static let logHeader = Code(rawValue: "log_header")
        /// The policy file cannot be read.
        public static let policyUnreadable = Code(rawValue: "policy_unreadable")
        /// The policy does not parse or a value is out of its domain.
        public static let policyInvalid = Code(rawValue: "policy_invalid")
        /// The factor-set file cannot be read.
        public static let factorsUnreadable = Code(rawValue: "factors_unreadable")
        /// The factor set does not parse or a factor is out of its domain.
        public static let factorsInvalid = Code(rawValue: "factors_invalid")
        /// A per-route factor table has a bad header, row or value.
        public static let routeFactorsInvalid = Code(rawValue: "route_factors_invalid")
        /// Occupancy was to be measured from ridership counts, but there are none.
        public static let noRidership = Code(rawValue: "no_ridership")
        /// The pseudonymization secret is shorter than 16 bytes.
        public static let secretTooShort = Code(rawValue: "secret_too_short")
        /// The ledger cannot be opened or migrated.
        public static let ledgerOpen = Code(rawValue: "ledger_open")
        /// A ledger write failed and was rolled back.
        public static let ledgerWrite = Code(rawValue: "ledger_write")
        /// Reading the ledger failed.
        public static let ledgerRead = Code(rawValue: "ledger_read")
        /// No credit has the event id to reverse.
        public static let notFound = Code(rawValue: "not_found")
        /// The event id to reverse was credited from several sources.
        public static let ambiguousEvent = Code(rawValue: "ambiguous_event")
        /// The credit was already reversed.
        public static let alreadyReversed = Code(rawValue: "already_reversed")
        /// The points' validity for an expiry is out of range.
        public static let invalidExpiry = Code(rawValue: "invalid_expiry")
        /// A redemption asks for no points or has no reference.
        public static let invalidRedemption = Code(rawValue: "invalid_redemption")
        /// A redemption reference was already used with other terms.
        public static let referenceConflict = Code(rawValue: "reference_conflict")
        /// The rider has fewer points than the redemption asks.
        public static let insufficientPoints = Code(rawValue: "insufficient_points")
        /// An API key's role, source or modes do not fit together.
        public static let invalidKey = Code(rawValue: "invalid_key")
        /// A consent names no rider or a malformed source.
        public static let invalidConsent = Code(rawValue: "invalid_consent")
        /// The destination of a ledger copy holds entries that are not the source's.
        public static let copyMismatch = Code(rawValue: "copy_mismatch")
        /// An identifier given to the ledger (event id, rider id, source, trip id, reference)
        /// is longer than ``LedgerRules/maxIdentifierBytes``.
        public static let fieldTooLong = Code(rawValue: "field_too_long")
    }

    /// What went wrong, to match on.
    public let code: Code
    /// The file concerned, if any.
    public let file: String?
    /// The 1-based line concerned, if any.
    public let line: Int?
    /// What is wrong and what to do about it.
    public let message: String
    /// The error this one wraps (SQLite's, a JSON decoder's), if any; its text is already in
    /// ``message``.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, file: String? = nil, line: Int? = nil, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
        self.underlying = underlying
    }

    /// `file:line: message [code]`.
    public var description: String {
        var s = ""
        if let file { s += file + (line.map { ":\($0)" } ?? "") + ": " }
        return s + message + " [" + code.rawValue + "]"
    }

    /// Two errors are equal when their code, place and message are (``underlying`` is not
    /// compared: errors are not `Equatable` in general, and its text is in the message).
    public static func == (a: CarbonError, b: CarbonError) -> Bool {
        a.code == b.code && a.file == b.file && a.line == b.line && a.message == b.message
    }
}
