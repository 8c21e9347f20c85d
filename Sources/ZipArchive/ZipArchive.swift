/// A zip archive held in memory: read-only, parsed once, safe to share across tasks.
///
/// Creating one reads the end-of-central-directory record (ZIP64 included) and the whole
/// central directory, checking every offset and size against the archive length; nothing is
/// inflated until ``extract(_:maxSize:)`` is called. The archive bytes are kept exactly once (the array
/// passed to ``init(bytes:path:)`` is shared, not copied).
///
/// ```swift
/// let zip = try ZipArchive(path: "feed.zip")
/// if let stops = zip.entry(named: "stops.txt") {
///     let bytes = try zip.extract(stops)
/// }
/// ```
public struct ZipArchive: Sendable {
    /// The path the archive was read from, or the label given to ``init(bytes:path:)``; used in errors.
    public let path: String

    /// Every entry, folders included, in central-directory order.
    public let entries: [ZipEntry]

    /// The whole archive.
    let bytes: [UInt8]

    /// Entry position by name; the first entry wins when a name occurs twice.
    private let indexByName: [String: Int]

    /// Reads the file at `path` completely (in one read sized by `fstat`) and parses its central
    /// directory. O(file size) for the read, O(entries) for the parse.
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)`` when the file cannot be read,
    ///   ``ZipError/notAZip(path:)`` or ``ZipError/corrupt(path:detail:)`` for a bad archive.
    public init(path: String) throws(ZipError) {
        try self.init(bytes: readWholeFile(path), path: path)
    }

    /// Parses an archive already in memory. O(entries); the bytes are not copied.
    ///
    /// - Parameters:
    ///   - bytes: The complete archive.
    ///   - path: A label for error messages.
    /// - Throws: ``ZipError/notAZip(path:)`` when there is no end-of-central-directory record,
    ///   ``ZipError/corrupt(path:detail:)`` when the directory is truncated or inconsistent.
    public init(bytes: [UInt8], path: String = "<memory>") throws(ZipError) {
        let entries = try bytes.withUnsafeBufferPointer { (buffer) throws(ZipError) -> [ZipEntry] in
            try CentralDirectory.parse(ByteView(bytes: buffer), path: path)
        }
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() where index[entry.path] == nil {
            index[entry.path] = position
        }
        self.path = path
        self.bytes = bytes
        self.entries = entries
        self.indexByName = index
    }

    /// The entry whose ``ZipEntry/path`` is exactly `named` (case-sensitive), or `nil`.
    /// When several entries share the name, the first in the central directory. O(1).
    public func entry(named: String) -> ZipEntry? {
        guard let position = indexByName[named], position < entries.count else { return nil }
        return entries[position]
    }

    /// The most uncompressed bytes an entry may declare to be read at all: 4 GiB, the default
    /// ceiling of ``extract(_:maxSize:)`` and ``ZipEntryStream/init(archive:entry:maxSize:)``.
    public static let maxEntryBytes: UInt64 = ZipFormat.maxEntrySize

    /// Returns the uncompressed bytes of `entry`, checked against its CRC-32.
    ///
    /// Thread-safe: distinct (or the same) entries may be extracted concurrently from several
    /// tasks. The result is allocated once at its declared size, after that size is checked
    /// against `maxSize` and against what the compressed size can inflate to; deflate data is
    /// inflated by zlib in one pass. O(compressed + uncompressed size).
    ///
    /// - Parameters:
    ///   - entry: An entry of this archive (from ``entries`` or ``entry(named:)``).
    ///   - maxSize: The ceiling on the entry's uncompressed size, in bytes (a zip-bomb guard).
    /// - Throws: ``ZipError/encrypted(entry:)``, ``ZipError/unsupportedMethod(entry:method:)``,
    ///   ``ZipError/entryTooLarge(entry:size:)`` (over 4 GiB),
    ///   ``ZipError/entryOverLimit(entry:size:limit:)`` (over `maxSize`),
    ///   ``ZipError/corrupt(path:detail:)`` for a bad local header or deflate stream, or one
    ///   that inflates to more or fewer bytes than declared, and
    ///   ``ZipError/checksumMismatch(entry:expected:actual:)``.
    public func extract(_ entry: ZipEntry, maxSize: UInt64 = ZipArchive.maxEntryBytes) throws(ZipError) -> [UInt8] {
        try ZipFormat.checkReadable(entry, maxSize: maxSize)
        let path = self.path
        let data = try bytes.withUnsafeBufferPointer { (buffer) throws(ZipError) -> [UInt8] in
            let view = ByteView(bytes: buffer)
            let range = try LocalHeader.dataRange(of: entry, in: view, path: path)
            let input = view.slice(range)
            let size = Int(entry.uncompressedSize)
            if entry.method == 0 {
                guard entry.compressedSize == entry.uncompressedSize else {
                    throw .corrupt(
                        path: path,
                        detail: "stored entry '\(entry.path)' declares \(entry.compressedSize) bytes in the archive "
                            + "but \(entry.uncompressedSize) bytes uncompressed")
                }
                return Zlib.copy(input)
            }
            guard entry.uncompressedSize <= ZipFormat.maxInflatedSize(compressed: entry.compressedSize) else {
                throw .corrupt(
                    path: path,
                    detail: "entry '\(entry.path)' declares \(entry.uncompressedSize) bytes uncompressed from only "
                        + "\(entry.compressedSize) compressed bytes, more than deflate can produce")
            }
            return try Zlib.inflateRaw(input, size: size, entry: entry.path, path: path)
        }
        let actual = Zlib.crc32(data)
        guard actual == entry.crc32 else {
            throw .checksumMismatch(entry: entry.path, expected: entry.crc32, actual: actual)
        }
        return data
    }
}

