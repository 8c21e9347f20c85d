import GTFS
import TransitNetwork
import Foundation

/// Groups terminal stops (the first and last stops of trips) into terminals: stops under one
/// parent station are one terminal, and so are terminal stops within `radius` metres of one
/// another (single linkage over the terminal stops only, so a street of stops is not chained).
struct TerminalMap {
    let clusterOfStop: [Int32]
    let representatives: [Int32]
    /// Every stop's position (the deadhead and depot estimates read them too).
    let positions: StopPositions

    init(feed: Feed, terminals: Set<Int32>, radius: Double) {
        let stops = feed.stops
        let stopCount = feed.ids(.stop).count
        positions = StopPositions(feed: feed)
        let lat = positions.lat, lon = positions.lon
        var parent = [Int32](repeating: -1, count: stopCount)
        for row in 0..<stops.count {
            let s = stops.id[row]
            guard s >= 0, Int(s) < stopCount else { continue }
            parent[Int(s)] = stops.parentStation[row]
        }
        // Grid cells of about `radius` for the neighbour search.
        let cell = max(radius, 1) / 111_000
        struct Cell: Hashable { var x: Int; var y: Int }
        var grid: [Cell: [Int32]] = [:]
        var cluster = [Int32](repeating: -1, count: stopCount)
        var reps: [Int32] = []
        func cellOf(_ s: Int) -> Cell? {
            guard lat[s].isFinite, lon[s].isFinite else { return nil }
            return Cell(x: Int((lon[s] * cos(lat[s] * .pi / 180) / cell).rounded(.down)), y: Int((lat[s] / cell).rounded(.down)))
        }
        for s in terminals.sorted() where s >= 0 && Int(s) < stopCount {
            let s = Int(s)
            let p = parent[s]
            var found: Int32 = -1
            if p >= 0, Int(p) < stopCount, Int(p) != s, cluster[Int(p)] >= 0 { found = cluster[Int(p)] }
            if found < 0, radius > 0, let c = cellOf(s) {
                search: for dx in -1...1 {
                    for dy in -1...1 {
                        for r in grid[Cell(x: c.x + dx, y: c.y + dy)] ?? [] {
                            let d = Geo.haversine(lat1: lat[s], lon1: lon[s], lat2: lat[Int(r)], lon2: lon[Int(r)])
                            if d <= radius { found = cluster[Int(r)]; break search }
                        }
                    }
                }
            }
            if found < 0 {
                found = Int32(reps.count)
                reps.append(Int32(s))
            }
            if let c = cellOf(s) { grid[c, default: []].append(Int32(s)) }
            cluster[s] = found
            if p >= 0, Int(p) < stopCount, cluster[Int(p)] < 0 { cluster[Int(p)] = found }
        }
        clusterOfStop = cluster
        representatives = reps
    }

    func cluster(of stop: Int32) -> Int32 {
        stop >= 0 && Int(stop) < clusterOfStop.count ? clusterOfStop[Int(stop)] : -1
    }

    func representative(of cluster: Int32) -> Int32 {
        cluster >= 0 && Int(cluster) < representatives.count ? representatives[Int(cluster)] : -1
    }
}

/// Dense terminal numbers for vehicle scheduling: a ``TerminalMap`` cluster is one terminal
/// when routes are interlined, else one terminal per route and cluster (a vehicle then stays
/// on its route). Numbers are given in the order first asked for.
struct TerminalNumbering {
    let terminals: TerminalMap
    let interline: Bool
    private var index: [Int64: Int] = [:]
    /// The representative stop of each terminal.
    private(set) var stops: [Int32] = []
    /// Per terminal, its stop cluster (``TerminalMap``).
    private(set) var clusters: [Int32] = []
    /// Per terminal, its route code (-1 when interlining: shared by all routes).
    private(set) var routes: [Int32] = []

    init(terminals: TerminalMap, interline: Bool) {
        self.terminals = terminals
        self.interline = interline
    }

    /// The number of terminals so far.
    var count: Int { stops.count }

    /// The terminal of `stop` for `route` (shared by all routes when interlining).
    mutating func terminal(route: Int32, stop: Int32) -> Int {
        let cluster = terminals.cluster(of: stop)
        let k = interline ? Int64(cluster) : (Int64(route) << 32) | Int64(UInt32(bitPattern: cluster))
        if let i = index[k] { return i }
        index[k] = stops.count
        stops.append(terminals.representative(of: cluster))
        clusters.append(cluster)
        routes.append(interline ? -1 : route)
        return stops.count - 1
    }

    /// Whether a vehicle may move from terminal `a` to `b` at all: always when interlining,
    /// else only between terminals of one route.
    func allowsMove(from a: Int, to b: Int) -> Bool {
        interline || (a >= 0 && b >= 0 && a < routes.count && b < routes.count && routes[a] == routes[b])
    }
}

/// Latitude and longitude by stop code.
struct StopPositions {
    let lat: [Double]
    let lon: [Double]

    init(feed: Feed) {
        let count = feed.ids(.stop).count
        var lat = [Double](repeating: .nan, count: count), lon = lat
        let stops = feed.stops
        for row in 0..<stops.count {
            let s = Int(stops.id[row])
            guard s >= 0, s < count else { continue }
            lat[s] = stops.lat[row]
            lon[s] = stops.lon[row]
        }
        self.lat = lat
        self.lon = lon
    }

    subscript(_ stop: Int32) -> (lat: Double, lon: Double)? {
        let s = Int(stop)
        guard s >= 0, s < lat.count, lat[s].isFinite, lon[s].isFinite else { return nil }
        return (lat[s], lon[s])
    }
}
