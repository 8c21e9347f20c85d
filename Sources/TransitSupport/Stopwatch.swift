// Stopwatch.swift: the package's one clock.
//
// Elapsed time for solver limits, planner logs and `TRANSIT_TRACE` phase timings, and the
// wall-clock time for feed and export stamps. Monotonic readings come from
// `clock_gettime(CLOCK_MONOTONIC)`, so they never jump with the system clock.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A monotonic clock reading in seconds, from an arbitrary fixed origin (usually boot).
package func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Whole seconds since 1970-01-01 00:00 UTC from the system clock.
package func secondsSinceEpoch() -> Int {
    Int(time(nil))
}

/// Measures the time elapsed since it was made (or last reset), on the monotonic clock.
///
/// A value: copying it copies its start. O(1) per reading.
package struct Stopwatch: Sendable {
    private var start: Double

    /// A stopwatch started now.
    package init() { start = monotonicSeconds() }

    /// Seconds since the start.
    package var seconds: Double { monotonicSeconds() - start }

    /// Milliseconds since the start.
    package var milliseconds: Double { seconds * 1000 }

    /// Starts again from now.
    package mutating func reset() { start = monotonicSeconds() }

    /// The milliseconds since the start, then starts again from now (one lap).
    package mutating func lap() -> Double {
        let now = monotonicSeconds()
        defer { start = now }
        return (now - start) * 1000
    }
}
