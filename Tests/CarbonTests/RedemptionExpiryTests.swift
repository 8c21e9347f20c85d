import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

@Suite("ledger: redemptions once per reference, FIFO points expiry")
struct RedemptionExpiryTests {
    let policy: Policy
    let pricer: Pricer

    init() throws {
        policy = try Fixture.policy(perTrip: 5000, perRiderDay: 10_000)
        pricer = Pricer(factors: try Fixture.factors(), policy: policy)
    }

    /// A bus leg of `metres` on `day` (YYYY-MM-DD, the cap day).
    func credit(_ ledger: any Ledger, _ event: String, rider: String = "R1", metres: Double, day: String) throws -> Int {
        let leg = try Fixture.priced(pricer, Fixture.trip(event, rider: rider, mode: "bus", metres: metres, start: day + "T07:00:00+08:00"))
        let out = try ledger.credit([leg], policy: policy, methodologyVersion: "m")
        guard case .credited(_, let points, _) = out.first else { throw CarbonError(CarbonError.Code(rawValue: "test"), "not credited: \(out)") }
        return points
    }

    func date(_ text: String) throws -> GTFSDate { try #require(GTFSDate(text.replacingOccurrences(of: "-", with: ""))) }

    func code(_ body: () throws -> Void) -> CarbonError.Code? {
        do { try body() } catch let e as CarbonError { return e.code } catch { return CarbonError.Code(rawValue: "\(error)") }
        return nil
    }

    // MARK: Redemption

    @Test("a redemption spends points once per reference; a retry reports the earlier entry and changes nothing", arguments: Backend.all)
    func redeemIdempotent(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let earned = try credit(ledger, "e1", metres: 10_000, day: "2024-05-06")
        #expect(earned == (170 - 97) * 10 / 10)
        let first = try ledger.redeem(rider: "R1", points: 50, reference: "voucher-1", reason: "bus ticket")
        guard case .redeemed(let entry, let balance) = first else { Issue.record("expected a new redemption: \(first)"); return }
        #expect(entry.kind == .redemption && entry.points == -50 && entry.key == "redemption:voucher-1" && entry.reason == "bus ticket")
        #expect(balance == earned - 50)
        let again = try ledger.redeem(rider: "R1", points: 50, reference: "voucher-1")
        #expect(again == .alreadyRedeemed(entry: entry, balance: earned - 50))
        #expect(try ledger.entries().count == 2)
        #expect(try ledger.balance(rider: "R1").points == earned - 50)
    }

    @Test("the same reference for another rider or amount is a conflict; nothing is spent", arguments: Backend.all)
    func redeemConflict(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let earned = try credit(ledger, "e1", metres: 10_000, day: "2024-05-06")
        _ = try credit(ledger, "e2", rider: "R2", metres: 10_000, day: "2024-05-06")
        _ = try ledger.redeem(rider: "R1", points: 10, reference: "order-7")
        #expect(code { _ = try ledger.redeem(rider: "R1", points: 11, reference: "order-7") } == .referenceConflict)
        #expect(code { _ = try ledger.redeem(rider: "R2", points: 10, reference: "order-7") } == .referenceConflict)
        #expect(try ledger.balance(rider: "R1").points == earned - 10)
        #expect(try ledger.balance(rider: "R2").points == earned)
        #expect(try ledger.entries().count == 3)
    }

    @Test("more points than the balance, zero points or no reference: refused, nothing stored", arguments: Backend.all)
    func redeemRefused(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let earned = try credit(ledger, "e1", metres: 10_000, day: "2024-05-06")
        #expect(code { _ = try ledger.redeem(rider: "R1", points: earned + 1, reference: "a") } == .insufficientPoints)
        #expect(code { _ = try ledger.redeem(rider: "nobody", points: 1, reference: "b") } == .insufficientPoints)
        #expect(code { _ = try ledger.redeem(rider: "R1", points: 0, reference: "c") } == .invalidRedemption)
        #expect(code { _ = try ledger.redeem(rider: "R1", points: 1, reference: "") } == .invalidRedemption)
        #expect(try ledger.entries().count == 1)
        // The refused reference stays free: the exact balance can be redeemed with it.
        #expect(try ledger.redeem(rider: "R1", points: earned, reference: "a").balance == 0)
        #expect(code { _ = try ledger.redeem(rider: "R1", points: 1, reference: "d") } == .insufficientPoints)
    }

    @Test("two writers redeeming the same points at once: one wins, the balance never goes negative", arguments: Backend.all)
    func redeemRace(_ backend: Backend) throws {
        let path = try backend.location("l")
        let ledgers = [try openLedger(path), try openLedger(path)]
        let earned = try credit(ledgers[0], "e1", metres: 10_000, day: "2024-05-06")
        let wanted = earned / 2 + 1 // two of these do not fit
        let codes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            do {
                _ = try ledgers[worker].redeem(rider: "R1", points: wanted, reference: "race-\(worker)")
                codes.add("ok")
            } catch {
                codes.add((error as? CarbonError)?.code.rawValue ?? "\(error)")
            }
        }
        #expect(codes.all.sorted() == [CarbonError.Code.insufficientPoints.rawValue, "ok"])
        #expect(try ledgers[1].balance(rider: "R1").points == earned - wanted)
    }

