// GeometryRules+ShapeLine.swift: a shape as a polyline on the sphere: segments, distances along
// it, and the places near a point.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Shape geometry

/// One shape's points on the sphere, with distances along it and a box per segment and per
/// block of segments for finding the segments near a stop quickly.
struct ShapeLine {
    typealias Match = StopToShapeMatching.Match

    /// Segments per block of the coarse box test.
    static let blockSize = 16

    struct Box {
        var minLat = Double.infinity, maxLat = -Double.infinity
        var minLon = Double.infinity, maxLon = -Double.infinity

        mutating func add(_ b: Box) {
            minLat = min(minLat, b.minLat); maxLat = max(maxLat, b.maxLat)
            minLon = min(minLon, b.minLon); maxLon = max(maxLon, b.maxLon)
        }

        /// Whether the box reaches the window `lat ± dLat`, `lon ± dLon`.
        func reaches(lat: Double, lon: Double, dLat: Double, dLon: Double) -> Bool {
            !(maxLat < lat - dLat || minLat > lat + dLat || maxLon < lon - dLon || minLon > lon + dLon)
        }
    }

    /// The points, in sequence order (points without coordinates left out).
    var points: [Sphere.Vector] = []
    /// Metres along the shape to each point.
    var along: [Double] = []
    /// `shape_dist_traveled` of each point, never decreasing (0 where empty).
    var user: [Double] = []
    /// Per segment `i` (points `i` and `i + 1`): the great circle's normal and its squared length.
    var normals: [Sphere.Vector] = []
    var normSquared: [Double] = []
    /// Per segment, and per block of ``blockSize`` segments, the degrees they cover.
    var boxes: [Box] = []
    var blocks: [Box] = []

    init(_ s: Shapes, rows: ArraySlice<Int32>) {
        var lats: [Double] = [], lons: [Double] = []
        lats.reserveCapacity(rows.count)
        lons.reserveCapacity(rows.count)
        points.reserveCapacity(rows.count)
        along.reserveCapacity(rows.count)
        user.reserveCapacity(rows.count)
        var userDistance = 0.0
        var highest = 0.0
        var trig = Sphere.IncrementalTrig()
        for r in rows {
            let la = s.lat[Int(r)], lo = s.lon[Int(r)]
            guard !la.isNaN, !lo.isNaN else { continue }
            let v = trig.vector(lat: la, lon: lo)
            if let last = points.last, let total = along.last {
                along.append(total + max(0, Sphere.chordDistance(last, v)))
            } else {
                along.append(0)
            }
            highest = max(highest, abs(la))
            if let d = s.distTraveled?[Int(r)], !d.isNaN { userDistance = max(userDistance, d) }
            user.append(userDistance)
            points.append(v)
            lats.append(la)
            lons.append(lo)
        }
        guard points.count > 1 else { return }
        let segments = points.count - 1
        // A great-circle arc can bulge poleward beyond its ends' latitudes: boxes are widened by
        // a generous bound of that bulge. An arc across the antimeridian covers every longitude.
        let steep = (1 + tan(min(85, highest) * Double.pi / 180)) / (2 * Sphere.radius * Sphere.metresPerDegree)
        normals.reserveCapacity(segments)
        normSquared.reserveCapacity(segments)
        boxes.reserveCapacity(segments)
        for i in 0..<segments {
            let n = Sphere.normal(points[i], points[i + 1])
            normals.append(n)
            normSquared.append(n.dot(n))
            var box = Box(minLat: min(lats[i], lats[i + 1]), maxLat: max(lats[i], lats[i + 1]),
                          minLon: min(lons[i], lons[i + 1]), maxLon: max(lons[i], lons[i + 1]))
            let length = along[i + 1] - along[i]
            let bulge = length * length * steep + 1e-9
            box.minLat -= bulge
            box.maxLat += bulge
            if box.maxLon - box.minLon > 180 { box.minLon = -Double.infinity; box.maxLon = Double.infinity }
            boxes.append(box)
        }
        var b = 0
        while b < segments {
            var block = Box()
            for i in b..<min(segments, b + Self.blockSize) { block.add(boxes[i]) }
            blocks.append(block)
            b += Self.blockSize
        }
    }

    /// Whether the last point has a positive `shape_dist_traveled`.
    var hasUserDistance: Bool { (user.last ?? 0) > 0 }

