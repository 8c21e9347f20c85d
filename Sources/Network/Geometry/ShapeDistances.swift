#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TransitSupport

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
        let n = s.count
        var counts = [Int32](repeating: 0, count: shapeCount + 1)
        // Usually the file lists each shape's points together, shapes in code order and
        // points in sequence order, all valid: then the file's order is the polylines' order
        // and its columns are used as they are.
        var inFileOrder = s.id.count == n && s.lat.count == n && s.lon.count == n && s.sequence.count == n
            && (s.distTraveled?.count ?? n) == n
        if inFileOrder {
            inFileOrder = s.id.withUnsafeBufferPointer { id in
                s.lat.withUnsafeBufferPointer { la in
                    s.lon.withUnsafeBufferPointer { lo in
                        s.sequence.withUnsafeBufferPointer { sq in
                            counts.withUnsafeMutableBufferPointer { k in
                                var previous: Int32 = -1, previousSequence = Int32.min
                                for r in 0..<n {
                                    let c = id[r]
                                    guard c >= 0, c >= previous, Int(c) < shapeCount, Geo.isValid(lat: la[r], lon: lo[r]) else { return false }
                                    if c == previous && sq[r] < previousSequence { return false }
                                    previous = c; previousSequence = sq[r]
                                    k[Int(c) + 1] += 1
                                }
                                return true
                            }
                        }
                    }
                }
            }
        }
        let lat: [Double], lon: [Double], fd: [Double]
        if inFileOrder {
            for i in 0..<shapeCount { counts[i + 1] += counts[i] }
            lat = s.lat
            lon = s.lon
            fd = s.distTraveled ?? [Double](repeating: .nan, count: n)
        } else {
            for i in counts.indices { counts[i] = 0 }
            for r in 0..<n {
                let c = s.id[r]
                guard c >= 0, Int(c) < shapeCount, Geo.isValid(lat: s.lat[r], lon: s.lon[r]) else { continue }
                counts[Int(c) + 1] += 1
            }
            for i in 0..<shapeCount { counts[i + 1] += counts[i] }
            var cursor = counts
            var rows = [Int32](repeating: 0, count: Int(counts[shapeCount]))
            for r in 0..<n {
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
            var la = [Double](), lo = [Double](), d = [Double]()
            la.reserveCapacity(rows.count); lo.reserveCapacity(rows.count); d.reserveCapacity(rows.count)
            for r in rows {
                la.append(s.lat[Int(r)]); lo.append(s.lon[Int(r)])
                d.append(feedDist?[Int(r)] ?? .nan)
            }
            lat = la; lon = lo; fd = d
        }
        let total = lat.count
        // Cumulative lengths, shape by shape; shapes are independent, so two threads share
        // them when there are enough points to pay for a thread.
        let slots = SharedSlots<Double>(count: total, initial: 0)
        let threads = total >= 20_000 ? min(2, processorCount()) : 1
        var split = shapeCount
        if threads > 1 {
            for c in 0..<shapeCount where Int(counts[c + 1]) * 2 >= total { split = c + 1; break }
        }
        let bounds = counts, latitudes = lat, longitudes = lon, half = split
        runOnThreads(threads) { part in
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
    ///   costs O(stops × shape points) per distinct (pattern, shape) pair (every segment is
    ///   measured for every stop, four segments at a time), the pairs shared by two threads
    ///   when there are many.
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

        // A pattern lists its trips' stops, so a trip of a pattern without unpositioned stops
        // has none to report.
        var patternUnpositioned = [Bool](repeating: true, count: patterns.patterns.count)
        for (i, pattern) in patterns.patterns.enumerated() {
            patternUnpositioned[i] = pattern.stops.contains { s in s >= 0 && Int(s) < stopCount && stopLat[Int(s)].isNaN }
        }
        let tripRows = TripRows(index)
        for t in 0..<tripCount {
            let rows = index.rows(ofTrip: Int32(t))
            guard !rows.isEmpty else { continue }
            let base = Int(offsets[t])
            let n = rows.count
            let tripRow = patterns.tripRow[t]
            let shape: Int32 = tripRow >= 0 ? trips.shape[Int(tripRow)] : -1
            let positions = tripRows.positions(ofTrip: t)

            // Times going backwards.
            let backwards: Int? = arrival.withUnsafeBufferPointer { arr in
                departure.withUnsafeBufferPointer { dep in
                    var lastTime: Int32 = -1
                    for i in positions {
                        let r = tripRows.row(at: i)
                        let a = arr[r], d = dep[r]
                        if (a >= 0 && a < lastTime) || (d >= 0 && a >= 0 && d < a) { return r }
                        if d >= 0 { lastTime = d } else if a >= 0 { lastTime = a }
                    }
                    return nil
                }
            }
            if let r = backwards {
                issues.append(NetworkIssue(code: NetworkIssue.Code.stopTimesGoBackwards,
                                           message: "trip '\(feed.ids(.trip)[t])' goes back in time at stop '\(ShapeDistances.name(feed, .stop, stopCodes[r]))'",
                                           trip: Int32(t), stop: stopCodes[r]))
            }
            // Stops without a position.
            let pattern = Int(patterns.patternOfTrip[t])
            if pattern < 0 || pattern >= patternUnpositioned.count || patternUnpositioned[pattern]
                || patterns.patterns[pattern].stops.count != n {
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
        let threads = keyCount >= 16 ? min(2, processorCount()) : 1
        let snap = options.snapMetres
        let latitudes = stopLat, longitudes = stopLon
        let firstTrips = keyTrip, shapesOfKeys = keyShape
        runOnThreads(threads) { _ in
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
        let alongs = (0..<keyCount).map { projections[$0]?.along ?? [] }
        metres.withUnsafeMutableBufferPointer { out in
            guard let first = out.baseAddress else { return }
            for t in 0..<tripCount {
                let k = tripKey[t]
                guard k >= 0 else { continue }
                let base = Int(offsets[t])
                let count = Int(offsets[t + 1]) - base
                alongs[Int(k)].withUnsafeBufferPointer { along in
                    guard let source = along.baseAddress, base >= 0, base + min(count, along.count) <= out.count else { return }
                    (first + base).update(from: source, count: min(count, along.count))
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
        let d = scratch.d, tt = scratch.t, member = scratch.member
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
        let geometryMetres = geometry.metres
        // Minima of the current stop: position along the shape, distance.
        var minima: [(along: Double, offset: Double)] = []
        minima.reserveCapacity(16)
        var ranked: [(along: Double, offset: Double)] = []
        ranked.reserveCapacity(16)

        /// Measures the stop `q` against every segment into `d` and `tt`, four segments at a
        /// time (the buffers are padded to a multiple of four).
        @inline(__always)
        func measure(_ q: (x: Double, y: Double)) {
            let qx = SIMD4<Double>(repeating: q.x), qy = SIMD4<Double>(repeating: q.y)
            var j = 0
            while j < segments {
                let ax = ProjectionScratch.load(xs, j), ay = ProjectionScratch.load(ys, j)
                let dx = ProjectionScratch.load(sdx, j), dy = ProjectionScratch.load(sdy, j)
                let len2 = ProjectionScratch.load(sl2, j)
                // LocalProjection.closest lane by lane: t = max(0, min(1, v)), 0 for an empty
                // segment (the same operations in the same order, so the same values).
                let v = ((qx - ax) * dx + (qy - ay) * dy) / len2
                let below = v.replacing(with: 1, where: .!(v .< 1))
                let t = below.replacing(with: 0, where: .!(below .> 0) .| .!(len2 .> 0))
                let cx = ax + t * dx - qx, cy = ay + t * dy - qy
                ProjectionScratch.store((cx * cx + cy * cy).squareRoot(), d, j)
                ProjectionScratch.store(t, tt, j)
                j += 4
            }
        }
        /// The local minima of `d`: each run of segments not farther than the one before
        /// (a segment starts a run when it is not farther than its predecessor, or is the
        /// first) gives one candidate, its first closest segment, that is the first of the
        /// run's last segments of equal distance. The runs are found from one bit per segment,
        /// set when it is not farther than its predecessor (`d[-1]` is infinite, so the first
        /// segment's bit is set), compared four at a time.
        @inline(__always)
        func scan() {
            let words = (segments + 63) / 64
            var j = 0
            let weights = SIMD4<UInt64>(1, 2, 4, 8)
            while j < segments {
                let current = ProjectionScratch.load(d, j), before = ProjectionScratch.load(d, j - 1)
                let bits = SIMD4<UInt64>(repeating: 0).replacing(with: weights, where: current .<= before).wrappedSum()
                if j & 63 == 0 { member[j >> 6] = bits } else { member[j >> 6] |= bits << UInt64(j & 63) }
                j += 4
            }
            // Clear the bits of the padding after the last segment.
            if segments & 63 != 0 { member[words - 1] &= (1 << UInt64(segments & 63)) - 1 }
            @inline(__always) func isMember(_ i: Int) -> Bool { member[i >> 6] >> UInt64(i & 63) & 1 == 1 }
            for w in 0..<words {
                let bits = member[w]
                let next: UInt64 = w + 1 < words ? member[w + 1] & 1 : 0
                // A run ends where a set bit is followed by a clear one.
                var ends = bits & ~((bits >> 1) | (next << 63))
                while ends != 0 {
                    let e = w << 6 + ends.trailingZeroBitCount
                    ends &= ends - 1
                    var best = e
                    let closest = d[e]
                    while best > 0 && isMember(best - 1) && d[best - 1] == closest { best -= 1 }
                    let i0 = p.lowerBound + best
                    minima.append((geometryMetres[i0] + tt[best] * (geometryMetres[i0 + 1] - geometryMetres[i0]), closest))
                }
            }
        }

        // Candidates per stop, flat: stop k's are `candFirst[k]..<candFirst[k] + candCount[k]`
        // (position along the shape in metres, distance from the shape).
        var candAlong: [Double] = [], candOffset: [Double] = []
        candAlong.reserveCapacity(stops.count * 3); candOffset.reserveCapacity(stops.count * 3)
        var candFirst = [Int](repeating: 0, count: stops.count)
        var candCount = [Int](repeating: 0, count: stops.count)
        var lastPositioned = -1
        for (k, s) in stops.enumerated() {
            candFirst[k] = candAlong.count
            guard s >= 0, Int(s) < lat.count, !lat[Int(s)].isNaN else { continue }
            lastPositioned = k
            guard segments > 0 else { continue }
            let q = proj.project(lat: lat[Int(s)], lon: lon[Int(s)])
            minima.removeAll(keepingCapacity: true)
            measure(q)
            scan()
            // The closest few (ties in segment order), and any others within `snap`; then in
            // order along the shape (ties in that order).
            ranked.removeAll(keepingCapacity: true)
            for m in minima {
                var i = ranked.count
                ranked.append(m)
                while i > 0 && m.offset < ranked[i - 1].offset { ranked[i] = ranked[i - 1]; i -= 1 }
                ranked[i] = m
            }
            let base = candAlong.count
            for (r, m) in ranked.enumerated() where r < maxCandidates || m.offset <= snap {
                var i = candAlong.count
                candAlong.append(m.along); candOffset.append(m.offset)
                while i > base && m.along < candAlong[i - 1] {
                    candAlong[i] = candAlong[i - 1]; candOffset[i] = candOffset[i - 1]; i -= 1
                }
                candAlong[i] = m.along; candOffset[i] = m.offset
            }
            candCount[k] = candAlong.count - base
        }
        // Dynamic programming over the positioned stops (cost and back pointer per candidate).
        var cost = [Double](repeating: .infinity, count: candAlong.count)
        var back = [Int](repeating: -1, count: candAlong.count)
        var lastStop = -1
        let length = geometryMetres[p.upperBound - 1]
        let start = geometryMetres[p.lowerBound]
        for k in stops.indices {
            let first = candFirst[k], count = candCount[k]
            guard count > 0 else { continue }
            // A small preference (1 m per km) for the first stop near the shape's start and the
            // last near its end, to break ties where a shape passes a terminal twice.
            let isLast = k >= lastPositioned
            let isFirst = lastStop < 0
            @inline(__always)
            func weight(of i: Int) -> Double {
                candOffset[i] + (isLast ? 0.001 * (length - candAlong[i]) : 0) + (isFirst ? 0.001 * (candAlong[i] - start) : 0)
            }
            if isFirst {
                for i in first..<(first + count) { cost[i] = weight(of: i) }
            } else {
                let pf = candFirst[lastStop], pc = candCount[lastStop]
                var anyFinite = false
                for i in first..<(first + count) {
                    let limit = candAlong[i] + 1e-6
                    var best = Double.infinity, from = -1
                    for h in 0..<pc where candAlong[pf + h] <= limit && cost[pf + h].isFinite {
                        let c = cost[pf + h] + weight(of: i)
                        if c < best { best = c; from = h }
                    }
                    cost[i] = best; back[i] = from
                    if best.isFinite { anyFinite = true }
                }
                if !anyFinite {
                    // No candidate lies ahead: keep the best previous position, at a cost.
                    var h = 0
                    for x in 0..<pc where cost[pf + x] < cost[pf + h] { h = x }
                    candAlong[first] = candAlong[pf + h]; candOffset[first] = .infinity
                    candCount[k] = 1
                    cost[first] = cost[pf + h] + 1e9
                    back[first] = h
                }
            }
            lastStop = k
        }
        var chosen = [Int](repeating: -1, count: stops.count)
        if lastStop >= 0 {
            let lf = candFirst[lastStop]
            var i = 0
            for x in 0..<candCount[lastStop] where cost[lf + x] < cost[lf + i] { i = x }
            var k = lastStop
            while k >= 0 {
                chosen[k] = i
                let h = back[candFirst[k] + i]
                var j = k - 1
                while j >= 0 && candCount[j] == 0 { j -= 1 }
                if j < 0 || h < 0 { break }
                i = h; k = j
            }
        }
        var along = [Double](repeating: 0, count: stops.count)
        var offset = [Double](repeating: .nan, count: stops.count)
        var first = Double.nan, previous = 0.0
        for k in stops.indices {
            guard chosen[k] >= 0 else { along[k] = previous; continue }
            let c = candFirst[k] + chosen[k]
            let a = candAlong[c], o = candOffset[c]
            if first.isNaN { first = a }
            previous = max(previous, a - first)
            along[k] = previous
            offset[k] = o.isFinite ? o : .nan
        }
        return (along, offset, first.isNaN ? 0 : first - geometryMetres[p.lowerBound])
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

/// Buffers reused by successive projections on one thread, each padded by three elements so
/// that a shape's segments can be read and written four at a time.
final class ProjectionScratch {
    private(set) var capacity = 0
    /// Projected point coordinates.
    private(set) var x = ProjectionScratch.allocate(1)
    private(set) var y = ProjectionScratch.allocate(1)
    /// Segment vectors and squared lengths.
    private(set) var dx = ProjectionScratch.allocate(1)
    private(set) var dy = ProjectionScratch.allocate(1)
    private(set) var len2 = ProjectionScratch.allocate(1)
    /// Per segment, the distance from the current stop (`d[-1]` is infinite) and the
    /// fraction along it.
    private(set) var d = ProjectionScratch.allocate(1, infiniteBefore: true)
    private(set) var t = ProjectionScratch.allocate(1)
    /// One bit per segment (see `ShapeDistances.project`), 64 to a word.
    private(set) var member = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    init() {
        capacity = 1
        member.initialize(repeating: 0, count: 1)
    }

    private var all: [UnsafeMutablePointer<Double>] { [x, y, dx, dy, len2, t] }

    /// `count` elements plus the padding, all zero; with `infiniteBefore`, one more element
    /// before the first, infinite.
    private static func allocate(_ count: Int, infiniteBefore: Bool = false) -> UnsafeMutablePointer<Double> {
        let before = infiniteBefore ? 1 : 0
        let p = UnsafeMutablePointer<Double>.allocate(capacity: count + 3 + before)
        p.initialize(repeating: 0, count: count + 3 + before)
        if infiniteBefore { p[0] = .infinity }
        return p + before
    }

    /// Makes room for a shape of `points` points.
    func reserve(points: Int) {
        guard points > capacity else { return }
        for p in all { p.deallocate() }
        (d - 1).deallocate()
        member.deallocate()
        capacity = max(points, capacity * 2)
        x = Self.allocate(capacity); y = Self.allocate(capacity)
        dx = Self.allocate(capacity); dy = Self.allocate(capacity); len2 = Self.allocate(capacity)
        d = Self.allocate(capacity, infiniteBefore: true); t = Self.allocate(capacity)
        let words = (capacity + 63) / 64 + 1
        member = .allocate(capacity: words)
        member.initialize(repeating: 0, count: words)
    }

    /// Four values from `p + i` (any alignment).
    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Writes four values at `p + i` (any alignment).
    @inline(__always)
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    deinit {
        for p in all { p.deallocate() }
        (d - 1).deallocate()
        member.deallocate()
    }
}
