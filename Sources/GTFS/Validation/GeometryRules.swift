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

// MARK: - Sphere

/// Distances and projections on the canonical validator's spherical Earth.
enum Sphere {
    /// S2Earth's mean radius, in metres.
    static let radius = 6_371_010.0
    /// Metres per degree of latitude on that sphere.
    static let metresPerDegree = radius * Double.pi / 180
    /// Consecutive shape points with equal `shape_dist_traveled` further apart than this (metres)
    /// are an error; closer, a warning (ShapeIncreasingDistanceValidator).
    static let equalDistanceThreshold = 1.11

    /// A point on the unit sphere.
    struct Vector {
        var x: Double, y: Double, z: Double

        init(x: Double, y: Double, z: Double) { self.x = x; self.y = y; self.z = z }

        init(lat: Double, lon: Double) {
            let phi = lat * Double.pi / 180, lambda = lon * Double.pi / 180
            let c = cos(phi)
            self.init(x: c * cos(lambda), y: c * sin(lambda), z: sin(phi))
        }

        static func + (a: Vector, b: Vector) -> Vector { Vector(x: a.x + b.x, y: a.y + b.y, z: a.z + b.z) }
        static func - (a: Vector, b: Vector) -> Vector { Vector(x: a.x - b.x, y: a.y - b.y, z: a.z - b.z) }
        static func * (a: Vector, k: Double) -> Vector { Vector(x: a.x * k, y: a.y * k, z: a.z * k) }
        func dot(_ b: Vector) -> Double { x * b.x + y * b.y + z * b.z }
        func cross(_ b: Vector) -> Vector { Vector(x: y * b.z - z * b.y, y: z * b.x - x * b.z, z: x * b.y - y * b.x) }
        var norm: Double { sqrt(dot(self)) }
        var normalized: Vector {
            let n = norm
            return n > 0 ? self * (1 / n) : self
        }
    }

    /// The angle between two unit vectors, in radians.
    static func angle(_ a: Vector, _ b: Vector) -> Double { atan2(a.cross(b).norm, a.dot(b)) }

    /// The great-circle distance in metres between two unit vectors.
    static func distance(_ a: Vector, _ b: Vector) -> Double { angle(a, b) * radius }

    /// The same distance from the chord between the two points (one square root and one arc
    /// sine: cheaper, and as accurate for the short hops between shape points).
    static func chordDistance(_ a: Vector, _ b: Vector) -> Double {
        let d = a - b
        return 2 * asin(min(1, 0.5 * d.norm)) * radius
    }

    /// The great-circle distance in metres between two positions in degrees (haversine).
    static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * Double.pi / 180, p2 = lat2 * Double.pi / 180
        let dLat = sin(0.5 * (p2 - p1)), dLon = sin(0.5 * (lon2 - lon1) * Double.pi / 180)
        let h = dLat * dLat + dLon * dLon * cos(p1) * cos(p2)
        return 2 * asin(sqrt(min(1, h))) * radius
    }

    /// The normal of the great circle through `a` and `b`, computed as `(b + a) × (b − a)` (twice
    /// `a × b`, but accurate for points very close together).
    static func normal(_ a: Vector, _ b: Vector) -> Vector { (b + a).cross(b - a) }

    /// The point of the arc from `a` to `b` closest to `x`, given the arc's `normal` and its
    /// squared length `normSquared` (0 for a degenerate arc, whose closest point is `a`).
    static func closestPoint(_ x: Vector, _ a: Vector, _ b: Vector, normal n: Vector, normSquared: Double) -> Vector {
        guard normSquared > 0 else { return a }
        // The foot of x on the great circle; on the arc when it lies between a and b.
        let p = x - n * (x.dot(n) / normSquared)
        if p.cross(n).dot(a) > 0 && n.cross(p).dot(b) > 0 { return p.normalized }
        return (x - a).dot(x - a) <= (x - b).dot(x - b) ? a : b
    }

    /// The point a `fraction` of the way along the arc from `a` to `b`.
    static func interpolate(_ a: Vector, _ b: Vector, fraction: Double) -> Vector {
        let theta = angle(a, b)
        guard theta > 1e-15 else { return a }
        let s = sin(theta)
        return (a * (sin((1 - fraction) * theta) / s) + b * (sin(fraction * theta) / s)).normalized
    }

    /// `v` with `digits` decimals (no exponent), or `v` as Swift prints it when not finite or huge.
    static func format(_ v: Double, digits: Int) -> String {
        guard v.isFinite, abs(v) < 1e12 else { return v.description }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let n = Int64((abs(v) * scale).rounded())
        let sign = v < 0 && n > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(n) }
        let whole = n / Int64(scale), part = String(n % Int64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: digits - part.count) + part
    }
}

