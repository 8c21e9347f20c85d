import GRDB

extension SQLiteLedger {
    /// Spends `points` of `rider`'s balance, once per `reference` (the key is
    /// `redemption:REFERENCE`, permanent).
    ///
    /// Re-running with the same reference, rider and points changes nothing and returns
    /// ``RedemptionOutcome/alreadyRedeemed(entry:balance:)``, so a caller may retry after a
    /// timeout. The balance check and the insert are one `BEGIN IMMEDIATE` transaction: two
    /// redemptions racing for the last points cannot both succeed. Points are spent oldest
    /// first for expiry purposes (see ``expire(asOf:validDays:policyVersion:)``); no lot is
    /// recorded on the entry because the order is implied by the cap days.
    /// - Parameters:
    ///   - rider: the rider id as stored (already pseudonymized if the ledger uses pseudonyms).
    ///   - points: how many points to spend, > 0.
    ///   - reference: the caller's idempotency reference (a voucher or order id), not empty.
    ///   - reason: an optional note stored on the entry.
    /// - Throws: ``CarbonError`` `invalid_redemption` (points ≤ 0 or an empty reference),
    ///   `reference_conflict` (the reference was used for another rider or amount),
    ///   `insufficient_points`, `ledger_write`.
    public func redeem(rider: String, points: Int, reference: String, reason: String?) throws(CarbonError) -> RedemptionOutcome {
        let p = path
        try LedgerRules.checkRedemption(rider: rider, points: points, reference: reference, location: p)
        let now = LedgerRules.utcNow()
        return try write("redeeming \(points) points for \(rider)") { db in
            let key = LedgerRules.redemptionKey(reference)
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE idem_key = ?", arguments: [key]) {
                let earlier = LedgerEntry(row: row)
                guard earlier.rider == rider, earlier.points == -points else {
                    throw LedgerRules.referenceConflict(reference, earlier, location: p)
                }
                return .alreadyRedeemed(entry: earlier, balance: try SQLiteLedger.points(of: rider, db))
            }
            let balance = try SQLiteLedger.points(of: rider, db)
            guard balance >= points else { throw LedgerRules.insufficient(rider, balance: balance, points: points, location: p) }
            try db.execute(sql: """
                INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, grams_priced, grams, points, reason, recorded_at)
                VALUES ('redemption', ?, 'redemption', ?, '', ?, 0, 0, ?, ?, ?)
                """, arguments: [key, reference, rider, -points, reason, now])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE id = ?", arguments: [db.lastInsertedRowID])
            guard let row else { throw CarbonError(.ledgerWrite, file: p, "the redemption entry was not found after its insert; nothing was committed") }
            return .redeemed(entry: LedgerEntry(row: row), balance: balance - points)
        }
    }

    /// The sum of `rider`'s entries' points, read inside `db`'s transaction.
    static func points(of rider: String, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(points), 0) FROM entries WHERE rider = ?", arguments: [rider]) ?? 0
    }
}
