/// Planar polygon geometry for GTFS-Flex zones (`locations.geojson`): validity as the OGC
/// Simple Features rules define it for polygons and multipolygons, and whether two zones
/// overlap. Longitude is x, latitude y; the tests are exact on the coordinates given.
///
/// Every test is bounded: segment pairs are found with a sweep along x, and a shared
/// ``WorkBudget`` stops the checks of a hostile file (they then find nothing more).
struct GeoPoint: Sendable, Equatable {
    var x: Double
    var y: Double
}

/// A polygon: its exterior ring first, then its holes. Each ring is closed (last == first).
struct GeoPolygon: Sendable, Equatable {
    var rings: [[GeoPoint]]
}

/// An axis-aligned box.
struct GeoBox: Sendable, Equatable {
    var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity

    init() {}

    init(_ points: some Sequence<GeoPoint>) {
        for p in points { add(p) }
    }

    mutating func add(_ p: GeoPoint) {
        minX = min(minX, p.x); maxX = max(maxX, p.x)
        minY = min(minY, p.y); maxY = max(maxY, p.y)
    }

    func intersects(_ o: GeoBox) -> Bool {
        minX <= o.maxX && o.minX <= maxX && minY <= o.maxY && o.minY <= maxY
    }
}

/// A cap on the segment and point tests one validation run may spend.
struct WorkBudget {
    var remaining: Int

    /// Takes `n` units; `false` once the budget is spent.
    mutating func spend(_ n: Int = 1) -> Bool {
        guard remaining >= n else { remaining = 0; return false }
        remaining -= n
        return true
    }
}

enum Planar {
    /// The orientation of `c` relative to the line `a`→`b`: > 0 left, < 0 right, 0 collinear.
    static func cross(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Double {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }

    static func sign(_ v: Double) -> Int { v > 0 ? 1 : (v < 0 ? -1 : 0) }

    /// Whether `p`, collinear with `a`–`b`, lies within the segment's box.
    static func onSegment(_ a: GeoPoint, _ b: GeoPoint, _ p: GeoPoint) -> Bool {
        min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y)
    }

    /// How two segments meet.
    enum Contact { case none, touch, cross, overlap }

