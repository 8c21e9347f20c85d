/// Buffers reused by successive projections on one thread, each padded by three elements so
/// that a shape's segments can be read and written four at a time.
final class ProjectionScratch {
    private(set) var capacity = 0
    /// Projected point coordinates.
    private(set) var x = ProjectionScratch.allocate(1)
    private(set) var y = ProjectionScratch.allocate(1)
    /// Segment vectors and squared lengths.
    private(set) var dx = ProjectionScratch.allocate(1)
    private(set) var dy = ProjectionScratch.allocate(1)
    private(set) var len2 = ProjectionScratch.allocate(1)
    /// Per segment, the distance from the current stop (`d[-1]` is infinite) and the
    /// fraction along it.
    private(set) var d = ProjectionScratch.allocate(1, infiniteBefore: true)
    private(set) var t = ProjectionScratch.allocate(1)
    /// One bit per segment (see `ShapeDistances.project`), 64 to a word.
    private(set) var member = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    init() {
        capacity = 1
        member.initialize(repeating: 0, count: 1)
    }

    private var all: [UnsafeMutablePointer<Double>] { [x, y, dx, dy, len2, t] }

    /// `count` elements plus the padding, all zero; with `infiniteBefore`, one more element
    /// before the first, infinite.
    private static func allocate(_ count: Int, infiniteBefore: Bool = false) -> UnsafeMutablePointer<Double> {
        let before = infiniteBefore ? 1 : 0
        let p = UnsafeMutablePointer<Double>.allocate(capacity: count + 3 + before)
        p.initialize(repeating: 0, count: count + 3 + before)
        if infiniteBefore { p[0] = .infinity }
        return p + before
    }

    /// Makes room for a shape of `points` points.
    func reserve(points: Int) {
        guard points > capacity else { return }
        for p in all { p.deallocate() }
        (d - 1).deallocate()
        member.deallocate()
        capacity = max(points, capacity * 2)
        x = Self.allocate(capacity); y = Self.allocate(capacity)
        dx = Self.allocate(capacity); dy = Self.allocate(capacity); len2 = Self.allocate(capacity)
        d = Self.allocate(capacity, infiniteBefore: true); t = Self.allocate(capacity)
        let words = (capacity + 63) / 64 + 1
        member = .allocate(capacity: words)
        member.initialize(repeating: 0, count: words)
    }

    /// Four values from `p + i` (any alignment).
    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Writes four values at `p + i` (any alignment).
    @inline(__always)
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    deinit {
        for p in all { p.deallocate() }
        (d - 1).deallocate()
        member.deallocate()
    }
}
