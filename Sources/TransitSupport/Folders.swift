// Folders.swift: listing, creating, renaming and removing files and folders.
//
// The few directory operations the feed and timetable writers need (`mkdir -p`, `rm -rf`,
// listing, rename), on plain POSIX calls, reporting ``FileSystemError``.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileSystem {
    /// The names in the folder `path`, without `"."` and `".."`, not recursive, sorted by
    /// `String` ordering. Names that are not valid UTF-8 are repaired with U+FFFD. O(n log n).
    ///
    /// - Throws: ``FileSystemError`` (operation `list the folder`) when the folder cannot be
    ///   opened or read.
    package static func listDirectory(_ path: String) throws(FileSystemError) -> [String] {
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
    /// - Throws: ``FileSystemError`` naming the first component that could not be created
    ///   (`.alreadyExists` when a file is in the way).
    package static func makeDirectory(_ path: String) throws(FileSystemError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                if !(code == EEXIST && isDirectory(prefix)) {
                    throw FileSystemError(.writeFailed, path: prefix, operation: "create the folder", errno: code)
                }
            }
            prefix += "/"
        }
    }

    /// Removes `path` and, if it is a folder, everything in it (`rm -rf`), without following
    /// symbolic links. Meant for cleaning up temporary folders this program created. A path that
    /// does not exist is not an error; `""` and `"/"` are refused with `EINVAL`.
    ///
    /// - Throws: ``FileSystemError`` for the first item that cannot be removed.
    package static func removeTree(_ path: String) throws(FileSystemError) {
        guard !path.isEmpty, path.contains(where: { $0 != "/" }) else {
            throw FileSystemError(.invalidArgument, path: path,
                                  operation: "remove (refusing an empty path or the root folder)", errno: EINVAL)
        }
        try removeTree(cPath: Array(path.utf8CString), displayPath: path)
    }

    /// Renames `from` to `to` (POSIX `rename`: atomic, replaces an existing file, same file
    /// system only).
    ///
    /// - Throws: ``FileSystemError`` naming `to`, for example `EXDEV` (`.renameFailed`) across
    ///   file systems.
    package static func rename(_ from: String, _ to: String) throws(FileSystemError) {
        guard systemRename(from, to) == 0 else {
            throw FileSystemError(.renameFailed, path: to, operation: "rename '\(from)' to", errno: errno)
        }
    }

    /// Removes the file at `path` (`unlink`); a missing file is not an error.
    package static func removeFile(_ path: String) {
        _ = unlink(path)
    }

    /// Calls `body` with each entry name of a folder (NUL-terminated, excluding `.` and `..`).
    private static func forEachName(
        inDirectory cPath: [CChar], displayPath: String, _ body: ([CChar]) -> Void
    ) throws(FileSystemError) {
        guard let directory = opendir(cPath) else {
            throw FileSystemError(.readFailed, path: displayPath, operation: "list the folder", errno: errno)
        }
        defer { _ = closedir(directory) }
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 {
                    throw FileSystemError(.readFailed, path: displayPath, operation: "list the folder", errno: errno)
                }
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
    private static func removeTree(cPath: [CChar], displayPath: String) throws(FileSystemError) {
        var status = stat()
        guard lstat(cPath, &status) == 0 else {
            if errno == ENOENT { return }
            throw FileSystemError(.readFailed, path: displayPath, operation: "inspect", errno: errno)
        }
        guard status.st_mode & fileTypeMask == directoryType else {
            if unlink(cPath) != 0, errno != ENOENT {
                throw FileSystemError(.removeFailed, path: displayPath, operation: "remove", errno: errno)
            }
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
            throw FileSystemError(.removeFailed, path: displayPath, operation: "remove the folder", errno: errno)
        }
    }
}

/// `rename(2)` under another name (``FileSystem/rename(_:_:)`` shadows it).
private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