    /// `.cross` when they cross at one point inside both, `.overlap` when they share more than a
    /// point (collinear), `.touch` when they meet at a single point otherwise, `.none`.
    static func contact(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint, _ d: GeoPoint) -> Contact {
        let d1 = sign(cross(c, d, a)), d2 = sign(cross(c, d, b))
        let d3 = sign(cross(a, b, c)), d4 = sign(cross(a, b, d))
        if d1 == 0 && d2 == 0 {
            // Collinear: compare the projections on the longer axis.
            let useX = abs(b.x - a.x) + abs(d.x - c.x) >= abs(b.y - a.y) + abs(d.y - c.y)
            let (a0, a1) = useX ? (min(a.x, b.x), max(a.x, b.x)) : (min(a.y, b.y), max(a.y, b.y))
            let (c0, c1) = useX ? (min(c.x, d.x), max(c.x, d.x)) : (min(c.y, d.y), max(c.y, d.y))
            let lo = max(a0, c0), hi = min(a1, c1)
            if lo < hi { return .overlap }
            return lo == hi ? .touch : .none
        }
        if d1 * d2 < 0 && d3 * d4 < 0 { return .cross }
        if (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b))
            || (d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d)) {
            return .touch
        }
        return .none
    }

    /// A point where two meeting segments meet: their crossing, else a shared end.
    static func meeting(_ s: Segment, _ t: Segment) -> GeoPoint {
        let d = (s.b.x - s.a.x) * (t.b.y - t.a.y) - (s.b.y - s.a.y) * (t.b.x - t.a.x)
        if d != 0 {
            let u = ((t.a.x - s.a.x) * (t.b.y - t.a.y) - (t.a.y - s.a.y) * (t.b.x - t.a.x)) / d
            if u >= 0 && u <= 1 { return GeoPoint(x: s.a.x + u * (s.b.x - s.a.x), y: s.a.y + u * (s.b.y - s.a.y)) }
        }
        for p in [s.a, s.b] where cross(t.a, t.b, p) == 0 && onSegment(t.a, t.b, p) { return p }
        return t.a
    }

    static func describe(_ p: GeoPoint) -> String { "(\(formatReal(p.x)), \(formatReal(p.y)))" }

    /// Where a point lies relative to a closed ring.
    enum Side { case inside, outside, boundary }

    /// Ray casting with an exact boundary test. O(ring).
    static func locate(_ p: GeoPoint, in ring: [GeoPoint]) -> Side {
        var inside = false
        var j = ring.count - 1
        for k in 0..<ring.count {
            let a = ring[k], b = ring[j]
            if cross(a, b, p) == 0 && onSegment(a, b, p) { return .boundary }
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                if p.x < x { inside.toggle() }
            }
            j = k
        }
        return inside ? .inside : .outside
    }

    /// Where a point lies relative to a polygon with holes.
    static func locate(_ p: GeoPoint, in polygon: GeoPolygon) -> Side {
        guard let shell = polygon.rings.first else { return .outside }
        switch locate(p, in: shell) {
        case .outside: return .outside
        case .boundary: return .boundary
        case .inside:
            for hole in polygon.rings.dropFirst() {
                switch locate(p, in: hole) {
                case .inside: return .outside
                case .boundary: return .boundary
                case .outside: continue
                }
            }
            return .inside
        }
    }

    /// Where a point lies relative to a multipolygon (its parts do not overlap).
    static func locate(_ p: GeoPoint, in parts: [GeoPolygon]) -> Side {
        var onBoundary = false
        for part in parts {
            switch locate(p, in: part) {
            case .inside: return .inside
            case .boundary: onBoundary = true
            case .outside: continue
            }
        }
        return onBoundary ? .boundary : .outside
    }

    /// One edge, tagged with where it comes from.
    struct Segment {
        var a: GeoPoint
        var b: GeoPoint
        /// The polygon (of a multipolygon, or the zone) and ring it belongs to.
        var polygon: Int
        var ring: Int
        /// Its index in the ring and the ring's edge count.
        var index: Int
        var ringEdges: Int
        var minX: Double { min(a.x, b.x) }
        var maxX: Double { max(a.x, b.x) }
    }

    /// The edges of `rings`, skipping zero-length ones (repeated positions).
    static func segments(of polygons: [GeoPolygon]) -> [Segment] {
        var out: [Segment] = []
        for (pi, polygon) in polygons.enumerated() {
            for (ri, ring) in polygon.rings.enumerated() {
                var edges: [(GeoPoint, GeoPoint)] = []
                for k in 1..<max(1, ring.count) where ring[k] != ring[k - 1] { edges.append((ring[k - 1], ring[k])) }
                for (k, e) in edges.enumerated() {
                    out.append(Segment(a: e.0, b: e.1, polygon: pi, ring: ri, index: k, ringEdges: edges.count))
                }
            }
        }
        return out
    }

    /// Calls `body` on each pair of segments whose x-ranges and y-ranges meet (a sweep along x),
    /// until it returns `true` or the budget runs out. Returns whether `body` did.
    static func anyPair(_ segments: [Segment], budget: inout WorkBudget, _ body: (Segment, Segment) -> Bool) -> Bool {
        let order = segments.indices.sorted { segments[$0].minX < segments[$1].minX }
        for (n, i) in order.enumerated() {
            let s = segments[i]
            var m = n + 1
            while m < order.count {
                let t = segments[order[m]]
                if t.minX > s.maxX { break }
                guard budget.spend() else { return false }
                if max(s.a.y, s.b.y) >= min(t.a.y, t.b.y) && max(t.a.y, t.b.y) >= min(s.a.y, s.b.y), body(s, t) { return true }
                m += 1
            }
        }
        return false
    }
}

