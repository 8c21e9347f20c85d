/// A JSON value, as ``JSONReader`` reads it: numbers are `Double`s, objects keep their members
/// in file order (duplicated keys included; lookup finds the first).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member `key` of an object (the first when the key repeats), `nil` for a missing
    /// member or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number of a number value.
    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The elements of an array value.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members of an object value.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the value's kind (`string`, `object` …), for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// The members of a JSON object in file order.
public struct JSONObject: Sendable, Equatable {
    /// One `"key": value` pair.
    public struct Member: Sendable, Equatable {
        public let key: String
        public let value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members, in file order; a repeated key appears more than once.
    public let members: [Member]

    public init(members: [Member]) {
        self.members = members
    }

    /// The value of the first member named `key`.
    /// - Complexity: O(members).
    public subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    /// The keys in file order.
    public var keys: [String] { members.map(\.key) }
}

/// Why a text is not JSON, and where (1-based line and column of the offending byte).
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The 0-based byte offset.
    public let offset: Int
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, in bytes.
    public let column: Int

    public var description: String { "\(message) at line \(line), column \(column)" }
}

/// A parsed JSON text and the keys found repeated within one object.
public struct JSONDocument: Sendable {
    /// The top-level value.
    public let root: JSONValue
    /// Keys that appeared twice in the same object, in the order met (at most 100 kept).
    public let duplicateKeys: [String]
}

/// A strict, bounded JSON reader (RFC 8259) for files a feed brings, such as
/// `locations.geojson`.
///
/// It is written for hostile input: it never recurses (nesting is an explicit stack, bounded by
/// ``Limits/maxDepth``), refuses texts and value counts beyond ``Limits``, validates UTF-8
/// (overlong forms, surrogates and code points past U+10FFFF are errors), refuses control
/// characters in strings, lone surrogate escapes, leading zeros, trailing commas, comments and
/// anything after the top-level value. A leading UTF-8 byte order mark is skipped.
public enum JSONReader {
    /// Bounds on what one text may hold.
    public struct Limits: Sendable {
        /// The largest text accepted, in bytes.
        public var maxBytes: Int
        /// The deepest nesting of arrays and objects.
        public var maxDepth: Int
        /// The most values (scalars, arrays and objects) in one text.
        public var maxValues: Int

        public init(maxBytes: Int = 64 << 20, maxDepth: Int = 64, maxValues: Int = 8_000_000) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxValues = maxValues
        }
    }

    /// Parses `bytes` as one JSON text.
    /// - Throws: ``JSONError`` for malformed text or a text beyond `limits`.
    /// - Complexity: O(n) in the text's length.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(JSONError) -> JSONDocument {
        var parser = JSONParser(bytes: bytes, limits: limits)
        let root = try parser.run()
        return JSONDocument(root: root, duplicateKeys: parser.duplicates)
    }

    /// Parses UTF-8 `text` (a convenience for tests and literals).
    public static func parse(_ text: String, limits: Limits = Limits()) throws(JSONError) -> JSONDocument {
        try parse(Array(text.utf8), limits: limits)
    }
}
