#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public import GTFS
import TransitSupport

/// The polylines of `shapes.txt`, grouped by shape code and ordered by `shape_pt_sequence`,
/// with the cumulative length of each point in metres.
public struct ShapeGeometry: Sendable {
    /// Per shape code, where its points start; `shapeCount + 1` entries.
    public let offsets: [Int32]
    /// Point latitudes in degrees.
    public let lat: [Double]
    /// Point longitudes in degrees.
    public let lon: [Double]
    /// Great-circle length in metres from the shape's first point to each point.
    public let metres: [Double]
    /// `shapes.shape_dist_traveled` of each point in the feed's unit (NaN where empty).
    public let feedDistance: [Double]

    /// Reads the shapes of `feed`; points without a valid position are left out.
    /// - Complexity: O(n log k) for n points and at most k points per shape.
    public init(feed: Feed) {
        let s = feed.shapes
        let shapeCount = feed.ids(.shape).count
        let n = s.count
        let points: Points
        if let counts = Self.countsInFileOrder(s, shapeCount: shapeCount) {
            // Usually the file lists each shape's points together, shapes in code order and
            // points in sequence order, all valid: then the file's order is the polylines'
            // order and its columns are used as they are.
            points = Points(offsets: counts, lat: s.lat, lon: s.lon,
                            feedDistance: s.distTraveled ?? [Double](repeating: .nan, count: n))
        } else {
            points = Self.sortedPoints(s, shapeCount: shapeCount)
        }
        self.offsets = points.offsets
        self.lat = points.lat
        self.lon = points.lon
        self.metres = Self.cumulativeMetres(points, shapeCount: shapeCount)
        self.feedDistance = points.feedDistance
    }

    /// The number of shape codes (including shapes without points).
    public var shapeCount: Int { offsets.count - 1 }

    /// The point indices of shape code `shape` (empty for an unknown code).
    /// - Complexity: O(1).
    public func points(ofShape shape: Int32) -> Range<Int> {
        guard shape >= 0, Int(shape) < shapeCount else { return 0..<0 }
        return Int(offsets[Int(shape)])..<Int(offsets[Int(shape) + 1])
    }

    /// The length of shape code `shape` in metres (0 for an unknown or empty shape).
    /// - Complexity: O(1).
    public func length(ofShape shape: Int32) -> Double {
        let p = points(ofShape: shape)
        return p.isEmpty ? 0 : metres[p.upperBound - 1]
    }
}

extension ShapeGeometry {
    /// The valid points of every shape, shape by shape, each shape's in sequence order.
    struct Points {
        /// Per shape code, where its points start; `shapeCount + 1` entries.
        var offsets: [Int32]
        var lat: [Double]
        var lon: [Double]
        var feedDistance: [Double]
    }

    /// The shapes' offsets when `shapes.txt` already lists every point valid, each shape's
    /// points together, shapes in code order and points in sequence order; `nil` otherwise.
    /// - Complexity: O(points).
    static func countsInFileOrder(_ s: Shapes, shapeCount: Int) -> [Int32]? {
        let n = s.count
        var counts = [Int32](repeating: 0, count: shapeCount + 1)
        guard s.id.count == n && s.lat.count == n && s.lon.count == n && s.sequence.count == n
            && (s.distTraveled?.count ?? n) == n else { return nil }
        let inFileOrder = s.id.withUnsafeBufferPointer { id in
            s.lat.withUnsafeBufferPointer { la in
                s.lon.withUnsafeBufferPointer { lo in
                    s.sequence.withUnsafeBufferPointer { sq in
                        counts.withUnsafeMutableBufferPointer { k in
                            var previous: Int32 = -1, previousSequence = Int32.min
                            for r in 0..<n {
                                let c = id[r]
                                guard c >= 0, c >= previous, Int(c) < shapeCount, Geo.isValid(lat: la[r], lon: lo[r]) else { return false }
                                if c == previous && sq[r] < previousSequence { return false }
                                previous = c; previousSequence = sq[r]
                                k[Int(c) + 1] += 1
                            }
                            return true
                        }
                    }
                }
            }
        }
        guard inFileOrder else { return nil }
        for i in 0..<shapeCount { counts[i + 1] += counts[i] }
        return counts
    }

    /// The valid points of `s` grouped by shape code and stably sorted by sequence within
    /// each shape.
    /// - Complexity: O(n log k) for n points and at most k points per shape.
    static func sortedPoints(_ s: Shapes, shapeCount: Int) -> Points {
        let (counts, rows) = s.rowsBySequence(shapeCount: shapeCount) { Geo.isValid(lat: s.lat[$0], lon: s.lon[$0]) }
        let feedDist = s.distTraveled
        var la = [Double](), lo = [Double](), d = [Double]()
        la.reserveCapacity(rows.count); lo.reserveCapacity(rows.count); d.reserveCapacity(rows.count)
        for r in rows {
            la.append(s.lat[Int(r)]); lo.append(s.lon[Int(r)])
            d.append(feedDist?[Int(r)] ?? .nan)
        }
        return Points(offsets: counts, lat: la, lon: lo, feedDistance: d)
    }

    /// Cumulative great-circle lengths of `points`, shape by shape; shapes are independent, so
    /// two threads share them when there are enough points to pay for a thread.
    /// - Complexity: O(points).
    static func cumulativeMetres(_ points: Points, shapeCount: Int) -> [Double] {
        let total = points.lat.count
        let slots = SharedSlots<Double>(count: total, initial: 0)
        let threads = total >= 20_000 ? min(2, processorCount()) : 1
        let counts = points.offsets
        var split = shapeCount
        if threads > 1 {
            for c in 0..<shapeCount where Int(counts[c + 1]) * 2 >= total { split = c + 1; break }
        }
        let bounds = counts, latitudes = points.lat, longitudes = points.lon, half = split
        runOnThreads(threads) { part in
            let shapes = threads == 1 ? 0..<shapeCount : (part == 0 ? 0..<half : half..<shapeCount)
            latitudes.withUnsafeBufferPointer { la in
                longitudes.withUnsafeBufferPointer { lo in
                    for c in shapes {
                        let a = Int(bounds[c]), b = Int(bounds[c + 1])
                        guard a < b else { continue }
                        var sum = 0.0
                        // Geo.haversine with each point's latitude in radians and its cosine
                        // computed once (the same operations, so the same values).
                        var p1 = la[a] * .pi / 180
                        var c1 = cos(p1)
                        for i in (a + 1)..<b {
                            let p2 = la[i] * .pi / 180
                            let c2 = cos(p2)
                            let dp = p2 - p1, dl = (lo[i] - lo[i - 1]) * .pi / 180
                            let s1 = sin(dp / 2), s2 = sin(dl / 2)
                            let h = s1 * s1 + c1 * c2 * s2 * s2
                            sum += 2 * Geo.earthRadius * asin(min(1, sqrt(h)))
                            slots[i] = sum
                            p1 = p2; c1 = c2
                        }
                    }
                }
            }
        }
        return slots.array
    }
}
