/// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), small and dependency-free: content hashes
/// of trip records and keyed pseudonyms of rider ids.
public enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest of `message`.
    /// - Complexity: O(n); no allocation but the result.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        k.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
                        let full = m.count / 64
                        for block in 0..<full { compress(&h, m.baseAddress.map { $0 + block * 64 }, w, k) }
                        let rem = m.count - full * 64
                        for i in 0..<rem { tail[i] = m[full * 64 + i] }
                        tail[rem] = 0x80
                        let total = rem + 9 <= 64 ? 64 : 128
                        for i in (rem + 1)..<total { tail[i] = 0 }
                        let bits = UInt64(m.count) &* 8
                        for i in 0..<8 { tail[total - 1 - i] = UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8)) }
                        compress(&h, UnsafePointer(tail.baseAddress), w, k)
                        if total == 128 { compress(&h, tail.baseAddress.map { UnsafePointer($0 + 64) }, w, k) }
                    }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: 32)
        for (i, v) in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7].enumerated() {
            out[i * 4] = UInt8(truncatingIfNeeded: v >> 24)
            out[i * 4 + 1] = UInt8(truncatingIfNeeded: v >> 16)
            out[i * 4 + 2] = UInt8(truncatingIfNeeded: v >> 8)
            out[i * 4 + 3] = UInt8(truncatingIfNeeded: v)
        }
        return out
    }

    /// One 64-byte block into the state.
    @inline(__always)
    private static func compress(_ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
                                 _ block: UnsafePointer<UInt8>?, _ w: UnsafeMutableBufferPointer<UInt32>,
                                 _ k: UnsafeBufferPointer<UInt32>) {
        guard let p = block else { return }
        for i in 0..<16 {
            let j = i * 4
            w[i] = UInt32(p[j]) << 24 | UInt32(p[j + 1]) << 16 | UInt32(p[j + 2]) << 8 | UInt32(p[j + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    /// HMAC-SHA256 of `message` under `key`.
    /// - Complexity: O(key + message).
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = hash(k.map { $0 ^ 0x36 } + message)
        return hash(k.map { $0 ^ 0x5c } + inner)
    }

    /// Lower-case hexadecimal of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}

/// Replaces rider ids with a keyed hash before anything is stored: `p_` + the first 32 hex
/// digits of HMAC-SHA256(secret, rider id). The same secret always gives the same pseudonym,
/// so balances still add up; without the secret the id cannot be recovered or guessed by
/// hashing candidate ids.
public struct Pseudonymizer: Sendable {
    let key: [UInt8]

    /// Creates a pseudonymizer.
    /// - Throws: ``CarbonError`` `secret_too_short` when the secret has fewer than 16 bytes.
    public init(secret: [UInt8]) throws(CarbonError) {
        guard secret.count >= 16 else {
            throw CarbonError("secret_too_short", "the pseudonymization secret has \(secret.count) bytes; use at least 16 (32 random bytes recommended)")
        }
        key = secret
    }

    /// The pseudonym of `rider`.
    public func pseudonym(_ rider: String) -> String {
        "p_" + SHA256.hex(Array(SHA256.hmac(key: key, message: Array(rider.utf8)).prefix(16)))
    }
}
