#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read, in words.
struct FileReadFailure: Error {
    var text: String
}

/// Reads the whole file at `path` with plain POSIX calls (the module uses no Foundation).
/// - Complexity: O(file size).
func readWholeFile(_ path: String) -> Result<[UInt8], FileReadFailure> {
    var info = stat()
    guard stat(path, &info) == 0 else {
        return .failure(FileReadFailure(text: errno == ENOENT ? "no such file" : "cannot stat it (\(String(cString: strerror(errno))))"))
    }
    if info.st_mode & S_IFMT == S_IFDIR { return .failure(FileReadFailure(text: "it is a folder, not a file")) }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(FileReadFailure(text: "cannot open it (\(String(cString: strerror(errno))))")) }
    defer { _ = close(fd) }
    var out: [UInt8] = []
    out.reserveCapacity(max(0, Int(info.st_size)))
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n == 0 { break }
        if n < 0 {
            if errno == EINTR { continue }
            return .failure(FileReadFailure(text: "read failed (\(String(cString: strerror(errno))))"))
        }
        out.append(contentsOf: buffer[0..<n])
    }
    return .success(out)
}
