// LineReader.swift: a text file's lines, read in fixed-size chunks.
//
// Memory stays flat however long the file: one chunk (1 MiB by default) plus the line being
// cut is held at a time. Used by the carbon module's trip-log readers.

/// Reads a file line by line in fixed-size chunks.
///
/// Lines end at `\n`; a `\r` before it (or at the end of the last line) is dropped; the last
/// line needs no newline. A UTF-8 byte-order mark at the start of the file is skipped. A read
/// error ends the lines early, as an end of file does.
package struct LineReader: ~Copyable {
    private var file: ReadableFile
    private let chunk: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var first = true
    /// The 1-based number of the line last returned.
    package private(set) var lineNumber = 0
    /// Bytes read from the file so far.
    package private(set) var bytesRead = 0

    /// Opens `path`, to read it `chunkSize` bytes at a time (at least 1).
    /// - Throws: ``FileSystemError`` with operation `open for reading`.
    package init(path: String, chunkSize: Int = 1 << 20) throws(FileSystemError) {
        file = try ReadableFile(path: path)
        chunk = max(1, chunkSize)
    }

    /// The next line's bytes (without its line end), or `nil` after the last line.
    /// Amortised O(line length).
    package mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var line = buffer[start..<nl]
                start = nl + 1
                return finish(&line)
            }
            if eof {
                guard start < buffer.count else { return nil }
                var line = buffer[start...]
                start = buffer.count
                return finish(&line)
            }
            fill()
        }
    }

    private mutating func finish(_ line: inout ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        lineNumber += 1
        if line.last == 0x0D { line = line.dropLast() }
        if first {
            first = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        return line
    }

    private mutating func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        // The buffer is moved out while the file writes into it (no overlapping access to self).
        var bytes = buffer
        buffer = []
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: chunk))
        let n = bytes.withUnsafeMutableBytes { raw -> Int in
            let tail = UnsafeMutableRawBufferPointer(rebasing: raw[old...])
            return (try? file.read(into: tail)) ?? 0
        }
        bytes.removeLast(chunk - n)
        buffer = bytes
        bytesRead += n
        if n == 0 { eof = true }
    }
}
