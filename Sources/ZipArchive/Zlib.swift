internal import CZlib

/// Thin, bounds-checked wrappers over zlib: raw inflate and deflate, and CRC-32.
enum Zlib {
    /// zlib's `uInt` length limit per call, kept well below `UInt32.max`.
    private static let chunk = 1 << 30

    /// CRC-32 of `bytes` (zlib's `crc32`, fed in pieces of at most 1 GiB). O(n).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { crc32($0) }
    }

    /// CRC-32 of `bytes` (zlib's `crc32`, fed in pieces of at most 1 GiB). O(n).
    static func crc32(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard var base = bytes.baseAddress else { return 0 }
        var remaining = bytes.count
        var crc: UInt = 0
        while remaining > 0 {
            let length = min(remaining, chunk)
            crc = CZlib.crc32(crc, base, UInt32(length))
            base += length
            remaining -= length
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// A copy of `input` in a new array. O(n), one `memcpy`.
    static func copy(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: input.count) { buffer, initialized in
            if let source = input.baseAddress, let target = buffer.baseAddress, input.count > 0 {
                target.initialize(from: source, count: input.count)
            }
            initialized = input.count
        }
    }

    /// Inflates the raw deflate stream `input` into a new array of exactly `size` bytes.
    ///
    /// Throws ``ZipError/corrupt(path:detail:)`` when the stream is invalid, ends early, or
    /// would produce more or fewer than `size` bytes. O(input + size).
    static func inflateRaw(
        _ input: UnsafeBufferPointer<UInt8>, size: Int, entry: String, path: String
    ) throws(ZipError) -> [UInt8] {
        func failure(_ what: String) -> ZipError {
            .corrupt(path: path, detail: "entry '\(entry)': \(what)")
        }
        var stream = z_stream()
        let status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw failure("zlib could not start inflating (inflateInit2 returned \(status))")
        }
        defer { inflateEnd(&stream) }

        // Capacity of at least 1 so that `next_out` is never null, as zlib requires.
        return try [UInt8](unsafeUninitializedCapacity: max(size, 1)) { (buffer, initialized) throws(ZipError) in
            initialized = 0
            guard let output = buffer.baseAddress else { throw failure("could not allocate \(size) bytes") }
            var inputLeft = input.count
            var outputLeft = size
            stream.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
            stream.next_out = output
            stream.avail_in = 0
            stream.avail_out = 0
            while true {
                if stream.avail_in == 0, inputLeft > 0 {
                    let length = min(inputLeft, chunk)
                    stream.avail_in = UInt32(length)
                    inputLeft -= length
                }
                if stream.avail_out == 0, outputLeft > 0 {
                    let length = min(outputLeft, chunk)
                    stream.avail_out = UInt32(length)
                    outputLeft -= length
                }
                let availableIn = stream.avail_in
                let availableOut = stream.avail_out
                // Z_FINISH with the whole output buffer lets zlib skip its sliding-window copies.
                let result = inflate(&stream, Z_FINISH)
                if result == Z_STREAM_END { break }
                guard result == Z_OK || result == Z_BUF_ERROR else {
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(result)"
                    throw failure("invalid deflate data (\(message)) after \(stream.total_in) compressed bytes")
                }
                if stream.avail_in != availableIn || stream.avail_out != availableOut { continue }
                // No progress: either the output is full or the input is exhausted.
                if stream.avail_out == 0, outputLeft == 0 {
                    throw failure("the deflate data inflates to more than the declared \(size) bytes")
                }
                if stream.avail_in == 0, inputLeft == 0 {
                    throw failure(
                        "the deflate data ends after \(stream.total_out) of the declared \(size) bytes "
                            + "(the compressed data is truncated)")
                }
                throw failure("zlib made no progress inflating after \(stream.total_out) bytes")
            }
            let produced = Int(stream.total_out)
            guard produced == size else {
                throw failure("the deflate data inflates to \(produced) bytes, but \(size) were declared")
            }
            initialized = produced
        }
    }

    /// Raw-deflates `input` at `level` (1...9) and returns the result only when it is strictly
    /// smaller than `input`; `nil` means "store instead" (also on any zlib failure). O(n).
    static func deflateRaw(_ input: UnsafeBufferPointer<UInt8>, level: Int32) -> [UInt8]? {
        guard let source = input.baseAddress, input.count > 1, input.count <= Int(UInt32.max) else { return nil }
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        // Anything as long as the input is useless: give zlib one byte less and store on overflow.
        let capacity = min(input.count - 1, Int(deflateBound(&stream, UInt(input.count))))
        var finished = false
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            initialized = 0
            guard let target = buffer.baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: source)
            stream.avail_in = UInt32(input.count)
            stream.next_out = target
            stream.avail_out = UInt32(capacity)
            while true {
                let result = deflate(&stream, Z_FINISH)
                if result == Z_STREAM_END {
                    finished = true
                    break
                }
                // Z_OK with room left means "call again"; a full buffer or an error means give up.
                guard result == Z_OK, stream.avail_out > 0 else { break }
            }
            initialized = finished ? Int(stream.total_out) : 0
        }
        return finished ? output : nil
    }
}
