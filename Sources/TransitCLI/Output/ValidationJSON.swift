import GTFS
import TransitSupport

extension ValidationDocument {
    /// The document as pretty-printed JSON, written directly: byte for byte what
    /// `JSON.encoding(document).render()` gives, without the intermediate tree, since a large
    /// feed's report lists tens of thousands of findings.
    /// - Complexity: O(size of the output).
    func renderJSON() -> String {
        var out = ""
        out.reserveCapacity(256 + findings.count * 200)
        out += "{\n  \"feed\": " + jsonQuoted(feed) + ",\n"
        out += "  \"errors\": \(errors),\n  \"warnings\": \(warnings),\n"
        if counts.entries.isEmpty {
            out += "  \"counts\": {},\n"
        } else {
            out += "  \"counts\": {\n"
            for (i, e) in counts.entries.enumerated() {
                out += "    " + jsonQuoted(e.key) + ": \(e.value)" + (i + 1 < counts.entries.count ? ",\n" : "\n")
            }
            out += "  },\n"
        }
        if findings.isEmpty {
            out += "  \"findings\": []\n}"
            return out
        }
        out += "  \"findings\": [\n"
        func optional(_ s: String?) -> String { s.map(jsonQuoted) ?? "null" }
        for (i, f) in findings.enumerated() {
            out += "    {\n      \"severity\": " + jsonQuoted(f.severity)
            out += ",\n      \"code\": " + jsonQuoted(f.code)
            out += ",\n      \"file\": " + optional(f.file)
            out += ",\n      \"line\": " + (f.line.map { String($0) } ?? "null")
            out += ",\n      \"field\": " + optional(f.field)
            out += ",\n      \"value\": " + optional(f.value)
            out += ",\n      \"message\": " + jsonQuoted(f.message)
            out += i + 1 < findings.count ? "\n    },\n" : "\n    }\n"
        }
        out += "  ]\n}"
        return out
    }
}
