import GTFS
import TransitSupport

/// The passes of ``ShapeDistances``, over the trips of one feed.
///
/// Projections are computed once per (pattern, shape) key, in three passes:
/// 1. ``walkTrips()`` walks the trips in code order, deciding each one's method and noting the
///    keys it needs (a key's far-stop issues belong where its first trip asked for it);
/// 2. ``projectKeys()`` projects each key, on two threads when there are many;
/// 3. ``finish(with:)`` reports the far stops and hands the results to the trips.
struct DistancePasses {
    let feed: Feed
    let patterns: RoutePatterns
    let geometry: ShapeGeometry
    let options: DistanceOptions
    /// Whether the trips of one pattern share a projection (see ``ShapeDistances``).
    let sharing: Bool
    /// The detected unit per shape code.
    let units: [DistanceUnit?]
    /// `stop_times.shape_dist_traveled`, `nil` when absent or not used.
    let sdt: [Double]?
    let index: StopTimeIndex
    /// `stop_times.stop_id`, `arrival_time` and `departure_time` by row.
    let stopCodes: [Int32], arrival: [Int32], departure: [Int32]
    /// Stop positions by code, a parent station's where the stop has none.
    let positions: StopPositions
    let tripCount: Int, stopCount: Int

    /// The issues found so far, in order.
    var issues: [NetworkIssue]
    /// Metres from the trip's first stop, laid out like `index.offsets`.
    var metres: [Double]
    var methods: [DistanceMethod?]
    var stopToShape: [Double]
    var reportedNoPosition: [Bool]

    /// The projection keys: (pattern, shape) → key, and per key the trip that first asked for
    /// it, its shape and where its far-stop issues go in ``issues``.
    var keyIndex: [Int64: Int32] = [:]
    var keyTrip: [Int32] = [], keyShape: [Int32] = [], keyIssueAt: [Int] = []
    /// Per trip code, its projection key (-1 for none).
    var tripKey: [Int32]
    /// Trips using shape_dist_traveled whose origin waits for a projection.
    var pendingOrigin: [(trip: Int32, key: Int32, unit: DistanceUnit)] = []

    init(feed: Feed, patterns: RoutePatterns, geometry: ShapeGeometry, options: DistanceOptions, sharing: Bool,
         units: [DistanceUnit?], shapeDistTraveled: [Double]?, issues: [NetworkIssue]) {
        self.feed = feed
        self.patterns = patterns
        self.geometry = geometry
        self.options = options
        self.sharing = sharing
        self.units = units
        self.sdt = shapeDistTraveled
        self.index = feed.stopTimeIndex
        let st = feed.stopTimes
        self.stopCodes = st.stop
        self.arrival = st.arrival
        self.departure = st.departure
        self.positions = StopPositions(feed: feed)
        self.tripCount = feed.ids(.trip).count
        self.stopCount = feed.ids(.stop).count
        self.issues = issues
        self.metres = [Double](repeating: 0, count: Int(index.offsets.last ?? 0))
        self.methods = [DistanceMethod?](repeating: nil, count: tripCount)
        self.stopToShape = [Double](repeating: .nan, count: stopCount)
        self.reportedNoPosition = [Bool](repeating: false, count: stopCount)
        self.tripKey = [Int32](repeating: -1, count: tripCount)
    }

    /// The key of trip `t`'s projection onto `shape`, shared by the trips of one pattern
    /// (each trip its own when `sharing` is off or the trip has no pattern).
    mutating func key(_ t: Int, _ shape: Int32) -> Int32 {
        let pattern = patterns.patternOfTrip[t]
        let shared = sharing && pattern >= 0
        let k = Int64(pattern) << 32 | Int64(UInt32(bitPattern: shape))
        if shared, let known = keyIndex[k] { return known }
        let new = Int32(keyTrip.count)
        keyTrip.append(Int32(t)); keyShape.append(shape); keyIssueAt.append(issues.count)
        if shared { keyIndex[k] = new }
        return new
    }