extension Planar {
    /// Why `parts` (one polygon, or the parts of a multipolygon) is not a valid area, or `nil`
    /// when it is (or when the budget ran out before a defect was found).
    static func defect(of parts: [GeoPolygon], budget: inout WorkBudget) -> String? {
        if parts.isEmpty { return "the MultiPolygon has no polygon" }
        for polygon in parts {
            guard !polygon.rings.isEmpty else { return "a polygon has no ring; it needs at least its exterior ring" }
            for ring in polygon.rings {
                if ring.count < 4 {
                    return "a ring has \(ring.count) position\(ring.count == 1 ? "" : "s"); it needs at least 4, the first repeated last"
                }
                if ring.first != ring.last { return "a ring is not closed: its last position must repeat its first" }
                var distinct = 1
                for k in 1..<ring.count where ring[k] != ring[k - 1] { distinct += 1 }
                if distinct < 4 { return "a ring has fewer than 3 distinct corners, so it encloses no area" }
            }
        }
        let segments = Planar.segments(of: parts)
        var message: String? = nil
        _ = anyPair(segments, budget: &budget) { s, t in
            let c = contact(s.a, s.b, t.a, t.b)
            guard c != .none else { return false }
            if s.polygon != t.polygon {
                guard c == .cross || c == .overlap else { return false }
                message = "two polygons of the MultiPolygon intersect at \(describe(meeting(s, t)))"
                return true
            }
            if s.ring != t.ring {
                guard c == .cross || c == .overlap else { return false }
                message = "two rings of a polygon cross at \(describe(meeting(s, t)))"
                return true
            }
            let gap = abs(s.index - t.index)
            let adjacent = gap == 1 || gap == s.ringEdges - 1
            if adjacent && c != .overlap { return false }
            message = "a ring intersects itself at \(describe(meeting(s, t)))"
            return true
        }
        if let message { return message }
        // Holes inside their shell, not inside one another.
        for polygon in parts where polygon.rings.count > 1 {
            let shell = polygon.rings[0]
            let holes = Array(polygon.rings.dropFirst())
            for hole in holes {
                if firstSide(of: hole, in: shell, budget: &budget) == .outside { return "a hole lies outside its exterior ring" }
            }
            for a in holes.indices {
                for b in holes.indices where a != b {
                    if firstSide(of: holes[a], in: holes[b], budget: &budget) == .inside { return "a hole lies inside another hole" }
                }
            }
        }
        // Parts of a multipolygon must not lie inside one another.
        let boxes = parts.map { GeoBox($0.rings.first ?? []) }
        for a in parts.indices {
            for b in parts.indices where a != b && boxes[a].intersects(boxes[b]) {
                guard let shell = parts[a].rings.first, budget.spend(shell.count) else { continue }
                if let p = shell.first(where: { locate($0, in: parts[b]) != .boundary }), locate(p, in: parts[b]) == .inside {
                    return "one polygon of the MultiPolygon lies inside another"
                }
            }
        }
        return nil
    }

    /// Where the first position of `ring` that is not on `other`'s boundary lies (`.boundary`
    /// when all are, or when the budget is spent).
    static func firstSide(of ring: [GeoPoint], in other: [GeoPoint], budget: inout WorkBudget) -> Side {
        for p in ring {
            guard budget.spend(other.count) else { return .boundary }
            let side = locate(p, in: other)
            if side != .boundary { return side }
        }
        return .boundary
    }

    /// Whether two valid areas overlap as the OGC predicate means it: their interiors meet and
    /// neither covers the other. Tested on proper edge crossings, then on the positions and
    /// edge midpoints of each against the other; `false` when the budget runs out.
    static func overlaps(_ a: [GeoPolygon], _ b: [GeoPolygon], budget: inout WorkBudget) -> Bool {
        let boxA = GeoBox(a.flatMap { $0.rings.first ?? [] }), boxB = GeoBox(b.flatMap { $0.rings.first ?? [] })
        guard boxA.intersects(boxB) else { return false }
        var segments = Planar.segments(of: a).map { s -> Segment in var s = s; s.polygon = 0; return s }
        segments += Planar.segments(of: b).map { s -> Segment in var s = s; s.polygon = 1; return s }
        let crossing = anyPair(segments, budget: &budget) { s, t in
            s.polygon != t.polygon && contact(s.a, s.b, t.a, t.b) == .cross
        }
        if crossing { return true }
        guard budget.remaining > 0 else { return false }
        let (aInB, aOutB) = sides(of: a, in: b, budget: &budget)
        let (bInA, bOutA) = sides(of: b, in: a, budget: &budget)
        return (aInB || bInA) && aOutB && bOutA
    }

    /// Whether some position or edge midpoint of `a` lies strictly inside `b`, and whether one
    /// lies strictly outside.
    static func sides(of a: [GeoPolygon], in b: [GeoPolygon], budget: inout WorkBudget) -> (inside: Bool, outside: Bool) {
        let cost = b.reduce(0) { $0 + $1.rings.reduce(0) { $0 + $1.count } }
        var inside = false, outside = false
        for polygon in a {
            for ring in polygon.rings {
                for k in ring.indices {
                    let next = ring[k + 1 < ring.count ? k + 1 : k]
                    for p in [ring[k], GeoPoint(x: (ring[k].x + next.x) / 2, y: (ring[k].y + next.y) / 2)] {
                        guard budget.spend(max(1, cost)) else { return (inside, outside) }
                        switch locate(p, in: b) {
                        case .inside: inside = true
                        case .outside: outside = true
                        case .boundary: break
                        }
                        if inside && outside { return (true, true) }
                    }
                }
            }
        }
        return (inside, outside)
    }
}
