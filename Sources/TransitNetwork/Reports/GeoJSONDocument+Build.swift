public import GTFS

extension GeoJSONDocument {
    /// The collection of `feed`'s stops and of the route patterns in `patterns`, the lines
    /// along the shapes of `geometry`. Stops without valid coordinates, and patterns with
    /// fewer than two positions, are left out.
    /// - Complexity: O(stops + patterns × (shape points + pattern stops)).
    public init(feed: Feed, patterns: RoutePatterns, geometry: ShapeGeometry) {
        type = "FeatureCollection"
        var features: [Feature] = []
        let s = feed.stops
        let stopIDs = feed.ids(.stop)
        var lat = [Double](repeating: .nan, count: stopIDs.count), lon = lat
        for r in 0..<s.count {
            let c = s.id[r]
            guard c >= 0, Int(c) < stopIDs.count, Geo.isValid(lat: s.lat[r], lon: s.lon[r]) else { continue }
            lat[Int(c)] = s.lat[r]
            lon[Int(c)] = s.lon[r]
            features.append(Feature(geometry: .point([s.lon[r], s.lat[r]]), properties: .stop(StopProperties(
                kind: "stop", stopID: stopIDs[Int(c)], stopName: s.name?[r], locationType: Int(s.locationType[r])))))
        }
        let routes = feed.routes
        var routeRow: [Int32: Int] = [:]
        for r in 0..<routes.count where routeRow[routes.id[r]] == nil { routeRow[routes.id[r]] = r }
        let colors = routes.table.strings("route_color")
        let routeIDs = feed.ids(.route)
        for p in patterns.patterns {
            var coordinates: [[Double]] = []
            var source = "stops"
            if let t = p.trips.first, let shape = patterns.tripIndex.shape(ofTrip: t) {
                let points = geometry.points(ofShape: shape)
                if points.count >= 2 {
                    source = "shape"
                    for i in points { coordinates.append([geometry.lon[i], geometry.lat[i]]) }
                }
            }
            if coordinates.isEmpty {
                for c in p.stops where c >= 0 && Int(c) < lat.count && !lat[Int(c)].isNaN {
                    coordinates.append([lon[Int(c)], lat[Int(c)]])
                }
            }
            guard coordinates.count >= 2 else { continue }
            let row = routeRow[p.route]
            features.append(Feature(geometry: .lineString(coordinates), properties: .routePattern(RoutePatternProperties(
                kind: "route_pattern",
                routeID: p.route >= 0 && Int(p.route) < routeIDs.count ? routeIDs[Int(p.route)] : "",
                routeShortName: row.flatMap { routes.shortName?[$0] },
                routeLongName: row.flatMap { routes.longName?[$0] },
                directionID: Int(p.direction), patternID: p.id, trips: p.trips.count, stops: p.stops.count,
                routeColor: row.flatMap { colors?[$0] }.map { "#" + $0 },
                geometrySource: source))))
        }
        self.features = features
    }
}
