// The SVG builder every chart draws with.

/// A point in drawing coordinates (pixels, y down).
public struct Point: Sendable, Hashable {
    /// Horizontal position.
    public var x: Double
    /// Vertical position (down).
    public var y: Double

    /// A point.
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// One `<svg>` figure, written as text.
///
/// Every figure has a title (its `<title>` and `aria-label`, so a screen reader and a hover
/// name it) and a `viewBox`, so it scales with the page. Marks take an optional tooltip, shown
/// as an SVG `<title>` child. All text is escaped with ``Markup/escape(_:limit:)``.
public struct SVG: Sendable {
    /// The width of the drawing, pixels.
    public let width: Double
    /// The height of the drawing, pixels.
    public let height: Double
    /// The figure's title.
    public let title: String
    /// The marks written so far.
    public private(set) var body: String = ""

    /// An empty figure of `width` × `height` pixels titled `title`.
    public init(width: Double, height: Double, title: String) {
        self.width = max(1, width.isFinite ? width : 1)
        self.height = max(1, height.isFinite ? height : 1)
        self.title = title
        body.reserveCapacity(4096)
    }

    /// The whole `<svg>` element.
    public func rendered() -> String {
        let t = Markup.escape(title)
        let w = Format.coordinate(width), h = Format.coordinate(height)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-label=\"\(t)\" class=\"chart\">"
            + "<title>\(t)</title>\n" + body + "</svg>"
    }

    static func tip(_ tooltip: String?) -> String {
        tooltip.map { "<title>\(Markup.escape($0))</title>" } ?? ""
    }

    static func attributes(_ pairs: [(String, String?)]) -> String {
        var s = ""
        for (k, v) in pairs {
            if let v { s += " \(k)=\"\(Markup.escape(v))\"" }
        }
        return s
    }

    /// The `points` attribute of a polyline: `x,y x,y …` to one decimal.
    static func pointList(_ points: [Point]) -> String {
        var d = ""
        d.reserveCapacity(points.count * 12)
        for (i, p) in points.enumerated() {
            if i > 0 { d += " " }
            d += Format.coordinate(p.x) + "," + Format.coordinate(p.y)
        }
        return d
    }

    /// Appends raw, already-escaped SVG markup (for the chart types of this module).
    mutating func raw(_ markup: String) { body += markup }

    /// A straight line.
    public mutating func line(_ a: Point, _ b: Point, stroke: String = Palette.axis, width: Double = 1,
                              dash: String? = nil, tooltip: String? = nil) {
        let attrs = Self.attributes([("stroke", stroke), ("stroke-width", Format.coordinate(width)), ("stroke-dasharray", dash)])
        let open = "<line x1=\"\(Format.coordinate(a.x))\" y1=\"\(Format.coordinate(a.y))\" x2=\"\(Format.coordinate(b.x))\" y2=\"\(Format.coordinate(b.y))\"\(attrs)"
        body += tooltip == nil ? open + "/>\n" : open + ">" + Self.tip(tooltip) + "</line>\n"
    }

    /// A rectangle from its top-left corner (negative sizes are turned around).
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, tooltip: String? = nil) {
        let x0 = width < 0 ? x + width : x, y0 = height < 0 ? y + height : y
        let attrs = Self.attributes([("fill", fill), ("stroke", stroke)])
        let open = "<rect x=\"\(Format.coordinate(x0))\" y=\"\(Format.coordinate(y0))\" width=\"\(Format.coordinate(abs(width)))\" height=\"\(Format.coordinate(abs(height)))\"\(attrs)"
        body += tooltip == nil ? open + "/>\n" : open + ">" + Self.tip(tooltip) + "</rect>\n"
    }

    /// A circle.
    public mutating func circle(_ c: Point, radius: Double, fill: String, stroke: String? = nil, tooltip: String? = nil) {
        let attrs = Self.attributes([("fill", fill), ("stroke", stroke)])
        let open = "<circle cx=\"\(Format.coordinate(c.x))\" cy=\"\(Format.coordinate(c.y))\" r=\"\(Format.coordinate(radius))\"\(attrs)"
        body += tooltip == nil ? open + "/>\n" : open + ">" + Self.tip(tooltip) + "</circle>\n"
    }

    /// An open line through `points` (nothing for fewer than two points).
    public mutating func polyline(_ points: [Point], stroke: String, width: Double = 1.5, dash: String? = nil,
                                  opacity: Double? = nil, tooltip: String? = nil) {
        guard points.count >= 2 else { return }
        let d = Self.pointList(points)
        let attrs = Self.attributes([("fill", "none"), ("stroke", stroke), ("stroke-width", Format.coordinate(width)),
                                     ("stroke-dasharray", dash), ("stroke-opacity", opacity.map { Format.number($0, places: 2) }),
                                     ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
        let open = "<polyline points=\"\(d)\"\(attrs)"
        body += tooltip == nil ? open + "/>\n" : open + ">" + Self.tip(tooltip) + "</polyline>\n"
    }

    /// Opens a group whose lines share one stroke (close it with ``endGroup()``): lines drawn
    /// inside with ``polyline(_:tooltip:)`` carry only their points and tooltip, which keeps
    /// charts of thousands of lines (stringlines) small.
    public mutating func beginLineGroup(class name: String? = nil, stroke: String, width: Double, opacity: Double? = nil) {
        body += "<g" + Self.attributes([("class", name), ("fill", "none"), ("stroke", stroke), ("stroke-width", Format.coordinate(width)),
                                        ("stroke-opacity", opacity.map { Format.number($0, places: 2) }),
                                        ("stroke-linejoin", "round"), ("stroke-linecap", "round")]) + ">\n"
    }

    /// An open line through `points` styled by the enclosing ``beginLineGroup(class:stroke:width:opacity:)``
    /// (nothing for fewer than two points).
    public mutating func polyline(_ points: [Point], tooltip: String?) {
        guard points.count >= 2 else { return }
        let d = Self.pointList(points)
        body += tooltip == nil ? "<polyline points=\"\(d)\"/>\n" : "<polyline points=\"\(d)\">" + Self.tip(tooltip) + "</polyline>\n"
    }

    /// Text anchored at `at` (`anchor`: start, middle or end); `rotate` turns it about its anchor.
    public mutating func text(_ text: String, at: Point, anchor: String = "start", size: Double = 12,
                              weight: String? = nil, fill: String = "#1b1b1b", rotate: Double? = nil) {
        let transform = rotate.map { "rotate(\(Format.coordinate($0)) \(Format.coordinate(at.x)) \(Format.coordinate(at.y)))" }
        let attrs = Self.attributes([("text-anchor", anchor), ("font-size", Format.coordinate(size)),
                                     ("font-weight", weight), ("fill", fill), ("transform", transform)])
        body += "<text x=\"\(Format.coordinate(at.x))\" y=\"\(Format.coordinate(at.y))\"\(attrs)>\(Markup.escape(text, limit: 80))</text>\n"
    }

    /// Opens a group (close it with ``endGroup()``); `label` becomes its tooltip.
    public mutating func beginGroup(class name: String? = nil, tooltip: String? = nil) {
        body += "<g" + Self.attributes([("class", name)]) + ">" + Self.tip(tooltip) + "\n"
    }

    /// Closes the group opened last.
    public mutating func endGroup() { body += "</g>\n" }
}
