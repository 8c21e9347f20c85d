import Glibc

/// Creates zip archives: local headers, data, central directory and end record.
///
/// Output is deterministic: entries keep the order given, every timestamp is 1980-01-01 00:00,
/// and the same input and level always give the same bytes. Names are flagged as UTF-8
/// (general-purpose bit 11). ZIP64 records are added only when needed (65,535 entries or
/// more, or an archive past 4 GiB); each entry must be smaller than 4 GiB.
public enum ZipWriter {
    /// Builds the archive in memory (see ``archive(_:level:)``) and writes it to `path`
    /// atomically (a temporary file beside `path`, `fsync`ed and renamed over it; removed on
    /// failure): a reader sees either the old file or the complete new one, never a partial file.
    ///
    /// - Parameters:
    ///   - entries: Names (`/`-separated; end with `/` for a folder) and contents, written in this order.
    ///   - path: Where to write the archive; an existing file is replaced.
    ///   - level: zlib compression level 0...9 (values outside are clamped); 0 stores everything.
    /// - Throws: ``ZipError/entryTooLarge(entry:size:)`` for an entry of 4 GiB or more,
    ///   ``ZipError/io(path:operation:errno:)`` for a name longer than 65,535 bytes or a failed write.
    public static func write(
        _ entries: [(path: String, data: [UInt8])], to path: String, level: Int32 = 6
    ) throws(ZipError) {
        let bytes = try archive(entries, level: level)
        try writeWholeFileAtomically(bytes, to: path)
    }

    /// Returns a complete zip archive of `entries`, in the order given.
    ///
    /// Each entry is raw-deflated at `level`, or stored when `level` is 0, the data is empty, or
    /// deflate does not make it smaller. O(total data size); the output is allocated once.
    ///
    /// - Parameters:
    ///   - entries: Names (`/`-separated; end with `/` for a folder) and contents.
    ///   - level: zlib compression level 0...9 (values outside are clamped); default 6.
    /// - Throws: ``ZipError/entryTooLarge(entry:size:)`` for an entry of 4 GiB or more,
    ///   ``ZipError/io(path:operation:errno:)`` (`ENAMETOOLONG`) for a name longer than 65,535 bytes.
    public static func archive(
        _ entries: [(path: String, data: [UInt8])], level: Int32 = 6
    ) throws(ZipError) -> [UInt8] {
        let level = min(max(level, 0), 9)

        // Pass 1: names, compression and sizes.
        var prepared: [Prepared] = []
        prepared.reserveCapacity(entries.count)
        var total: UInt64 = 0
        for entry in entries {
            let name = Array(entry.path.utf8)
            guard name.count <= 0xFFFF else {
                throw .io(
                    path: entry.path,
                    operation: "add an entry to the archive: its name is \(name.count) bytes, zip allows 65,535, "
                        + "so it cannot be added",
                    errno: ENAMETOOLONG)
            }
            guard UInt64(entry.data.count) < 0xFFFF_FFFF else {
                throw .entryTooLarge(entry: entry.path, size: UInt64(entry.data.count))
            }
            let (crc, compressed) = entry.data.withUnsafeBufferPointer { data in
                (Zlib.crc32(data), level == 0 ? nil : Zlib.deflateRaw(data, level: level))
            }
            let item = Prepared(
                name: name, isDirectory: entry.path.hasSuffix("/"), crc32: crc,
                uncompressedSize: UInt32(entry.data.count), compressed: compressed)
            total += UInt64(ZipFormat.localHeaderSize + ZipFormat.centralHeaderSize + 2 * name.count + 12)
                + UInt64(compressed?.count ?? entry.data.count)
            prepared.append(item)
        }
        total += UInt64(ZipFormat.zip64EndOfCentralDirectorySize + ZipFormat.zip64LocatorSize)
            + UInt64(ZipFormat.endOfCentralDirectorySize)

        // Pass 2: local headers and data.
        var out: [UInt8] = []
        out.reserveCapacity(Int(clamping: total))
        var offsets: [UInt64] = []
        offsets.reserveCapacity(prepared.count)
        for (item, entry) in zip(prepared, entries) {
            offsets.append(UInt64(out.count))
            out.appendLE32(ZipFormat.localHeaderSignature)
            out.appendLE16(versionNeeded)
            out.appendLE16(utf8NamesFlag)
            out.appendLE16(item.method)
            out.appendLE16(dosTime)
            out.appendLE16(dosDate)
            out.appendLE32(item.crc32)
            out.appendLE32(item.compressedSize)
            out.appendLE32(item.uncompressedSize)
            out.appendLE16(UInt16(item.name.count))
            out.appendLE16(0)
            out.append(contentsOf: item.name)
            if let compressed = item.compressed {
                out.append(contentsOf: compressed)
            } else {
                out.append(contentsOf: entry.data)
            }
        }

        // Pass 3: central directory.
        let directoryOffset = UInt64(out.count)
        for (item, offset) in zip(prepared, offsets) {
            let needsZip64 = offset >= 0xFFFF_FFFF
            out.appendLE32(ZipFormat.centralHeaderSignature)
            out.appendLE16(versionMadeBy)
            out.appendLE16(needsZip64 ? versionNeededZip64 : versionNeeded)
            out.appendLE16(utf8NamesFlag)
            out.appendLE16(item.method)
            out.appendLE16(dosTime)
            out.appendLE16(dosDate)
            out.appendLE32(item.crc32)
            out.appendLE32(item.compressedSize)
            out.appendLE32(item.uncompressedSize)
            out.appendLE16(UInt16(item.name.count))
            out.appendLE16(needsZip64 ? 12 : 0)  // extra field length
            out.appendLE16(0)  // comment length
            out.appendLE16(0)  // disk number start
            out.appendLE16(0)  // internal attributes
            out.appendLE32(item.isDirectory ? directoryAttributes : fileAttributes)
            out.appendLE32(needsZip64 ? 0xFFFF_FFFF : UInt32(offset))
            out.append(contentsOf: item.name)
            if needsZip64 {
                out.appendLE16(ZipFormat.zip64ExtraID)
                out.appendLE16(8)
                out.appendLE64(offset)
            }
        }
        let directorySize = UInt64(out.count) - directoryOffset
        let count = UInt64(prepared.count)

        // End records; ZIP64 ones only when a classic field would overflow.
        if count >= 0xFFFF || directorySize >= 0xFFFF_FFFF || directoryOffset >= 0xFFFF_FFFF {
            let recordOffset = UInt64(out.count)
            out.appendLE32(ZipFormat.zip64EndOfCentralDirectorySignature)
            out.appendLE64(UInt64(ZipFormat.zip64EndOfCentralDirectorySize - 12))
            out.appendLE16(versionMadeBy)
            out.appendLE16(versionNeededZip64)
            out.appendLE32(0)  // this disk
            out.appendLE32(0)  // disk with the central directory
            out.appendLE64(count)
            out.appendLE64(count)
            out.appendLE64(directorySize)
            out.appendLE64(directoryOffset)
            out.appendLE32(ZipFormat.zip64LocatorSignature)
            out.appendLE32(0)  // disk with the ZIP64 end record
            out.appendLE64(recordOffset)
            out.appendLE32(1)  // total disks
        }
        out.appendLE32(ZipFormat.endOfCentralDirectorySignature)
        out.appendLE16(0)  // this disk
        out.appendLE16(0)  // disk with the central directory
        out.appendLE16(UInt16(min(count, 0xFFFF)))
        out.appendLE16(UInt16(min(count, 0xFFFF)))
        out.appendLE32(UInt32(min(directorySize, 0xFFFF_FFFF)))
        out.appendLE32(UInt32(min(directoryOffset, 0xFFFF_FFFF)))
        out.appendLE16(0)  // comment length
        return out
    }

