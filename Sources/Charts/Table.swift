// HTML tables: numbers right-aligned, sortable with the page's script.

/// One cell of a ``Table``.
public struct Cell: Sendable, Hashable {
    /// The text shown (escaped when written).
    public var text: String
    /// The value the sorting script compares, when it differs from the text (e.g. seconds
    /// behind `7.5 min`).
    public var sortKey: String?
    /// Right-align as a number.
    public var numeric: Bool
    /// A CSS class (e.g. `better`, `worse`).
    public var style: String?

    /// A cell.
    public init(_ text: String, sortKey: String? = nil, numeric: Bool = false, style: String? = nil) {
        self.text = text
        self.sortKey = sortKey
        self.numeric = numeric
        self.style = style
    }

    /// A numeric cell showing `value` with at most `places` decimals, sorted by the value.
    public static func number(_ value: Double?, places: Int = 1, style: String? = nil) -> Cell {
        guard let value, value.isFinite else { return Cell("–", sortKey: "", numeric: true, style: style) }
        return Cell(Format.number(value, places: places), sortKey: String(value), numeric: true, style: style)
    }

    /// A numeric cell for a whole number.
    public static func int(_ value: Int?, style: String? = nil) -> Cell {
        guard let value else { return Cell("–", sortKey: "", numeric: true, style: style) }
        return Cell(Format.grouped(value), sortKey: String(value), numeric: true, style: style)
    }
}

/// An HTML table with a caption and a header row; sortable by a click on a heading when the
/// page's script runs (``Page``), readable as it is without.
public struct Table: Sendable {
    /// The caption above the table.
    public var caption: String
    /// The column headings.
    public var columns: [String]
    /// The rows of cells.
    public var rows: [[Cell]]
    /// Let the reader sort it.
    public var sortable: Bool

    /// A table.
    public init(caption: String, columns: [String], rows: [[Cell]], sortable: Bool = true) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.sortable = sortable
    }

    /// The table as HTML.
    public func rendered() -> String {
        var s = "<div class=\"scroll\"><table\(sortable ? " class=\"sortable\"" : "")>"
        s += "<caption>\(Markup.escape(caption))</caption>\n<thead><tr>"
        for c in columns { s += "<th scope=\"col\">\(Markup.escape(c))</th>" }
        s += "</tr></thead>\n<tbody>\n"
        for row in rows {
            s += "<tr>"
            for cell in row {
                var classes: [String] = []
                if cell.numeric { classes.append("num") }
                if let st = cell.style { classes.append(st) }
                s += "<td"
                if !classes.isEmpty { s += " class=\"\(Markup.escape(classes.joined(separator: " ")))\"" }
                if let k = cell.sortKey { s += " data-sort=\"\(Markup.escape(k))\"" }
                s += ">\(Markup.escape(cell.text))</td>"
            }
            s += "</tr>\n"
        }
        if rows.isEmpty { s += "<tr><td colspan=\"\(max(1, columns.count))\">none</td></tr>\n" }
        s += "</tbody></table></div>\n"
        return s
    }
}
