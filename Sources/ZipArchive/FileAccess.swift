// FileAccess.swift: the zip module's boundary to the package's file-system helpers.
//
// Archives are read and written with TransitSupport's `FileSystem`; its `FileSystemError`
// becomes `ZipError.io` here, with the same path, operation and errno, so messages are unchanged.

import TransitSupport

extension ZipError {
    /// The ``ZipError/io(path:operation:errno:)`` for a failed file-system call.
    init(_ error: FileSystemError) {
        self = .io(path: error.path, operation: error.operation, errno: error.errno)
    }
}

/// Reads the whole file at `path`, failing with ``ZipError/io(path:operation:errno:)``.
func readWholeFile(_ path: String) throws(ZipError) -> [UInt8] {
    do { return try FileSystem.read(path) } catch { throw ZipError(error) }
}

/// Replaces the file at `path` with `bytes` atomically, failing with
/// ``ZipError/io(path:operation:errno:)``; no partial or temporary file is left on failure.
func writeWholeFileAtomically(_ bytes: [UInt8], to path: String) throws(ZipError) {
    do { try FileSystem.writeAtomically(bytes, to: path) } catch { throw ZipError(error) }
}
