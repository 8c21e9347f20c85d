import Foundation
import Testing
import TestSupport

@Suite("transit network summary, end to end")
struct NetworkCommandTests {
    @Test("summary --format json on the sample feed: row keys, period totals and a positive peak fleet")
    func summaryJSON() throws {
        let r = try TransitBinary.run(["network", "summary", "gtfs/sample-city", "--date", "20260310", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try TransitBinary.json(r.stdout)
        #expect(json["date"] as? String == "2026-03-10")
        let peak = try #require(json["peak_vehicles"] as? Int)
        #expect(peak > 0)
        let periods = try #require(json["periods"] as? [[String: Any]])
        #expect(periods.count == 6)
        #expect(periods.compactMap { $0["vehicles"] as? Int }.max() == peak)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        let keys = ["route_id", "route_short_name", "direction_id", "period", "trips", "mean_headway_s",
                    "min_headway_s", "max_headway_s", "run_time_s", "cycle_time_s", "vehicles"]
        for row in rows { #expect(Set(row.keys).isSuperset(of: keys)) }
        let route3 = rows.first { $0["route_id"] as? String == "3" && $0["period"] as? String == "07:00-09:00" && $0["direction_id"] as? Int == 0 }
        #expect(route3?["mean_headway_s"] as? Int == 900)
        #expect(route3?["vehicles"] as? Int == 4)
    }

    @Test("summary: table and csv print; a date outside the range warns and still prints; no --date or bad periods fail")
    func summaryFormatsAndErrors() throws {
        let table = try TransitBinary.run(["network", "summary", "gtfs/sample-city", "--date", "20260314"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("peak vehicles:"))
        let csv = try TransitBinary.run(["network", "summary", "gtfs/sample-city", "--date", "20260314", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("route_id,route_short_name,direction_id,period,trips,mean_headway_s"))
        let outside = try TransitBinary.run(["network", "summary", "gtfs/sample-city", "--date", "20300101", "--format", "json"])
        #expect(outside.status == 0)
        #expect(outside.stderr.contains("outside"))
        #expect(try TransitBinary.json(outside.stdout)["peak_vehicles"] as? Int == 0)
        let noDate = try TransitBinary.run(["network", "summary", "gtfs/sample-city"])
        #expect(noDate.status != 0)
        #expect(noDate.stderr.contains("--date"))
        let bad = try TransitBinary.run(["network", "summary", "gtfs/sample-city", "--date", "20260310", "--periods", "07:00-09:00,08:00-10:00"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("overlap"))
        #expect(bad.stdout.isEmpty)
    }
}
