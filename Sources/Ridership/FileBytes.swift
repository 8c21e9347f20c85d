import TransitSupport

/// Why a file could not be read, in words.
struct FileReadFailure: Error {
    var text: String
}

/// Reads the whole file at `path` (TransitSupport's `FileSystem.read(_:)`), putting a
/// failure in the module's words: `no such file`, `it is a folder, not a file`,
/// `cannot stat it (…)`, `cannot open it (…)` or `read failed (…)`.
/// - Complexity: O(file size).
func readWholeFile(_ path: String) -> Result<[UInt8], FileReadFailure> {
    do {
        return .success(try FileSystem.read(path))
    } catch {
        return .failure(FileReadFailure(text: describe(error, path: path)))
    }
}

/// The words for a failed whole-file read.
private func describe(_ error: FileSystemError, path: String) -> String {
    switch error.code {
    case .notFound: return "no such file"
    case .isDirectory: return "it is a folder, not a file"
    default: break
    }
    if error.operation == "open for reading" {
        // The path itself cannot be inspected (a folder on the way is missing or closed), or
        // only the file refuses to open.
        return FileSystem.exists(path)
            ? "cannot open it (\(error.systemMessage))" : "cannot stat it (\(error.systemMessage))"
    }
    return "read failed (\(error.systemMessage))"
}
