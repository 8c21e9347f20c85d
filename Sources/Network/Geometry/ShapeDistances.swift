#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public import GTFS

/// How the distances of a trip's stops were obtained.
public enum DistanceMethod: String, Sendable, CaseIterable {
    /// From `stop_times.shape_dist_traveled`, converted to metres with the unit detected for
    /// the trip's shape (``DistanceUnit``).
    case shapeDistTraveled
    /// By projecting the stops, in order, onto the trip's shape polyline.
    case shapeProjection
    /// Great-circle distances between consecutive stops (no usable shape).
    case greatCircle
}

/// A unit `shape_dist_traveled` may be written in.
public enum DistanceUnit: String, Sendable, CaseIterable {
    /// Metres.
    case metres
    /// Kilometres.
    case kilometres
    /// International miles (1,609.344 m).
    case miles
    /// International feet (0.3048 m).
    case feet

    /// Metres per unit.
    public var metres: Double {
        switch self {
        case .metres: 1
        case .kilometres: 1000
        case .miles: 1609.344
        case .feet: 0.3048
        }
    }

    /// The unit whose size best explains `feedSpan` (in the feed's unit) covering
    /// `metresSpan` metres of geometry: the candidate nearest on a log scale, if within a
    /// factor `tolerance` of it.
    /// - Complexity: O(1).
    public static func detect(feedSpan: Double, metresSpan: Double, tolerance: Double = 1.5) -> DistanceUnit? {
        guard feedSpan > 0, metresSpan > 0, feedSpan.isFinite, metresSpan.isFinite else { return nil }
        let perUnit = metresSpan / feedSpan
        var best: DistanceUnit?
        var bestError = Double.infinity
        for u in allCases {
            let e = abs(log(perUnit / u.metres))
            if e < bestError { bestError = e; best = u }
        }
        return bestError <= log(tolerance) ? best : nil
    }
}

/// The polylines of `shapes.txt`, grouped by shape code and ordered by `shape_pt_sequence`,
/// with the cumulative length of each point in metres.
public struct ShapeGeometry: Sendable {
    /// Per shape code, where its points start; `shapeCount + 1` entries.
    public let offsets: [Int32]
    /// Point latitudes in degrees.
    public let lat: [Double]
    /// Point longitudes in degrees.
    public let lon: [Double]
    /// Great-circle length in metres from the shape's first point to each point.
    public let metres: [Double]
    /// `shapes.shape_dist_traveled` of each point in the feed's unit (NaN where empty).
    public let feedDistance: [Double]

    /// Reads the shapes of `feed`; points without a valid position are left out.
    /// - Complexity: O(n log k) for n points and at most k points per shape.
    public init(feed: Feed) {
        let s = feed.shapes
        let shapeCount = feed.ids(.shape).count
        var counts = [Int32](repeating: 0, count: shapeCount + 1)
        for r in 0..<s.count {
            let c = s.id[r]
            guard c >= 0, Int(c) < shapeCount, Geo.isValid(lat: s.lat[r], lon: s.lon[r]) else { continue }
            counts[Int(c) + 1] += 1
        }
        for i in 0..<shapeCount { counts[i + 1] += counts[i] }
        var cursor = counts
        var rows = [Int32](repeating: 0, count: Int(counts[shapeCount]))
        for r in 0..<s.count {
            let c = s.id[r]
            guard c >= 0, Int(c) < shapeCount, Geo.isValid(lat: s.lat[r], lon: s.lon[r]) else { continue }
            rows[Int(cursor[Int(c)])] = Int32(r)
            cursor[Int(c)] += 1
        }
        let seq = s.sequence
        for c in 0..<shapeCount {
            let a = Int(counts[c]), b = Int(counts[c + 1])
            guard b - a > 1 else { continue }
            var sorted = true
            for i in (a + 1)..<b where seq[Int(rows[i - 1])] > seq[Int(rows[i])] { sorted = false; break }
            if !sorted {
                let part = rows[a..<b].sorted { x, y in seq[Int(x)] != seq[Int(y)] ? seq[Int(x)] < seq[Int(y)] : x < y }
                rows.replaceSubrange(a..<b, with: part)
            }
        }
        let feedDist = s.distTraveled
        let total = rows.count
        var lat = [Double](), lon = [Double](), fd = [Double]()
        lat.reserveCapacity(total); lon.reserveCapacity(total); fd.reserveCapacity(total)
        for r in rows {
            lat.append(s.lat[Int(r)]); lon.append(s.lon[Int(r)])
            fd.append(feedDist?[Int(r)] ?? .nan)
        }
        // Cumulative lengths, shape by shape; shapes are independent, so two threads share
        // them when there are enough points to pay for a thread.
        let slots = SharedSlots<Double>(count: total, initial: 0)
        let threads = total >= 20_000 ? min(2, networkProcessorCount()) : 1
        var split = shapeCount
        if threads > 1 {
            for c in 0..<shapeCount where Int(counts[c + 1]) * 2 >= total { split = c + 1; break }
        }
        let bounds = counts, latitudes = lat, longitudes = lon, half = split
        runOnNetworkThreads(threads) { part in
            let shapes = threads == 1 ? 0..<shapeCount : (part == 0 ? 0..<half : half..<shapeCount)
            latitudes.withUnsafeBufferPointer { la in
                longitudes.withUnsafeBufferPointer { lo in
                    for c in shapes {
                        let a = Int(bounds[c]), b = Int(bounds[c + 1])
                        guard a < b else { continue }
                        var sum = 0.0
                        // Geo.haversine with each point's latitude in radians and its cosine
                        // computed once (the same operations, so the same values).
                        var p1 = la[a] * .pi / 180
                        var c1 = cos(p1)
                        for i in (a + 1)..<b {
                            let p2 = la[i] * .pi / 180
                            let c2 = cos(p2)
                            let dp = p2 - p1, dl = (lo[i] - lo[i - 1]) * .pi / 180
                            let s1 = sin(dp / 2), s2 = sin(dl / 2)
                            let h = s1 * s1 + c1 * c2 * s2 * s2
                            sum += 2 * Geo.earthRadius * asin(min(1, sqrt(h)))
                            slots[i] = sum
                            p1 = p2; c1 = c2
                        }
                    }
                }
            }
        }
        let metres = slots.array
        self.offsets = counts
        self.lat = lat
        self.lon = lon
        self.metres = metres
        self.feedDistance = fd
    }

