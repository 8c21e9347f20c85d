// FileSystemError.swift: the one error type of the package's file-system helpers.
//
// Every failed system call on a path becomes a `FileSystemError` carrying a code (what kind of
// failure, for callers that branch on it), the path, the operation in words and the C `errno`.
// Modules map it at their boundary to their own error types, keeping their messages.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call on a path failed.
///
/// ``description`` reads `Could not <operation> '<path>': <strerror> (errno N). <advice>`.
package struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure: from `errno` where it is telling, else from the step that failed.
    package enum Code: Sendable, Equatable {
        /// Nothing at the path, or a missing parent folder (`ENOENT`).
        case notFound
        /// A file was expected but the path is a folder (`EISDIR`).
        case isDirectory
        /// A component of the path is not a folder (`ENOTDIR`).
        case notDirectory
        /// Permissions or a read-only file system refused it (`EACCES`, `EPERM`, `EROFS`).
        case permissionDenied
        /// Something already exists at the path (`EEXIST`).
        case alreadyExists
        /// The disk or quota is full (`ENOSPC`, `EDQUOT`).
        case noSpace
        /// The request is not valid, such as removing the root folder (`EINVAL`, `ENAMETOOLONG`).
        case invalidArgument
        /// Opening or creating the file failed otherwise.
        case openFailed
        /// Reading (or inspecting) failed otherwise.
        case readFailed
        /// Writing, flushing or closing failed otherwise.
        case writeFailed
        /// Renaming failed otherwise (for example `EXDEV` across file systems).
        case renameFailed
        /// Removing failed otherwise.
        case removeFailed
    }

    /// What kind of failure.
    package var code: Code
    /// The file or folder the call was about.
    package var path: String
    /// What was being done, in words (for example `"open for reading"`).
    package var operation: String
    /// The C `errno` value the call left.
    package var errno: Int32

    /// A failure of `operation` on `path` with `errno`; `step` is the code used when `errno`
    /// itself names no more telling kind.
    package init(_ step: Code, path: String, operation: String, errno: Int32) {
        self.code = FileSystemError.code(forErrno: errno) ?? step
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    /// The C library's text for ``errno`` (`strerror`), such as `No such file or directory`.
    package var systemMessage: String {
        guard let text = strerror(errno) else { return "unknown error" }
        return String(cString: text)
    }

    /// What failed, where, the system's reason, and what to do.
    package var description: String {
        "Could not \(operation) '\(path)': \(systemMessage) (errno \(errno)). " + advice
    }

    /// A short hint for the common `errno` values.
    private var advice: String {
        switch errno {
        case ENOENT: return "Check that the path and its parent folders exist."
        case EACCES, EPERM, EROFS: return "Check the permissions of the file and its folder."
        case ENOSPC, EDQUOT: return "Free some disk space and try again."
        case EISDIR: return "The path names a directory; give a file path instead."
        case ENOTDIR: return "A component of the path is not a directory."
        case EEXIST: return "Something already exists at that path."
        case ENAMETOOLONG: return "Use a shorter name."
        case EINVAL: return "The request is not valid for this file."
        default: return "Check the path and try again."
        }
    }

    private static func code(forErrno value: Int32) -> Code? {
        switch value {
        case ENOENT: return .notFound
        case EISDIR: return .isDirectory
        case ENOTDIR: return .notDirectory
        case EACCES, EPERM, EROFS: return .permissionDenied
        case EEXIST: return .alreadyExists
        case ENOSPC, EDQUOT: return .noSpace
        case EINVAL, ENAMETOOLONG: return .invalidArgument
        default: return nil
        }
    }
}
