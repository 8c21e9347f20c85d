// GeometryRules+Matching.swift: stops against their trips' shapes (the canonical
// ShapeToStopMatchingValidator with its StopToShapeMatcher).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Stops against shapes

/// The canonical ShapeToStopMatchingValidator: each trip's stops are matched to places along
/// its shape, by closeness (every stop within 100 m of the shape, 400 m for the first and last
/// stops of rail trips, in an order that never goes back along the shape) and, when both the
/// stop times and the shape give `shape_dist_traveled`, by those distances (each stop within
/// 100 m of the place its distance names).
///
/// Trips of one shape with the same stops and distances are matched once (the first in
/// `trips.txt` order reports), and a stop too far from a shape is reported once per shape.
struct StopToShapeMatching {
    /// Furthest a stop may lie from its shape, in metres (StopToShapeMatcherSettings).
    static let maxDistance = 100.0
    /// Factor on ``maxDistance`` for the first and last stops of rail trips (large stations).
    static let largeStationMultiplier = 4.0
    /// More candidate places than this for one stop is `stop_has_too_many_matches_for_shape`.
    static let tooManyMatches = 20

    let feed: Feed
    let groups: ShapeGroups
    let places: StopPlaces
    let loaded: Loaded

    init(_ feed: Feed, _ groups: ShapeGroups, _ places: StopPlaces, _ loaded: Loaded) {
        self.feed = feed
        self.groups = groups
        self.places = places
        self.loaded = loaded
    }

    /// One place on the shape for a stop.
    struct Match {
        /// The segment (its first point's index).
        var index: Int
        /// Metres along the shape from its first point.
        var along: Double
        /// Metres from the stop.
        var distance: Double
        /// The place.
        var location: Sphere.Vector
    }

    /// A stop of a trip, placed.
    struct StopPoint {
        var row: Int32
        var stop: Int32
        var location: Sphere.Vector
        var lat: Double
        var lon: Double
        /// `shape_dist_traveled`, 0 when empty.
        var userDistance: Double
        var isLargeStation: Bool
    }

    /// A stop's candidate places on one shape, cached per (stop, station size).
    struct Candidates {
        var matches: [Match]
        /// Whether the stop is beyond the limit from every place of the shape (never when it has
        /// candidates; for a one-point shape, possibly neither).
        var tooFar: Bool
    }

    enum Problem {
        /// The stop is `distance` metres from the shape (`nil`: from its closest place, measured
        /// when reported).
        case tooFar(StopPoint, distance: Double?)
        case tooManyMatches(StopPoint, count: Int)
        case outOfOrder(StopPoint, previous: StopPoint)
    }

