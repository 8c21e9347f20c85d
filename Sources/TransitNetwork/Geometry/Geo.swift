#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Geodesy helpers on a spherical Earth.
///
/// Distances are great-circle (haversine) metres on a sphere of radius ``earthRadius``
/// (the IUGG mean radius, 6,371,008.8 m); over a city the error against the ellipsoid is
/// below 0.5 %. Point-to-segment distances use a local equirectangular projection
/// (``LocalProjection``), exact enough within a few tens of kilometres.
public enum Geo {
    /// The mean Earth radius in metres (IUGG R1).
    public static let earthRadius = 6_371_008.8

    /// Degrees to radians.
    @inline(__always)
    static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }

    /// The great-circle distance in metres between two points given in degrees.
    /// Returns NaN when any coordinate is NaN.
    /// - Complexity: O(1).
    public static func haversine(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
        let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
        let s1 = sin(dp / 2), s2 = sin(dl / 2)
        let a = s1 * s1 + cos(p1) * cos(p2) * s2 * s2
        return 2 * earthRadius * asin(min(1, sqrt(a)))
    }

    /// Whether a latitude/longitude pair is a usable position: finite, in range, and not the
    /// `(0, 0)` placeholder some feeds write for "unknown".
    public static func isValid(lat: Double, lon: Double) -> Bool {
        lat.isFinite && lon.isFinite && abs(lat) <= 90 && abs(lon) <= 180 && !(lat == 0 && lon == 0)
    }
}

/// A local equirectangular projection around a reference latitude: `x` east and `y` north,
/// in metres. Accurate to well under 1 % within ~50 km of the reference.
public struct LocalProjection: Sendable {
    /// The reference latitude in degrees.
    public let referenceLatitude: Double
    /// Metres per degree of latitude.
    let metresPerDegreeLat: Double
    /// Metres per degree of longitude at the reference latitude.
    let metresPerDegreeLon: Double

    /// Creates a projection centred on latitude `lat` (degrees).
    public init(referenceLatitude lat: Double) {
        referenceLatitude = lat
        metresPerDegreeLat = Geo.earthRadius * .pi / 180
        metresPerDegreeLon = metresPerDegreeLat * cos(Geo.radians(lat.isFinite ? lat : 0))
    }

    /// Projects a point (degrees) to metres east (`x`) and north (`y`).
    /// - Complexity: O(1).
    @inline(__always)
    public func project(lat: Double, lon: Double) -> (x: Double, y: Double) {
        (lon * metresPerDegreeLon, lat * metresPerDegreeLat)
    }

    /// The closest point of segment `a`–`b` to `p` (all projected, metres): the fraction `t`
    /// along the segment (0…1) and the distance in metres.
    /// - Complexity: O(1).
    @inline(__always)
    public static func closest(p: (x: Double, y: Double), a: (x: Double, y: Double),
                               b: (x: Double, y: Double)) -> (t: Double, distance: Double) {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = 0.0
        if len2 > 0 { t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) }
        let cx = a.x + t * dx - p.x, cy = a.y + t * dy - p.y
        return (t, (cx * cx + cy * cy).squareRoot())
    }
}
