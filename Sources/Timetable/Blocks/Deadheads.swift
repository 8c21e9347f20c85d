import TransitNetwork

/// Empty running between terminals: how long a vehicle takes, and how far it goes, to move
/// without passengers from one terminal to another.
///
/// Only the moves listed are allowed; a pair without a link cannot be deadheaded. Build one from
/// a matrix file the operator keeps (``TimetableOptions/deadheadMatrixPath``, read by
/// ``Timetable/build(feed:plan:options:loads:)``), or estimate it from the terminals' positions
/// (``estimated(positions:allowed:speed:detour:maximum:)``).
public struct Deadheads: Sendable, Hashable {
    /// One allowed move.
    public struct Link: Sendable, Hashable {
        /// The terminal the vehicle goes to.
        public var to: Int
        /// The running time, seconds.
        public var seconds: Int32
        /// The distance, metres.
        public var metres: Int32

        /// Creates a link.
        public init(to: Int, seconds: Int32, metres: Int32) {
            self.to = to
            self.seconds = seconds
            self.metres = metres
        }
    }

    /// Per terminal, the moves out of it, sorted by ``Link/to``.
    public private(set) var links: [[Link]]

    /// No deadheading at all, for `terminalCount` terminals.
    public init(terminalCount: Int) {
        links = Array(repeating: [], count: max(0, terminalCount))
    }

    /// The moves of `links` (per terminal; each list is sorted here, and of two links to the
    /// same terminal the faster one is kept). Links to a terminal out of range, to the same
    /// terminal, or with a negative time are dropped.
    public init(links: [[Link]]) {
        let count = links.count
        self.links = links.enumerated().map { from, list in
            var best: [Int: Link] = [:]
            for l in list where l.to >= 0 && l.to < count && l.to != from && l.seconds >= 0 {
                if let old = best[l.to], old.seconds <= l.seconds { continue }
                best[l.to] = l
            }
            return best.values.sorted { $0.to < $1.to }
        }
    }

    /// The number of terminals.
    public var terminalCount: Int { links.count }

    /// The number of allowed moves.
    public var count: Int { links.reduce(0) { $0 + $1.count } }

    /// The move from `a` to `b`, if allowed (`nil` for `a == b`).
    /// - Complexity: O(log links of `a`).
    public func link(from a: Int, to b: Int) -> Link? {
        guard a >= 0, a < links.count else { return nil }
        let list = links[a]
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].to < b { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.count && list[lo].to == b ? list[lo] : nil
    }

    /// The default speed of an estimated deadhead: 25 km/h, a city bus's average running speed
    /// without stops in traffic, in metres per second.
    public static let defaultSpeed = 25_000.0 / 3600
    /// The default detour factor of an estimated deadhead: 1.3 × the straight line, the usual
    /// ratio of street to straight-line distance in cities.
    public static let defaultDetour = 1.3
    /// The default longest deadhead considered: 30 minutes.
    public static let defaultMaximum: Int32 = 1800
    /// The default number of deadhead moves kept per terminal: the 5 fastest. Farther moves
    /// rarely pay (a vehicle is usually ready sooner at a nearer terminal), and each costs an
    /// arc per departure in the scheduling network.
    public static let defaultNearest = 5

    /// Deadheads estimated from positions: the great-circle distance × `detour`, driven at
    /// `speed`, rounded up to whole metres and seconds; pairs longer than `maximum` seconds,
    /// without a position, or not `allowed` get no link.
    /// - Parameters:
    ///   - positions: per terminal, its latitude and longitude (`nil` when unknown).
    ///   - allowed: whether a vehicle may move from one terminal to another at all (for
    ///     example, only between terminals of one route when routes are not interlined).
    ///   - speed: metres per second (> 0).
    ///   - detour: street distance per straight-line metre (≥ 1).
    ///   - maximum: the longest deadhead kept, seconds.
    ///   - nearest: per terminal, keep only this many of the fastest moves (0: all).
    /// - Complexity: O(terminals²) distance checks, pruned by a latitude band.
    public static func estimated(positions: [(lat: Double, lon: Double)?], allowed: (Int, Int) -> Bool = { _, _ in true },
                                 speed: Double = defaultSpeed, detour: Double = defaultDetour,
                                 maximum: Int32 = defaultMaximum, nearest: Int = defaultNearest) -> Deadheads {
        let n = positions.count
        var links = [[Link]](repeating: [], count: n)
        guard speed > 0, speed.isFinite, detour.isFinite, detour > 0, maximum > 0 else { return Deadheads(links: links) }
        let reach = Double(maximum) * speed / detour // straight-line metres within reach
        let band = reach / 111_000 + 1e-9            // degrees of latitude
        var order: [Int] = []
        for i in 0..<n where positions[i].map({ $0.lat.isFinite && $0.lon.isFinite }) == true { order.append(i) }
        order.sort { (positions[$0]?.lat ?? 0) < (positions[$1]?.lat ?? 0) }
        for (k, a) in order.enumerated() {
            guard let pa = positions[a] else { continue }
            var m = k + 1
            while m < order.count, let pb = positions[order[m]], pb.lat - pa.lat <= band {
                let b = order[m]
                m += 1
                let straight = Geo.haversine(lat1: pa.lat, lon1: pa.lon, lat2: pb.lat, lon2: pb.lon)
                guard straight <= reach else { continue }
                let drive = Self.drive(straight: straight, speed: speed, detour: detour)
                guard drive.seconds <= maximum else { continue }
                if allowed(a, b) { links[a].append(Link(to: b, seconds: drive.seconds, metres: drive.metres)) }
                if allowed(b, a) { links[b].append(Link(to: a, seconds: drive.seconds, metres: drive.metres)) }
            }
        }
        if nearest > 0 {
            for a in 0..<n where links[a].count > nearest {
                links[a].sort { $0.seconds != $1.seconds ? $0.seconds < $1.seconds : $0.to < $1.to }
                links[a].removeLast(links[a].count - nearest)
            }
        }
        return Deadheads(links: links)
    }

    /// An estimated empty drive over `straight` straight-line metres: × `detour` street metres
    /// at `speed` metres per second, both rounded up (invalid speeds or detours fall back to
    /// the defaults).
    static func drive(straight: Double, speed: Double = defaultSpeed, detour: Double = defaultDetour) -> (seconds: Int32, metres: Int32) {
        let speed = speed > 0 && speed.isFinite ? speed : defaultSpeed
        let detour = detour > 0 && detour.isFinite ? detour : defaultDetour
        let metres = (straight * detour).rounded(.up)
        return (Int32(clamping: Int((metres / speed).rounded(.up))), Int32(clamping: Int(metres)))
    }
}
