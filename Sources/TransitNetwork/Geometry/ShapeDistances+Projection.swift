import GTFS

extension ShapeDistances {
    /// Projects `stops` in order onto `shape`: per stop, metres from the first stop along the
    /// shape, and the stop's distance from the shape (NaN for a stop without a position).
    ///
    /// Each stop's candidates are the local minima of its distance to the polyline's segments
    /// (the closest few, and any within `snap` metres); dynamic programming then picks one
    /// candidate per stop so that positions never decrease and the summed distance from the
    /// stops to the shape is least. This keeps loops and out-and-back routes right where a
    /// greedy nearest-point search would jump to the wrong pass.
    static func project(stops: [Int32], lat: [Double], lon: [Double], geometry: ShapeGeometry,
                        shape: Int32, snap: Double) -> (along: [Double], offset: [Double], start: Double) {
        project(stops: stops, lat: lat, lon: lon, geometry: geometry, shape: shape, snap: snap, scratch: ProjectionScratch())
    }

    /// ``project(stops:lat:lon:geometry:shape:snap:)`` with reusable buffers (one per thread).
    static func project(stops: [Int32], lat: [Double], lon: [Double], geometry: ShapeGeometry,
                        shape: Int32, snap: Double, scratch: ProjectionScratch) -> (along: [Double], offset: [Double], start: Double) {
        let polyline = ProjectedPolyline(geometry: geometry, shape: shape, scratch: scratch)
        var candidates = ProjectionCandidates(stops: stops, lat: lat, lon: lon, polyline: polyline, snap: snap)
        let p = polyline.points
        let chosen = candidates.choose(length: geometry.metres[p.upperBound - 1], start: geometry.metres[p.lowerBound])
        var along = [Double](repeating: 0, count: stops.count)
        var offset = [Double](repeating: .nan, count: stops.count)
        var first = Double.nan, previous = 0.0
        for k in stops.indices {
            guard chosen[k] >= 0 else { along[k] = previous; continue }
            let c = candidates.first[k] + chosen[k]
            let a = candidates.along[c], o = candidates.offset[c]
            if first.isNaN { first = a }
            previous = max(previous, a - first)
            along[k] = previous
            offset[k] = o.isFinite ? o : .nan
        }
        return (along, offset, first.isNaN ? 0 : first - geometry.metres[p.lowerBound])
    }
}

/// One shape's polyline projected onto a local plane into a ``ProjectionScratch``, with each
/// segment's vector and squared length (the operations of `LocalProjection.closest`, hoisted
/// out of the per-stop loop), ready to measure stops against.
struct ProjectedPolyline {
    /// The shape's point indices in the geometry.
    let points: Range<Int>
    /// The number of segments (points − 1, at least 0).
    let segments: Int
    /// The plane the points and stops are projected on.
    let projection: LocalProjection
    /// The geometry's cumulative metres per point.
    let geometryMetres: [Double]
    /// The scratch's buffers (see ``ProjectionScratch``).
    let xs, ys, sdx, sdy, sl2, d, tt: UnsafeMutablePointer<Double>
    let member: UnsafeMutablePointer<UInt64>

    /// Projects `shape` of `geometry` into `scratch` (which must outlive the value).
    init(geometry: ShapeGeometry, shape: Int32, scratch: ProjectionScratch) {
        let p = geometry.points(ofShape: shape)
        let proj = LocalProjection(referenceLatitude: geometry.lat[p.lowerBound])
        let segments = p.count - 1
        scratch.reserve(points: p.count)
        let xs = scratch.x, ys = scratch.y, sdx = scratch.dx, sdy = scratch.dy, sl2 = scratch.len2
        geometry.lat.withUnsafeBufferPointer { glat in
            geometry.lon.withUnsafeBufferPointer { glon in
                for i in 0..<p.count {
                    let v = proj.project(lat: glat[p.lowerBound + i], lon: glon[p.lowerBound + i])
                    xs[i] = v.x; ys[i] = v.y
                }
            }
        }
        for j in 0..<max(0, segments) {
            let dx = xs[j + 1] - xs[j], dy = ys[j + 1] - ys[j]
            sdx[j] = dx; sdy[j] = dy; sl2[j] = dx * dx + dy * dy
        }
        self.points = p
        self.segments = segments
        self.projection = proj
        self.geometryMetres = geometry.metres
        self.xs = xs; self.ys = ys; self.sdx = sdx; self.sdy = sdy; self.sl2 = sl2
        self.d = scratch.d; self.tt = scratch.t; self.member = scratch.member
    }

