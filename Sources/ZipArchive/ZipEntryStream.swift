internal import CZlib

/// Reads one entry's uncompressed bytes piece by piece, so a large file can be processed
/// without holding all of it in memory. The CRC-32 and the size are checked when the last
/// piece has been read.
///
/// Not thread-safe, so not `Sendable`: use it from one thread at a time. To hand it to another
/// thread, send it (`sending`) or keep it inside a `Mutex` (as the GTFS loader does).
public final class ZipEntryStream {
    private let archive: ZipArchive
    /// The entry being read.
    public let entry: ZipEntry
    private let data: Range<Int>
    private var stream = z_stream()
    private var started = false
    private var finished = false
    private var consumed = 0
    private var produced = 0
    private var crc: UInt = 0

    /// Opens `entry` of `archive` for reading.
    ///
    /// The declared sizes are checked before anything is inflated: against `maxSize`, and a
    /// deflated entry against what its compressed size can inflate to (about 1032:1). While
    /// reading, data past the declared size is refused, so no more than `maxSize` bytes are
    /// ever produced, whatever the archive claims.
    /// - Parameters:
    ///   - archive: The archive holding `entry`.
    ///   - entry: An entry of `archive`.
    ///   - maxSize: The ceiling on the entry's uncompressed size, in bytes (a zip-bomb guard).
    /// - Throws: ``ZipError/encrypted(entry:)``, ``ZipError/unsupportedMethod(entry:method:)``,
    ///   ``ZipError/entryTooLarge(entry:size:)``, ``ZipError/entryOverLimit(entry:size:limit:)``
    ///   or ``ZipError/corrupt(path:detail:)`` for a bad local header or impossible sizes.
    public init(archive: ZipArchive, entry: ZipEntry, maxSize: UInt64 = ZipArchive.maxEntryBytes) throws(ZipError) {
        try ZipFormat.checkReadable(entry, maxSize: maxSize)
        let path = archive.path
        if entry.method == 8, entry.uncompressedSize > ZipFormat.maxInflatedSize(compressed: entry.compressedSize) {
            throw .corrupt(
                path: path,
                detail: "entry '\(entry.path)' declares \(entry.uncompressedSize) bytes uncompressed from only "
                    + "\(entry.compressedSize) compressed bytes, more than deflate can produce")
        }
        self.data = try archive.bytes.withUnsafeBufferPointer { (buffer) throws(ZipError) -> Range<Int> in
            try LocalHeader.dataRange(of: entry, in: ByteView(bytes: buffer), path: path)
        }
        if entry.method == 0, entry.compressedSize != entry.uncompressedSize {
            throw .corrupt(path: path, detail: "stored entry '\(entry.path)' declares \(entry.compressedSize) bytes in the archive but \(entry.uncompressedSize) uncompressed")
        }
        self.archive = archive
        self.entry = entry
    }

    deinit {
        if started { inflateEnd(&stream) }
    }

    /// The number of uncompressed bytes the entry declares.
    public var size: Int { Int(entry.uncompressedSize) }

    /// Fills `buffer` with the next bytes of the entry.
    /// - Returns: how many bytes were written; 0 only at the end.
    /// - Throws: ``ZipError/corrupt(path:detail:)`` for bad deflate data or a size other than
    ///   declared, ``ZipError/checksumMismatch(entry:expected:actual:)`` at the end.
    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(ZipError) -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let path = archive.path
        let name = entry.path
        func failure(_ what: String) -> ZipError { .corrupt(path: path, detail: "entry '\(name)': \(what)") }
        // Never more than one byte past the declared size: a lying header cannot make the
        // stream inflate past it (that byte is refused as corrupt below).
        let capacity = min(buffer.count, 1 << 30, size - produced + 1)
        var n = 0
        if entry.method == 0 {
            let left = data.count - consumed
            n = min(left, capacity)
            archive.bytes.withUnsafeBufferPointer { b in
                if let base = b.baseAddress, n > 0 { out.update(from: base + data.lowerBound + consumed, count: n) }
            }
            consumed += n
        } else {
            if !started {
                let status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                guard status == Z_OK else { throw failure("zlib could not start inflating (\(status))") }
                started = true
            }
            let (result, inUsed, outMade, message) = archive.bytes.withUnsafeBufferPointer { b -> (Int32, Int, Int, String?) in
                guard let base = b.baseAddress else { return (Z_DATA_ERROR, 0, 0, "no data") }
                let left = data.count - consumed
                let inChunk = min(left, 1 << 30)
                stream.next_in = UnsafeMutablePointer(mutating: base + data.lowerBound + consumed)
                stream.avail_in = UInt32(inChunk)
                stream.next_out = out
                stream.avail_out = UInt32(capacity)
                let r = inflate(&stream, Z_NO_FLUSH)
                let used = inChunk - Int(stream.avail_in)
                let made = capacity - Int(stream.avail_out)
                stream.next_in = nil
                return (r, used, made, stream.msg.map { String(cString: $0) })
            }
            consumed += inUsed
            n = outMade
            if result != Z_OK && result != Z_STREAM_END && !(result == Z_BUF_ERROR && outMade > 0) {
                if result == Z_BUF_ERROR {
                    throw failure("the deflate data ends after \(produced) of the declared \(size) bytes (the compressed data is truncated)")
                }
                throw failure("invalid deflate data (\(message ?? "error \(result)")) after \(consumed) compressed bytes")
            }
            if result == Z_STREAM_END { finished = true }
        }
        produced += n
        if produced > size { throw failure("the data inflates to more than the declared \(size) bytes") }
        crc = CZlib.crc32(crc, out, UInt32(n))
        if entry.method == 0 && consumed == data.count { finished = true }
        if finished {
            guard produced == size else { throw failure("the data inflates to \(produced) bytes, but \(size) were declared") }
            let actual = UInt32(truncatingIfNeeded: crc)
            guard actual == entry.crc32 else { throw .checksumMismatch(entry: name, expected: entry.crc32, actual: actual) }
        }
        if n == 0 && !finished {
            throw failure("the deflate data ends after \(produced) of the declared \(size) bytes (the compressed data is truncated)")
        }
        return n
    }
}
