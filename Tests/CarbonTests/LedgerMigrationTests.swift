@testable import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

@Suite("ledger migrations: GRDB's migrator over ledgers made with and without it")
struct LedgerMigrationTests {
    /// Runs a Python `sqlite3` script on the ledger at `path` (argv[1]), with `arguments` after
    /// it, and returns what it printed.
    func python(_ script: String, _ path: String, _ arguments: [String] = []) throws -> String {
        let result = try ChildProcess.run("/usr/bin/env",
                                          ["python3", "-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n" + script, path] + arguments)
        #expect(result.status == 0, "python failed on \(path): \(result.stderr)")
        return result.stdout
    }

    /// The ledger's `user_version`, then its applied migrations in the order recorded.
    let schemaState = """
        print(c.execute("PRAGMA user_version").fetchone()[0])
        print([r[0] for r in c.execute("SELECT identifier FROM grdb_migrations ORDER BY rowid")])
        """

    func expectedState() -> String {
        "\(SQLiteLedger.migrations.count)\n[" + SQLiteLedger.migrations.map { "'\($0.name)'" }.joined(separator: ", ") + "]\n"
    }

    @Test("a fresh ledger records every migration in grdb_migrations, in order, and user_version 3")
    func freshLedger() throws {
        let path = try Fixture.folder() + "/fresh.db"
        _ = try SQLiteLedger(path: path)
        #expect(SQLiteLedger.migrations.count == 3)
        #expect(try python(schemaState, path) == expectedState())
        // Opening it again applies nothing and records nothing twice.
        _ = try SQLiteLedger(path: path)
        #expect(try python(schemaState, path) == expectedState())
    }

    @Test("a v2 ledger made without the migrator opens with it: its migrations recorded, v3 applied, entries kept, nothing re-run")
    func v2WithoutMigrator() throws {
        let path = try Fixture.folder() + "/v2.db"
        let v1 = try #require(SQLiteLedger.migrations.first?.sql), v2 = SQLiteLedger.migrations[1].sql
        _ = try python("""
            c.executescript(sys.argv[2])
            c.executescript(sys.argv[3])
            c.execute("PRAGMA user_version = 2")
            c.execute(\"\"\"INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, metres,
                distance_source, trip_id, grams_priced, grams, points, reason, factor_source, factor_mg_per_pkm,
                methodology_version, policy_version, recorded_at)
                VALUES ('credit', 'old\\x1fv2', 'old', 'v2', 'h', 'R1', 'bike', 20240506, 3000, 'reported', NULL, 510, 500, 50,
                        NULL, 'mode', 0, 'm', 'p', '2024-05-06T00:00:00Z')\"\"\")
            c.commit()
            """, path, [v1, v2])
        #expect(try python("print(c.execute(\"SELECT name FROM sqlite_master WHERE name = 'grdb_migrations'\").fetchall())", path) == "[]\n")

        let ledger = try SQLiteLedger(path: path)
        #expect(try python(schemaState, path) == expectedState())
        let entries = try ledger.entries()
        #expect(entries.map(\.eventID) == ["v2"])
        #expect(entries.first.map { $0.factorSource == "mode" && $0.factorMilligramsPerKm == 0 && $0.points == 50 } == true)
        #expect(try ledger.balance(rider: "R1") == Balance(rider: "R1", grams: 500, points: 50, entries: 1))
        #expect(try python("""
            print(sorted(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'")))
            """, path) == "['api_keys', 'consents', 'consents_by_rider', 'entries', 'entries_by_rider_day', 'entries_one_reversal', 'grdb_migrations']\n")
    }

    @Test("four connection pools opening one new ledger at once all open it, and it is migrated once")
    func concurrentFirstOpen() throws {
        let path = try Fixture.folder() + "/race.db"
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                _ = try SQLiteLedger(path: path)
                outcomes.add("ok")
            } catch {
                outcomes.add("\(error)")
            }
        }
        #expect(outcomes.all == ["ok", "ok", "ok", "ok"])
        #expect(try python(schemaState, path) == expectedState())
        #expect(try SQLiteLedger(path: path).entries().isEmpty)
    }
}
