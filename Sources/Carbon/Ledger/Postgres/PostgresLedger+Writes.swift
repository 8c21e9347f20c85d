public import GTFS
import PostgresNIO

extension PostgresLedger {
    public func reversal(eventID: String, source: String?, reason: String) throws(CarbonError) -> ReversalOutcome {
        let now = LedgerRules.utcNow()
        let here = location
        try LedgerRules.checkLength(eventID, field: "event_id", location: here)
        return try write("reversing \(eventID)") { s in
            // With the source, the unique key finds the credit; without, a scan (no index on
            // event_id, as on SQLite: it would cost every credit an index insert).
            let query: PostgresQuery = source.map { "SELECT * FROM entries WHERE idem_key = \($0 + "\u{1F}" + eventID) AND kind = 'credit'" }
                ?? "SELECT * FROM entries WHERE kind = 'credit' AND event_id = \(eventID)"
            let credit = try LedgerRules.creditToReverse(try s.rows(query).map(LedgerEntry.init(row:)), eventID: eventID, source: source,
                                                         location: here)
            // Two reversals of one credit take turns on its rider.
            try s.run("SELECT pg_advisory_xact_lock(\(LockKeys.rider(credit.rider)))")
            if let done = try s.rows("SELECT * FROM entries WHERE reverses = \(credit.id)").first {
                return .alreadyReversed(try LedgerEntry(row: done))
            }
            try PostgresLedger.lockTail(s)
            let rows = try s.rows("""
                INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, trip_id, grams_priced, grams, points,
                    reverses, reason, factor_source, factor_mg_per_pkm, methodology_version, policy_version, recorded_at)
                VALUES ('reversal', \(LedgerRules.reversalKey(of: credit.id)), \(credit.source), \(credit.eventID), '', \(credit.rider), \(credit.mode),
                    \(credit.day), \(credit.tripID), 0, \(-credit.grams), \(-credit.points), \(credit.id), \(reason), \(credit.factorSource),
                    \(credit.factorMilligramsPerKm), \(credit.methodologyVersion), \(credit.policyVersion), \(now))
                RETURNING *
                """)
            guard let row = rows.first else { throw CarbonError(.ledgerWrite, file: here, "the reversal entry vanished") }
            return .reversed(try LedgerEntry(row: row))
        }
    }

    /// The balance check and the insert come after the tail lock: redemptions on any number
    /// of instances take turns, so the balance never goes below zero.
    public func redeem(rider: String, points: Int, reference: String, reason: String?) throws(CarbonError) -> RedemptionOutcome {
        let here = location
        try LedgerRules.checkRedemption(rider: rider, points: points, reference: reference, location: here)
        let now = LedgerRules.utcNow()
        return try write("redeeming \(points) points for \(rider)") { s in
            try PostgresLedger.lockTail(s)
            let key = LedgerRules.redemptionKey(reference)
            if let row = try s.rows("SELECT * FROM entries WHERE idem_key = \(key)").first {
                let earlier = try LedgerEntry(row: row)
                guard earlier.rider == rider, earlier.points == -points else {
                    throw LedgerRules.referenceConflict(reference, earlier, location: here)
                }
                return .alreadyRedeemed(entry: earlier, balance: try PostgresLedger.points(of: rider, s))
            }
            let balance = try PostgresLedger.points(of: rider, s)
            guard balance >= points else { throw LedgerRules.insufficient(rider, balance: balance, points: points, location: here) }
            let rows = try s.rows("""
                INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, grams_priced, grams, points, reason, recorded_at)
                VALUES ('redemption', \(key), 'redemption', \(reference), '', \(rider), 0, 0, \(-points), \(reason), \(now))
                RETURNING *
                """)
            guard let row = rows.first else {
                throw CarbonError(.ledgerWrite, file: here, "the redemption entry was not found after its insert; nothing was committed")
            }
            return .redeemed(entry: try LedgerEntry(row: row), balance: balance - points)
        }
    }

    static func points(of rider: String, _ s: PostgresSession) throws -> Int {
        try s.rows("SELECT COALESCE(SUM(points), 0)::bigint FROM entries WHERE rider = \(rider)").first?.decode(Int.self) ?? 0
    }

