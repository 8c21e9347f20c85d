import Foundation
import GTFS
import Testing
import TestSupport

@Suite("transit network export / path, end to end")
struct NetworkGraphCommandTests {
    @Test("export --geojson writes a valid FeatureCollection: every positioned stop and every pattern")
    func exportGeoJSON() throws {
        let scratch = try TemporaryFolder("export")
        defer { scratch.remove() }
        let dir = scratch.url
        let out = dir.appendingPathComponent("sample.geojson").path
        let r = try TransitBinary.run(["network", "export", "gtfs/sample-city", "--geojson", out])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
        let json = try #require(object as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        let features = try #require(json["features"] as? [[String: Any]])
        let kinds = features.compactMap { ($0["geometry"] as? [String: Any])?["type"] as? String }
        #expect(kinds.filter { $0 == "Point" }.count == 323)
        #expect(kinds.filter { $0 == "LineString" }.count == 18)
        let line = try #require(features.first { ($0["properties"] as? [String: Any])?["route_id"] as? String == "1" })
        let props = try #require(line["properties"] as? [String: Any])
        #expect(props["route_color"] as? String == "#C8102E")
        #expect(props["direction_id"] as? Int == 0)
        #expect((props["trips"] as? Int ?? 0) > 0)
        #expect(props["geometry_source"] as? String == "shape")
        let stop = try #require(features.first { ($0["properties"] as? [String: Any])?["stop_id"] as? String == "TC" })
        #expect((stop["properties"] as? [String: Any])?["stop_name"] as? String == "Riverton Transit Center")
        // Nothing left behind but the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["sample.geojson"])
    }

    @Test("path --format json: the fastest path along route 1 and its time")
    func pathJSON() throws {
        let r = try TransitBinary.run(["network", "path", "gtfs/sample-city", "S1002", "S1006", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try TransitBinary.json(r.stdout)
        let legs = try #require(json["legs"] as? [[String: Any]])
        #expect(legs.count == 1)
        #expect(legs.first?["route_id"] as? String == "1")
        #expect(legs.first?["mode"] as? String == "ride")
        #expect((legs.first?["stops"] as? [String])?.count == 5)
        let seconds = try #require(json["seconds"] as? Int)
        #expect(seconds > 0 && seconds == legs.first?["seconds"] as? Int)
    }

    @Test("path table output across routes, and unknown stop ids fail clearly with a non-zero exit")
    func pathTableAndErrors() throws {
        let ok = try TransitBinary.run(["network", "path", "gtfs/sample-city", "S1001", "RL01E"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("total:"))
        #expect(ok.stdout.contains("ride"))
        let bad = try TransitBinary.run(["network", "path", "gtfs/sample-city", "S1001", "NOPE"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown stop_id 'NOPE'"))
        #expect(bad.stdout.isEmpty)
    }
}
