public import GTFS

/// Directions for trips whose `direction_id` is empty, inferred per route from the trips'
/// geometry.
///
/// Many real feeds leave `direction_id` empty (Vilnius 2016 on all its trips). Reading that as
/// direction 0 puts both directions of a route in one group, which halves the apparent headway
/// and doubles the vehicles. This type gives every trip a direction 0 or 1:
///
/// - A trip whose `direction_id` is 0 or 1 keeps it (``Method/file``).
/// - The other trips of a route (empty or invalid `direction_id`) are grouped by their exact
///   stop sequence (a *variant*) and each variant is compared with the route's **reference**:
///   the variant with the most trips among those that have a `direction_id` (it keeps its
///   direction), else the variant with the most trips among those without (it becomes
///   direction 0; ``Method/reference``). Ties go to the variant whose first trip comes first in
///   `trips.txt`. A variant in the same sense as the reference gets the reference's direction,
///   one in the opposite sense the other direction.
/// - The sense is decided by the first of these tests that gives an answer:
///   1. ``Method/vector``: the vectors first stop → last stop of the variant and of the
///      reference, in a local equirectangular projection, both at least ``minimumLength`` long
///      and not within ~75° of perpendicular (|cos| ≥ 0.25): a negative dot product means the
///      opposite sense.
///   2. ``Method/terminals`` (loops and short trips): when the reference's ends are at least
///      ``minimumLength`` apart and the variant starts (or, if it is not a loop, ends) within
///      ``minimumLength`` of one reference terminal and not of the other: starting at the
///      reference's last stop (or ending at its first) is the opposite sense.
///   3. ``Method/stopOrder``: the stops both share (compared by parent station where they have
///      one), taken in the variant's order: if their positions in the reference mostly rise the
///      sense is the same, mostly fall the opposite (positions compared cyclically when the
///      reference is a loop, so a loop started elsewhere still reads as the same sense).
///   4. ``Method/loopOrientation``: both the variant and the reference are loops (ends within
///      ``minimumLength``) enclosing a real area: the same turning sense (the sign of the
///      shoelace area of their stops) is the same direction.
///   5. Otherwise ``Method/undecided``: direction 0.
///
/// Stops without a usable position take their parent station's; tests that need a position
/// skip a variant whose ends have none.
public struct DirectionInference: Sendable {
    /// How a trip's direction was found.
    public enum Method: UInt8, Sendable, CaseIterable {
        /// `direction_id` 0 or 1 from `trips.txt`.
        case file
        /// The trip runs the route's reference variant (direction 0 unless the reference has a
        /// `direction_id`).
        case reference
        /// The first → last stop vector against the reference's.
        case vector
        /// Where the trip starts or ends relative to the reference's terminals.
        case terminals
        /// The order of the stops it shares with the reference.
        case stopOrder
        /// The turning sense of two loops.
        case loopOrientation
        /// Nothing decided it; direction 0. Also trips with no row in `trips.txt`.
        case undecided
    }

    /// The length (metres) below which a first → last vector is too short to compare, and the
    /// distance within which a stop counts as at a terminal. 200 m.
    public let minimumLength: Double
    /// Per trip code, its direction (0 or 1).
    public let directions: [Int32]
    /// Per trip code, how its direction was found.
    public let methods: [Method]
    /// Per trip code, whether it has a `trips.txt` row without a usable `direction_id`.
    private let inferred: [Bool]
    /// The trips (with a `trips.txt` row) whose `direction_id` was empty or invalid, so that
    /// their direction was inferred.
    public let inferredCount: Int
    /// Of the inferred trips, those no test decided (``Method/undecided``: direction 0).
    public let undecidedCount: Int

    /// The `direction_id` value of `trips.txt` when it is 0 or 1, else `nil`.
    @inline(__always)
    public static func fileDirection(_ raw: Int32) -> Int32? {
        raw == 0 || raw == 1 ? raw : nil
    }

    /// Infers the directions of `feed`'s trips.
    /// - Parameter minimumLength: see ``minimumLength``.
    /// - Complexity: O(trips + stop times of the trips without `direction_id`) expected, plus
    ///   per route O(variants × stops per variant).
    public init(feed: Feed, minimumLength: Double = 200) {
        self.init(feed: feed, patterns: nil, minimumLength: minimumLength)
    }

