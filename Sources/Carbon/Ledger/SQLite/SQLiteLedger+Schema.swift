import GRDB

// The ledger's schema: its migrations, applied by GRDB's migrator, and the adoption of
// ledgers made before the migrator.
extension SQLiteLedger {
    /// The schema migrations, in order, by the name GRDB's migrator records in
    /// `grdb_migrations` once applied.
    static let migrations: [(name: String, sql: String)] = [
        ("v1: entries, day totals, append-only triggers", """
                CREATE TABLE entries (
                    id INTEGER PRIMARY KEY, -- not AUTOINCREMENT: an upsert that does nothing must not use up an id
                    kind TEXT NOT NULL CHECK (kind IN ('credit', 'reversal', 'redemption', 'expiry')),
                    idem_key TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    rider TEXT NOT NULL,
                    mode TEXT,
                    day INTEGER,
                    metres INTEGER,
                    distance_source TEXT,
                    trip_id TEXT,
                    grams_priced INTEGER NOT NULL,
                    grams INTEGER NOT NULL,
                    points INTEGER NOT NULL,
                    reverses INTEGER REFERENCES entries(id),
                    reason TEXT,
                    methodology_version TEXT,
                    policy_version TEXT,
                    recorded_at TEXT NOT NULL
                );
                CREATE INDEX entries_by_rider ON entries(rider, id);
                CREATE UNIQUE INDEX entries_one_reversal ON entries(reverses) WHERE reverses IS NOT NULL;
                CREATE TABLE day_totals (
                    rider TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    mode TEXT NOT NULL,
                    grams INTEGER NOT NULL,
                    PRIMARY KEY (rider, day, mode)
                ) WITHOUT ROWID;
                CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
                    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
                CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
                    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
                """),
        // The caps are summed from the entries themselves (credits and the reversals that free
        // them): one index on (rider, day) serves them and the statements, and a credit no
        // longer costs a `day_totals` upsert. The totals were derived data, so nothing is lost.
        // Credits also record the emission factor that priced them and where it came from
        // (NULL on credits made before).
        ("v2: caps summed from entries by (rider, day); day_totals dropped; factor per credit", """
                DROP INDEX entries_by_rider;
                CREATE INDEX entries_by_rider_day ON entries(rider, day);
                DROP TABLE day_totals;
                ALTER TABLE entries ADD COLUMN factor_source TEXT;
                ALTER TABLE entries ADD COLUMN factor_mg_per_pkm INTEGER;
                """),
        // The carbon service (`transit serve`): API keys (only the SHA-256 of each key; a key
        // can be revoked, nothing else about it changes, none is deleted) and riders' consent
        // entries (append-only; the latest per rider is in force).
        ("v3: API keys; consent entries", """
                CREATE TABLE api_keys (
                    key_id TEXT PRIMARY KEY,
                    key_hash BLOB NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('operator', 'merchant', 'auditor', 'admin')),
                    source TEXT,
                    modes TEXT,
                    name TEXT,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                CREATE TRIGGER api_keys_no_delete BEFORE DELETE ON api_keys
                    BEGIN SELECT RAISE(ABORT, 'api keys are never deleted; revoke them'); END;
                CREATE TRIGGER api_keys_revoke_only BEFORE UPDATE ON api_keys
                    WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
                      OR NEW.key_id IS NOT OLD.key_id OR NEW.key_hash IS NOT OLD.key_hash OR NEW.role IS NOT OLD.role
                      OR NEW.source IS NOT OLD.source OR NEW.modes IS NOT OLD.modes OR NEW.name IS NOT OLD.name
                      OR NEW.created_at IS NOT OLD.created_at
                    BEGIN SELECT RAISE(ABORT, 'an api key can only be revoked, once'); END;
                CREATE TABLE consents (
                    id INTEGER PRIMARY KEY,
                    rider TEXT NOT NULL,
                    sources TEXT NOT NULL,
                    modes TEXT,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE INDEX consents_by_rider ON consents(rider, id);
                CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
                    BEGIN SELECT RAISE(ABORT, 'consent entries are append-only'); END;
                CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
                    BEGIN SELECT RAISE(ABORT, 'consent entries are append-only'); END;
                """),
    ]

    /// GRDB's migrator over ``migrations``. Each migration runs in its own `BEGIN IMMEDIATE`
    /// transaction with foreign keys enforced (as the hand-made steps did), and also sets
    /// `PRAGMA user_version` to its number, as before the migrator: a ledger still says which
    /// schema it has to a binary from before, and to ``adoptUserVersion(_:)``.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (number, migration) in zip(1..., migrations) {
            migrator.registerMigration(migration.name, foreignKeyChecks: .immediate) { db in
                try db.execute(sql: migration.sql)
                try db.execute(sql: "PRAGMA user_version = \(number)")
            }
        }
        return migrator
    }

    /// Brings the ledger to the current schema with GRDB's `DatabaseMigrator`.
    ///
    /// Ledgers made before the migrator count their applied migrations in `PRAGMA user_version`
    /// and have no `grdb_migrations`; ``adoptUserVersion(_:)`` records those first. Then the
    /// migrator applies what is missing. It reads which migrations are applied before it takes
    /// the write lock for each, so two processes creating one new ledger at once can both
    /// start the same migration: the second fails (its table already exists) with nothing
    /// changed, each migration being one transaction. It then tries again and finds the first
    /// one's work recorded; every failed try means another process applied a migration, so
    /// ``migrations``.count retries are enough before the error is real.
    static func migrate(_ pool: DatabasePool) throws {
        try adoptUserVersion(pool)
        let migrator = SQLiteLedger.migrator
        for attempt in 0... {
            do {
                try migrator.migrate(pool)
                return
            } catch where attempt < migrations.count {
                continue
            }
        }
    }

    /// Records in `grdb_migrations` the migrations a ledger made before the migrator already
    /// has (the first `PRAGMA user_version` of ``migrations``), so the migrator does not run
    /// them again.
    ///
    /// The check (no `grdb_migrations` yet) and the record are one `BEGIN IMMEDIATE`
    /// transaction: two processes opening an old ledger at once must not both record it (the
    /// second would fail creating the table), and none may ever see `grdb_migrations` created
    /// but still empty, from which the migrator would re-run v1 on a ledger that has it. A new
    /// (empty) ledger has version 0: nothing to record, the migrator creates the table.
    static func adoptUserVersion(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                guard try !db.tableExists("grdb_migrations") else { return .commit }
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version > 0 else { return .commit }
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                for migration in migrations.prefix(version) {
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.name])
                }
                return .commit
            }
        }
    }

}
