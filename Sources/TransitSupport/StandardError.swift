// StandardError.swift: writing text to standard error without Foundation.
//
// The C `stderr` global is not concurrency-safe in Swift 6, and the GTFS module avoids
// Foundation, so every module of the package writes its warnings, notes and traces here.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `text` to standard error (file descriptor 2) as UTF-8, whole.
///
/// Retries on `EINTR` and short writes; gives up silently on any other error (there is
/// nowhere left to report it). Adds no newline. Thread-safe: each call is one or more `write(2)`
/// calls, so lines from different threads may interleave only for texts longer than a pipe's
/// atomic size. O(text length).
package func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        guard var p = buffer.baseAddress else { return }
        var left = buffer.count
        while left > 0 {
            let n = write(2, p, left)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return
            }
            p += n
            left -= n
        }
    }
}
