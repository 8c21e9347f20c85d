// Line charts: load profiles, vehicles over the day, stringline (Marey) diagrams.

/// One line of a ``LineChart``.
public struct LineSeries: Sendable {
    /// Name, colour and dash.
    public var style: SeriesStyle
    /// The points, in drawing order (x, y in data units).
    public var points: [(x: Double, y: Double)]
    /// Tooltip per point (same count as `points`), drawn as small markers; empty for none.
    public var pointTips: [String]
    /// The tooltip of the whole line.
    public var tooltip: String?
    /// Line width in pixels.
    public var width: Double
    /// Draw as steps (the value holds until the next x), for counts over time.
    public var step: Bool
    /// Show the series in the legend.
    public var inLegend: Bool

    /// A line.
    public init(style: SeriesStyle, points: [(x: Double, y: Double)], pointTips: [String] = [], tooltip: String? = nil,
                width: Double = 2, step: Bool = false, inLegend: Bool = true) {
        self.style = style
        self.points = points
        self.pointTips = pointTips
        self.tooltip = tooltip
        self.width = width
        self.step = step
        self.inLegend = inLegend
    }
}

/// A chart of lines over a numeric or clock x axis.
public struct LineChart: Sendable {
    /// The figure's title.
    public var title: String
    /// The lines.
    public var series: [LineSeries]
    /// The x axis title, with its unit.
    public var xTitle: String
    /// The y axis title, with its unit.
    public var yTitle: String
    /// How x ticks read.
    public var xStyle: TickStyle
    /// How y ticks read.
    public var yStyle: TickStyle
    /// Start the y axis at zero.
    public var yFromZero: Bool
    /// Labels for x positions instead of numeric ticks (e.g. stop names along a route), as
    /// (position, label) pairs; thinned to fit.
    public var xLabels: [(x: Double, label: String)]
    /// Legend entries for things other than the lines (e.g. a colour per direction).
    public var extraLegend: [SeriesStyle]
    /// The figure's width and height in pixels.
    public var width: Double, height: Double

    /// A line chart (see the properties).
    public init(title: String, series: [LineSeries], xTitle: String, yTitle: String, xStyle: TickStyle = .number(places: 1),
                yStyle: TickStyle = .number(places: 0), yFromZero: Bool = true, xLabels: [(x: Double, label: String)] = [],
                extraLegend: [SeriesStyle] = [], width: Double = 720, height: Double = 320) {
        self.title = title
        self.series = series
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.xStyle = xStyle
        self.yStyle = yStyle
        self.yFromZero = yFromZero
        self.xLabels = xLabels
        self.extraLegend = extraLegend
        self.width = width
        self.height = height
    }

    /// The chart as an `<svg>` element.
    public func rendered() -> String {
        let legend = series.filter(\.inLegend).map(\.style) + extraLegend
        let rotate = !xLabels.isEmpty
        let frame = Frame(width: width, height: height, top: legend.isEmpty ? 34 : 52, bottom: rotate ? 96 : 48)
        var svg = SVG(width: width, height: height, title: title)
        Axes.title(&svg, title, frame: frame)
        if !legend.isEmpty { Legend.draw(&svg, legend, x: frame.minX, y: 38, maxX: frame.maxX) }
        let xs = series.flatMap { $0.points.map(\.x) } + xLabels.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) }
        guard !ys.isEmpty else {
            Axes.empty(&svg, "no data", frame: frame)
            return svg.rendered()
        }
        let x: LinearScale
        let xTicks: [Double]
        switch xStyle {
        case .clock:
            let lo = xs.min() ?? 0, hi = xs.max() ?? 1
            let pad = lo == hi ? 1800.0 : 0
            x = LinearScale(domain: (lo - pad)...(hi + pad), range: (frame.minX, frame.maxX))
            xTicks = Ticks.clock(x.domain, count: max(2, Int((frame.maxX - frame.minX) / 70)))
        case .number:
            x = xLabels.isEmpty
                ? LinearScale.covering(xs, range: (frame.minX, frame.maxX))
                : LinearScale(domain: (xs.min() ?? 0)...(xs.max() ?? 1), range: (frame.minX, frame.maxX))
            xTicks = x.ticks()
        }
        let y = LinearScale.covering(ys, including: yFromZero ? 0 : nil, range: (frame.maxY, frame.minY))
        Axes.left(&svg, scale: y, ticks: y.ticks(), style: yStyle, title: yTitle, frame: frame)
        if xLabels.isEmpty {
            Axes.bottom(&svg, scale: x, ticks: xTicks, style: xStyle, title: xTitle, frame: frame)
        } else {
            svg.beginGroup(class: "axis x")
            svg.line(Point(frame.minX, frame.maxY), Point(frame.maxX, frame.maxY))
            let every = max(1, Int((Double(xLabels.count) * 13 / max(1, frame.maxX - frame.minX)).rounded(.up)))
            for (i, l) in xLabels.enumerated() where i % every == 0 {
                svg.line(Point(x(l.x), frame.maxY), Point(x(l.x), frame.maxY + 4))
                svg.text(l.label, at: Point(x(l.x) + 3, frame.maxY + 10), anchor: "end", size: 10, rotate: -45)
            }
            svg.text(xTitle, at: Point((frame.minX + frame.maxX) / 2, frame.height - 6), anchor: "middle", size: 12)
            svg.endGroup()
        }
        svg.beginGroup(class: "lines")
        for s in series {
            var pts: [Point] = []
            pts.reserveCapacity(s.points.count * (s.step ? 2 : 1))
            for (i, p) in s.points.enumerated() where p.x.isFinite && p.y.isFinite {
                if s.step, i > 0, let last = pts.last { pts.append(Point(x(p.x), last.y)) }
                pts.append(Point(x(p.x), y(p.y)))
            }
            if pts.count == 1, let only = pts.first {
                svg.circle(only, radius: 3, fill: s.style.color, tooltip: s.tooltip ?? s.style.name)
            }
            svg.polyline(pts, stroke: s.style.color, width: s.width, dash: s.style.dash, tooltip: s.tooltip ?? s.style.name)
            if s.pointTips.count == s.points.count {
                for (p, tip) in zip(s.points, s.pointTips) where p.x.isFinite && p.y.isFinite {
                    svg.circle(Point(x(p.x), y(p.y)), radius: 2.5, fill: s.style.color, tooltip: tip)
                }
            }
        }
        svg.endGroup()
        return svg.rendered()
    }
}
