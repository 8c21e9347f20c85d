// The lines a map draws for each route: its shapes, or its stop sequences where it has none.

public import Charts
public import GTFS
public import TransitNetwork

/// Per route, the polylines to draw on a map (``Charts/MapChart``), in positions on Earth.
///
/// How the lines are chosen, for the trips that `trips` accepts (trip codes,
/// ``GTFS/IDSpace/trip``), each described by its first `trips.txt` row (``TransitNetwork/TripIndex``):
///
/// - **A trip with a shape** (`shape_id` set, and at least one point with a valid position in
///   `shapes.txt`) contributes that shape. Each distinct shape appears once per route, however
///   many trips use it; a shape shared by two routes appears under both.
/// - **A trip without a usable shape** contributes the positions of its stops in
///   `stop_sequence` order (a stop without a valid position takes its parent station's; a stop
///   without either is skipped). Each distinct stop sequence appears once per route.
///
/// Lines of a route are in the order of their first trip in trip-code order; routes are in
/// route-code order (the order of `routes.txt`, then routes only `trips.txt` mentions). Routes
/// without any accepted trip, or whose trips have neither shape points nor stop positions, have
/// no lines and are not listed in ``routeIDs``.
///
/// Positions are used as the feed gives them; ``Charts/MapChart`` projects and simplifies them
/// when it draws.
public struct RouteLines: Sendable {
    /// Where a line comes from.
    public enum Source: Sendable, Hashable {
        /// A shape of `shapes.txt`, by `shape_id`.
        case shape(String)
        /// The stop positions of one distinct stop sequence (the route's trips using it have no shape).
        case stops
    }

    /// One polyline of a route.
    public struct Line: Sendable {
        /// The positions along the line, in order (every one ``Charts/GeoPoint/isUsable``).
        public var points: [GeoPoint]
        /// Where the line comes from.
        public var source: Source
        /// How many accepted trips of the route run along it.
        public var trips: Int
    }

    /// Per route code (``GTFS/IDSpace/route``), its lines (empty for most codes on a filtered build).
    private let linesByCode: [Int32: [Line]]
    /// `route_id` → route code, for the routes with lines.
    private let codeOfID: [String: Int32]
    /// The `route_id` of every route with at least one line, in route-code order.
    public let routeIDs: [String]
    /// The route code of every route with at least one line, in route-code order (parallel to ``routeIDs``).
    public let routeCodes: [Int32]

    /// The polylines of route `routeID`: one per distinct shape or stop sequence (empty for an
    /// unknown route or one without lines).
    /// - Complexity: O(1) plus the copy of the lines' points.
    public func lines(ofRoute routeID: String) -> [[GeoPoint]] {
        details(ofRoute: routeID).map(\.points)
    }

    /// The polylines of route code `route` (see ``lines(ofRoute:)``).
    public func lines(ofRouteCode route: Int32) -> [[GeoPoint]] {
        details(ofRouteCode: route).map(\.points)
    }

    /// The lines of route `routeID` with their source and trip counts.
    public func details(ofRoute routeID: String) -> [Line] {
        guard let code = codeOfID[routeID] else { return [] }
        return details(ofRouteCode: code)
    }

    /// The lines of route code `route` with their source and trip counts.
    public func details(ofRouteCode route: Int32) -> [Line] {
        linesByCode[route] ?? []
    }

    /// Every position of every line (to fit a projection around the whole network).
    public var allPoints: [GeoPoint] {
        var out: [GeoPoint] = []
        for code in routeCodes { for line in linesByCode[code] ?? [] { out.append(contentsOf: line.points) } }
        return out
    }

