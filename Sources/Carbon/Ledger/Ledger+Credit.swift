import GTFS
import GRDB
import GRDBSQLite

extension Ledger {
    /// Credits a batch in one `BEGIN IMMEDIATE` transaction: each new key is inserted with its
    /// grams reduced to what the rider's daily caps (all modes, and this mode) still allow;
    /// known keys are duplicates or conflicts. Points = grams ÷ `policy.gramsPerPoint`,
    /// rounded down per entry.
    ///
    /// Legs are taken in order. A leg's insert does nothing when its key is already in the
    /// ledger (or earlier in the batch); then the stored content hash decides between
    /// ``CreditOutcome/duplicate`` and ``CreditOutcome/conflict(existingHash:)`` and the caps
    /// are untouched. The statements are prepared once per batch and bound directly.
    /// - Returns: one outcome per leg, in order.
    /// - Throws: ``CarbonError`` `ledger_write`; then nothing of the batch is stored.
    /// - Complexity: O(legs) statements: one insert per leg, one day-total look-up per new
    ///   rider and day, one upsert per changed day total, one hash look-up per known key.
    public func credit(_ legs: [PricedLeg], policy: Policy, methodologyVersion: String) throws(CarbonError) -> [CreditOutcome] {
        let now = Ledger.utcNow()
        let file = path
        return try write("crediting \(legs.count) records") { db in
            guard let connection = db.sqliteConnection else {
                throw CarbonError("ledger_write", file: file, "the ledger connection is closed")
            }
            let sql = try CreditStatements(connection, file: file)
            defer { sql.finalize() }

            var totals: [RiderDay: DayTotals] = [:]
            var out: [CreditOutcome] = []
            out.reserveCapacity(legs.count)
            for leg in legs {
                let riderDay = RiderDay(rider: leg.riderID, day: leg.day.yyyymmdd)
                var day: DayTotals
                if let known = totals[riderDay] { day = known } else { day = try sql.dayTotals(riderDay) }
                let slot = leg.mode.slot
                let room = max(0, min(policy.caps.perRiderDayGrams - day.all, policy.caps.modeDay(leg.mode) - day.grams[slot]))
                let grams = min(leg.grams, room)
                let points = grams / policy.gramsPerPoint
                let capped = grams < leg.gramsUncapped
                if try sql.insert(leg, grams: grams, points: points, capped: capped, methodologyVersion: methodologyVersion,
                                  policyVersion: policy.version, recordedAt: now) {
                    day.add(grams, slot: slot)
                    out.append(.credited(grams: grams, points: points, capped: capped))
                } else {
                    let hash = try sql.contentHash(leg.key)
                    out.append(hash == leg.contentHash ? .duplicate : .conflict(existingHash: hash))
                }
                totals[riderDay] = day
            }
            // The changed day totals, in key order (neighbouring pages of the primary key).
            let changed = totals.filter { $0.value.dirty != 0 }.sorted { $0.key < $1.key }
            for (riderDay, day) in changed {
                for mode in Mode.allCases where day.dirty & (1 << mode.slot) != 0 {
                    try sql.upsert(riderDay, mode: mode, grams: day.grams[mode.slot])
                }
            }
            return out
        }
    }
}

/// A rider and a cap day (`YYYYMMDD`).
struct RiderDay: Hashable, Comparable {
    let rider: String
    let day: Int32

    static func < (a: RiderDay, b: RiderDay) -> Bool { a.rider != b.rider ? a.rider < b.rider : a.day < b.day }
}

/// A rider-day's credited grams per mode (indexed by ``Mode/slot``), and which changed.
struct DayTotals {
    var grams = [Int](repeating: 0, count: Mode.allCases.count)
    var all = 0
    var dirty: UInt32 = 0

    mutating func add(_ g: Int, slot: Int) {
        grams[slot] += g
        all += g
        dirty |= 1 << slot
    }
}

extension Mode {
    /// A dense index `0..<Mode.allCases.count`.
    var slot: Int {
        switch self {
        case .walk: 0
        case .bike: 1
        case .bus: 2
        case .coach: 3
        case .tram: 4
        case .metro: 5
        case .rail: 6
        case .carPetrol: 7
        case .carDiesel: 8
        case .carElectric: 9
        }
    }
}

/// SQLite copies a bound value it is given with this destructor.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The four statements of a credit batch, prepared on the transaction's connection and
/// bound through SQLite's C API (GRDB's `StatementArguments` boxes every value, which cost
/// more than the inserts themselves at a million legs).
struct CreditStatements {
    let connection: OpaquePointer
    let file: String
    let insertEntry: OpaquePointer
    let selectHash: OpaquePointer
    let selectDay: OpaquePointer
    let upsertDay: OpaquePointer