    /// The number of shape codes (including shapes without points).
    public var shapeCount: Int { offsets.count - 1 }

    /// The point indices of shape code `shape` (empty for an unknown code).
    /// - Complexity: O(1).
    public func points(ofShape shape: Int32) -> Range<Int> {
        guard shape >= 0, Int(shape) < shapeCount else { return 0..<0 }
        return Int(offsets[Int(shape)])..<Int(offsets[Int(shape) + 1])
    }

    /// The length of shape code `shape` in metres (0 for an unknown or empty shape).
    /// - Complexity: O(1).
    public func length(ofShape shape: Int32) -> Double {
        let p = points(ofShape: shape)
        return p.isEmpty ? 0 : metres[p.upperBound - 1]
    }
}

/// Options for ``ShapeDistances``.
public struct DistanceOptions: Sendable {
    /// Use `stop_times.shape_dist_traveled` when the feed gives it (default `true`); `false`
    /// forces projection onto the shapes (used to check one against the other).
    public var useShapeDistTraveled: Bool
    /// Use the shapes at all (default `true`); `false` forces great-circle distances.
    public var useShapes: Bool
    /// A stop farther than this from its trip's shape (metres) is reported (default 100).
    public var maxStopToShapeMetres: Double
    /// While projecting, every pass of the shape within this many metres of a stop is a
    /// candidate place for it, besides the six closest passes (default 50).
    public var snapMetres: Double

    /// Creates options (see each property for the defaults).
    public init(useShapeDistTraveled: Bool = true, useShapes: Bool = true,
                maxStopToShapeMetres: Double = 100, snapMetres: Double = 50) {
        self.useShapeDistTraveled = useShapeDistTraveled
        self.useShapes = useShapes
        self.maxStopToShapeMetres = maxStopToShapeMetres
        self.snapMetres = snapMetres
    }
}

