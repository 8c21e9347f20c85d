#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the distances of a trip's stops were obtained.
public enum DistanceMethod: String, Sendable, CaseIterable {
    /// From `stop_times.shape_dist_traveled`, converted to metres with the unit detected for
    /// the trip's shape (``DistanceUnit``).
    case shapeDistTraveled
    /// By projecting the stops, in order, onto the trip's shape polyline.
    case shapeProjection
    /// Great-circle distances between consecutive stops (no usable shape).
    case greatCircle
}

/// A unit `shape_dist_traveled` may be written in.
public enum DistanceUnit: String, Sendable, CaseIterable {
    /// Metres.
    case metres
    /// Kilometres.
    case kilometres
    /// International miles (1,609.344 m).
    case miles
    /// International feet (0.3048 m).
    case feet

    /// Metres per unit.
    public var metres: Double {
        switch self {
        case .metres: 1
        case .kilometres: 1000
        case .miles: 1609.344
        case .feet: 0.3048
        }
    }

    /// The unit whose size best explains `feedSpan` (in the feed's unit) covering
    /// `metresSpan` metres of geometry: the candidate nearest on a log scale, if within a
    /// factor `tolerance` of it.
    /// - Complexity: O(1).
    public static func detect(feedSpan: Double, metresSpan: Double, tolerance: Double = 1.5) -> DistanceUnit? {
        guard feedSpan > 0, metresSpan > 0, feedSpan.isFinite, metresSpan.isFinite else { return nil }
        let perUnit = metresSpan / feedSpan
        var best: DistanceUnit?
        var bestError = Double.infinity
        for u in allCases {
            let e = abs(log(perUnit / u.metres))
            if e < bestError { bestError = e; best = u }
        }
        return bestError <= log(tolerance) ? best : nil
    }
}
