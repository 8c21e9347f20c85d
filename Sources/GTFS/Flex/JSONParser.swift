/// The state of ``JSONReader``: a cursor over the bytes and a stack of open containers. The
/// loop in ``run()`` reads values iteratively, so input depth never grows the call stack.
struct JSONParser {
    let bytes: [UInt8]
    let limits: JSONReader.Limits
    var i = 0
    var valueCount = 0
    var duplicates: [String] = []

    /// An array or object being read.
    struct Frame {
        let isObject: Bool
        var items: [JSONValue] = []
        var members: [JSONObject.Member] = []
        var pendingKey = ""
        /// Keys seen so far, kept once an object grows past a few members.
        var seen: Set<String> = []
    }

    init(bytes: [UInt8], limits: JSONReader.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONError {
        let at = min(max(0, offset ?? i), bytes.count)
        var line = 1, column = 1
        for k in 0..<at {
            if bytes[k] == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return JSONError(message: message, offset: at, line: line, column: column)
    }

    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONError) {
        guard current == byte else {
            throw fail(current == nil ? "unexpected end of text; expected \(what)" : "expected \(what)")
        }
        i += 1
    }

    mutating func countValue() throws(JSONError) {
        valueCount += 1
        if valueCount > limits.maxValues { throw fail("more than \(limits.maxValues) values") }
    }

    mutating func run() throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(message: "the text is larger than \(limits.maxBytes) bytes", offset: 0, line: 1, column: 1)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var stack: [Frame] = []
        var result: JSONValue? = nil
        skipWhitespace()
        parsing: while true {
            // Read one value, or open a container and read its first element.
            var value: JSONValue
            guard let c = current else { throw fail("unexpected end of text; expected a value") }
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = c == UInt8(ascii: "{")
                guard stack.count < limits.maxDepth else { throw fail("nesting deeper than \(limits.maxDepth) levels") }
                i += 1
                skipWhitespace()
                if current == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    try countValue()
                    value = isObject ? .object(JSONObject(members: [])) : .array([])
                } else {
                    var frame = Frame(isObject: isObject)
                    if isObject { frame.pendingKey = try readKey() }
                    stack.append(frame)
                    continue parsing
                }
            case UInt8(ascii: "\""):
                value = .string(try readString())
                try countValue()
            case UInt8(ascii: "t"):
                try literal("true"); value = .bool(true); try countValue()
            case UInt8(ascii: "f"):
                try literal("false"); value = .bool(false); try countValue()
            case UInt8(ascii: "n"):
                try literal("null"); value = .null; try countValue()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try readNumber())
                try countValue()
            default:
                throw fail("unexpected character; expected a value")
            }
            // Hand the value to its container, closing containers that end here.
            while true {
                guard !stack.isEmpty else { result = value; break parsing }
                let top = stack.count - 1
                let isObject = stack[top].isObject
                if isObject {
                    let key = stack[top].pendingKey
                    if stack[top].members.count < 8 {
                        if stack[top].members.contains(where: { $0.key == key }) { noteDuplicate(key) }
                        if stack[top].members.count == 7 { stack[top].seen = Set(stack[top].members.map(\.key) + [key]) }
                    } else if !stack[top].seen.insert(key).inserted {
                        noteDuplicate(key)
                    }
                    stack[top].members.append(JSONObject.Member(key: key, value: value))
                } else {
                    stack[top].items.append(value)
                }
                skipWhitespace()
                guard let next = current else {
                    throw fail("unexpected end of text; expected ',' or '\(isObject ? "}" : "]")'")
                }
                if next == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace()
                    if isObject { stack[top].pendingKey = try readKey() }
                    continue parsing
                }
                guard next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw fail("expected ',' or '\(isObject ? "}" : "]")'")
                }
                i += 1
                let frame = stack.removeLast()
                try countValue()
                value = frame.isObject ? .object(JSONObject(members: frame.members)) : .array(frame.items)
            }
        }
        skipWhitespace()
        guard i == bytes.count else { throw fail("unexpected text after the JSON value") }
        guard let result else { throw fail("unexpected end of text") }
        return result
    }

    mutating func noteDuplicate(_ key: String) {
        if duplicates.count < 100 { duplicates.append(key) }
    }

    /// Reads `"key"` and the `:` after it, leaving the cursor on the value.
    mutating func readKey() throws(JSONError) -> String {
        guard current == UInt8(ascii: "\"") else {
            throw fail(current == nil ? "unexpected end of text; expected a member name" : "expected a member name in double quotes")
        }
        let key = try readString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        skipWhitespace()
        return key
    }

    mutating func literal(_ word: StaticString) throws(JSONError) {
        let start = i
        let count = word.utf8CodeUnitCount
        var matches = i + count <= bytes.count
        if matches {
            word.withUTF8Buffer { w in
                for k in 0..<count where bytes[start + k] != w[k] { matches = false; break }
            }
        }
        guard matches else { throw fail("unexpected characters; expected a value") }
        i += count
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    mutating func digits() -> Int {
        let start = i
        while let b = current, JSONParser.isDigit(b) { i += 1 }
        return i - start
    }

    mutating func readNumber() throws(JSONError) -> Double {
        let start = i
        if current == UInt8(ascii: "-") { i += 1 }
        guard let first = current, JSONParser.isDigit(first) else { throw fail("expected a digit") }
        if first == UInt8(ascii: "0") {
            i += 1
            if let b = current, JSONParser.isDigit(b) { throw fail("a number cannot have a leading zero") }
        } else {
            _ = digits()
        }
        if current == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("expected a digit after the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw fail("the number \(text) is out of range", at: start) }
        return value
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Reads the four hex digits after `\u`.
    mutating func readHex4() throws(JSONError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("unexpected end of text in a \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let h = JSONParser.hexValue(bytes[i + k]) else { throw fail("expected four hex digits after \\u", at: i + k) }
            v = v << 4 | h
        }
        i += 4
        return v
    }

    /// The length of the valid UTF-8 sequence at `i` (2 to 4 bytes, lead byte ≥ 0x80), or `nil`.
    func utf8Length(at k: Int) -> Int? {
        let lead = bytes[k]
        func cont(_ o: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            k + o < bytes.count && bytes[k + o] >= lo && bytes[k + o] <= hi
        }
        switch lead {
        case 0xC2...0xDF: return cont(1) ? 2 : nil
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : nil
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : nil
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : nil
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : nil
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : nil
        default: return nil
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18 & 0x07))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Reads a string literal starting at the opening quote.
    mutating func readString() throws(JSONError) -> String {
        i += 1 // opening quote
        let start = i
        var escaped: [UInt8]? = nil // set once an escape forces a copy
        while true {
            guard i < bytes.count else { throw fail("unexpected end of text inside a string", at: start - 1) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let text: String
                if let e = escaped { text = String(decoding: e, as: UTF8.self) } else { text = String(decoding: bytes[start..<i], as: UTF8.self) }
                i += 1
                return text
            }
            if b < 0x20 { throw fail("a control character must be escaped inside a string") }
            if b < 0x80 && b != UInt8(ascii: "\\") {
                escaped?.append(b)
                i += 1
                continue
            }
            if b >= 0x80 {
                guard let n = utf8Length(at: i) else { throw fail("invalid UTF-8") }
                escaped?.append(contentsOf: bytes[i..<i + n])
                i += n
                continue
            }
            // A backslash escape.
            if escaped == nil { escaped = Array(bytes[start..<i]) }
            i += 1
            guard let e = current else { throw fail("unexpected end of text in an escape") }
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escaped?.append(e)
            case UInt8(ascii: "b"): escaped?.append(0x08)
            case UInt8(ascii: "f"): escaped?.append(0x0C)
            case UInt8(ascii: "n"): escaped?.append(0x0A)
            case UInt8(ascii: "r"): escaped?.append(0x0D)
            case UInt8(ascii: "t"): escaped?.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw fail("a high surrogate escape must be followed by a low surrogate escape")
                    }
                    i += 2
                    let low = try readHex4()
                    guard low >= 0xDC00 && low <= 0xDFFF else { throw fail("expected a low surrogate escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw fail("a low surrogate escape without a high surrogate")
                }
                if var out = escaped {
                    escaped = nil // avoid a copy while appending
                    JSONParser.appendUTF8(scalar, to: &out)
                    escaped = out
                }
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
            }
        }
    }
}
