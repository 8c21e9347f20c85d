/// An object of a report whose keys are data (table names, finding codes, rejection reasons),
/// kept in a chosen order: it encodes as one keyed object, the keys in ``entries`` order.
///
/// Decoding reads every key of the object; since JSON objects are unordered, the decoded
/// entries are sorted by key.
public struct KeyedValues<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// One key and its value.
    public struct Entry: Sendable, Equatable {
        /// The object key.
        public var key: String
        /// Its value.
        public var value: Value

        /// Creates an entry.
        public init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// The entries, in the order they are encoded.
    public var entries: [Entry]

    /// Creates the object from entries in encoding order.
    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Creates the object from `(key, value)` pairs in encoding order.
    public init(_ pairs: some Sequence<(String, Value)>) {
        entries = pairs.map { Entry(key: $0.0, value: $0.1) }
    }

    /// The value of `key`, if present.
    /// - Complexity: O(n) in the number of entries.
    public subscript(key: String) -> Value? {
        entries.first { $0.key == key }?.value
    }

    /// A coding key that is any string.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes one keyed object, its keys in ``entries`` order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for entry in entries { try container.encode(entry.value, forKey: AnyKey(stringValue: entry.key)) }
    }

    /// Decodes every key of one keyed object, sorted by key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        entries = try container.allKeys.map { Entry(key: $0.stringValue, value: try container.decode(Value.self, forKey: $0)) }
            .sorted { $0.key < $1.key }
    }
}
