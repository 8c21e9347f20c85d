import Crypto

/// Replaces rider ids with a keyed hash before anything is stored: `p_` + the first 32 hex
/// digits of HMAC-SHA256(secret, rider id). The same secret always gives the same pseudonym,
/// so balances still add up; without the secret the id cannot be recovered or guessed by
/// hashing candidate ids.
public struct Pseudonymizer: Sendable {
    let key: SymmetricKey

    /// Creates a pseudonymizer.
    /// - Throws: ``CarbonError`` `secret_too_short` when the secret has fewer than 16 bytes.
    public init(secret: [UInt8]) throws(CarbonError) {
        guard secret.count >= 16 else {
            throw CarbonError(.secretTooShort, "the pseudonymization secret has \(secret.count) bytes; use at least 16 (32 random bytes recommended)")
        }
        key = SymmetricKey(data: secret)
    }

    /// The pseudonym of `rider`.
    /// - Complexity: O(rider id length).
    public func pseudonym(_ rider: String) -> String {
        "p_" + Hashing.hmacSHA256Prefix(Array(rider.utf8), key: key)
    }
}
