import Foundation
import Ridership
import Testing
import TestSupport

/// `transit ridership infer` end to end on the sample city, run as the built binary. Each run
/// waits on a child process on a thread of its own, so it never holds a thread Swift
/// concurrency gives the other tests.
@Suite("transit ridership infer")
struct RidershipInferCLITests {
    /// Runs `transit` with `arguments` on a thread of its own.
    static func transit(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess.Result {
        try await TransitBinary.runOffPool(arguments, environment: environment)
    }

    /// Taps made from the sample's `rider_trip.txt` boardings of 2026-03-10 (alightings
    /// hidden; every other tap without `trip_id`), as CSV lines after the header, and the
    /// card ids used.
    static func sampleTaps(limit: Int = .max) throws -> (csv: String, count: Int, cards: Set<String>) {
        let root = SharedData.samplePath
        var routeOfTrip: [String: String] = [:]
        let trips = try String(contentsOfFile: root + "/trips.txt", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let tripHeader = try #require(trips.first)
        let tr = try #require(tripHeader.firstIndex(of: "route_id")), tt = try #require(tripHeader.firstIndex(of: "trip_id"))
        for row in trips.dropFirst() where row.count > max(tr, tt) { routeOfTrip[String(row[tt])] = String(row[tr]) }
        let rides = try String(contentsOfFile: root + "/rider_trip.txt", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let h = try #require(rides.first)
        func column(_ name: Substring) throws -> Int { try #require(h.firstIndex(of: name)) }
        let rider = try column("rider_id"), trip = try column("trip_id"), stop = try column("boarding_stop_id")
        let date = try column("service_date"), time = try column("boarding_time")
        // 2026-03-10 in America/Chicago is on daylight time (UTC-5) from March 8.
        let zone = try #require(TimeZone(identifier: "America/Chicago"))
        let noon = Date(timeIntervalSince1970: 1_773_100_800 + 43_200)
        let start = 1_773_100_800 - zone.secondsFromGMT(for: noon)
        let formatter = ISO8601DateFormatter()
        var csv = "tap_id,card_id,tap_time,route_id,trip_id,stop_id\n", count = 0
        var cards = Set<String>()
        for row in rides.dropFirst() where row.count == h.count && row[date] == "20260310" && count < limit {
            let parts = row[time].split(separator: ":").compactMap { Int($0) }
            guard parts.count == 3 else { continue }
            let when = Date(timeIntervalSince1970: TimeInterval(start + parts[0] * 3600 + parts[1] * 60 + parts[2]))
            let tripID = String(row[trip])
            let route = try #require(routeOfTrip[tripID])
            csv += "tap\(count),\(row[rider]),\(formatter.string(from: when)),\(route),\(count % 2 == 0 ? tripID : ""),\(row[stop])\n"
            cards.insert(String(row[rider]))
            count += 1
        }
        return (csv, count, cards)
    }

    @Test("infer the sample day: a JSON summary, three files, one rider_trip row per tap; plan from board_alight.txt")
    func inferAndPlan() async throws {
        let folder = try TemporaryFolder("ridership-infer")
        defer { folder.remove() }
        let taps = try Self.sampleTaps()
        #expect(taps.count > 1000)
        let tapsPath = folder.file("taps.csv")
        try taps.csv.write(toFile: tapsPath, atomically: true, encoding: .utf8)
        let out = folder.file("out")
        let r = try await Self.transit(["ridership", "infer", tapsPath, "--feed", "gtfs/sample-city", "--date", "20260310",
                                        "--out", out, "--format", "json"])
        #expect(r.status == 0, "\(r.combined)")
        let summary = try TransitBinary.json(r.stdout)
        #expect(summary["taps_read"] as? Int == taps.count)
        #expect(summary["matched_total"] as? Int == taps.count)
        #expect(summary["cards"] as? Int == taps.cards.count)
        let alightings = try #require(summary["alightings_total"] as? Int)
        #expect(alightings >= taps.count * 7 / 10 && alightings <= taps.count, "\(alightings) alightings of \(taps.count) taps")
        #expect((summary["transfers"] as? Int ?? 0) > 0)
        #expect((summary["trips_counted"] as? Int ?? 0) > 0)
        #expect((summary["rejected"] as? [String: Int])?.values.reduce(0, +) ?? 0 == 0)
        #expect(Set(try folder.names("out")) == ["board_alight.txt", "rider_trip.txt", "summary.json"])
        let saved = try TransitBinary.json(try String(contentsOfFile: out + "/summary.json", encoding: .utf8))
        #expect(saved["alightings_total"] as? Int == alightings && saved["taps_read"] as? Int == taps.count)

        let rows = try String(contentsOfFile: out + "/rider_trip.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.first.map(String.init) == TapInferenceRun.riderTripHeader)
        let body = rows.dropFirst().filter { !$0.isEmpty }
        #expect(body.count == taps.count)
        let header = TapInferenceRun.riderTripHeader.split(separator: ",")
        let tapColumn = try #require(header.firstIndex(of: "tap_id")), alightColumn = try #require(header.firstIndex(of: "alighting_stop_id"))
        let cells = body.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(cells.allSatisfy { $0.count == header.count })
        #expect(cells.map { String($0[tapColumn]) } == (0..<taps.count).map { "tap\($0)" })
        #expect(cells.filter { !$0[alightColumn].isEmpty }.count == alightings)

        let board = try String(contentsOfFile: out + "/board_alight.txt", encoding: .utf8).split(separator: "\n")
        #expect(board.first.map(String.init) == TapInferenceRun.boardAlightHeader)
        #expect(board.count > 1)

        let plan = try await Self.transit(["plan", "gtfs/sample-city", "--fleet", "75", "--format", "json", "--ridership", out + "/board_alight.txt"])
        #expect(plan.status == 0, "\(plan.combined.prefix(2000))")
        #expect((try? TransitBinary.json(plan.stdout)) != nil, "\(plan.stdout.prefix(500))")
    }

    @Test("errors: a missing taps file names its path; --format csv is refused")
    func errors() async throws {
        let missing = TemporaryFolder.uniquePath("no-such-taps") + ".csv"
        let out = TemporaryFolder.uniquePath("ridership-out")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try await Self.transit(["ridership", "infer", missing, "--feed", "gtfs/sample-city", "--date", "20260310", "--out", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains(missing), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/rider_trip.txt"))
        let csv = try await Self.transit(["ridership", "infer", missing, "--feed", "gtfs/sample-city", "--date", "20260310",
                                          "--out", out, "--format", "csv"])
        #expect(csv.status != 0)
        #expect(csv.stderr.contains("--format"), "\(csv.stderr)")
    }

    @Test("--pseudonymize with TRANSIT_CARBON_SECRET writes p_ rider ids, never the card ids")
    func pseudonymize() async throws {
        let folder = try TemporaryFolder("ridership-pseudonyms")
        defer { folder.remove() }
        let taps = try Self.sampleTaps(limit: 60)
        let tapsPath = folder.file("taps.csv")
        try taps.csv.write(toFile: tapsPath, atomically: true, encoding: .utf8)
        let out = folder.file("out")
        let r = try await Self.transit(["ridership", "infer", tapsPath, "--feed", "gtfs/sample-city", "--date", "20260310",
                                        "--out", out, "--pseudonymize"],
                                       environment: ["TRANSIT_CARBON_SECRET": "a-test-secret-of-32-bytes-length"])
        #expect(r.status == 0, "\(r.combined)")
        let text = try String(contentsOfFile: out + "/rider_trip.txt", encoding: .utf8)
        let riders = text.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(riders.count == taps.count)
        #expect(riders.allSatisfy { $0.hasPrefix("p_") && $0.count > 10 }, "\(riders.prefix(3))")
        #expect(Set(riders).count == taps.cards.count, "one pseudonym per card")
        for card in taps.cards {
            #expect(!text.contains(card), "card id \(card) is written")
        }
    }
}
