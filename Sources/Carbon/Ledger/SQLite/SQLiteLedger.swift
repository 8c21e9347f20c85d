import GTFS
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LedgerEntry {
    init(row: Row) {
        self.init(id: row["id"], kind: EntryKind(rawValue: row["kind"] ?? "") ?? .credit, key: row["idem_key"], source: row["source"],
                  eventID: row["event_id"], contentHash: row["content_hash"], rider: row["rider"], mode: row["mode"], day: row["day"],
                  metres: row["metres"], distanceSource: row["distance_source"], tripID: row["trip_id"],
                  factorSource: row["factor_source"], factorMilligramsPerKm: row["factor_mg_per_pkm"], gramsPriced: row["grams_priced"],
                  grams: row["grams"], points: row["points"], reverses: row["reverses"], reason: row["reason"],
                  methodologyVersion: row["methodology_version"], policyVersion: row["policy_version"], recordedAt: row["recorded_at"])
    }
}

/// The carbon-points ledger: one SQLite file (WAL) through GRDB, append-only.
///
/// - Exactly once: every credit has a permanent idempotency key (source + event id, UNIQUE);
///   re-crediting the same record credits nothing (``CreditOutcome/duplicate``), the same key
///   with different content is a ``CreditOutcome/conflict(existingHash:)``.
/// - Daily caps are enforced inside the write transaction (`BEGIN IMMEDIATE`, one writer at a
///   time), from the rider's credits and reversals of that day (index on rider and day), so
///   they hold across batches, processes and concurrent writers.
/// - A batch commits in one transaction: a process killed mid-batch leaves the ledger as
///   after the previous batch, and re-running the log converges to the same ledger.
/// - Entries cannot be updated or deleted (triggers refuse); corrections are reversals.
public struct SQLiteLedger: Ledger {
    let pool: DatabasePool
    /// The ledger file.
    public let path: String

    public var location: String { path }

    /// Always `true`: a file on this machine.
    public var isEmbedded: Bool { true }