    /// Infers directions reusing route patterns already built for `feed` (they group trips by
    /// route and stop sequence, which is what the inference compares).
    /// - Complexity: O(trips + stops of the patterns to infer).
    public init(feed: Feed, patterns: RoutePatterns?, minimumLength: Double = 200) {
        self.minimumLength = minimumLength
        let index = patterns?.tripIndex ?? TripIndex(feed: feed)
        var files = FileDirections(feed: feed, trips: index)
        self.inferred = files.inferredFlags
        guard files.anyToInfer else {
            self.directions = files.directions
            self.methods = files.methods
            self.inferredCount = files.inferred
            self.undecidedCount = files.inferred
            return
        }
        let geometry = StopGeometry(feed: feed)
        let patterns = patterns ?? RoutePatterns(feed: feed, trips: index)
        let variants = files.variants(of: patterns)
        // Variants are in order of their first trip's row; group them by route.
        var variantsOfRoute: [Int32: [Int]] = [:]
        for (i, v) in variants.enumerated() { variantsOfRoute[v.key.route, default: []].append(i) }
        for (_, list) in variantsOfRoute {
            Self.infer(list, of: variants, geometry: geometry, minimumLength: minimumLength, into: &files)
        }
        var undecided = 0
        for t in 0..<index.count where index.rows[t] >= 0 && files.methods[t] == .undecided { undecided += 1 }
        self.directions = files.directions
        self.methods = files.methods
        self.inferredCount = files.inferred
        self.undecidedCount = undecided
    }

    /// Infers the direction of the variants `list` of one route without a `direction_id`
    /// against the route's reference variant: the one with most trips among the variants with
    /// a `direction_id`, else among all.
    private static func infer(_ list: [Int], of variants: [RouteVariant], geometry: StopGeometry, minimumLength: Double,
                              into files: inout FileDirections) {
        func best(_ candidates: [Int]) -> Int? {
            var pick: Int? = nil
            for i in candidates where !variants[i].key.stops.isEmpty {
                if let p = pick, variants[p].trips.count >= variants[i].trips.count { continue }
                pick = i
            }
            return pick
        }
        let withFile = list.filter { variants[$0].key.direction >= 0 }
        guard let ref = best(withFile) ?? best(list) else { return }
        let refDirection = max(0, variants[ref].key.direction)
        // One projection per route, so that points of different variants compare.
        let centre = variants[ref].key.stops.lazy.compactMap { geometry.position($0) }.first
        let projection = LocalProjection(referenceLatitude: centre?.lat ?? 0)
        let reference = Variant(stops: variants[ref].key.stops, geometry: geometry, projection: projection,
                                minimumLength: minimumLength)
        for i in list where variants[i].key.direction < 0 {
            let (direction, method): (Int32, Method)
            if i == ref {
                (direction, method) = (refDirection, .reference)
            } else {
                let v = Variant(stops: variants[i].key.stops, geometry: geometry, projection: projection,
                                minimumLength: minimumLength)
                let (sense, how) = v.sense(against: reference, geometry: geometry)
                switch sense {
                case 1: (direction, method) = (refDirection, how)
                case -1: (direction, method) = (1 - refDirection, how)
                default: (direction, method) = (0, .undecided)
                }
            }
            for t in variants[i].trips {
                files.directions[Int(t)] = direction
                files.methods[Int(t)] = method
            }
        }
    }

    /// The direction (0 or 1) of trip code `trip`; 0 for an unknown code.
    /// - Complexity: O(1).
    public func direction(ofTrip trip: Int32) -> Int32 {
        guard trip >= 0, Int(trip) < directions.count else { return 0 }
        return directions[Int(trip)]
    }

    /// How the direction of trip code `trip` was found (``Method/undecided`` for an unknown code).
    /// - Complexity: O(1).
    public func method(ofTrip trip: Int32) -> Method {
        guard trip >= 0, Int(trip) < methods.count else { return .undecided }
        return methods[Int(trip)]
    }

    /// Whether trip code `trip` had a `trips.txt` row without a usable `direction_id`, so that
    /// its direction was inferred.
    /// - Complexity: O(1).
    public func isInferred(trip: Int32) -> Bool {
        guard trip >= 0, Int(trip) < methods.count else { return false }
        return inferred[Int(trip)]
    }

}

/// The trips' directions as `trips.txt` gives them, and which routes have trips whose
/// direction must be inferred.
private struct FileDirections {
    /// The feed's trips, linked (first row, route, `direction_id`).
    let index: TripIndex
    /// Per trip code: the direction (0 until inferred) and how it was found.
    var directions: [Int32]
    var methods: [DirectionInference.Method]
    /// Per route code (index + 1, so that an empty route_id, -1, has a slot), whether some of
    /// its trips need a direction inferred; route codes outside the feed's in a set.
    var routesToInfer: [Bool]
    var otherRoutesToInfer = Set<Int32>()
    let routeCount: Int
    /// Per trip code, whether its direction is inferred; how many are; whether any is.
    var inferredFlags: [Bool]
    var inferred = 0
    var anyToInfer = false

