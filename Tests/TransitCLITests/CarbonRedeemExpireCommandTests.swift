import Foundation
import Testing
import TestSupport

/// `transit carbon redeem` and `transit carbon expire` on a ledger built by `transit carbon credit`.
@Suite("transit carbon redeem and expire, end to end")
struct CarbonRedeemExpireCommandTests {
    /// Points of a bus trip of `km` whole kilometres under the shipped methodology and policy:
    /// (petrol car 170 − bus 97) g/km, 10 g per point.
    static func busPoints(km: Int) -> Int { (170 - 97) * km / 10 }

    /// A fresh folder holding a CSV trip log: R1 rides 10 km on 2025-01-10 and 2025-03-10,
    /// R2 5 km on 2025-01-10.
    static func ledgerWithCredits() throws -> (folder: URL, ledger: String) {
        let folder = try TemporaryFolder("transit-carbon").url
        let log = folder.appendingPathComponent("log.csv")
        try """
            event_id,source,rider_id,mode,start_time,end_time,distance_m
            e1,app,R1,bus,2025-01-10T08:00:00+00:00,2025-01-10T08:30:00+00:00,10000
            e2,app,R2,bus,2025-01-10T09:00:00+00:00,2025-01-10T09:30:00+00:00,5000
            e3,app,R1,bus,2025-03-10T08:00:00+00:00,2025-03-10T08:30:00+00:00,10000

            """.write(to: log, atomically: true, encoding: .utf8)
        let ledger = folder.appendingPathComponent("l.db").path
        let r = try TransitBinary.run(["carbon", "credit", log.path, "--ledger", ledger, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try TransitBinary.json(r.stdout)["accepted"] as? Int == 3)
        return (folder, ledger)
    }

    static func points(_ rider: String, _ ledger: String) throws -> Int? {
        try TransitBinary.json(try TransitBinary.run(["carbon", "balance", rider, "--ledger", ledger, "--format", "json"]).stdout)["points"] as? Int
    }

    @Test("redeem: once per reference, a retry exits 0 and changes nothing, a conflict or overdraft exits 1")
    func redeem() throws {
        let (folder, ledger) = try Self.ledgerWithCredits()
        defer { try? FileManager.default.removeItem(at: folder) }
        let earned = 2 * Self.busPoints(km: 10)
        let args = ["carbon", "redeem", "R1", "50", "--reference", "voucher-1", "--ledger", ledger, "--reason", "day ticket", "--format", "json"]
        let first = try TransitBinary.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let j = try TransitBinary.json(first.stdout)
        #expect(j["status"] as? String == "redeemed" && j["points"] as? Int == 50 && j["balance"] as? Int == earned - 50)
        let again = try TransitBinary.run(args)
        #expect(again.status == 0, "\(again.stderr)")
        let k = try TransitBinary.json(again.stdout)
        #expect(k["status"] as? String == "already_redeemed" && k["entry"] as? Int == j["entry"] as? Int && k["balance"] as? Int == earned - 50)

        let conflict = try TransitBinary.run(["carbon", "redeem", "R1", "60", "--reference", "voucher-1", "--ledger", ledger])
        #expect(conflict.status == 1 && conflict.stdout.isEmpty && conflict.stderr.contains("reference_conflict"))
        let otherRider = try TransitBinary.run(["carbon", "redeem", "R2", "50", "--reference", "voucher-1", "--ledger", ledger])
        #expect(otherRider.status == 1 && otherRider.stderr.contains("reference_conflict"))
        let overdraft = try TransitBinary.run(["carbon", "redeem", "R1", "\(earned - 50 + 1)", "--reference", "voucher-2", "--ledger", ledger])
        #expect(overdraft.status == 1 && overdraft.stdout.isEmpty && overdraft.stderr.contains("insufficient_points"))
        #expect(try Self.points("R1", ledger) == earned - 50)

        let table = try TransitBinary.run(["carbon", "redeem", "R1", "\(earned - 50)", "--reference", "voucher-2", "--ledger", ledger])
        #expect(table.status == 0 && table.stdout.contains("redeemed") && table.stdout.contains("balance 0 points"))
        #expect(try Self.points("R1", ledger) == 0)
        let zero = try TransitBinary.run(["carbon", "redeem", "R1", "0", "--reference", "voucher-3", "--ledger", ledger])
        #expect(zero.status != 0 && zero.stderr.contains("POINTS"))
    }

    @Test("expire: FIFO after a redemption, nothing twice for one day, later days lapse the rest")
    func expire() throws {
        let (folder, ledger) = try Self.ledgerWithCredits()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ten = Self.busPoints(km: 10), five = Self.busPoints(km: 5)
        #expect(try TransitBinary.run(["carbon", "redeem", "R1", "50", "--reference", "v1", "--ledger", ledger]).status == 0)

        // Default policy: 365 days. As of 2026-01-12, points earned before 2025-01-12 lapse:
        // R1's 2025-01-10 points less the 50 redeemed (oldest first), all of R2's.
        let first = try TransitBinary.run(["carbon", "expire", "--ledger", ledger, "--as-of", "2026-01-12", "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let j = try TransitBinary.json(first.stdout)
        #expect(j["points_valid_days"] as? Int == 365 && j["lapsed_before"] as? String == "2025-01-12")
        let rows = try #require(j["expired"] as? [[String: Any]])
        #expect(rows.map { $0["rider"] as? String } == ["R1", "R2"])
        #expect(rows.map { $0["points"] as? Int } == [ten - 50, five])
        #expect(rows.map { $0["balance"] as? Int } == [ten, 0])
        #expect(j["points"] as? Int == ten - 50 + five)

        let again = try TransitBinary.run(["carbon", "expire", "--ledger", ledger, "--as-of", "2026-01-12", "--format", "json"])
        let againJSON = try TransitBinary.json(again.stdout)
        #expect(again.status == 0 && againJSON["points"] as? Int == 0)
        // The 2025-03-10 credit is still valid on 2026-03-10 and lapses on 2026-03-11.
        let valid = try TransitBinary.run(["carbon", "expire", "--ledger", ledger, "--as-of", "20260310", "--format", "csv"])
        #expect(valid.status == 0 && valid.stdout == "rider,points,balance,entry\n")
        let later = try TransitBinary.run(["carbon", "expire", "--ledger", ledger, "--as-of", "2026-03-11"])
        #expect(later.status == 0 && later.stdout.contains("\(ten) points expired for 1 riders"))
        #expect(try Self.points("R1", ledger) == 0)
        #expect(try Self.points("R2", ledger) == 0)

        let statement = try TransitBinary.run(["carbon", "statement", "R1", "--ledger", ledger, "--format", "csv"])
        #expect(statement.stdout.split(separator: "\n").filter { $0.contains(",expiry,") }.count == 2)
    }

    @Test("expire with a policy without points_valid_days expires nothing; a bad --as-of exits non-zero; --help works")
    func expireOptions() throws {
        let (folder, ledger) = try Self.ledgerWithCredits()
        defer { try? FileManager.default.removeItem(at: folder) }
        let policy = folder.appendingPathComponent("policy.json")
        try #"{"version": "never", "grams_per_point": 10, "schedule_tolerance_seconds": 600, "min_distance_metres": {}, "caps": {"per_trip_grams": 5000, "per_rider_day_grams": 10000, "per_mode_day_grams": {}}, "speed_kmh": {}}"#
            .write(to: policy, atomically: true, encoding: .utf8)
        let never = try TransitBinary.run(["carbon", "expire", "--ledger", ledger, "--as-of", "2040-01-01", "--policy", policy.path, "--format", "json"])
        #expect(never.status == 0 && never.stderr.contains("never expire"))
        #expect(try TransitBinary.json(never.stdout)["points"] as? Int == 0)
        #expect(try Self.points("R1", ledger) == 2 * Self.busPoints(km: 10))

        let bad = try TransitBinary.run(["carbon", "expire", "--ledger", ledger, "--as-of", "2026-02-30"])
        #expect(bad.status != 0 && bad.stderr.contains("--as-of"))
        for command in ["redeem", "expire"] {
            let help = try TransitBinary.run(["carbon", command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("--ledger"))
        }
    }
}
