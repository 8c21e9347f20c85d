/// Interns byte strings: each distinct value gets a dense code `0, 1, 2, …` in order of first
/// appearance. Used for identifiers and text columns, so a 445k-row `stop_times.txt` makes one
/// `String` per distinct `trip_id`, not one per row.
///
/// Open addressing with linear probing over a power-of-two table; keys are copied into one
/// arena. The storage is raw memory owned by the instance, so the hot path has no
/// copy-on-write, bounds or exclusivity checks; every index is kept in range by construction.
/// Not thread-safe: each parse task owns its interners.
/// - Complexity: amortised O(key length) per ``intern(_:_:)``.
final class ByteInterner {
    private var slots: UnsafeMutablePointer<Int32>
    private var slotCount: Int
    private var hashes: UnsafeMutablePointer<UInt64>
    /// Start offset of each key in the arena; `offsets[count]` is the arena's used length.
    private var offsets: UnsafeMutablePointer<Int>
    private var keyCapacity: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    /// The number of distinct values.
    private(set) var count: Int = 0
    private var lastCode: Int = -1

    init(capacity: Int = 64) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        slotCount = size
        slots = .allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        keyCapacity = size / 2
        hashes = .allocate(capacity: keyCapacity)
        offsets = .allocate(capacity: keyCapacity + 1)
        offsets[0] = 0
        arenaCapacity = 1024
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        hashes.deallocate()
        offsets.deallocate()
        arena.deallocate()
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        // FNV-1a over 8-byte words where possible, then a final avalanche.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 31
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }

    @inline(__always)
    private func equals(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = offsets[code]
        guard offsets[code + 1] - start == n else { return false }
        // Short keys (most identifiers) compare inline, 8 bytes at a time.
        let a = UnsafeRawPointer(arena + start), b = UnsafeRawPointer(p)
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// The code of the `n` bytes at `p`, adding them if new.
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        // Consecutive rows often repeat a value (stop_times by trip, shapes by shape).
        if lastCode >= 0, equals(lastCode, p, n) { return Int32(truncatingIfNeeded: lastCode) }
        let h = ByteInterner.hash(p, n)
        let mask = slotCount - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let c = Int(slots[i])
            if c < 0 { break }
            if hashes[c] == h, equals(c, p, n) {
                lastCode = c
                return Int32(truncatingIfNeeded: c)
            }
            i = (i + 1) & mask
        }
        let code = count
        if code == keyCapacity { growKeys() }
        let used = offsets[code]
        if used + n > arenaCapacity { growArena(minimum: used + n) }
        (arena + used).update(from: p, count: n)
        hashes[code] = h
        offsets[code + 1] = used + n
        slots[i] = Int32(truncatingIfNeeded: code)
        count = code + 1
        lastCode = code
        if count * 2 > slotCount { growSlots() }
        return Int32(truncatingIfNeeded: code)
    }

    /// The code of `bytes`, adding them if new.
    func intern(_ bytes: [UInt8]) -> Int32 {
        var zero: UInt8 = 0
        return bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { return intern(base, b.count) }
            return withUnsafePointer(to: &zero) { intern($0, 0) }
        }
    }

    private func growKeys() {
        let newCapacity = keyCapacity * 2
        let h = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        h.moveInitialize(from: hashes, count: count)
        hashes.deallocate()
        hashes = h
        let o = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity + 1)
        o.moveInitialize(from: offsets, count: count + 1)
        offsets.deallocate()
        offsets = o
        keyCapacity = newCapacity
    }

    private func growArena(minimum: Int) {
        var newCapacity = arenaCapacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let a = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        a.moveInitialize(from: arena, count: offsets[count])
        arena.deallocate()
        arena = a
        arenaCapacity = newCapacity
    }

    private func growSlots() {
        let size = slotCount << 1
        let s = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        s.initialize(repeating: -1, count: size)
        let mask = size - 1
        for code in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[code]) & mask
            while s[i] >= 0 { i = (i + 1) & mask }
            s[i] = Int32(truncatingIfNeeded: code)
        }
        slots.deallocate()
        slots = s
        slotCount = size
    }

    /// Calls `body` with the bytes of `code`.
    func withBytes<R>(_ code: Int32, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let c = Int(code)
        guard c >= 0, c < count else {
            var zero: UInt8 = 0
            return withUnsafePointer(to: &zero) { body($0, 0) }
        }
        return body(arena + offsets[c], offsets[c + 1] - offsets[c])
    }

    /// The bytes of `code`.
    func bytes(_ code: Int32) -> [UInt8] {
        let c = Int(code)
        guard c >= 0, c < count else { return [] }
        return Array(UnsafeBufferPointer(start: arena + offsets[c], count: offsets[c + 1] - offsets[c]))
    }

    /// All values as strings, in code order, with the codes whose bytes are not valid UTF-8
    /// (those strings have U+FFFD in place of the bad bytes).
    func strings() -> (values: [String], invalidUTF8: [Int32]) {
        var values: [String] = []
        values.reserveCapacity(count)
        var invalid: [Int32] = []
        for code in 0..<count {
            let slice = UnsafeBufferPointer(start: arena + offsets[code], count: offsets[code + 1] - offsets[code])
            if let s = String(validating: slice, as: UTF8.self) {
                values.append(s)
            } else {
                values.append(String(decoding: slice, as: UTF8.self))
                invalid.append(Int32(code))
            }
        }
        return (values, invalid)
    }
}
