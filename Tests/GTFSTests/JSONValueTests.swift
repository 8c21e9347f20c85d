@testable import GTFS
import Testing

@Suite("The strict JSON reader")
struct JSONValueTests {
    func parse(_ text: String, limits: JSONReader.Limits = JSONReader.Limits()) throws -> JSONValue {
        try JSONReader.parse(text, limits: limits).root
    }

    func error(_ text: String, limits: JSONReader.Limits = JSONReader.Limits()) -> JSONError? {
        error(Array(text.utf8), limits: limits)
    }

    func error(_ bytes: [UInt8], limits: JSONReader.Limits = JSONReader.Limits()) -> JSONError? {
        do {
            _ = try JSONReader.parse(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("scalars, arrays and objects read as typed values, members in file order")
    func values() throws {
        let v = try parse(#" { "a" : [1, -2.5e2, 0, 0.125, true, false, null], "b": {"c": "d"}, "e": [] , "f": {} } "#)
        #expect(v["a"] == .array([.number(1), .number(-250), .number(0), .number(0.125), .bool(true), .bool(false), .null]))
        #expect(v["b"]?["c"] == .string("d"))
        #expect(v["e"] == .array([]))
        #expect(v["f"] == .object(JSONObject(members: [])))
        #expect(v.objectValue?.keys == ["a", "b", "e", "f"])
        #expect(try parse("42") == .number(42))
        #expect(try parse(#""x""#) == .string("x"))
    }

    @Test("escapes, surrogate pairs and UTF-8 text decode; a leading byte order mark is skipped")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u20AC\ud83d\ude8c""#) == .string("Aé€🚌"))
        #expect(try parse("\"Vilnius – Kaunas 🚌\"") == .string("Vilnius – Kaunas 🚌"))
        #expect(try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)).root == .array([.number(1)]))
    }

    @Test("a repeated key is recorded and the first value is the one looked up")
    func duplicates() throws {
        let doc = try JSONReader.parse(#"{"type": "A", "x": {"k": 1, "k": 2}, "type": "B"}"#)
        #expect(doc.duplicateKeys == ["k", "type"])
        #expect(doc.root["type"] == .string("A"))
        #expect(doc.root["x"]?["k"] == .number(1))
        // Past eight members the reader switches to a set; repeats are still found.
        let many = "{" + (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + ", \"k3\": 0, \"k19\": 1}"
        #expect(try JSONReader.parse(many).duplicateKeys == ["k3", "k19"])
    }

    @Test("malformed texts are errors with their position", arguments: [
        "", "   ", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]", "{'a':1}", "{a:1}",
        "[1 2]", "[1] [2]", "// c\n[1]", "[NaN]", "[Infinity]", "[1e400]", "\"abc", "\"a\u{1}b\"", "\"\\x\"",
        "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "[tru]", "[nul]", "{\"a\" 1}", "{\"a\":}", "[",
        "{", "]", "}", "{\"a\":1", "[1,2", "\u{00A0}[1]",
    ])
    func malformed(_ text: String) {
        #expect(error(text) != nil, "accepted: \(text.debugDescription)")
    }

    @Test("invalid UTF-8 is an error: stray continuation, overlong, surrogate, past U+10FFFF, truncated")
    func invalidUTF8() {
        for bad: [UInt8] in [[0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
                             [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x82]] {
            let text = [0x22] + bad + [0x22]
            #expect(error(text)?.message == "invalid UTF-8", "accepted: \(bad)")
        }
        #expect(error([0x5B, 0xC3, 0xA9, 0x5D]) != nil) // non-ASCII outside a string
    }

    @Test("an error names its line and column")
    func position() throws {
        let e = try #require(error("{\n  \"a\": [1,\n    ]\n}"))
        #expect(e.line == 3 && e.column == 5)
        #expect(e.description.contains("line 3, column 5"))
    }

    @Test("nesting, size and value count are bounded, and deep input does not recurse")
    func limits() throws {
        #expect(try parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) != .null)
        #expect(error(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))?.message.contains("nesting") == true)
        // A million open brackets: refused at the depth limit, without exhausting the stack.
        #expect(error(String(repeating: "[", count: 1_000_000)) != nil)
        #expect(error(String(repeating: "{\"a\":", count: 100_000)) != nil)
        #expect(error("[1,2,3]", limits: JSONReader.Limits(maxValues: 3))?.message.contains("values") == true)
        #expect(error("[1, 2]", limits: JSONReader.Limits(maxBytes: 5))?.message.contains("larger") == true)
    }

    @Test("random mutations of a GeoJSON text never crash the reader or the GeoJSON reader")
    func fuzz() {
        let seed = Array(#"{"type":"FeatureCollection","features":[{"id":"Z1","type":"Feature","properties":{"stop_name":"Zone \u00e9"},"geometry":{"type":"Polygon","coordinates":[[[25.0,54.0],[25.4,54.0],[25.4,54.4],[25.0,54.0]]]}}]}"#.utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(truncatingIfNeeded: state & 0x7FFF_FFFF)
        }
        let alphabet = Array(#"{}[]",:.-+e0123456789\u"ntf "#.utf8) + [0x00, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var parsed = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0...(next() % 4) {
                guard !bytes.isEmpty else { break }
                let at = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[at] = alphabet[next() % alphabet.count]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[next() % alphabet.count], at: at)
                }
            }
            if (try? JSONReader.parse(bytes)) != nil { parsed += 1 }
            _ = LocationsFile(bytes: bytes)
        }
        #expect(parsed > 0)
    }
}
