/// An error that stops a carbon operation: what went wrong, where, and what to do.
///
/// Per-record problems in a trip log are not errors: they become ``Rejection``s and the rest
/// of the batch goes on. These errors are for inputs nothing after can be trusted from (a
/// policy file that does not parse, a ledger that cannot be opened).
public struct CarbonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code to match on (`policy_invalid`, `factors_invalid`, `log_unreadable`, …).
    public let code: String
    /// The file concerned, if any.
    public let file: String?
    /// The 1-based line concerned, if any.
    public let line: Int?
    /// What is wrong and what to do about it.
    public let message: String

    /// Creates an error.
    public init(_ code: String, file: String? = nil, line: Int? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message [code]`.
    public var description: String {
        var s = ""
        if let file { s += file + (line.map { ":\($0)" } ?? "") + ": " }
        return s + message + " [" + code + "]"
    }
}
