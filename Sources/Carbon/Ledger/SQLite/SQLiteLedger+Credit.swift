import GTFS
import GRDB
import GRDBSQLite

/// What one credit run keeps between its batches: the rider-day totals it has read or
/// written, so that a rider seen in an earlier batch is not looked up again.
///
/// The totals are trusted only while no other connection has written the ledger: every
/// batch compares SQLite's `PRAGMA data_version` (which changes when another connection
/// commits) with the value its previous batch saw, inside the write lock, and starts afresh
/// when they differ. A batch that fails leaves the session empty. At most
/// ``CreditSession/capacity`` rider-days are kept; past that the session starts afresh, so
/// memory stays bounded however long the log.
///
/// A session belongs to one run on one thread; it is not `Sendable`.
public final class CreditSession {
    /// The most rider-days kept (about 130 bytes each).
    public static let capacity = 400_000
    var totals: [RiderDay: DayTotals] = [:]
    var dataVersion: Int64?

    /// Creates an empty session.
    public init() {}

    /// The totals, if still valid at `version`; the session is left empty.
    func take(at version: Int64) -> [RiderDay: DayTotals] {
        defer { totals = [:]; dataVersion = nil }
        return dataVersion == version ? totals : [:]
    }

    /// Keeps the totals committed at `version`.
    func keep(_ t: [RiderDay: DayTotals], at version: Int64) {
        guard t.count <= CreditSession.capacity else { return }
        totals = t
        dataVersion = version
    }
}

extension SQLiteLedger {
    /// Credits a batch in one `BEGIN IMMEDIATE` transaction: each new key is inserted with its
    /// grams reduced to what the rider's daily caps (all modes, and this mode) still allow;
    /// known keys are duplicates or conflicts. Points = grams ÷ `policy.gramsPerPoint`,
    /// rounded down per entry.
    ///
    /// The work is set-based: the batch's keys are looked up a hundred at a time, the
    /// rider-day totals it needs (sums of the day's credits and reversals) are read a hundred
    /// riders at a time (or taken from `session`), the caps are applied leg by leg in memory,
    /// and the new entries are written a hundred rows per statement, bound through SQLite's C
    /// API.
    /// - Parameter session: pass the same session to every batch of a run to skip re-reading
    ///   the totals of riders seen before (see ``CreditSession``).
    /// - Returns: one outcome per leg, in order.
    /// - Throws: ``CarbonError`` `ledger_write`; then nothing of the batch is stored.
    /// - Complexity: O(legs) work in about legs ÷ 100 statements.
    public func credit(_ legs: [PricedLeg], policy: Policy, methodologyVersion: String,
                       session: CreditSession?) throws(CarbonError) -> [CreditOutcome] {
        try LedgerRules.checkIdentifiers(legs, location: path)
        let now = LedgerRules.utcNow()
        let file = path
        var committed: (totals: [RiderDay: DayTotals], version: Int64)?
        let outcomes = try write("crediting \(legs.count) records") { db in
            guard let connection = db.sqliteConnection else {
                throw CarbonError(.ledgerWrite, file: file, "the ledger connection is closed")
            }
            let sql = try CreditStatements(db, connection: connection, file: file)
            let version = try sql.dataVersion()
            var totals = session?.take(at: version) ?? [:]

            // 1. Keys already in the ledger.
            let known = try sql.knownHashes(Set(legs.map(\.key)))
            // 2. The stored totals of rider-days not yet in memory.
            var missing = Set<RiderDay>()
            for leg in legs where known[leg.key] == nil {
                let rd = RiderDay(rider: leg.riderID, day: leg.day.yyyymmdd)
                if totals[rd] == nil { missing.insert(rd) }
            }
            try sql.loadTotals(missing, into: &totals)
            // Consent, read in this transaction: a withdrawal committed before it holds.
            var consents: [String: Consent?] = [:]
            if policy.consentRequired {
                for leg in legs where known[leg.key] == nil && consents[leg.riderID] == nil {
                    consents[leg.riderID] = .some(try SQLiteLedger.consent(of: leg.riderID, db))
                }
            }
            // 3. Outcomes in order, caps applied leg by leg.
            let (out, rows) = LedgerRules.plan(legs, policy: policy, known: known, totals: &totals, consents: consents)
            // 4. The new entries, in log order.
            try sql.insert(rows, of: legs, methodologyVersion: methodologyVersion, policyVersion: policy.version, recordedAt: now)
            committed = (totals, version)
            return out
        }
        // Only a committed batch's totals are kept.
        if let session, let committed { session.keep(committed.totals, at: committed.version) }
        return outcomes
    }
}

