import Crypto
import Foundation
import GRDB

/// What an API key may do on the carbon service.
public enum KeyRole: String, Sendable, CaseIterable, Codable {
    /// An operator (bus company, metro, bike share, an app): bound to one source and
    /// optionally to modes; submits and reverses its own trips, records consent, reads balances.
    case `operator`
    /// A merchant: redeems points and reads balances.
    case merchant
    /// An auditor: reads balances, statements, exports and the methodology.
    case auditor
    /// Everything.
    case admin
}

/// An API key as the ledger keeps it: never the key itself, only its SHA-256.
public struct APIKey: Sendable, Equatable {
    /// The public id of the key (`k_` + 16 hex digits), safe to log and to name in `revoke`.
    public let id: String
    /// What the key may do.
    public let role: KeyRole
    /// The source an operator key writes as (`nil` for other roles).
    public let source: String?
    /// The modes an operator key may submit (`nil`: every mode).
    public let modes: [Mode]?
    /// A label for people.
    public let name: String?
    /// When the key was created (UTC, ISO 8601).
    public let createdAt: String
    /// When the key was revoked, if it was.
    public let revokedAt: String?

    /// Whether the key still works.
    public var isActive: Bool { revokedAt == nil }

    init(row: Row) throws(CarbonError) {
        id = row["key_id"]
        guard let role = KeyRole(rawValue: row["role"] ?? "") else {
            throw CarbonError(.ledgerRead, "key \(id) has an unknown role '\(row["role"] ?? "")'")
        }
        self.role = role
        source = row["source"]
        let modeText: String? = row["modes"]
        modes = modeText.map { $0.split(separator: ",").compactMap { Mode(rawValue: String($0)) } }
        name = row["name"]
        createdAt = row["created_at"]
        revokedAt = row["revoked_at"]
    }
}

/// A key just created: the record and the secret, which is shown once and never stored.
public struct NewAPIKey: Sendable {
    /// The stored record.
    public let record: APIKey
    /// The bearer token: `tpk_` + 64 hex digits (256 random bits).
    public let secret: String
}

/// A rider's consent in force: which sources may submit their trips, in which modes.
public struct Consent: Sendable, Equatable {
    /// The rider (as stored).
    public let rider: String
    /// The sources whose trips may be credited.
    public let sources: [String]
    /// The modes that may be credited (`nil`: every mode).
    public let modes: [Mode]?
    /// The key that recorded it.
    public let recordedBy: String
    /// When it was recorded (UTC, ISO 8601).
    public let recordedAt: String
    /// The consent entry's id, increasing in commit order.
    public let id: Int64

    /// Whether a trip of `source` in `mode` may be credited under this consent.
    public func allows(source: String, mode: Mode) -> Bool {
        sources.contains(source) && (modes?.contains(mode) ?? true)
    }
}

