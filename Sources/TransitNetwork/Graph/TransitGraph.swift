public import GTFS
import TransitSupport

/// Options for building a ``TransitGraph``.
public struct GraphOptions: Sendable {
    /// Stops within this many metres of each other get a walking link (default 250 m).
    public var walkRadiusMetres: Double
    /// Walking speed in metres per second (default 1.2 m/s, about 4.3 km/h: a usual planning
    /// figure for a mixed population, a little under the 1.3-1.4 m/s of a fit adult).
    public var walkSpeed: Double
    /// Creates options (see each property for the defaults).
    public init(walkRadiusMetres: Double = 250, walkSpeed: Double = 1.2) {
        self.walkRadiusMetres = walkRadiusMetres
        self.walkSpeed = walkSpeed
    }
}

/// Where a transfer link comes from.
public enum TransferSource: UInt8, Sendable {
    /// A row of `transfers.txt` (time: its `min_transfer_time`, else the walking time).
    case transfersFile
    /// Two stops within the walking radius, or two stops of one station.
    case walking
}

/// Transfer links between stops as compressed sparse rows: the links leaving stop code `s`
/// are `offsets[s]..<offsets[s + 1]`.
public struct TransferLinks: Sendable {
    /// Per stop code, where its links start; `nodeCount + 1` entries.
    public let offsets: [Int32]
    /// The stop code each link leads to.
    public let targets: [Int32]
    /// The time each link takes, in seconds.
    public let seconds: [Int32]
    /// The straight-line length of each link in metres (NaN when a stop has no position).
    public let metres: [Double]
    /// Where each link comes from.
    public let sources: [TransferSource]

    /// The link indices leaving `stop`.
    /// - Complexity: O(1).
    public func links(from stop: Int32) -> Range<Int> {
        guard stop >= 0, Int(stop) + 1 < offsets.count else { return 0..<0 }
        return Int(offsets[Int(stop)])..<Int(offsets[Int(stop) + 1])
    }
}

/// The ride edges of some route patterns, in pattern and segment order, before they are
/// sorted by source stop (see ``TransitGraph``).
struct RideEdges {
    var from: [Int32] = [], to: [Int32] = [], minT: [Int32] = [], medT: [Int32] = []
    var dist: [Double] = [], pat: [Int32] = [], rte: [Int32] = []

    /// The edges of `patterns`: per pattern, one flat trips × segments table of run times (-1
    /// where a time is missing or runs backwards), then per segment its minimum and median.
    init(patterns: ArraySlice<RoutePattern>, index: TripRows, arrival: [Int32], departure: [Int32],
         distances: ShapeDistances, nodeCount: Int) {
        var table: [Int32] = []
        var column: [Int32] = []
        var sumMetres: [Double] = []
        arrival.withUnsafeBufferPointer { arr in
        departure.withUnsafeBufferPointer { dep in
            for p in patterns where p.stops.count >= 2 {
                let segs = p.stops.count - 1
                table.removeAll(keepingCapacity: true)
                table.reserveCapacity(p.trips.count * segs)
                var tripsUsed = 0
                sumMetres.removeAll(keepingCapacity: true)
                sumMetres.append(contentsOf: repeatElement(0, count: segs))
                var metreCount = 0
                for t in p.trips {
                    let rows = index.positions(ofTrip: Int(t))
                    guard rows.count == p.stops.count else { continue }
                    var prev = Int32(-1)
                    var first = true
                    for i in rows {
                        let ri = index.row(at: i)
                        guard ri >= 0, ri < arr.count else { prev = -1; if !first { table.append(-1) }; first = false; continue }
                        let a = arr[ri] >= 0 ? arr[ri] : dep[ri]
                        let d = dep[ri] >= 0 ? dep[ri] : arr[ri]
                        if !first { table.append(prev >= 0 && a >= prev ? a - prev : -1) }
                        first = false
                        prev = d
                    }
                    tripsUsed += 1
                    if metreCount == 0 {
                        let m = distances.metres(ofTrip: t)
                        if m.count == p.stops.count {
                            let b = m.startIndex
                            for i in 0..<segs { sumMetres[i] = m[b + i + 1] - m[b + i] }
                            metreCount = 1
                        }
                    }
                }
                table.withUnsafeBufferPointer { runTimes in
                    for i in 0..<segs {
                        let a = p.stops[i], b = p.stops[i + 1]
                        guard a >= 0, Int(a) < nodeCount, b >= 0, Int(b) < nodeCount, a != b else { continue }
                        column.removeAll(keepingCapacity: true)
                        var least = Int32.max
                        for k in 0..<tripsUsed {
                            let v = runTimes[k * segs + i]
                            if v >= 0 { column.append(v); least = min(least, v) }
                        }
                        guard !column.isEmpty else { continue }
                        from.append(a); to.append(b)
                        minT.append(least)
                        medT.append(TransitGraph.select((column.count - 1) / 2, in: &column))
                        dist.append(metreCount > 0 ? sumMetres[i] : .nan)
                        pat.append(Int32(p.id)); rte.append(p.route)
                    }
                }
            }
        }
        }
    }
}