// MARK: - Loaded rows

/// The loaded rows of the files the geometric rules read.
struct Loaded {
    let stops: LoadedRows, routes: LoadedRows, trips: LoadedRows, stopTimes: LoadedRows, shapes: LoadedRows

    init(_ feed: Feed) {
        stops = LoadedRows(feed.table("stops.txt"))
        routes = LoadedRows(feed.table("routes.txt"))
        trips = LoadedRows(feed.table("trips.txt"))
        stopTimes = LoadedRows(feed.table("stop_times.txt"))
        shapes = LoadedRows(feed.table("shapes.txt"))
    }
}

/// The rows of a table the canonical validator loads: it keeps no record of a row with an error
/// in its own values (a value that does not parse or is out of range, a required value that is
/// empty), so its rules never see that row.
struct LoadedRows {
    /// Per row, whether it has such an error; empty when no row does.
    let failed: [Bool]

    init(_ t: Table?) {
        guard let t else { failed = []; return }
        var failed: [Bool] = []
        func fail(_ r: Int) {
            guard r >= 0 && r < t.rowCount else { return }
            if failed.isEmpty { failed = [Bool](repeating: false, count: t.rowCount) }
            failed[r] = true
        }
        for c in t.columns {
            for r in c.unparsed.keys { fail(Int(r)) }
            guard let fs = c.schema else { continue }
            let required = fs.presence == .required
            switch (fs.type, c.data) {
            case (_, .strings(let s)):
                if required { for (r, code) in s.codes.enumerated() where code < 0 && c.unparsed[Int32(r)] == nil { fail(r) } }
                // Text kept as read but not of its type (a colour, URL, e-mail or time zone):
                // checked once per distinct value, as the parser does.
                guard TableParser.needsStringCheck(fs.type) else { continue }
                var bad = [Bool](repeating: false, count: s.values.count)
                var any = false
                for (i, text) in s.values.enumerated() {
                    var scratch = ValidationReport(maxPerCode: 1)
                    TableParser.checkString(fs, text, file: t.name, line: 0, report: &scratch)
                    if scratch.errorCount > 0 { bad[i] = true; any = true }
                }
                guard any else { continue }
                for (r, code) in s.codes.enumerated() where code >= 0 && Int(code) < bad.count && bad[Int(code)] { fail(r) }
            case (.integer(let range), .integers(let v)):
                for (r, x) in v.enumerated() {
                    if x == Column.missingInteger {
                        if required && c.unparsed[Int32(r)] == nil { fail(r) }
                    } else if !range.contains(x) {
                        fail(r)
                    }
                }
            case (.integer(let range), .smallIntegers(let v)):
                for (r, x) in v.enumerated() {
                    if x == Column.missingSmallInteger {
                        if required && c.unparsed[Int32(r)] == nil { fail(r) }
                    } else if !range.contains(Int32(x)) {
                        fail(r)
                    }
                }
            case (.real(let range), .reals(let v)):
                for (r, x) in v.enumerated() {
                    if x.isNaN {
                        if required && c.unparsed[Int32(r)] == nil { fail(r) }
                    } else if !range.contains(x) {
                        fail(r)
                    }
                }
            case (_, .times(let v)), (_, .dates(let v)):
                if required { for (r, x) in v.enumerated() where x < 0 && c.unparsed[Int32(r)] == nil { fail(r) } }
            default:
                continue
            }
        }
        self.failed = failed
    }

    /// Whether some row failed to parse.
    var hasErrors: Bool { !failed.isEmpty }

    /// Whether row `r` was loaded.
    func contains(_ r: Int) -> Bool { r >= 0 && (r >= failed.count || !failed[r]) }

