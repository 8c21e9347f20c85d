// Maps: route lines drawn from shapes, projected, simplified, with a scale bar.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A geographic position in degrees (WGS 84).
public struct GeoPoint: Sendable, Hashable {
    /// Latitude, degrees north.
    public var lat: Double
    /// Longitude, degrees east.
    public var lon: Double

    /// A position.
    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }

    /// True for a finite position on Earth that is not (0, 0), the usual placeholder of a
    /// missing coordinate.
    public var isUsable: Bool {
        lat.isFinite && lon.isFinite && abs(lat) <= 90 && abs(lon) <= 180 && !(lat == 0 && lon == 0)
    }
}

/// Projects positions of one city onto a drawing: an equirectangular projection with the
/// x axis shrunk by the cosine of the middle latitude, which keeps shapes and distances true
/// to well under 1 % across a city (tens of kilometres), fitted to a rectangle with the same
/// scale on both axes.
public struct MapProjection: Sendable, Hashable {
    /// Metres per degree of latitude (mean Earth radius 6,371,008.8 m × π / 180).
    public static let metresPerDegree = 6_371_008.8 * Double.pi / 180

    let lat0: Double, lon0: Double
    let cosLat: Double
    /// Pixels per metre on the ground.
    public let pixelsPerMetre: Double
    let originX: Double, originY: Double

    /// The projection that fits `points` into the rectangle from (`minX`, `minY`) to
    /// (`maxX`, `maxY`), centred. Unusable points are ignored; with none, or with one, the
    /// drawing shows 1 km around the middle.
    public init(fitting points: some Sequence<GeoPoint>, minX: Double, minY: Double, maxX: Double, maxY: Double) {
        var la0 = Double.infinity, la1 = -Double.infinity, lo0 = Double.infinity, lo1 = -Double.infinity
        for p in points where p.isUsable {
            la0 = min(la0, p.lat); la1 = max(la1, p.lat)
            lo0 = min(lo0, p.lon); lo1 = max(lo1, p.lon)
        }
        if !la0.isFinite { la0 = 0; la1 = 0; lo0 = 0; lo1 = 0 }
        let midLat = (la0 + la1) / 2
        cosLat = max(0.01, cos(midLat * Double.pi / 180))
        lat0 = midLat
        lon0 = (lo0 + lo1) / 2
        let widthM = max(1000, (lo1 - lo0) * cosLat * Self.metresPerDegree)
        let heightM = max(1000, (la1 - la0) * Self.metresPerDegree)
        let w = max(1, maxX - minX), h = max(1, maxY - minY)
        pixelsPerMetre = min(w / widthM, h / heightM)
        originX = (minX + maxX) / 2
        originY = (minY + maxY) / 2
    }

    /// The drawing position of `p`.
    public func callAsFunction(_ p: GeoPoint) -> Point {
        let east = (p.lon - lon0) * cosLat * Self.metresPerDegree
        let north = (p.lat - lat0) * Self.metresPerDegree
        return Point(originX + east * pixelsPerMetre, originY - north * pixelsPerMetre)
    }
}

/// Line simplification.
public enum Simplify {
    /// The Douglas–Peucker simplification of `points`: keeps the ends and every point farther
    /// than `tolerance` (in the points' units, here pixels) from the line the kept points
    /// make. Iterative (no recursion depth to overflow on long shapes).
    ///
    /// - Complexity: O(n log n) typical, O(n²) worst case, for n points.
    public static func douglasPeucker(_ points: [Point], tolerance: Double) -> [Point] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        let t2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var worst = -1.0, index = a
            for i in (a + 1)..<b {
                let d = distanceSquared(points[i], points[a], points[b])
                if d > worst { worst = d; index = i }
            }
            if worst > t2 {
                keep[index] = true
                stack.append((a, index))
                stack.append((index, b))
            }
        }
        var out: [Point] = []
        for (i, p) in points.enumerated() where keep[i] { out.append(p) }
        return out
    }

    /// The squared distance from `p` to the segment from `a` to `b`.
    static func distanceSquared(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
        t = max(0, min(1, t))
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return ex * ex + ey * ey
    }
}

/// One line on a ``MapChart``: a route's shape.
public struct MapLine: Sendable {
    /// The positions along the line.
    public var points: [GeoPoint]
    /// Its colour.
    public var color: String
    /// Its width in pixels.
    public var width: Double
    /// The tooltip (route name and figures).
    public var tooltip: String

    /// A line.
    public init(points: [GeoPoint], color: String, width: Double, tooltip: String) {
        self.points = points
        self.color = color
        self.width = width
        self.tooltip = tooltip
    }
}

