import Synchronization
import TransitSupport

/// A token bucket per API key: each key may make `rate` requests per second on average and
/// `burst` at once. Buckets live in memory (one process); a restart refills them.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// `rate` ≤ 0 turns limiting off.
    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(max(1, burst))
    }

    /// Whether `key` may make a request now; if not, the seconds until it may.
    func take(_ key: String) -> Double? {
        guard rate > 0 else { return nil }
        let now = monotonicSeconds()
        return buckets.withLock { buckets -> Double? in
            var b = buckets[key] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + (now - b.updated) * rate)
            b.updated = now
            defer { buckets[key] = b }
            if b.tokens >= 1 {
                b.tokens -= 1
                return nil
            }
            return (1 - b.tokens) / rate
        }
    }
}
