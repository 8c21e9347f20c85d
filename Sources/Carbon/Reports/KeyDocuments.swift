/// An API key as `transit carbon keys list` and `revoke` print it (never the key itself).
public struct APIKeyDocument: Codable, Sendable, Equatable {
    /// The key's public id.
    public var keyID: String
    /// `operator`, `merchant`, `auditor` or `admin`.
    public var role: String
    /// An operator's source.
    public var source: String?
    /// An operator's modes (`null`: every mode).
    public var modes: [String]?
    /// The label.
    public var name: String?
    /// When it was created.
    public var createdAt: String
    /// When it was revoked (`null`: active).
    public var revokedAt: String?

    enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case role, source, modes, name
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    /// The document of `key`.
    public init(_ key: APIKey) {
        keyID = key.id
        role = key.role.rawValue
        source = key.source
        modes = key.modes?.map(\.rawValue)
        name = key.name
        createdAt = key.createdAt
        revokedAt = key.revokedAt
    }
}

/// A key just created, as `transit carbon keys create --format json` prints it, once:
/// `key_id` and `key` first.
public struct NewAPIKeyDocument: Codable, Sendable, Equatable {
    /// The key's public id.
    public var keyID: String
    /// The bearer token; shown only here.
    public var key: String
    /// The role.
    public var role: String
    /// An operator's source.
    public var source: String?
    /// An operator's modes (`null`: every mode).
    public var modes: [String]?
    /// The label.
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case key, role, source, modes, name
    }

    /// The document of `key`.
    public init(_ key: NewAPIKey) {
        keyID = key.record.id
        self.key = key.secret
        role = key.record.role.rawValue
        source = key.record.source
        modes = key.record.modes?.map(\.rawValue)
        name = key.record.name
    }
}
