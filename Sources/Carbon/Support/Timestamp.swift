public import GTFS

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
        var b = Array(text.utf8)
        while let l = b.last, l == 0x20 { b.removeLast() }
        func num(_ i: Int, _ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for j in i..<(i + n) {
                let c = b[j]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
              b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74,
              let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A, let s = num(17, 2),
              let date = GTFSDate(year: y, month: mo, day: d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            guard i + 1 == b.count else { return nil }
        } else if b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            guard let oh = num(i + 1, 2) else { return nil }
            var om = 0
            if i + 3 < b.count, b[i + 3] == 0x3A {
                guard let m = num(i + 4, 2), i + 6 == b.count else { return nil }
                om = m
            } else if i + 3 == b.count {
                om = 0
            } else {
                guard let m = num(i + 3, 2), i + 5 == b.count else { return nil }
                om = m
            }
            guard oh <= 18, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + min(s, 59))
        return Timestamp(epochSeconds: local - Int64(offset), offsetSeconds: Int32(offset))
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