    /// Measures the stop `q` against every segment into `d` and `tt`, four segments at a time
    /// (the buffers are padded to a multiple of four).
    @inline(__always)
    func measure(_ q: (x: Double, y: Double)) {
        let qx = SIMD4<Double>(repeating: q.x), qy = SIMD4<Double>(repeating: q.y)
        var j = 0
        while j < segments {
            let ax = ProjectionScratch.load(xs, j), ay = ProjectionScratch.load(ys, j)
            let dx = ProjectionScratch.load(sdx, j), dy = ProjectionScratch.load(sdy, j)
            let len2 = ProjectionScratch.load(sl2, j)
            // LocalProjection.closest lane by lane: t = max(0, min(1, v)), 0 for an empty
            // segment (the same operations in the same order, so the same values).
            let v = ((qx - ax) * dx + (qy - ay) * dy) / len2
            let below = v.replacing(with: 1, where: .!(v .< 1))
            let t = below.replacing(with: 0, where: .!(below .> 0) .| .!(len2 .> 0))
            let cx = ax + t * dx - qx, cy = ay + t * dy - qy
            ProjectionScratch.store((cx * cx + cy * cy).squareRoot(), d, j)
            ProjectionScratch.store(t, tt, j)
            j += 4
        }
    }

    /// Appends the local minima of `d` to `minima` (position along the shape, distance): each
    /// run of segments not farther than the one before (a segment starts a run when it is not
    /// farther than its predecessor, or is the first) gives one candidate, its first closest
    /// segment, that is the first of the run's last segments of equal distance. The runs are
    /// found from one bit per segment, set when it is not farther than its predecessor
    /// (`d[-1]` is infinite, so the first segment's bit is set), compared four at a time.
    @inline(__always)
    func scan(into minima: inout [(along: Double, offset: Double)]) {
        let words = (segments + 63) / 64
        var j = 0
        let weights = SIMD4<UInt64>(1, 2, 4, 8)
        while j < segments {
            let current = ProjectionScratch.load(d, j), before = ProjectionScratch.load(d, j - 1)
            let bits = SIMD4<UInt64>(repeating: 0).replacing(with: weights, where: current .<= before).wrappedSum()
            if j & 63 == 0 { member[j >> 6] = bits } else { member[j >> 6] |= bits << UInt64(j & 63) }
            j += 4
        }
        // Clear the bits of the padding after the last segment.
        if segments & 63 != 0 { member[words - 1] &= (1 << UInt64(segments & 63)) - 1 }
        let member = member, d = d
        @inline(__always) func isMember(_ i: Int) -> Bool { member[i >> 6] >> UInt64(i & 63) & 1 == 1 }
        for w in 0..<words {
            let bits = member[w]
            let next: UInt64 = w + 1 < words ? member[w + 1] & 1 : 0
            // A run ends where a set bit is followed by a clear one.
            var ends = bits & ~((bits >> 1) | (next << 63))
            while ends != 0 {
                let e = w << 6 + ends.trailingZeroBitCount
                ends &= ends - 1
                var best = e
                let closest = d[e]
                while best > 0 && isMember(best - 1) && d[best - 1] == closest { best -= 1 }
                let i0 = points.lowerBound + best
                minima.append((geometryMetres[i0] + tt[best] * (geometryMetres[i0 + 1] - geometryMetres[i0]), closest))
            }
        }
    }
}

/// The candidate places of a trip's stops along one shape, and the choice among them.
///
/// Stored flat: stop k's candidates are `first[k]..<first[k] + count[k]`, in order along the
/// shape (position along the shape in metres, distance from the shape).
struct ProjectionCandidates {
    var along: [Double] = []
    var offset: [Double] = []
    var first: [Int]
    var count: [Int]
    /// The last stop with a position (-1 for none).
    var lastPositioned = -1

