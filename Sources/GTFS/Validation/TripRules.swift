/// Per-trip remarks made while ``FeedValidator`` walks each trip's stop times once: trips whose
/// stop times run further along the shape than the shape goes
/// (`trip_distance_exceeds_shape_distance`, `…_below_threshold`) or give distances their shape
/// lacks (`trip_with_shape_dist_traveled_but_no_shape_distances`), trips whose
/// stop times are not together and in order in the file (`unsorted_stop_times`), and trips
/// whose headsign names a stop they pass before their last one (another stop of the same name
/// may end the trip, as at a terminus with several platforms)
/// (`trip_headsign_matches_intermediate_stop`). Both are of severity info.
struct TripRules {
    let trips: Table?
    /// Per trip code, its trips.txt row (-1 when none).
    let tripRow: [Int32]
    /// Per trip code, the key of its headsign among the stop names (-1 when it names no stop).
    let headsignKey: [Int32]
    /// Per stop code, the key of its name (-1 when it has none).
    let stopNameKey: [Int32]
    /// Per trip code, the largest shape_dist_traveled of its stop times (NaN when none), the
    /// row holding it and the first row with one.
    var tripDistance: [Double]
    var tripDistanceRow: [Int32]
    var firstDistanceRow: [Int32]

    init(_ feed: Feed) {
        trips = feed.table("trips.txt")
        let tripCount = feed.ids(.trip).count
        var rowOf = [Int32](repeating: -1, count: tripCount)
        var keyOf = [Int32](repeating: -1, count: tripCount)
        var nameKey = [Int32](repeating: -1, count: feed.ids(.stop).count)
        let stops = feed.stops
        var keys: [String: Int32] = [:]
        if let names = stops.name {
            for r in 0..<stops.count {
                let s = stops.id[r]
                guard s >= 0, Int(s) < nameKey.count, let n = names[r], !n.isEmpty else { continue }
                let normalized = n.lowercased()
                let k = keys[normalized] ?? Int32(keys.count)
                keys[normalized] = k
                nameKey[Int(s)] = k
            }
        }
        if let t = trips {
            let ids = t.codesOrEmpty("trip_id")
            let headsigns = t.strings("trip_headsign")
            for r in 0..<t.rowCount {
                let trip = ids[r]
                guard trip >= 0, Int(trip) < tripCount, rowOf[Int(trip)] < 0 else { continue }
                rowOf[Int(trip)] = Int32(r)
                if let h = headsigns?[r], !h.isEmpty, let k = keys[h.lowercased()] { keyOf[Int(trip)] = k }
            }
        }
        tripRow = rowOf
        headsignKey = keyOf
        stopNameKey = nameKey
        tripDistance = [Double](repeating: .nan, count: tripCount)
        tripDistanceRow = [Int32](repeating: -1, count: tripCount)
        firstDistanceRow = [Int32](repeating: -1, count: tripCount)
    }

    /// Checks trip `trip`, whose stop-time rows in stop_sequence order are `rows`.
    mutating func check(trip: Int32, name: String, rows: StopTimeIndex.Rows, stopTimes st: StopTimes, table: Table,
                        into report: inout ValidationReport) {
        guard let first = rows.first, let last = rows.last else { return }
        // Together and in order: consecutive rows with rising stop_sequence.
        var lowest = first, highest = first, ordered = true
        var previous: Int32 = -1
        var most = -Double.infinity, mostRow: Int32 = -1, firstWith: Int32 = -1
        for r in rows {
            lowest = min(lowest, r); highest = max(highest, r)
            if previous >= 0, r != previous + 1 || st.sequence[Int(r)] <= st.sequence[Int(previous)] { ordered = false }
            previous = r
            if let d = st.shapeDistTraveled?[Int(r)], !d.isNaN {
                if firstWith < 0 { firstWith = r }
                if d > most { most = d; mostRow = r }
            }
        }
        if mostRow >= 0, trip >= 0, Int(trip) < tripDistance.count {
            tripDistance[Int(trip)] = most
            tripDistanceRow[Int(trip)] = mostRow
            firstDistanceRow[Int(trip)] = firstWith
        }
        if !ordered {
            report.add(Finding(.info, "unsorted_stop_times", file: table.name, line: FeedValidator.lineOf(table, Int(lowest)),
                               field: "trip_id", value: name,
                               message: "the stop times of trip '\(name)' (lines \(FeedValidator.lineOf(table, Int(lowest)) ?? 0)–\(FeedValidator.lineOf(table, Int(highest)) ?? 0)) are not together in stop_sequence order; sorting them makes the feed faster to read"))
        }
        // Headsign naming a stop before the last one (and not the last one itself).
        guard trip >= 0, Int(trip) < headsignKey.count, headsignKey[Int(trip)] >= 0, let trips else { return }
        let key = headsignKey[Int(trip)]
        func nameKey(_ r: Int32) -> Int32 {
            let s = st.stop[Int(r)]
            return s >= 0 && Int(s) < stopNameKey.count ? stopNameKey[Int(s)] : -1
        }
        let lastStop = st.stop[Int(last)]
        for r in rows.dropLast() where nameKey(r) == key && st.stop[Int(r)] != lastStop {
            report.add(Finding(.info, "trip_headsign_matches_intermediate_stop", file: trips.name,
                               line: FeedValidator.lineOf(trips, Int(tripRow[Int(trip)])), field: "trip_headsign", value: name,
                               message: "trip '\(name)' is signed for a stop it passes (stop_sequence \(st.sequence[Int(r)])), not the one it ends at; sign it for its destination"))
            return
        }
    }

