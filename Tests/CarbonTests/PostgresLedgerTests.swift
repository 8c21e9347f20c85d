import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

/// What only the PostgreSQL backend has: URLs and passwords, versioned migrations, the
/// database's own refusals, and copying between backends. (The ledger's semantics are tested
/// on both backends by the shared suites.)
@Suite("PostgreSQL ledger", .enabled(if: TestPostgres.runs, Comment(rawValue: TestPostgres.skipMessage)))
struct PostgresLedgerTests {
    let policy: Policy
    let pricer: Pricer

    init() throws {
        policy = try Fixture.policy(perTrip: 5000, perRiderDay: 1000, perModeDay: ["bike": 600])
        pricer = Pricer(factors: try Fixture.factors(), policy: policy)
    }

    func leg(_ event: String, rider: String = "R1", mode: String = "bus", metres: Double = 10_000, day: Int = 6) throws -> PricedLeg {
        try Fixture.priced(pricer, Fixture.trip(event, rider: rider, mode: mode, metres: metres,
                                                start: String(format: "2024-05-%02dT07:00:00+08:00", day)))
    }

    @Test("the schema is recorded in schema_migrations; opening again or from several processes at once migrates once")
    func migrationsAreVersioned() throws {
        let url = try TestPostgres.freshDatabase("migrate")
        // Eight handles opening a new database at once.
        let errors = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { _ = try PostgresLedger(url: url) } catch { errors.add("\(error)") }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        let rows = try TestPostgres.psql(url, "SELECT version || '|' || name FROM schema_migrations ORDER BY version")
        #expect(rows.split(separator: "\n").count == 1)
        #expect(rows.hasPrefix("1|v1: entries"))
        let tables = try TestPostgres.psql(url, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "api_keys,consents,entries,schema_migrations")
    }