    /// The candidates of each of `stops` on `polyline`: the closest few local minima (ties in
    /// segment order) and any others within `snap` metres, in order along the shape.
    init(stops: [Int32], lat: [Double], lon: [Double], polyline: ProjectedPolyline, snap: Double) {
        let maxCandidates = 6
        first = [Int](repeating: 0, count: stops.count)
        count = [Int](repeating: 0, count: stops.count)
        along.reserveCapacity(stops.count * 3); offset.reserveCapacity(stops.count * 3)
        // Minima of the current stop: position along the shape, distance.
        var minima: [(along: Double, offset: Double)] = []
        minima.reserveCapacity(16)
        var ranked: [(along: Double, offset: Double)] = []
        ranked.reserveCapacity(16)
        for (k, s) in stops.enumerated() {
            first[k] = along.count
            guard s >= 0, Int(s) < lat.count, !lat[Int(s)].isNaN else { continue }
            lastPositioned = k
            guard polyline.segments > 0 else { continue }
            let q = polyline.projection.project(lat: lat[Int(s)], lon: lon[Int(s)])
            minima.removeAll(keepingCapacity: true)
            polyline.measure(q)
            polyline.scan(into: &minima)
            // The closest few (ties in segment order), and any others within `snap`; then in
            // order along the shape (ties in that order).
            ranked.removeAll(keepingCapacity: true)
            for m in minima {
                var i = ranked.count
                ranked.append(m)
                while i > 0 && m.offset < ranked[i - 1].offset { ranked[i] = ranked[i - 1]; i -= 1 }
                ranked[i] = m
            }
            let base = along.count
            for (r, m) in ranked.enumerated() where r < maxCandidates || m.offset <= snap {
                var i = along.count
                along.append(m.along); offset.append(m.offset)
                while i > base && m.along < along[i - 1] {
                    along[i] = along[i - 1]; offset[i] = offset[i - 1]; i -= 1
                }
                along[i] = m.along; offset[i] = m.offset
            }
            count[k] = along.count - base
        }
    }

    /// Per stop, the index of its chosen candidate (-1 for a stop without any): dynamic
    /// programming over the positioned stops (cost and back pointer per candidate), then the
    /// cheapest path back from the last. `length` and `start` are the shape's cumulative
    /// metres at its last and first points.
    mutating func choose(length: Double, start: Double) -> [Int] {
        var cost = [Double](repeating: .infinity, count: along.count)
        var back = [Int](repeating: -1, count: along.count)
        var lastStop = -1
        for k in first.indices {
            let lo = first[k], n = count[k]
            guard n > 0 else { continue }
            // A small preference (1 m per km) for the first stop near the shape's start and the
            // last near its end, to break ties where a shape passes a terminal twice.
            let isLast = k >= lastPositioned
            let isFirst = lastStop < 0
            if isFirst {
                for i in lo..<(lo + n) {
                    cost[i] = weight(of: i, isFirst: isFirst, isLast: isLast, length: length, start: start)
                }
            } else {
                let pf = first[lastStop], pc = count[lastStop]
                var anyFinite = false
                for i in lo..<(lo + n) {
                    let limit = along[i] + 1e-6
                    var best = Double.infinity, from = -1
                    for h in 0..<pc where along[pf + h] <= limit && cost[pf + h].isFinite {
                        let c = cost[pf + h] + weight(of: i, isFirst: isFirst, isLast: isLast, length: length, start: start)
                        if c < best { best = c; from = h }
                    }
                    cost[i] = best; back[i] = from
                    if best.isFinite { anyFinite = true }
                }
                if !anyFinite {
                    // No candidate lies ahead: keep the best previous position, at a cost.
                    var h = 0
                    for x in 0..<pc where cost[pf + x] < cost[pf + h] { h = x }
                    along[lo] = along[pf + h]; offset[lo] = .infinity
                    count[k] = 1
                    cost[lo] = cost[pf + h] + 1e9
                    back[lo] = h
                }
            }
            lastStop = k
        }
        return backtrack(from: lastStop, cost: cost, back: back)
    }

    /// The cost of placing a stop at candidate `i`: its distance from the shape, plus the
    /// terminal preferences of ``choose(length:start:)``.
    @inline(__always)
    func weight(of i: Int, isFirst: Bool, isLast: Bool, length: Double, start: Double) -> Double {
        offset[i] + (isLast ? 0.001 * (length - along[i]) : 0) + (isFirst ? 0.001 * (along[i] - start) : 0)
    }

    /// The chosen candidate per stop, following the back pointers from the cheapest candidate
    /// of `lastStop`.
    func backtrack(from lastStop: Int, cost: [Double], back: [Int]) -> [Int] {
        var chosen = [Int](repeating: -1, count: first.count)
        guard lastStop >= 0 else { return chosen }
        let lf = first[lastStop]
        var i = 0
        for x in 0..<count[lastStop] where cost[lf + x] < cost[lf + i] { i = x }
        var k = lastStop
        while k >= 0 {
            chosen[k] = i
            let h = back[first[k] + i]
            var j = k - 1
            while j >= 0 && count[j] == 0 { j -= 1 }
            if j < 0 || h < 0 { break }
            i = h; k = j
        }
        return chosen
    }
}