    /// Reads the directions of `feed`'s trips from `index` (the first row of each trip code).
    /// - Complexity: O(trip codes).
    init(feed: Feed, trips index: TripIndex) {
        let tripCount = index.count
        self.index = index
        directions = index.directions.indices.map { index.hasFileDirection[$0] ? index.directions[$0] : 0 }
        methods = index.hasFileDirection.map { $0 ? .file : .undecided }
        routeCount = feed.ids(.route).count
        routesToInfer = [Bool](repeating: false, count: routeCount + 1)
        inferredFlags = [Bool](repeating: false, count: tripCount)
        for t in 0..<tripCount where index.rows[t] >= 0 && !index.hasFileDirection[t] {
            inferredFlags[t] = true
            inferred += 1
            anyToInfer = true
            let route = index.routes[t]
            if let slot = routeSlot(route) { routesToInfer[slot] = true } else { otherRoutesToInfer.insert(route) }
        }
    }

    @inline(__always) func routeSlot(_ route: Int32) -> Int? {
        route >= -1 && Int(route) < routeCount ? Int(route) + 1 : nil
    }

    /// The variants of the routes to infer: route × file direction (-1 when empty) × stops,
    /// taken from the route patterns (whose trips are split by their file direction here,
    /// since a pattern counts an empty direction_id as 0), in order of their first trip's row,
    /// as ties between references go to the earliest.
    func variants(of patterns: RoutePatterns) -> [RouteVariant] {
        var variants: [RouteVariant] = []
        // The trips of one pattern by file direction: -1 (empty), 0, 1.
        var byDirection: [[Int32]] = [[], [], []]
        for pattern in patterns.patterns {
            let infer = routeSlot(pattern.route).map { routesToInfer[$0] } ?? otherRoutesToInfer.contains(pattern.route)
            guard infer else { continue }
            for i in byDirection.indices { byDirection[i].removeAll(keepingCapacity: true) }
            for t in pattern.trips where index.isDeclared(t) {
                let d = index.hasFileDirection[Int(t)] ? index.directions[Int(t)] : -1
                byDirection[Int(d) + 1].append(t)
            }
            for (i, list) in byDirection.enumerated() where !list.isEmpty {
                let firstRow = list.map { index.rows[Int($0)] }.min() ?? 0
                variants.append(RouteVariant(key: RouteVariant.Key(route: pattern.route, direction: Int32(i) - 1, stops: pattern.stops),
                                             trips: list, firstRow: firstRow))
            }
        }
        variants.sort { $0.firstRow < $1.firstRow }
        return variants
    }
}

/// The trips of one route that share a file direction and a stop sequence.
private struct RouteVariant {
    struct Key: Hashable { var route: Int32; var direction: Int32; var stops: [Int32] }
    var key: Key
    var trips: [Int32]
    var firstRow: Int32
}

/// Stop positions (with the parent station's as fallback) and the key stops are matched by
/// (the parent station where there is one, else the stop).
private struct StopGeometry {
    var lat: [Double]
    var lon: [Double]
    var matchKey: [Int32]

    init(feed: Feed) {
        let positions = StopPositions(feed: feed)
        self.lat = positions.lat
        self.lon = positions.lon
        self.matchKey = positions.parent.enumerated().map { $0.element >= 0 ? $0.element : Int32($0.offset) }
    }

    func position(_ stop: Int32) -> (lat: Double, lon: Double)? {
        guard stop >= 0, Int(stop) < lat.count, !lat[Int(stop)].isNaN else { return nil }
        return (lat[Int(stop)], lon[Int(stop)])
    }

    func key(_ stop: Int32) -> Int32 {
        stop >= 0 && Int(stop) < matchKey.count ? matchKey[Int(stop)] : stop
    }
}

/// One stop sequence, projected.
private struct Variant {
    let stops: [Int32]
    let first: (x: Double, y: Double)?
    let last: (x: Double, y: Double)?
    let minimumLength: Double
    /// Twice the signed (shoelace) area of the positioned stops, m²; positive anticlockwise.
    let doubleArea: Double

