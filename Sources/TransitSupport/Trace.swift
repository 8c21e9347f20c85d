// Trace.swift: `TRANSIT_TRACE` phase timings on standard error.
//
// When the environment variable `TRANSIT_TRACE` is set (to anything), modules print one
// `trace: …` line per phase they time; otherwise tracing costs one Boolean test.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether `TRANSIT_TRACE` asks for phase timings on standard error (read once, at first use).
package let traceEnabled: Bool = getenv("TRANSIT_TRACE") != nil

/// Writes `trace: <message>` and a newline to standard error when ``traceEnabled``; the
/// message is not built otherwise.
package func trace(_ message: @autoclosure () -> String) {
    if traceEnabled { writeToStandardError("trace: " + message() + "\n") }
}
