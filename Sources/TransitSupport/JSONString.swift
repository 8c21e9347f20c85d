// JSONString.swift: a string as a JSON string literal, for the hand-written JSON of the CLI's
// renderer and the service's log lines.

/// `s` as a JSON string literal: quoted, with `"`, `\` and control characters escaped (RFC 8259).
/// - Complexity: O(n).
package func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
