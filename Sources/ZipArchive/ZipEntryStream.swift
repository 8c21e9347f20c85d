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
    /// - Throws: ``ZipError/encrypted(entry:)``, ``ZipError/unsupportedMethod(entry:method:)``,
    ///   ``ZipError/entryTooLarge(entry:size:)`` or ``ZipError/corrupt(path:detail:)`` for a bad
    ///   local header.
    public init(archive: ZipArchive, entry: ZipEntry) throws(ZipError) {
        if entry.isEncrypted { throw .encrypted(entry: entry.path) }
        guard entry.method == 0 || entry.method == 8 else {
            throw .unsupportedMethod(entry: entry.path, method: entry.method)
        }
        guard entry.uncompressedSize <= ZipFormat.maxEntrySize else {
            throw .entryTooLarge(entry: entry.path, size: entry.uncompressedSize)
        }
        let path = archive.path
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
        let capacity = min(buffer.count, 1 << 30)
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
