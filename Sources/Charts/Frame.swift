// The plotting area of a chart with axes: margins, the inner rectangle, axes with ticks.

/// The inner rectangle of a chart with axes, inside its margins.
public struct Frame: Sendable, Hashable {
    /// Width of the whole figure.
    public var width: Double
    /// Height of the whole figure.
    public var height: Double
    /// Margins: top, right, bottom, left.
    public var top: Double, right: Double, bottom: Double, left: Double

    /// A frame with room for axis labels and titles.
    public init(width: Double, height: Double, top: Double = 34, right: Double = 16, bottom: Double = 48, left: Double = 62) {
        self.width = width
        self.height = height
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }

    /// Left edge of the plotting area.
    public var minX: Double { left }
    /// Right edge of the plotting area.
    public var maxX: Double { max(left + 1, width - right) }
    /// Top edge of the plotting area.
    public var minY: Double { top }
    /// Bottom edge of the plotting area.
    public var maxY: Double { max(top + 1, height - bottom) }
}

/// How an axis labels its ticks.
public enum TickStyle: Sendable, Hashable {
    /// Numbers with at most this many decimals.
    case number(places: Int)
    /// Seconds since midnight as `HH:MM`.
    case clock
}

/// Axes, grid lines and the figure title, drawn into an ``SVG``.
public enum Axes {
    /// Draws the title of the figure at the top left.
    public static func title(_ svg: inout SVG, _ text: String, frame: Frame) {
        svg.text(text, at: Point(frame.minX, 18), size: 14, weight: "600")
    }

    /// A horizontal axis under the plotting area: ticks, their labels, light vertical grid
    /// lines and the axis title with its unit (e.g. "time of day", "distance (km)").
    public static func bottom(_ svg: inout SVG, scale: LinearScale, ticks: [Double], style: TickStyle,
                              title: String, frame: Frame, grid: Bool = true) {
        svg.beginGroup(class: "axis x")
        let shown = distinguishing(style, ticks: ticks)
        for t in ticks {
            let x = scale(t)
            guard x >= frame.minX - 0.5, x <= frame.maxX + 0.5 else { continue }
            if grid { svg.line(Point(x, frame.minY), Point(x, frame.maxY), stroke: Palette.grid) }
            svg.line(Point(x, frame.maxY), Point(x, frame.maxY + 5))
            svg.text(label(t, shown), at: Point(x, frame.maxY + 18), anchor: "middle", size: 11)
        }
        svg.line(Point(frame.minX, frame.maxY), Point(frame.maxX, frame.maxY))
        svg.text(title, at: Point((frame.minX + frame.maxX) / 2, frame.height - 8), anchor: "middle", size: 12)
        svg.endGroup()
    }

    /// A vertical axis left of the plotting area, with horizontal grid lines and a rotated title.
    public static func left(_ svg: inout SVG, scale: LinearScale, ticks: [Double], style: TickStyle,
                            title: String, frame: Frame, grid: Bool = true) {
        svg.beginGroup(class: "axis y")
        let shown = distinguishing(style, ticks: ticks)
        for t in ticks {
            let y = scale(t)
            guard y >= frame.minY - 0.5, y <= frame.maxY + 0.5 else { continue }
            if grid { svg.line(Point(frame.minX, y), Point(frame.maxX, y), stroke: Palette.grid) }
            svg.line(Point(frame.minX - 5, y), Point(frame.minX, y))
            svg.text(label(t, shown), at: Point(frame.minX - 8, y + 4), anchor: "end", size: 11)
        }
        svg.line(Point(frame.minX, frame.minY), Point(frame.minX, frame.maxY))
        svg.text(title, at: Point(14, (frame.minY + frame.maxY) / 2), anchor: "middle", size: 12, rotate: -90)
        svg.endGroup()
    }

    /// The text of tick `value`.
    public static func label(_ value: Double, _ style: TickStyle) -> String {
        switch style {
        case .number(let places): return Format.number(value, places: places)
        case .clock: return Format.clock(Int(value.rounded()))
        }
    }

    /// `style` with enough decimals to tell `ticks` apart (ticks 0.5 apart need one decimal
    /// even when the values are counts), at most 6.
    public static func distinguishing(_ style: TickStyle, ticks: [Double]) -> TickStyle {
        guard case .number(let places) = style, ticks.count >= 2 else { return style }
        var needed = places
        while needed < 6, Set(ticks.map { Format.number($0, places: needed) }).count < ticks.count { needed += 1 }
        return .number(places: needed)
    }

    /// A note centred in the plotting area, for a chart with no data.
    public static func empty(_ svg: inout SVG, _ note: String, frame: Frame) {
        svg.rect(x: frame.minX, y: frame.minY, width: frame.maxX - frame.minX, height: frame.maxY - frame.minY,
                 fill: "#f5f6f7", stroke: Palette.grid)
        svg.text(note, at: Point((frame.minX + frame.maxX) / 2, (frame.minY + frame.maxY) / 2), anchor: "middle", size: 13, fill: "#5a5a5a")
    }
}
