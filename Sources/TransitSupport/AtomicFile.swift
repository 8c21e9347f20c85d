// AtomicFile.swift: replacing a file so that readers never see a partial one.
//
// The bytes go to a temporary file in the target's folder (so on the same file system), which
// is made 0644, flushed to disk (`fsync`) and renamed over the target; on any failure the
// temporary file is removed. `FileSystem.writeAtomically` writes bytes held in memory;
// `AtomicFileWriter` streams text and renames at `commit()`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileSystem {
    /// Replaces the file at `path` with `bytes`, atomically.
    ///
    /// Writes to a temporary file beside `path` (made with `mkstemp`), sets permissions 0644,
    /// `fsync`s it, renames it over `path`, then `fsync`s the folder. On any failure the
    /// temporary file is removed, so no partial file is ever left; readers see the old file or
    /// the complete new one. O(bytes).
    ///
    /// - Throws: ``FileSystemError`` naming `path`: for example `.notFound` when the folder does
    ///   not exist, `.noSpace` when the disk is full, `.isDirectory` when `path` is a folder.
    package static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
        var file = try TemporaryFile(beside: path)
        do throws(FileSystemError) {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// The folder part (`"."` when none) and the last component of `path`.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let name = String(path[path.index(after: slash)...])
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, name)
    }

    /// A path in the folder of `path` that no other writer uses, for a file a library such as
    /// GLPK writes itself before it is renamed into place: `folder/.name.tag-<pid>-<random>`.
    package static func temporaryPath(beside path: String, tag: String) -> String {
        let folder: String
        let name: String
        if let slash = path.lastIndex(of: "/") {
            folder = String(path[...slash])
            name = String(path[path.index(after: slash)...])
        } else {
            folder = ""
            name = path
        }
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return "\(folder).\(name).\(tag)-\(getpid())-\(random)"
    }
}

/// A text file written piece by piece to a temporary file beside its target and renamed over
/// it by ``commit()``, so readers never see a partial file. Dropped without a commit, the
/// temporary file is removed and the target left as it was.
///
/// Writes are buffered (64 KiB); use it from one thread at a time.
package final class AtomicFileWriter {
    /// The target path.
    package let path: String
    private var file: TemporaryFile
    private var buffer: [UInt8] = []
    private var failure: FileSystemError?
    private var done = false

    /// The temporary file's path (in the target's folder).
    package var temporaryPath: String { file.path }

    /// Creates the temporary file beside `path`.
    /// - Throws: ``FileSystemError`` naming the temporary file (operation `create`).
    package init(path: String) throws(FileSystemError) {
        self.path = path
        file = try TemporaryFile(beside: path)
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `text` as UTF-8. A write failure is kept and thrown by ``commit()``.
    package func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends `bytes`. A write failure is kept and thrown by ``commit()``.
    package func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard failure == nil, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
        do throws(FileSystemError) {
            try file.write(buffer)
        } catch {
            failure = error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, syncs, and renames the file over the target.
    /// - Throws: ``FileSystemError`` naming the target; the temporary file is removed.
    package func commit() throws(FileSystemError) {
        flush()
        done = true
        if let failure {
            file.discard()
            throw failure
        }
        do throws(FileSystemError) {
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    deinit {
        if !done { file.discard() }
    }
}

/// An open temporary file beside a target path: write, then ``commit()`` (fsync, rename over
/// the target, fsync the folder) or ``discard()`` (close and remove).
struct TemporaryFile: ~Copyable {
    /// The target.
    let target: String
    /// The temporary file's path.
    let path: String
    private var descriptor: Int32

    /// Creates `folder/.name.tmp-XXXXXX` with `mkstemp`, mode 0644.
    init(beside target: String) throws(FileSystemError) {
        let (folder, name) = FileSystem.split(target)
        // Keep the temporary name within NAME_MAX even for long target names.
        var template = Array(folder.utf8)
        template.append(contentsOf: "/.".utf8)
        template.append(contentsOf: name.utf8.prefix(200))
        template.append(contentsOf: ".tmp-XXXXXX".utf8)
        var cTemplate = template.map { CChar(bitPattern: $0) }
        cTemplate.append(0)
        let fd = cTemplate.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            let fd = mkstemp(base)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return fd
        }
        guard fd >= 0 else {
            throw FileSystemError(.openFailed, path: target, operation: "create a temporary file in the folder of", errno: errno)
        }
        let path = String(decoding: cTemplate.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if fchmod(fd, 0o644) != 0 {
            let code = errno
            _ = close(fd)
            _ = unlink(path)
            throw FileSystemError(.writeFailed, path: target, operation: "set permissions on the temporary file for", errno: code)
        }
        self.target = target
        self.path = path
        self.descriptor = fd
    }

    /// Writes all of `bytes`, retrying on `EINTR` and short writes.
    mutating func write(_ bytes: [UInt8]) throws(FileSystemError) {
        let fd = descriptor
        let code = bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            var written = 0
            while written < raw.count {
                let n = systemWrite(fd, base + written, min(raw.count - written, FileSystem.maxIOChunk))
                if n > 0 {
                    written += n
                } else if n == 0 {
                    return EIO
                } else if errno != EINTR {
                    return errno
                }
            }
            return 0
        }
        if code != 0 {
            throw FileSystemError(.writeFailed, path: target, operation: "write the temporary file for", errno: code)
        }
    }

    /// `fsync`s and closes the file, renames it over the target, and `fsync`s the folder.
    /// On failure the caller calls ``discard()``.
    mutating func commit() throws(FileSystemError) {
        if fsync(descriptor) != 0 {
            throw FileSystemError(.writeFailed, path: target, operation: "flush (fsync) the temporary file for", errno: errno)
        }
        let fd = descriptor
        descriptor = -1
        if close(fd) != 0, errno != EINTR {
            throw FileSystemError(.writeFailed, path: target, operation: "close the temporary file for", errno: errno)
        }
        if rename(path, target) != 0 {
            throw FileSystemError(.renameFailed, path: target, operation: "replace", errno: errno)
        }
        // Make the rename itself durable; failure here does not undo a completed write.
        let folderFD = open(FileSystem.split(target).folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            _ = close(folderFD)
        }
    }

    /// Closes the file if still open and removes it (after a failure or an abandoned write).
    mutating func discard() {
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
        _ = unlink(path)
    }

    deinit {
        if descriptor >= 0 { _ = close(descriptor) }
    }
}

/// `write(2)` under another name (``TemporaryFile/write(_:)`` shadows it).
private func systemWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, base, count)
}
