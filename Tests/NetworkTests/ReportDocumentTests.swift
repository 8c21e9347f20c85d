import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport

/// The documents `network summary`, `path` and `export` print, built from the library's results.
@Suite("Network report documents")
struct NetworkReportDocumentTests {
    @Test("SummaryDocument: every row and period of the summary, durations rounded to whole seconds; JSON round trip")
    func summary() throws {
        let feed = try sampleFeed.get()
        let day = try #require(GTFSDate("20260310"))
        let s = ServiceSummary(feed: feed, date: day, periods: try Period.parse(NetworkDefaults.periods))
        let d = SummaryDocument(summary: s, feed: "f")
        #expect(d.date == "2026-03-10" && d.peakVehicles == s.peakVehicles && d.departures == s.totalRuns)
        #expect(d.rows.count == s.rows.count && d.periods.count == s.totals.count)
        for (row, source) in zip(d.rows, s.rows) {
            #expect(row.routeID == source.routeID && row.directionID == Int(source.direction))
            #expect(row.meanHeadwayS == source.meanHeadway.map { Int($0.rounded()) })
            #expect(row.runTimeS == Int(source.runTime.rounded()) && row.cycleTimeS == Int(source.cycleTime.rounded()))
        }
        #expect(d.periods.first?.startS == Int(s.totals[0].period.start))
        #expect(try JSONDecoder().decode(SummaryDocument.self, from: try JSONEncoder().encode(d)) == d)
    }

    @Test("PathDocument: legs join end to end from the first stop to the last, their seconds add up to the total")
    func path() throws {
        let feed = try sampleFeed.get()
        let codes = feed.codeMap(.stop)
        let from = try #require(codes["S1002"]), to = try #require(codes["S1006"])
        let graph = TransitGraph(feed: feed)
        let found = try #require(Dijkstra.path(graph, from: from, to: to))
        let d = PathDocument(feed: feed, path: "f", fromStop: "S1002", toStop: "S1006", statistic: .min,
                             seconds: found.seconds, steps: found.steps)
        #expect(d.seconds == Int(found.seconds) && d.time == GTFSTime.format(found.seconds))
        #expect(d.legs.first?.fromStopID == "S1002" && d.legs.last?.toStopID == "S1006")
        #expect(d.legs.reduce(0) { $0 + $1.seconds } == d.seconds)
        for (a, b) in zip(d.legs, d.legs.dropFirst()) { #expect(a.toStopID == b.fromStopID) }
        for leg in d.legs {
            #expect(leg.stops.first == leg.fromStopID && leg.stops.last == leg.toStopID)
            #expect((leg.mode == "ride") == (leg.routeID != nil))
        }
        #expect(d.legs.count <= found.steps.count)
        #expect(try JSONDecoder().decode(PathDocument.self, from: try JSONEncoder().encode(d)) == d)
    }

    @Test("GeoJSONDocument: one Point per located stop, then LineStrings; decodes back to the same document")
    func geoJSON() throws {
        let feed = try sampleFeed.get()
        let d = GeoJSONDocument(feed: feed, patterns: RoutePatterns(feed: feed), geometry: ShapeGeometry(feed: feed))
        #expect(d.type == "FeatureCollection")
        let located = (0..<feed.stops.count).filter { Geo.isValid(lat: feed.stops.lat[$0], lon: feed.stops.lon[$0]) }.count
        #expect(d.stopCount == located && d.routePatternCount > 0)
        for (i, f) in d.features.enumerated() {
            switch (f.geometry, f.properties) {
            case (.point(let p), .stop(let s)):
                #expect(i < d.stopCount && p.count == 2 && s.kind == "stop")
            case (.lineString(let line), .routePattern(let r)):
                #expect(i >= d.stopCount && line.count >= 2 && r.kind == "route_pattern")
                #expect(r.geometrySource == "shape" || r.geometrySource == "stops")
            default:
                Issue.record("feature \(i): geometry and properties do not match")
            }
        }
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(GeoJSONDocument.self, from: data) == d)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(GeoJSONDocument.Geometry.self, from: Data(#"{"type":"Polygon","coordinates":[]}"#.utf8))
        }
    }
}
