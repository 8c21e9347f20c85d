import Carbon
import Testing
import TestSupport

typealias Backend = LedgerBackend

extension LedgerBackend {
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
