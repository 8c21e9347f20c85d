// Checks every report test runs on the HTML it gets: well-formed enough for any parser, and
// self-contained (nothing loaded from anywhere).

/// Structural and self-containment checks of a report's HTML text, for the report tests.
///
/// `problems` tokenizes the page (skipping comments and the contents of `<script>` and
/// `<style>`) and is stricter than HTML: every non-void element must be closed explicitly, in
/// order. Self-closing tags (`<rect/>`) are fine inside `<svg>` and on void elements only.
enum HTMLChecks {
    /// Elements with no end tag.
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                            "meta", "param", "source", "track", "wbr"]
    /// Elements whose contents are raw text up to their end tag.
    static let rawTextElements: Set<String> = ["script", "style"]
    /// Namespaces that appear as `http://` text but load nothing.
    static let namespaces = ["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml"]

    /// What is wrong with `html` (empty when nothing is): no doctype, not exactly one
    /// `html`/`head`/`body`, unbalanced or misnested tags, unclosed comments or raw-text
    /// elements, bad attribute quoting, duplicate attributes, a stray `<`. At most 25 entries.
    static func problems(_ html: String) -> [String] {
        var scanner = Scanner(Array(html.utf8))
        scanner.run()
        var problems = scanner.problems
        let start = html.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if !start.lowercased().hasPrefix("<!doctype html>") && !start.lowercased().hasPrefix("<!doctype html ") {
            problems.insert("the page does not start with <!DOCTYPE html>", at: 0)
        }
        if scanner.doctypes > 1 { problems.append("\(scanner.doctypes) doctypes") }
        for name in ["html", "head", "body"] where scanner.starts[name, default: 0] != 1 {
            problems.append("\(scanner.starts[name, default: 0]) <\(name)> elements, expected 1")
        }
        if problems.count > 25 {
            let more = problems.count - 24
            problems = Array(problems.prefix(24)) + ["… and \(more) more"]
        }
        return problems
    }

    /// Every reference to something outside the page: `http(s)://` URLs other than the
    /// SVG/XLink/XHTML namespaces, `src=` attributes, CSS `url(`, `<link` elements, `@import`,
    /// and `href`s that leave the page (anything but `#fragment`). Each entry quotes the text.
    static func externalReferences(_ html: String) -> [String] {
        let bytes = Array(html.utf8)
        let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        var found: [String] = []
        // The text at `at`: up to the end of its tag for `<link`, through the quoted value for
        // an attribute, else up to a quote, space, `<`, `>` or `)`.
        func snippet(_ at: Int, _ limit: Int = 120) -> String {
            var end = at
            let stops: Set<UInt8> = bytes[at] == 60 ? [62] : [10, 32, 34, 39, 41, 60, 62]
            var quote: UInt8?
            while end < bytes.count, end - at < limit {
                let b = bytes[end]
                if let q = quote {
                    end += 1
                    if b == q { break }
                    continue
                }
                if end > at, b == 34 || b == 39, bytes[end - 1] == 61 { quote = b; end += 1; continue }
                if end > at, stops.contains(b) { if b == 62 || b == 41 { end += 1 }; break }
                end += 1
            }
            return String(decoding: bytes[at..<end], as: UTF8.self)
        }
        func occurrences(_ needle: String) -> [Int] {
            let n = Array(needle.utf8)
            guard !n.isEmpty, n.count <= lower.count else { return [] }
            var hits: [Int] = []
            var i = 0
            while i + n.count <= lower.count {
                if lower[i] == n[0] && Array(lower[i..<(i + n.count)]) == n { hits.append(i) }
                i += 1
            }
            return hits
        }
        for scheme in ["http://", "https://"] {
            for at in occurrences(scheme) {
                let url = snippet(at, 300)
                if namespaces.contains(where: { url == $0 }) { continue }
                found.append(url)
            }
        }
        for at in occurrences("src=") where at == 0 || isSpace(bytes[at - 1]) {
            found.append(snippet(at))
        }
        for at in occurrences("url(") { found.append(snippet(at)) }
        for at in occurrences("<link") where at + 5 < bytes.count && (isSpace(bytes[at + 5]) || bytes[at + 5] == 62) {
            found.append(snippet(at))
        }
        for at in occurrences("@import") { found.append(snippet(at)) }
        for at in occurrences("href=") where at > 0 && isSpace(bytes[at - 1]) {
            var v = at + 5
            if v < bytes.count, bytes[v] == 34 || bytes[v] == 39 { v += 1 }
            if v < bytes.count, bytes[v] != 35 { found.append(snippet(at)) }
        }
        return found
    }

    /// How many `<svg` elements the page has.
    static func svgCount(_ html: String) -> Int {
        let bytes = Array(html.utf8)
        let needle = Array("<svg".utf8)
        var count = 0
        var i = 0
        while i + needle.count < bytes.count {
            if bytes[i] == 60, bytes[(i + 1)..<(i + 4)].map({ $0 | 0x20 }) == Array(needle[1...]) {
                let next = bytes[i + 4]
                if isSpace(next) || next == 62 || next == 47 { count += 1 }
            }
            i += 1
        }
        return count
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 }

    /// The tokenizer behind ``problems(_:)``, over UTF-8 bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var at = 0
        var stack: [String] = []
        var problems: [String] = []
        var starts: [String: Int] = [:]
        var doctypes = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func line(_ offset: Int) -> Int {
            var n = 1
            for i in 0..<min(offset, bytes.count) where bytes[i] == 10 { n += 1 }
            return n
        }

        mutating func report(_ text: String, _ offset: Int) {
            if problems.count <= 25 { problems.append("line \(line(offset)): \(text)") }
        }

        func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

        func lowered(_ range: Range<Int>) -> String {
            String(decoding: bytes[range].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }

        /// The offset of `needle` (ASCII, lower case) at or after `from`, case-insensitively.
        func find(_ needle: String, from: Int) -> Int? {
            let n = Array(needle.utf8)
            var i = from
            while i + n.count <= bytes.count {
                var match = true
                for j in 0..<n.count {
                    let b = bytes[i + j]
                    if (b >= 65 && b <= 90 ? b + 32 : b) != n[j] { match = false; break }
                }
                if match { return i }
                i += 1
            }
            return nil
        }

        mutating func run() {
            while at < bytes.count {
                guard bytes[at] == 60 else { at += 1; continue }   // "<"
                let next = at + 1 < bytes.count ? bytes[at + 1] : 0
                if next == 33 {   // "<!"
                    if find("<!--", from: at) == at {
                        guard let end = find("-->", from: at + 4) else { report("unclosed comment", at); return }
                        at = end + 3
                    } else {
                        if find("<!doctype", from: at) == at { doctypes += 1 }
                        guard let end = find(">", from: at) else { report("unclosed <!", at); return }
                        at = end + 1
                    }
                } else if next == 47 {   // "</"
                    endTag()
                } else if isLetter(next) {
                    startTag()
                } else {
                    report("a '<' that starts no tag (unescaped text?)", at)
                    at += 1
                }
            }
            for name in stack.reversed() { report("<\(name)> is never closed", bytes.count) }
        }

        mutating func name(from: Int) -> (String, Int) {
            var end = from
            while end < bytes.count, !isSpace(bytes[end]), bytes[end] != 62, bytes[end] != 47 { end += 1 }
            return (lowered(from..<end), end)
        }

        mutating func endTag() {
            let tagStart = at
            let (tag, after) = name(from: at + 2)
            guard let close = find(">", from: after) else { report("unclosed </\(tag)", tagStart); at = bytes.count; return }
            at = close + 1
            if tag.isEmpty { report("an empty end tag", tagStart); return }
            if voidElements.contains(tag) { report("</\(tag)> closes a void element", tagStart); return }
            if stack.last == tag { stack.removeLast(); return }
            if let index = stack.lastIndex(of: tag) {
                let unclosed = stack[(index + 1)...].map { "<\($0)>" }.joined(separator: ", ")
                report("</\(tag)> closes \(unclosed) too (misnested or unclosed)", tagStart)
                stack.removeSubrange(index...)
            } else {
                report("</\(tag)> with no open <\(tag)>\(stack.last.map { " (innermost open: <\($0)>)" } ?? "")", tagStart)
            }
        }

        mutating func startTag() {
            let tagStart = at
            let (tag, afterName) = name(from: at + 1)
            var i = afterName
            var attributes: Set<String> = []
            var selfClosing = false
            while true {
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count else { report("unclosed <\(tag) tag", tagStart); at = bytes.count; return }
                let b = bytes[i]
                if b == 62 { i += 1; break }
                if b == 47 {
                    if i + 1 < bytes.count, bytes[i + 1] == 62 { selfClosing = true; i += 2; break }
                    report("a stray '/' in <\(tag)>", i); i += 1; continue
                }
                if b == 60 { report("a '<' inside the <\(tag) tag", i); at = i; return }
                if b == 34 || b == 39 || b == 61 { report("a stray quote or '=' in <\(tag)>", i); i += 1; continue }
                // An attribute name.
                let nameStart = i
                while i < bytes.count, !isSpace(bytes[i]), bytes[i] != 61, bytes[i] != 62, bytes[i] != 47,
                      bytes[i] != 34, bytes[i] != 39, bytes[i] != 60 { i += 1 }
                let attribute = lowered(nameStart..<i)
                if !attributes.insert(attribute).inserted { report("attribute \(attribute) twice in <\(tag)>", nameStart) }
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count, bytes[i] == 61 else { continue }   // no value
                i += 1
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count else { continue }
                let quote = bytes[i]
                if quote == 34 || quote == 39 {
                    var end = i + 1
                    while end < bytes.count, bytes[end] != quote { end += 1 }
                    guard end < bytes.count else {
                        report("the value of \(attribute) in <\(tag)> has no closing quote", i); at = bytes.count; return
                    }
                    if bytes[(i + 1)..<end].contains(60) {
                        report("a raw '<' in the value of \(attribute) in <\(tag)> (unclosed quote?)", i)
                    }
                    i = end + 1
                    if i < bytes.count, !isSpace(bytes[i]), bytes[i] != 62, bytes[i] != 47 {
                        report("no space after the value of \(attribute) in <\(tag)>", i)
                    }
                } else {
                    let valueStart = i
                    while i < bytes.count, !isSpace(bytes[i]), bytes[i] != 62 { i += 1 }
                    if bytes[valueStart..<i].contains(where: { $0 == 34 || $0 == 39 || $0 == 61 || $0 == 60 || $0 == 96 }) {
                        report("an unquoted value of \(attribute) in <\(tag)> holds a quote, '=', '<' or '`'", valueStart)
                    }
                }
            }
            at = i
            starts[tag, default: 0] += 1
            if voidElements.contains(tag) { return }
            if selfClosing {
                if !stack.contains("svg") && !stack.contains("math") {
                    report("<\(tag)/> self-closes an HTML element that needs an end tag", tagStart)
                }
                return
            }
            if rawTextElements.contains(tag) {
                guard let end = find("</\(tag)", from: at) else { report("<\(tag)> is never closed", tagStart); at = bytes.count; return }
                at = end
            }
            stack.append(tag)
        }
    }
}
