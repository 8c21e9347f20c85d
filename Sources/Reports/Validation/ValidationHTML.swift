public import GTFS
import Charts

/// What `transit gtfs validate --format html` prints: the validation report as one
/// self-contained HTML page, to read in a browser or print.
///
/// The page holds a summary (the feed's agencies, `feed_info.txt`, its files with their row
/// counts, the GTFS features it uses, the totals per severity and the date the date-based checks
/// used), then one section per notice code, errors first, then warnings, then infos: the code's
/// meaning from ``NoticeCatalog``, a link to its rule on the canonical validator's rules page,
/// its total count and a table of sample findings.
///
/// The page loads nothing: the style sheet is inline, there are no images or fonts, and a few
/// lines of inline script only make the sample tables sortable (the page reads the same
/// without it). A Content-Security-Policy forbids any other resource or script. Every string
/// from the feed (names, values, paths) is escaped, so a hostile value shows as text.
public enum ValidationHTML {
    /// The most sample findings a code's table lists unless told otherwise.
    public static let defaultSamplesPerCode = 100

    /// The page for `report` on the feed at `path`.
    ///
    /// - Parameters:
    ///   - report: the findings and their counts.
    ///   - feed: the loaded feed, for the summary; `nil` when it could not be read.
    ///   - path: the feed path as the user gave it.
    ///   - today: the date the date-based checks compared with, if any.
    ///   - samplesPerCode: the most findings each code's table lists (at least 1); the rest are
    ///     counted in a note.
    ///   - includeInfo: `false` leaves out the sections of codes of severity info (they stay
    ///     counted in the totals).
    /// - Complexity: O(n log n) in the findings the report kept, plus one pass over the feed's
    ///   columns for the feature list.
    public static func render(report: ValidationReport, feed: Feed?, path: String, today: GTFSDate?,
                              samplesPerCode: Int = defaultSamplesPerCode, includeInfo: Bool = true) -> String {
        let cap = max(1, samplesPerCode)
        let codes = noticeCodes(report, includeInfo: includeInfo)
        var s = ""
        s.reserveCapacity(64 * 1024)
        s += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        s += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Page.contentSecurityPolicy)\">\n"
        s += "<title>GTFS validation: \(escape(baseName(path), limit: 120)): "
        s += "\(grouped(report.errorCount)) \(plural(.error, report.errorCount)), "
        s += "\(grouped(report.warningCount)) \(plural(.warning, report.warningCount))</title>\n"
        s += "<style>\n\(styleSheet)</style>\n</head>\n<body>\n"
        s += "<header>\n<h1>GTFS validation report</h1>\n"
        s += "<p class=\"subtitle\"><code>\(escape(path))</code></p>\n"
        s += "<p class=\"verdict \(report.hasErrors ? "error" : "ok")\">"
        s += report.hasErrors
            ? "The feed has errors: consumers may reject it."
            : "No errors: the feed follows the rules checked here."
        s += "</p>\n</header>\n"
        tableOfContents(&s, codes)
        s += "<main>\n"
        summarySection(&s, report: report, feed: feed, path: path, today: today, samplesPerCode: cap, includeInfo: includeInfo)
        s += "<section id=\"notices\" aria-labelledby=\"notices-h\">\n<h2 id=\"notices-h\">Notices</h2>\n"
        if codes.isEmpty {
            s += "<p>No findings\(includeInfo ? "" : " to list (findings of severity info are left out)").</p>\n"
        }
        let samples = samplesByCode(report, cap: cap)
        for code in codes {
            noticeSection(&s, code, count: report.counts[code.code, default: 0], samples: samples[code.code] ?? [])
        }
        s += "</section>\n</main>\n"
        s += "<footer><p>Made by <code>transit gtfs validate --format html</code>. Notice codes are those of "
        s += "MobilityData's canonical GTFS validator; codes marked “own code” are this tool's.</p></footer>\n"
        s += "<script>\(Page.sortScript)</script>\n</body>\n</html>\n"
        return s
    }

    /// A code reported, with the severity its section shows.
    struct Code {
        var code: String
        var severity: Severity
    }

    /// The codes to give a section: errors, then warnings, then infos, each sorted by code.
    /// A code reported with several severities is shown under its most severe.
    static func noticeCodes(_ report: ValidationReport, includeInfo: Bool) -> [Code] {
        var severity: [String: Severity] = [:]
        for f in report.findings {
            if let s = severity[f.code], s <= f.severity { continue }
            severity[f.code] = f.severity
        }
        for code in report.counts.keys where severity[code] == nil {
            severity[code] = NoticeCatalog.entry(code)?.severity ?? .error
        }
        return severity.map { Code(code: $0.key, severity: $0.value) }
            .filter { includeInfo || $0.severity != .info }
            .sorted { $0.severity != $1.severity ? $0.severity < $1.severity : $0.code < $1.code }
    }

    /// Up to `cap` findings per code, sorted by file then line (keeping the order found among
    /// equals).
    static func samplesByCode(_ report: ValidationReport, cap: Int) -> [String: [Finding]] {
        var groups: [String: [Finding]] = [:]
        for f in report.findings { groups[f.code, default: []].append(f) }
        return groups.mapValues { list in
            let sorted = list.enumerated().sorted { a, b in
                if a.element.file != b.element.file { return (a.element.file ?? "") < (b.element.file ?? "") }
                let la = a.element.line ?? 0, lb = b.element.line ?? 0
                return la != lb ? la < lb : a.offset < b.offset
            }
            return sorted.prefix(cap).map(\.element)
        }
    }

    /// The contents: the summary, then every code section by severity.
    static func tableOfContents(_ s: inout String, _ codes: [Code]) {
        s += "<nav aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\">Contents</h2>\n<ol class=\"toc\">\n"
        s += "<li><a href=\"#summary\">Summary</a></li>\n<li><a href=\"#notices\">Notices</a>\n"
        for severity in Severity.allCases {
            let group = codes.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            s += "<p class=\"toc-group\">\(badge(severity)) \(group.count) \(group.count == 1 ? "code" : "codes")</p>\n<ul class=\"codes\">\n"
            for c in group {
                s += "<li><a href=\"#\(anchor(c.code))\"><code>\(escape(c.code))</code></a></li>\n"
            }
            s += "</ul>\n"
        }
        s += "</li>\n</ol>\n</nav>\n"
    }

    /// One code's section: what it means, its rule, its count and its sample findings.
    static func noticeSection(_ s: inout String, _ c: Code, count: Int, samples: [Finding]) {
        let id = anchor(c.code)
        let entry = NoticeCatalog.entry(c.code)
        s += "<section class=\"notice \(c.severity.rawValue)\" id=\"\(id)\" aria-labelledby=\"\(id)-h\">\n"
        s += "<h3 id=\"\(id)-h\">\(badge(c.severity)) <code>\(escape(c.code))</code>"
        s += " <span class=\"count\">\(grouped(count)) \(count == 1 ? "finding" : "findings")</span></h3>\n"
        s += "<p class=\"summary\">\(escape(entry?.summary ?? "No description of this code in the catalog."))</p>\n"
        s += "<p class=\"rule\">"
        if let url = NoticeCatalog.ruleURL(c.code) {
            s += "<a href=\"\(escape(url))\" rel=\"noreferrer\">The rule <code>\(escape(c.code))</code> on the canonical validator's rules page</a>"
        } else {
            s += "Own code of this tool (the canonical validator has no such rule)."
        }
        s += "</p>\n"
        guard !samples.isEmpty else {
            s += "</section>\n"
            return
        }
        s += "<div class=\"scroll\"><table class=\"findings sortable\">\n"
        let caption = samples.count < count ? "The first \(grouped(samples.count)) of \(grouped(count)) findings"
            : count == 1 ? "The one finding" : "All \(grouped(count)) findings"
        s += "<caption>\(caption) of <code>\(escape(c.code))</code></caption>\n"
        s += "<thead><tr><th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Line</th><th scope=\"col\">Field</th>"
        s += "<th scope=\"col\">Value</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>\n"
        for f in samples {
            s += "<tr><td><code>\(escape(f.file ?? "feed", limit: 120))</code></td>"
            s += "<td class=\"num\">\(f.line.map(String.init) ?? "")</td>"
            s += "<td><code>\(escape(f.field ?? "", limit: 120))</code></td>"
            s += "<td class=\"value\">\(escape(f.value ?? "", limit: 200))</td>"
            s += "<td class=\"message\">\(escape(f.message, limit: 1000))</td></tr>\n"
        }
        s += "</tbody></table></div>\n"
        if samples.count < count {
            s += "<p class=\"more\">\(grouped(count - samples.count)) more not shown.</p>\n"
        }
        s += "</section>\n"
    }

    // MARK: - Text

    /// `text` escaped for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`), with
    /// control characters shown as their Unicode control pictures (`␀`, `␊`) and text-direction
    /// overrides as `[U+202E]`, so a hostile value can neither add markup nor reorder the page;
    /// cut to `limit` characters with `…` when given.
    /// - Complexity: O(n).
    static func escape(_ text: String, limit: Int? = nil) -> String {
        Markup.escape(text, limit: limit)
    }

    /// The `id` of a code's section: `code-` and the code, any character outside `a-z0-9_`
    /// replaced by `-`.
    static func anchor(_ code: String) -> String {
        "code-" + String(String.UnicodeScalarView(code.lowercased().unicodeScalars.map { s in
            (s >= "a" && s <= "z") || (s >= "0" && s <= "9") || s == "_" ? s : "-"
        }))
    }

    /// A severity as colour and text: a badge with a shape and the word.
    static func badge(_ severity: Severity) -> String {
        let (symbol, word) = switch severity {
        case .error: ("\u{2716}", "Error")
        case .warning: ("\u{25B2}", "Warning")
        case .info: ("\u{25CF}", "Info")
        }
        return "<span class=\"badge \(severity.rawValue)\"><span aria-hidden=\"true\">\(symbol)</span> \(word)</span>"
    }

    /// `errors`, `warning`, `infos`… for a count of `n`.
    static func plural(_ severity: Severity, _ n: Int) -> String {
        severity.rawValue + (n == 1 ? "" : "s")
    }

    /// `12,345`.
    static func grouped(_ n: Int) -> String { Format.grouped(n) }

    /// The last component of a path (`feed.zip` of `/data/feed.zip`), for the title.
    static func baseName(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        return p.split(separator: "/").last.map(String.init) ?? path
    }
}