/// A network map: lines drawn from shapes, projected with ``MapProjection``, simplified with
/// Douglas–Peucker at ``tolerance`` pixels, with a scale bar and a legend.
public struct MapChart: Sendable {
    /// The figure's title.
    public var title: String
    /// The lines, drawn in order (draw the widest first so thin lines stay visible).
    public var lines: [MapLine]
    /// Legend entries (e.g. the colour classes of headway change).
    public var legend: [SeriesStyle]
    /// A note under the legend (e.g. "width: trips per hour").
    public var note: String?
    /// The simplification tolerance, pixels.
    public var tolerance: Double
    /// The figure's width and height in pixels.
    public var width: Double, height: Double

    /// A map (see the properties).
    public init(title: String, lines: [MapLine], legend: [SeriesStyle] = [], note: String? = nil, tolerance: Double = 0.75,
                width: Double = 760, height: Double = 560) {
        self.title = title
        self.lines = lines
        self.legend = legend
        self.note = note
        self.tolerance = tolerance
        self.width = width
        self.height = height
    }

    /// The chart as an `<svg>` element.
    public func rendered() -> String {
        var svg = SVG(width: width, height: height, title: title)
        let legendRows = Double(Legend.rows(legend, x: 12, maxX: width - 12))
        let top = 34 + legendRows * Legend.height + (note == nil ? 0 : 16) + (legendRows > 0 ? 4 : 0)
        let frame = Frame(width: width, height: height, top: top, right: 12, bottom: 40, left: 12)
        Axes.title(&svg, title, frame: frame)
        if !legend.isEmpty {
            let y = Legend.draw(&svg, legend, x: frame.minX, y: 38, maxX: frame.maxX)
            if let note { svg.text(note, at: Point(frame.minX, y + 16), size: 11, fill: "#5a5a5a") }
        }
        let usable = lines.map { $0.points.filter(\.isUsable) }
        guard usable.contains(where: { !$0.isEmpty }) else {
            Axes.empty(&svg, "no shapes or stops with coordinates", frame: frame)
            return svg.rendered()
        }
        let projection = MapProjection(fitting: usable.joined(), minX: frame.minX + 6, minY: frame.minY + 6,
                                       maxX: frame.maxX - 6, maxY: frame.maxY - 6)
        svg.rect(x: frame.minX, y: frame.minY, width: frame.maxX - frame.minX, height: frame.maxY - frame.minY, fill: "#fbfbf8", stroke: Palette.grid)
        svg.beginGroup(class: "routes")
        for (line, points) in zip(lines, usable) where !points.isEmpty {
            let projected = Simplify.douglasPeucker(points.map { projection($0) }, tolerance: tolerance)
            if projected.count == 1, let p = projected.first {
                svg.circle(p, radius: max(2, line.width), fill: line.color, tooltip: line.tooltip)
            } else {
                svg.polyline(projected, stroke: line.color, width: line.width, opacity: 0.9, tooltip: line.tooltip)
            }
        }
        svg.endGroup()
        scaleBar(&svg, projection: projection, frame: frame)
        return svg.rendered()
    }

    /// The largest length of 1, 2 or 5 × 10^k metres not above `target` (at least 1 m).
    static func roundLength(_ target: Double) -> Double {
        guard target.isFinite, target >= 1 else { return 1 }
        var power = 1.0
        while power * 10 <= target { power *= 10 }
        let f = target / power
        return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * power
    }

    /// A scale bar of a round length (1, 2 or 5 × 10^k metres) about a fifth of the width.
    func scaleBar(_ svg: inout SVG, projection: MapProjection, frame: Frame) {
        let metres = Self.roundLength((frame.maxX - frame.minX) / 5 / projection.pixelsPerMetre)
        let px = metres * projection.pixelsPerMetre
        let x0 = frame.minX + 10, y0 = frame.maxY + 20
        svg.beginGroup(class: "scale")
        svg.line(Point(x0, y0), Point(x0 + px, y0), stroke: "#1b1b1b", width: 2)
        svg.line(Point(x0, y0 - 5), Point(x0, y0 + 1), stroke: "#1b1b1b", width: 1.5)
        svg.line(Point(x0 + px, y0 - 5), Point(x0 + px, y0 + 1), stroke: "#1b1b1b", width: 1.5)
        let label = metres >= 1000 ? Format.number(metres / 1000, places: 1) + " km" : Format.number(metres, places: 0) + " m"
        svg.text(label, at: Point(x0 + px + 8, y0 + 4), size: 11)
        svg.endGroup()
    }
}
