import Foundation
import GTFS
@testable import TransitNetwork
import Testing

/// The projection as first written (every segment measured one at a time, minima found by
/// walking runs, candidates and the dynamic programme in nested arrays): the reference the
/// vectorised ``ShapeDistances/project(stops:lat:lon:geometry:shape:snap:)`` must match bit
/// for bit.
private func referenceProject(stops: [Int32], lat: [Double], lon: [Double], geometry: ShapeGeometry,
                              shape: Int32, snap: Double) -> (along: [Double], offset: [Double], start: Double) {
    let p = geometry.points(ofShape: shape)
    let proj = LocalProjection(referenceLatitude: geometry.lat[p.lowerBound])
    let segments = p.count - 1
    let maxCandidates = 6
    let points = p.map { proj.project(lat: geometry.lat[$0], lon: geometry.lon[$0]) }
    var candidates: [[(along: Double, offset: Double)]] = []
    for s in stops {
        guard s >= 0, Int(s) < lat.count, !lat[Int(s)].isNaN, segments > 0 else { candidates.append([]); continue }
        let q = proj.project(lat: lat[Int(s)], lon: lon[Int(s)])
        var d = [Double](repeating: 0, count: segments), tt = d
        for j in 0..<segments {
            let ax = points[j].x, ay = points[j].y
            let dx = points[j + 1].x - ax, dy = points[j + 1].y - ay, len2 = dx * dx + dy * dy
            let v = ((q.x - ax) * dx + (q.y - ay) * dy) / len2
            let below = v < 1 ? v : 1
            let t = len2 > 0 ? (below > 0 ? below : 0) : 0
            let cx = ax + t * dx - q.x, cy = ay + t * dy - q.y
            d[j] = (cx * cx + cy * cy).squareRoot(); tt[j] = t
        }
        var minima: [(along: Double, offset: Double)] = []
        var j = 0
        while j < segments {
            let left = j == 0 ? Double.infinity : d[j - 1]
            if d[j] <= left {
                var k = j, best = j
                while k + 1 < segments && d[k + 1] <= d[k] { k += 1; if d[k] < d[best] { best = k } }
                let i0 = p.lowerBound + best
                minima.append((geometry.metres[i0] + tt[best] * (geometry.metres[i0 + 1] - geometry.metres[i0]), d[best]))
                j = k + 1
            } else {
                j += 1
            }
        }
        let ranked = minima.sorted { $0.offset < $1.offset }
        var keep = Array(ranked.prefix(maxCandidates))
        for m in ranked.dropFirst(maxCandidates) where m.offset <= snap { keep.append(m) }
        keep.sort { $0.along < $1.along }
        candidates.append(keep)
    }
    var cost: [[Double]] = [], back: [[Int]] = []
    var lastStop = -1
    for k in stops.indices {
        let cand = candidates[k]
        guard !cand.isEmpty else { cost.append([]); back.append([]); continue }
        var cRow = [Double](repeating: .infinity, count: cand.count), bRow = [Int](repeating: -1, count: cand.count)
        let isLast = !stops[(k + 1)...].contains { $0 >= 0 && Int($0) < lat.count && !lat[Int($0)].isNaN }
        let length = geometry.metres[p.upperBound - 1]
        let start = geometry.metres[p.lowerBound]
        func weight(of i: Int) -> Double {
            cand[i].offset + (isLast ? 0.001 * (length - cand[i].along) : 0) + (lastStop < 0 ? 0.001 * (cand[i].along - start) : 0)
        }
        if lastStop < 0 {
            for i in cand.indices { cRow[i] = weight(of: i) }
        } else {
            let prevCand = candidates[lastStop], prevCost = cost[lastStop]
            for i in cand.indices {
                for h in prevCand.indices where prevCand[h].along <= cand[i].along + 1e-6 && prevCost[h].isFinite {
                    let c = prevCost[h] + weight(of: i)
                    if c < cRow[i] { cRow[i] = c; bRow[i] = h }
                }
            }
            if !cRow.contains(where: { $0.isFinite }) {
                var h = 0
                for x in prevCost.indices where prevCost[x] < prevCost[h] { h = x }
                candidates[k] = [(prevCand[h].along, .infinity)]
                cRow = [prevCost[h] + 1e9]
                bRow = [h]
            }
        }
        cost.append(cRow); back.append(bRow)
        lastStop = k
    }
    var chosen = [Int](repeating: -1, count: stops.count)
    if lastStop >= 0 {
        var i = 0
        for x in cost[lastStop].indices where cost[lastStop][x] < cost[lastStop][i] { i = x }
        var k = lastStop
        while k >= 0 {
            chosen[k] = i
            let h = back[k][i]
            var j = k - 1
            while j >= 0 && candidates[j].isEmpty { j -= 1 }
            if j < 0 || h < 0 { break }
            i = h; k = j
        }
    }
    var along = [Double](repeating: 0, count: stops.count)
    var offset = [Double](repeating: .nan, count: stops.count)
    var first = Double.nan, previous = 0.0
    for k in stops.indices {
        guard chosen[k] >= 0 else { along[k] = previous; continue }
        let c = candidates[k][chosen[k]]
        if first.isNaN { first = c.along }
        previous = max(previous, c.along - first)
        along[k] = previous
        offset[k] = c.offset.isFinite ? c.offset : .nan
    }
    return (along, offset, first.isNaN ? 0 : first - geometry.metres[p.lowerBound])
}

/// Bit-for-bit equality of two results (NaN equal to NaN).
private func same(_ a: (along: [Double], offset: [Double], start: Double),
                  _ b: (along: [Double], offset: [Double], start: Double)) -> Bool {
    func eq(_ x: Double, _ y: Double) -> Bool { x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) }
    return a.along.count == b.along.count && a.offset.count == b.offset.count
        && zip(a.along, b.along).allSatisfy(eq) && zip(a.offset, b.offset).allSatisfy(eq) && eq(a.start, b.start)
}

