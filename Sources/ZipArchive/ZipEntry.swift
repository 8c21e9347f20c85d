/// One file (or folder) inside a zip archive, as described by the archive's central directory.
///
/// Entries come from ``ZipArchive/entries``; pass one to ``ZipArchive/extract(_:maxSize:)`` to get its bytes.
/// Sizes are in bytes; `UInt64` because ZIP64 archives may exceed 32 bits.
public struct ZipEntry: Sendable, Hashable {
    /// The entry's name as stored in the archive: a `/`-separated relative path such as
    /// `"feed/stops.txt"`. Decoded as UTF-8; names that are not valid UTF-8 are decoded as
    /// code page 437 (the zip format's legacy encoding), one character per byte, so decoding
    /// never fails. The name is not sanitised: it may contain `..` or start with `/`.
    public let path: String

    /// `true` when ``path`` ends with `/`, the zip convention for a folder entry.
    public let isDirectory: Bool

    /// The compression method: 0 is stored, 8 is deflate; others are listed but cannot be extracted.
    public let method: UInt16

    /// The CRC-32 of the uncompressed data, as declared by the central directory.
    public let crc32: UInt32

    /// Size of the data as stored in the archive, in bytes.
    public let compressedSize: UInt64

    /// Size of the data once extracted, in bytes (as declared; checked during extraction).
    public let uncompressedSize: UInt64

    /// Byte offset of the entry's local file header from the start of the archive.
    public let localHeaderOffset: UInt64

    /// The general-purpose bit flags from the central directory (bit 0: encrypted,
    /// bit 3: sizes in a data descriptor, bit 11: UTF-8 name).
    public let flags: UInt16

    /// `true` when the entry is encrypted (flag bit 0); ``ZipArchive/extract(_:maxSize:)`` then throws
    /// ``ZipError/encrypted(entry:)``.
    public var isEncrypted: Bool { flags & 1 != 0 }

    init(
        path: String, method: UInt16, flags: UInt16, crc32: UInt32,
        compressedSize: UInt64, uncompressedSize: UInt64, localHeaderOffset: UInt64
    ) {
        self.path = path
        self.isDirectory = path.hasSuffix("/")
        self.method = method
        self.flags = flags
        self.crc32 = crc32
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.localHeaderOffset = localHeaderOffset
    }
}

/// Decoding of entry names.
enum ZipName {
    /// Decodes `bytes` as UTF-8, or, when they are not valid UTF-8, as code page 437 with one
    /// character per byte. Never fails. O(n) in the name length.
    static func decode(_ units: UnsafeBufferPointer<UInt8>) -> String {
        if let text = String(validating: units, as: UTF8.self) {
            return text
        }
        var scalars = String.UnicodeScalarView()
        for byte in units {
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else if let scalar = Unicode.Scalar(cp437High[Int(byte) - 0x80]) {
                scalars.append(scalar)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// Unicode code points of code page 437 bytes 0x80...0xFF.
    private static let cp437High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
        0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
        0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
        0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
        0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
        0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
        0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
        0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
        0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
        0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
    ]
}