    /// The places of the shape within `limit` metres of `x`, one per stretch of the shape that
    /// comes near (each stretch's closest place), in order along the shape
    /// (ShapePoints.matchesFromLocation).
    func matches(near x: Sphere.Vector, lat: Double, lon: Double, within limit: Double) -> [Match] {
        var matches: [Match] = []
        let segments = points.count - 1
        guard segments > 0 else { return matches }
        // The window of degrees where a segment within `limit` must reach (half again as wide,
        // for safety); none near the poles or across the antimeridian.
        let dLat = limit * 1.5 / Sphere.metresPerDegree + 1e-9
        let dLon = dLat / max(0.01, cos(lat * Double.pi / 180))
        let windowed = abs(lat) + dLat < 89 && abs(lon) + dLon < 180

        var local: Match?
        var distanceToEndOfPrevious = Double.infinity
        var previousGettingFurther = false
        var block = 0
        while block < blocks.count {
            let first = block * Self.blockSize, end = min(segments, first + Self.blockSize)
            block += 1
            if windowed && !blocks[block - 1].reaches(lat: lat, lon: lon, dLat: dLat, dLon: dLon) {
                // Every segment here is beyond the limit: a stretch near the stop ends.
                if let m = local { matches.append(m); local = nil }
                continue
            }
            for i in first..<end {
                if windowed && !boxes[i].reaches(lat: lat, lon: lon, dLat: dLat, dLon: dLon) {
                    if let m = local { matches.append(m); local = nil }
                    continue
                }
                let a = points[i], b = points[i + 1]
                let c = Sphere.closestPoint(x, a, b, normal: normals[i], normSquared: normSquared[i])
                let d = Sphere.distance(x, c)
                if d <= limit {
                    // The shape went away from the stop and now comes back: a new stretch.
                    if previousGettingFurther && d < distanceToEndOfPrevious, let m = local {
                        matches.append(m)
                        local = nil
                    }
                    if local.map({ d < $0.distance }) ?? true {
                        local = Match(index: i, along: 0, distance: d, location: c)
                    }
                } else if let m = local {
                    matches.append(m)
                    local = nil
                }
                distanceToEndOfPrevious = Sphere.distance(x, b)
                previousGettingFurther = distanceToEndOfPrevious > d
            }
        }
        if let m = local { matches.append(m) }
        for k in matches.indices {
            let i = matches[k].index
            matches[k].along = along[i] + Sphere.distance(matches[k].location, points[i])
        }
        return matches
    }

    /// Metres from `x` to the closest place of the shape (ShapePoints.matchFromLocation).
    func closestDistance(to x: Sphere.Vector) -> Double {
        guard let p0 = points.first else { return .infinity }
        if points.count == 1 { return Sphere.distance(x, p0) }
        var best = Double.infinity
        for i in 0..<(points.count - 1) {
            let c = Sphere.closestPoint(x, points[i], points[i + 1], normal: normals[i], normSquared: normSquared[i])
            let d = Sphere.distance(x, c)
            if d < best { best = d }
        }
        return best
    }

    /// The place the distance `userDistance` names, searching from point `from` on
    /// (ShapePoints.matchFromUserDist), and how far the stop at `stop` is from it.
    func match(userDistance: Double, from: Int, stop: Sphere.Vector) -> Match {
        let n = points.count
        guard n > 0 else { return Match(index: 0, along: 0, distance: .infinity, location: stop) }
        let start = min(max(0, from), n - 1)
        var previous = start, next = start
        while next < n && userDistance >= user[next] {
            previous = next
            next += 1
        }
        var fraction = 0.0
        if next > 0 && previous + 1 < n && next < n {
            let a = user[previous], b = user[next]
            if !Self.nearlyEqual(a, b) { fraction = (userDistance - a) / (b - a) }
        }
        let p = points[previous]
        let q = previous + 1 < n ? points[previous + 1] : p
        let qAlong = previous + 1 < n ? along[previous + 1] : along[previous]
        let location = Sphere.angle(p, q) <= 1e-15 ? p : Sphere.interpolate(p, q, fraction: fraction)
        return Match(index: previous, along: along[previous] + fraction * (qAlong - along[previous]),
                     distance: Sphere.distance(stop, location), location: location)
    }

    /// Whether two distances are equal within a small margin (MathUtil.nearByFractionOrMargin).
    static func nearlyEqual(_ x: Double, _ y: Double) -> Bool {
        guard x.isFinite, y.isFinite else { return false }
        let margin = 1e-9 * 32
        return abs(x - y) <= max(margin, margin * max(abs(x), abs(y)))
    }
}
