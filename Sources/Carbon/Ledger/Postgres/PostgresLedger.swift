import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import TransitSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The carbon-points ledger in a shared PostgreSQL database, through vapor/postgres-nio: the
/// engine for several `transit serve` instances writing one ledger at once. Same tables,
/// columns and semantics as ``SQLiteLedger``.
///
/// How it stays exactly once and within the caps when many instances write at once (see
/// `Benchmarks/README.md` for the measured alternatives):
///
/// - Every write runs at READ COMMITTED. A credit batch first takes a transaction-level
///   advisory lock per (rider, day) of its legs, in sorted order: writers of different riders
///   never wait for each other, and two writers of one rider-day take turns, so each reads the
///   day's totals after the other's commit. Deadlocks (possible only through the tail lock's
///   ordering with other lock kinds) and serialization failures are retried.
/// - The batch's known keys, the rider-days' totals (sums of their credits and reversals) and
///   consents are read set-based, three statements whatever the batch size; the caps are
///   applied in memory exactly as on SQLite (``LedgerRules``).
/// - The new entries go in with one multi-row `INSERT … SELECT FROM unnest(…) ON CONFLICT
///   (idem_key) DO NOTHING RETURNING`. A key that another writer stored meanwhile (only
///   possible for the same key with other content, so another rider-day) makes the batch
///   start again, when it is then a conflict.
/// - Just before inserting, a writer takes the ledger's tail lock (one advisory lock) and holds
///   it to its commit: entry ids are then given out in commit order, so a reader paging
///   `entries(after:)` (exports, replicas, ``LedgerCopy``) never skips an entry that commits
///   later with a smaller id. Only the insert and the commit are serialized.
/// - A redemption takes the tail lock before reading the balance, so two merchants redeeming
///   from one balance at once, on any instances, take turns and the balance never goes below
///   zero. An expiry run takes it first too.
/// - Entries and consent entries cannot be updated or deleted (triggers for every role), and
///   the service role ``serviceRole`` has no UPDATE or DELETE right on them.
public struct PostgresLedger: Ledger {
    /// The role the service takes (`SET ROLE`): SELECT and INSERT on entries and consents,
    /// and revoking keys; created by the first migration when the migrating user may.
    public static let serviceRole = "transit_service"

    let pool: PostgresPool
    /// The database, without the password.
    public let location: String
    /// The connection settings.
    public let options: PostgresLedgerOptions

    /// Always `false`: every call is a round trip to the server.
    public var isEmbedded: Bool { false }

    /// Connects to the ledger database at `url` and brings its schema up to date.
    /// - Throws: ``CarbonError`` `ledger_open` when the URL is not valid, the server cannot be
    ///   reached or a migration fails.
    public init(url: String, options: PostgresLedgerOptions = PostgresLedgerOptions()) throws(CarbonError) {
        try self.init(location: try PostgresLocation(url: url), options: options)
    }

    /// Connects to the ledger database at `location` and brings its schema up to date.
    public init(location: PostgresLocation, options: PostgresLedgerOptions = PostgresLedgerOptions()) throws(CarbonError) {
        self.location = location.redacted
        self.options = options
        let tls: PostgresConnection.Configuration.TLS
        do {
            tls = try PostgresLedger.tls(location.sslMode)
        } catch {
            throw CarbonError(.ledgerOpen, file: location.redacted, "cannot set up TLS: \(error)", underlying: error)
        }
        // Migrations run as the login user; the role (if any) is taken afterwards.
        let owner = PostgresPool(location: location, options: PostgresLedgerOptions(poolSize: 1, statementTimeout: .seconds(600),
                                                                                      connectTimeout: options.connectTimeout), tls: tls)
        do {
            try PostgresLedger.migrate(owner)
        } catch {
            throw CarbonError(.ledgerOpen, file: location.redacted,
                              "cannot open the ledger database: \(PostgresLedger.describe(error)); check the URL, that the server runs and the user's rights",
                              underlying: error)
        }
        pool = PostgresPool(location: location, options: options, tls: tls)
    }

