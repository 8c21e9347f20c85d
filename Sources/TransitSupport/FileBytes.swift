// FileBytes.swift: reading files, whole or piece by piece, on plain POSIX calls.
//
// `FileSystem.read(_:)` returns a whole file's bytes; `ReadableFile` hands out a file's bytes
// in pieces (for the GTFS chunked loader and the line reader). Failures are
// ``FileSystemError``s; no Foundation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads, atomic writes and folder helpers. Every function is thread-safe: none
/// keeps state between calls.
package enum FileSystem {
    /// `S_IFMT`, `S_IFDIR` and `S_IFREG`.
    static let fileTypeMask: mode_t = 0o170000
    static let directoryType: mode_t = 0o040000
    static let regularType: mode_t = 0o100000

    /// Largest single `read`/`write` request (Linux transfers at most about 2 GiB per call).
    static let maxIOChunk = 1 << 30

    /// Reads the whole file at `path`.
    ///
    /// Sizes the buffer from `fstat` and reads until end of file, retrying on `EINTR` and short
    /// reads; a file that grows while being read, or whose size `fstat` does not know (such as
    /// `/proc` entries), is read to its end. O(file size), one copy.
    ///
    /// - Throws: ``FileSystemError``: operation `open for reading` when the file cannot be opened
    ///   (`.notFound`, `.permissionDenied`, …), `read` with `EISDIR` (`.isDirectory`) for a
    ///   folder, `read` (`.readFailed`) when a read fails.
    package static func read(_ path: String) throws(FileSystemError) -> [UInt8] {
        var file = try ReadableFile(path: path)
        var status = stat()
        guard fstat(file.descriptor, &status) == 0 else {
            throw FileSystemError(.readFailed, path: path, operation: "get the size of", errno: errno)
        }
        if status.st_mode & fileTypeMask == directoryType {
            throw FileSystemError(.isDirectory, path: path, operation: "read", errno: EISDIR)
        }
        let expected = max(0, Int(status.st_size))
        var failure: FileSystemError?
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < expected {
                do throws(FileSystemError) {
                    let n = try file.read(into: UnsafeMutableRawBufferPointer(
                        start: base + count, count: min(expected - count, maxIOChunk)))
                    if n == 0 { break }
                    count += n
                } catch {
                    failure = error
                    break
                }
            }
        }
        if let failure { throw failure }
        if bytes.count == expected {
            // Files whose size is unknown to fstat (such as /proc entries), or that grew.
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = try file.read(into: &chunk)
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0 ..< n])
            }
        }
        return bytes
    }

    /// `true` when something (file, folder, or the target of a symbolic link) exists at `path`.
    package static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// `true` when `path` is a folder (following symbolic links).
    package static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & fileTypeMask == directoryType
    }

    /// `true` when `path` is a regular file (following symbolic links): not a folder, FIFO,
    /// socket or device, none of which has a size to check before reading it.
    package static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & fileTypeMask == regularType
    }

    /// The size in bytes of what is at `path`, or `nil` when it cannot be `stat`ed.
    package static func size(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }
}

/// A file open for reading, read front to back; closed when the value goes away.
///
/// Not copyable, so the descriptor has exactly one owner and is closed exactly once. Use it
/// from one thread at a time (it may move between threads with its owner).
package struct ReadableFile: ~Copyable {
    /// The open file descriptor.
    package let descriptor: Int32
    /// The path it was opened from (for errors).
    package let path: String

    /// Opens `path` read-only (`O_CLOEXEC`), retrying on `EINTR`.
    /// - Throws: ``FileSystemError`` with operation `open for reading`.
    package init(path: String) throws(FileSystemError) {
        while true {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                descriptor = fd
                self.path = path
                return
            }
            if errno != EINTR {
                throw FileSystemError(.openFailed, path: path, operation: "open for reading", errno: errno)
            }
        }
    }

    deinit { _ = close(descriptor) }

    /// Reads up to `buffer.count` bytes into the start of `buffer`, retrying on `EINTR`; 0 at
    /// the end.
    /// - Throws: ``FileSystemError`` with operation `read`.
    package mutating func read(into buffer: inout [UInt8]) throws(FileSystemError) -> Int {
        let fd = descriptor
        var code: Int32 = 0
        let n = buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress, raw.count > 0 else { return 0 }
            while true {
                let n = systemRead(fd, base, raw.count)
                if n >= 0 { return n }
                if errno != EINTR { code = errno; return 0 }
            }
        }
        if code != 0 { throw FileSystemError(.readFailed, path: path, operation: "read", errno: code) }
        return n
    }

    /// Reads up to `buffer.count` bytes into `buffer`, retrying on `EINTR`; 0 at the end.
    /// - Throws: ``FileSystemError`` with operation `read` (`.readFailed`, or `.isDirectory`).
    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileSystemError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = systemRead(descriptor, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw FileSystemError(.readFailed, path: path, operation: "read", errno: errno) }
        }
    }
}

/// `read(2)` under another name (``ReadableFile/read(into:)`` shadows it).
private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, base, count)
}