    /// The lines of the routes of `feed` run by the trips that `trips` accepts (trip codes).
    ///
    /// - Complexity: O(trips + shape points + stop times of the accepted trips that have no shape).
    public static func build(feed: Feed, trips accept: (Int32) -> Bool = { _ in true }) -> RouteLines {
        let index = TripIndex(feed: feed)
        let routeIDs = feed.ids(.route)
        let shapeIDs = feed.ids(.shape)
        var geometry: ShapeGeometry?
        var stopPositions: [GeoPoint?]?
        let stopTimeStops = feed.stopTimes.stop
        // Per route code: the lines found so far, and which shape or stop sequence each is.
        var lines: [Int32: [Line]] = [:]
        var lineOfShape: [Int32: [Int32: Int]] = [:]
        var lineOfSequence: [Int32: [[Int32]: Int]] = [:]
        for t in 0..<index.count {
            let trip = Int32(t)
            guard let route = index.route(ofTrip: trip), route >= 0, Int(route) < routeIDs.count, accept(trip) else { continue }
            if let shape = index.shape(ofTrip: trip), shape >= 0 {
                if let known = lineOfShape[route]?[shape] {
                    lines[route]?[known].trips += 1
                    continue
                }
                let g = geometry ?? ShapeGeometry(feed: feed)
                geometry = g
                let range = g.points(ofShape: shape)
                let points = range.map { GeoPoint(lat: g.lat[$0], lon: g.lon[$0]) }.filter(\.isUsable)
                if !points.isEmpty {
                    let name = Int(shape) < shapeIDs.count ? shapeIDs[Int(shape)] : ""
                    lineOfShape[route, default: [:]][shape] = lines[route, default: []].count
                    lines[route, default: []].append(Line(points: points, source: .shape(name), trips: 1))
                    continue
                }
            }
            // No usable shape: the stop sequence.
            var sequence: [Int32] = []
            for r in feed.stopTimeIndex.rows(ofTrip: trip) where Int(r) < stopTimeStops.count {
                sequence.append(stopTimeStops[Int(r)])
            }
            guard !sequence.isEmpty else { continue }
            if let known = lineOfSequence[route]?[sequence] {
                lines[route]?[known].trips += 1
                continue
            }
            let positions = stopPositions ?? Self.stopPositions(feed)
            stopPositions = positions
            let points = sequence.compactMap { s in s >= 0 && Int(s) < positions.count ? positions[Int(s)] : nil }
            guard !points.isEmpty else { continue }
            lineOfSequence[route, default: [:]][sequence] = lines[route, default: []].count
            lines[route, default: []].append(Line(points: points, source: .stops, trips: 1))
        }
        let codes = lines.keys.sorted()
        var codeOfID: [String: Int32] = [:]
        for c in codes where codeOfID[routeIDs[Int(c)]] == nil { codeOfID[routeIDs[Int(c)]] = c }
        return RouteLines(linesByCode: lines, codeOfID: codeOfID, routeIDs: codes.map { routeIDs[Int($0)] }, routeCodes: codes)
    }

    /// The lines of the routes of `feed` on service date `date`: the trips whose service runs
    /// that day (``TransitNetwork/ServiceCalendar/runningTrips(on:)``), optionally only those of
    /// the routes whose `route_id` is in `routes`.
    /// - Complexity: as ``build(feed:trips:)`` plus O(trips) for the calendar.
    public static func build(feed: Feed, date: GTFSDate, routes: Set<String>? = nil,
                             calendar: ServiceCalendar? = nil) -> RouteLines {
        let running = (calendar ?? ServiceCalendar(feed: feed)).runningTrips(on: date)
        var accepted = [Bool](repeating: false, count: feed.ids(.trip).count)
        for t in running where t >= 0 && Int(t) < accepted.count { accepted[Int(t)] = true }
        guard let routes else {
            return build(feed: feed) { t in Int(t) < accepted.count && accepted[Int(t)] }
        }
        let index = TripIndex(feed: feed)
        let routeIDs = feed.ids(.route)
        let wanted = routeIDs.map { routes.contains($0) }
        return build(feed: feed) { t in
            guard Int(t) < accepted.count, accepted[Int(t)], let r = index.route(ofTrip: t), r >= 0, Int(r) < wanted.count else { return false }
            return wanted[Int(r)]
        }
    }

    /// Per stop code, its position, else its parent station's, else `nil` (``TransitNetwork/StopPositions``).
    static func stopPositions(_ feed: Feed) -> [GeoPoint?] {
        let known = StopPositions(feed: feed)
        return zip(known.lat, known.lon).map { lat, lon in lat.isNaN ? nil : GeoPoint(lat: lat, lon: lon) }
    }
}
