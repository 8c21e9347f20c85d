/// Encodes an `Encodable` value into a ``JSON`` tree, so the command's JSON outputs can be the
/// library's `Codable` types and still render exactly as before: object keys in the order the
/// value encodes them (a synthesized `encode(to:)` follows the declaration order), and `nil`
/// optionals written as `null` rather than left out (the documents list every key, always).
///
/// Numbers keep their kind: integers encode as ``JSON/int(_:)``, `Double` and `Float` as
/// ``JSON/double(_:)``. An unsigned value above `Int.max` is written as a double.
struct JSONTreeEncoder {
    /// The tree of `value`.
    /// - Throws: whatever `value.encode(to:)` throws; nothing of its own.
    func encode<Value: Encodable>(_ value: Value) throws -> JSON {
        let root = JSONNode()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        return root.json
    }
}

/// A node under construction: a scalar, an object with ordered keys, or an array. Scalars
/// inside an object or array are stored in place (no node of their own), and so are the
/// children (no copy of the key list per key written); an object's keys are few, so a repeated
/// key is found by a linear scan.
private final class JSONNode {
    enum Kind {
        case empty, scalar, object, array
    }

    /// A member of an object or an element of an array: a finished scalar, or a node.
    enum Slot {
        case value(JSON)
        case node(JSONNode)

        var json: JSON {
            switch self {
            case .value(let value): value
            case .node(let node): node.json
            }
        }
    }

    private var kind: Kind = .empty
    private var scalar: JSON = .null
    /// An object's keys, parallel to `slots`; empty for an array.
    private var keys: [String] = []
    /// An object's values or an array's elements.
    private var slots: [Slot] = []

    /// The node's value; an untouched node is an empty object (as `JSONEncoder` writes it).
    var json: JSON {
        switch kind {
        case .empty: .object([])
        case .scalar: scalar
        case .object: .object(zip(keys, slots).map { ($0, $1.json) })
        case .array: .array(slots.map(\.json))
        }
    }

    /// Makes the node a scalar.
    func set(_ value: JSON) {
        become(.scalar)
        scalar = value
    }

    /// Sets the member `key` to a scalar; turns the node into an object.
    func set(_ value: JSON, forKey key: String) {
        become(.object)
        if let i = keys.lastIndex(of: key) {
            slots[i] = .value(value)
        } else {
            keys.append(key)
            slots.append(.value(value))
        }
    }

    /// The child node at `key`, made (and its key appended) on first use; turns the node into
    /// an object.
    func child(_ key: String) -> JSONNode {
        become(.object)
        let existing = keys.lastIndex(of: key)
        if let existing, case .node(let node) = slots[existing] { return node }
        let node = JSONNode()
        if let existing {
            slots[existing] = .node(node)
        } else {
            keys.append(key)
            slots.append(.node(node))
        }
        return node
    }

    /// Appends a scalar element; turns the node into an array.
    func append(_ value: JSON) {
        become(.array)
        slots.append(.value(value))
    }

    /// A new last element node; turns the node into an array.
    func appendChild() -> JSONNode {
        become(.array)
        let node = JSONNode()
        slots.append(.node(node))
        return node
    }

    /// Makes the node an object (so an encoder that opens a container and writes nothing gives `{}`).
    func makeObject() { become(.object) }

    /// Makes the node an array (so an empty sequence gives `[]`).
    func makeArray() { become(.array) }

    /// An array's element count (0 otherwise).
    var count: Int { kind == .array ? slots.count : 0 }

    /// Switches to `newKind`, dropping what the node held when it was of another kind.
    private func become(_ newKind: Kind) {
        guard kind != newKind else { return }
        kind = newKind
        scalar = .null
        keys = []
        slots = []
    }
}

/// Arrays of numbers (GeoJSON coordinates: hundreds of thousands in a large feed) turned into
/// their tree directly, without a node per element; the result is the tree the generic path
/// gives.
private enum NumberArrays {
    static func tree<T>(_ value: T) -> JSON? {
        if let numbers = value as? [Double] { return .array(numbers.map(JSON.double)) }
        if let rows = value as? [[Double]] { return .array(rows.map { .array($0.map(JSON.double)) }) }
        return nil
    }
}

/// Scalars as ``JSON`` values.
private enum Scalar {
    static func integer<T: BinaryInteger>(_ value: T) -> JSON {
        if let v = Int(exactly: value) { return .int(v) }
        return .double(Double(value))
    }
}

private struct NodeEncoder: Encoder {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [any CodingKey]

    private func set(_ value: JSON, _ key: Key) { node.set(value, forKey: key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(Scalar.integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(Scalar.integer(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let tree = NumberArrays.tree(value) { return set(tree, key) }
        try value.encode(to: NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]))
    }

    // A missing optional is written as `null`: the documents always list every key.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOrNull(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encodeOrNull(value, key) }

    private mutating func encodeOrNull<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(key.stringValue)
        child.makeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }
}

/// A container that takes scalars one at a time (an array appends them, a single value holds
/// one): the scalar `encode` overloads of both container kinds, written once.
private protocol ScalarSink {
    func put(_ value: JSON)
}

extension ScalarSink {
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: Int16) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: Int32) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: Int64) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: UInt8) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: UInt16) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: UInt32) throws { put(Scalar.integer(value)) }
    mutating func encode(_ value: UInt64) throws { put(Scalar.integer(value)) }
}

/// A coding key for array positions.
private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer, ScalarSink {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var count: Int { node.count }

    private func next() -> (JSONNode, [any CodingKey]) {
        let path = codingPath + [IndexKey(node.count)]
        return (node.appendChild(), path)
    }

    func put(_ value: JSON) { node.append(value) }
    private func append(_ value: JSON) { node.append(value) }


    mutating func encode<T: Encodable>(_ value: T) throws {
        if let tree = NumberArrays.tree(value) { return append(tree) }
        let (child, path) = next()
        try value.encode(to: NodeEncoder(node: child, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (child, path) = next()
        child.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (child, path) = next()
        child.makeArray()
        return UnkeyedNodeContainer(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let (child, path) = next()
        return NodeEncoder(node: child, codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer, ScalarSink {
    let node: JSONNode
    var codingPath: [any CodingKey]

    func put(_ value: JSON) { node.set(value) }
    private func set(_ value: JSON) { node.set(value) }


    mutating func encode<T: Encodable>(_ value: T) throws {
        if let tree = NumberArrays.tree(value) { return set(tree) }
        try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }
}

extension JSON {
    /// The tree of a `Codable` document, keys in its encoding order, `nil` as `null`.
    static func encoding<Value: Encodable>(_ value: Value) throws -> JSON {
        try JSONTreeEncoder().encode(value)
    }
}