/// The transit network as a directed graph on stop codes (``IDSpace/stop``), immutable once
/// built.
///
/// **Ride edges** join consecutive stops of each ``RoutePattern`` (one edge per pattern and
/// pair, so parallel edges of different patterns exist), stored as compressed sparse rows:
/// the edges leaving stop `s` are `offsets[s]..<offsets[s + 1]`, with their target, run times
/// and distance in parallel arrays. Run time is from departure at the first stop to arrival at
/// the next (either time standing in for the other when empty); trips whose times are missing
/// or go backwards on a segment are left out of its statistics.
///
/// **Transfer links** (``transfers``): every `transfers.txt` row (types 0-2; in-seat and
/// forbidden transfers are skipped; a station stands for each of its child stops), plus a
/// walking link between every two boardable stops (location type 0, or used by a trip) within
/// ``GraphOptions/walkRadiusMetres``, and between child stops of one station, taking
/// distance / ``GraphOptions/walkSpeed`` seconds (rounded up). A `transfers.txt` row replaces
/// the walking link of the same pair. Found with a ``SpatialIndex``, not an all-pairs scan.
public struct TransitGraph: Sendable {
    /// The number of nodes: every stop code of the feed.
    public let nodeCount: Int
    /// Per stop code, where its ride edges start; `nodeCount + 1` entries.
    public let offsets: [Int32]
    /// The stop code each ride edge leads to.
    public let targets: [Int32]
    /// The shortest scheduled run time of each edge over its pattern's trips, seconds.
    public let minRunTime: [Int32]
    /// The median scheduled run time of each edge over its pattern's trips, seconds (the
    /// lower median for an even count).
    public let medianRunTime: [Int32]
    /// The distance of each edge along the route, metres (from ``ShapeDistances``).
    public let metres: [Double]
    /// The ``RoutePattern`` id of each edge.
    public let pattern: [Int32]
    /// The route code of each edge.
    public let route: [Int32]
    /// Transfer and walking links.
    public let transfers: TransferLinks
    /// The patterns the graph was built from.
    public let patterns: RoutePatterns