/// For every trip, the distance in metres of each of its stops from the trip's first stop,
/// and the method used (``DistanceMethod``).
///
/// Methods, in order of preference, per trip:
/// 1. **`shape_dist_traveled`** when every stop of the trip has a value, the values never
///    decrease, and the unit is known. The unit is detected per shape by comparing the span of
///    `shapes.shape_dist_traveled` with the polyline's length in metres (or, when shapes.txt
///    lacks the column, the longest span of the shape's trips' stop values with the polyline's
///    length; for a trip without a shape, its span with the great-circle length through its
///    stops). The candidate (metres, kilometres, miles, feet) nearest on a log scale, within a
///    factor of 1.5, wins; otherwise the unit is reported unknown and the geometry is used.
/// 2. **Projection** onto the shape polyline: each pass of the shape near a stop (a local
///    minimum of the distance) is a candidate place; the places chosen are those that never
///    go backwards along the shape and keep the stops, in total, closest to it (dynamic
///    programming over the trip's stops). Distances are measured along the great-circle
///    length of the polyline.
/// 3. **Great circle** between consecutive stops when the trip has no usable shape.
///
/// Stops without a position take the position of their parent station; failing that they take
/// the previous stop's distance and are reported. Distances never decrease within a trip.
public struct ShapeDistances: Sendable {
    /// Per trip code, where its stops start in ``metres``; the same offsets as the feed's
    /// ``StopTimeIndex`` (`tripCount + 1` entries).
    public let offsets: [Int32]
    /// Metres from the trip's first stop, for each stop of each trip in `stop_sequence` order.
    public let metres: [Double]
    /// Per trip code, the method used (`nil` for a trip without stop times).
    public let methods: [DistanceMethod?]
    /// Per shape code, the detected unit of its `shape_dist_traveled` (`nil` when the feed has
    /// none for that shape or it could not be matched).
    public let units: [DistanceUnit?]
    /// Per stop code, the distance (metres) from the stop to the nearest point of the shapes
    /// it was projected on (the largest seen), or NaN when never projected.
    public let stopToShapeMetres: [Double]
    /// Data problems found (stops without position, stops far from their shape, times or
    /// distances going backwards, unknown units).
    public let issues: [NetworkIssue]
    /// The shapes used.
    public let geometry: ShapeGeometry

    /// Computes the distances for every trip of `feed`.
    /// - Parameters:
    ///   - patterns: the feed's patterns (computed when `nil`); projections are shared by the
    ///     trips of one pattern and shape.
    /// - Complexity: O(stop_times + shape points) for the feed's own distances; projection
    ///   costs O(stops × shape points) per distinct (pattern, shape) pair in the worst case,
    ///   usually O(shape points).
    public init(feed: Feed, patterns: RoutePatterns? = nil, options: DistanceOptions = DistanceOptions()) {
        self.init(feed: feed, patterns: patterns, options: options, sharing: true)
    }

    /// One projection of a stop sequence onto a shape.
    struct Projection: Sendable {
        /// The stop codes projected.
        var stops: [Int32]
        /// Metres from the first stop along the shape, per stop.
        var along: [Double]
        /// Each stop's distance from the shape (NaN when unpositioned).
        var offset: [Double]
        /// Where the first stop lies along the shape, metres from its start.
        var start: Double
    }

