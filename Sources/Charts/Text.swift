// Escaping and number formatting for everything the charts and pages write.

/// Escaping for HTML and SVG text and attribute values.
public enum Markup {
    /// `text` safe inside an element or a quoted attribute, in HTML and in SVG: `&`, `<`, `>`,
    /// `"` and `'` become entities; control characters become their Unicode control pictures
    /// (`␀`, `␊`), C1 controls the replacement character, and text-direction overrides
    /// `[U+202E]`, so a hostile value can neither add markup nor reorder the page. With
    /// `limit`, the text is cut to that many characters and ends in `…`.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public static func escape(_ text: String, limit: Int? = nil) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var n = 0
        for scalar in text.unicodeScalars {
            if let limit, n >= limit {
                out += "…"
                break
            }
            n += 1
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0x00..<0x20: out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case 0x7F: out += "\u{2421}"
            case 0x80..<0xA0: out += "\u{FFFD}"
            case 0x202A...0x202E, 0x2066...0x2069:
                out += "[U+\(String(scalar.value, radix: 16, uppercase: true))]"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Number and time formatting for labels, tables and coordinates.
public enum Format {
    /// `value` with thousands separators (`12,345`).
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// `value` with at most `places` decimals, trailing zeros dropped, thousands grouped
    /// (`1,234.5`). Not-a-number and infinities print as `–`.
    public static func number(_ value: Double, places: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        let p = max(0, min(6, places))
        var scale = 1.0
        for _ in 0..<p { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return value < 0 ? "-" + String(abs(value)) : String(value) }
        let whole = Int(scaled / scale)
        var fraction = Int(scaled) - whole * Int(scale)
        var text = grouped(whole)
        if p > 0, fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: p - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast(); fraction /= 10 }
            text += "." + digits
        }
        return value < 0 && scaled > 0 ? "-" + text : text
    }

    /// A coordinate for SVG: one decimal, no grouping, no trailing `.0` (`12.5`, `-3`, `40`).
    public static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths / 10)
        let rest = abs(Int(tenths) - whole * 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return rest == 0 ? sign + String(whole) : sign + String(whole) + "." + String(rest)
    }

    /// Seconds since service-day midnight as `HH:MM` (hours past 24 kept: `25:10`).
    public static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        let h = s / 3600, m = (s % 3600) / 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// A duration in seconds as minutes with at most one decimal (`7.5 min`).
    public static func minutes(_ seconds: Double) -> String {
        number(seconds / 60, places: 1) + " min"
    }
}
