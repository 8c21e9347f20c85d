import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

@Suite("ledger: exactly once, conflicts, reversals, caps, concurrent writers")
struct LedgerTests {
    let policy: Policy
    let pricer: Pricer

    init() throws {
        policy = try Fixture.policy(perTrip: 5000, perRiderDay: 1000, perModeDay: ["bike": 600])
        pricer = Pricer(factors: try Fixture.factors(), policy: policy)
    }

    func leg(_ event: String, rider: String = "R1", mode: String = "bus", metres: Double = 10_000,
             start: String = "2024-05-06T07:00:00+08:00") throws -> PricedLeg {
        try Fixture.priced(pricer, Fixture.trip(event, rider: rider, mode: mode, metres: metres, start: start))
    }

    @Test("crediting the same legs twice credits nothing the second time; the balance is the sum of entries", arguments: Backend.all)
    func idempotent(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let legs = [try leg("e1", metres: 5000), try leg("e2", rider: "R2", metres: 2000)]
        #expect(try ledger.credit(legs, policy: policy, methodologyVersion: "m") == [.credited(grams: 365, points: 36, capped: false), .credited(grams: 146, points: 14, capped: false)])
        #expect(try ledger.credit(legs, policy: policy, methodologyVersion: "m") == [.duplicate, .duplicate])
        #expect(try ledger.balance(rider: "R1") == Balance(rider: "R1", grams: 365, points: 36, entries: 1))
        #expect(try ledger.entries().count == 2)
        let e = try #require(try ledger.statement(rider: "R1").first)
        #expect(e.methodologyVersion == "m" && e.policyVersion == "test-1" && e.distanceSource == "reported" && e.day == 20240506)
        // The factor that priced it: the factor set's bus factor, 97 g = 97,000 mg per passenger-km.
        #expect(e.factorSource == "mode" && e.factorMilligramsPerKm == 97_000)
    }

    @Test("the same key with different content is a conflict and changes nothing", arguments: Backend.all)
    func conflict(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        _ = try ledger.credit([try leg("e1", metres: 5000)], policy: policy, methodologyVersion: "m")
        let changed = try leg("e1", metres: 6000)
        let out = try ledger.credit([changed], policy: policy, methodologyVersion: "m")
        guard case .conflict(let hash) = out.first else { Issue.record("expected a conflict: \(out)"); return }
        #expect(hash != changed.contentHash && !hash.isEmpty)
        #expect(try ledger.balance(rider: "R1").grams == 365)
    }

    @Test("inside one batch: a repeated record is a duplicate, a changed one a conflict, and caps count earlier legs", arguments: Backend.all)
    func withinBatch(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let a = try leg("b1", mode: "bike", metres: 2000), changed = try leg("b1", mode: "bike", metres: 2500)
        let out = try ledger.credit([a, a, changed, try leg("b2", mode: "bike", metres: 2000)], policy: policy, methodologyVersion: "m")
        #expect(out.count == 4)
        #expect(out[0] == .credited(grams: 340, points: 34, capped: false))
        #expect(out[1] == .duplicate)
        #expect(out[2] == .conflict(existingHash: a.contentHash))
        #expect(out[3] == .credited(grams: 260, points: 26, capped: true))
        #expect(try ledger.entries().map(\.eventID) == ["b1", "b2"])
    }

    @Test("a batch larger than one multi-row statement keeps log order and ids", arguments: Backend.all)
    func largeBatch(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let legs = try (0..<1234).map { try leg("e\($0)", rider: "R\($0 % 300)", metres: 1000) }
        let out = try ledger.credit(legs, policy: policy, methodologyVersion: "m")
        #expect(out.allSatisfy { if case .credited = $0 { true } else { false } })
        let entries = try ledger.entries()
        #expect(entries.map(\.eventID) == legs.map(\.eventID))
        #expect(entries.map(\.id) == (1...1234).map(Int64.init))
        #expect(try ledger.credit(legs, policy: policy, methodologyVersion: "m").allSatisfy { $0 == .duplicate })
    }

    @Test("daily caps hold across batches: per rider-day over all modes and per mode", arguments: Backend.all)
    func capsAcrossBatches(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        // Bike: 170 g/km; 2 km = 340 g each. Mode-day cap 600, rider-day cap 1000.
        let a = try ledger.credit([try leg("b1", mode: "bike", metres: 2000)], policy: policy, methodologyVersion: "m")
        let b = try ledger.credit([try leg("b2", mode: "bike", metres: 2000)], policy: policy, methodologyVersion: "m")
        let c = try ledger.credit([try leg("b3", mode: "bike", metres: 2000)], policy: policy, methodologyVersion: "m")
        #expect(a == [.credited(grams: 340, points: 34, capped: false)])
        #expect(b == [.credited(grams: 260, points: 26, capped: true)])
        #expect(c == [.credited(grams: 0, points: 0, capped: true)])
        // Bus 730 g: only 400 g left of the rider-day cap.
        #expect(try ledger.credit([try leg("u1")], policy: policy, methodologyVersion: "m") == [.credited(grams: 400, points: 40, capped: true)])
        // Another day starts afresh.
        #expect(try ledger.credit([try leg("u2", start: "2024-05-07T07:00:00+08:00")], policy: policy, methodologyVersion: "m") == [.credited(grams: 730, points: 73, capped: false)])
        #expect(try ledger.balance(rider: "R1").grams == 1730)
    }

