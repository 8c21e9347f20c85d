/// A read-only view of archive bytes with bounds-checked ranges and little-endian loads.
///
/// Call ``has(_:_:)`` before the unchecked loads; every caller in this module does.
struct ByteView {
    let bytes: UnsafeBufferPointer<UInt8>

    var count: Int { bytes.count }

    /// `true` when `length` bytes starting at `offset` lie inside the view. Overflow-safe.
    @inline(__always)
    func has(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    /// `true` when `length` bytes starting at `offset` (both from headers) lie inside the view,
    /// returning the offset as `Int`. Overflow-safe for any `UInt64` values.
    @inline(__always)
    func range(_ offset: UInt64, _ length: UInt64) -> Range<Int>? {
        let total = UInt64(bytes.count)
        guard offset <= total, length <= total - offset else { return nil }
        return Int(offset) ..< Int(offset + length)
    }

    @inline(__always)
    func u16(_ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    @inline(__always)
    func u32(_ offset: Int) -> UInt32 {
        UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16
    }

    @inline(__always)
    func u64(_ offset: Int) -> UInt64 {
        UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32
    }

    /// The sub-buffer for `range`; the caller has checked the range.
    @inline(__always)
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }
}

/// Little-endian appends used by the writer.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendLE16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    @inline(__always)
    mutating func appendLE32(_ value: UInt32) {
        appendLE16(UInt16(truncatingIfNeeded: value))
        appendLE16(UInt16(truncatingIfNeeded: value >> 16))
    }

    @inline(__always)
    mutating func appendLE64(_ value: UInt64) {
        appendLE32(UInt32(truncatingIfNeeded: value))
        appendLE32(UInt32(truncatingIfNeeded: value >> 32))
    }
}

/// Zip record signatures and limits.
enum ZipFormat {
    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
    static let zip64EndOfCentralDirectorySignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    static let localHeaderSize = 30
    static let centralHeaderSize = 46
    static let endOfCentralDirectorySize = 22
    static let zip64EndOfCentralDirectorySize = 56
    static let zip64LocatorSize = 20
    static let zip64ExtraID: UInt16 = 0x0001

    /// Largest uncompressed entry the reader accepts: 4 GiB.
    static let maxEntrySize: UInt64 = 1 << 32

    /// Deflate cannot expand data by more than about 1032:1 (a 258-byte match in two bits); this
    /// bound, with slack, rejects declared sizes no real stream can produce before allocating.
    static func maxInflatedSize(compressed: UInt64) -> UInt64 {
        compressed > (UInt64.max - 4096) / 1040 ? UInt64.max : compressed * 1040 + 4096
    }

    /// Checks, before anything is allocated or inflated, that `entry` can be read: not
    /// encrypted, stored or deflated, and declaring no more than 4 GiB and no more than `maxSize`.
    static func checkReadable(_ entry: ZipEntry, maxSize: UInt64) throws(ZipError) {
        if entry.isEncrypted { throw .encrypted(entry: entry.path) }
        guard entry.method == 0 || entry.method == 8 else {
            throw .unsupportedMethod(entry: entry.path, method: entry.method)
        }
        guard entry.uncompressedSize <= maxEntrySize else {
            throw .entryTooLarge(entry: entry.path, size: entry.uncompressedSize)
        }
        guard entry.uncompressedSize <= maxSize else {
            throw .entryOverLimit(entry: entry.path, size: entry.uncompressedSize, limit: maxSize)
        }
    }
}