    /// Opens (creating and migrating when needed) the ledger at `path`.
    /// - Throws: ``CarbonError`` `ledger_open` when the file cannot be opened or migrated.
    /// - Parameter automaticCheckpoints: `false` leaves copying the write-ahead log into the
    ///   database file to ``checkpoint()`` (a long-running service calls it from a thread of
    ///   its own, so no write waits for a checkpoint); the CLI's commands checkpoint as they
    ///   write.
    public init(path: String, automaticCheckpoints: Bool = true) throws(CarbonError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(120)
        // A 64 MiB page cache per connection: the unique key and rider indexes take random
        // inserts, which with SQLite's default 2 MiB cache re-read pages from the file.
        // Checkpoints every 128 MiB of WAL rather than 4 MiB, so index pages that several
        // batches touch are copied into the database file once. `synchronous` stays FULL: a
        // committed batch survives a power cut too.
        let checkpointPages = automaticCheckpoints ? 32_768 : 0
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = \(checkpointPages)")
        }
        do {
            pool = try SQLiteLedger.openPool(path: path, configuration: config)
            try SQLiteLedger.migrate(pool)
        } catch {
            throw CarbonError(.ledgerOpen, file: path, "cannot open the ledger: \(error); check the path and that it is a ledger file",
                              underlying: error)
        }
    }

    /// Opens the pool, retrying while another process holds the new file's lock.
    ///
    /// A pool switches a new database file to WAL (`PRAGMA journal_mode = WAL`). When several
    /// processes create the same new ledger at once, that switch can meet another's lock and
    /// fail at once with `SQLITE_BUSY`: SQLite does not wait on the busy handler there. Nothing
    /// was changed by the failed open, so it is tried again after a short pause (up to about
    /// 10 s in all); any other error, or a lock held longer than that, is thrown.
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 200 {
                attempt += 1
                usleep(UInt32(10_000 + 2_000 * min(attempt, 20)))
            }
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (one writer at a time), committing
    /// when it returns and rolling back when it throws. `what` names the operation in errors.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(CarbonError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else {
                    throw CarbonError(.ledgerWrite, file: path, "\(what): the transaction returned nothing; nothing was committed")
                }
                return result
            }
        } catch let e as CarbonError {
            throw e
        } catch {
            throw CarbonError(.ledgerWrite, file: path, "\(what) failed and was rolled back: \(error); check the ledger file and retry",
                              underlying: error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(CarbonError) -> T {
        do {
            return try pool.read { db in try body(db) }
        } catch let e as CarbonError {
            throw e
        } catch {
            throw CarbonError(.ledgerRead, file: path, "reading the ledger failed: \(error)", underlying: error)
        }
    }

    /// Reverses the credit of `eventID` once: like ``reverse(eventID:source:reason:)``, but a
    /// credit already reversed returns that reversal instead of an error, so a caller may
    /// retry (the HTTP service's `POST /v1/reversals`).
    /// - Throws: ``CarbonError`` `not_found` or `ambiguous_event`.
    public func reversal(eventID: String, source: String?, reason: String) throws(CarbonError) -> ReversalOutcome {
        let now = LedgerRules.utcNow()
        let p = path
        try LedgerRules.checkLength(eventID, field: "event_id", location: p)
        return try write("reversing \(eventID)") { db in
            // With the source, the unique key finds the credit; without, a scan (no index on
            // event_id: it would cost every credit a random index insert for a rare command).
            let sql: String
            let args: StatementArguments
            if let source {
                sql = "SELECT * FROM entries WHERE idem_key = ? AND kind = 'credit'"
                args = [source + "\u{1F}" + eventID]
            } else {
                sql = "SELECT * FROM entries WHERE kind = 'credit' AND event_id = ?"
                args = [eventID]
            }
            let credits = try Row.fetchAll(db, sql: sql, arguments: args).map(LedgerEntry.init(row:))
            let credit = try LedgerRules.creditToReverse(credits, eventID: eventID, source: source, location: p)
            if let done = try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE reverses = ?", arguments: [credit.id]) {
                return .alreadyReversed(LedgerEntry(row: done))
            }
            try db.execute(sql: """
                INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, metres, distance_source,
                    trip_id, grams_priced, grams, points, reverses, reason, factor_source, factor_mg_per_pkm,
                    methodology_version, policy_version, recorded_at)
                VALUES ('reversal', ?, ?, ?, '', ?, ?, ?, NULL, NULL, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [LedgerRules.reversalKey(of: credit.id), credit.source, credit.eventID, credit.rider, credit.mode, credit.day,
                                 credit.tripID, -credit.grams, -credit.points, credit.id, reason,
                                 credit.factorSource, credit.factorMilligramsPerKm,
                                 credit.methodologyVersion, credit.policyVersion, now])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE id = ?", arguments: [db.lastInsertedRowID])
            guard let row else { throw CarbonError(.ledgerWrite, file: p, "the reversal entry vanished") }
            return .reversed(LedgerEntry(row: row))
        }
    }

    /// The rider's balance: the sums of their entries' grams and points.
    public func balance(rider: String) throws(CarbonError) -> Balance {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COALESCE(SUM(grams), 0) AS g, COALESCE(SUM(points), 0) AS p, COUNT(*) AS n FROM entries WHERE rider = ?", arguments: [rider])
            return Balance(rider: rider, grams: row?["g"] ?? 0, points: row?["p"] ?? 0, entries: row?["n"] ?? 0)
        }
    }

    /// One page of the rider's entries in commit order: those with an id after `cursor` (all
    /// when `nil`), at most `limit`. The last entry's id is the next page's cursor.
    public func statement(rider: String, after cursor: Int64?, limit: Int) throws(CarbonError) -> [LedgerEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM entries WHERE rider = ? AND id > ? ORDER BY id LIMIT ?",
                             arguments: [rider, cursor ?? 0, max(0, limit)]).map(LedgerEntry.init(row:))
        }
    }

    /// One page of every entry in commit order: those with an id after `cursor` (all when
    /// `nil`), at most `limit`; the last entry's id is the next page's cursor.
    public func entries(after cursor: Int64?, limit: Int) throws(CarbonError) -> [LedgerEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM entries WHERE id > ? ORDER BY id LIMIT ?",
                             arguments: [cursor ?? 0, max(0, limit)]).map(LedgerEntry.init(row:))
        }
    }

    /// Copies what the write-ahead log holds into the database file, on a connection of its
    /// own, for ledgers opened with `automaticCheckpoints: false` (a long-running service
    /// calls it from a thread of its own, often).
    ///
    /// First a passive checkpoint, which waits for no reader or writer: writes go on
    /// meanwhile. Readers that keep older snapshots can stop it short of the log's end, and
    /// under steady traffic it then never catches up and the log only grows. So when the log
    /// is past `truncateAbovePages` pages after it, a truncating checkpoint follows: it waits
    /// up to 100 ms for the writer and the readers, copies the few pages left and empties the
    /// log file. If they do not let go in time, nothing changes and the next call tries again.
    /// - Returns: the pages the log held and how many of them are now in the database file.
    @discardableResult
    public func checkpoint(truncateAbovePages: Int = 16_384) throws(CarbonError) -> (logPages: Int, checkpointed: Int) {
        do {
            var config = Configuration()
            config.busyMode = .timeout(0.1)
            let queue = try DatabaseQueue(path: path, configuration: config)
            return try queue.writeWithoutTransaction { db in
                let passive = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                let log: Int = passive?[1] ?? 0, done: Int = passive?[2] ?? 0
                guard log > truncateAbovePages else { return (log, done) }
                let truncate = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                let busy: Int = truncate?[0] ?? 1
                return busy == 0 ? (log, log) : (log, done)
            }
        } catch {
            throw CarbonError(.ledgerWrite, file: path, "the checkpoint failed: \(error); the log stays as it is and the next checkpoint tries again",
                              underlying: error)
        }
    }

    /// Whether the ledger can be read now (the service's readiness).
    public func isReachable() -> Bool {
        (try? read { db in try Int.fetchOne(db, sql: "SELECT 1") }) != nil
    }

    public func lastEntryID() throws(CarbonError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM entries") ?? 0 }
    }

    public func append(copied entries: [LedgerEntry]) throws(CarbonError) {
        try write("copying \(entries.count) entries") { db in
            for e in entries {
                try db.execute(sql: """
                    INSERT INTO entries (id, kind, idem_key, source, event_id, content_hash, rider, mode, day, metres, distance_source,
                        trip_id, grams_priced, grams, points, reverses, reason, factor_source, factor_mg_per_pkm,
                        methodology_version, policy_version, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [e.id, e.kind.rawValue, e.key, e.source, e.eventID, e.contentHash, e.rider, e.mode, e.day, e.metres,
                                     e.distanceSource, e.tripID, e.gramsPriced, e.grams, e.points, e.reverses, e.reason, e.factorSource,
                                     e.factorMilligramsPerKm, e.methodologyVersion, e.policyVersion, e.recordedAt])
            }
        }
    }
}
