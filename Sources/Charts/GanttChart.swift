// Gantt charts: vehicle blocks over the day, and spans of service per route.

/// One bar of a ``GanttChart`` row.
public struct GanttSegment: Sendable, Hashable {
    /// Start, seconds since service-day midnight.
    public var start: Int
    /// End, seconds since service-day midnight.
    public var end: Int
    /// Index into the chart's ``GanttChart/kinds`` (its colour and legend name).
    public var kind: Int
    /// The tooltip.
    public var tooltip: String

    /// A segment.
    public init(start: Int, end: Int, kind: Int, tooltip: String) {
        self.start = start
        self.end = end
        self.kind = kind
        self.tooltip = tooltip
    }
}

/// Rows of time segments against a clock axis: one row per vehicle block (trips, layovers,
/// deadheads) or per route (its span of service).
public struct GanttChart: Sendable {
    /// The figure's title.
    public var title: String
    /// The rows, top to bottom: a label and its segments.
    public var rows: [(label: String, segments: [GanttSegment])]
    /// The kinds of segment, by index: name and colour for the legend.
    public var kinds: [SeriesStyle]
    /// The x axis title.
    public var xTitle: String
    /// The figure's width in pixels (the height follows from the rows).
    public var width: Double
    /// The height of one row in pixels.
    public var rowHeight: Double

    /// A Gantt chart (see the properties).
    public init(title: String, rows: [(label: String, segments: [GanttSegment])], kinds: [SeriesStyle],
                xTitle: String = "time of day (service day, HH:MM)", width: Double = 960, rowHeight: Double = 14) {
        self.title = title
        self.rows = rows
        self.kinds = kinds
        self.xTitle = xTitle
        self.width = width
        self.rowHeight = max(4, rowHeight)
    }

    /// The chart as an `<svg>` element.
    public func rendered() -> String {
        let labelWidth = min(180, 24 + 6.5 * Double(rows.map(\.label.count).max() ?? 4))
        // A legend that wraps pushes the rows down by a line per extra legend row.
        let top = 52 + Legend.height * Double(max(0, Legend.rows(kinds, x: labelWidth, maxX: width - 16) - 1))
        let height = top + 48 + rowHeight * Double(max(1, rows.count))
        let frame = Frame(width: width, height: height, top: top, left: labelWidth)
        var svg = SVG(width: width, height: height, title: title)
        Axes.title(&svg, title, frame: frame)
        Legend.draw(&svg, kinds, x: frame.minX, y: 38, maxX: frame.maxX)
        let times = rows.flatMap { $0.segments.flatMap { [Double($0.start), Double($0.end)] } }
        guard let lo = times.min(), let hi = times.max() else {
            Axes.empty(&svg, "no data", frame: frame)
            return svg.rendered()
        }
        let x = LinearScale(domain: lo...max(hi, lo + 1), range: (frame.minX, frame.maxX))
        Axes.bottom(&svg, scale: x, ticks: Ticks.clock(x.domain, count: max(2, Int((frame.maxX - frame.minX) / 70))),
                    style: .clock, title: xTitle, frame: frame)
        svg.beginGroup(class: "rows")
        for (r, row) in rows.enumerated() {
            let top = frame.minY + rowHeight * Double(r)
            svg.text(row.label, at: Point(frame.minX - 6, top + rowHeight * 0.78), anchor: "end", size: min(11, rowHeight * 0.85))
            for seg in row.segments {
                let color = seg.kind >= 0 && seg.kind < kinds.count ? kinds[seg.kind].color : Palette.axis
                let w = max(0.8, x(Double(seg.end)) - x(Double(seg.start)))
                svg.rect(x: x(Double(seg.start)), y: top + 1, width: w, height: rowHeight - 2, fill: color, tooltip: seg.tooltip)
            }
        }
        svg.endGroup()
        return svg.rendered()
    }
}
