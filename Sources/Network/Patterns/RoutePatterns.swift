public import GTFS

/// One distinct stop sequence of a route and direction, with the trips that run it.
public struct RoutePattern: Sendable, Equatable {
    /// The pattern's index in ``RoutePatterns/patterns``.
    public let id: Int
    /// The route code (``IDSpace/route``).
    public let route: Int32
    /// The direction (0 or 1); 0 when the trip leaves `direction_id` empty.
    public let direction: Int32
    /// The stop codes in `stop_sequence` order.
    public let stops: [Int32]
    /// The trip codes (``IDSpace/trip``) that run exactly this sequence, in `trips.txt` order.
    public let trips: [Int32]
}

/// The route patterns of a feed: trips grouped by route, direction and exact stop sequence.
///
/// Patterns are ordered by route code, then direction, then the `trips.txt` row of their
/// first trip, and numbered in that order. Trips without stop times belong to no pattern.
public struct RoutePatterns: Sendable {
    /// Every pattern; `patterns[i].id == i`.
    public let patterns: [RoutePattern]
    /// Per trip code, its pattern id, or -1 when the trip has no stop times or no row in
    /// `trips.txt`.
    public let patternOfTrip: [Int32]
    /// Per trip code, its row in `trips.txt`, or -1 when undeclared.
    public let tripRow: [Int32]

    private struct Key: Hashable {
        var route: Int32
        var direction: Int32
        var stops: [Int32]
    }

    /// Groups the trips of `feed` into patterns.
    /// - Complexity: O(stop_times + trips) expected (one hash of each trip's stop list).
    public init(feed: Feed) {
        let trips = feed.trips
        let stopCodes = feed.stopTimes.stop
        let index = feed.stopTimeIndex
        let tripCount = feed.ids(.trip).count
        var tripRow = [Int32](repeating: -1, count: tripCount)
        for row in 0..<trips.count {
            let t = trips.id[row]
            if t >= 0, Int(t) < tripCount, tripRow[Int(t)] < 0 { tripRow[Int(t)] = Int32(row) }
        }
        var keys: [Key: Int] = [:]
        var drafts: [(key: Key, firstRow: Int, trips: [Int32])] = []
        var draftOfTrip = [Int32](repeating: -1, count: tripCount)
        for row in 0..<trips.count {
            let t = trips.id[row]
            guard t >= 0, Int(t) < tripCount, tripRow[Int(t)] == Int32(row) else { continue }
            let rows = index.rows(ofTrip: t)
            guard !rows.isEmpty else { continue }
            var stops: [Int32] = []
            stops.reserveCapacity(rows.count)
            for r in rows { stops.append(stopCodes[Int(r)]) }
            let dir = trips.direction[row]
            let key = Key(route: trips.route[row], direction: dir == Column.missingInteger ? 0 : dir, stops: stops)
            if let d = keys[key] {
                drafts[d].trips.append(t)
                draftOfTrip[Int(t)] = Int32(d)
            } else {
                keys[key] = drafts.count
                draftOfTrip[Int(t)] = Int32(drafts.count)
                drafts.append((key, row, [t]))
            }
        }
        let order = drafts.indices.sorted { a, b in
            let x = drafts[a], y = drafts[b]
            if x.key.route != y.key.route { return x.key.route < y.key.route }
            if x.key.direction != y.key.direction { return x.key.direction < y.key.direction }
            return x.firstRow < y.firstRow
        }
        var newID = [Int32](repeating: -1, count: drafts.count)
        var patterns: [RoutePattern] = []
        patterns.reserveCapacity(drafts.count)
        for (i, d) in order.enumerated() {
            newID[d] = Int32(i)
            let draft = drafts[d]
            patterns.append(RoutePattern(id: i, route: draft.key.route, direction: draft.key.direction,
                                         stops: draft.key.stops, trips: draft.trips))
        }
        self.patterns = patterns
        self.patternOfTrip = draftOfTrip.map { $0 < 0 ? -1 : newID[Int($0)] }
        self.tripRow = tripRow
    }

    /// The patterns of route code `route`, in id order.
    /// - Complexity: O(patterns).
    public func patterns(ofRoute route: Int32) -> [RoutePattern] {
        patterns.filter { $0.route == route }
    }

    /// The pattern trip code `trip` runs, if any.
    /// - Complexity: O(1).
    public func pattern(ofTrip trip: Int32) -> RoutePattern? {
        guard trip >= 0, Int(trip) < patternOfTrip.count else { return nil }
        let p = patternOfTrip[Int(trip)]
        return p >= 0 ? patterns[Int(p)] : nil
    }
}