    // MARK: Expiry

    /// The expiry rule computed lot by lot, independently of the ledger's SQL: net lots by
    /// cap day, debits taken from the oldest, the rest of the lots before `cutoff` lapses
    /// (never more than the balance).
    struct Model {
        var lots: [(day: Int32, points: Int)] = []
        var debits = 0

        func due(before cutoff: GTFSDate) -> Int {
            var left = debits, old = 0
            for lot in lots.sorted(by: { $0.day < $1.day }) {
                let used = min(left, lot.points)
                left -= used
                if lot.day < cutoff.yyyymmdd { old += lot.points - used }
            }
            return max(0, min(old, balance))
        }

        var balance: Int { lots.reduce(0) { $0 + $1.points } - debits }
    }

    @Test("FIFO expiry on a hand-built ledger: credits on several days, redemptions, a reversal, successive runs", arguments: Backend.all)
    func fifoArithmetic(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        var r1 = Model(), r2 = Model()
        for (event, metres, day) in [("e1", 10_000.0, "2024-01-10"), ("e2", 5000, "2024-02-10"), ("e3", 10_000, "2024-03-10"), ("e4", 2000, "2024-04-10")] {
            r1.lots.append((try date(day).yyyymmdd, try credit(ledger, event, metres: metres, day: day)))
        }
        r2.lots.append((try date("2024-01-10").yyyymmdd, try credit(ledger, "f1", rider: "R2", metres: 5000, day: "2024-01-10")))
        _ = try ledger.redeem(rider: "R1", points: 50, reference: "v1")
        r1.debits += 50
        let reversal = try ledger.reverse(eventID: "e3", reason: "duplicate trip")
        r1.lots[2].points += reversal.points

        let validDays = 30
        func run(_ asOf: String) throws -> ExpiryRun {
            let day = try date(asOf)
            let cutoff = day.adding(days: -validDays)
            let expected = [("R1", r1.due(before: cutoff)), ("R2", r2.due(before: cutoff))].filter { $0.1 > 0 }
            let result = try ledger.expire(asOf: day, validDays: validDays, policyVersion: "test-1")
            #expect(result.lapsedBefore == cutoff)
            #expect(result.expired.map(\.rider) == expected.map(\.0), "as of \(asOf)")
            #expect(result.expired.map(\.points) == expected.map(\.1), "as of \(asOf)")
            for x in result.expired {
                if x.rider == "R1" { r1.debits += x.points } else { r2.debits += x.points }
                #expect(x.balance == (x.rider == "R1" ? r1.balance : r2.balance))
            }
            #expect(try ledger.balance(rider: "R1").points == r1.balance)
            #expect(try ledger.balance(rider: "R2").points == r2.balance)
            #expect(r1.balance >= 0 && r2.balance >= 0)
            return result
        }

        // As of 2024-02-15 (lapsing before 2024-01-16): the 2024-01-10 lots, R1's less the 50 redeemed.
        let first = try run("2024-02-15")
        #expect(first.expired.map(\.points) == [r1.lots[0].points - 50, r2.lots[0].points])
        // The same day again: nothing.
        let again = try run("2024-02-15")
        #expect(again.expired.isEmpty && again.alreadyExpired.isEmpty)
        // A redemption takes the oldest remaining points (2024-02-10's), so less lapses next.
        _ = try ledger.redeem(rider: "R1", points: 20, reference: "v2")
        r1.debits += 20
        let second = try run("2024-03-15")
        #expect(second.expired.map(\.points) == [r1.lots[1].points - 20])
        // 2024-03-10's credit was reversed: nothing left to lapse.
        #expect(try run("2024-04-15").expired.isEmpty)
        let last = try run("2024-05-15")
        #expect(last.expired.map(\.points) == [r1.lots[3].points])
        #expect(try ledger.balance(rider: "R1").points == 0)
        // Every expiry entry: negative points, keyed by rider and as-of day.
        let expiries = try ledger.entries().filter { $0.kind == .expiry }
        #expect(expiries.map(\.key) == ["expiry:R1:20240215", "expiry:R2:20240215", "expiry:R1:20240315", "expiry:R1:20240515"])
        #expect(expiries.allSatisfy { $0.points < 0 && $0.policyVersion == "test-1" && $0.grams == 0 })
        #expect(code { _ = try ledger.redeem(rider: "R1", points: 1, reference: "v3") } == .insufficientPoints)
    }

