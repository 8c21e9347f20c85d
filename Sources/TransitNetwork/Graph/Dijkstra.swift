/// Which scheduled run time a shortest-path search charges for a ride edge.
public enum RunTimeStatistic: String, Sendable, CaseIterable {
    /// The fastest trip's run time.
    case min
    /// The median trip's run time.
    case median
}

/// One step of a path: a ride on a route between two consecutive stops, or a transfer link.
public struct PathStep: Sendable, Equatable {
    /// What the step is.
    public enum Kind: Sendable, Equatable {
        /// A ride edge of ``TransitGraph``: its edge index, route code and pattern id.
        case ride(edge: Int, route: Int32, pattern: Int32)
        /// A transfer link of ``TransferLinks``: its link index and source.
        case transfer(link: Int, source: TransferSource)
    }
    /// The stop code the step leaves.
    public let from: Int32
    /// The stop code the step reaches.
    public let to: Int32
    /// The step's time in seconds.
    public let seconds: Int32
    /// What the step is.
    public let kind: Kind
}

/// Shortest travel times from one origin to every stop, with the tree to rebuild the paths.
public struct ShortestPaths: Sendable {
    /// The origin stop code.
    public let origin: Int32
    /// Per stop code, the travel time from the origin in seconds, or `Int32.max` when the stop
    /// cannot be reached (or was not settled by a one-to-one search).
    public let seconds: [Int32]
    /// Per stop code, the edge that reached it: a ride edge index `e ≥ 0`, a transfer link
    /// `l` encoded as `-(l + 2)`, or -1 for the origin and unreached stops.
    public let via: [Int32]
    /// Per stop code, the stop it was reached from, or -1.
    public let previous: [Int32]

    /// Whether `stop` was reached.
    public func reached(_ stop: Int32) -> Bool {
        stop >= 0 && Int(stop) < seconds.count && seconds[Int(stop)] != Int32.max
    }

    /// The steps from the origin to `stop`, or `nil` when it was not reached (an empty list
    /// when `stop` is the origin).
    /// - Complexity: O(path length).
    public func path(to stop: Int32, in graph: TransitGraph) -> [PathStep]? {
        guard reached(stop) else { return nil }
        var steps: [PathStep] = []
        var s = stop
        var guardCount = 0
        while s != origin, guardCount <= seconds.count {
            let v = via[Int(s)], p = previous[Int(s)]
            guard p >= 0 else { return nil }
            let kind: PathStep.Kind
            if v >= 0 {
                kind = .ride(edge: Int(v), route: graph.route[Int(v)], pattern: graph.pattern[Int(v)])
            } else {
                let l = Int(-v - 2)
                kind = .transfer(link: l, source: graph.transfers.sources[l])
            }
            steps.append(PathStep(from: p, to: s, seconds: seconds[Int(s)] - seconds[Int(p)], kind: kind))
            s = p
            guardCount += 1
        }
        return steps.reversed()
    }
}

/// Travel-time shortest paths over a ``TransitGraph``: Dijkstra's algorithm with a binary heap
/// on flat arrays (lazy deletion).
///
/// Ride edges cost their scheduled run time (``RunTimeStatistic``); transfer links their
/// seconds. Waiting for a vehicle is not modelled (the graph has no timetable), so the time is
/// the in-motion time plus transfers: a lower bound of a real journey.
public enum Dijkstra {
    /// Shortest times from `origin` to every stop.
    /// - Complexity: O((V + E) log V).
    public static func oneToAll(_ graph: TransitGraph, from origin: Int32,
                                statistic: RunTimeStatistic = .min) -> ShortestPaths {
        search(graph, from: origin, to: nil, statistic: statistic)
    }

    /// The fastest path from `origin` to `destination`, or `nil` when there is none. The search
    /// stops as soon as the destination is settled.
    /// - Complexity: O((V + E) log V) in the worst case.
    public static func path(_ graph: TransitGraph, from origin: Int32, to destination: Int32,
                            statistic: RunTimeStatistic = .min) -> (seconds: Int32, steps: [PathStep])? {
        let r = search(graph, from: origin, to: destination, statistic: statistic)
        guard r.reached(destination), let steps = r.path(to: destination, in: graph) else { return nil }
        return (r.seconds[Int(destination)], steps)
    }

    static func search(_ graph: TransitGraph, from origin: Int32, to destination: Int32?,
                       statistic: RunTimeStatistic) -> ShortestPaths {
        let n = graph.nodeCount
        var dist = [Int32](repeating: .max, count: n)
        var via = [Int32](repeating: -1, count: n)
        var prev = [Int32](repeating: -1, count: n)
        guard origin >= 0, Int(origin) < n else {
            return ShortestPaths(origin: origin, seconds: dist, via: via, previous: prev)
        }
        var done = [Bool](repeating: false, count: n)
        var heap = BinaryHeap()
        dist[Int(origin)] = 0
        heap.push(key: 0, value: origin)
        let weights = statistic == .min ? graph.minRunTime : graph.medianRunTime
        let offsets = graph.offsets, targets = graph.targets
        let tOffsets = graph.transfers.offsets, tTargets = graph.transfers.targets, tSeconds = graph.transfers.seconds
        while let (d, u) = heap.pop() {
            let ui = Int(u)
            if done[ui] || d > dist[ui] { continue }
            done[ui] = true
            if u == destination { break }
            for e in Int(offsets[ui])..<Int(offsets[ui + 1]) {
                let v = Int(targets[e])
                let nd = d &+ weights[e]
                if nd < dist[v] { dist[v] = nd; via[v] = Int32(e); prev[v] = u; heap.push(key: nd, value: Int32(v)) }
            }
            for l in Int(tOffsets[ui])..<Int(tOffsets[ui + 1]) {
                let v = Int(tTargets[l])
                let nd = d &+ tSeconds[l]
                if nd < dist[v] { dist[v] = nd; via[v] = Int32(-(l + 2)); prev[v] = u; heap.push(key: nd, value: Int32(v)) }
            }
        }
        if destination != nil {
            for i in 0..<n where !done[i] { dist[i] = .max; via[i] = -1; prev[i] = -1 }
        }
        return ShortestPaths(origin: origin, seconds: dist, via: via, previous: prev)
    }
}

/// A binary min-heap of (key, value) pairs in two flat arrays.
struct BinaryHeap {
    var keys: [Int32] = []
    var values: [Int32] = []

    mutating func push(key: Int32, value: Int32) {
        keys.append(key); values.append(value)
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard keys[p] > keys[i] else { break }
            keys.swapAt(p, i); values.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> (Int32, Int32)? {
        guard let topKey = keys.first, let topValue = values.first else { return nil }
        let lastKey = keys.removeLast(), lastValue = values.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey; values[0] = lastValue
            var i = 0
            let n = keys.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && keys[l] < keys[m] { m = l }
                if r < n && keys[r] < keys[m] { m = r }
                if m == i { break }
                keys.swapAt(m, i); values.swapAt(m, i)
                i = m
            }
        }
        return (topKey, topValue)
    }
}