    /// For each code below `count`, the first loaded row that declares it (-1 when none does).
    func firstRows(of ids: [Int32], count: Int) -> [Int32] {
        var rows = [Int32](repeating: -1, count: count)
        for (r, c) in ids.enumerated() where c >= 0 && Int(c) < count && rows[Int(c)] < 0 && contains(r) { rows[Int(c)] = Int32(r) }
        return rows
    }
}

// MARK: - Sequences

/// Distinct sequences of integers, numbered in order of first appearance: found by a quick
/// 64-bit hash and confirmed element by element (a stop pattern is seen once per trip, so
/// this is cheaper than hashing arrays as dictionary keys).
struct SequenceNumbering {
    private var byHash: [UInt64: [Int32]] = [:]
    private var starts: [Int] = [0]
    private var store: [Int64] = []

    /// The number of `key` and whether it was seen for the first time.
    mutating func number(_ key: [Int64]) -> (id: Int, isNew: Bool) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        for v in key {
            h = (h ^ UInt64(bitPattern: v)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        if let ids = byHash[h] {
            for id in ids where equals(Int(id), key) { return (Int(id), false) }
        }
        let id = starts.count - 1
        store.append(contentsOf: key)
        starts.append(store.count)
        byHash[h, default: []].append(Int32(id))
        return (id, true)
    }

    private func equals(_ id: Int, _ key: [Int64]) -> Bool {
        guard id >= 0, id + 1 < starts.count else { return false }
        let a = starts[id], b = starts[id + 1]
        guard b - a == key.count else { return false }
        for i in 0..<key.count where store[a + i] != key[i] { return false }
        return true
    }
}

// MARK: - Shape rows

/// The rows of `shapes.txt` grouped by shape code, each group in `shape_pt_sequence` order
/// (file order among equal sequences).
struct ShapeGroups {
    /// Per shape code, where its rows start; `shapeCount + 1` entries.
    let offsets: [Int32]
    /// Row numbers, grouped and sorted.
    let order: [Int32]
    /// The number of shape codes.
    var shapeCount: Int { offsets.count - 1 }

    init(_ s: Shapes, codeCount: Int, loaded: LoadedRows) {
        var counts = [Int32](repeating: 0, count: codeCount + 1)
        for (r, c) in s.id.enumerated() where c >= 0 && Int(c) < codeCount && loaded.contains(r) { counts[Int(c) + 1] += 1 }
        for i in 0..<codeCount { counts[i + 1] += counts[i] }
        var cursor = counts
        var rows = [Int32](repeating: 0, count: Int(counts[codeCount]))
        for (r, c) in s.id.enumerated() where c >= 0 && Int(c) < codeCount && loaded.contains(r) {
            rows[Int(cursor[Int(c)])] = Int32(r)
            cursor[Int(c)] += 1
        }
        let seq = s.sequence
        for shape in 0..<codeCount {
            let a = Int(counts[shape]), b = Int(counts[shape + 1])
            guard b - a > 1 else { continue }
            var sorted = true
            for i in (a + 1)..<b where seq[Int(rows[i - 1])] > seq[Int(rows[i])] { sorted = false; break }
            if !sorted {
                let part = rows[a..<b].sorted { x, y in seq[Int(x)] != seq[Int(y)] ? seq[Int(x)] < seq[Int(y)] : x < y }
                rows.replaceSubrange(a..<b, with: part)
            }
        }
        offsets = counts
        order = rows
    }

    /// The rows of shape code `shape`, in sequence order (empty for an unknown code).
    func rows(of shape: Int) -> ArraySlice<Int32> {
        guard shape >= 0, shape + 1 < offsets.count else { return [] }
        return order[Int(offsets[shape])..<Int(offsets[shape + 1])]
    }
}

// MARK: - Stop positions

/// Where each stop code is, for matching and speeds: its own coordinates, else its parent's
/// (up to three levels, as the canonical StopUtil), else none.
struct StopPlaces {
    /// Latitude per stop code, NaN when neither the stop nor a parent has coordinates.
    let lat: [Double]
    /// Longitude per stop code.
    let lon: [Double]
    /// Whether the code is a stop of `stops.txt` whose own coordinates (if any) are on the globe.
    let usable: [Bool]
    /// The position as a unit vector, per stop code (meaningless where `lat` is NaN).
    let vector: [Sphere.Vector]

