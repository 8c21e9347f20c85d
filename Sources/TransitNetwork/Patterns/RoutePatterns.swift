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
    /// The feed's trips linked once (row, route, `direction_id`), which the patterns were built
    /// from; pass it on to ``DirectionInference`` and the summaries instead of relinking.
    public let tripIndex: TripIndex
    /// Per trip code, its row in `trips.txt`, or -1 when undeclared (``TripIndex/rows``).
    public var tripRow: [Int32] { tripIndex.rows }

    /// Groups the trips of `feed` into patterns.
    ///
    /// Each trip's route, direction and stop sequence are hashed while walking its
    /// ``StopTimeIndex`` rows; only a trip whose hash is new allocates its stop list, and a
    /// known hash is confirmed by an exact comparison (so colliding sequences stay apart).
    /// - Complexity: O(stop_times + trips) expected.
    public init(feed: Feed) {
        self.init(feed: feed, trips: TripIndex(feed: feed))
    }

    /// Groups the trips of `feed` into patterns, with `trips` already linked for `feed`.
    /// - Complexity: O(stop_times + trips) expected.
    public init(feed: Feed, trips tripIndex: TripIndex) {
        let trips = feed.trips
        let stopCodes = feed.stopTimes.stop
        let index = TripRows(feed.stopTimeIndex)
        let tripCount = feed.ids(.trip).count
        let tripRow = tripIndex.rows
        var drafts: [(route: Int32, direction: Int32, stops: [Int32], firstRow: Int, trips: [Int32])] = []
        // Hash of (route, direction, stops) → the first draft with it; further drafts with the
        // same hash (collisions) are chained through `nextWithHash`.
        var firstWithHash: [UInt64: Int32] = [:]
        var nextWithHash: [Int32] = []
        var draftOfTrip = [Int32](repeating: -1, count: tripCount)
        stopCodes.withUnsafeBufferPointer { codes in
            for row in 0..<trips.count {
                let t = trips.id[row]
                guard t >= 0, Int(t) < tripCount, Int(t) < tripRow.count, tripRow[Int(t)] == Int32(row) else { continue }
                let rows = index.positions(ofTrip: Int(t))
                guard !rows.isEmpty else { continue }
                let dir = trips.direction[row]
                let route = trips.route[row], direction = dir == Column.missingInteger ? 0 : dir
                // FNV-1a over 32-bit words, then a final mix.
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                @inline(__always) func mix(_ v: Int32) { h = (h ^ UInt64(UInt32(bitPattern: v))) &* 0x0000_0100_0000_01b3 }
                mix(route); mix(direction); mix(Int32(truncatingIfNeeded: rows.count))
                for i in rows { mix(codes[index.row(at: i)]) }
                h ^= h >> 29; h = h &* 0xbf58_476d_1ce4_e5b9; h ^= h >> 32
                var found: Int32 = -1
                var d = firstWithHash[h] ?? -1
                while d >= 0 {
                    if drafts[Int(d)].route == route, drafts[Int(d)].direction == direction,
                       drafts[Int(d)].stops.count == rows.count {
                        let same = drafts[Int(d)].stops.withUnsafeBufferPointer { known in
                            var i = 0
                            for r in rows {
                                if known[i] != codes[index.row(at: r)] { return false }
                                i += 1
                            }
                            return true
                        }
                        if same { found = d; break }
                    }
                    d = nextWithHash[Int(d)]
                }
                if found >= 0 {
                    drafts[Int(found)].trips.append(t)
                    draftOfTrip[Int(t)] = found
                } else {
                    var stops: [Int32] = []
                    stops.reserveCapacity(rows.count)
                    for r in rows { stops.append(codes[index.row(at: r)]) }
                    let new = Int32(drafts.count)
                    nextWithHash.append(firstWithHash[h] ?? -1)
                    firstWithHash[h] = new
                    draftOfTrip[Int(t)] = new
                    drafts.append((route, direction, stops, row, [t]))
                }
            }
        }
        let order = drafts.indices.sorted { a, b in
            let x = drafts[a], y = drafts[b]
            if x.route != y.route { return x.route < y.route }
            if x.direction != y.direction { return x.direction < y.direction }
            return x.firstRow < y.firstRow
        }
        var newID = [Int32](repeating: -1, count: drafts.count)
        var patterns: [RoutePattern] = []
        patterns.reserveCapacity(drafts.count)
        for (i, d) in order.enumerated() {
            newID[d] = Int32(i)
            let draft = drafts[d]
            patterns.append(RoutePattern(id: i, route: draft.route, direction: draft.direction,
                                         stops: draft.stops, trips: draft.trips))
        }
        self.patterns = patterns
        self.patternOfTrip = draftOfTrip.map { $0 < 0 ? -1 : newID[Int($0)] }
        self.tripIndex = tripIndex
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
