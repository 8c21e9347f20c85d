import Glibc

/// Whole-file reading, atomic writing and a few directory helpers, on plain POSIX calls
/// (no Foundation), reporting failures as ``ZipError/io(path:operation:errno:)``.
///
/// All functions are thread-safe; they keep no state between calls.
public enum BinaryFile {
    /// Reads the whole file at `path`.
    ///
    /// Sizes the buffer from `fstat` and reads until end of file, retrying on `EINTR` and short
    /// reads; a file that grows while being read is read to its new end. O(file size), one copy.
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)`` when the file cannot be opened or read
    ///   (for example `ENOENT`, `EACCES`, or `EISDIR` for a directory).
    public static func read(_ path: String) throws(ZipError) -> [UInt8] {
        let fd = try openFile(path, flags: O_RDONLY | O_CLOEXEC, operation: "open for reading")
        defer { _ = close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .io(path: path, operation: "get the size of", errno: errno) }
        if status.st_mode & fileTypeMask == directoryType {
            throw .io(path: path, operation: "read", errno: EISDIR)
        }
        let expected = max(0, Int(status.st_size))
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < expected {
                let result = Glibc.read(fd, base + count, min(expected - count, maxIOChunk))
                if result > 0 {
                    count += result
                } else if result == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw .io(path: path, operation: "read", errno: failure) }
        if bytes.count == expected {
            // Files whose size is unknown to fstat (such as /proc entries), or that grew.
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let result = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if result > 0 {
                    bytes.append(contentsOf: chunk[0 ..< result])
                } else if result == 0 {
                    break
                } else if errno != EINTR {
                    throw .io(path: path, operation: "read", errno: errno)
                }
            }
        }
        return bytes
    }

    /// Replaces the file at `path` with `bytes`, atomically.
    ///
    /// Writes to a temporary file beside `path` (made with `mkstemp`, so in the same folder and
    /// file system), sets permissions 0644, `fsync`s it, renames it over `path`, then `fsync`s
    /// the folder. On any failure the temporary file is removed, so no partial file is ever
    /// left; readers see the old file or the complete new one. O(bytes).
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)``, for example `ENOENT` when the folder
    ///   does not exist, `ENOSPC` when the disk is full, or `EISDIR` when `path` is a directory.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ZipError) {
        let (folder, name) = split(path)
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
            throw .io(path: path, operation: "create a temporary file in the folder of", errno: errno)
        }
        var open = true
        func fail(_ operation: String, _ code: Int32) -> ZipError {
            if open { _ = close(fd) }
            open = false
            _ = unlink(cTemplate)
            return .io(path: path, operation: operation, errno: code)
        }

        if fchmod(fd, 0o644) != 0 { throw fail("set permissions on the temporary file for", errno) }
        let writeError = bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            var written = 0
            while written < raw.count {
                let result = Glibc.write(fd, base + written, min(raw.count - written, maxIOChunk))
                if result > 0 {
                    written += result
                } else if result == 0 {
                    return EIO
                } else if errno != EINTR {
                    return errno
                }
            }
            return 0
        }
        if writeError != 0 { throw fail("write the temporary file for", writeError) }
        if fsync(fd) != 0 { throw fail("flush (fsync) the temporary file for", errno) }
        open = false
        if close(fd) != 0, errno != EINTR { throw fail("close the temporary file for", errno) }
        if Glibc.rename(cTemplate, path) != 0 { throw fail("replace", errno) }

        // Make the rename itself durable; failure here does not undo a completed write.
        let folderFD = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            _ = close(folderFD)
        }
    }

    /// `true` when something (file, folder, or the target of a symbolic link) exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// `true` when `path` is a folder (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & fileTypeMask == directoryType
    }

    /// The names in the folder `path`, without `"."` and `".."`, not recursive, sorted by
    /// `String` ordering. Names that are not valid UTF-8 are repaired with U+FFFD. O(n log n).
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)`` when the folder cannot be opened or read.
    public static func listDirectory(_ path: String) throws(ZipError) -> [String] {
        var names: [String] = []
        try forEachName(inDirectory: Array(path.utf8CString), displayPath: path) { name in
            names.append(String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        names.sort()
        return names
    }

    /// Creates the folder `path` and any missing parents (`mkdir -p`), with mode 0755.
    /// Succeeds when the folder already exists.
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)`` naming the first component that could
    ///   not be created (`EEXIST` when a file is in the way).
    public static func makeDirectory(_ path: String) throws(ZipError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                if !(code == EEXIST && isDirectory(prefix)) {
                    throw .io(path: prefix, operation: "create the folder", errno: code)
                }
            }
            prefix += "/"
        }
    }

    /// Removes `path` and, if it is a folder, everything in it (`rm -rf`), without following
    /// symbolic links. Meant for cleaning up temporary folders this program created. A path that
    /// does not exist is not an error; `""` and `"/"` are refused with `EINVAL`.
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)`` for the first item that cannot be removed.
    public static func removeTree(_ path: String) throws(ZipError) {
        guard !path.isEmpty, path.contains(where: { $0 != "/" }) else {
            throw .io(path: path, operation: "remove (refusing an empty path or the root folder)", errno: EINVAL)
        }
        try removeTree(cPath: Array(path.utf8CString), displayPath: path)
    }

    /// Renames `from` to `to` (POSIX `rename`: atomic, replaces an existing file, same file system only).
    ///
    /// - Throws: ``ZipError/io(path:operation:errno:)`` naming `to`, for example `EXDEV` across file systems.
    public static func rename(_ from: String, _ to: String) throws(ZipError) {
        guard Glibc.rename(from, to) == 0 else {
            throw .io(path: to, operation: "rename '\(from)' to", errno: errno)
        }
    }

    // MARK: - Internals

    /// `S_IFMT` and `S_IFDIR`.
    private static let fileTypeMask: mode_t = 0o170000
    private static let directoryType: mode_t = 0o040000

    /// Largest single `read`/`write` request (Linux transfers at most about 2 GiB per call).
    private static let maxIOChunk = 1 << 30

    /// `open`, retried on `EINTR`.
    private static func openFile(_ path: String, flags: Int32, operation: String) throws(ZipError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags)
            if fd >= 0 { return fd }
            if errno != EINTR { throw .io(path: path, operation: operation, errno: errno) }
        }
    }

    /// The folder part (`"."` when none) and the last component of `path`.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let name = String(path[path.index(after: slash)...])
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, name)
    }

    /// Calls `body` with each entry name of a folder (NUL-terminated, excluding `.` and `..`).
    private static func forEachName(
        inDirectory cPath: [CChar], displayPath: String, _ body: ([CChar]) -> Void
    ) throws(ZipError) {
        guard let directory = opendir(cPath) else {
            throw .io(path: displayPath, operation: "list the folder", errno: errno)
        }
        defer { _ = closedir(directory) }
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { throw .io(path: displayPath, operation: "list the folder", errno: errno) }
                return
            }
            var name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [CChar] in
                let length = raw.firstIndex(of: 0) ?? raw.count
                return raw[..<length].map { CChar(bitPattern: $0) }
            }
            if name == [46] || name == [46, 46] { continue }
            name.append(0)
            body(name)
        }
    }

    /// `rm -rf` on a NUL-terminated path, byte-exact so that names in any encoding are removed.
    private static func removeTree(cPath: [CChar], displayPath: String) throws(ZipError) {
        var status = stat()
        guard lstat(cPath, &status) == 0 else {
            if errno == ENOENT { return }
            throw .io(path: displayPath, operation: "inspect", errno: errno)
        }
        guard status.st_mode & fileTypeMask == directoryType else {
            if unlink(cPath) != 0, errno != ENOENT { throw .io(path: displayPath, operation: "remove", errno: errno) }
            return
        }
        var children: [[CChar]] = []
        try forEachName(inDirectory: cPath, displayPath: displayPath) { children.append($0) }
        let prefix = cPath.dropLast() + [47]  // "<path>/"
        for child in children {
            let childPath = Array(prefix + child)
            let childName = String(decoding: child.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            try removeTree(cPath: childPath, displayPath: displayPath + "/" + childName)
        }
        if rmdir(cPath) != 0, errno != ENOENT {
            throw .io(path: displayPath, operation: "remove the folder", errno: errno)
        }
    }
}