    @Test("a late credit for an old day: the same as-of day does not lapse twice, the next day does", arguments: Backend.all)
    func lateCredit(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let a = try credit(ledger, "e1", metres: 10_000, day: "2024-01-10")
        let asOf = try date("2024-03-01")
        #expect(try ledger.expire(asOf: asOf, validDays: 30).expired.map(\.points) == [a])
        let late = try credit(ledger, "e2", metres: 5000, day: "2024-01-12")
        let again = try ledger.expire(asOf: asOf, validDays: 30)
        #expect(again.expired.isEmpty && again.alreadyExpired == ["R1"])
        #expect(try ledger.expire(asOf: asOf.adding(days: 1), validDays: 30).expired.map(\.points) == [late])
        #expect(try ledger.balance(rider: "R1").points == 0)
    }

    @Test("the validity boundary: a cap day exactly validDays before the as-of day is still valid", arguments: Backend.all)
    func boundary(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let points = try credit(ledger, "e1", metres: 10_000, day: "2024-01-10")
        let earned = try date("2024-01-10")
        #expect(try ledger.expire(asOf: earned.adding(days: 30), validDays: 30).expired.isEmpty)
        #expect(try ledger.expire(asOf: earned.adding(days: 31), validDays: 30).expired.map(\.points) == [points])
    }

    @Test("a balance already negative (a reversal after spending) is not expired further", arguments: Backend.all)
    func negativeBalance(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let a = try credit(ledger, "e1", metres: 10_000, day: "2024-01-10")
        let b = try credit(ledger, "e2", metres: 5000, day: "2024-01-11")
        _ = try ledger.redeem(rider: "R1", points: a + b, reference: "all")
        _ = try ledger.reverse(eventID: "e1", reason: "fraud")
        #expect(try ledger.balance(rider: "R1").points == -a)
        #expect(try ledger.expire(asOf: try date("2025-01-01"), validDays: 30).expired.isEmpty)
        #expect(try ledger.balance(rider: "R1").points == -a)
    }

    @Test("the policy's points_valid_days: 365 in the default, absent means never, below 1 is invalid")
    func policyValidity() throws {
        let standard = try Policy.standard
        #expect(standard.pointsValidDays == 365 && standard.version == "default-2026.2")
        let ledger = try SQLiteLedger(path: try Fixture.folder() + "/l.db")
        _ = try credit(ledger, "e1", metres: 10_000, day: "2024-01-10")
        let never = try ledger.expire(asOf: try date("2030-01-01"), policy: policy)
        #expect(policy.pointsValidDays == nil && never.validDays == nil && never.expired.isEmpty)
        let run = try ledger.expire(asOf: try date("2030-01-01"), policy: standard)
        #expect(run.validDays == 365 && run.expired.count == 1)
        #expect(try ledger.entries().last?.policyVersion == "default-2026.2")
        let zero = #"{"version": "x", "grams_per_point": 10, "points_valid_days": 0, "schedule_tolerance_seconds": 1, "min_distance_metres": {}, "caps": {"per_trip_grams": 1, "per_rider_day_grams": 1, "per_mode_day_grams": {}}, "speed_kmh": {}}"#
        #expect(code { _ = try Policy.parse(zero, file: "p.json") } == .policyInvalid)
        #expect(try Policy.parse(zero.replacingOccurrences(of: "\"points_valid_days\": 0", with: "\"points_valid_days\": 7"), file: "p.json").pointsValidDays == 7)
        #expect(code { _ = try ledger.expire(asOf: try date("2030-01-01"), validDays: 0) } == .invalidExpiry)
    }
}

/// Strings collected from several threads.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