    /// After every trip was checked: the shape-distance rules (canonical
    /// `TripAndShapeDistanceValidator`). A trip whose largest shape_dist_traveled exceeds its
    /// shape's is an error when its last stop lies 11.1 m or more from the shape's last point,
    /// a warning when closer; a trip giving distances on a shape with points that have none
    /// is an info.
    func shapeDistances(_ feed: Feed, stopTimes st: StopTimes, into report: inout ValidationReport) {
        guard let trips, let stopTimes = feed.table("stop_times.txt") else { return }
        let shapes = feed.shapes
        guard shapes.count > 0, let shapeDistance = shapes.distTraveled else {
            return
        }
        let shapeCount = feed.ids(.shape).count
        // Per shape: the largest distance, whether a point lacks one, and its last point.
        var largest = [Double](repeating: -.infinity, count: shapeCount)
        var lacking = [Bool](repeating: false, count: shapeCount)
        var lastPoint = [Int32](repeating: -1, count: shapeCount)
        for r in 0..<shapes.count {
            let s = Int(shapes.id[r])
            guard s >= 0, s < shapeCount else { continue }
            let d = shapeDistance[r]
            if d.isNaN { lacking[s] = true } else { largest[s] = max(largest[s], d) }
            if lastPoint[s] < 0 || shapes.sequence[r] > shapes.sequence[Int(lastPoint[s])] { lastPoint[s] = Int32(r) }
        }
        var stopRow = [Int32](repeating: -1, count: feed.ids(.stop).count)
        let stops = feed.stops
        for r in 0..<stops.count where stops.id[r] >= 0 && Int(stops.id[r]) < stopRow.count && stopRow[Int(stops.id[r])] < 0 {
            stopRow[Int(stops.id[r])] = Int32(r)
        }
        let tripShapes = feed.trips
        let ids = feed.ids(.trip), shapeIDs = feed.ids(.shape)
        for r in 0..<tripShapes.count {
            let trip = Int(tripShapes.id[r]), shape = Int(tripShapes.shape[r])
            guard trip >= 0, trip < tripDistance.count, tripRow[trip] == Int32(r), shape >= 0, shape < shapeCount,
                  !tripDistance[trip].isNaN, lastPoint[shape] >= 0 else { continue }
            let name = ids[trip], shapeName = shapeIDs[shape]
            if lacking[shape] {
                report.add(Finding(.info, "trip_with_shape_dist_traveled_but_no_shape_distances", file: stopTimes.name,
                                   line: FeedValidator.lineOf(stopTimes, Int(firstDistanceRow[trip])), field: "shape_dist_traveled",
                                   value: name,
                                   message: "trip '\(name)' gives shape_dist_traveled but points of shape '\(shapeName)' have none; give them on every shape point"))
                continue
            }
            guard tripDistance[trip] > largest[shape] else { continue }
            let stop = Int(st.stop[Int(tripDistanceRow[trip])])
            guard stop >= 0, stop < stopRow.count, stopRow[stop] >= 0 else { continue }
            let p = Int(lastPoint[shape]), q = Int(stopRow[stop])
            let gap = Sphere.distance(shapes.lat[p], shapes.lon[p], stops.lat[q], stops.lon[q])
            guard !gap.isNaN, gap > 0 else { continue }
            let error = gap >= 11.1
            report.add(Finding(error ? .error : .warning,
                               error ? "trip_distance_exceeds_shape_distance" : "trip_distance_exceeds_shape_distance_below_threshold",
                               file: trips.name, line: FeedValidator.lineOf(trips, r), field: "shape_id", value: name,
                               message: "trip '\(name)' reaches shape_dist_traveled \(formatReal(tripDistance[trip])) but shape '\(shapeName)' ends at \(formatReal(largest[shape])), \(Int(gap.rounded())) m from the trip's last stop; extend the shape or correct the distances"))
        }
    }
}