    @Test("a reversal appends a negating entry, frees the cap it used, and happens once", arguments: Backend.all)
    func reversal(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        _ = try ledger.credit([try leg("e1")], policy: policy, methodologyVersion: "m")
        let r = try ledger.reverse(eventID: "e1", reason: "fraud check")
        #expect(r.kind == .reversal && r.grams == -730 && r.points == -73 && r.reverses == 1 && r.reason == "fraud check")
        #expect(r.factorSource == "mode" && r.factorMilligramsPerKm == 97_000)
        #expect(try ledger.balance(rider: "R1") == Balance(rider: "R1", grams: 0, points: 0, entries: 2))
        do {
            _ = try ledger.reverse(eventID: "e1", reason: "again")
            Issue.record("reversed twice")
        } catch {
            #expect(error.code == .alreadyReversed)
        }
        #expect(throws: CarbonError.self) { try ledger.reverse(eventID: "nope", reason: "x") }
        // The freed cap: a full 730 g fits again that day (rider-day cap 1000).
        #expect(try ledger.credit([try leg("e2")], policy: policy, methodologyVersion: "m") == [.credited(grams: 730, points: 73, capped: false)])
        // Re-crediting the reversed record stays a duplicate: the key is permanent.
        #expect(try ledger.credit([try leg("e1")], policy: policy, methodologyVersion: "m") == [.duplicate])
    }

    @Test("entries are append-only: the database refuses updates and deletes")
    func appendOnly() throws {
        let path = try Fixture.folder() + "/l.db"
        let ledger = try SQLiteLedger(path: path)
        _ = try ledger.credit([try leg("e1")], policy: policy, methodologyVersion: "m")
        let sqlite = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for sql in ["UPDATE entries SET grams = 1", "DELETE FROM entries"]:
                try:
                    c.execute(sql); c.commit(); print("allowed")
                except sqlite3.DatabaseError as e:
                    print("refused")
            """, path])
        let text = sqlite.stdout
        #expect(text == "refused\nrefused\n")
        #expect(try ledger.balance(rider: "R1").grams == 730)
    }

    @Test("two writers on one file (two connection pools, concurrently): every key credited once, caps hold", arguments: Backend.all)
    func concurrentWriters(_ backend: Backend) throws {
        let path = try backend.location("l")
        let first = try openLedger(path), second = try openLedger(path)
        // 40 riders × 20 bike trips of 1 km (170 g) on one day: the 600 g bike cap binds.
        var legs: [PricedLeg] = []
        for rider in 0..<40 {
            for t in 0..<20 { legs.append(try leg("r\(rider)-t\(t)", rider: "R\(rider)", mode: "bike", metres: 1000)) }
        }
        let policy = self.policy
        let batches = stride(from: 0, to: legs.count, by: 50).map { Array(legs[$0..<min($0 + 50, legs.count)]) }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            let ledger = worker == 0 ? first : second
            // Each writer credits every batch, in a different order.
            for batch in (worker == 0 ? batches : batches.reversed()) {
                do {
                    results.add(try ledger.credit(batch, policy: policy, methodologyVersion: "m"))
                } catch {
                    results.fail("\(error)")
                }
            }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        let all = results.outcomes
        #expect(all.count == 1600)
        #expect(all.filter { if case .credited = $0 { true } else { false } }.count == 800)
        #expect(all.filter { $0 == .duplicate }.count == 800)
        let entries = try first.entries()
        #expect(entries.count == 800)
        #expect(Set(entries.map(\.key)).count == 800)
        for rider in 0..<40 { #expect(try first.balance(rider: "R\(rider)").grams == 600) }
    }
}

/// Outcomes collected from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var _outcomes: [CreditOutcome] = []
    private var _errors: [String] = []
    func add(_ o: [CreditOutcome]) { lock.lock(); _outcomes += o; lock.unlock() }
    func fail(_ e: String) { lock.lock(); _errors.append(e); lock.unlock() }
    var outcomes: [CreditOutcome] { lock.lock(); defer { lock.unlock() }; return _outcomes }
    var errors: [String] { lock.lock(); defer { lock.unlock() }; return _errors }
}