    // MARK: Pass 1

    /// Pass 1: every trip's method, its distances where they need no projection, and the
    /// keys of the projections the others need.
    mutating func walkTrips() {
        // A pattern lists its trips' stops, so a trip of a pattern without unpositioned stops
        // has none to report.
        var patternUnpositioned = [Bool](repeating: true, count: patterns.patterns.count)
        let lat = positions.lat, stopCount = stopCount
        for (i, pattern) in patterns.patterns.enumerated() {
            patternUnpositioned[i] = pattern.stops.contains { s in s >= 0 && Int(s) < stopCount && lat[Int(s)].isNaN }
        }
        let tripRows = TripRows(index)
        for t in 0..<tripCount {
            walk(trip: t, tripRows: tripRows, patternUnpositioned: patternUnpositioned)
        }
    }

    /// Pass 1 for trip code `t`.
    mutating func walk(trip t: Int, tripRows: TripRows, patternUnpositioned: [Bool]) {
        let rows = index.rows(ofTrip: Int32(t))
        guard !rows.isEmpty else { return }
        let shape = patterns.tripIndex.shape(ofTrip: Int32(t)) ?? -1
        reportTimesGoingBack(trip: t, tripRows: tripRows)
        let pattern = Int(patterns.patternOfTrip[t])
        if pattern < 0 || pattern >= patternUnpositioned.count || patternUnpositioned[pattern]
            || patterns.patterns[pattern].stops.count != rows.count {
            reportStopsWithoutPosition(trip: t, rows: rows)
        }
        // 1. The feed's own distances (per trip: the values may differ between the trips of
        //    one pattern).
        if let sdt, options.useShapes || shape < 0, useFeedDistances(trip: t, rows: rows, shape: shape, sdt: sdt) {
            return
        }
        // 2. Projection onto the shape.
        if options.useShapes, geometry.points(ofShape: shape).count >= 2 {
            tripKey[t] = key(t, shape)
            methods[t] = .shapeProjection
            return
        }
        // 3. Great circle.
        let base = Int(index.offsets[t])
        let gc = ShapeDistances.greatCircle(rows: rows, stopCodes: stopCodes, lat: positions.lat, lon: positions.lon)
        for i in 0..<rows.count { metres[base + i] = gc[i] }
        methods[t] = .greatCircle
    }

    /// Reports the first stop of trip `t` where its times go backwards.
    mutating func reportTimesGoingBack(trip t: Int, tripRows: TripRows) {
        let positions = tripRows.positions(ofTrip: t)
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
    }

    /// Reports the stops of trip `t` without a position (each stop once per feed).
    mutating func reportStopsWithoutPosition(trip t: Int, rows: StopTimeIndex.Rows) {
        for r in rows {
            let s = stopCodes[Int(r)]
            guard s >= 0, Int(s) < stopCount else { continue }
            if positions.lat[Int(s)].isNaN && !reportedNoPosition[Int(s)] {
                reportedNoPosition[Int(s)] = true
                issues.append(NetworkIssue(code: NetworkIssue.Code.stopWithoutPosition,
                                           message: "stop '\(ShapeDistances.name(feed, .stop, s))' has no position; it takes the previous stop's distance",
                                           trip: Int32(t), stop: s))
            }
        }
    }

