// GeometryRules.swift: the canonical validator's geometric rules: shape points
// (SingleShapePointValidator, ShapeIncreasingDistanceValidator's equal-distance notices),
// stops against their trips' shapes (ShapeToStopMatchingValidator with its StopToShapeMatcher)
// and travel speeds between stops (StopTimeTravelSpeedValidator).
//
// Distances are on a sphere of radius 6,371.01 km (the canonical validator's S2Earth). Stops
// are matched to a shape once per distinct (shape, stop pattern, shape_dist_traveled values),
// and each stop's candidate places on a shape are computed once per shape; a box test over
// blocks of segments keeps that to the few segments near the stop.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TransitSupport

/// The geometric rules: single-point shapes, equal `shape_dist_traveled` on consecutive shape
/// points, stops too far from (or out of order along) their trips' shapes, and implausibly fast
/// travel between stops. Codes, severities and thresholds are the canonical validator's.
enum GeometryRules {
    /// Adds the findings of every geometric rule to `report`.
    static func validate(_ feed: Feed, options: ReadOptions, into report: inout ValidationReport) {
        var clock = Stopwatch()
        let loaded = Loaded(feed)
        let groups = ShapeGroups(feed.shapes, codeCount: feed.ids(.shape).count, loaded: loaded.shapes)
        shapePoints(feed, groups, into: &report)
        let shapesMs = clock.lap()
        let places = StopPlaces(feed, loaded: loaded.stops)
        StopToShapeMatching(feed, groups, places, loaded).run(into: &report)
        let matchingMs = clock.lap()
        travelSpeed(feed, places, loaded, into: &report)
        let speedMs = clock.lap()
        trace("rules geometry: shapes \(Int(shapesMs)) ms, stops to shapes \(Int(matchingMs)) ms, travel speed \(Int(speedMs)) ms")
    }

    // MARK: Shape points

    /// `single_shape_point` and the `equal_shape_distance_*` notices, over each shape's points
    /// in `shape_pt_sequence` order.
    static func shapePoints(_ feed: Feed, _ groups: ShapeGroups, into report: inout ValidationReport) {
        guard let t = feed.table("shapes.txt") else { return }
        let s = feed.shapes
        let ids = feed.ids(.shape)
        for shape in 0..<groups.shapeCount {
            let rows = groups.rows(of: shape)
            let name = shape < ids.count ? ids[shape] : ""
            if rows.count == 1, let r = rows.first {
                report.add(Finding(.warning, "single_shape_point", file: t.name, line: FeedValidator.lineOf(t, Int(r)),
                                   field: "shape_id", value: name,
                                   message: "shape '\(name)' has a single point; give it at least two so it draws a line",
                                   shape: Int32(shape)))
                continue
            }
            guard let dist = s.distTraveled, rows.count > 1 else { continue }
            var previous = Int(rows[rows.startIndex])
            for r32 in rows.dropFirst() {
                let r = Int(r32)
                defer { previous = r }
                let a = dist[previous], b = dist[r]
                guard !a.isNaN, !b.isNaN, a == b else { continue }
                let line = FeedValidator.lineOf(t, r)
                let prevLine = FeedValidator.lineOf(t, previous) ?? 0
                if s.lat[previous] == s.lat[r] && s.lon[previous] == s.lon[r] {
                    report.add(Finding(.warning, "equal_shape_distance_same_coordinates", file: t.name, line: line,
                                       field: "shape_dist_traveled", value: formatReal(b),
                                       message: "shape '\(name)' repeats the point of line \(prevLine) (same position and shape_dist_traveled \(formatReal(b))); remove the duplicate",
                                       shape: Int32(shape)))
                    continue
                }
                let metres = Sphere.distance(s.lat[previous], s.lon[previous], s.lat[r], s.lon[r])
                if metres > Sphere.equalDistanceThreshold {
                    report.add(Finding(.error, "equal_shape_distance_diff_coordinates", file: t.name, line: line,
                                       field: "shape_dist_traveled", value: formatReal(b),
                                       message: "shape '\(name)' moves \(Sphere.format(metres, digits: 1)) m from line \(prevLine) but shape_dist_traveled stays at \(formatReal(b)); it must increase",
                                       shape: Int32(shape)))
                } else if metres > 0 {
                    report.add(Finding(.warning, "equal_shape_distance_diff_coordinates_distance_below_threshold", file: t.name,
                                       line: line, field: "shape_dist_traveled", value: formatReal(b),
                                       message: "shape '\(name)' moves \(Sphere.format(metres, digits: 2)) m from line \(prevLine) with the same shape_dist_traveled \(formatReal(b)); merge the two points or make the distance increase",
                                       shape: Int32(shape)))
                }
            }
        }
    }

