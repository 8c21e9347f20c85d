#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line in fixed-size chunks: memory stays flat however long the file.
///
/// Lines end at `\n`; a trailing `\r` is dropped; the last line needs no newline. A UTF-8
/// byte-order mark at the start is skipped.
struct LineReader: ~Copyable {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var first = true
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// Bytes read so far.
    private(set) var bytesRead = 0

    /// Opens `path`.
    /// - Throws: ``CarbonError`` `log_unreadable`.
    init(path: String) throws(CarbonError) {
        guard let f = fopen(path, "rb") else {
            throw CarbonError("log_unreadable", file: path, "cannot open the trip log (\(String(cString: strerror(errno)))); check the path")
        }
        file = f
    }

    deinit { fclose(file) }

    /// The next line's bytes, or `nil` at the end.
    mutating func next() -> ArraySlice<UInt8>? {
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
        let chunk = 1 << 20
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let n = buffer.withUnsafeMutableBufferPointer { p in
            fread(p.baseAddress.map { $0 + old }, 1, chunk, file)
        }
        buffer.removeLast(chunk - n)
        bytesRead += n
        if n == 0 { eof = true }
    }
}