/// SQLite copies a bound value it is given with this destructor.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The statements of a credit batch, prepared on the transaction's connection and bound
/// through SQLite's C API (GRDB's `StatementArguments` boxes every value, which cost more
/// than the inserts themselves at a million legs). Multi-row statements take ``rows`` rows;
/// look-ups pad a short last chunk by repeating a value, which changes nothing.
struct CreditStatements {
    /// Rows per multi-row statement (3 + 100 × 16 parameters stays far below SQLite's limit).
    static let rows = 100
    /// Parameters bound per inserted row (besides the three every row shares).
    static let width = 16

    let connection: OpaquePointer
    let file: String
    let insertMany: OpaquePointer
    let insertOne: OpaquePointer
    let selectHashes: OpaquePointer
    let selectTotals: OpaquePointer
    let dataVersionQuery: OpaquePointer

    /// The statements of `db`'s connection, prepared once per connection and then taken
    /// from GRDB's statement cache: the 100-row insert has 1,600 parameters, and preparing it
    /// costs milliseconds, which a batch of one leg (the service's single-trip requests) must
    /// not pay every time. Every parameter is bound on each use, so nothing of a previous
    /// batch carries over.
    init(_ db: Database, connection: OpaquePointer, file: String) throws(CarbonError) {
        self.connection = connection
        self.file = file
        func prepare(_ sql: String) throws(CarbonError) -> OpaquePointer {
            do {
                return try db.cachedStatement(sql: sql).sqliteStatement
            } catch {
                throw CarbonError(.ledgerWrite, file: file, "cannot prepare a ledger statement (\(error)); is this a ledger file of this version?",
                                  underlying: error)
            }
        }
        let n = CreditStatements.rows
        insertMany = try prepare(CreditStatements.insertSQL(rows: n))
        insertOne = try prepare(CreditStatements.insertSQL(rows: 1))
        selectHashes = try prepare(CreditStatements.selectHashesSQL)
        selectTotals = try prepare(CreditStatements.selectTotalsSQL)
        dataVersionQuery = try prepare("PRAGMA data_version")
    }

    private static func list(_ count: Int, _ group: String) -> String { Array(repeating: group, count: count).joined(separator: ", ") }

    /// An insert of `rows` credit entries; ?1-?3 (methodology, policy, recorded at) are
    /// shared by every row, then ``width`` parameters per row.
    private static func insertSQL(rows: Int) -> String {
        func entryRow(_ base: Int) -> String {
            "('credit', " + (1...width).map { "?\(base + $0)" }.joined(separator: ", ") + ", ?1, ?2, ?3)"
        }
        return """
            INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, metres,
                distance_source, trip_id, grams_priced, grams, points, reason, factor_source, factor_mg_per_pkm,
                methodology_version, policy_version, recorded_at)
            VALUES
            """ + (0..<rows).map { entryRow(3 + $0 * width) }.joined(separator: ", ")
    }

    private static let selectHashesSQL = "SELECT idem_key, content_hash FROM entries WHERE idem_key IN (" + list(rows, "?") + ")"

