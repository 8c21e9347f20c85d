/// 64-bit FNV-1a of a text's UTF-8 bytes: a fast, stable hash (the same in every process and
/// run, unlike `Hasher`) for keys that must not change, such as PostgreSQL advisory-lock keys,
/// and for telling texts apart without keeping them.
/// - Complexity: O(length).
package func fnv1a64(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in text.utf8 {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01B3
    }
    return h
}