    init(_ feed: Feed, loaded: LoadedRows) {
        let s = feed.stops
        let count = feed.ids(.stop).count
        let rowOf = loaded.firstRows(of: s.id, count: count)
        var lat = [Double](repeating: .nan, count: count), lon = lat
        var usable = [Bool](repeating: false, count: count)
        for code in 0..<count {
            var row = rowOf[code]
            if row >= 0 {
                let la = s.lat[Int(row)], lo = s.lon[Int(row)]
                usable[code] = la.isNaN || lo.isNaN || (abs(la) <= 90 && abs(lo) <= 180)
            }
            for _ in 0..<3 where row >= 0 {
                let la = s.lat[Int(row)], lo = s.lon[Int(row)]
                if !la.isNaN && !lo.isNaN { lat[code] = la; lon[code] = lo; break }
                let parent = s.parentStation[Int(row)]
                row = parent >= 0 && Int(parent) < count ? rowOf[Int(parent)] : -1
            }
        }
        self.lat = lat
        self.lon = lon
        self.usable = usable
        vector = (0..<count).map { lat[$0].isNaN ? Sphere.Vector(x: 0, y: 0, z: 0) : Sphere.Vector(lat: lat[$0], lon: lon[$0]) }
    }

    /// Whether stop code `code` has a position (its own or a parent's).
    func hasPlace(_ code: Int32) -> Bool { code >= 0 && Int(code) < lat.count && !lat[Int(code)].isNaN }

    /// Whether stop code `code` names a stop with plausible coordinates.
    func isUsable(_ code: Int32) -> Bool { code >= 0 && Int(code) < usable.count && usable[Int(code)] }

    /// Kilometres between consecutive stops of `stops`: 0 into a stop with no position, and a
    /// stop after it measured from the last stop that had one.
    func consecutiveKm(_ stops: [Int32]) -> [Double] {
        guard stops.count > 1 else { return [] }
        var out: [Double] = []
        out.reserveCapacity(stops.count - 1)
        var current: Int32 = hasPlace(stops[0]) ? stops[0] : -1
        for next in stops.dropFirst() {
            guard hasPlace(next) else { out.append(0); continue }
            if current >= 0 {
                out.append(Sphere.distance(lat[Int(current)], lon[Int(current)], lat[Int(next)], lon[Int(next)]) / 1000)
            } else {
                out.append(0)
            }
            current = next
        }
        return out
    }
}

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
        // Partial assignments ending at each feasible candidate of the current stop: score,
        // furthest place along the shape, the candidate, and the partial it extends.
        var score: [Double] = [0], furthest: [Double] = [0]
        var back: [[Int32]] = []
        var chosenCandidate: [[Int32]] = []
        back.reserveCapacity(all.count)
        for (step, matches) in all.enumerated() {
            var nextScore: [Double] = [], nextFurthest: [Double] = [], nextCandidate: [Int32] = [], nextBack: [Int32] = []
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
                nextCandidate.append(Int32(i))
                nextBack.append(Int32(best))
            }
            if nextScore.isEmpty {
                guard step > 0, step < points.count else { return nil }
                problems.append(.outOfOrder(points[step], previous: points[step - 1]))
                return nil
            }
            score = nextScore
            furthest = nextFurthest
            back.append(nextBack)
            chosenCandidate.append(nextCandidate)
        }
        // Follow the best final assignment back to the first stop.
        var best = 0
        for j in 0..<score.count where score[j] < score[best] { best = j }
        var picks = [Match]()
        picks.reserveCapacity(all.count)
        var j = best
        for step in stride(from: all.count - 1, through: 0, by: -1) {
            guard j >= 0, j < chosenCandidate[step].count else { return nil }
            let c = Int(chosenCandidate[step][j])
            guard c >= 0, c < all[step].count else { return nil }
            picks.append(all[step][c])
            j = Int(back[step][j])
        }
        return picks.reversed()
    }
}

// MARK: - Shape geometry

/// One shape's points on the sphere, with distances along it and a box per segment and per
/// block of segments for finding the segments near a stop quickly.
struct ShapeLine {
    typealias Match = StopToShapeMatching.Match

    /// Segments per block of the coarse box test.
    static let blockSize = 16

