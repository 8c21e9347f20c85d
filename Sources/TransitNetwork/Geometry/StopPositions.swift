public import GTFS

/// Each stop code's position, with the parent station's position where the stop has none, and
/// its parent station (-1 for none). Shared by the graph, the direction inference, the
/// distances along shapes and the reports' maps and stringlines.
/// - Complexity: O(stops) to build.
public struct StopPositions: Sendable {
    /// Latitude per stop code, NaN when neither the stop nor its parent has a valid position.
    public var lat: [Double]
    /// Longitude per stop code, NaN likewise.
    public var lon: [Double]
    /// The parent station's code per stop code, -1 for none.
    public var parent: [Int32]

    /// The positions of `feed`'s stops (valid ones only, see ``Geo/isValid(lat:lon:)``).
    public init(feed: Feed) {
        let n = feed.ids(.stop).count
        var lat = [Double](repeating: .nan, count: n), lon = lat
        var parent = [Int32](repeating: -1, count: n)
        let s = feed.stops
        for r in 0..<s.count {
            let c = s.id[r]
            guard c >= 0, Int(c) < n else { continue }
            if Geo.isValid(lat: s.lat[r], lon: s.lon[r]) { lat[Int(c)] = s.lat[r]; lon[Int(c)] = s.lon[r] }
            let p = s.parentStation[r]
            if p >= 0, Int(p) < n, p != c { parent[Int(c)] = p }
        }
        for c in 0..<n where lat[c].isNaN && parent[c] >= 0 {
            lat[c] = lat[Int(parent[c])]; lon[c] = lon[Int(parent[c])]
        }
        self.lat = lat
        self.lon = lon
        self.parent = parent
    }
}