    private static let selectTotalsSQL = """
        SELECT rider, day, mode, SUM(grams) FROM entries
        WHERE rider IN (\(list(rows, "?"))) AND kind IN ('credit', 'reversal') AND day IS NOT NULL
        GROUP BY rider, day, mode
        """

    private func failure(_ what: String) -> CarbonError {
        let message = String(cString: sqlite3_errmsg(connection)), code = sqlite3_extended_errcode(connection)
        return CarbonError(.ledgerWrite, file: file, "\(what): \(message) (SQLite code \(code))",
                           underlying: DatabaseError(resultCode: ResultCode(rawValue: code), message: message))
    }

    private func bind(_ s: OpaquePointer, _ i: Int32, _ text: String) throws(CarbonError) {
        guard sqlite3_bind_text(s, i, text, -1, transient) == SQLITE_OK else { throw failure("binding parameter \(i)") }
    }

    private func bind(_ s: OpaquePointer, _ i: Int32, _ text: String?) throws(CarbonError) {
        guard let text else {
            guard sqlite3_bind_null(s, i) == SQLITE_OK else { throw failure("binding parameter \(i)") }
            return
        }
        try bind(s, i, text)
    }

    private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Int) throws(CarbonError) {
        guard sqlite3_bind_int64(s, i, sqlite3_int64(value)) == SQLITE_OK else { throw failure("binding parameter \(i)") }
    }

    /// Steps `s` to its end, calling `row` for each result row, then resets it.
    private func forEachRow(_ s: OpaquePointer, _ what: @autoclosure () -> String, _ row: (OpaquePointer) -> Void) throws(CarbonError) {
        defer { sqlite3_reset(s) }
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(what()) }
            row(s)
        }
    }

    private func text(_ s: OpaquePointer, _ column: Int32) -> String {
        sqlite3_column_text(s, column).map { String(cString: $0) } ?? ""
    }

    /// `PRAGMA data_version`: changes when another connection commits.
    func dataVersion() throws(CarbonError) -> Int64 {
        var version: Int64 = 0
        try forEachRow(dataVersionQuery, "reading the data version") { s in version = sqlite3_column_int64(s, 0) }
        return version
    }

    /// The content hash of each of `keys` already in the ledger.
    func knownHashes(_ keys: Set<String>) throws(CarbonError) -> [String: String] {
        var known: [String: String] = [:]
        let all = Array(keys)
        let n = CreditStatements.rows
        for start in stride(from: 0, to: all.count, by: n) {
            for i in 0..<n { try bind(selectHashes, Int32(i + 1), all[min(start + i, all.count - 1)]) }
            try forEachRow(selectHashes, "looking up idempotency keys") { s in known[text(s, 0)] = text(s, 1) }
        }
        return known
    }

    /// Reads the stored totals of `riderDays` into `totals` (zeros for those with none).
    func loadTotals(_ riderDays: Set<RiderDay>, into totals: inout [RiderDay: DayTotals]) throws(CarbonError) {
        guard !riderDays.isEmpty else { return }
        for rd in riderDays { totals[rd] = DayTotals() }
        let riders = Array(Set(riderDays.map(\.rider)))
        let n = CreditStatements.rows
        for start in stride(from: 0, to: riders.count, by: n) {
            for i in 0..<n { try bind(selectTotals, Int32(i + 1), riders[min(start + i, riders.count - 1)]) }
            try forEachRow(selectTotals, "reading day totals") { s in
                let rd = RiderDay(rider: text(s, 0), day: Int32(truncatingIfNeeded: sqlite3_column_int64(s, 1)))
                // Only the days asked for (a rider's other days may be in memory, newer).
                guard riderDays.contains(rd) else { return }
                totals[rd, default: DayTotals()].add(stored: Int(sqlite3_column_int64(s, 3)), mode: Mode(rawValue: text(s, 2)))
            }
        }
    }

    /// Binds one entry's own 16 values from parameter `base + 1`: numbers and NULLs now,
    /// texts appended to `texts` for ``bindTexts(_:_:)``.
    private func bind(_ s: OpaquePointer, _ base: Int32, _ e: NewEntry, _ leg: PricedLeg, _ texts: inout StatementTexts) throws(CarbonError) {
        texts.add(base + 1, leg.key)
        texts.add(base + 2, leg.source)
        texts.add(base + 3, leg.eventID)
        texts.add(base + 4, leg.contentHash)
        texts.add(base + 5, leg.riderID)
        texts.add(base + 6, leg.mode.rawValue)
        try bind(s, base + 7, Int(leg.day.yyyymmdd))
        try bind(s, base + 8, leg.metres)
        texts.add(base + 9, leg.distanceSource.rawValue)
        if let trip = leg.tripID { texts.add(base + 10, trip) } else { try bind(s, base + 10, nil as String?) }
        try bind(s, base + 11, leg.grams)
        try bind(s, base + 12, e.grams)
        try bind(s, base + 13, e.points)
        if e.capped { texts.add(base + 14, "capped") } else { try bind(s, base + 14, nil as String?) }
        texts.add(base + 15, leg.factorSource.rawValue)
        try bind(s, base + 16, leg.factorMilligramsPerKm)
    }

    /// Binds the collected texts in place (no copy by SQLite), runs `s` and resets it.
    private func runWithTexts(_ s: OpaquePointer, _ texts: StatementTexts, _ what: @autoclosure () -> String) throws(CarbonError) {
        let rc: Int32 = texts.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return SQLITE_MISUSE }
            for span in texts.spans {
                let rc = sqlite3_bind_text(s, span.parameter, base + span.start, Int32(span.count), nil)
                guard rc == SQLITE_OK else { return rc }
            }
            let rc = sqlite3_step(s)
            sqlite3_reset(s)
            // The texts are about to change: SQLite must not keep pointers into them.
            sqlite3_clear_bindings(s)
            return rc
        }
        guard rc == SQLITE_DONE else { throw failure(what()) }
    }

    /// Inserts the entries in order: ``rows`` per statement, the rest one by one.
    func insert(_ entries: [NewEntry], of legs: [PricedLeg], methodologyVersion: String, policyVersion: String, recordedAt: String) throws(CarbonError) {
        let n = CreditStatements.rows
        let width = Int32(CreditStatements.width)
        var texts = StatementTexts()
        func shared(_ s: OpaquePointer) throws(CarbonError) {
            try bind(s, 1, methodologyVersion)
            try bind(s, 2, policyVersion)
            try bind(s, 3, recordedAt)
        }
        var start = 0
        while start + n <= entries.count {
            texts.removeAll()
            try shared(insertMany)
            for i in 0..<n {
                let e = entries[start + i]
                try bind(insertMany, 3 + Int32(i) * width, e, legs[e.index], &texts)
            }
            try runWithTexts(insertMany, texts, "inserting the credits of lines \(legs[entries[start].index].line)-\(legs[entries[start + n - 1].index].line)")
            start += n
        }
        for e in entries[start...] {
            let leg = legs[e.index]
            texts.removeAll()
            try shared(insertOne)
            try bind(insertOne, 3, e, leg, &texts)
            try runWithTexts(insertOne, texts, "inserting the credit of line \(leg.line) (event '\(leg.eventID)')")
        }
    }
}

/// The text values of one statement, copied into one buffer that SQLite reads in place
/// (binding each with `SQLITE_TRANSIENT` made SQLite allocate and copy each).
struct StatementTexts {
    /// Starts with one byte, so the buffer has an address even when every text is empty.
    var bytes: [UInt8] = [0]
    var spans: [(parameter: Int32, start: Int, count: Int)] = []

    mutating func add(_ parameter: Int32, _ text: String) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        spans.append((parameter, start, bytes.count - start))
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(0)
        spans.removeAll(keepingCapacity: true)
    }
}