    private static func tls(_ mode: String) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case "disable", "allow":
            return .disable
        case "prefer":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: config))
        case "require":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: config))
        default:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    // MARK: Transactions

    /// A batch met a key that another writer stored after it looked: it starts again.
    struct StartAgain: Error {}

    /// `BEGIN` failed (a pooled connection the server had closed): nothing was sent, so the
    /// transaction runs again on another connection.
    struct NotBegun: Error {
        let cause: any Error
    }

    /// Runs `body` in one READ COMMITTED transaction, committing when it returns and rolling
    /// back when it throws; serialization failures, deadlocks and ``StartAgain`` run it again
    /// (up to 20 times, with a short random pause).
    func write<T>(_ what: String, _ body: (PostgresSession) throws -> T) throws(CarbonError) -> T {
        var attempt = 0
        while true {
            do {
                return try pool.withSession { s in
                    do {
                        try s.simple("BEGIN")
                    } catch {
                        throw NotBegun(cause: error)
                    }
                    do {
                        let result = try body(s)
                        try s.simple("COMMIT")
                        return result
                    } catch {
                        _ = try? s.simple("ROLLBACK")
                        throw error
                    }
                }
            } catch let e as CarbonError {
                throw e
            } catch where attempt < 20 && PostgresLedger.isTransient(error) {
                attempt += 1
                usleep(UInt32.random(in: 1_000...(2_000 * UInt32(min(attempt, 10)))))
            } catch {
                let outcome = error is PostgresSession.Abandoned
                    ? "it is stored whole only if the server committed it just before the connection went"
                    : "it was rolled back"
                throw CarbonError(.ledgerWrite, file: location,
                                  "\(what) failed: \(PostgresLedger.describe(error)); \(outcome). Retrying a credit, redemption or reversal is safe: each is keyed to happen once",
                                  underlying: error)
            }
        }
    }

    /// Runs reads outside a transaction (each statement sees what is committed when it starts).
    func read<T>(_ body: (PostgresSession) throws -> T) throws(CarbonError) -> T {
        do {
            return try pool.withSession(body)
        } catch let e as CarbonError {
            throw e
        } catch {
            throw CarbonError(.ledgerRead, file: location, "reading the ledger failed: \(PostgresLedger.describe(error))", underlying: error)
        }
    }

    /// Whether `error` is worth running the transaction again: a serialization failure, a
    /// deadlock, ``StartAgain``, or a connection lost before `BEGIN` (``NotBegun``).
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case is StartAgain:
            return true
        case let e as NotBegun:
            // The connection failed, not the server refusing the transaction.
            return e.cause is PostgresSession.Abandoned || (e.cause as? PSQLError).map { $0.serverInfo == nil } == true
        case let e as PSQLError:
            let state = e.serverInfo?[.sqlState]
            return state == "40001" || state == "40P01"
        default:
            return false
        }
    }

    /// A message for `error` without SQL or bound values: the server's message and state, or
    /// the connection failure.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo {
                return "\(info[.message] ?? "server error") (SQLSTATE \(info[.sqlState] ?? "?"))"
            }
            return "connection: \(e.code)" + (e.underlying.map { " (\($0))" } ?? "")
        }
        if error is PostgresSession.Abandoned { return "the connection closed before the server answered" }
        if let e = error as? NotBegun { return describe(e.cause) }
        return "\(error)"
    }

    /// Takes the ledger's tail lock for the rest of the transaction (see the type's notes).
    static func lockTail(_ s: PostgresSession) throws {
        try s.run("SELECT pg_advisory_xact_lock(\(LockKeys.tail))")
    }

    // MARK: Reads

    public func balance(rider: String) throws(CarbonError) -> Balance {
        try read { s in
            let row = try s.rows("""
                SELECT COALESCE(SUM(grams), 0)::bigint AS g, COALESCE(SUM(points), 0)::bigint AS p, COUNT(*) AS n
                FROM entries WHERE rider = \(rider)
                """).first?.makeRandomAccess()
            return Balance(rider: rider, grams: try row?["g"].decode(Int.self) ?? 0, points: try row?["p"].decode(Int.self) ?? 0,
                           entries: try row?["n"].decode(Int.self) ?? 0)
        }
    }

    public func statement(rider: String, after cursor: Int64?, limit: Int) throws(CarbonError) -> [LedgerEntry] {
        try read { s in
            try s.rows("SELECT * FROM entries WHERE rider = \(rider) AND id > \(cursor ?? 0) ORDER BY id LIMIT \(max(0, limit))")
                .map(LedgerEntry.init(row:))
        }
    }

    public func entries(after cursor: Int64?, limit: Int) throws(CarbonError) -> [LedgerEntry] {
        try read { s in
            try s.rows("SELECT * FROM entries WHERE id > \(cursor ?? 0) ORDER BY id LIMIT \(max(0, limit))").map(LedgerEntry.init(row:))
        }
    }

    public func isReachable() -> Bool {
        (try? read { s in try s.rows("SELECT 1") }) != nil
    }

    public func lastEntryID() throws(CarbonError) -> Int64 {
        try read { s in try s.rows("SELECT COALESCE(MAX(id), 0)::bigint AS id FROM entries").first?.makeRandomAccess()["id"].decode(Int64.self) ?? 0 }
    }
}

/// The advisory-lock keys (64-bit) of the ledger's locks: FNV-1a of a name, so the locks of
/// riders and rider-days spread over the key space. Two names that collide only make their
/// writers take turns.
enum LockKeys {
    /// Held from a writer's first entry insert to its commit: ids in commit order.
    static let tail: Int64 = 0x7472_616E_7369_7401
    /// Held while migrating.
    static let migrations: Int64 = 0x7472_616E_7369_7402

    /// The key of a rider-day.
    static func riderDay(_ rider: String, _ day: Int32) -> Int64 {
        fnv1a("rd\u{1F}" + rider + "\u{1F}" + String(day))
    }

    /// The key of a rider.
    static func rider(_ rider: String) -> Int64 {
        fnv1a("r\u{1F}" + rider)
    }

    private static func fnv1a(_ text: String) -> Int64 { Int64(bitPattern: fnv1a64(text)) }
}

extension LedgerEntry {
    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(id: try r["id"].decode(Int64.self), kind: EntryKind(rawValue: try r["kind"].decode(String.self)) ?? .credit,
                  key: try r["idem_key"].decode(String.self), source: try r["source"].decode(String.self),
                  eventID: try r["event_id"].decode(String.self), contentHash: try r["content_hash"].decode(String.self),
                  rider: try r["rider"].decode(String.self), mode: try r["mode"].decode(String?.self), day: try r["day"].decode(Int32?.self),
                  metres: try r["metres"].decode(Int?.self), distanceSource: try r["distance_source"].decode(String?.self),
                  tripID: try r["trip_id"].decode(String?.self), factorSource: try r["factor_source"].decode(String?.self),
                  factorMilligramsPerKm: try r["factor_mg_per_pkm"].decode(Int?.self), gramsPriced: try r["grams_priced"].decode(Int.self),
                  grams: try r["grams"].decode(Int.self), points: try r["points"].decode(Int.self), reverses: try r["reverses"].decode(Int64?.self),
                  reason: try r["reason"].decode(String?.self), methodologyVersion: try r["methodology_version"].decode(String?.self),
                  policyVersion: try r["policy_version"].decode(String?.self), recordedAt: try r["recorded_at"].decode(String.self))
    }
}
