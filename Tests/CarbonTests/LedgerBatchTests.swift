@testable import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

@Suite("ledger batches: multi-row statements, the run's session, the v1 → v2 migration")
struct LedgerBatchTests {
    let policy: Policy
    let pricer: Pricer

    init() throws {
        policy = try Fixture.policy(perTrip: 5000, perRiderDay: 1000, perModeDay: ["bike": 600])
        pricer = Pricer(factors: try Fixture.factors(), policy: policy)
    }

    func leg(_ event: String, rider: String, mode: String, metres: Double, start: String) throws -> PricedLeg {
        try Fixture.priced(pricer, Fixture.trip(event, rider: rider, mode: mode, metres: metres, start: start))
    }

    /// 420 legs of 25 riders over two days in three modes, where caps bind often; every 9th
    /// leg repeats an earlier record and every 23rd changes one (a conflict).
    func mixedLog() throws -> [PricedLeg] {
        let modes = ["bike", "bus", "walk"]
        var legs: [PricedLeg] = []
        for i in 0..<420 {
            if i > 0, i % 9 == 0 {
                legs.append(legs[(i * 7) % legs.count])
                continue
            }
            let event = i % 23 == 0 && i > 0 ? "e\(i / 2)" : "e\(i)"
            legs.append(try leg(event, rider: "R\(i % 25)", mode: modes[i % 3], metres: Double(900 + (i * 37) % 4000),
                                start: i % 2 == 0 ? "2024-05-06T07:00:00+08:00" : "2024-05-07T18:00:00+08:00"))
        }
        return legs
    }

    @Test("one big batch, uneven batches with a session, and one leg per call give the same outcomes and the same ledger", arguments: Backend.all)
    func batchShapesAgree(_ backend: Backend) throws {
        let legs = try mixedLog()
        let single = try backend.fresh("single")
        var expected: [CreditOutcome] = []
        for l in legs { expected += try single.credit([l], policy: policy, methodologyVersion: "m") }
        // The log really exercises duplicates, conflicts and caps.
        #expect(expected.contains(.duplicate))
        #expect(expected.contains { if case .conflict = $0 { true } else { false } })
        #expect(expected.contains { if case .credited(_, _, true) = $0 { true } else { false } })

        let whole = try backend.fresh("whole")
        #expect(try whole.credit(legs, policy: policy, methodologyVersion: "m") == expected)
        #expect(try Fixture.comparable(whole) == Fixture.comparable(single))

        let uneven = try backend.fresh("uneven")
        let session = CreditSession()
        var got: [CreditOutcome] = []
        var start = 0
        for size in [7, 150, 1, 193, 69] {
            got += try uneven.credit(Array(legs[start..<start + size]), policy: policy, methodologyVersion: "m", session: session)
            start += size
        }
        #expect(start == legs.count)
        #expect(got == expected)
        #expect(try Fixture.comparable(uneven) == Fixture.comparable(single))
    }

    @Test("a session's totals are dropped when another connection credited the rider in between", arguments: Backend.all)
    func sessionSeesOtherWriters(_ backend: Backend) throws {
        let path = try backend.location("l")
        let mine = try openLedger(path), other = try openLedger(path)
        let session = CreditSession()
        let day = "2024-05-06T07:00:00+08:00"
        // Bike: 170 g/km. Mode-day cap 600.
        #expect(try mine.credit([try leg("a", rider: "R1", mode: "bike", metres: 2000, start: day)], policy: policy,
                                methodologyVersion: "m", session: session) == [.credited(grams: 340, points: 34, capped: false)])
        #expect(try other.credit([try leg("b", rider: "R1", mode: "bike", metres: 1000, start: day)], policy: policy,
                                 methodologyVersion: "m") == [.credited(grams: 170, points: 17, capped: false)])
        // 600 − 340 − 170 = 90 g left; a stale session would allow 260.
        #expect(try mine.credit([try leg("c", rider: "R1", mode: "bike", metres: 2000, start: day)], policy: policy,
                                methodologyVersion: "m", session: session) == [.credited(grams: 90, points: 9, capped: true)])
        // With no other writer in between, the session's totals are used and stay exact.
        #expect(try mine.credit([try leg("d", rider: "R1", mode: "bike", metres: 2000, start: day)], policy: policy,
                                methodologyVersion: "m", session: session) == [.credited(grams: 0, points: 0, capped: true)])
        #expect(try mine.balance(rider: "R1").grams == 600)
    }

    @Test("a v1 ledger (with day_totals) opens at the current version: entries kept, caps summed from them, day_totals gone")
    func migratesV1() throws {
        let path = try Fixture.folder() + "/v1.db"
        let v1 = try #require(SQLiteLedger.migrations.first?.sql)
        let python = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.executescript(sys.argv[2])
            c.execute("PRAGMA user_version = 1")
            c.execute(\"\"\"INSERT INTO entries (kind, idem_key, source, event_id, content_hash, rider, mode, day, metres,
                distance_source, trip_id, grams_priced, grams, points, reason, methodology_version, policy_version, recorded_at)
                VALUES ('credit', 'old\\x1fv1', 'old', 'v1', 'h', 'R1', 'bike', 20240506, 3000, 'reported', NULL, 510, 500, 50,
                        'capped', 'm', 'p', '2024-05-06T00:00:00Z')\"\"\")
            c.execute("INSERT INTO day_totals VALUES ('R1', 20240506, 'bike', 500)")
            c.commit()
            """, path, v1])
        #expect(python.status == 0, "\(python.stderr)")

        let ledger = try SQLiteLedger(path: path)
        #expect(try ledger.entries().map(\.eventID) == ["v1"])
        // A credit from before v2 has no recorded factor.
        #expect(try ledger.entries().first.map { $0.factorSource == nil && $0.factorMilligramsPerKm == nil } == true)
        // Bike cap 600: 500 g are already credited that day, in the v1 entry.
        #expect(try ledger.credit([try leg("new", rider: "R1", mode: "bike", metres: 2000, start: "2024-05-06T07:00:00+08:00")],
                                  policy: policy, methodologyVersion: "m") == [.credited(grams: 100, points: 10, capped: true)])
        #expect(try ledger.entries().last.map { $0.factorSource == "mode" && $0.factorMilligramsPerKm == 0 } == true)
        let check = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            print(c.execute("PRAGMA user_version").fetchone()[0])
            print(sorted(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'")))
            """, path])
        let text = check.stdout
        #expect(text == "3\n['api_keys', 'consents', 'consents_by_rider', 'entries', 'entries_by_rider_day', 'entries_one_reversal', 'grdb_migrations']\n")
    }
}