    /// The same rule as ``SQLiteLedger/expire(asOf:validDays:policyVersion:)``; the run takes
    /// the tail lock first, so no redemption or credit is stored while it reads and writes.
    public func expire(asOf: GTFSDate, validDays: Int, policyVersion: String?) throws(CarbonError) -> ExpiryRun {
        let here = location
        try LedgerRules.checkExpiry(validDays: validDays, location: here)
        let cutoff = asOf.adding(days: -validDays)
        let now = LedgerRules.utcNow()
        let reason = LedgerRules.expiryReason(asOf: asOf, validDays: validDays)
        return try write("expiring points as of \(asOf.iso8601)") { s in
            try PostgresLedger.lockTail(s)
            var due: [(rider: String, points: Int, balance: Int)] = []
            for row in try s.rows("""
                SELECT rider,
                       SUM(CASE WHEN kind IN ('credit', 'reversal') AND day < \(cutoff.yyyymmdd) THEN points ELSE 0 END)::bigint AS old,
                       SUM(CASE WHEN kind IN ('redemption', 'expiry') THEN -points ELSE 0 END)::bigint AS spent,
                       SUM(points)::bigint AS balance
                FROM entries
                GROUP BY rider
                HAVING SUM(CASE WHEN kind IN ('credit', 'reversal') AND day < \(cutoff.yyyymmdd) THEN points ELSE 0 END)
                     > SUM(CASE WHEN kind IN ('redemption', 'expiry') THEN -points ELSE 0 END)
                   AND SUM(points) > 0
                ORDER BY rider COLLATE "C"
                """) {
                let (rider, old, spent, balance) = try row.decode((String, Int, Int, Int).self)
                due.append((rider, min(old - spent, balance), balance))
            }
            func key(_ rider: String) -> String { LedgerRules.expiryKey(LedgerRules.expiryReference(rider: rider, asOf: asOf)) }
            var already = Set<String>()
            for row in try s.rows("SELECT idem_key FROM entries WHERE idem_key = ANY(\(due.map { key($0.rider) })::text[])") {
                already.insert(try row.decode(String.self))
            }
            let fresh = due.filter { !already.contains(key($0.rider)) }
            var ids: [String: Int64] = [:]
            if !fresh.isEmpty {
                let riders = fresh.map(\.rider), points = fresh.map { -$0.points }
                let references = riders.map { LedgerRules.expiryReference(rider: $0, asOf: asOf) }
                for row in try s.rows("""
                    INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, grams_priced, grams, points, reason,
                        policy_version, recorded_at)
                    SELECT 'expiry', 'expiry:' || ref, 'expiry', ref, '', r, 0, 0, p, \(reason), \(policyVersion), \(now)
                    FROM unnest(\(riders)::text[], \(references)::text[], \(points)::bigint[]) WITH ORDINALITY AS u(r, ref, p, n)
                    ORDER BY n
                    RETURNING rider, id
                    """) {
                    let (rider, id) = try row.decode((String, Int64).self)
                    ids[rider] = id
                }
            }
            let expired = fresh.map { RiderExpiry(rider: $0.rider, points: $0.points, balance: $0.balance - $0.points, entryID: ids[$0.rider] ?? 0) }
            return ExpiryRun(asOf: asOf, validDays: validDays, lapsedBefore: cutoff, expired: expired,
                             alreadyExpired: due.map(\.rider).filter { already.contains(key($0)) })
        }
    }

    // MARK: Copying

    /// Appends the entries with their ids, 2,000 rows per statement, then moves the id
    /// sequence past them.
    public func append(copied entries: [LedgerEntry]) throws(CarbonError) {
        guard !entries.isEmpty else { return }
        try write("copying \(entries.count) entries") { s in
            try PostgresLedger.lockTail(s)
            for start in stride(from: 0, to: entries.count, by: 2_000) {
                let chunk = entries[start..<min(start + 2_000, entries.count)]
                var binds = PostgresBindings(capacity: chunk.count * 22)
                var values: [String] = []
                for e in chunk {
                    let base = binds.count
                    values.append("(" + (1...22).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                    binds.append(e.id)
                    binds.append(e.kind.rawValue)
                    binds.append(e.key)
                    binds.append(e.source)
                    binds.append(e.eventID)
                    binds.append(e.contentHash)
                    binds.append(e.rider)
                    binds.append(e.mode)
                    binds.append(e.day)
                    binds.append(e.metres)
                    binds.append(e.distanceSource)
                    binds.append(e.tripID)
                    binds.append(e.gramsPriced)
                    binds.append(e.grams)
                    binds.append(e.points)
                    binds.append(e.reverses)
                    binds.append(e.reason)
                    binds.append(e.factorSource)
                    binds.append(e.factorMilligramsPerKm)
                    binds.append(e.methodologyVersion)
                    binds.append(e.policyVersion)
                    binds.append(e.recordedAt)
                }
                try s.run(PostgresQuery(unsafeSQL: """
                    INSERT INTO entries (id, kind, idem_key, source, event_id, content_hash, rider, mode, day, metres, distance_source,
                        trip_id, grams_priced, grams, points, reverses, reason, factor_source, factor_mg_per_pkm,
                        methodology_version, policy_version, recorded_at)
                    VALUES
                    """ + values.joined(separator: ", "), binds: binds))
            }
            try s.run("SELECT setval(pg_get_serial_sequence('entries', 'id'), (SELECT MAX(id) FROM entries))")
        }
    }
}
