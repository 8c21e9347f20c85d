import Foundation
import GTFS
import Testing
import TestSupport
@testable import Timetable

/// `transit plan --out` on the shipped sample never exits 0 with a timetable that does not fit.
@Suite("Operable plans on the sample: the export fits the fleet or the exit says why")
struct OperablePlanTests {
    /// The blocks of an exported feed, checked from its files alone: per `block_id` the span
    /// from its first departure to its last arrival.
    static func blockSpans(_ path: String) throws -> (spans: [(Int32, Int32)], tripsWithoutBlock: Int, tripCount: Int) {
        let feed = try FeedReader.load(path).feed
        let trips = feed.trips
        var blockOfTrip: [Int32: String] = [:]
        var without = 0
        for row in 0..<trips.count {
            if let block = trips.block?[row], !block.isEmpty { blockOfTrip[trips.id[row]] = block } else { without += 1 }
        }
        var span: [String: (Int32, Int32)] = [:]
        let st = feed.stopTimes
        for row in 0..<st.count {
            guard let block = blockOfTrip[st.trip[row]] else { continue }
            let dep = st.departure[row] >= 0 ? st.departure[row] : st.arrival[row]
            let arr = st.arrival[row] >= 0 ? st.arrival[row] : st.departure[row]
            guard dep >= 0 || arr >= 0 else { continue }
            let old = span[block] ?? (Int32.max, Int32.min)
            span[block] = (min(old.0, dep >= 0 ? dep : arr), max(old.1, arr >= 0 ? arr : dep))
        }
        return (Array(span.values), without, trips.count)
    }

    /// The most spans covering one instant (half-open).
    static func peak(_ spans: [(Int32, Int32)]) -> Int {
        var events: [(Int32, Int)] = []
        for (a, b) in spans { events.append((a, 1)); events.append((b, -1)) }
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var level = 0, best = 0
        for e in events { level += e.1; best = max(best, level) }
        return best
    }

    @Test("every fleet from 75 up, unlimited, and with a budget: exit 0 with an export that fits, else exit 1 with the reason",
          arguments: [["--fleet", "75"], ["--fleet", "76"], ["--fleet", "77"], ["--fleet", "78"], ["--fleet", "79"],
                      ["--fleet", "80"], ["--fleet", "81"], ["--fleet", "82"], ["--fleet", "85"], ["--fleet", "90"],
                      ["--fleet", "120"], [], ["--fleet", "80", "--budget", "100000"], ["--fleet", "75", "--budget", "100000"],
                      ["--fleet", "74"], ["--fleet", "72"]])
    func sweep(_ extra: [String]) throws {
        let out = PlanFixtures.temporaryPath("operable.zip")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try TransitBinary.run(["plan", "gtfs/sample-city", "--out", out] + extra)
        let fleet = extra.firstIndex(of: "--fleet").flatMap { Int(extra[$0 + 1]) }
        if result.status == 0 {
            let (spans, without, count) = try Self.blockSpans(out)
            #expect(without == 0, "every exported trip has a block_id")
            #expect(count > 1000)
            if let fleet {
                #expect(spans.count <= fleet, "\(extra): \(spans.count) blocks")
                #expect(Self.peak(spans) <= fleet, "\(extra): \(Self.peak(spans)) in service at once")
            }
            #expect(result.stdout.contains("The timetable fits the fleet."))
        } else {
            #expect(result.status == 1, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains("no operable plan") || result.stderr.contains("infeasible"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // From 75 vehicles up the sample always has an operable plan (the note reports 75 as the least).
        if let fleet, fleet >= 75 { #expect(result.status == 0, "\(extra): \(result.stderr)") }
        if let fleet, fleet < 75 { #expect(result.status == 1) }
    }

    @Test("the plan JSON says both counts: the model's vehicles and the blocks, per period and for the day")
    func bothCounts() throws {
        let result = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "76", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let operation = try #require(object["operation"] as? [String: Any])
        #expect(operation["fits"] as? Bool == true)
        let blocks = try #require(operation["blocks"] as? Int)
        let lower = try #require(operation["lower_bound"] as? Int)
        #expect(blocks <= 76 && lower <= blocks)
        // Interlining is on by default with several routes; its saving is reported.
        let saved = try #require(operation["vehicles_saved_by_interlining"] as? Int)
        #expect(saved >= 0)
        let periods = try #require(operation["periods"] as? [[String: Any]])
        #expect(periods.count == 6)
        for p in periods {
            let model = try #require(p["model_vehicles"] as? Int)
            let limit = try #require(p["model_limit"] as? Int)
            let inService = try #require(p["blocks_in_service"] as? Int)
            #expect(model <= limit && limit <= 76 && inService <= 76)
            #expect(p["fleet"] as? Int == 76)
        }
        // The periods' fleet is the user's, so the timetable step reads the same limits.
        let rows = try #require(object["periods"] as? [[String: Any]])
        #expect(rows.allSatisfy { $0["fleet"] as? Int == 76 })
    }
}