extension Ledger {
    /// Whether `name` can be a source: 1 to 64 of `A–Z a–z 0–9 _ . -`.
    public static func isValidSource(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E || c == 0x2D
        }
    }

    /// Creates an API key: 256 random bits, of which only the SHA-256 is stored.
    /// - Parameters:
    ///   - source: required for (and only for) ``KeyRole/operator``.
    ///   - modes: for operators, the modes they may submit (`nil`: every mode).
    /// - Throws: ``CarbonError`` `invalid_key` for a role/source mismatch, `ledger_write`.
    public func createKey(role: KeyRole, source: String? = nil, modes: [Mode]? = nil, name: String? = nil) throws(CarbonError) -> NewAPIKey {
        switch (role, source) {
        case (.operator, nil):
            throw CarbonError(.invalidKey, "an operator key needs --source NAME (the source its trips are credited as)")
        case (.operator, let s?) where !Ledger.isValidSource(s):
            throw CarbonError(.invalidKey, "source '\(s)': use 1 to 64 letters, digits, '_', '.' or '-'")
        case (.operator, _):
            break
        case (_, let s?):
            throw CarbonError(.invalidKey, "--source '\(s)' is for operator keys only; a \(role.rawValue) key is not bound to a source")
        case (_, nil):
            guard modes == nil else { throw CarbonError(.invalidKey, "--modes is for operator keys only") }
        }
        if let modes, modes.isEmpty { throw CarbonError(.invalidKey, "--modes needs at least one mode") }
        let now = Ledger.utcNow()
        return try write("creating a \(role.rawValue) key") { db in
            // A new id in the unlikely case of a collision (64 bits of the key's hash).
            for _ in 0..<4 {
                let secret = "tpk_" + Hashing.hex(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
                let (id, hash) = Ledger.keyID(of: secret)
                if try Int.fetchOne(db, sql: "SELECT 1 FROM api_keys WHERE key_id = ?", arguments: [id]) != nil { continue }
                try db.execute(sql: """
                    INSERT INTO api_keys (key_id, key_hash, role, source, modes, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, Data(hash), role.rawValue, source, modes.map { $0.map(\.rawValue).joined(separator: ",") }, name, now])
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_id = ?", arguments: [id]) else { break }
                return NewAPIKey(record: try APIKey(row: row), secret: secret)
            }
            throw CarbonError(.ledgerWrite, "could not create a key with a new id; try again")
        }
    }

    /// Every key, oldest first (revoked ones too).
    public func keys() throws(CarbonError) -> [APIKey] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, key_id").map { row throws in try APIKey(row: row) } }
    }

    /// Revokes key `id`; it stops working at once (every request reads the key afresh).
    /// Revoking a revoked key changes nothing and returns it.
    /// - Throws: ``CarbonError`` `not_found`, `ledger_write`.
    public func revokeKey(id: String) throws(CarbonError) -> APIKey {
        let now = Ledger.utcNow()
        return try write("revoking key \(id)") { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_id = ?", arguments: [id]) else {
                throw CarbonError(.notFound, file: path, "no key '\(id)'; see `transit carbon keys list`")
            }
            return try APIKey(row: row)
        }
    }

    /// The active key whose secret is `token`, or `nil` (unknown, malformed or revoked).
    ///
    /// The token's SHA-256 finds the row by its first 8 bytes; the stored 32-byte hash is then
    /// compared in constant time, so the comparison's time does not depend on how many bytes
    /// match.
    public func authenticate(token: String) throws(CarbonError) -> APIKey? {
        guard token.utf8.count == 68, token.hasPrefix("tpk_") else { return nil }
        let (id, hash) = Ledger.keyID(of: token)
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_id = ?", arguments: [id]) else { return nil }
            let stored: Data = row["key_hash"]
            guard Ledger.constantTimeEqual(Array(stored), hash) else { return nil }
            let key = try APIKey(row: row)
            return key.isActive ? key : nil
        }
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// A key's id (`k_` + the first 8 bytes of its SHA-256 in hex) and its SHA-256.
    static func keyID(of secret: String) -> (id: String, hash: [UInt8]) {
        let hash = Array(SHA256.hash(data: Array(secret.utf8)))
        return ("k_" + Hashing.hex(hash.prefix(8)), hash)
    }

    // MARK: Consent

    /// Records `rider`'s consent: from now on only trips of `sources` (in `modes`, `nil`: every
    /// mode) are credited for them when the policy requires consent. An empty `sources`
    /// withdraws consent. Consent entries are append-only; the latest is in force.
    /// - Throws: ``CarbonError`` `invalid_consent`, `ledger_write`.
    public func recordConsent(rider: String, sources: [String], modes: [Mode]?, recordedBy: String) throws(CarbonError) -> Consent {
        guard !rider.isEmpty else { throw CarbonError(.invalidConsent, "consent needs a rider id") }
        for s in sources where !Ledger.isValidSource(s) {
            throw CarbonError(.invalidConsent, "source '\(s)': use 1 to 64 letters, digits, '_', '.' or '-'")
        }
        let now = Ledger.utcNow()
        let sourceText = Array(Set(sources)).sorted().joined(separator: ",")
        let modeText = modes.map { Array(Set($0.map(\.rawValue))).sorted().joined(separator: ",") }
        return try write("recording consent") { db in
            try db.execute(sql: "INSERT INTO consents (rider, sources, modes, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [rider, sourceText, modeText, recordedBy, now])
            guard let consent = try Ledger.consent(of: rider, db) else {
                throw CarbonError(.ledgerWrite, file: path, "the consent entry was not found after its insert; nothing was committed")
            }
            return consent
        }
    }

    /// The consent in force for `rider`, if any was recorded.
    public func consent(rider: String) throws(CarbonError) -> Consent? {
        try read { db in try Ledger.consent(of: rider, db) }
    }

    /// The latest consent of `rider`, read inside `db`'s transaction.
    static func consent(of rider: String, _ db: Database) throws -> Consent? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM consents WHERE rider = ? ORDER BY id DESC LIMIT 1", arguments: [rider]) else {
            return nil
        }
        let sources: String = row["sources"]
        let modes: String? = row["modes"]
        return Consent(rider: rider, sources: sources.split(separator: ",").map(String.init),
                       modes: modes.map { $0.split(separator: ",").compactMap { Mode(rawValue: String($0)) } },
                       recordedBy: row["recorded_by"], recordedAt: row["recorded_at"], id: row["id"])
    }
}