    init(_ connection: OpaquePointer, file: String) throws(CarbonError) {
        self.connection = connection
        self.file = file
        var prepared: [OpaquePointer] = []
        func prepare(_ sql: String) throws(CarbonError) -> OpaquePointer {
            var statement: OpaquePointer?
            let rc = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
            guard rc == SQLITE_OK, let statement else {
                let message = String(cString: sqlite3_errmsg(connection))
                for s in prepared { sqlite3_finalize(s) }
                throw CarbonError("ledger_write", file: file, "cannot prepare a ledger statement (\(message)); is this a ledger file of this version?")
            }
            prepared.append(statement)
            return statement
        }
        insertEntry = try prepare("""
            INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, metres,
                distance_source, trip_id, grams_priced, grams, points, reason, methodology_version, policy_version, recorded_at)
            VALUES ('credit', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            ON CONFLICT (idem_key) DO NOTHING
            """)
        selectHash = try prepare("SELECT content_hash FROM entries WHERE idem_key = ?1")
        selectDay = try prepare("SELECT mode, grams FROM day_totals WHERE rider = ?1 AND day = ?2")
        upsertDay = try prepare("""
            INSERT INTO day_totals (rider, day, mode, grams) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (rider, day, mode) DO UPDATE SET grams = excluded.grams
            """)
    }

    func finalize() {
        for s in [insertEntry, selectHash, selectDay, upsertDay] { sqlite3_finalize(s) }
    }

    private func failure(_ what: String) -> CarbonError {
        CarbonError("ledger_write", file: file, "\(what): \(String(cString: sqlite3_errmsg(connection))) (SQLite code \(sqlite3_extended_errcode(connection)))")
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

    /// Runs a statement that returns no rows, then resets it.
    private func run(_ s: OpaquePointer, _ what: String) throws(CarbonError) {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else { throw failure(what) }
    }

    /// Inserts the credit of `leg`; `false` when its key is already in the ledger.
    func insert(_ leg: PricedLeg, grams: Int, points: Int, capped: Bool, methodologyVersion: String,
                policyVersion: String, recordedAt: String) throws(CarbonError) -> Bool {
        let s = insertEntry
        try bind(s, 1, leg.key)
        try bind(s, 2, leg.source)
        try bind(s, 3, leg.eventID)
        try bind(s, 4, leg.contentHash)
        try bind(s, 5, leg.riderID)
        try bind(s, 6, leg.mode.rawValue)
        try bind(s, 7, Int(leg.day.yyyymmdd))
        try bind(s, 8, leg.metres)
        try bind(s, 9, leg.distanceSource.rawValue)
        try bind(s, 10, leg.tripID)
        try bind(s, 11, leg.grams)
        try bind(s, 12, grams)
        try bind(s, 13, points)
        try bind(s, 14, capped ? "capped" : nil)
        try bind(s, 15, methodologyVersion)
        try bind(s, 16, policyVersion)
        try bind(s, 17, recordedAt)
        try run(s, "inserting the credit of line \(leg.line) (event '\(leg.eventID)')")
        return sqlite3_changes(connection) > 0
    }

    /// The content hash stored under `key`.
    func contentHash(_ key: String) throws(CarbonError) -> String {
        let s = selectHash
        defer { sqlite3_reset(s) }
        try bind(s, 1, key)
        guard sqlite3_step(s) == SQLITE_ROW, let text = sqlite3_column_text(s, 0) else {
            throw failure("looking up the entry of key '\(key)'")
        }
        return String(cString: text)
    }

    /// The stored day totals of a rider-day (zeros when none).
    func dayTotals(_ riderDay: RiderDay) throws(CarbonError) -> DayTotals {
        let s = selectDay
        defer { sqlite3_reset(s) }
        try bind(s, 1, riderDay.rider)
        try bind(s, 2, Int(riderDay.day))
        var day = DayTotals()
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw failure("reading the day totals of rider '\(riderDay.rider)'") }
            let grams = Int(sqlite3_column_int64(s, 1))
            day.all += grams
            // A mode this version does not know still counts towards the all-modes cap.
            if let text = sqlite3_column_text(s, 0), let mode = Mode(rawValue: String(cString: text)) {
                day.grams[mode.slot] += grams
            }
        }
        return day
    }

    /// Stores a rider-day-mode total.
    func upsert(_ riderDay: RiderDay, mode: Mode, grams: Int) throws(CarbonError) {
        let s = upsertDay
        try bind(s, 1, riderDay.rider)
        try bind(s, 2, Int(riderDay.day))
        try bind(s, 3, mode.rawValue)
        try bind(s, 4, grams)
        try run(s, "storing the day total of rider '\(riderDay.rider)'")
    }
}
