import Crypto

/// The two digests the ledger stores, through swift-crypto (BoringSSL on Linux, CryptoKit on
/// Apple platforms): SHA-256 content hashes of trip records and HMAC-SHA256 pseudonyms of
/// rider ids, each cut to its first 128 bits and written as 32 lower-case hex digits.
///
/// Ledgers already hold values made by the hand-written SHA-256 this replaced; CarbonTests
/// pins some of them (and RFC 4231's vectors) so the two stay bit-identical.
enum Hashing {
    /// The first 16 bytes of SHA-256(`bytes`), as hex.
    /// - Complexity: O(n).
    static func sha256Prefix(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes { hex($0.prefix(16)) }
    }

    /// The first 16 bytes of HMAC-SHA256(`key`, `message`), as hex.
    /// - Complexity: O(key + message).
    static func hmacSHA256Prefix(_ message: [UInt8], key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: key).withUnsafeBytes { hex($0.prefix(16)) }
    }

    /// `bytes` as lower-case hex digits, two per byte.
    /// - Complexity: O(n).
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
            digits.withUTF8Buffer { d in
                var i = 0
                for byte in bytes {
                    out[i] = d[Int(byte >> 4)]
                    out[i + 1] = d[Int(byte & 15)]
                    i += 2
                }
                return i
            }
        }
    }
}