    // MARK: Travel speed

    /// The canonical speed limit in km/h for a `route_type` (StopTimeTravelSpeedValidator).
    static func maxSpeedKph(routeType: Int32) -> Double {
        switch routeType {
        case 0: 100 // tram, light rail
        case 2: 500 // rail, up to high-speed and maglev
        case 1, 3, 11, 12: 150 // subway, bus, trolleybus, monorail
        case 4: 80 // ferry
        case 5: 30 // cable tram
        case 6, 7: 50 // aerial lift, funicular
        default: 200 // extended and unknown types
        }
    }

    /// Beyond this many km between two stops, travelling over the speed limit is
    /// `fast_travel_between_far_stops`.
    static let farStopsKm = 10.0

    /// Seconds the canonical validator allows between a departure and a later arrival: one
    /// minute when the times do not move forward, one extra minute when both are whole minutes
    /// (schedules rounded to the minute).
    static func secondsBetween(departure: Int32, arrival: Int32) -> Double {
        let delta = Int64(arrival) - Int64(departure)
        if delta <= 0 { return 60 }
        if arrival % 60 == 0 && departure % 60 == 0 { return Double(delta + 60) }
        return Double(delta)
    }

    /// `fast_travel_between_consecutive_stops` and `fast_travel_between_far_stops`: for each trip,
    /// the speed its times imply between consecutive stops, and the first pair of stops more than
    /// 10 km apart reached too fast.
    static func travelSpeed(_ feed: Feed, _ places: StopPlaces, _ loaded: Loaded, into report: inout ValidationReport) {
        guard let t = feed.table("stop_times.txt") else { return }
        let st = feed.stopTimes
        guard st.count > 0 else { return }
        let trips = feed.trips, routes = feed.routes
        let index = feed.stopTimeIndex
        // Like the canonical validator, no speeds when a stop failed to load (its position may be
        // wrong), and rows that failed to load do not exist.
        guard !loaded.stops.hasErrors else { return }
        let tripCount = feed.definedCount(.trip)
        let loadedTrips = loaded.trips, loadedStopTimes = loaded.stopTimes
        let routeRow = loaded.routes.firstRows(of: routes.id, count: feed.ids(.route).count)
        let stopIDs = feed.ids(.stop), tripIDs = feed.ids(.trip)
        var seen = [Bool](repeating: false, count: tripCount)
        // Distances between consecutive stops, per distinct stop sequence.
        var patterns = SequenceNumbering()
        var patternKm: [[Double]] = []
        var stops: [Int32] = []
        var key: [Int64] = []
        var rows: [Int32] = []

        func stopName(_ code: Int32) -> String { code >= 0 && Int(code) < stopIDs.count ? stopIDs[Int(code)] : "" }

        for tr in 0..<trips.count {
            let trip = trips.id[tr]
            guard trip >= 0, Int(trip) < tripCount, !seen[Int(trip)], loadedTrips.contains(tr) else { continue }
            seen[Int(trip)] = true
            let route = trips.route[tr]
            guard route >= 0, Int(route) < routeRow.count, routeRow[Int(route)] >= 0 else { continue }
            let limit = maxSpeedKph(routeType: routes.type[Int(routeRow[Int(route)])])
            rows.removeAll(keepingCapacity: true)
            stops.removeAll(keepingCapacity: true)
            key.removeAll(keepingCapacity: true)
            for r in index.rows(ofTrip: trip) where loadedStopTimes.contains(Int(r)) {
                rows.append(r)
                stops.append(st.stop[Int(r)])
                key.append(Int64(st.stop[Int(r)]))
            }
            guard rows.count > 1 else { continue }
            let (pattern, isNew) = patterns.number(key)
            if isNew { patternKm.append(places.consecutiveKm(stops)) }
            guard pattern < patternKm.count else { continue }
            let km = patternKm[pattern]
            guard km.count == rows.count - 1 else { continue }
            let name = tripIDs[Int(trip)]

            func add(_ code: String, _ from: Int, _ to: Int, km distance: Double, kph: Double) {
                let a = stops[from], b = stops[to]
                // Stops that do not exist (or sit outside the globe) are reported elsewhere.
                guard places.isUsable(a), places.isUsable(b) else { return }
                let kind = code == "fast_travel_between_far_stops" ? "far stops" : "consecutive stops"
                report.add(Finding(.warning, code, file: t.name, line: FeedValidator.lineOf(t, Int(rows[from])),
                                   field: "departure_time", value: GTFSTime.format(st.departure[Int(rows[from])]),
                                   message: "trip '\(name)' covers the \(Sphere.format(distance, digits: 2)) km between \(kind) '\(stopName(a))' and '\(stopName(b))' (line \(FeedValidator.lineOf(t, Int(rows[to])) ?? 0)) at \(Sphere.format(kph, digits: 0)) km/h, above the \(Sphere.format(limit, digits: 0)) km/h its route type allows; check the times and the stop positions",
                                   trip: trip, stop: a))
            }

            for i in 0..<km.count {
                let dep = st.departure[Int(rows[i])], arr = st.arrival[Int(rows[i + 1])]
                guard dep >= 0, arr >= 0 else { continue }
                let kph = km[i] * 3600 / secondsBetween(departure: dep, arrival: arr)
                if kph > limit { add("fast_travel_between_consecutive_stops", i, i + 1, km: km[i], kph: kph) }
            }
            // The first (by arrival stop, then nearest departure stop) pair more than 10 km apart
            // reached too fast; one per trip, as the canonical validator reports. A pair can only be
            // too fast if 3600 (C[e] - C[s]) > limit (arrival[e] - departure[s]), C being the km
            // from the first stop, so an arrival stop is scanned only when the least
            // 3600 C[s] - limit departure[s] before it is below its own 3600 C[e] - limit arrival[e]
            // (with a margin for rounding): most trips need no scan at all.
            var cumulative = 0.0
            var least = Double.infinity
            far: for end in 1..<rows.count {
                let before = cumulative
                cumulative += km[end - 1]
                let previousDeparture = st.departure[Int(rows[end - 1])]
                if previousDeparture >= 0 { least = min(least, 3600 * before - limit * Double(previousDeparture)) }
                let arr = st.arrival[Int(rows[end])]
                guard arr >= 0 else { continue }
                let here = 3600 * cumulative - limit * Double(arr)
                guard least < here + 1e-7 * (abs(here) + abs(least)) + 1e-6 else { continue }
                var distance = 0.0
                for start in stride(from: end - 1, through: 0, by: -1) {
                    distance += km[start]
                    guard distance > farStopsKm else { continue }
                    let dep = st.departure[Int(rows[start])]
                    guard dep >= 0 else { continue }
                    let kph = distance * 3600 / secondsBetween(departure: dep, arrival: arr)
                    if kph > limit {
                        add("fast_travel_between_far_stops", start, end, km: distance, kph: kph)
                        break far
                    }
                }
            }
        }
    }
}
