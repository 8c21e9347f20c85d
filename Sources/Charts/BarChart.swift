// Bar charts: grouped or stacked, with optional limit marks per category.

/// A vertical bar chart over named categories (periods, days, reasons, distance bins).
///
/// Each series gives one value per category. Grouped bars stand side by side; stacked bars
/// pile up (negative values are drawn as zero). A limit per category (a fleet size) is drawn
/// as a dashed line across its group.
public struct BarChart: Sendable {
    /// The figure's title.
    public var title: String
    /// The category names along the x axis.
    public var categories: [String]
    /// The series, each with one value per category (missing values count as zero).
    public var series: [(style: SeriesStyle, values: [Double])]
    /// Stack the series instead of grouping them.
    public var stacked: Bool
    /// A limit per category (`nil`: none), drawn as a dashed line.
    public var limits: [Double?]
    /// The name of the limit in the legend.
    public var limitName: String
    /// The x axis title.
    public var xTitle: String
    /// The y axis title, with its unit.
    public var yTitle: String
    /// Decimals of the y tick labels and tooltips.
    public var places: Int
    /// The figure's width and height in pixels.
    public var width: Double, height: Double

    /// A bar chart (see the properties).
    public init(title: String, categories: [String], series: [(style: SeriesStyle, values: [Double])], stacked: Bool = false,
                limits: [Double?] = [], limitName: String = "limit", xTitle: String, yTitle: String, places: Int = 0,
                width: Double = 720, height: Double = 320) {
        self.title = title
        self.categories = categories
        self.series = series
        self.stacked = stacked
        self.limits = limits
        self.limitName = limitName
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.places = places
        self.width = width
        self.height = height
    }

    func value(_ s: Int, _ c: Int) -> Double {
        let v = c < series[s].values.count ? series[s].values[c] : 0
        return v.isFinite ? v : 0
    }

    /// The chart as an `<svg>` element.
    public func rendered() -> String {
        var legend = series.map(\.style)
        if limits.contains(where: { $0 != nil }) { legend.append(SeriesStyle(name: limitName, color: Palette.limit, dash: "5 3")) }
        let rotate = categories.count > 12 || categories.contains { $0.count > 8 } && categories.count > 5
        // Rotated labels reach down and to the left by about 4 px a character (10 px text at
        // 45°): long ones get the room they need below the axis and left of the first bar.
        let reach = rotate ? Double(min(40, categories.map(\.count).max() ?? 0)) * 4.0 : 0
        let firstBand = (width - 78) / Double(max(1, categories.count))
        let frame = Frame(width: width, height: height, top: legend.isEmpty ? 34 : 52, bottom: rotate ? max(78, reach + 38) : 48,
                          left: max(62, min(width * 0.3, reach - firstBand / 2 + 6)))
        var svg = SVG(width: width, height: height, title: title)
        Axes.title(&svg, title, frame: frame)
        if !legend.isEmpty { Legend.draw(&svg, legend, x: frame.minX, y: 38, maxX: frame.maxX) }
        guard !categories.isEmpty, !series.isEmpty else {
            Axes.empty(&svg, "no data", frame: frame)
            return svg.rendered()
        }
        var tops: [Double] = []
        for c in categories.indices {
            if stacked {
                tops.append(series.indices.reduce(0) { $0 + max(0, value($1, c)) })
            } else {
                tops.append(contentsOf: series.indices.map { value($0, c) })
            }
            if c < limits.count, let l = limits[c], l.isFinite { tops.append(l) }
        }
        let y = LinearScale.covering(tops, including: 0, range: (frame.maxY, frame.minY))
        Axes.left(&svg, scale: y, ticks: y.ticks(), style: .number(places: places), title: yTitle, frame: frame)
        let band = (frame.maxX - frame.minX) / Double(categories.count)
        let inner = band * 0.8
        let barWidth = stacked ? inner : inner / Double(series.count)
        svg.beginGroup(class: "bars")
        for (c, name) in categories.enumerated() {
            let x0 = frame.minX + band * Double(c) + band * 0.1
            var base = 0.0
            for s in series.indices {
                let v = value(s, c)
                let tip = "\(name): \(series[s].style.name) \(Format.number(v, places: places))"
                if stacked {
                    let h = max(0, v)
                    svg.rect(x: x0, y: y(base + h), width: barWidth, height: y(base) - y(base + h), fill: series[s].style.color, tooltip: tip)
                    base += h
                } else {
                    let x = x0 + barWidth * Double(s)
                    svg.rect(x: x, y: min(y(v), y(0)), width: max(1, barWidth - 1), height: abs(y(0) - y(v)), fill: series[s].style.color, tooltip: tip)
                }
            }
            if c < limits.count, let l = limits[c], l.isFinite {
                svg.line(Point(x0 - band * 0.05, y(l)), Point(x0 + inner + band * 0.05, y(l)), stroke: Palette.limit, width: 2.5, dash: "5 3",
                         tooltip: "\(name): \(limitName) \(Format.number(l, places: places))")
            }
        }
        svg.endGroup()
        // Category labels: every one when they fit, else every k-th.
        let every = max(1, Int((Double(categories.count) * (rotate ? 14 : 60) / max(1, frame.maxX - frame.minX)).rounded(.up)))
        svg.beginGroup(class: "axis x")
        svg.line(Point(frame.minX, frame.maxY), Point(frame.maxX, frame.maxY))
        for (c, name) in categories.enumerated() where c % every == 0 {
            let x = frame.minX + band * (Double(c) + 0.5)
            if rotate {
                svg.text(name, at: Point(x + 3, frame.maxY + 10), anchor: "end", size: 10, rotate: -45)
            } else {
                svg.text(name, at: Point(x, frame.maxY + 18), anchor: "middle", size: 11)
            }
        }
        svg.text(xTitle, at: Point((frame.minX + frame.maxX) / 2, frame.height - 8), anchor: "middle", size: 12)
        svg.endGroup()
        return svg.rendered()
    }
}

/// Histogram bins.
public enum Histogram {
    /// Counts of `values` in the bins `[edges[i], edges[i+1])`; the last bin also takes values
    /// at or above its upper edge, the first those below its lower edge. Fewer than two edges
    /// give no bins.
    ///
    /// - Complexity: O(n log b) for n values and b bins.
    public static func counts(_ values: some Sequence<Double>, edges: [Double]) -> [Int] {
        guard edges.count >= 2 else { return [] }
        var counts = [Int](repeating: 0, count: edges.count - 1)
        for v in values where v.isFinite {
            var lo = 0, hi = edges.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if v >= edges[mid] { lo = mid } else { hi = mid }
            }
            counts[lo] += 1
        }
        return counts
    }
}
