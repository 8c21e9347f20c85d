import GTFS

extension ShapeDistances {
    /// The unit of each shape's `shape_dist_traveled`: from `shapes.txt` where it has the
    /// column (a shape whose span matches no unit is reported in `issues`), else from the
    /// longest span of the shape's trips' `stop_times` values (`shapeDistTraveled`, `nil`
    /// when not used).
    /// - Complexity: O(shape points + trips).
    static func detectUnits(feed: Feed, geometry: ShapeGeometry, shapeDistTraveled sdt: [Double]?,
                            issues: inout [NetworkIssue]) -> [DistanceUnit?] {
        let shapeCount = geometry.shapeCount
        var units = [DistanceUnit?](repeating: nil, count: shapeCount)
        var unitDecided = [Bool](repeating: false, count: shapeCount)
        // Units per shape from shapes.txt.
        for c in 0..<shapeCount {
            let p = geometry.points(ofShape: Int32(c))
            var first = -1, last = -1
            for i in p where geometry.feedDistance[i].isFinite {
                if first < 0 { first = i }
                last = i
            }
            guard first >= 0, last > first else { continue }
            unitDecided[c] = true
            units[c] = DistanceUnit.detect(feedSpan: geometry.feedDistance[last] - geometry.feedDistance[first],
                                           metresSpan: geometry.metres[last] - geometry.metres[first])
            if units[c] == nil {
                issues.append(NetworkIssue(code: NetworkIssue.Code.unknownDistanceUnit,
                                           message: "shape_dist_traveled of shape '\(feed.ids(.shape)[c])' matches no unit against the geometry; distances are projected instead",
                                           shape: Int32(c)))
            }
        }
        // Units per shape from stop_times where shapes.txt lacks them.
        if let sdt {
            let trips = feed.trips
            let index = feed.stopTimeIndex
            var span = [Double](repeating: 0, count: shapeCount)
            for row in 0..<trips.count {
                let sh = trips.shape[row]
                guard sh >= 0, Int(sh) < shapeCount, !unitDecided[Int(sh)] else { continue }
                let rows = index.rows(ofTrip: trips.id[row])
                guard let a = rows.first, let b = rows.last else { continue }
                let v = sdt[Int(b)] - (sdt[Int(a)].isFinite ? sdt[Int(a)] : 0)
                if v.isFinite { span[Int(sh)] = max(span[Int(sh)], v) }
            }
            for c in 0..<shapeCount where !unitDecided[c] && span[c] > 0 {
                units[c] = DistanceUnit.detect(feedSpan: span[c], metresSpan: geometry.length(ofShape: Int32(c)))
            }
        }
        return units
    }
}
