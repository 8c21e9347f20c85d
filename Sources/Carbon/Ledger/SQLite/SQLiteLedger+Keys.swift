import Foundation
import GRDB

extension APIKey {
    init(row: Row) throws(CarbonError) {
        let id: String = row["key_id"]
        guard let role = KeyRole(rawValue: row["role"] ?? "") else {
            throw CarbonError(.ledgerRead, "key \(id) has an unknown role '\(row["role"] ?? "")'")
        }
        let modeText: String? = row["modes"]
        self.init(id: id, role: role, source: row["source"], modes: modeText.map(Mode.list(stored:)), name: row["name"],
                  createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }
}

extension Consent {
    init(row: Row) {
        let sources: String = row["sources"]
        let modes: String? = row["modes"]
        self.init(rider: row["rider"], sources: sources.split(separator: ",").map(String.init), modes: modes.map(Mode.list(stored:)),
                  recordedBy: row["recorded_by"], recordedAt: row["recorded_at"], id: row["id"])
    }
}

extension SQLiteLedger {
    public func createKey(role: KeyRole, source: String?, modes: [Mode]?, name: String?) throws(CarbonError) -> NewAPIKey {
        try LedgerRules.checkKeyRequest(role: role, source: source, modes: modes)
        let now = LedgerRules.utcNow()
        return try write("creating a \(role.rawValue) key") { db in
            // A new id in the unlikely case of a collision (64 bits of the key's hash).
            for _ in 0..<4 {
                let secret = LedgerRules.newSecret()
                let (id, hash) = LedgerRules.keyID(of: secret)
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

    public func keys() throws(CarbonError) -> [APIKey] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, key_id").map { row throws in try APIKey(row: row) } }
    }

    public func revokeKey(id: String) throws(CarbonError) -> APIKey {
        let now = LedgerRules.utcNow()
        return try write("revoking key \(id)") { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_id = ?", arguments: [id]) else {
                throw CarbonError(.notFound, file: path, "no key '\(id)'; see `transit carbon keys list`")
            }
            return try APIKey(row: row)
        }
    }

    /// The token's SHA-256 finds the row by its first 8 bytes; the stored 32-byte hash is then
    /// compared in constant time.
    public func authenticate(token: String) throws(CarbonError) -> APIKey? {
        guard LedgerRules.isKeyShaped(token) else { return nil }
        let (id, hash) = LedgerRules.keyID(of: token)
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_id = ?", arguments: [id]) else { return nil }
            let stored: Data = row["key_hash"]
            guard LedgerRules.constantTimeEqual(Array(stored), hash) else { return nil }
            let key = try APIKey(row: row)
            return key.isActive ? key : nil
        }
    }

    public func storedKeys() throws(CarbonError) -> [StoredKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, key_id").map { row throws in
                let hash: Data = row["key_hash"]
                return StoredKey(record: try APIKey(row: row), hash: Array(hash))
            }
        }
    }

    public func merge(keys: [StoredKey]) throws(CarbonError) {
        try write("copying \(keys.count) keys") { db in
            for key in keys {
                let r = key.record
                try db.execute(sql: """
                    INSERT INTO api_keys (key_id, key_hash, role, source, modes, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key_id) DO NOTHING
                    """, arguments: [r.id, Data(key.hash), r.role.rawValue, r.source, r.modes.map { $0.map(\.rawValue).joined(separator: ",") },
                                     r.name, r.createdAt, r.revokedAt])
                if let revoked = r.revokedAt {
                    try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", arguments: [revoked, r.id])
                }
            }
        }
    }

    // MARK: Consent

    public func recordConsent(rider: String, sources: [String], modes: [Mode]?, recordedBy: String) throws(CarbonError) -> Consent {
        let text = try LedgerRules.consentText(rider: rider, sources: sources, modes: modes)
        let now = LedgerRules.utcNow()
        return try write("recording consent") { db in
            try db.execute(sql: "INSERT INTO consents (rider, sources, modes, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [rider, text.sources, text.modes, recordedBy, now])
            guard let consent = try SQLiteLedger.consent(of: rider, db) else {
                throw CarbonError(.ledgerWrite, file: path, "the consent entry was not found after its insert; nothing was committed")
            }
            return consent
        }
    }

    public func consent(rider: String) throws(CarbonError) -> Consent? {
        try read { db in try SQLiteLedger.consent(of: rider, db) }
    }

    /// The latest consent of `rider`, read inside `db`'s transaction.
    static func consent(of rider: String, _ db: Database) throws -> Consent? {
        try Row.fetchOne(db, sql: "SELECT * FROM consents WHERE rider = ? ORDER BY id DESC LIMIT 1", arguments: [rider]).map(Consent.init(row:))
    }

    public func lastConsentID() throws(CarbonError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM consents") ?? 0 }
    }

    public func consents(after cursor: Int64, limit: Int) throws(CarbonError) -> [Consent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consents WHERE id > ? ORDER BY id LIMIT ?", arguments: [cursor, max(0, limit)])
                .map(Consent.init(row:))
        }
    }

    public func append(copied consents: [Consent]) throws(CarbonError) {
        try write("copying \(consents.count) consent entries") { db in
            for c in consents {
                try db.execute(sql: "INSERT INTO consents (id, rider, sources, modes, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [c.id, c.rider, c.sources.joined(separator: ","), c.modes.map { $0.map(\.rawValue).joined(separator: ",") },
                                           c.recordedBy, c.recordedAt])
            }
        }
    }
}
