import GTFS
import PostgresNIO

extension PostgresLedger {
    /// Credits a batch in one transaction, set-based: the rider-day locks, the known keys, the
    /// totals, the consents and the insert are one statement each, whatever the batch size
    /// (see the type's notes for why this is exactly once and within the caps).
    /// - Parameter session: ignored: totals are read afresh, other instances write too.
    public func credit(_ legs: [PricedLeg], policy: Policy, methodologyVersion: String, session: CreditSession?) throws(CarbonError) -> [CreditOutcome] {
        guard !legs.isEmpty else { return [] }
        try LedgerRules.checkIdentifiers(legs, location: location)
        let now = LedgerRules.utcNow()
        return try write("crediting \(legs.count) records") { s in
            // 1. The rider-day locks, in key order.
            var riderDays = Set<RiderDay>()
            for leg in legs { riderDays.insert(RiderDay(rider: leg.riderID, day: leg.day.yyyymmdd)) }
            let lockKeys = Set(riderDays.map { LockKeys.riderDay($0.rider, $0.day) }).sorted()
            try s.run("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(\(lockKeys)::bigint[]) AS k")

            // 2. Keys already stored.
            var known: [String: String] = [:]
            let keys = Array(Set(legs.map(\.key)))
            for row in try s.rows("SELECT idem_key, content_hash FROM entries WHERE idem_key = ANY(\(keys)::text[])") {
                let (key, hash) = try row.decode((String, String).self)
                known[key] = hash
            }

            // 3. The stored totals of the new legs' rider-days.
            var wanted = Set<RiderDay>()
            for leg in legs where known[leg.key] == nil { wanted.insert(RiderDay(rider: leg.riderID, day: leg.day.yyyymmdd)) }
            var totals: [RiderDay: DayTotals] = [:]
            for rd in wanted { totals[rd] = DayTotals() }
            if !wanted.isEmpty {
                let list = Array(wanted)
                let riders = list.map(\.rider), days = list.map(\.day)
                for row in try s.rows("""
                    SELECT e.rider, e.day, e.mode, SUM(e.grams)::bigint FROM entries e
                    JOIN unnest(\(riders)::text[], \(days)::integer[]) AS q(rider, day) ON e.rider = q.rider AND e.day = q.day
                    WHERE e.kind IN ('credit', 'reversal')
                    GROUP BY e.rider, e.day, e.mode
                    """) {
                    let (rider, day, mode, grams) = try row.decode((String, Int32, String?, Int).self)
                    totals[RiderDay(rider: rider, day: day), default: DayTotals()].add(stored: grams, mode: mode.flatMap(Mode.init(rawValue:)))
                }
            }

            // 4. Consents in force, when the policy requires them.
            var consents: [String: Consent?] = [:]
            if policy.consentRequired {
                let riders = Array(Set(wanted.map(\.rider)))
                for rider in riders { consents[rider] = .some(nil) }
                for row in try s.rows("SELECT DISTINCT ON (rider) * FROM consents WHERE rider = ANY(\(riders)::text[]) ORDER BY rider, id DESC") {
                    let c = try Consent(row: row)
                    consents[c.rider] = .some(c)
                }
            }

            // 5. Caps leg by leg, in order, as on every backend.
            let (outcomes, rows) = LedgerRules.plan(legs, policy: policy, known: known, totals: &totals, consents: consents)
            guard !rows.isEmpty else { return outcomes }

            // 6. The new entries, in log order, ids in commit order.
            try PostgresLedger.lockTail(s)
            let inserted = try s.run(PostgresLedger.insertCredits(rows, of: legs, methodologyVersion: methodologyVersion,
                                                                 policyVersion: policy.version, recordedAt: now))
            // A key stored by another writer since step 2 (same key, other content and rider-day).
            guard inserted == rows.count else { throw StartAgain() }
            return outcomes
        }
    }

    /// One `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING` of the batch's new credits.
    static func insertCredits(_ rows: [NewEntry], of legs: [PricedLeg], methodologyVersion: String, policyVersion: String,
                              recordedAt: String) -> PostgresQuery {
        var key: [String] = [], source: [String] = [], event: [String] = [], hash: [String] = [], rider: [String] = []
        var mode: [String] = [], day: [Int32] = [], metres: [Int] = [], distance: [String] = [], trip: [String] = []
        var priced: [Int] = [], grams: [Int] = [], points: [Int] = [], capped: [Bool] = [], factorSource: [String] = [], factor: [Int] = []
        for e in rows {
            let leg = legs[e.index]
            key.append(leg.key)
            source.append(leg.source)
            event.append(leg.eventID)
            hash.append(leg.contentHash)
            rider.append(leg.riderID)
            mode.append(leg.mode.rawValue)
            day.append(leg.day.yyyymmdd)
            metres.append(leg.metres)
            distance.append(leg.distanceSource.rawValue)
            trip.append(leg.tripID ?? "")
            priced.append(leg.grams)
            grams.append(e.grams)
            points.append(e.points)
            capped.append(e.capped)
            factorSource.append(leg.factorSource.rawValue)
            factor.append(leg.factorMilligramsPerKm)
        }
        return """
            INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, metres, distance_source, trip_id,
                grams_priced, grams, points, reason, factor_source, factor_mg_per_pkm, methodology_version, policy_version, recorded_at)
            SELECT 'credit', k, src, ev, h, r, m, d, mt, ds, NULLIF(t, ''), gp, g, p, CASE WHEN c THEN 'capped' END, fs, f,
                \(methodologyVersion), \(policyVersion), \(recordedAt)
            FROM unnest(\(key)::text[], \(source)::text[], \(event)::text[], \(hash)::text[], \(rider)::text[], \(mode)::text[],
                        \(day)::integer[], \(metres)::bigint[], \(distance)::text[], \(trip)::text[], \(priced)::bigint[],
                        \(grams)::bigint[], \(points)::bigint[], \(capped)::boolean[], \(factorSource)::text[], \(factor)::bigint[])
                WITH ORDINALITY AS u(k, src, ev, h, r, m, d, mt, ds, t, gp, g, p, c, fs, f, n)
            ORDER BY n
            ON CONFLICT (idem_key) DO NOTHING
            """
    }
}