    /// Builds the graph of `feed`. On a large feed (50,000 pattern stop times or more) two
    /// threads build the ride edges and the transfer links; the result is the same.
    /// - Parameters:
    ///   - patterns: the feed's patterns (computed when `nil`).
    ///   - distances: the trips' distances (computed when `nil`).
    /// - Complexity: O(stop_times log T + stops · k) for at most T trips per pattern and k
    ///   stops within the walking radius of a stop.
    public init(feed: Feed, patterns: RoutePatterns? = nil, distances: ShapeDistances? = nil,
                options: GraphOptions = GraphOptions()) {
        let patterns = patterns ?? RoutePatterns(feed: feed)
        let distances = distances ?? ShapeDistances(feed: feed, patterns: patterns)
        let nodeCount = feed.ids(.stop).count
        let index = TripRows(feed.stopTimeIndex)
        let st = feed.stopTimes
        let arrival = st.arrival, departure = st.departure

        // The ride edges of consecutive chunks of patterns (about equal numbers of stop
        // times), and the transfer links, are independent: on a large feed two threads share
        // them, taking the transfer links first. The chunks are then joined in pattern order.
        let all = patterns.patterns
        let volume = all.reduce(0) { $0 + $1.stops.count * $1.trips.count }
        let threads = volume >= 50_000 ? min(2, processorCount()) : 1
        let chunkCount = threads > 1 ? 16 : 1
        var bounds = [0]
        var running = 0
        for (i, p) in all.enumerated() {
            running += p.stops.count * p.trips.count
            if bounds.count < chunkCount && running * chunkCount >= volume * bounds.count { bounds.append(i + 1) }
        }
        while bounds.count <= chunkCount { bounds.append(all.count) }
        bounds[chunkCount] = all.count
        let chunks = SharedSlots<RideEdges?>(count: chunkCount, initial: nil)
        let links = SharedSlots<TransferLinks?>(count: 1, initial: nil)
        let work = WorkCounter()
        let chunkBounds = bounds
        runOnThreads(threads) { _ in
            while let item = work.take(below: chunkCount + 1) {
                if item == 0 {
                    links[0] = TransitGraph.buildTransfers(feed: feed, options: options)
                } else {
                    chunks[item - 1] = RideEdges(patterns: all[chunkBounds[item - 1]..<chunkBounds[item]], index: index,
                                                 arrival: arrival, departure: departure, distances: distances,
                                                 nodeCount: nodeCount)
                }
            }
        }
        var from: [Int32] = [], to: [Int32] = [], minT: [Int32] = [], medT: [Int32] = []
        var dist: [Double] = [], pat: [Int32] = [], rte: [Int32] = []
        for c in 0..<chunkCount {
            guard let e = chunks[c] else { continue }
            from += e.from; to += e.to; minT += e.minT; medT += e.medT
            dist += e.dist; pat += e.pat; rte += e.rte
        }
        // Counting sort by source.
        var offsets = [Int32](repeating: 0, count: nodeCount + 1)
        for f in from { offsets[Int(f) + 1] += 1 }
        for i in 0..<nodeCount { offsets[i + 1] += offsets[i] }
        var cursor = offsets
        let m = from.count
        var tg = [Int32](repeating: 0, count: m), mn = tg, md = tg, pt = tg, rt = tg
        var ds = [Double](repeating: 0, count: m)
        for e in 0..<m {
            let slot = Int(cursor[Int(from[e])])
            cursor[Int(from[e])] += 1
            tg[slot] = to[e]; mn[slot] = minT[e]; md[slot] = medT[e]; ds[slot] = dist[e]
            pt[slot] = pat[e]; rt[slot] = rte[e]
        }
        self.nodeCount = nodeCount
        self.offsets = offsets
        self.targets = tg
        self.minRunTime = mn
        self.medianRunTime = md
        self.metres = ds
        self.pattern = pt
        self.route = rt
        self.patterns = patterns
        self.transfers = links[0] ?? TransitGraph.buildTransfers(feed: feed, options: options)
    }

    /// The `k`-th smallest of `values` (0-based; `values` not empty, `k` in range), found by
    /// quickselect: the same value as `values.sorted()[k]`, without sorting. `values` is
    /// reordered.
    static func select(_ k: Int, in values: inout [Int32]) -> Int32 {
        values.withUnsafeMutableBufferPointer { v in
            var lo = 0, hi = v.count - 1
            while lo < hi {
                // Hoare partition around the median of the ends and the middle.
                let a = v[lo], b = v[(lo + hi) / 2], c = v[hi]
                let pivot = max(min(a, b), min(max(a, b), c))
                var i = lo, j = hi
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
            }
            return v[k]
        }
    }

    /// The ride edge indices leaving `stop`.
    /// - Complexity: O(1).
    public func edges(from stop: Int32) -> Range<Int> {
        guard stop >= 0, Int(stop) + 1 < offsets.count else { return 0..<0 }
        return Int(offsets[Int(stop)])..<Int(offsets[Int(stop) + 1])
    }

    /// The number of ride edges.
    public var edgeCount: Int { targets.count }