    @Test("the database refuses to update, delete or truncate entries and consents for every role; the service role lacks the rights too")
    func appendOnlyInTheDatabase() throws {
        let url = try TestPostgres.freshDatabase("appendonly")
        let ledger = try PostgresLedger(url: url)
        _ = try ledger.credit([try leg("e1")], policy: policy, methodologyVersion: "m")
        _ = try ledger.recordConsent(rider: "R1", sources: ["app"], modes: nil, recordedBy: "k_test")
        let key = try ledger.createKey(role: .auditor)
        for sql in ["UPDATE entries SET grams = 1", "DELETE FROM entries", "TRUNCATE entries CASCADE", "UPDATE consents SET sources = 'x'",
                    "DELETE FROM consents", "DELETE FROM api_keys", "UPDATE api_keys SET role = 'admin'"] {
            #expect(throws: TestPostgres.Failure.self, "\(sql) as the owner") { try TestPostgres.psql(url, sql) }
            #expect(throws: TestPostgres.Failure.self, "\(sql) as transit_service") {
                try TestPostgres.psql(url, "SET ROLE transit_service; " + sql)
            }
        }
        // What the service role may do: read, append, revoke a key once.
        #expect(try TestPostgres.psql(url, "SET ROLE transit_service; SELECT count(*) FROM entries").contains("1"))
        #expect(try TestPostgres.psql(url, "SET ROLE transit_service; UPDATE api_keys SET revoked_at = 'now' WHERE key_id = '\(key.record.id)'").isEmpty)
        let denied = try TestPostgres.psql(url, "SELECT has_table_privilege('transit_service', 'entries', 'UPDATE')::text || has_table_privilege('transit_service', 'entries', 'DELETE')::text")
        #expect(denied.trimmingCharacters(in: .whitespacesAndNewlines) == "falsefalse")
        #expect(try ledger.balance(rider: "R1").grams == 730)
        #expect(try ledger.entries().count == 1)
    }

    @Test("a ledger opened with the service role credits, redeems and revokes like the owner")
    func serviceRoleWorks() throws {
        let url = try TestPostgres.freshDatabase("role")
        _ = try PostgresLedger(url: url)
        let ledger = try PostgresLedger(url: url, options: PostgresLedgerOptions(poolSize: 2, role: PostgresLedger.serviceRole))
        #expect(try ledger.credit([try leg("e1")], policy: policy, methodologyVersion: "m") == [.credited(grams: 730, points: 73, capped: false)])
        #expect(try ledger.redeem(rider: "R1", points: 10, reference: "v1").balance == 63)
        let key = try ledger.createKey(role: .merchant)
        #expect(try ledger.revokeKey(id: key.record.id).revokedAt != nil)
        #expect(try ledger.reverse(eventID: "e1", reason: "test").points == -73)
    }

    @Test("URLs: user, password, host, port, database and sslmode; the password from PGPASSWORD or a .pgpass-form file; errors name the part")
    func urls() throws {
        let full = try PostgresLocation(url: "postgres://carbon:s%3Acret@db.example:6543/ledger?sslmode=require", environment: [:])
        #expect(full.user == "carbon" && full.password == "s:cret" && full.host == "db.example" && full.port == 6543)
        #expect(full.database == "ledger" && full.sslMode == "require")
        #expect(full.redacted == "postgres://carbon@db.example:6543/ledger?sslmode=require")
        #expect(!full.redacted.contains("cret"))
        let env = try PostgresLocation(url: "postgresql://carbon@[::1]/ledger", environment: ["PGPASSWORD": "from-env"])
        #expect(env.host == "::1" && env.port == 5432 && env.password == "from-env")
        let folder = try TemporaryFolder("pgpass")
        defer { folder.remove() }
        let file = folder.file("pgpass")
        try "# comment\nother:5432:*:carbon:wrong\ndb.example:5432:ledger:carbon:pa\\:ss\n".write(toFile: file, atomically: true, encoding: .utf8)
        let pass = try PostgresLocation(url: "postgres://carbon@db.example/ledger?passfile=\(file)", environment: [:])
        #expect(pass.password == "pa:ss")
        let viaEnv = try PostgresLocation(url: "postgres://carbon@db.example/ledger", environment: ["PGPASSFILE": file])
        #expect(viaEnv.password == "pa:ss")
        for bad in ["postgres://host", "postgres://u@h:99999/db", "postgres://u@h/db?sslmode=maybe", "postgres://u@h/"] {
            #expect(throws: CarbonError.self, "\(bad)") { try PostgresLocation(url: bad, environment: [:]) }
        }
        #expect(PostgresLocation.isURL("postgres://x/y") && PostgresLocation.isURL("postgresql://x/y") && !PostgresLocation.isURL("/tmp/l.db"))
    }

    @Test("an unreachable server is ledger_open naming the URL without its password")
    func unreachable() throws {
        do {
            _ = try openLedger("postgres://carbon:secret@127.0.0.1:1/ledger", postgres: PostgresLedgerOptions(connectTimeout: .seconds(2)))
            Issue.record("opened a ledger on port 1")
        } catch {
            #expect(error.code == .ledgerOpen)
            #expect(error.description.contains("postgres://carbon@127.0.0.1:1/ledger") && !error.description.contains("secret"))
        }
    }

    @Test("copy SQLite → PostgreSQL → SQLite: the same entries, balances, keys and consents; an interrupted copy resumes; a diverged destination is refused")
    func copyRoundTrip() throws {
        let source = try SQLiteLedger(path: try Fixture.folder() + "/source.db")
        var legs: [PricedLeg] = []
        for i in 0..<1_500 { legs.append(try leg("e\(i)", rider: "R\(i % 97)", mode: i % 3 == 0 ? "bike" : "bus", metres: Double(1_000 + i % 700), day: 1 + i % 20)) }
        _ = try source.credit(legs, policy: policy, methodologyVersion: "m")
        _ = try source.reverse(eventID: "e7", reason: "fraud")
        _ = try source.redeem(rider: "R3", points: 5, reference: "voucher-1")
        _ = try source.expire(asOf: try #require(GTFSDate("20240601")), validDays: 10)
        let key = try source.createKey(role: .operator, source: "app", modes: [.bus], name: "app")
        _ = try source.revokeKey(id: try source.createKey(role: .auditor).record.id)
        _ = try source.recordConsent(rider: "R1", sources: ["app"], modes: [.bus], recordedBy: key.record.id)

        let middle = try PostgresLedger(url: try TestPostgres.freshDatabase("copy"))
        // Interrupted after two pages: copy the first 400 entries by hand, then resume.
        try middle.append(copied: Array(try source.entries(after: nil, limit: 400)))
        let resumed = try LedgerCopy.copy(from: source, to: middle, pageSize: 250)
        #expect(resumed.entriesAlreadyThere == 400)
        #expect(Int64(resumed.entries) + resumed.entriesAlreadyThere == resumed.lastEntryID)
        let back = try SQLiteLedger(path: try Fixture.folder() + "/back.db")
        _ = try LedgerCopy.copy(from: middle, to: back)

        #expect(try Fixture.comparable(middle) == Fixture.comparable(source))
        #expect(try Fixture.comparable(back) == Fixture.comparable(source))
        #expect(try back.entries().map(\.recordedAt) == source.entries().map(\.recordedAt))
        for r in 0..<97 { #expect(try back.balance(rider: "R\(r)") == source.balance(rider: "R\(r)")) }
        #expect(try middle.keys() == source.keys() && back.keys() == source.keys())
        #expect(try middle.authenticate(token: key.secret)?.id == key.record.id)
        #expect(try back.consent(rider: "R1") == source.consent(rider: "R1"))
        // Copying again adds nothing; new entries in the source are appended.
        #expect(try LedgerCopy.copy(from: source, to: middle).entries == 0)
        _ = try source.credit([try leg("late", rider: "R5")], policy: policy, methodologyVersion: "m")
        #expect(try LedgerCopy.copy(from: source, to: middle).entries == 1)
        // The destination then goes its own way: copying into it again is refused.
        _ = try middle.credit([try leg("own", rider: "R6")], policy: policy, methodologyVersion: "m")
        _ = try source.credit([try leg("later", rider: "R7")], policy: policy, methodologyVersion: "m")
        do {
            _ = try LedgerCopy.copy(from: source, to: middle)
            Issue.record("copied into a diverged ledger")
        } catch {
            #expect(error.code == .copyMismatch)
        }
    }
}
