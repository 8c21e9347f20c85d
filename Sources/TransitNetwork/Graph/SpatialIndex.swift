#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A uniform grid over points (latitude/longitude) for radius queries.
///
/// Points are projected with a ``LocalProjection`` around their mean latitude and bucketed in
/// square cells of side ``cellMetres``; a query of radius r ≤ cell size looks at the 3 × 3
/// cells around the query point (larger radii look at more cells) and checks each candidate
/// with the haversine distance. Points with no valid position are left out.
public struct SpatialIndex: Sendable {
    /// The side of a cell in metres.
    public let cellMetres: Double
    /// The projection used for bucketing.
    let projection: LocalProjection
    /// Point latitudes and longitudes (degrees), by point index.
    let lat: [Double]
    let lon: [Double]
    /// Sorted cell keys and, for each, the range of ``members`` it owns.
    let cellKeys: [Int64]
    let cellStarts: [Int32]
    /// Point indices grouped by cell.
    let members: [Int32]
    /// The largest factor by which the projection stretches east-west distances over the
    /// points (≥ 1; the reference latitude's cosine over the point's).
    let stretch: Double

    /// Builds the index over points `lat[i]`, `lon[i]`; a point is identified by its index.
    /// - Complexity: O(n log n).
    public init(lat: [Double], lon: [Double], cellMetres: Double) {
        self.cellMetres = max(1, cellMetres)
        self.lat = lat
        self.lon = lon
        var sum = 0.0, n = 0
        for i in lat.indices where Geo.isValid(lat: lat[i], lon: lon[i]) { sum += lat[i]; n += 1 }
        let reference = n > 0 ? sum / Double(n) : 0
        projection = LocalProjection(referenceLatitude: reference)
        var stretch = 1.0
        for i in lat.indices where Geo.isValid(lat: lat[i], lon: lon[i]) {
            let c = cos(Geo.radians(lat[i]))
            if c > 1e-6 { stretch = max(stretch, cos(Geo.radians(reference)) / c) }
        }
        self.stretch = min(stretch, 1000)
        var keyed: [(key: Int64, point: Int32)] = []
        keyed.reserveCapacity(n)
        for i in lat.indices where Geo.isValid(lat: lat[i], lon: lon[i]) {
            let c = SpatialIndex.cell(projection.project(lat: lat[i], lon: lon[i]), self.cellMetres)
            keyed.append((SpatialIndex.key(c.x, c.y), Int32(i)))
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.point < $1.point }
        var keys: [Int64] = [], starts: [Int32] = []
        for (i, k) in keyed.enumerated() where keys.last != k.key {
            keys.append(k.key); starts.append(Int32(i))
        }
        starts.append(Int32(keyed.count))
        cellKeys = keys
        cellStarts = starts
        members = keyed.map(\.point)
    }

    static func cell(_ p: (x: Double, y: Double), _ size: Double) -> (x: Int64, y: Int64) {
        (Int64((p.x / size).rounded(.down)), Int64((p.y / size).rounded(.down)))
    }

    static func key(_ x: Int64, _ y: Int64) -> Int64 { (x << 32) ^ (y & 0xFFFF_FFFF) }

    /// The cell's member range, by binary search over the sorted keys.
    func members(of key: Int64) -> Range<Int>? {
        var lo = 0, hi = cellKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cellKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        guard lo < cellKeys.count, cellKeys[lo] == key else { return nil }
        return Int(cellStarts[lo])..<Int(cellStarts[lo + 1])
    }

    /// The indices and distances (metres) of the points within `radius` metres of
    /// (`lat`, `lon`), in no particular order.
    /// - Complexity: O(k log c) for k points in the cells visited and c non-empty cells.
    public func within(_ radius: Double, lat qLat: Double, lon qLon: Double) -> [(point: Int32, metres: Double)] {
        guard Geo.isValid(lat: qLat, lon: qLon), radius >= 0 else { return [] }
        let c = SpatialIndex.cell(projection.project(lat: qLat, lon: qLon), cellMetres)
        // Projected distances may exceed true ones by the projection's stretch (plus a margin).
        let reach = Int64((radius * stretch * 1.01 / cellMetres).rounded(.up))
        var out: [(point: Int32, metres: Double)] = []
        for dx in -reach...reach {
            for dy in -reach...reach {
                guard let range = members(of: SpatialIndex.key(c.x + dx, c.y + dy)) else { continue }
                for m in range {
                    let p = Int(members[m])
                    let d = Geo.haversine(lat1: qLat, lon1: qLon, lat2: lat[p], lon2: lon[p])
                    if d <= radius { out.append((members[m], d)) }
                }
            }
        }
        return out
    }
}