    struct Box {
        var minLat = Double.infinity, maxLat = -Double.infinity
        var minLon = Double.infinity, maxLon = -Double.infinity

        mutating func add(_ b: Box) {
            minLat = min(minLat, b.minLat); maxLat = max(maxLat, b.maxLat)
            minLon = min(minLon, b.minLon); maxLon = max(maxLon, b.maxLon)
        }

        /// Whether the box reaches the window `lat ± dLat`, `lon ± dLon`.
        func reaches(lat: Double, lon: Double, dLat: Double, dLon: Double) -> Bool {
            !(maxLat < lat - dLat || minLat > lat + dLat || maxLon < lon - dLon || minLon > lon + dLon)
        }
    }

    /// The points, in sequence order (points without coordinates left out).
    var points: [Sphere.Vector] = []
    /// Metres along the shape to each point.
    var along: [Double] = []
    /// `shape_dist_traveled` of each point, never decreasing (0 where empty).
    var user: [Double] = []
    /// Per segment `i` (points `i` and `i + 1`): the great circle's normal and its squared length.
    var normals: [Sphere.Vector] = []
    var normSquared: [Double] = []
    /// Per segment, and per block of ``blockSize`` segments, the degrees they cover.
    var boxes: [Box] = []
    var blocks: [Box] = []

    init(_ s: Shapes, rows: ArraySlice<Int32>) {
        var lats: [Double] = [], lons: [Double] = []
        lats.reserveCapacity(rows.count)
        lons.reserveCapacity(rows.count)
        points.reserveCapacity(rows.count)
        along.reserveCapacity(rows.count)
        user.reserveCapacity(rows.count)
        var userDistance = 0.0
        var highest = 0.0
        for r in rows {
            let la = s.lat[Int(r)], lo = s.lon[Int(r)]
            guard !la.isNaN, !lo.isNaN else { continue }
            let v = Sphere.Vector(lat: la, lon: lo)
            if let last = points.last, let total = along.last {
                along.append(total + max(0, Sphere.chordDistance(last, v)))
            } else {
                along.append(0)
            }
            highest = max(highest, abs(la))
            if let d = s.distTraveled?[Int(r)], !d.isNaN { userDistance = max(userDistance, d) }
            user.append(userDistance)
            points.append(v)
            lats.append(la)
            lons.append(lo)
        }
        guard points.count > 1 else { return }
        let segments = points.count - 1
        // A great-circle arc can bulge poleward beyond its ends' latitudes: boxes are widened by
        // a generous bound of that bulge. An arc across the antimeridian covers every longitude.
        let steep = (1 + tan(min(85, highest) * Double.pi / 180)) / (2 * Sphere.radius * Sphere.metresPerDegree)
        normals.reserveCapacity(segments)
        normSquared.reserveCapacity(segments)
        boxes.reserveCapacity(segments)
        for i in 0..<segments {
            let n = Sphere.normal(points[i], points[i + 1])
            normals.append(n)
            normSquared.append(n.dot(n))
            var box = Box(minLat: min(lats[i], lats[i + 1]), maxLat: max(lats[i], lats[i + 1]),
                          minLon: min(lons[i], lons[i + 1]), maxLon: max(lons[i], lons[i + 1]))
            let length = along[i + 1] - along[i]
            let bulge = length * length * steep + 1e-9
            box.minLat -= bulge
            box.maxLat += bulge
            if box.maxLon - box.minLon > 180 { box.minLon = -Double.infinity; box.maxLon = Double.infinity }
            boxes.append(box)
        }
        var b = 0
        while b < segments {
            var block = Box()
            for i in b..<min(segments, b + Self.blockSize) { block.add(boxes[i]) }
            blocks.append(block)
            b += Self.blockSize
        }
    }

    /// Whether the last point has a positive `shape_dist_traveled`.
    var hasUserDistance: Bool { (user.last ?? 0) > 0 }

