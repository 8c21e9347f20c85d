// A self-contained report page: inline style, inline SVG figures, tables, a tiny sorting script.

/// One report page, built section by section, written as one self-contained HTML file.
///
/// The page loads nothing: the style sheet is inline, figures are inline SVG, and a
/// Content-Security-Policy forbids every other resource. The only script (``sortScript``, a
/// dozen lines, allowed by its hash) sorts tables on a click; the period switcher is CSS
/// (radio buttons), and without CSS every period shows one after another. The page reads the
/// same without the script.
public struct Page: Sendable {
    /// The page title (the tab and the heading).
    public var title: String
    /// The line under the heading (the input, the date).
    public var subtitle: String
    /// The command that made the page, for the footer.
    public var madeBy: String
    /// Extra style rules for this page, appended to ``styleSheet`` (e.g. cell shading classes).
    public var extraStyle: String = ""
    /// The sections written so far (HTML).
    public private(set) var sections: [(id: String, title: String, html: String)] = []
    private var switchers = 0

    /// A page.
    public init(title: String, subtitle: String, madeBy: String) {
        self.title = title
        self.subtitle = subtitle
        self.madeBy = madeBy
    }

    /// Appends a section with heading `title`; `id` is its anchor (letters, digits, `-`).
    public mutating func section(_ title: String, id: String, html: String) {
        sections.append((id, title, html))
    }

    /// The next unique name for a ``switcher(_:)`` group on this page.
    public mutating func nextSwitcherName() -> String {
        switchers += 1
        return "switch\(switchers)"
    }

    /// The whole page.
    public func rendered() -> String {
        var s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        s += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">\n"
        s += "<title>\(Markup.escape(title))</title>\n<style>\n\(Self.styleSheet)\(extraStyle)</style>\n</head>\n<body>\n"
        s += "<header>\n<h1>\(Markup.escape(title))</h1>\n<p class=\"subtitle\">\(Markup.escape(subtitle))</p>\n</header>\n"
        if sections.count > 2 {
            s += "<nav aria-label=\"Contents\"><ul class=\"toc\">"
            for sec in sections { s += "<li><a href=\"#\(Markup.escape(sec.id))\">\(Markup.escape(sec.title))</a></li>" }
            s += "</ul></nav>\n"
        }
        s += "<main>\n"
        for sec in sections {
            s += "<section id=\"\(Markup.escape(sec.id))\" aria-labelledby=\"\(Markup.escape(sec.id))-h\">\n"
            s += "<h2 id=\"\(Markup.escape(sec.id))-h\">\(Markup.escape(sec.title))</h2>\n\(sec.html)</section>\n"
        }
        s += "</main>\n<footer><p>Made by <code>\(Markup.escape(madeBy))</code> (Transit Planner). "
        s += "Self-contained: no network, no fonts, no images beyond the inline figures.</p></footer>\n"
        s += "<script>\(Self.sortScript)</script>\n</body>\n</html>\n"
        return s
    }

    /// A figure: an `<svg>` and its caption.
    public static func figure(_ svg: String, caption: String? = nil) -> String {
        var s = "<figure>\(svg)"
        if let caption { s += "<figcaption>\(Markup.escape(caption))</figcaption>" }
        return s + "</figure>\n"
    }

    /// Headline figures as cards: a label, a value, and an optional note under it.
    public static func cards(_ items: [(label: String, value: String, note: String?)]) -> String {
        var s = "<ul class=\"cards\">"
        for item in items {
            s += "<li><span class=\"label\">\(Markup.escape(item.label))</span><span class=\"value\">\(Markup.escape(item.value))</span>"
            if let n = item.note { s += "<span class=\"note\">\(Markup.escape(n))</span>" }
            s += "</li>"
        }
        return s + "</ul>\n"
    }

    /// A paragraph of text (escaped).
    public static func paragraph(_ text: String, class name: String? = nil) -> String {
        "<p\(name.map { " class=\"\(Markup.escape($0))\"" } ?? "")>\(Markup.escape(text))</p>\n"
    }

    /// A definition list of facts (term, description), escaped.
    public static func facts(_ items: [(String, String)]) -> String {
        var s = "<dl class=\"facts\">"
        for (k, v) in items { s += "<dt>\(Markup.escape(k))</dt><dd>\(Markup.escape(v))</dd>" }
        return s + "</dl>\n"
    }

    /// A switcher: one panel shown at a time, picked by radio buttons labelled with the
    /// panel names (CSS only; the first panel is shown first). Without CSS the panels follow
    /// one another, each under its own heading. At most 12 panels are switchable; `name` must
    /// be unique on the page (``nextSwitcherName()``).
    public static func switcher(name: String, panels: [(label: String, html: String)]) -> String {
        guard panels.count > 1 else { return panels.first?.html ?? "" }
        let shown = panels.prefix(12)
        var s = "<div class=\"switcher\">"
        for (i, p) in shown.enumerated() {
            let id = "\(name)-\(i)"
            s += "<input type=\"radio\" name=\"\(Markup.escape(name))\" id=\"\(id)\" class=\"sw\(i)\"\(i == 0 ? " checked" : "")>"
            s += "<label for=\"\(id)\">\(Markup.escape(p.label))</label>"
        }
        for (i, p) in shown.enumerated() {
            s += "<div class=\"panel p\(i)\"><h3 class=\"panel-title\">\(Markup.escape(p.label))</h3>\(p.html)</div>"
        }
        return s + "</div>\n"
    }

    /// The page's Content-Security-Policy: nothing from anywhere, inline style, the one script by hash.
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '\(scriptHash)'; base-uri 'none'; form-action 'none'"

    /// Sorts a `table.sortable` by a click on a heading (a button, so the keyboard works),
    /// comparing each cell's `data-sort` value when it has one, else its text; numbers compare
    /// as numbers.
    public static let sortScript = """
        document.querySelectorAll("table.sortable").forEach(function (t) {
          t.querySelectorAll("thead th").forEach(function (th, i) {
            var b = document.createElement("button");
            b.type = "button"; b.textContent = th.textContent; th.textContent = ""; th.appendChild(b);
            b.addEventListener("click", function () {
              var up = th.getAttribute("aria-sort") !== "ascending", body = t.tBodies[0];
              t.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
              th.setAttribute("aria-sort", up ? "ascending" : "descending");
              var key = function (r) { var c = r.cells[i]; return c ? (c.dataset.sort !== undefined ? c.dataset.sort : c.textContent) : ""; };
              Array.from(body.rows).sort(function (x, y) {
                var a = key(x), z = key(y), na = parseFloat(a), nz = parseFloat(z);
                var d = (!isNaN(na) && !isNaN(nz) && String(na) === a.trim() && String(nz) === z.trim()) ? na - nz : a.localeCompare(z, undefined, {numeric: true});
                return up ? d : -d;
              }).forEach(function (r) { body.appendChild(r); });
            });
          });
        });
        """

    /// `sha256-` and the base64 SHA-256 of ``sortScript``'s exact text, for the CSP. Change both
    /// together (a test checks them with `openssl`).
    public static let scriptHash = "sha256-XJ4NbO1pTuqfA6NRv/uluI1ck+YbNpJAICt0AAvz/JM="
}
