import Carbon
import Foundation
import Testing
import TestSupport

@Suite("transit carbon … --occupancy-from-ridership", .serialized)
struct OccupancyCommandTests {
    /// The test factor set (bus per vehicle-km: 1150 g, stated occupancy 11.9) as a file.
    static func vehicleKmFile() throws -> String {
        try Fixture.write("""
            {"id": "test-vkm", "version": "test-vkm.1", "title": "test", "unit": "g CO2e per passenger-km", "year": 2022,
             "source": "test", "baseline": "car_petrol", "detour_factor_permille": 1300,
             "factors": [
               {"mode": "car_petrol", "grams_per_passenger_km": 170, "year": 2022, "source": "t"},
               {"mode": "bus", "grams_per_vehicle_km": 1150, "occupancy": 11.9, "year": 2022, "source": "t"},
               {"mode": "tram", "grams_per_passenger_km": 29, "year": 2022, "source": "t"}
             ]}
            """, name: "factors-vkm.json")
    }

    @Test("factors --feed --occupancy-from-ridership lists each counted route with its measured occupancy and derived factor (json, csv, table)")
    func factorsListing() throws {
        let s = try #require(SampleOccupancy.loaded)
        let expected = try SampleOccupancy.independent(feed: s.feed, distances: s.distances)
        let file = try Self.vehicleKmFile()
        let args = ["carbon", "factors", "--feed", "gtfs/sample-city", "--occupancy-from-ridership", "--factors", file]

        let run = try Binary.run(args + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("occupancy: measured on 8 route(s)"))
        let json = try Binary.json(run.stdout)
        #expect(json["methodology_version"] as? String == "test-vkm.1")
        #expect(json["ridership_source"] as? String == "feed")
        let routes = try #require(json["routes"] as? [[String: Any]])
        #expect(Set(routes.compactMap { $0["route_id"] as? String }) == Set(expected.keys))
        for r in routes {
            let id = try #require(r["route_id"] as? String)
            let e = try #require(expected[id])
            let occupancy = try #require(r["measured_occupancy"] as? Double)
            #expect(abs(occupancy - e.pkm / e.vkm) <= 1e-9 * occupancy, "route \(id)")
            #expect(abs(try #require(r["passenger_km"] as? Double) - e.pkm) <= 1e-6 * e.pkm)
            #expect(abs(try #require(r["vehicle_km"] as? Double) - e.vkm) <= 1e-6 * e.vkm)
            #expect(r["observed_trips"] as? Int == e.trips)
            #expect(r["factor_source"] as? String == "measured_occupancy")
            #expect(r["grams_per_vehicle_km"] as? Double == 1150)
            let mg = SampleOccupancy.milligrams(1150, e.pkm / e.vkm)
            #expect(r["milligrams_per_passenger_km"] as? Int == mg)
            #expect(r["saving_milligrams_per_km"] as? Int == 170_000 - mg)
        }

        let csv = try Binary.run(args + ["--format", "csv"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("route_id,mode,factor_source,grams_per_vehicle_km,occupancy_used,measured_occupancy,passenger_km,vehicle_km,observed_trips,milligrams_per_passenger_km") == true)
        #expect(lines.count == 1 + expected.count)
        let route1 = try #require(lines.first { $0.hasPrefix("1,") }).split(separator: ",").map(String.init)
        #expect(route1[2] == "measured_occupancy")
        #expect(Int(route1[9]) == SampleOccupancy.milligrams(1150, try #require(expected["1"]).pkm / (try #require(expected["1"])).vkm))

        let table = try Binary.run(args)
        #expect(table.status == 0)
        #expect(table.stdout.contains("per-route factors; occupancy measured from the feed's board_alight.txt"))
        #expect(table.stdout.contains("factor source"))
        let routeLines = table.stdout.split(separator: "\n").filter { line in
            expected.keys.contains(String(line.prefix { $0 != " " })) && line.hasSuffix("measured_occupancy")
        }
        #expect(routeLines.count == expected.count)
    }

    @Test("with the shipped set the counted routes keep 97 g per passenger-km, and a note says why")
    func shippedSetNote() throws {
        let run = try Binary.run(["carbon", "factors", "--feed", "gtfs/sample-city", "--occupancy-from-ridership", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("keep the factor set's factor per passenger-km"))
        let routes = try #require(try Binary.json(run.stdout)["routes"] as? [[String: Any]])
        #expect(routes.count == 8)
        #expect(routes.allSatisfy { $0["factor_source"] as? String == "mode" && $0["milligrams_per_passenger_km"] as? Int == 97_000 })
    }

    @Test("credit --occupancy-from-ridership prices with the derived factors and records it in the methodology version")
    func credit() throws {
        let file = try Self.vehicleKmFile()
        let ledger = try Fixture.folder() + "/l.db"
        let run = try Binary.run(["carbon", "credit", "gtfs/sample-city/rider_trip.txt", "--feed", "gtfs/sample-city", "--ledger", ledger,
                                  "--factors", file, "--occupancy-from-ridership", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Binary.json(run.stdout)
        #expect(json["methodology_version"] as? String == "test-vkm.1+measured-occupancy")
        let accepted = try #require(json["accepted"] as? Int)
        let bySource = try #require(json["credited_by_factor_source"] as? [String: Int])
        #expect(accepted > 0)
        #expect(bySource.values.reduce(0, +) == accepted)
        #expect((bySource["measured_occupancy"] ?? 0) > 0)
        let entries = try SQLiteLedger(path: ledger).entries()
        #expect(entries.allSatisfy { $0.methodologyVersion == "test-vkm.1+measured-occupancy" })
    }

    @Test("option mistakes are usage errors that say what to do")
    func usage() throws {
        let noFeed = try Binary.run(["carbon", "factors", "--occupancy-from-ridership"])
        #expect(noFeed.status == 64)
        #expect(noFeed.stderr.contains("--occupancy-from-ridership needs --feed"))
        let alone = try Binary.run(["carbon", "factors", "--feed", "gtfs/sample-city"])
        #expect(alone.status == 64)
        #expect(alone.stderr.contains("--feed is used with --occupancy-from-ridership"))
        let counts = try Binary.run(["carbon", "credit", "x.csv", "--ledger", "/tmp/unused.db", "--feed", "gtfs/sample-city", "--ridership", "gtfs/sample-city/board_alight.txt"])
        #expect(counts.status == 64)
        #expect(counts.stderr.contains("--ridership is used with --occupancy-from-ridership"))
        let missing = try Binary.run(["carbon", "factors", "--feed", "gtfs/sample-city", "--occupancy-from-ridership", "--ridership", "/nonexistent/board_alight.txt"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/board_alight.txt"))
        let help = try Binary.run(["carbon", "factors", "--help"])
        #expect(help.stdout.contains("--occupancy-from-ridership"))
        #expect(help.stdout.contains("--factors"))
    }
}
