import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

/// An inferred `rider_trip.txt` (as `transit ridership infer` writes: GTFS-ride columns plus
/// `tap_id` and the inference columns) credited directly, and the policy's rule for legs
/// without an alighting stop.
@Suite("boarding-only legs from an inferred rider_trip.txt")
struct BoardingOnlyTests {
    static let rideHeader = "rider_id,agency_id,trip_id,boarding_stop_id,boarding_stop_sequence,alighting_stop_id,alighting_stop_sequence,service_date,boarding_time,alighting_time"
    static let inferredHeader = rideHeader + ",transfer_status,tap_id,match_method,alighting_method,unresolved_reason,link,alighting_distance_m"

    /// The first `count` rows of the sample city's `rider_trip.txt`, its first ten columns.
    static func sampleRows(_ count: Int) throws -> [[String]] {
        let text = try String(contentsOfFile: SharedData.samplePath + "/rider_trip.txt", encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().prefix(count).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return rows.map { Array($0.prefix(10)) }
    }

    /// An inferred file from the first five sample rows: rows 1, 2, 4 and 5 resolved (taps
    /// T1, T2, T4, T5), row 3 boarding-only (T3: its alighting hidden), plus a tap matched to
    /// no trip (T6). Also the original five rows as a plain GTFS-ride file.
    static func files() throws -> (inferred: String, original: String, rows: [[String]]) {
        let rows = try sampleRows(5)
        var lines = [inferredHeader]
        for (i, r) in rows.enumerated() {
            let tap = "T\(i + 1)"
            if i == 2 {
                var b = r
                b[5] = ""; b[6] = ""; b[9] = ""
                lines.append(b.joined(separator: ",") + ",0,\(tap),trip_id,,single_tap,,")
            } else {
                lines.append(r.joined(separator: ",") + ",0,\(tap),trip_id,next_tap,,activity,120.5")
            }
        }
        lines.append("R9,RVT,,\(rows[2][3]),,,,\(rows[2][7]),\(rows[2][8]),,0,T6,,,no_trip_match,,")
        let inferred = try Fixture.write(lines.joined(separator: "\n") + "\n", name: "rider_trip.txt")
        let original = try Fixture.write(([rideHeader] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n", name: "rider_trip.txt")
        return (inferred, original, rows)
    }

    /// The default policy with `boarding_only` replaced by `rule` (JSON).
    static func policy(boardingOnly rule: String, perTrip: Int? = nil) throws -> Policy {
        var text = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("Sources/Carbon/Data/policy-default.json").path, encoding: .utf8)
        text = text.replacingOccurrences(of: #""boarding_only": {"rule": "reject"}"#, with: #""boarding_only": "# + rule)
        if let perTrip { text = text.replacingOccurrences(of: #""per_trip_grams": 5000"#, with: #""per_trip_grams": \#(perTrip)"#) }
        return try Policy.parse(text, file: "p.json")
    }

    static func pricer(_ policy: Policy) throws -> Pricer {
        let f = try FeedLegs(path: SharedData.samplePath)
        return Pricer(factors: try Fixture.factors(), policy: policy, feed: f.context)
    }

    static func records(_ items: [LogItem]) -> [TripRecord] {
        items.compactMap { if case .record(let r) = $0 { r } else { nil } }
    }

    @Test("the reader: tap ids give the event ids, a boarding-only row is a record, an unmatched tap is missing_field trip_id")
    func reading() throws {
        let (inferred, _, rows) = try Self.files()
        let items = try Fixture.read(inferred)
        #expect(items.count == 6)
        let records = Self.records(items)
        #expect(records.map(\.eventID) == ["tap:T1", "tap:T2", "tap:T3", "tap:T4", "tap:T5"])
        #expect(records.allSatisfy { $0.source == "gtfs-ride" })
        let boarding = records[2]
        #expect(boarding.alightStopID == nil && boarding.alightSequence == nil && boarding.alightServiceSeconds == nil)
        #expect(boarding.tripID == rows[2][2] && boarding.boardStopID == rows[2][3] && boarding.boardSequence == Int32(rows[2][4]))
        guard case .rejected(let unmatched)? = items.last else { Issue.record("the unmatched tap was not rejected"); return }
        #expect(unmatched.reason == .missingField && unmatched.field == "trip_id" && unmatched.eventID == "tap:T6")
        #expect(unmatched.detail.contains("no_trip_match"))
    }

    @Test("the reader: only one of alighting_stop_id and alighting_time empty is rejected, naming it; a too-long tap_id is field_too_long")
    func halfAlighting() throws {
        let path = try Fixture.write("""
            \(Self.inferredHeader)
            R1,RVT,T,S1,1,,,20260310,05:00:00,05:10:00,0,a,,,,,
            R1,RVT,T,S1,1,S2,2,20260310,05:00:00,,0,b,,,,,
            R1,RVT,T,S1,1,,2,20260310,05:00:00,,0,c,,,,,
            R1,RVT,T,S1,1,,,20260310,05:00:00,,0,\(String(repeating: "x", count: 252)),,,,,
            R1,RVT,T,S1,1,,,20260310,05:00:00,,0,,,,,,
            """, name: "rider_trip.txt")
        let items = try Fixture.read(path)
        let rejected = items.compactMap { if case .rejected(let r) = $0 { r } else { nil } }
        #expect(rejected.map(\.reason) == [.missingField, .missingField, .missingField, .fieldTooLong])
        #expect(rejected.map(\.field) == ["alighting_stop_id", "alighting_time", "alighting_stop_id", "tap_id"])
        #expect(rejected.map(\.eventID) == ["tap:a", "tap:b", "tap:c", nil])
        // No tap id: the event id is derived as for any GTFS-ride row.
        #expect(Self.records(items).map(\.eventID) == ["RVT:T:20260310:1:05:00:00:R1"])
    }

    @Test("default policy: the boarding-only leg is rejected no_alighting, the resolved legs price as from the plain file")
    func defaultPolicyRejects() throws {
        let (inferred, original, _) = try Self.files()
        let standard = try Fixture.policy()
        #expect(standard.boardingOnlyRule.rule == .reject)
        let pricer = try Self.pricer(standard)
        let legs = Self.records(try Fixture.read(inferred)).map(pricer.price)
        let before = Self.records(try Fixture.read(original)).map(pricer.price)
        #expect(legs.count == 5 && before.count == 5)
        for i in [0, 1, 3, 4] {
            guard case .success(let leg) = legs[i], case .success(let plain) = before[i] else {
                Issue.record("row \(i + 1) was not priced: \(legs[i]) \(before[i])"); continue
            }
            #expect(leg.metres == plain.metres && leg.grams == plain.grams && leg.distanceSource == plain.distanceSource && leg.mode == plain.mode)
            #expect(leg.metres > 0 && leg.distanceSource != .perBoarding && leg.eventID == "tap:T\(i + 1)")
        }
        guard case .failure(let r) = legs[2] else { Issue.record("the boarding-only leg was priced: \(legs[2])"); return }
        #expect(r.reason == .noAlighting && r.eventID == "tap:T3")
        #expect(r.detail.contains("no alighting stop") && r.detail.contains("per_boarding") && r.detail.contains(standard.version))
    }

    @Test("per_boarding policy: the leg earns exactly the mode's grams, method per_boarding, no distance; a mode without grams is no_alighting")
    func perBoarding() throws {
        let (inferred, _, _) = try Self.files()
        let policy = try Self.policy(boardingOnly: #"{"rule": "per_boarding", "grams": {"bus": 137, "tram": 91}}"#)
        let records = Self.records(try Fixture.read(inferred))
        guard case .success(let leg) = try Self.pricer(policy).price(records[2]) else { Issue.record("not priced"); return }
        #expect(policy.boardingOnlyRule.gramsPerBoarding(leg.mode) == leg.grams)
        #expect(leg.grams == policy.boardingOnlyRule.grams[leg.mode.rawValue] && leg.gramsUncapped == leg.grams)
        #expect(leg.distanceSource == .perBoarding && leg.factorSource == .perBoarding && leg.metres == 0)
        #expect(leg.eventID == "tap:T3" && leg.tripID == records[2].tripID && leg.day == records[2].serviceDate)

        // The per-trip cap still applies.
        let capped = try Self.policy(boardingOnly: #"{"rule": "per_boarding", "grams": {"bus": 137}}"#, perTrip: 100)
        guard case .success(let small) = try Self.pricer(capped).price(records[2]) else { Issue.record("not priced"); return }
        #expect(small.grams == 100 && small.gramsUncapped == 137)

        // A mode the map leaves out is rejected, naming the mode.
        let other = leg.mode == .tram ? "bus" : "tram"
        let without = try Self.policy(boardingOnly: #"{"rule": "per_boarding", "grams": {"\#(other)": 50}}"#)
        guard case .failure(let r) = try Self.pricer(without).price(records[2]) else { Issue.record("priced without grams for the mode"); return }
        #expect(r.reason == .noAlighting && r.detail.contains(leg.mode.rawValue))
    }

    @Test("per_boarding still checks the boarding against the schedule and the feed")
    func perBoardingChecks() throws {
        let (inferred, _, _) = try Self.files()
        let pricer = try Self.pricer(try Self.policy(boardingOnly: #"{"rule": "per_boarding", "grams": {"bus": 137, "tram": 91}}"#))
        let base = Self.records(try Fixture.read(inferred))[2]
        var late = base
        late.boardServiceSeconds = (base.boardServiceSeconds ?? 0) + 7200
        var unknownTrip = base
        unknownTrip.tripID = "no-such-trip"
        var offTrip = base
        offTrip.boardSequence = nil
        offTrip.boardStopID = "TC-B"
        var notRunning = base
        notRunning.serviceDate = base.serviceDate?.adding(days: 5)  // a Sunday: weekday trips do not run
        func reason(_ r: TripRecord) -> RejectionReason? {
            if case .failure(let rej) = pricer.price(r) { rej.reason } else { nil }
        }
        #expect(reason(late) == .offSchedule)
        #expect(reason(unknownTrip) == .unknownTrip)
        #expect(reason(notRunning) == .tripNotRunning)
        // TC-B is a stop of the feed, but this trip (route 5 inbound) calls at TC-A instead.
        #expect(reason(offTrip) == .unknownStop)
        // Nobody boards at a trip's last stop.
        var last = base
        last.boardSequence = nil
        last.boardStopID = "S1194"
        #expect(reason(last) == .unknownStop)
        #expect(reason(base) == nil)
    }

    @Test("the same inferred file credited twice into a ledger credits each tap once")
    func ledgerOnce() throws {
        let (inferred, _, _) = try Self.files()
        let policy = try Self.policy(boardingOnly: #"{"rule": "per_boarding", "grams": {"bus": 137, "tram": 91}}"#)
        let pricer = try Self.pricer(policy)
        let ledger = try SQLiteLedger(path: try Fixture.folder() + "/l.sqlite")
        let first = try CreditRun.run(logPath: inferred, pricer: pricer, ledger: ledger)
        #expect(first.accepted == 5 && first.rejectedByReason == [.missingField: 1] && first.duplicates == 0)
        #expect(first.creditedByFactorSource[.perBoarding] == 1)
        let second = try CreditRun.run(logPath: inferred, pricer: pricer, ledger: ledger)
        #expect(second.accepted == 0 && second.duplicates == 5 && second.grams == 0)
        let entries = try ledger.entries()
        #expect(entries.count == 5)
        #expect(Set(entries.map(\.eventID)) == ["tap:T1", "tap:T2", "tap:T3", "tap:T4", "tap:T5"])
        guard let boarding = entries.first(where: { $0.eventID == "tap:T3" }), let mode = boarding.mode.flatMap(Mode.init(rawValue:)) else {
            Issue.record("no entry for tap T3"); return
        }
        let grams = policy.boardingOnlyRule.gramsPerBoarding(mode) ?? -1
        #expect(boarding.distanceSource == "per_boarding" && boarding.metres == 0 && boarding.grams == grams)
        #expect(boarding.points == grams / policy.gramsPerPoint)
    }

    @Test("transit carbon credit takes the inferred file: no_alighting by default, per_boarding with --policy, the table names both")
    func command() throws {
        let (inferred, _, rows) = try Self.files()
        let folder = try Fixture.folder()
        let base = ["carbon", "credit", inferred, "--feed", "gtfs/sample-city"]
        let rejecting = try Binary.run(base + ["--ledger", folder + "/a.db", "--format", "json"])
        #expect(rejecting.status == 0, "\(rejecting.stderr)")
        let j = try Binary.json(rejecting.stdout)
        #expect(j["accepted"] as? Int == 4 && j["rejected"] as? Int == 2)
        #expect(j["rejected_by_reason"] as? [String: Int] == ["no_alighting": 1, "missing_field": 1])

        var text = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("Sources/Carbon/Data/policy-default.json").path, encoding: .utf8)
        text = text.replacingOccurrences(of: #""boarding_only": {"rule": "reject"}"#, with: #""boarding_only": {"rule": "per_boarding", "grams": {"bus": 137, "tram": 91}}"#)
        let policy = folder + "/policy.json"
        try text.write(toFile: policy, atomically: true, encoding: .utf8)
        let crediting = try Binary.run(base + ["--ledger", folder + "/b.db", "--policy", policy])
        #expect(crediting.status == 0, "\(crediting.stderr)")
        #expect(crediting.stdout.contains("factor: per_boarding") && crediting.stdout.contains("missing_field"))
        #expect(!crediting.stdout.contains("no_alighting"))
        let statement = try Binary.run(["carbon", "statement", rows[2][0], "--ledger", folder + "/b.db"])
        #expect(statement.status == 0 && statement.stdout.contains("tap:T3") && statement.stdout.contains("per boarding"), "\(statement.stdout)")
        let factors = try Binary.run(["carbon", "factors", "--policy", policy])
        #expect(factors.status == 0 && factors.stdout.contains("credited per boarding, bus 137 g, tram 91 g"), "\(factors.stdout)")
    }

    @Test("policy validation of boarding_only", arguments: [
        (#"{"rule": "guess"}"#, "boarding_only.rule"),
        (#"{"rule": "per_boarding", "grams": {"bus": -1}}"#, "boarding_only.grams.bus"),
        (#"{"rule": "per_boarding", "grams": {"hovercraft": 10}}"#, "boarding_only.grams"),
        (#"{"rule": "per_boarding", "grams": {"car_petrol": 10}}"#, "boarding_only.grams.car_petrol"),
        (#"{"rule": "per_boarding"}"#, "boarding_only.grams"),
        (#"{"rule": "reject", "grams": {"bus": 10}}"#, "boarding_only.grams"),
        (#"{"grams": {"bus": 10}}"#, "boarding_only.rule"),
    ])
    func validation(rule: String, field: String) throws {
        do {
            let p = try Self.policy(boardingOnly: rule)
            Issue.record("accepted \(rule): \(p.boardingOnlyRule)")
        } catch let error as CarbonError {
            #expect(error.code == .policyInvalid && error.message.contains(field), "\(error.message)")
        }
    }

    @Test("a policy without boarding_only rejects boarding-only legs; per_boarding parses")
    func absentAndValid() throws {
        let absent = try Self.policy(boardingOnly: #"{"rule": "reject"}"#)
        #expect(absent.boardingOnlyRule == BoardingOnlyRule(rule: .reject))
        var text = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("Sources/Carbon/Data/policy-default.json").path, encoding: .utf8)
        text = text.replacingOccurrences(of: #""boarding_only": {"rule": "reject"},"#, with: "")
        let without = try Policy.parse(text, file: "p.json")
        #expect(without.boardingOnly == nil && without.boardingOnlyRule.rule == .reject && without.boardingOnlyRule.gramsPerBoarding(.bus) == nil)
        let per = try Self.policy(boardingOnly: #"{"rule": "per_boarding", "grams": {"bus": 150, "metro": 0}}"#)
        #expect(per.boardingOnlyRule.gramsPerBoarding(.bus) == 150 && per.boardingOnlyRule.gramsPerBoarding(.metro) == 0)
        #expect(per.boardingOnlyRule.gramsPerBoarding(.tram) == nil)
    }
}