    /// Computes the distances; with `sharing` off every trip is projected on its own instead
    /// of once per (pattern, shape) (the reference the tests compare the shared results with;
    /// far-stop issues are then reported per trip).
    init(feed: Feed, patterns: RoutePatterns?, options: DistanceOptions, sharing: Bool) {
        let patterns = patterns ?? RoutePatterns(feed: feed)
        let geometry = ShapeGeometry(feed: feed)
        let index = feed.stopTimeIndex
        let st = feed.stopTimes
        let trips = feed.trips
        let tripCount = feed.ids(.trip).count
        let stopCount = feed.ids(.stop).count
        var issues: [NetworkIssue] = []

        // Stop positions by code, inheriting a parent station's where missing.
        var stopLat = [Double](repeating: .nan, count: stopCount)
        var stopLon = [Double](repeating: .nan, count: stopCount)
        let stops = feed.stops
        for r in 0..<stops.count {
            let c = stops.id[r]
            guard c >= 0, Int(c) < stopCount, Geo.isValid(lat: stops.lat[r], lon: stops.lon[r]) else { continue }
            stopLat[Int(c)] = stops.lat[r]; stopLon[Int(c)] = stops.lon[r]
        }
        for r in 0..<stops.count {
            let c = stops.id[r], p = stops.parentStation[r]
            guard c >= 0, Int(c) < stopCount, stopLat[Int(c)].isNaN, p >= 0, Int(p) < stopCount else { continue }
            stopLat[Int(c)] = stopLat[Int(p)]; stopLon[Int(c)] = stopLon[Int(p)]
        }
        var reportedNoPosition = [Bool](repeating: false, count: stopCount)

        // Units per shape from shapes.txt.
        let shapeCount = geometry.shapeCount
        var units = [DistanceUnit?](repeating: nil, count: shapeCount)
        var unitDecided = [Bool](repeating: false, count: shapeCount)
        for c in 0..<shapeCount {
            let p = geometry.points(ofShape: Int32(c))
            var first = -1, last = -1
            for i in p where geometry.feedDistance[i].isFinite {
                if first < 0 { first = i }
                last = i
            }
            guard first >= 0, last > first else { continue }
            unitDecided[c] = true
            units[c] = DistanceUnit.detect(feedSpan: geometry.feedDistance[last] - geometry.feedDistance[first],
                                           metresSpan: geometry.metres[last] - geometry.metres[first])
            if units[c] == nil {
                issues.append(NetworkIssue(code: NetworkIssue.Code.unknownDistanceUnit,
                                           message: "shape_dist_traveled of shape '\(feed.ids(.shape)[c])' matches no unit against the geometry; distances are projected instead",
                                           shape: Int32(c)))
            }
        }
        let sdt = options.useShapeDistTraveled ? st.shapeDistTraveled : nil
        // Units per shape from stop_times where shapes.txt lacks them.
        if let sdt {
            var span = [Double](repeating: 0, count: shapeCount)
            for row in 0..<trips.count {
                let sh = trips.shape[row]
                guard sh >= 0, Int(sh) < shapeCount, !unitDecided[Int(sh)] else { continue }
                let rows = index.rows(ofTrip: trips.id[row])
                guard let a = rows.first, let b = rows.last else { continue }
                let v = sdt[Int(b)] - (sdt[Int(a)].isFinite ? sdt[Int(a)] : 0)
                if v.isFinite { span[Int(sh)] = max(span[Int(sh)], v) }
            }
            for c in 0..<shapeCount where !unitDecided[c] && span[c] > 0 {
                units[c] = DistanceUnit.detect(feedSpan: span[c], metresSpan: geometry.length(ofShape: Int32(c)))
            }
        }

        let offsets = index.offsets
        var metres = [Double](repeating: 0, count: Int(offsets.last ?? 0))
        var methods = [DistanceMethod?](repeating: nil, count: tripCount)
        var stopToShape = [Double](repeating: .nan, count: stopCount)
        let stopCodes = st.stop
        let arrival = st.arrival, departure = st.departure

        // Projections are computed once per (pattern, shape) key, in three passes: (1) walk the
        // trips in code order, deciding each one's method and noting the keys it needs (a key's
        // far-stop issues belong where its first trip asked for it); (2) project each key, on
        // two threads when there are many; (3) hand the results to the trips.
        var keyIndex: [Int64: Int32] = [:]
        var keyTrip: [Int32] = [], keyShape: [Int32] = [], keyIssueAt: [Int] = []
        var tripKey = [Int32](repeating: -1, count: tripCount)
        // Trips using shape_dist_traveled whose origin waits for a projection.
        var pendingOrigin: [(trip: Int32, key: Int32, unit: DistanceUnit)] = []

        /// The key of trip `t`'s projection onto `shape`, shared by the trips of one pattern
        /// (each trip its own when `sharing` is off or the trip has no pattern).
        func key(_ t: Int, _ shape: Int32) -> Int32 {
            let pattern = patterns.patternOfTrip[t]
            let shared = sharing && pattern >= 0
            let k = Int64(pattern) << 32 | Int64(UInt32(bitPattern: shape))
            if shared, let known = keyIndex[k] { return known }
            let new = Int32(keyTrip.count)
            keyTrip.append(Int32(t)); keyShape.append(shape); keyIssueAt.append(issues.count)
            if shared { keyIndex[k] = new }
            return new
        }

        for t in 0..<tripCount {
            let rows = index.rows(ofTrip: Int32(t))
            guard !rows.isEmpty else { continue }
            let base = Int(offsets[t])
            let n = rows.count
            let tripRow = patterns.tripRow[t]
            let shape: Int32 = tripRow >= 0 ? trips.shape[Int(tripRow)] : -1

            // Times going backwards.
            var lastTime: Int32 = -1
            for r in rows {
                let a = arrival[Int(r)], d = departure[Int(r)]
                if (a >= 0 && a < lastTime) || (d >= 0 && a >= 0 && d < a) {
                    issues.append(NetworkIssue(code: NetworkIssue.Code.stopTimesGoBackwards,
                                               message: "trip '\(feed.ids(.trip)[t])' goes back in time at stop '\(ShapeDistances.name(feed, .stop, stopCodes[Int(r)]))'",
                                               trip: Int32(t), stop: stopCodes[Int(r)]))
                    break
                }
                if d >= 0 { lastTime = d } else if a >= 0 { lastTime = a }
            }
            // Stops without a position.
            for r in rows {
                let s = stopCodes[Int(r)]
                guard s >= 0, Int(s) < stopCount else { continue }
                if stopLat[Int(s)].isNaN && !reportedNoPosition[Int(s)] {
                    reportedNoPosition[Int(s)] = true
                    issues.append(NetworkIssue(code: NetworkIssue.Code.stopWithoutPosition,
                                               message: "stop '\(ShapeDistances.name(feed, .stop, s))' has no position; it takes the previous stop's distance",
                                               trip: Int32(t), stop: s))
                }
            }

            // 1. The feed's own distances (per trip: the values may differ between the trips
            //    of one pattern).
            if let sdt, options.useShapes || shape < 0 {
                var unit: DistanceUnit? = shape >= 0 && Int(shape) < shapeCount ? units[Int(shape)] : nil
                var ok = true
                var previous = -Double.infinity
                // An empty value on the first stop is read as the start of the shape or the
                // first stop's projection (see below); empty values elsewhere mean the
                // geometry is used.
                let firstEmpty = rows.first.map { sdt[Int($0)].isNaN } ?? false
                for (i, r) in rows.enumerated() {
                    let v = i == 0 && firstEmpty ? 0 : sdt[Int(r)]
                    if !v.isFinite { ok = false; break }
                    if v < previous {
                        ok = false
                        issues.append(NetworkIssue(code: NetworkIssue.Code.decreasingShapeDistTraveled,
                                                   message: "shape_dist_traveled decreases along trip '\(feed.ids(.trip)[t])'; distances are computed from the geometry",
                                                   trip: Int32(t), stop: stopCodes[Int(r)]))
                        break
                    }
                    previous = v
                }
                if ok, unit == nil, geometry.points(ofShape: shape).count < 2 {
                    let gc = ShapeDistances.greatCircle(rows: rows, stopCodes: stopCodes, lat: stopLat, lon: stopLon)
                    if let first = rows.first, let last = rows.last, let total = gc.last {
                        unit = DistanceUnit.detect(feedSpan: sdt[Int(last)] - (firstEmpty ? 0 : sdt[Int(first)]), metresSpan: total, tolerance: 2)
                    }
                }
                if ok, let unit, let first = rows.first {
                    methods[t] = .shapeDistTraveled
                    if firstEmpty, rows.count > 1, geometry.points(ofShape: shape).count >= 2 {
                        // The origin depends on the projection: finished in pass 3.
                        pendingOrigin.append((Int32(t), key(t, shape), unit))
                        continue
                    }
                    let origin = firstEmpty ? 0 : sdt[Int(first)] * unit.metres
                    for (i, r) in rows.enumerated() { metres[base + i] = i == 0 ? 0 : max(0, sdt[Int(r)] * unit.metres - origin) }
                    continue
                }
            }
            // 2. Projection onto the shape.
            if options.useShapes, geometry.points(ofShape: shape).count >= 2 {
                tripKey[t] = key(t, shape)
                methods[t] = .shapeProjection
                continue
            }
            // 3. Great circle.
            let gc = ShapeDistances.greatCircle(rows: rows, stopCodes: stopCodes, lat: stopLat, lon: stopLon)
            for i in 0..<n { metres[base + i] = gc[i] }
            methods[t] = .greatCircle
        }

        // Pass 2: one projection per key.
        let keyCount = keyTrip.count
        let projections = SharedSlots<Projection?>(count: keyCount, initial: nil)
        let work = WorkCounter()
        let threads = keyCount >= 16 ? min(2, networkProcessorCount()) : 1
        let snap = options.snapMetres
        let latitudes = stopLat, longitudes = stopLon
        let firstTrips = keyTrip, shapesOfKeys = keyShape
        runOnNetworkThreads(threads) { _ in
            let scratch = ProjectionScratch()
            while let k = work.take(below: keyCount) {
                let rows = index.rows(ofTrip: firstTrips[k])
                var stopsOfTrip: [Int32] = []
                stopsOfTrip.reserveCapacity(rows.count)
                for r in rows { stopsOfTrip.append(stopCodes[Int(r)]) }
                let result = ShapeDistances.project(stops: stopsOfTrip, lat: latitudes, lon: longitudes,
                                                    geometry: geometry, shape: shapesOfKeys[k], snap: snap,
                                                    scratch: scratch)
                projections[k] = Projection(stops: stopsOfTrip, along: result.along, offset: result.offset, start: result.start)
            }
        }

        // Pass 3: far stops (reported once per key, where its first trip asked for it), then
        // the trips' distances.
        var merged: [NetworkIssue] = []
        var nextIssue = 0
        for k in 0..<keyCount {
            guard let pr = projections[k] else { continue }
            let at = keyIssueAt[k]
            if at > nextIssue { merged.append(contentsOf: issues[nextIssue..<at]); nextIssue = at }
            let t = keyTrip[k], shape = keyShape[k]
            for (i, s) in pr.stops.enumerated() where pr.offset[i].isFinite && s >= 0 && Int(s) < stopCount {
                let old = stopToShape[Int(s)]
                if old.isNaN || pr.offset[i] > old { stopToShape[Int(s)] = pr.offset[i] }
                if pr.offset[i] > options.maxStopToShapeMetres {
                    merged.append(NetworkIssue(code: NetworkIssue.Code.stopTooFarFromShape,
                                               message: "stop '\(ShapeDistances.name(feed, .stop, s))' is \(Int(pr.offset[i].rounded())) m from shape '\(ShapeDistances.name(feed, .shape, shape))' of trip '\(feed.ids(.trip)[Int(t)])'",
                                               trip: t, stop: s, shape: shape))
                }
            }
        }
        if keyCount > 0 {
            if nextIssue < issues.count { merged.append(contentsOf: issues[nextIssue...]) }
            issues = merged
        }
        metres.withUnsafeMutableBufferPointer { out in
            for t in 0..<tripCount {
                let k = tripKey[t]
                guard k >= 0, let pr = projections[Int(k)] else { continue }
                let base = Int(offsets[t])
                let count = Int(offsets[t + 1]) - base
                pr.along.withUnsafeBufferPointer { along in
                    for i in 0..<min(count, along.count) { out[base + i] = along[i] }
                }
            }
        }
        if let sdt {
            for (t, k, unit) in pendingOrigin {
                let rows = index.rows(ofTrip: t)
                guard let pr = projections[Int(k)], rows.count > 1 else { continue }
                let base = Int(offsets[Int(t)])
                // An empty first value means either "the start of the shape" or "where the
                // first stop projects onto it": take the reading under which the second
                // stop's distance agrees best with the projection.
                var origin = 0.0
                let second = sdt[Int(rows[rows.startIndex + 1])] * unit.metres
                if pr.along.count > 1, abs(second - pr.start - pr.along[1]) < abs(second - pr.along[1]) {
                    origin = pr.start
                }
                for (i, r) in rows.enumerated() { metres[base + i] = i == 0 ? 0 : max(0, sdt[Int(r)] * unit.metres - origin) }
            }
        }
        self.offsets = offsets
        self.metres = metres
        self.methods = methods
        self.units = units
        self.stopToShapeMetres = stopToShape
        self.issues = issues
        self.geometry = geometry
    }

