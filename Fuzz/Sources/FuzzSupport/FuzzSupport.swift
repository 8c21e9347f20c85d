// What the fuzz targets share: the input as bytes, where the sample feed is, and a scratch file
// in memory (/dev/shm) for the readers that only take a path.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fuzzer's input as an array.
public func inputBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// The repository's root: `TRANSIT_ROOT`, else found from this file's path at build time.
public func repositoryRoot() -> String {
    if let root = getenv("TRANSIT_ROOT"), root.pointee != 0 { return String(cString: root) }
    // …/Fuzz/Sources/FuzzSupport/FuzzSupport.swift → …
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)
    return parts.joined(separator: "/")
}

/// The shipped sample feed's folder.
public func sampleFeedPath() -> String { repositoryRoot() + "/gtfs/sample-city" }

/// A scratch folder in memory, one per process (so parallel fuzzing jobs do not collide).
public let scratchFolder: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let dir = "\(base)/transit-fuzz-\(getpid())"
    _ = mkdir(dir, 0o700)
    return dir
}()

/// Writes `bytes` to `path` (truncating); false when it cannot.
@discardableResult
public func writeScratch(_ path: String, _ bytes: [UInt8]) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n <= 0 { return false }
        done += n
    }
    return true
}

/// Dies loudly (a finding for libFuzzer) when a setup step that must work does not.
public func setupFailed(_ what: String) -> Never {
    let message = Array("fuzz setup failed: \(what)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// The whole file at `path`, or nil.
public func readAll(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n <= 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}