    func run(into report: inout ValidationReport) {
        guard let stopTimesTable = feed.table("stop_times.txt"), feed.table("shapes.txt") != nil else { return }
        let st = feed.stopTimes, trips = feed.trips, routes = feed.routes, shapes = feed.shapes
        guard st.count > 0, trips.count > 0, shapes.count > 0, feed.stops.count > 0 else { return }
        let shapeCount = min(feed.definedCount(.shape), groups.shapeCount)
        guard shapeCount > 0 else { return }
        let routeRow = loaded.routes.firstRows(of: routes.id, count: feed.ids(.route).count)
        let loadedTrips = loaded.trips, loadedStopTimes = loaded.stopTimes
        let index = feed.stopTimeIndex
        let dist = st.shapeDistTraveled

        // Trips per shape, in trips.txt order.
        var tripOffsets = [Int32](repeating: 0, count: shapeCount + 1)
        for (r, c) in trips.shape.enumerated() where c >= 0 && Int(c) < shapeCount && loadedTrips.contains(r) {
            tripOffsets[Int(c) + 1] += 1
        }
        for i in 0..<shapeCount { tripOffsets[i + 1] += tripOffsets[i] }
        var cursor = tripOffsets
        var tripRows = [Int32](repeating: 0, count: Int(tripOffsets[shapeCount]))
        for (r, c) in trips.shape.enumerated() where c >= 0 && Int(c) < shapeCount && loadedTrips.contains(r) {
            tripRows[Int(cursor[Int(c)])] = Int32(r)
            cursor[Int(c)] += 1
        }

        let shapeIDs = feed.ids(.shape), tripIDs = feed.ids(.trip), stopIDs = feed.ids(.stop)
        var key: [Int64] = []
        var points: [StopPoint] = []
        var rows: [Int32] = []
        for shape in 0..<shapeCount {
            let a = Int(tripOffsets[shape]), b = Int(tripOffsets[shape + 1])
            guard b > a else { continue }
            let line = ShapeLine(shapes, rows: groups.rows(of: shape))
            guard !line.points.isEmpty else { continue }
            var patterns = SequenceNumbering()
            var reported = Set<Int32>()
            var cache: [Int64: Candidates] = [:]
            for tr in tripRows[a..<b] {
                let trip = trips.id[Int(tr)]
                rows.removeAll(keepingCapacity: true)
                for r in index.rows(ofTrip: trip) where loadedStopTimes.contains(Int(r)) { rows.append(r) }
                guard !rows.isEmpty else { continue }
                key.removeAll(keepingCapacity: true)
                key.append(Int64(rows.count))
                for r in rows {
                    key.append(Int64(st.stop[Int(r)]))
                    let d = dist?[Int(r)] ?? 0
                    key.append(Int64(bitPattern: (d.isNaN ? 0 : d).bitPattern))
                }
                guard patterns.number(key).isNew else { continue }
                let route = trips.route[Int(tr)]
                guard route >= 0, Int(route) < routeRow.count, routeRow[Int(route)] >= 0 else { continue }
                let isRail = routes.type[Int(routeRow[Int(route)])] == 2

                points.removeAll(keepingCapacity: true)
                for r in rows {
                    let stop = st.stop[Int(r)]
                    guard places.hasPlace(stop) else { continue }
                    let la = places.lat[Int(stop)], lo = places.lon[Int(stop)]
                    let d = dist?[Int(r)] ?? 0
                    points.append(StopPoint(row: r, stop: stop, location: places.vector[Int(stop)], lat: la, lon: lo,
                                            userDistance: d.isNaN ? 0 : d, isLargeStation: false))
                }
                guard !points.isEmpty else { continue }
                if isRail {
                    points[0].isLargeStation = true
                    points[points.count - 1].isLargeStation = true
                }

                func emit(_ problems: [Problem], user: Bool) {
                    let tripName = trip >= 0 && Int(trip) < tripIDs.count ? tripIDs[Int(trip)] : ""
                    let shapeName = shape < shapeIDs.count ? shapeIDs[shape] : ""
                    func name(_ p: StopPoint) -> String { p.stop >= 0 && Int(p.stop) < stopIDs.count ? stopIDs[Int(p.stop)] : "" }
                    for problem in problems {
                        switch problem {
                        case .tooFar(let p, let metres):
                            guard reported.insert(p.stop).inserted else { continue }
                            let metres = metres ?? line.closestDistance(to: p.location)
                            let code = user ? "stop_too_far_from_shape_using_user_distance" : "stop_too_far_from_shape"
                            let how = user ? "from the place of shape '\(shapeName)' its shape_dist_traveled \(formatReal(p.userDistance)) names"
                                : "from shape '\(shapeName)'"
                            report.add(Finding(.warning, code, file: stopTimesTable.name, line: FeedValidator.lineOf(stopTimesTable, Int(p.row)),
                                               field: user ? "shape_dist_traveled" : "stop_id", value: user ? formatReal(p.userDistance) : name(p),
                                               message: "stop '\(name(p))' of trip '\(tripName)' lies \(Sphere.format(metres, digits: 0)) m \(how); check \(user ? "the stop's position, the shape and the distances" : "the stop's position and the shape")",
                                               trip: trip, stop: p.stop, shape: Int32(shape)))
                        case .tooManyMatches(let p, let count):
                            report.add(Finding(.warning, "stop_has_too_many_matches_for_shape", file: stopTimesTable.name,
                                               line: FeedValidator.lineOf(stopTimesTable, Int(p.row)), field: "stop_id", value: name(p),
                                               message: "stop '\(name(p))' of trip '\(tripName)' lies near \(count) separate parts of shape '\(shapeName)', so its place along it is unclear",
                                               trip: trip, stop: p.stop, shape: Int32(shape)))
                        case .outOfOrder(let p, let previous):
                            report.add(Finding(.warning, "stops_match_shape_out_of_order", file: stopTimesTable.name,
                                               line: FeedValidator.lineOf(stopTimesTable, Int(p.row)), field: "stop_id", value: name(p),
                                               message: "stop '\(name(p))' of trip '\(tripName)' matches shape '\(shapeName)' before the previous stop '\(name(previous))' (line \(FeedValidator.lineOf(stopTimesTable, Int(previous.row)) ?? 0)); check the stop order, the stops' positions and the shape",
                                               trip: trip, stop: p.stop, shape: Int32(shape)))
                        }
                    }
                }

                var problems = matchByCloseness(points, line, &cache)
                emit(problems, user: false)
                if let last = points.last, last.userDistance > 0, line.hasUserDistance {
                    problems = matchByUserDistance(points, line, &cache)
                    emit(problems, user: true)
                }
            }
        }
    }

    // MARK: Matching

