import TransitSupport
import ArgumentParser
import GTFS
import Network

/// `transit network export FEED --geojson OUT.geojson`: stops and route patterns for a map.
struct NetworkExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the feed's stops and route patterns as GeoJSON, ready for a map viewer.",
        discussion: """
            Stops are Points (stop_id, stop_name, location_type). Each route pattern (a distinct \
            stop sequence of a route and direction) is a LineString along its first trip's shape, \
            or through its stops when it has none (route_id, route_short_name, route_long_name, \
            direction_id, pattern_id, trips, stops, route_color, geometry_source). The file is \
            written to a temporary file beside it and renamed into place.
            """
    )

    @Argument(help: "The feed: a GTFS folder or .zip.")
    var feed: String

    @Option(help: "Where to write the GeoJSON FeatureCollection.")
    var geojson: String

    func run() throws {
        let loaded = try loadFeed(feed, validate: false)
        let f = loaded.feed
        let patterns = RoutePatterns(feed: f)
        let geometry = ShapeGeometry(feed: f)
        let collection = NetworkExport.featureCollection(f, patterns: patterns, geometry: geometry)
        let text = collection.json.render(indent: nil) + "\n"
        do {
            try FileSystem.writeAtomically(Array(text.utf8), to: geojson)
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode.failure
        }
        writeToStandardError("wrote \(geojson): \(collection.stops) stops, \(collection.lines) route patterns\n")
    }

    /// The GeoJSON document and its feature counts.
    static func featureCollection(_ f: Feed, patterns: RoutePatterns, geometry: ShapeGeometry) -> (json: JSON, stops: Int, lines: Int) {
        var features: [JSON] = []
        let s = f.stops
        let stopIDs = f.ids(.stop)
        var lat = [Double](repeating: .nan, count: stopIDs.count), lon = lat
        for r in 0..<s.count {
            let c = s.id[r]
            guard c >= 0, Int(c) < stopIDs.count, Geo.isValid(lat: s.lat[r], lon: s.lon[r]) else { continue }
            lat[Int(c)] = s.lat[r]; lon[Int(c)] = s.lon[r]
            features.append(.object([
                ("type", .string("Feature")),
                ("geometry", .object([("type", .string("Point")), ("coordinates", .array([.double(s.lon[r]), .double(s.lat[r])]))])),
                ("properties", .object([
                    ("kind", .string("stop")),
                    ("stop_id", .string(stopIDs[Int(c)])),
                    ("stop_name", .optional(s.name?[r])),
                    ("location_type", .int(Int(s.locationType[r]))),
                ])),
            ]))
        }
        let stopCount = features.count
        let routes = f.routes
        var routeRow: [Int32: Int] = [:]
        for r in 0..<routes.count where routeRow[routes.id[r]] == nil { routeRow[routes.id[r]] = r }
        let colors = routes.table.strings("route_color")
        let routeIDs = f.ids(.route)
        let trips = f.trips
        for p in patterns.patterns {
            var coordinates: [JSON] = []
            var source = "stops"
            if let t = p.trips.first, patterns.tripRow[Int(t)] >= 0 {
                let shape = trips.shape[Int(patterns.tripRow[Int(t)])]
                let pts = geometry.points(ofShape: shape)
                if pts.count >= 2 {
                    source = "shape"
                    for i in pts { coordinates.append(.array([.double(geometry.lon[i]), .double(geometry.lat[i])])) }
                }
            }
            if coordinates.isEmpty {
                for c in p.stops where c >= 0 && Int(c) < lat.count && !lat[Int(c)].isNaN {
                    coordinates.append(.array([.double(lon[Int(c)]), .double(lat[Int(c)])]))
                }
            }
            guard coordinates.count >= 2 else { continue }
            let row = routeRow[p.route]
            features.append(.object([
                ("type", .string("Feature")),
                ("geometry", .object([("type", .string("LineString")), ("coordinates", .array(coordinates))])),
                ("properties", .object([
                    ("kind", .string("route_pattern")),
                    ("route_id", .string(p.route >= 0 && Int(p.route) < routeIDs.count ? routeIDs[Int(p.route)] : "")),
                    ("route_short_name", .optional(row.flatMap { routes.shortName?[$0] })),
                    ("route_long_name", .optional(row.flatMap { routes.longName?[$0] })),
                    ("direction_id", .int(Int(p.direction))),
                    ("pattern_id", .int(p.id)),
                    ("trips", .int(p.trips.count)),
                    ("stops", .int(p.stops.count)),
                    ("route_color", .optional(row.flatMap { colors?[$0] }.map { "#" + $0 })),
                    ("geometry_source", .string(source)),
                ])),
            ]))
        }
        return (.object([("type", .string("FeatureCollection")), ("features", .array(features))]), stopCount, features.count - stopCount)
    }
}