    /// One entry after compression, before layout.
    private struct Prepared {
        let name: [UInt8]
        let isDirectory: Bool
        let crc32: UInt32
        let uncompressedSize: UInt32
        /// Deflated data, or `nil` when the entry is stored.
        let compressed: [UInt8]?

        var method: UInt16 { compressed == nil ? 0 : 8 }
        var compressedSize: UInt32 { compressed.map { UInt32($0.count) } ?? uncompressedSize }
    }

    /// Version 2.0: deflate and folders.
    private static let versionNeeded: UInt16 = 20
    /// Version 4.5: ZIP64.
    private static let versionNeededZip64: UInt16 = 45
    /// Made on Unix (3), spec version 4.5, so `unzip` applies the permission bits below.
    private static let versionMadeBy: UInt16 = 3 << 8 | 45
    /// General-purpose bit 11: names are UTF-8.
    private static let utf8NamesFlag: UInt16 = 1 << 11
    /// 00:00:00 in MS-DOS format.
    private static let dosTime: UInt16 = 0
    /// 1980-01-01 in MS-DOS format: (1980 − 1980) << 9 | 1 << 5 | 1.
    private static let dosDate: UInt16 = 1 << 5 | 1
    /// Unix mode 0100644 (regular file, rw-r--r--) in the high half.
    private static let fileAttributes: UInt32 = 0o100644 << 16
    /// Unix mode 040755 (directory, rwxr-xr-x) in the high half, plus the MS-DOS directory bit.
    private static let directoryAttributes: UInt32 = 0o040755 << 16 | 0x10
}
