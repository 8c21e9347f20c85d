import Carbon
import Testing
import TestSupport

/// The ledger backends the shared ledger tests run on: the same tests, the same expectations.
enum Backend: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when a test server is given, and always under CI (where its
    /// absence then fails the tests rather than skipping them).
    static var all: [Backend] { TestPostgres.runs ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// Where a new, empty ledger of this backend is: a file path or a database URL. Open it
    /// as often as needed with `openLedger` (several handles act as several instances).
    func location(_ label: String = "l") throws -> String {
        switch self {
        case .sqlite: try Fixture.folder() + "/\(label).db"
        case .postgres: try TestPostgres.freshDatabase(label)
        }
    }

    /// A new, empty ledger.
    func fresh(_ label: String = "l") throws -> any Ledger {
        try openLedger(try location(label))
    }
}

@Suite("ledger backends")
struct BackendTests {
    @Test("the PostgreSQL test server is configured (skipped, with how to set it up, outside CI)",
          .enabled(if: TestPostgres.runs, Comment(rawValue: TestPostgres.skipMessage)))
    func postgresConfigured() throws {
        let ledger = try Backend.postgres.fresh("configured")
        #expect(ledger.isReachable())
        #expect(ledger.location.hasPrefix("postgres://"))
    }
}
