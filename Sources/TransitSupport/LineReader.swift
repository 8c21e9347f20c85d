// LineReader.swift: a text file's lines, read in fixed-size chunks.
//
// Memory stays flat however long the file: one chunk (1 MiB by default) plus the line being
// cut is held at a time, and a line longer than the reader's limit is skipped to its end
// without being held whole. Used by the carbon module's trip-log readers.

/// Reads a file line by line in fixed-size chunks.
///
/// Lines end at `\n`; a `\r` before it (or at the end of the last line) is dropped; the last
/// line needs no newline. A UTF-8 byte-order mark at the start of the file is skipped. A read
/// error ends the lines early, as an end of file does.
///
/// A line longer than `maxLineBytes` is returned cut to its first `maxLineBytes` bytes, with
/// ``lastLineLength`` giving its whole length: the rest is read and dropped as it goes, so
/// memory stays at most one chunk plus `maxLineBytes`, and time linear in the file's length.
package struct LineReader: ~Copyable {
    private var file: ReadableFile
    private let chunk: Int
    /// The next read's size: small at first, doubled after each full read up to `chunk`, so a
    /// short file costs a short read and not a chunk of zeroed memory.
    private var readSize: Int
    private let maxLine: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line end resumes (bytes before it hold none).
    private var scanned = 0
    private var eof = false
    private var first = true
    /// The first `maxLine` bytes of a line being skipped, and the bytes of it seen so far.
    private var overlong: (prefix: [UInt8], length: Int)?
    /// The 1-based number of the line last returned.
    package private(set) var lineNumber = 0
    /// Bytes read from the file so far.
    package private(set) var bytesRead = 0
    /// The error that stopped reading before the file's end, if any: ``next()`` then returns
    /// `nil` as at the end, and a reader must check this so a failed read is not taken for a
    /// shorter file.
    package private(set) var failure: FileSystemError?
    /// The whole length in bytes (without its line end) of the line last returned when it was
    /// longer than the limit and so returned cut; `nil` when it was returned whole.
    package private(set) var lastLineLength: Int?

    /// Opens `path`, to read it `chunkSize` bytes at a time (at least 1), cutting lines longer
    /// than `maxLineBytes` (at least 1).
    /// - Throws: ``FileSystemError`` with operation `open for reading`.
    package init(path: String, chunkSize: Int = 1 << 20, maxLineBytes: Int = .max) throws(FileSystemError) {
        file = try ReadableFile(path: path)
        chunk = max(1, chunkSize)
        readSize = min(chunk, LineReader.firstReadBytes)
        maxLine = max(1, maxLineBytes)
    }

    /// The next line's bytes (without its line end), or `nil` after the last line. A line over
    /// the limit comes back cut; see ``lastLineLength``.
    /// - Complexity: amortised O(line length); each byte is searched once.
    package mutating func next() -> ArraySlice<UInt8>? {
        lastLineLength = nil
        while true {
            let from = max(start, scanned)
            if let nl = buffer[from...].firstIndex(of: 0x0A) {
                if let skipped = overlong {
                    overlong = nil
                    var length = skipped.length + (nl - start)
                    if nl > start, buffer[nl - 1] == 0x0D { length -= 1 }
                    start = nl + 1
                    scanned = start
                    return finishCut(skipped.prefix, length: length)
                }
                var line = buffer[start..<nl]
                start = nl + 1
                scanned = start
                return finish(&line)
            }
            scanned = buffer.count
            if overlong != nil {
                overlong?.length += buffer.count - start
                start = buffer.count
            } else if buffer.count - start > maxLine {
                // Too long to hold: keep its start, drop the rest as it is read.
                overlong = (Array(buffer[start..<(start + maxLine)]), buffer.count - start)
                start = buffer.count
            }
            if eof {
                if let skipped = overlong {
                    overlong = nil
                    return finishCut(skipped.prefix, length: skipped.length)
                }
                guard start < buffer.count else { return nil }
                var line = buffer[start...]
                start = buffer.count
                scanned = start
                return finish(&line)
            }
            fill()
        }
    }

    private mutating func finishCut(_ prefix: [UInt8], length: Int) -> ArraySlice<UInt8> {
        var line = prefix[...]
        let cut = finish(&line)
        lastLineLength = length
        return cut
    }

    private mutating func finish(_ line: inout ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        lineNumber += 1
        if line.last == 0x0D { line = line.dropLast() }
        if first {
            first = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        // A line over the limit that still fit in the buffer is cut the same way.
        if line.count > maxLine {
            lastLineLength = line.count
            line = line.prefix(maxLine)
        }
        return line
    }

    /// The first read's size (the reads then double up to the chunk size).
    private static var firstReadBytes: Int { 1 << 14 }

    private mutating func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            scanned = max(0, scanned - start)
            start = 0
        }
        // The buffer is moved out while the file writes into it (no overlapping access to self).
        var bytes = buffer
        buffer = []
        let old = bytes.count
        let size = readSize
        bytes.append(contentsOf: repeatElement(0, count: size))
        let outcome = bytes.withUnsafeMutableBytes { raw -> Result<Int, FileSystemError> in
            let tail = UnsafeMutableRawBufferPointer(rebasing: raw[old...])
            do throws(FileSystemError) { return .success(try file.read(into: tail)) } catch { return .failure(error) }
        }
        let n: Int
        switch outcome {
        case .success(let count): n = count
        case .failure(let error): n = 0; failure = error
        }
        bytes.removeLast(size - n)
        buffer = bytes
        bytesRead += n
        if n == size { readSize = min(chunk, size * 2) }
        if n == 0 { eof = true }
    }
}