    /// The places of the shape within `limit` metres of `x`, one per stretch of the shape that
    /// comes near (each stretch's closest place), in order along the shape
    /// (ShapePoints.matchesFromLocation).
    func matches(near x: Sphere.Vector, lat: Double, lon: Double, within limit: Double) -> [Match] {
        var matches: [Match] = []
        let segments = points.count - 1
        guard segments > 0 else { return matches }
        // The window of degrees where a segment within `limit` must reach (half again as wide,
        // for safety); none near the poles or across the antimeridian.
        let dLat = limit * 1.5 / Sphere.metresPerDegree + 1e-9
        let dLon = dLat / max(0.01, cos(lat * Double.pi / 180))
        let windowed = abs(lat) + dLat < 89 && abs(lon) + dLon < 180

        var local: Match?
        var distanceToEndOfPrevious = Double.infinity
        var previousGettingFurther = false
        var block = 0
        while block < blocks.count {
            let first = block * Self.blockSize, end = min(segments, first + Self.blockSize)
            block += 1
            if windowed && !blocks[block - 1].reaches(lat: lat, lon: lon, dLat: dLat, dLon: dLon) {
                // Every segment here is beyond the limit: a stretch near the stop ends.
                if let m = local { matches.append(m); local = nil }
                continue
            }
            for i in first..<end {
                if windowed && !boxes[i].reaches(lat: lat, lon: lon, dLat: dLat, dLon: dLon) {
                    if let m = local { matches.append(m); local = nil }
                    continue
                }
                let a = points[i], b = points[i + 1]
                let c = Sphere.closestPoint(x, a, b, normal: normals[i], normSquared: normSquared[i])
                let d = Sphere.distance(x, c)
                if d <= limit {
                    // The shape went away from the stop and now comes back: a new stretch.
                    if previousGettingFurther && d < distanceToEndOfPrevious, let m = local {
                        matches.append(m)
                        local = nil
                    }
                    if local.map({ d < $0.distance }) ?? true {
                        local = Match(index: i, along: 0, distance: d, location: c)
                    }
                } else if let m = local {
                    matches.append(m)
                    local = nil
                }
                distanceToEndOfPrevious = Sphere.distance(x, b)
                previousGettingFurther = distanceToEndOfPrevious > d
            }
        }
        if let m = local { matches.append(m) }
        for k in matches.indices {
            let i = matches[k].index
            matches[k].along = along[i] + Sphere.distance(matches[k].location, points[i])
        }
        return matches
    }

    /// Metres from `x` to the closest place of the shape (ShapePoints.matchFromLocation).
    func closestDistance(to x: Sphere.Vector) -> Double {
        guard let p0 = points.first else { return .infinity }
        if points.count == 1 { return Sphere.distance(x, p0) }
        var best = Double.infinity
        for i in 0..<(points.count - 1) {
            let c = Sphere.closestPoint(x, points[i], points[i + 1], normal: normals[i], normSquared: normSquared[i])
            let d = Sphere.distance(x, c)
            if d < best { best = d }
        }
        return best
    }

    /// The place the distance `userDistance` names, searching from point `from` on
    /// (ShapePoints.matchFromUserDist), and how far the stop at `stop` is from it.
    func match(userDistance: Double, from: Int, stop: Sphere.Vector) -> Match {
        let n = points.count
        guard n > 0 else { return Match(index: 0, along: 0, distance: .infinity, location: stop) }
        let start = min(max(0, from), n - 1)
        var previous = start, next = start
        while next < n && userDistance >= user[next] {
            previous = next
            next += 1
        }
        var fraction = 0.0
        if next > 0 && previous + 1 < n && next < n {
            let a = user[previous], b = user[next]
            if !Self.nearlyEqual(a, b) { fraction = (userDistance - a) / (b - a) }
        }
        let p = points[previous]
        let q = previous + 1 < n ? points[previous + 1] : p
        let qAlong = previous + 1 < n ? along[previous + 1] : along[previous]
        let location = Sphere.angle(p, q) <= 1e-15 ? p : Sphere.interpolate(p, q, fraction: fraction)
        return Match(index: previous, along: along[previous] + fraction * (qAlong - along[previous]),
                     distance: Sphere.distance(stop, location), location: location)
    }

    /// Whether two distances are equal within a small margin (MathUtil.nearByFractionOrMargin).
    static func nearlyEqual(_ x: Double, _ y: Double) -> Bool {
        guard x.isFinite, y.isFinite else { return false }
        let margin = 1e-9 * 32
        return abs(x - y) <= max(margin, margin * max(abs(x), abs(y)))
    }
}