    /// Projects the positioned stops with `projection` (the same for every variant of a route).
    init(stops: [Int32], geometry: StopGeometry, projection: LocalProjection, minimumLength: Double) {
        self.stops = stops
        self.minimumLength = minimumLength
        let points = stops.compactMap { geometry.position($0) }.map { projection.project(lat: $0.lat, lon: $0.lon) }
        first = stops.first.flatMap { geometry.position($0) }.map { projection.project(lat: $0.lat, lon: $0.lon) }
        last = stops.last.flatMap { geometry.position($0) }.map { projection.project(lat: $0.lat, lon: $0.lon) }
        var area = 0.0
        if points.count >= 3 {
            for i in points.indices {
                let o = points[0], a = points[i], b = points[(i + 1) % points.count]
                area += (a.x - o.x) * (b.y - o.y) - (b.x - o.x) * (a.y - o.y)
            }
        }
        doubleArea = area
    }

    static func distance(_ a: (x: Double, y: Double)?, _ b: (x: Double, y: Double)?) -> Double? {
        guard let a, let b else { return nil }
        let dx = a.x - b.x, dy = a.y - b.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Whether the ends are within the minimum length of each other (or the same stop).
    var isLoop: Bool {
        if stops.first == stops.last { return true }
        return (Self.distance(first, last) ?? .infinity) < minimumLength
    }

    /// +1 same sense as `reference`, -1 opposite, 0 undecided; with the test that decided.
    func sense(against reference: Variant, geometry: StopGeometry) -> (Int, DirectionInference.Method) {
        // 1. First → last vectors.
        if let f = first, let l = last, let rf = reference.first, let rl = reference.last {
            let vx = l.x - f.x, vy = l.y - f.y, rx = rl.x - rf.x, ry = rl.y - rf.y
            let lv = (vx * vx + vy * vy).squareRoot(), lr = (rx * rx + ry * ry).squareRoot()
            if lv >= minimumLength, lr >= minimumLength {
                let cosine = (vx * rx + vy * ry) / (lv * lr)
                if cosine >= 0.25 { return (1, .vector) }
                if cosine <= -0.25 { return (-1, .vector) }
            }
        }
        // 2. Terminals, when the reference has two distinct ends.
        if !reference.isLoop, let rFirst = reference.stops.first, let rLast = reference.stops.last {
            func near(_ stop: Int32?, _ point: (x: Double, y: Double)?, _ terminal: Int32, _ tPoint: (x: Double, y: Double)?) -> Bool {
                guard let stop else { return false }
                if geometry.key(stop) == geometry.key(terminal) { return true }
                return (Self.distance(point, tPoint) ?? .infinity) < minimumLength
            }
            let startsAtFirst = near(stops.first, first, rFirst, reference.first)
            let startsAtLast = near(stops.first, first, rLast, reference.last)
            if startsAtLast && !startsAtFirst { return (-1, .terminals) }
            if startsAtFirst && !startsAtLast { return (1, .terminals) }
            if !isLoop {
                let endsAtFirst = near(stops.last, last, rFirst, reference.first)
                let endsAtLast = near(stops.last, last, rLast, reference.last)
                if endsAtFirst && !endsAtLast { return (-1, .terminals) }
                if endsAtLast && !endsAtFirst { return (1, .terminals) }
            }
        }
        // 3. The order of the shared stops.
        var positionInReference: [Int32: Int] = [:]
        for (i, s) in reference.stops.enumerated() where positionInReference[geometry.key(s)] == nil {
            positionInReference[geometry.key(s)] = i
        }
        let cyclic = reference.isLoop
        // A loop's cycle leaves out the closing stop when it repeats the first.
        let closes = reference.stops.count > 1 && reference.stops.first.map(geometry.key) == reference.stops.last.map(geometry.key)
        let n = max(1, reference.stops.count - (closes ? 1 : 0))
        var up = 0, down = 0
        var previous: Int? = nil
        for s in stops {
            guard let p = positionInReference[geometry.key(s)] else { continue }
            if let q = previous, q != p {
                if cyclic {
                    let step = ((p - q) % n + n) % n
                    if step * 2 < n { up += 1 } else { down += 1 }
                } else if p > q {
                    up += 1
                } else {
                    down += 1
                }
            }
            previous = p
        }
        if up + down >= 2 {
            if up >= 2 * down + 1 { return (1, .stopOrder) }
            if down >= 2 * up + 1 { return (-1, .stopOrder) }
        }
        // 4. Two loops' turning sense.
        let minimumArea = 2 * minimumLength * minimumLength
        if isLoop, reference.isLoop, abs(doubleArea) >= minimumArea, abs(reference.doubleArea) >= minimumArea {
            return ((doubleArea > 0) == (reference.doubleArea > 0) ? 1 : -1, .loopOrientation)
        }
        return (0, .undecided)
    }
}
