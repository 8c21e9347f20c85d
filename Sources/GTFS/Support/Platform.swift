#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `memcmp(a, b, n) == 0`.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    memcmp(a, b, n) == 0
}

/// The offset of the first byte equal to `byte` in the `n` bytes at `p`.
@inline(__always)
func memchrByte(_ p: UnsafePointer<UInt8>, _ byte: UInt8, _ n: Int) -> Int? {
    guard n > 0, let hit = memchr(p, Int32(byte), n) else { return nil }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
}

/// `strtod` on a NUL-terminated buffer.
func cStrtod(_ p: UnsafePointer<CChar>) -> Double {
    strtod(p, nil)
}

/// Writes a line to standard error without Foundation (the C `stderr` global is not
/// concurrency-safe in Swift 6).
public func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        guard var p = buffer.baseAddress else { return }
        var left = buffer.count
        while left > 0 {
            let n = write(2, p, left)
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            p += n
            left -= n
        }
    }
}

/// The size of the file at `path` in bytes, or `nil` when it cannot be stat'ed.
func fileSizeOnDisk(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int(st.st_size)
}

/// This process's id (used to name temporary outputs).
func processID() -> Int32 { getpid() }

/// Seconds since 1970-01-01 UTC from the system clock.
public func secondsSinceEpoch() -> Int {
    Int(time(nil))
}

/// A monotonic clock reading in seconds.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Whether `TRANSIT_TRACE` asks for phase timings on standard error.
let traceEnabled: Bool = getenv("TRANSIT_TRACE") != nil

/// Prints a phase timing to standard error when `TRANSIT_TRACE` is set.
func trace(_ message: @autoclosure () -> String) {
    if traceEnabled { writeToStandardError("trace: " + message() + "\n") }
}

/// Opens `path` read-only; -1 on failure (see `errno`).
func openForReading(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_CLOEXEC)
}

/// Reads up to `count` bytes, retrying on EINTR; -1 on failure.
func readFile(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    while true {
        let n = read(fd, buffer, count)
        if n < 0 && errno == EINTR { continue }
        return n
    }
}

/// Closes a file descriptor.
func closeFile(_ fd: Int32) {
    _ = close(fd)
}

/// The text of the current `errno`.
func errnoDescription() -> String {
    String(cString: strerror(errno))
}

/// Sleeps the calling thread.
func pause(microseconds: UInt32) {
    _ = usleep(microseconds)
}

/// The number of online processors (at least 1). Shared with the package's other modules.
package func processorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Runs `body(0)` on the calling thread and `body(1)…body(count-1)` on new threads, and returns
/// when all have finished.
///
/// Plain threads, not Dispatch's `concurrentPerform` nor Swift concurrency: the loader blocks
/// while it waits for its workers, and blocking inside a shared pool can starve that pool when
/// many loads run at once (as in a parallel test run).
package func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) { self.body = body; self.index = index }
    }
    var threads: [pthread_t] = []
    for i in 1..<max(1, count) {
        let box = Unmanaged.passRetained(Box(body, i))
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body(box.index)
            return nil
        }, box.toOpaque())
        if rc == 0 {
            threads.append(thread)
        } else {
            // No thread: run this share of the work here instead.
            let b = box.takeRetainedValue()
            b.body(b.index)
        }
    }
    body(0)
    for t in threads { pthread_join(t, nil) }
}
