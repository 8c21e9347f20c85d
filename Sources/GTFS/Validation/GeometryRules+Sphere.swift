// GeometryRules+Sphere.swift: distances, bearings and projections on the canonical validator's
// sphere, for the geometric rules.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Sphere

/// Distances and projections on the canonical validator's spherical Earth.
enum Sphere {
    /// S2Earth's mean radius, in metres.
    static let radius = 6_371_010.0
    /// Metres per degree of latitude on that sphere.
    static let metresPerDegree = radius * Double.pi / 180
    /// Consecutive shape points with equal `shape_dist_traveled` further apart than this (metres)
    /// are an error; closer, a warning (ShapeIncreasingDistanceValidator).
    static let equalDistanceThreshold = 1.11

    /// A point on the unit sphere.
    struct Vector {
        var x: Double, y: Double, z: Double

        init(x: Double, y: Double, z: Double) { self.x = x; self.y = y; self.z = z }

        init(lat: Double, lon: Double) {
            let phi = lat * Double.pi / 180, lambda = lon * Double.pi / 180
            let c = cos(phi)
            self.init(x: c * cos(lambda), y: c * sin(lambda), z: sin(phi))
        }

        static func + (a: Vector, b: Vector) -> Vector { Vector(x: a.x + b.x, y: a.y + b.y, z: a.z + b.z) }
        static func - (a: Vector, b: Vector) -> Vector { Vector(x: a.x - b.x, y: a.y - b.y, z: a.z - b.z) }
        static func * (a: Vector, k: Double) -> Vector { Vector(x: a.x * k, y: a.y * k, z: a.z * k) }
        func dot(_ b: Vector) -> Double { x * b.x + y * b.y + z * b.z }
        func cross(_ b: Vector) -> Vector { Vector(x: y * b.z - z * b.y, y: z * b.x - x * b.z, z: x * b.y - y * b.x) }
        var norm: Double { sqrt(dot(self)) }
        var normalized: Vector {
            let n = norm
            return n > 0 ? self * (1 / n) : self
        }
    }

    /// Unit vectors of a run of nearby positions (a shape's points), with the sines and cosines
    /// of each from the previous one's by the angle-sum formulas (short Taylor series for the
    /// small steps, exact to double precision below a milliradian), recomputed directly after a
    /// long step or every 64 points so rounding never builds up.
    struct IncrementalTrig {
        private var phi = Double.nan, lambda = Double.nan
        private var sinPhi = 0.0, cosPhi = 1.0, sinLambda = 0.0, cosLambda = 1.0
        private var steps = 0

        /// Whether the sine and cosine of `d` follow from short series (|d| below 1e-3 radians).
        private static func small(_ d: Double) -> Bool { abs(d) < 1e-3 }
        private static func sinSmall(_ d: Double) -> Double { let d2 = d * d; return d * (1 - d2 / 6 * (1 - d2 / 20)) }
        private static func cosSmall(_ d: Double) -> Double { let d2 = d * d; return 1 - d2 / 2 * (1 - d2 / 12 * (1 - d2 / 30)) }

        mutating func vector(lat: Double, lon: Double) -> Vector {
            let p = lat * Double.pi / 180, l = lon * Double.pi / 180
            let dp = p - phi, dl = l - lambda
            if steps < 64 && Self.small(dp) && Self.small(dl) {
                let sp = Self.sinSmall(dp), cp = Self.cosSmall(dp), sl = Self.sinSmall(dl), cl = Self.cosSmall(dl)
                (sinPhi, cosPhi) = (sinPhi * cp + cosPhi * sp, cosPhi * cp - sinPhi * sp)
                (sinLambda, cosLambda) = (sinLambda * cl + cosLambda * sl, cosLambda * cl - sinLambda * sl)
                steps += 1
            } else {
                sinPhi = sin(p); cosPhi = cos(p); sinLambda = sin(l); cosLambda = cos(l)
                steps = 0
            }
            phi = p
            lambda = l
            return Vector(x: cosPhi * cosLambda, y: cosPhi * sinLambda, z: sinPhi)
        }
    }

    /// The angle between two unit vectors, in radians.
    static func angle(_ a: Vector, _ b: Vector) -> Double { atan2(a.cross(b).norm, a.dot(b)) }

    /// The great-circle distance in metres between two unit vectors.
    static func distance(_ a: Vector, _ b: Vector) -> Double { angle(a, b) * radius }

    /// The same distance from the chord between the two points (one square root and one arc
    /// sine: cheaper, and as accurate for the short hops between shape points).
    static func chordDistance(_ a: Vector, _ b: Vector) -> Double {
        let d = a - b
        return 2 * asin(min(1, 0.5 * d.norm)) * radius
    }

    /// The great-circle distance in metres between two positions in degrees (haversine).
    static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * Double.pi / 180, p2 = lat2 * Double.pi / 180
        let dLat = sin(0.5 * (p2 - p1)), dLon = sin(0.5 * (lon2 - lon1) * Double.pi / 180)
        let h = dLat * dLat + dLon * dLon * cos(p1) * cos(p2)
        return 2 * asin(sqrt(min(1, h))) * radius
    }

    /// The normal of the great circle through `a` and `b`, computed as `(b + a) × (b − a)` (twice
    /// `a × b`, but accurate for points very close together).
    static func normal(_ a: Vector, _ b: Vector) -> Vector { (b + a).cross(b - a) }

    /// The point of the arc from `a` to `b` closest to `x`, given the arc's `normal` and its
    /// squared length `normSquared` (0 for a degenerate arc, whose closest point is `a`).
    static func closestPoint(_ x: Vector, _ a: Vector, _ b: Vector, normal n: Vector, normSquared: Double) -> Vector {
        guard normSquared > 0 else { return a }
        // The foot of x on the great circle; on the arc when it lies between a and b.
        let p = x - n * (x.dot(n) / normSquared)
        if p.cross(n).dot(a) > 0 && n.cross(p).dot(b) > 0 { return p.normalized }
        return (x - a).dot(x - a) <= (x - b).dot(x - b) ? a : b
    }

    /// The point a `fraction` of the way along the arc from `a` to `b`.
    static func interpolate(_ a: Vector, _ b: Vector, fraction: Double) -> Vector {
        let theta = angle(a, b)
        guard theta > 1e-15 else { return a }
        let s = sin(theta)
        return (a * (sin((1 - fraction) * theta) / s) + b * (sin(fraction * theta) / s)).normalized
    }

    /// `v` with `digits` decimals (no exponent), or `v` as Swift prints it when not finite or huge.
    static func format(_ v: Double, digits: Int) -> String {
        guard v.isFinite, abs(v) < 1e12 else { return v.description }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let n = Int64((abs(v) * scale).rounded())
        let sign = v < 0 && n > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(n) }
        let whole = n / Int64(scale), part = String(n % Int64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: digits - part.count) + part
    }
}
