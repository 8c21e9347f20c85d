import GRDB
public import GTFS

/// One rider's lapse in an expiry run.
public struct RiderExpiry: Sendable, Equatable {
    /// The rider.
    public let rider: String
    /// Points that lapsed (positive; the entry holds the negative).
    public let points: Int
    /// The rider's points after the expiry.
    public let balance: Int
    /// The expiry entry.
    public let entryID: Int64

    /// Creates a rider's expiry.
    public init(rider: String, points: Int, balance: Int, entryID: Int64) {
        self.rider = rider
        self.points = points
        self.balance = balance
        self.entryID = entryID
    }
}

/// What ``Ledger/expire(asOf:validDays:policyVersion:)`` did.
public struct ExpiryRun: Sendable, Equatable {
    /// The day the run is as of.
    public let asOf: GTFSDate
    /// How many days points stay valid; `nil` when the policy lets points never expire (then
    /// nothing is expired).
    public let validDays: Int?
    /// Points credited on cap days before this day lapse (`asOf − validDays`); `nil` with
    /// `validDays`.
    public let lapsedBefore: GTFSDate?
    /// The riders whose points lapsed, by rider id.
    public let expired: [RiderExpiry]
    /// Riders with points due that already have an expiry entry for this as-of day: points
    /// credited late, on cap days before ``lapsedBefore``, after that entry. They lapse in the
    /// next run with a later as-of day.
    public let alreadyExpired: [String]

    /// The total points that lapsed.
    public var points: Int { expired.reduce(0) { $0 + $1.points } }

    /// Creates a run's result.
    public init(asOf: GTFSDate, validDays: Int?, lapsedBefore: GTFSDate?, expired: [RiderExpiry], alreadyExpired: [String]) {
        self.asOf = asOf
        self.validDays = validDays
        self.lapsedBefore = lapsedBefore
        self.expired = expired
        self.alreadyExpired = alreadyExpired
    }
}

extension Ledger {
    /// Lapses the points of `policy` (its ``Policy/pointsValidDays``) as of `asOf`; when the
    /// policy sets no validity, nothing expires and the run is empty.
    /// - Throws: as ``expire(asOf:validDays:policyVersion:)``.
    public func expire(asOf: GTFSDate, policy: Policy) throws(CarbonError) -> ExpiryRun {
        guard let days = policy.pointsValidDays else {
            return ExpiryRun(asOf: asOf, validDays: nil, lapsedBefore: nil, expired: [], alreadyExpired: [])
        }
        return try expire(asOf: asOf, validDays: days, policyVersion: policy.version)
    }

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
    public func expire(asOf: GTFSDate, validDays: Int, policyVersion: String? = nil) throws(CarbonError) -> ExpiryRun {
        let p = path
        guard validDays >= 1, validDays <= 1_000_000 else {
            throw CarbonError(.invalidExpiry, file: p, "points valid for \(validDays) days: give from 1 to 1000000 days")
        }
        let cutoff = asOf.adding(days: -validDays)
        let now = Ledger.utcNow()
        let reason = "points earned before \(cutoff.iso8601) lapsed (valid \(validDays) days, as of \(asOf.iso8601))"
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
                let reference = rider + ":" + asOf.description
                let key = "expiry:" + reference
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
