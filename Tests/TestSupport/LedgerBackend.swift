public import Testing

/// The ledger backends the shared ledger tests run on: the same tests, the same expectations.
/// A test asks for a ``location(_:)`` (a file path or a database URL) and opens it with the
/// Carbon library's `openLedger`, as often as it needs (several handles act as several
/// instances).
public enum LedgerBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when a test server is given, and always under CI (where its
    /// absence then fails the tests rather than skipping them).
    public static var all: [LedgerBackend] { TestPostgres.runs ? [.sqlite, .postgres] : [.sqlite] }

    public var testDescription: String { rawValue }

    /// Where a new, empty ledger of this backend is: a file in a new temporary folder, or a
    /// new database on the test server.
    public func location(_ label: String = "l") throws -> String {
        switch self {
        case .sqlite: try TemporaryFolder("ledger-\(label)").file("\(label).db")
        case .postgres: try TestPostgres.freshDatabase(label)
        }
    }
}