    /// The candidates of `p` on `line` (cached), with the problem they raise, if any.
    func candidates(_ p: StopPoint, _ line: ShapeLine, _ cache: inout [Int64: Candidates], problems: inout [Problem]) -> [Match] {
        let limit = Self.maxDistance * (p.isLargeStation ? Self.largeStationMultiplier : 1)
        let key = Int64(p.stop) << 1 | (p.isLargeStation ? 1 : 0)
        let c: Candidates
        if let known = cache[key] {
            c = known
        } else {
            let matches = line.matches(near: p.location, lat: p.lat, lon: p.lon, within: limit)
            // With no segment within the limit the closest place is beyond it, except on a
            // one-point shape (no segment at all), measured from its point.
            let tooFar = matches.isEmpty && (line.points.count > 1 || line.closestDistance(to: p.location) > limit)
            c = Candidates(matches: matches, tooFar: tooFar)
            cache[key] = c
        }
        if c.matches.isEmpty {
            if c.tooFar { problems.append(.tooFar(p, distance: nil)) }
        } else if c.matches.count > Self.tooManyMatches {
            problems.append(.tooManyMatches(p, count: c.matches.count))
        }
        return c.matches
    }

    /// Matching by closeness (StopToShapeMatcher.matchUsingGeoDistance).
    func matchByCloseness(_ points: [StopPoint], _ line: ShapeLine, _ cache: inout [Int64: Candidates]) -> [Problem] {
        var problems: [Problem] = []
        var all: [[Match]] = []
        all.reserveCapacity(points.count)
        var ok = true
        for p in points {
            let m = candidates(p, line, &cache, problems: &problems)
            ok = ok && !m.isEmpty
            all.append(m)
        }
        if ok { _ = bestMatches(points, all, &problems) }
        return problems
    }

    /// Matching by `shape_dist_traveled` (StopToShapeMatcher.matchUsingUserDistance): stops
    /// without a distance fall back to closeness.
    func matchByUserDistance(_ points: [StopPoint], _ line: ShapeLine, _ cache: inout [Int64: Candidates]) -> [Problem] {
        var problems: [Problem] = []
        var all: [[Match]] = []
        all.reserveCapacity(points.count)
        var from = 0
        for p in points {
            if p.userDistance > 0 {
                let m = line.match(userDistance: p.userDistance, from: from, stop: p.location)
                from = m.index
                all.append([m])
            } else {
                let m = candidates(p, line, &cache, problems: &problems)
                if m.isEmpty { return problems }
                all.append(m)
            }
        }
        guard let chosen = bestMatches(points, all, &problems) else { return problems }
        for (i, m) in chosen.enumerated() where i < points.count && m.distance > Self.maxDistance {
            problems.append(.tooFar(points[i], distance: m.distance))
        }
        return problems
    }

    /// The assignment of one candidate per stop that never goes back along the shape and has the
    /// least total distance to the shape (StopToShapeMatcher.findBestMatches), or `nil` with a
    /// `stops_match_shape_out_of_order` problem for the first stop that cannot follow its
    /// predecessor.
    func bestMatches(_ points: [StopPoint], _ all: [[Match]], _ problems: inout [Problem]) -> [Match]? {
        // Partial assignments ending at each feasible candidate of the current stop: score and
        // furthest place along the shape; per step (flat, from `starts[step]`), each
        // assignment's candidate and the previous step's assignment it extends.
        var score: [Double] = [0], furthest: [Double] = [0]
        var nextScore: [Double] = [], nextFurthest: [Double] = []
        var candidate: [Int32] = [], back: [Int32] = [], starts: [Int] = []
        starts.reserveCapacity(all.count)
        for (step, matches) in all.enumerated() {
            starts.append(candidate.count)
            nextScore.removeAll(keepingCapacity: true)
            nextFurthest.removeAll(keepingCapacity: true)
            for (i, m) in matches.enumerated() {
                var best = -1
                var bestScore = Double.infinity
                for j in 0..<score.count where !(furthest[j] > m.along) && score[j] < bestScore {
                    best = j
                    bestScore = score[j]
                }
                guard best >= 0 else { continue }
                nextScore.append(score[best] + m.distance)
                nextFurthest.append(m.along)
                candidate.append(Int32(i))
                back.append(Int32(best))
            }
            if nextScore.isEmpty {
                guard step > 0, step < points.count else { return nil }
                problems.append(.outOfOrder(points[step], previous: points[step - 1]))
                return nil
            }
            swap(&score, &nextScore)
            swap(&furthest, &nextFurthest)
        }
        // Follow the best final assignment back to the first stop.
        var best = 0
        for j in 0..<score.count where score[j] < score[best] { best = j }
        var picks = [Match]()
        picks.reserveCapacity(all.count)
        var j = best
        for step in stride(from: all.count - 1, through: 0, by: -1) {
            let k = step < starts.count ? starts[step] + j : -1
            guard j >= 0, k >= 0, k < candidate.count else { return nil }
            let c = Int(candidate[k])
            guard c >= 0, c < all[step].count else { return nil }
            picks.append(all[step][c])
            j = Int(back[k])
        }
        return picks.reversed()
    }
}
