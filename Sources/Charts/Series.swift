// Data shapes the charts take, and the legend they draw.

/// One named series of a chart, with its colour.
public struct SeriesStyle: Sendable, Hashable {
    /// The name the legend and tooltips show.
    public var name: String
    /// The colour (any SVG colour).
    public var color: String
    /// A dash pattern (`"6 3"`) for lines, or `nil` for solid.
    public var dash: String?

    /// A series style.
    public init(name: String, color: String, dash: String? = nil) {
        self.name = name
        self.color = color
        self.dash = dash
    }
}

/// A row of colour swatches with names, drawn under a figure's title.
public enum Legend {
    /// The vertical room a legend takes.
    public static let height: Double = 18

    /// The width one legend item takes.
    static func itemWidth(_ item: SeriesStyle) -> Double { 32 + Double(min(item.name.count, 40)) * 6.8 }

    /// How many rows `items` take between `x` and `maxX`.
    public static func rows(_ items: [SeriesStyle], x: Double, maxX: Double) -> Int {
        guard !items.isEmpty else { return 0 }
        var cx = x, rows = 1
        for item in items {
            let w = itemWidth(item)
            if cx + w > maxX, cx > x {
                cx = x
                rows += 1
            }
            cx += w
        }
        return rows
    }

    /// Draws `items` left to right from `x` at baseline `y`, wrapping before `maxX`.
    /// Returns the baseline of the last row.
    @discardableResult
    public static func draw(_ svg: inout SVG, _ items: [SeriesStyle], x: Double, y: Double, maxX: Double) -> Double {
        var cx = x, cy = y
        svg.beginGroup(class: "legend")
        for item in items {
            let w = itemWidth(item)
            if cx + w > maxX, cx > x {
                cx = x
                cy += height
            }
            if let dash = item.dash {
                svg.line(Point(cx, cy - 4), Point(cx + 16, cy - 4), stroke: item.color, width: 2.5, dash: dash)
            } else {
                svg.rect(x: cx, y: cy - 10, width: 16, height: 10, fill: item.color)
            }
            svg.text(item.name, at: Point(cx + 21, cy), size: 11)
            cx += w
        }
        svg.endGroup()
        return cy
    }
}
