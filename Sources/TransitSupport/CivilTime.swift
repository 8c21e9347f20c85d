/// Dates and times of the proleptic Gregorian calendar, shared by the modules that read
/// timestamps (GTFS dates, trip logs, fare taps).
package enum CivilTime {
    /// Days since 1970-01-01 of a date (negative before it), by H. Hinnant's `days_from_civil`.
    /// - Complexity: O(1).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Whether `year-month-day` is a real date (month 1–12, the day within the month, leap
    /// years counted).
    package static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// Parses ISO 8601 with a required offset from its UTF-8 bytes:
    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM|±HH)`; a space or `t` may stand for `T`,
    /// `z` for `Z`, a comma for the decimal point; the fraction is dropped, a leap second read
    /// as :59, trailing spaces ignored.
    /// - Returns: the instant (seconds since 1970-01-01T00:00:00Z) and the offset it was
    ///   written with (seconds east of UTC), or nil when the text is not of that form or not a
    ///   real date and time.
    /// - Complexity: O(length).
    package static func parseISO8601(_ bytes: UnsafeBufferPointer<UInt8>) -> (epochSeconds: Int64, offsetSeconds: Int32)? {
        var count = bytes.count
        while count > 0, bytes[count - 1] == 0x20 { count -= 1 }
        let b = UnsafeBufferPointer(rebasing: bytes[0..<count])
        func num(_ at: Int, _ len: Int) -> Int? {
            guard at + len <= b.count else { return nil }
            var v = 0
            for i in at..<(at + len) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
              b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74,
              let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A, let s = num(17, 2),
              isValidDate(year: y, month: mo, day: d), h < 24, mi < 60, s < 61 else { return nil }
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
            } else if i + 3 != b.count {
                guard let m = num(i + 3, 2), i + 5 == b.count else { return nil }
                om = m
            }
            guard oh <= 18, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let local = Int64(daysFromCivil(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + min(s, 59))
        return (local - Int64(offset), Int32(offset))
    }
}