    /// Stop positions by code (a child without one takes its parent station's), whether each
    /// stop is boardable (location type 0 or served by a trip), and each stop's parent.
    static func stopInfo(_ feed: Feed) -> (lat: [Double], lon: [Double], boardable: [Bool], parent: [Int32]) {
        let positions = StopPositions(feed: feed)
        let n = positions.lat.count
        var boardable = [Bool](repeating: false, count: n)
        let s = feed.stops
        for r in 0..<s.count where s.locationType[r] == 0 && s.id[r] >= 0 && Int(s.id[r]) < n {
            boardable[Int(s.id[r])] = true
        }
        for c in feed.stopTimes.stop where c >= 0 && Int(c) < n { boardable[Int(c)] = true }
        return (positions.lat, positions.lon, boardable, positions.parent)
    }

    /// Builds the transfer links (see the type's documentation).
    static func buildTransfers(feed: Feed, options: GraphOptions) -> TransferLinks {
        let info = stopInfo(feed)
        let n = info.lat.count
        let speed = options.walkSpeed > 0 ? options.walkSpeed : 1.2
        var links: [Int64: (seconds: Int32, metres: Double, source: TransferSource)] = [:]
        func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(UInt32(bitPattern: b)) }
        func metresBetween(_ a: Int32, _ b: Int32) -> Double {
            Geo.haversine(lat1: info.lat[Int(a)], lon1: info.lon[Int(a)], lat2: info.lat[Int(b)], lon2: info.lon[Int(b)])
        }
        func walkSeconds(_ m: Double) -> Int32 { m.isFinite ? Int32((m / speed).rounded(.up)) : 0 }

        // Walking within the radius, via the grid.
        let radius = max(0, options.walkRadiusMetres)
        var children: [Int32: [Int32]] = [:]
        for c in 0..<n where info.boardable[c] && info.parent[c] >= 0 { children[info.parent[c], default: []].append(Int32(c)) }
        if radius > 0 {
            var lat = info.lat, lon = info.lon
            for c in 0..<n where !info.boardable[c] { lat[c] = .nan; lon[c] = .nan }
            let grid = SpatialIndex(lat: lat, lon: lon, cellMetres: radius)
            for a in 0..<n where info.boardable[a] && !lat[a].isNaN {
                for hit in grid.within(radius, lat: lat[a], lon: lon[a]) where Int(hit.point) != a {
                    links[key(Int32(a), hit.point)] = (walkSeconds(hit.metres), hit.metres, .walking)
                }
            }
        }
        // Child stops of one station.
        for (_, kids) in children where kids.count > 1 {
            for a in kids { for b in kids where a != b && links[key(a, b)] == nil {
                let m = metresBetween(a, b)
                links[key(a, b)] = (walkSeconds(m), m, .walking)
            } }
        }
        // transfers.txt, stations expanded to their child stops.
        let t = feed.transfers
        for r in 0..<t.count {
            let type = t.type[r]
            guard type == 0 || type == 1 || type == 2 || type == Column.missingInteger else { continue }
            let f = t.fromStop[r], g = t.toStop[r]
            guard f >= 0, Int(f) < n, g >= 0, Int(g) < n else { continue }
            let fs = info.boardable[Int(f)] ? [f] : (children[f] ?? [])
            let gs = info.boardable[Int(g)] ? [g] : (children[g] ?? [])
            for a in fs { for b in gs where a != b {
                let m = metresBetween(a, b)
                let given = t.minTransferTime[r]
                let s = given != Column.missingInteger && given >= 0 ? given : walkSeconds(m)
                links[key(a, b)] = (s, m, .transfersFile)
            } }
        }
        // To CSR.
        let sortedKeys = links.keys.sorted()
        var offsets = [Int32](repeating: 0, count: n + 1)
        var targets: [Int32] = [], seconds: [Int32] = [], metres: [Double] = [], sources: [TransferSource] = []
        targets.reserveCapacity(sortedKeys.count)
        for k in sortedKeys {
            let a = Int(k >> 32)
            guard let v = links[k] else { continue }
            offsets[a + 1] += 1
            targets.append(Int32(truncatingIfNeeded: k))
            seconds.append(v.seconds); metres.append(v.metres); sources.append(v.source)
        }
        for i in 0..<n { offsets[i + 1] += offsets[i] }
        return TransferLinks(offsets: offsets, targets: targets, seconds: seconds, metres: metres, sources: sources)
    }
}
