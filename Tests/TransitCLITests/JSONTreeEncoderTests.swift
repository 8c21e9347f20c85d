import Testing
@testable import TransitCLI

/// The JSON outputs are Codable types rendered through ``JSONTreeEncoder``: these pin the
/// properties the byte-for-byte outputs rely on.
@Suite("JSONTreeEncoder")
struct JSONTreeEncoderTests {
    struct Row: Encodable {
        var zeta: String
        var alpha: Int
        var missing: Int?
        var ratio: Double
        var nested: [Inner]
        var flag: Bool
    }

    struct Inner: Encodable {
        var b: Int64
        var a: UInt8?
    }

    enum Kind: String, Encodable { case bus, tram }

    @Test("keys come out in declaration order and nil optionals as null")
    func orderAndNulls() throws {
        let row = Row(zeta: "z\"q", alpha: 3, missing: nil, ratio: 2.5,
                      nested: [Inner(b: 7, a: nil), Inner(b: -1, a: 9)], flag: true)
        let text = try JSON.encoding(row).render(indent: nil)
        #expect(text == #"{"zeta":"z\"q","alpha":3,"missing":null,"ratio":2.5,"nested":[{"b":7,"a":null},{"b":-1,"a":9}],"flag":true}"#)
    }

    @Test("renders exactly as the hand-built tree: doubles with integer values print as integers")
    func sameAsHandBuilt() throws {
        struct Doc: Encodable { var v: Double; var list: [Double]; var kind: Kind; var empty: [Int] }
        let encoded = try JSON.encoding(Doc(v: 12.0, list: [0.5, 3], kind: .tram, empty: []))
        let hand: JSON = .object([
            ("v", .double(12.0)), ("list", .array([.double(0.5), .double(3)])),
            ("kind", .string("tram")), ("empty", .array([])),
        ])
        #expect(encoded.render() == hand.render())
        #expect(encoded.render().contains("\"v\": 12,"))
    }

    @Test("an unsigned value beyond Int.max is written as a number, not lost")
    func bigUnsigned() throws {
        struct Doc: Encodable { var n: UInt64 }
        #expect(try JSON.encoding(Doc(n: UInt64.max)).render(indent: nil) == #"{"n":1.8446744073709552e+19}"#)
        #expect(try JSON.encoding(Doc(n: 42)).render(indent: nil) == #"{"n":42}"#)
    }
}