    static func name(_ feed: Feed, _ space: IDSpace, _ code: Int32) -> String {
        let ids = feed.ids(space)
        return code >= 0 && Int(code) < ids.count ? ids[Int(code)] : "#\(code)"
    }

    /// Cumulative great-circle metres through the positioned stops of `rows`.
    static func greatCircle(rows: StopTimeIndex.Rows, stopCodes: [Int32], lat: [Double], lon: [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(rows.count)
        var total = 0.0
        var pLat = Double.nan, pLon = Double.nan
        for r in rows {
            let s = stopCodes[Int(r)]
            if s >= 0, Int(s) < lat.count, !lat[Int(s)].isNaN {
                if !pLat.isNaN { total += Geo.haversine(lat1: pLat, lon1: pLon, lat2: lat[Int(s)], lon2: lon[Int(s)]) }
                pLat = lat[Int(s)]; pLon = lon[Int(s)]
            }
            out.append(total)
        }
        return out
    }

    /// Projects `stops` in order onto `shape`: per stop, metres from the first stop along the
    /// shape, and the stop's distance from the shape (NaN for a stop without a position).
    ///
    /// Each stop's candidates are the local minima of its distance to the polyline's segments
    /// (the closest few, and any within `snap` metres); dynamic programming then picks one
    /// candidate per stop so that positions never decrease and the summed distance from the
    /// stops to the shape is least. This keeps loops and out-and-back routes right where a
    /// greedy nearest-point search would jump to the wrong pass.
    static func project(stops: [Int32], lat: [Double], lon: [Double], geometry: ShapeGeometry,
                        shape: Int32, snap: Double) -> (along: [Double], offset: [Double], start: Double) {
        project(stops: stops, lat: lat, lon: lon, geometry: geometry, shape: shape, snap: snap, scratch: ProjectionScratch())
    }

    /// ``project(stops:lat:lon:geometry:shape:snap:)`` with reusable buffers (one per thread).
    static func project(stops: [Int32], lat: [Double], lon: [Double], geometry: ShapeGeometry,
                        shape: Int32, snap: Double, scratch: ProjectionScratch) -> (along: [Double], offset: [Double], start: Double) {
        let p = geometry.points(ofShape: shape)
        let proj = LocalProjection(referenceLatitude: geometry.lat[p.lowerBound])
        let segments = p.count - 1
        let maxCandidates = 6
        // The polyline projected once, with each segment's vector and squared length: the
        // operations of LocalProjection.closest, hoisted out of the per-stop loop.
        scratch.reserve(points: p.count)
        let xs = scratch.x, ys = scratch.y, sdx = scratch.dx, sdy = scratch.dy, sl2 = scratch.len2
        let d = scratch.d, tt = scratch.t
        geometry.lat.withUnsafeBufferPointer { glat in
            geometry.lon.withUnsafeBufferPointer { glon in
                for i in 0..<p.count {
                    let v = proj.project(lat: glat[p.lowerBound + i], lon: glon[p.lowerBound + i])
                    xs[i] = v.x; ys[i] = v.y
                }
            }
        }
        for j in 0..<max(0, segments) {
            let dx = xs[j + 1] - xs[j], dy = ys[j + 1] - ys[j]
            sdx[j] = dx; sdy[j] = dy; sl2[j] = dx * dx + dy * dy
        }
        // Candidates per stop: (position along the shape in metres, distance from the shape).
        var candidates: [[(along: Double, offset: Double)]] = []
        candidates.reserveCapacity(stops.count)
        for s in stops {
            guard s >= 0, Int(s) < lat.count, !lat[Int(s)].isNaN, segments > 0 else { candidates.append([]); continue }
            let q = proj.project(lat: lat[Int(s)], lon: lon[Int(s)])
            for j in 0..<segments {
                let ax = xs[j], ay = ys[j], dx = sdx[j], dy = sdy[j], len2 = sl2[j]
                // max(0, min(1, v)) as selects the compiler keeps free of branches (the same
                // values, but for the sign of a zero `t`, which changes no result).
                let v = ((q.x - ax) * dx + (q.y - ay) * dy) / len2
                let below = v < 1 ? v : 1
                let t = len2 > 0 ? (below > 0 ? below : 0) : 0
                let cx = ax + t * dx - q.x, cy = ay + t * dy - q.y
                d[j] = (cx * cx + cy * cy).squareRoot(); tt[j] = t
            }
            var minima: [(along: Double, offset: Double)] = []
            var j = 0
            while j < segments {
                // A run of segments not farther than their neighbours: one candidate (its best).
                let left = j == 0 ? Double.infinity : d[j - 1]
                if d[j] <= left {
                    var k = j, best = j
                    while k + 1 < segments && d[k + 1] <= d[k] { k += 1; if d[k] < d[best] { best = k } }
                    let i0 = p.lowerBound + best
                    minima.append((geometry.metres[i0] + tt[best] * (geometry.metres[i0 + 1] - geometry.metres[i0]), d[best]))
                    j = k + 1
                } else {
                    j += 1
                }
            }
            let ranked = minima.sorted { $0.offset < $1.offset }
            var keep = ranked.prefix(maxCandidates).filter { _ in true }
            for m in ranked.dropFirst(maxCandidates) where m.offset <= snap { keep.append(m) }
            keep.sort { $0.along < $1.along }
            candidates.append(keep)
        }
        // Dynamic programming over the positioned stops.
        var cost: [[Double]] = [], back: [[Int]] = []
        var lastStop = -1
        for k in stops.indices {
            let cand = candidates[k]
            guard !cand.isEmpty else { cost.append([]); back.append([]); continue }
            var cRow = [Double](repeating: .infinity, count: cand.count), bRow = [Int](repeating: -1, count: cand.count)
            // A small preference (1 m per km) for the first stop near the shape's start and the
            // last near its end, to break ties where a shape passes a terminal twice.
            let isLast = !stops[(k + 1)...].contains { $0 >= 0 && Int($0) < lat.count && !lat[Int($0)].isNaN }
            let length = geometry.metres[p.upperBound - 1]
            let start = geometry.metres[p.lowerBound]
            func weight(of i: Int) -> Double {
                cand[i].offset + (isLast ? 0.001 * (length - cand[i].along) : 0) + (lastStop < 0 ? 0.001 * (cand[i].along - start) : 0)
            }
            if lastStop < 0 {
                for i in cand.indices { cRow[i] = weight(of: i) }
            } else {
                let prevCand = candidates[lastStop], prevCost = cost[lastStop]
                for i in cand.indices {
                    for h in prevCand.indices where prevCand[h].along <= cand[i].along + 1e-6 && prevCost[h].isFinite {
                        let c = prevCost[h] + weight(of: i)
                        if c < cRow[i] { cRow[i] = c; bRow[i] = h }
                    }
                }
                if !cRow.contains(where: { $0.isFinite }) {
                    // No candidate lies ahead: keep the best previous position, at a cost.
                    var h = 0
                    for x in prevCost.indices where prevCost[x] < prevCost[h] { h = x }
                    candidates[k] = [(prevCand[h].along, .infinity)]
                    cRow = [prevCost[h] + 1e9]
                    bRow = [h]
                }
            }
            cost.append(cRow); back.append(bRow)
            lastStop = k
        }
        var chosen = [Int](repeating: -1, count: stops.count)
        if lastStop >= 0 {
            var i = 0
            for x in cost[lastStop].indices where cost[lastStop][x] < cost[lastStop][i] { i = x }
            var k = lastStop
            while k >= 0 {
                chosen[k] = i
                let h = back[k][i]
                var j = k - 1
                while j >= 0 && candidates[j].isEmpty { j -= 1 }
                if j < 0 || h < 0 { break }
                i = h; k = j
            }
        }
        var along = [Double](repeating: 0, count: stops.count)
        var offset = [Double](repeating: .nan, count: stops.count)
        var first = Double.nan, previous = 0.0
        for k in stops.indices {
            guard chosen[k] >= 0 else { along[k] = previous; continue }
            let c = candidates[k][chosen[k]]
            if first.isNaN { first = c.along }
            previous = max(previous, c.along - first)
            along[k] = previous
            offset[k] = c.offset.isFinite ? c.offset : .nan
        }
        return (along, offset, first.isNaN ? 0 : first - geometry.metres[p.lowerBound])
    }

    /// The distances (metres from the first stop) of trip code `trip`'s stops, in
    /// `stop_sequence` order (empty for an unknown trip).
    /// - Complexity: O(1).
    public func metres(ofTrip trip: Int32) -> ArraySlice<Double> {
        guard trip >= 0, Int(trip) + 1 < offsets.count else { return [] }
        return metres[Int(offsets[Int(trip)])..<Int(offsets[Int(trip) + 1])]
    }

    /// The method used for trip code `trip`, or `nil` when it has no stop times.
    /// - Complexity: O(1).
    public func method(ofTrip trip: Int32) -> DistanceMethod? {
        guard trip >= 0, Int(trip) < methods.count else { return nil }
        return methods[Int(trip)]
    }

    /// How many trips used each method.
    /// - Complexity: O(trips).
    public var methodCounts: [DistanceMethod: Int] {
        var c: [DistanceMethod: Int] = [:]
        for m in methods { if let m { c[m, default: 0] += 1 } }
        return c
    }
}

/// Buffers reused by successive projections on one thread.
final class ProjectionScratch {
    private(set) var capacity = 0
    /// Projected point coordinates.
    private(set) var x = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private(set) var y = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    /// Segment vectors and squared lengths.
    private(set) var dx = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private(set) var dy = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private(set) var len2 = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    /// Per segment, the distance from the current stop and the fraction along it.
    private(set) var d = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private(set) var t = UnsafeMutablePointer<Double>.allocate(capacity: 1)

    init() { capacity = 1 }

    private var all: [UnsafeMutablePointer<Double>] { [x, y, dx, dy, len2, d, t] }

    /// Makes room for a shape of `points` points.
    func reserve(points: Int) {
        guard points > capacity else { return }
        for p in all { p.deallocate() }
        capacity = max(points, capacity * 2)
        x = .allocate(capacity: capacity); y = .allocate(capacity: capacity)
        dx = .allocate(capacity: capacity); dy = .allocate(capacity: capacity); len2 = .allocate(capacity: capacity)
        d = .allocate(capacity: capacity); t = .allocate(capacity: capacity)
    }

    deinit { for p in all { p.deallocate() } }
}