/// Reading of the end-of-central-directory records and the central directory.
enum CentralDirectory {
    /// Where the central directory is and how many entries it declares.
    struct Location {
        var entryCount: UInt64
        var offset: UInt64
        var size: UInt64
        /// The central directory must end at or before this offset (the start of the records after it).
        var limit: Int
    }

    /// Parses the whole central directory. O(entries + comment length).
    static func parse(_ view: ByteView, path: String) throws(ZipError) -> [ZipEntry] {
        let location = try locate(view, path: path)
        let limit = UInt64(location.limit)
        guard location.size <= limit, location.offset <= limit - location.size else {
            throw .corrupt(
                path: path,
                detail: "the central directory (\(location.size) bytes at offset \(location.offset)) lies outside "
                    + "the \(location.limit) bytes before the end-of-central-directory record")
        }
        let maxEntries = location.size / UInt64(ZipFormat.centralHeaderSize)
        guard location.entryCount <= maxEntries else {
            throw .corrupt(
                path: path,
                detail: "the end-of-central-directory record declares \(location.entryCount) entries, but the "
                    + "\(location.size)-byte central directory can hold at most \(maxEntries)")
        }
        let end = Int(location.offset + location.size)
        var cursor = Int(location.offset)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(location.entryCount))
        for number in 0 ..< Int(location.entryCount) {
            let (entry, next) = try parseEntry(view, at: cursor, end: end, number: number, path: path)
            entries.append(entry)
            cursor = next
        }
        return entries
    }

    /// Finds the end-of-central-directory record, scanning backwards over a comment of up to
    /// 65,535 bytes, then follows the ZIP64 locator when there is one.
    static func locate(_ view: ByteView, path: String) throws(ZipError) -> Location {
        let eocdSize = ZipFormat.endOfCentralDirectorySize
        guard view.count >= eocdSize else { throw .notAZip(path: path) }
        let lowest = max(0, view.count - eocdSize - 0xFFFF)
        var position = view.count - eocdSize
        var exact: Int?
        var loose: Int?
        while position >= lowest {
            if view.bytes[position] == 0x50, view.u32(position) == ZipFormat.endOfCentralDirectorySignature {
                let end = position + eocdSize + Int(view.u16(position + 20))
                if end == view.count {
                    exact = position
                    break
                }
                if loose == nil, end <= view.count { loose = position }
            }
            position -= 1
        }
        guard let eocd = exact ?? loose else { throw .notAZip(path: path) }

        var location = Location(
            entryCount: UInt64(view.u16(eocd + 10)),
            offset: UInt64(view.u32(eocd + 16)),
            size: UInt64(view.u32(eocd + 12)),
            limit: eocd)

        let locator = eocd - ZipFormat.zip64LocatorSize
        guard locator >= 0, view.u32(locator) == ZipFormat.zip64LocatorSignature else { return location }
        let recordOffset = view.u64(locator + 8)
        guard recordOffset <= UInt64(locator),
            locator - Int(recordOffset) >= ZipFormat.zip64EndOfCentralDirectorySize
        else {
            throw .corrupt(
                path: path,
                detail: "the ZIP64 locator at offset \(locator) points to offset \(recordOffset), where no complete "
                    + "ZIP64 end-of-central-directory record fits")
        }
        let record = Int(recordOffset)
        guard view.u32(record) == ZipFormat.zip64EndOfCentralDirectorySignature else {
            throw .corrupt(
                path: path,
                detail: "no ZIP64 end-of-central-directory record at offset \(record), where the ZIP64 locator points")
        }
        location.entryCount = view.u64(record + 32)
        location.size = view.u64(record + 40)
        location.offset = view.u64(record + 48)
        location.limit = record
        return location
    }

    /// Parses the central-directory header at `offset`, returning the entry and the next header's offset.
    static func parseEntry(
        _ view: ByteView, at offset: Int, end: Int, number: Int, path: String
    ) throws(ZipError) -> (ZipEntry, Int) {
        let fixed = ZipFormat.centralHeaderSize
        guard offset <= end, end - offset >= fixed else {
            throw .corrupt(
                path: path,
                detail: "central-directory entry #\(number + 1) at offset \(offset) runs past the end of the "
                    + "central directory (offset \(end))")
        }
        guard view.u32(offset) == ZipFormat.centralHeaderSignature else {
            throw .corrupt(
                path: path,
                detail: "central-directory entry #\(number + 1) at offset \(offset) has no header signature")
        }
        let flags = view.u16(offset + 8)
        let method = view.u16(offset + 10)
        let crc = view.u32(offset + 16)
        var compressed = UInt64(view.u32(offset + 20))
        var uncompressed = UInt64(view.u32(offset + 24))
        let nameLength = Int(view.u16(offset + 28))
        let extraLength = Int(view.u16(offset + 30))
        let commentLength = Int(view.u16(offset + 32))
        var localOffset = UInt64(view.u32(offset + 42))
        let recordLength = fixed + nameLength + extraLength + commentLength
        guard end - offset >= recordLength else {
            throw .corrupt(
                path: path,
                detail: "central-directory entry #\(number + 1) at offset \(offset) (\(recordLength) bytes with its "
                    + "name, extra field and comment) runs past the end of the central directory (offset \(end))")
        }
        let name = ZipName.decode(view.slice(offset + fixed ..< offset + fixed + nameLength))

        // ZIP64 extended information: 8-byte values for each 32-bit field that holds 0xFFFFFFFF.
        let needsZip64 = compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF
        if needsZip64 {
            var extra = offset + fixed + nameLength
            let extraEnd = extra + extraLength
            while extraEnd - extra >= 4 {
                let id = view.u16(extra)
                let size = Int(view.u16(extra + 2))
                let dataStart = extra + 4
                guard extraEnd - dataStart >= size else {
                    throw .corrupt(
                        path: path,
                        detail: "entry '\(name)': an extra field of \(size) bytes runs past the end of the entry's "
                            + "extra data")
                }
                if id == ZipFormat.zip64ExtraID {
                    var field = dataStart
                    let fieldEnd = dataStart + size
                    func next(_ what: String) throws(ZipError) -> UInt64 {
                        guard fieldEnd - field >= 8 else {
                            throw .corrupt(
                                path: path,
                                detail: "entry '\(name)': its ZIP64 extra field is too short to hold the \(what)")
                        }
                        defer { field += 8 }
                        return view.u64(field)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next("uncompressed size") }
                    if compressed == 0xFFFF_FFFF { compressed = try next("compressed size") }
                    if localOffset == 0xFFFF_FFFF { localOffset = try next("local header offset") }
                    break
                }
                extra = dataStart + size
            }
        }

        let fileLength = UInt64(view.count)
        let minimumEnd = UInt64(ZipFormat.localHeaderSize)
        guard localOffset <= fileLength, compressed <= fileLength,
            fileLength - localOffset >= minimumEnd,
            fileLength - localOffset - minimumEnd >= compressed
        else {
            throw .corrupt(
                path: path,
                detail: "entry '\(name)': its local header at offset \(localOffset) and \(compressed) bytes of data "
                    + "do not fit in the \(fileLength)-byte file")
        }
        let entry = ZipEntry(
            path: name, method: method, flags: flags, crc32: crc,
            compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: localOffset)
        return (entry, offset + recordLength)
    }
}

