import GRDB
public import GTFS

extension SQLiteLedger {
    /// Appends one expiry entry per rider whose old points are not used up, in one
    /// `BEGIN IMMEDIATE` transaction.
    ///
    /// The rule, first in first out: a rider's points form lots by the cap day they were
    /// earned on (a credit net of its reversal, which carries the credit's day). Redemptions
    /// and earlier expiries spend the oldest lots first. Points earned on cap days before
    /// `asOf − validDays` (``ExpiryRun/lapsedBefore``) lapse unless already spent, so with
    ///
    ///     old   = Σ points of credits and reversals with day < asOf − validDays
    ///     spent = Σ points of redemptions and expiries (as positive numbers)
    ///
    /// the rider loses `min(old − spent, balance)` when that is positive. Never more than the
    /// balance, so a balance never goes negative by an expiry.
    ///
    /// Idempotent: after a run, `spent ≥ old` for every rider, so the same as-of day again
    /// expires nothing; runs on successive days expire only what became old in between. Each
    /// entry's key is `expiry:RIDER:YYYYMMDD` (the as-of day); a rider who already has that
    /// entry is listed in ``ExpiryRun/alreadyExpired`` instead of lapsing twice on one day.
    /// Redemptions are taken from the oldest points whenever they were made, so a credit
    /// logged late for an old cap day is treated as if it had been there all along.
    /// - Parameters:
    ///   - asOf: the day of the run.
    ///   - validDays: days points stay valid, ≥ 1.
    ///   - policyVersion: recorded on the entries.
    /// - Returns: the riders whose points lapsed, by rider id.
    /// - Throws: ``CarbonError`` `invalid_expiry` (validDays < 1), `ledger_write` (then no
    ///   entry of the run is stored).
    /// - Complexity: one pass over the ledger's entries, grouped by rider.
    public func expire(asOf: GTFSDate, validDays: Int, policyVersion: String?) throws(CarbonError) -> ExpiryRun {
        let p = path
        try LedgerRules.checkExpiry(validDays: validDays, location: p)
        let cutoff = asOf.adding(days: -validDays)
        let now = LedgerRules.utcNow()
        let reason = LedgerRules.expiryReason(asOf: asOf, validDays: validDays)
        return try write("expiring points as of \(asOf.iso8601)") { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT rider,
                       SUM(CASE WHEN kind IN ('credit', 'reversal') AND day < ? THEN points ELSE 0 END) AS old,
                       SUM(CASE WHEN kind IN ('redemption', 'expiry') THEN -points ELSE 0 END) AS spent,
                       SUM(points) AS balance
                FROM entries
                GROUP BY rider
                HAVING old > spent AND balance > 0
                ORDER BY rider
                """, arguments: [cutoff.yyyymmdd])
            var expired: [RiderExpiry] = []
            var already: [String] = []
            for row in due {
                let rider: String = row["rider"], old: Int = row["old"], spent: Int = row["spent"], balance: Int = row["balance"]
                let points = min(old - spent, balance)
                let reference = LedgerRules.expiryReference(rider: rider, asOf: asOf)
                let key = LedgerRules.expiryKey(reference)
                if try Int64.fetchOne(db, sql: "SELECT id FROM entries WHERE idem_key = ?", arguments: [key]) != nil {
                    already.append(rider)
                    continue
                }
                try db.execute(sql: """
                    INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, grams_priced, grams, points,
                        reason, policy_version, recorded_at)
                    VALUES ('expiry', ?, 'expiry', ?, '', ?, 0, 0, ?, ?, ?, ?)
                    """, arguments: [key, reference, rider, -points, reason, policyVersion, now])
                expired.append(RiderExpiry(rider: rider, points: points, balance: balance - points, entryID: db.lastInsertedRowID))
            }
            return ExpiryRun(asOf: asOf, validDays: validDays, lapsedBefore: cutoff, expired: expired, alreadyExpired: already)
        }
    }
}
