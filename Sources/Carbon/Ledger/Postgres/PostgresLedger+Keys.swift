import NIOCore
import PostgresNIO

extension APIKey {
    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        let id = try r["key_id"].decode(String.self), roleText = try r["role"].decode(String.self)
        guard let role = KeyRole(rawValue: roleText) else {
            throw CarbonError(.ledgerRead, "key \(id) has an unknown role '\(roleText)'")
        }
        self.init(id: id, role: role, source: try r["source"].decode(String?.self), modes: try r["modes"].decode(String?.self).map(Mode.list(stored:)),
                  name: try r["name"].decode(String?.self), createdAt: try r["created_at"].decode(String.self),
                  revokedAt: try r["revoked_at"].decode(String?.self))
    }
}

extension Consent {
    init(row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(rider: try r["rider"].decode(String.self), sources: try r["sources"].decode(String.self).split(separator: ",").map(String.init),
                  modes: try r["modes"].decode(String?.self).map(Mode.list(stored:)), recordedBy: try r["recorded_by"].decode(String.self),
                  recordedAt: try r["recorded_at"].decode(String.self), id: try r["id"].decode(Int64.self))
    }
}

extension PostgresLedger {
    public func createKey(role: KeyRole, source: String?, modes: [Mode]?, name: String?) throws(CarbonError) -> NewAPIKey {
        try LedgerRules.checkKeyRequest(role: role, source: source, modes: modes)
        let now = LedgerRules.utcNow()
        let modeText = modes.map { $0.map(\.rawValue).joined(separator: ",") }
        return try write("creating a \(role.rawValue) key") { s in
            // A new id in the unlikely case of a collision (64 bits of the key's hash).
            for _ in 0..<4 {
                let secret = LedgerRules.newSecret()
                let (id, hash) = LedgerRules.keyID(of: secret)
                let rows = try s.rows("""
                    INSERT INTO api_keys (key_id, key_hash, role, source, modes, name, created_at)
                    VALUES (\(id), \(ByteBuffer(bytes: hash)), \(role.rawValue), \(source), \(modeText), \(name), \(now))
                    ON CONFLICT (key_id) DO NOTHING
                    RETURNING *
                    """)
                if let row = rows.first { return NewAPIKey(record: try APIKey(row: row), secret: secret) }
            }
            throw CarbonError(.ledgerWrite, "could not create a key with a new id; try again")
        }
    }

    public func keys() throws(CarbonError) -> [APIKey] {
        try read { s in try s.rows("SELECT * FROM api_keys ORDER BY created_at, key_id COLLATE \"C\"").map(APIKey.init(row:)) }
    }

    public func revokeKey(id: String) throws(CarbonError) -> APIKey {
        let now = LedgerRules.utcNow()
        let here = location
        return try write("revoking key \(id)") { s in
            try s.run("UPDATE api_keys SET revoked_at = \(now) WHERE key_id = \(id) AND revoked_at IS NULL")
            guard let row = try s.rows("SELECT * FROM api_keys WHERE key_id = \(id)").first else {
                throw CarbonError(.notFound, file: here, "no key '\(id)'; see `transit carbon keys list`")
            }
            return try APIKey(row: row)
        }
    }

    public func authenticate(token: String) throws(CarbonError) -> APIKey? {
        guard LedgerRules.isKeyShaped(token) else { return nil }
        let (id, hash) = LedgerRules.keyID(of: token)
        return try read { s in
            guard let row = try s.rows("SELECT * FROM api_keys WHERE key_id = \(id)").first else { return nil }
            let stored = try row.makeRandomAccess()["key_hash"].decode(ByteBuffer.self)
            guard LedgerRules.constantTimeEqual(Array(stored.readableBytesView), hash) else { return nil }
            let key = try APIKey(row: row)
            return key.isActive ? key : nil
        }
    }

    public func storedKeys() throws(CarbonError) -> [StoredKey] {
        try read { s in
            try s.rows("SELECT * FROM api_keys ORDER BY created_at, key_id COLLATE \"C\"").map { row in
                StoredKey(record: try APIKey(row: row), hash: Array(try row.makeRandomAccess()["key_hash"].decode(ByteBuffer.self).readableBytesView))
            }
        }
    }

    public func merge(keys: [StoredKey]) throws(CarbonError) {
        try write("copying \(keys.count) keys") { s in
            for key in keys {
                let r = key.record
                try s.run("""
                    INSERT INTO api_keys (key_id, key_hash, role, source, modes, name, created_at, revoked_at)
                    VALUES (\(r.id), \(ByteBuffer(bytes: key.hash)), \(r.role.rawValue), \(r.source), \(r.modes.map { $0.map(\.rawValue).joined(separator: ",") }),
                            \(r.name), \(r.createdAt), \(r.revokedAt))
                    ON CONFLICT (key_id) DO NOTHING
                    """)
                if let revoked = r.revokedAt {
                    try s.run("UPDATE api_keys SET revoked_at = \(revoked) WHERE key_id = \(r.id) AND revoked_at IS NULL")
                }
            }
        }
    }

    // MARK: Consent

    public func recordConsent(rider: String, sources: [String], modes: [Mode]?, recordedBy: String) throws(CarbonError) -> Consent {
        let text = try LedgerRules.consentText(rider: rider, sources: sources, modes: modes)
        let now = LedgerRules.utcNow()
        let here = location
        return try write("recording consent") { s in
            let rows = try s.rows("""
                INSERT INTO consents (rider, sources, modes, recorded_by, recorded_at)
                VALUES (\(rider), \(text.sources), \(text.modes), \(recordedBy), \(now))
                RETURNING *
                """)
            guard let row = rows.first else {
                throw CarbonError(.ledgerWrite, file: here, "the consent entry was not found after its insert; nothing was committed")
            }
            return try Consent(row: row)
        }
    }

    public func consent(rider: String) throws(CarbonError) -> Consent? {
        try read { s in try s.rows("SELECT * FROM consents WHERE rider = \(rider) ORDER BY id DESC LIMIT 1").first.map(Consent.init(row:)) }
    }

    public func lastConsentID() throws(CarbonError) -> Int64 {
        try read { s in try s.rows("SELECT COALESCE(MAX(id), 0)::bigint FROM consents").first?.decode(Int64.self) ?? 0 }
    }

    public func consents(after cursor: Int64, limit: Int) throws(CarbonError) -> [Consent] {
        try read { s in try s.rows("SELECT * FROM consents WHERE id > \(cursor) ORDER BY id LIMIT \(max(0, limit))").map(Consent.init(row:)) }
    }

    public func append(copied consents: [Consent]) throws(CarbonError) {
        guard !consents.isEmpty else { return }
        try write("copying \(consents.count) consent entries") { s in
            for c in consents {
                try s.run("""
                    INSERT INTO consents (id, rider, sources, modes, recorded_by, recorded_at)
                    VALUES (\(c.id), \(c.rider), \(c.sources.joined(separator: ",")), \(c.modes.map { $0.map(\.rawValue).joined(separator: ",") }),
                            \(c.recordedBy), \(c.recordedAt))
                    """)
            }
            try s.run("SELECT setval(pg_get_serial_sequence('consents', 'id'), (SELECT MAX(id) FROM consents))")
        }
    }
}