/// A small deterministic generator (SplitMix64), so that failures reproduce.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Projects every `stride`-th pattern of `feed` onto each shape its trips use, with both
/// implementations.
private func expectMatchesReference(_ feed: Feed, snap: Double, stride: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) {
    let d = ShapeDistances(feed: feed, options: DistanceOptions(useShapeDistTraveled: false))
    let positions = StopPositions(feed: feed)
    let patterns = RoutePatterns(feed: feed)
    let scratch = ProjectionScratch()
    var checked = 0, differing: [String] = []
    var seen = Set<Int64>()
    for p in patterns.patterns where p.id % stride == 0 {
        for t in p.trips {
            let row = patterns.tripRow[Int(t)]
            guard row >= 0 else { continue }
            let shape = feed.trips.shape[Int(row)]
            guard d.geometry.points(ofShape: shape).count >= 2, seen.insert(Int64(p.id) << 32 | Int64(shape)).inserted else { continue }
            let fast = ShapeDistances.project(stops: p.stops, lat: positions.lat, lon: positions.lon, geometry: d.geometry,
                                              shape: shape, snap: snap, scratch: scratch)
            let slow = referenceProject(stops: p.stops, lat: positions.lat, lon: positions.lon, geometry: d.geometry,
                                        shape: shape, snap: snap)
            if !same(fast, slow) { differing.append("pattern \(p.id) shape \(feed.ids(.shape)[Int(shape)])") }
            checked += 1
        }
    }
    #expect(checked > 0, sourceLocation: sourceLocation)
    #expect(differing.isEmpty, "projections differing from the reference: \(differing.prefix(5))", sourceLocation: sourceLocation)
}

@Suite("Projection onto shapes: the vectorised search matches the reference bit for bit")
struct ProjectionTests {
    @Test("sample feed, every pattern and shape, several snap distances")
    func sample() throws {
        let feed = try #require(GraphFeeds.sample)
        for snap in [0.0, 10, 50, 400, .infinity] { expectMatchesReference(feed, snap: snap) }
    }

    @Test("vilnius-2016, every tenth pattern and its shapes", .enabled(if: GraphFeeds.runnable))
    func vilnius() throws {
        guard let feed = try GraphFeeds.shared("vilnius-2016") else { return }
        expectMatchesReference(feed, snap: DistanceOptions().snapMetres, stride: 10)
    }

    @Test("random polylines on a coarse grid: repeated points, collinear runs, corners, ties")
    func randomGrid() throws {
        // Shapes whose points sit on a 0.0005° grid (repeats and U-turns included), so that
        // distances tie often: equal runs, zero-length segments, corners closest to a stop.
        var rng = SplitMix(state: 20_160_301)
        var shapes = "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
        let shapeCount = 60
        for s in 0..<shapeCount {
            var la = 54_680 + Int.random(in: 0..<20, using: &rng), lo = 25_270 + Int.random(in: 0..<20, using: &rng)
            let n = Int.random(in: 2..<(s % 3 == 0 ? 9 : 140), using: &rng)
            for i in 0..<n {
                shapes += "SH\(s),\(Double(la) / 1000),\(Double(lo) / 1000),\(i + 1)\n"
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: break                                  // the same point again
                case 1, 2: la += Int.random(in: -1...1, using: &rng)
                case 3, 4: lo += Int.random(in: -1...1, using: &rng)
                default:
                    la += Int.random(in: -2...2, using: &rng); lo += Int.random(in: -2...2, using: &rng)
                }
            }
        }
        let feed = try GraphFeeds.tinyFeed(
            stops: "stop_id,stop_name,stop_lat,stop_lon\nA,A,54.68,25.27\nB,B,54.69,25.28\n",
            trips: "route_id,service_id,trip_id,shape_id\nR,S,T,SH0\n",
            stopTimes: "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,08:00:00,08:00:00,A,1\nT,08:10:00,08:10:00,B,2\n",
            extra: ["shapes.txt": shapes])
        let geometry = ShapeGeometry(feed: feed)
        let scratch = ProjectionScratch()
        var checked = 0, differing: [String] = []
        for round in 0..<400 {
            // Stops on the same grid (some without a position), projected in a random order.
            let count = Int.random(in: 1..<30, using: &rng)
            var lat = [Double](), lon = [Double]()
            for _ in 0..<count {
                let missing = Int.random(in: 0..<15, using: &rng) == 0
                lat.append(missing ? .nan : Double(54_680 + Int.random(in: -2..<24, using: &rng)) / 1000)
                lon.append(missing ? .nan : Double(25_270 + Int.random(in: -2..<24, using: &rng)) / 1000)
            }
            let stops = (0..<count).map { _ in Int32.random(in: -1..<Int32(count), using: &rng) }
            let shape = try #require(feed.code(of: "SH\(round % shapeCount)", in: .shape))
            guard geometry.points(ofShape: shape).count >= 2 else { continue }
            let snap = [0.0, 30, 50, 150][round % 4]
            let fast = ShapeDistances.project(stops: stops, lat: lat, lon: lon, geometry: geometry, shape: shape,
                                              snap: snap, scratch: scratch)
            let slow = referenceProject(stops: stops, lat: lat, lon: lon, geometry: geometry, shape: shape, snap: snap)
            if !same(fast, slow) { differing.append("round \(round)") }
            checked += 1
        }
        #expect(checked > 300)
        #expect(differing.isEmpty, "rounds differing from the reference: \(differing.prefix(5))")
    }
}