/// Reading of local file headers.
enum LocalHeader {
    /// The byte range of `entry`'s stored data, found from its local header (which has its own
    /// name and extra-field lengths). Checks the signature and that the data lies inside the archive.
    static func dataRange(of entry: ZipEntry, in view: ByteView, path: String) throws(ZipError) -> Range<Int> {
        guard let header = view.range(entry.localHeaderOffset, UInt64(ZipFormat.localHeaderSize)) else {
            throw .corrupt(
                path: path,
                detail: "entry '\(entry.path)': its local header at offset \(entry.localHeaderOffset) lies outside "
                    + "the \(view.count)-byte file")
        }
        let start = header.lowerBound
        guard view.u32(start) == ZipFormat.localHeaderSignature else {
            throw .corrupt(
                path: path,
                detail: "entry '\(entry.path)': no local file header signature at offset \(start)")
        }
        if view.u16(start + 6) & 1 != 0 { throw .encrypted(entry: entry.path) }
        let nameLength = UInt64(view.u16(start + 26))
        let extraLength = UInt64(view.u16(start + 28))
        let dataStart = UInt64(header.upperBound) + nameLength + extraLength
        guard let data = view.range(dataStart, entry.compressedSize) else {
            throw .corrupt(
                path: path,
                detail: "entry '\(entry.path)': its \(entry.compressedSize) bytes of data starting at offset "
                    + "\(dataStart) run past the end of the \(view.count)-byte file")
        }
        return data
    }
}