    /// Takes trip `t`'s distances from `shape_dist_traveled` when every stop has a value, the
    /// values never decrease and their unit is known; `false` when the geometry must be used.
    mutating func useFeedDistances(trip t: Int, rows: StopTimeIndex.Rows, shape: Int32, sdt: [Double]) -> Bool {
        var unit: DistanceUnit? = shape >= 0 && Int(shape) < geometry.shapeCount ? units[Int(shape)] : nil
        var ok = true
        var previous = -Double.infinity
        // An empty value on the first stop is read as the start of the shape or the first
        // stop's projection (see `finish`); empty values elsewhere mean the geometry is used.
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
            let gc = ShapeDistances.greatCircle(rows: rows, stopCodes: stopCodes, lat: positions.lat, lon: positions.lon)
            if let first = rows.first, let last = rows.last, let total = gc.last {
                unit = DistanceUnit.detect(feedSpan: sdt[Int(last)] - (firstEmpty ? 0 : sdt[Int(first)]), metresSpan: total, tolerance: 2)
            }
        }
        guard ok, let unit, let first = rows.first else { return false }
        methods[t] = .shapeDistTraveled
        if firstEmpty, rows.count > 1, geometry.points(ofShape: shape).count >= 2 {
            // The origin depends on the projection: finished in pass 3.
            pendingOrigin.append((Int32(t), key(t, shape), unit))
            return true
        }
        let base = Int(index.offsets[t])
        let origin = firstEmpty ? 0 : sdt[Int(first)] * unit.metres
        for (i, r) in rows.enumerated() { metres[base + i] = i == 0 ? 0 : max(0, sdt[Int(r)] * unit.metres - origin) }
        return true
    }

    // MARK: Pass 2

    /// Pass 2: one projection per key, in key order.
    func projectKeys() -> [ShapeDistances.Projection?] {
        let keyCount = keyTrip.count
        let projections = SharedSlots<ShapeDistances.Projection?>(count: keyCount, initial: nil)
        let work = WorkCounter()
        let threads = keyCount >= 16 ? min(2, processorCount()) : 1
        let snap = options.snapMetres
        let latitudes = positions.lat, longitudes = positions.lon
        let firstTrips = keyTrip, shapesOfKeys = keyShape
        let index = index, stopCodes = stopCodes, geometry = geometry
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
                projections[k] = ShapeDistances.Projection(stops: stopsOfTrip, along: result.along,
                                                           offset: result.offset, start: result.start)
            }
        }
        return projections.array
    }

    // MARK: Pass 3

    /// Pass 3: the far stops (reported once per key, where its first trip asked for it), then
    /// the distances of the trips that waited for a projection.
    mutating func finish(with projections: [ShapeDistances.Projection?]) {
        reportFarStops(projections)
        copyProjections(projections)
        resolvePendingOrigins(projections)
    }

    /// Notes each projected stop's distance from its shape and merges the far-stop issues
    /// into ``issues`` where their key's first trip asked for it.
    mutating func reportFarStops(_ projections: [ShapeDistances.Projection?]) {
        let keyCount = keyTrip.count
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
    }

    /// Copies each projected trip's distances from its key's projection.
    mutating func copyProjections(_ projections: [ShapeDistances.Projection?]) {
        let alongs = projections.map { $0?.along ?? [] }
        let offsets = index.offsets, tripKey = tripKey, tripCount = tripCount
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
    }

    /// The distances of the trips whose `shape_dist_traveled` starts empty.
    mutating func resolvePendingOrigins(_ projections: [ShapeDistances.Projection?]) {
        guard let sdt else { return }
        for (t, k, unit) in pendingOrigin {
            let rows = index.rows(ofTrip: t)
            guard let pr = projections[Int(k)], rows.count > 1 else { continue }
            let base = Int(index.offsets[Int(t)])
            // An empty first value means either "the start of the shape" or "where the first
            // stop projects onto it": take the reading under which the second stop's distance
            // agrees best with the projection.
            var origin = 0.0
            let second = sdt[Int(rows[rows.startIndex + 1])] * unit.metres
            if pr.along.count > 1, abs(second - pr.start - pr.along[1]) < abs(second - pr.along[1]) {
                origin = pr.start
            }
            for (i, r) in rows.enumerated() { metres[base + i] = i == 0 ? 0 : max(0, sdt[Int(r)] * unit.metres - origin) }
        }
    }
}
