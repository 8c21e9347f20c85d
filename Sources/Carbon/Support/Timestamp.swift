public import GTFS
import TransitSupport

/// An instant with the UTC offset it was written in.
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// The offset from UTC the time was written with, seconds.
    public let offsetSeconds: Int32

    /// Creates a timestamp.
    public init(epochSeconds: Int64, offsetSeconds: Int32) {
        self.epochSeconds = epochSeconds
        self.offsetSeconds = offsetSeconds
    }

    /// The calendar date in the written offset (the rider's local day).
    public var localDate: GTFSDate {
        let local = epochSeconds + Int64(offsetSeconds)
        return GTFSDate(daysSinceEpoch: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// Orders by instant.
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.epochSeconds < b.epochSeconds }

    /// Parses ISO 8601 with a required offset: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`
    /// (a space may stand for `T`; the fraction is dropped). `nil` when not of that form or
    /// not a real date and time.
    /// - Complexity: O(length).
    public static func parseISO8601<S: StringProtocol>(_ text: S) -> Timestamp? {
        var string = String(text)
        return string.withUTF8 { CivilTime.parseISO8601($0) }.map { Timestamp(epochSeconds: $0.epochSeconds, offsetSeconds: $0.offsetSeconds) }
    }
}

/// Parses a GTFS time `H:MM:SS` or `HH:MM:SS` (hours may pass 24) to seconds since
/// service-day midnight, or `nil`.
func parseServiceTime<S: StringProtocol>(_ text: S) -> Int32? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, let h = Int32(parts[0].trimmingSpaces), let m = Int32(parts[1]), let s = Int32(parts[2].trimmingSpaces),
          h >= 0, h < 48, m >= 0, m < 60, s >= 0, s < 60, parts[1].count == 2, parts[2].trimmingSpaces.count == 2 else { return nil }
    return h * 3600 + m * 60 + s
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
