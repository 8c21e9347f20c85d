import TransitSupport

/// A calendar date as GTFS writes it (`YYYYMMDD`), kept as that integer so it sorts and compares
/// naturally. Days are counted with the proleptic Gregorian calendar.
public struct GTFSDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The date as the integer `YYYYMMDD`.
    public let yyyymmdd: Int32

    /// Creates a date from its parts, or `nil` when they do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...GTFSDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        yyyymmdd = Int32(year * 10000 + month * 100 + day)
    }

    /// Creates a date from the `YYYYMMDD` integer, or `nil` when it does not name a real day.
    public init?(yyyymmdd: Int32) {
        let v = Int(yyyymmdd)
        self.init(year: v / 10000, month: (v / 100) % 100, day: v % 100)
    }

    /// Parses `YYYYMMDD` text, or `nil` when it is not a valid date.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let v = bytes.withUnsafeBufferPointer({ ValueParser.date($0.baseAddress, bytes.count) }) else { return nil }
        yyyymmdd = v
    }

    /// The year.
    public var year: Int { Int(yyyymmdd) / 10000 }
    /// The month, 1-12.
    public var month: Int { (Int(yyyymmdd) / 100) % 100 }
    /// The day of the month, 1-31.
    public var day: Int { Int(yyyymmdd) % 100 }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int { CivilTime.daysFromCivil(year: year, month: month, day: day) }

    /// The date `days` days from the epoch 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        yyyymmdd = Int32(y * 10000 + m * 100 + d)
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> GTFSDate {
        GTFSDate(daysSinceEpoch: daysSinceEpoch + n)
    }

    /// The weekday, 0 = Monday … 6 = Sunday (the order of `calendar.txt`'s columns).
    public var weekday: Int {
        let d = (daysSinceEpoch + 3) % 7 // 1970-01-01 was a Thursday (index 3)
        return d < 0 ? d + 7 : d
    }

    /// `YYYYMMDD`.
    public var description: String {
        let s = String(yyyymmdd)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    /// `YYYY-MM-DD`.
    public var iso8601: String {
        let d = description
        let a = d.index(d.startIndex, offsetBy: 4), b = d.index(a, offsetBy: 2)
        return "\(d[..<a])-\(d[a..<b])-\(d[b...])"
    }

    public static func < (lhs: GTFSDate, rhs: GTFSDate) -> Bool { lhs.yyyymmdd < rhs.yyyymmdd }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = GTFSDate(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not a date (YYYYMMDD)")
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// GTFS times: integer seconds since service-day midnight (noon minus 12 h), which may pass
/// 24:00:00 for trips that run after midnight.
public enum GTFSTime {
    /// The marker stored for an empty time.
    public static let missing: Int32 = -1

    /// Formats seconds as `HH:MM:SS` (hours may exceed 23).
    public static func format(_ seconds: Int32) -> String {
        guard seconds >= 0 else { return "" }
        let h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60
        return (h < 10 ? "0" : "") + String(h) + (m < 10 ? ":0" : ":") + String(m) + (s < 10 ? ":0" : ":") + String(s)
    }

    /// Parses `H:MM:SS` or `HH:MM:SS`, or `nil` when it is not a valid time.
    public static func parse(_ text: String) -> Int32? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { ValueParser.time($0.baseAddress, bytes.count) }
    }
}

/// Parsers from raw field bytes to typed values. Each returns `nil` when the text is not a
/// value of its type. Inputs are already trimmed of padding.
enum ValueParser {
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// `H:MM:SS`, `HH:MM:SS` or `HHH:MM:SS` → seconds.
    @inline(__always)
    static func time(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int32? {
        guard let p, n >= 7, n <= 9 else { return nil }
        if n == 8 {
            // HH:MM:SS, the common case, without a loop.
            let h1 = p[0] &- 0x30, h2 = p[1] &- 0x30, m1 = p[3] &- 0x30, m2 = p[4] &- 0x30
            let s1 = p[6] &- 0x30, s2 = p[7] &- 0x30
            guard p[2] == 0x3A, p[5] == 0x3A, h1 < 10, h2 < 10, m1 < 6, m2 < 10, s1 < 6, s2 < 10 else { return nil }
            return (Int32(h1) * 10 + Int32(h2)) * 3600 + (Int32(m1) * 10 + Int32(m2)) * 60 + Int32(s1) * 10 + Int32(s2)
        }
        let hLen = n - 6
        var h: Int32 = 0
        for i in 0..<hLen {
            let b = p[i]
            guard isDigit(b) else { return nil }
            h = h * 10 + Int32(b &- 0x30)
        }
        guard p[hLen] == 0x3A, p[hLen + 3] == 0x3A,
              isDigit(p[hLen + 1]), isDigit(p[hLen + 2]), isDigit(p[hLen + 4]), isDigit(p[hLen + 5])
        else { return nil }
        let m = Int32(p[hLen + 1] &- 0x30) * 10 + Int32(p[hLen + 2] &- 0x30)
        let s = Int32(p[hLen + 4] &- 0x30) * 10 + Int32(p[hLen + 5] &- 0x30)
        guard m < 60, s < 60 else { return nil }
        return h * 3600 + m * 60 + s
    }

    /// `YYYYMMDD` → the same integer, checked to be a real day.
    @inline(__always)
    static func date(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int32? {
        guard let p, n == 8 else { return nil }
        var v: Int32 = 0
        for i in 0..<8 {
            let b = p[i]
            guard isDigit(b) else { return nil }
            v = v * 10 + Int32(b &- 0x30)
        }
        return GTFSDate(yyyymmdd: v) == nil ? nil : v
    }

    /// An optionally signed decimal integer that fits in `Int32` (excluding `Int32.min`, the
    /// missing marker).
    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int32? {
        guard let p, n > 0, n <= 11 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B { negative = p[0] == 0x2D; i = 1 }
        guard i < n else { return nil }
        var v: Int64 = 0
        while i < n {
            let b = p[i]
            guard isDigit(b) else { return nil }
            v = v * 10 + Int64(b &- 0x30)
            i += 1
        }
        if negative { v = -v }
        guard v > Int64(Int32.min), v <= Int64(Int32.max) else { return nil }
        return Int32(v)
    }

    @inline(__always)
    static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }

    /// A decimal number. The common form (at most 15 significant digits, no exponent) is
    /// converted exactly with one correctly rounded division; anything else goes to `strtod`.
    static func real(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Double? {
        guard let p, n > 0, n < 64 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B { negative = p[0] == 0x2D; i = 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var anyDigit = false
        var fraction = 0
        var seenPoint = false
        while i < n {
            let b = p[i]
            if isDigit(b) {
                anyDigit = true
                guard digits < 15 else { return slowReal(p, n) }
                mantissa = mantissa * 10 + Int64(b &- 0x30)
                if mantissa > 0 { digits += 1 }
                if seenPoint { fraction += 1 }
            } else if b == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return slowReal(p, n)
            }
            i += 1
        }
        guard anyDigit, fraction <= 15 else { return anyDigit ? slowReal(p, n) : nil }
        var v = Double(mantissa)
        if fraction > 0 { v /= powerOfTen(fraction) }
        return negative ? -v : v
    }

    static func slowReal(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        // Accept [+-]digits[.digits][(e|E)[+-]digits] only: strtod alone would also take hex,
        // "inf" and "nan", which are not GTFS numbers.
        var i = 0
        if p[i] == 0x2B || p[i] == 0x2D { i += 1 }
        var mantissaDigits = 0
        while i < n, isDigit(p[i]) { i += 1; mantissaDigits += 1 }
        if i < n, p[i] == 0x2E {
            i += 1
            while i < n, isDigit(p[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            var expDigits = 0
            while i < n, isDigit(p[i]) { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == n else { return nil }
        var buffer = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { buffer[k] = CChar(bitPattern: p[k]) }
        let v = buffer.withUnsafeBufferPointer { b -> Double in
            guard let base = b.baseAddress else { return .nan }
            return cStrtod(base)
        }
        return v.isFinite ? v : nil
    }

    /// Six hexadecimal digits.
    static func isColor(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        guard let p, n == 6 else { return false }
        for i in 0..<6 {
            let b = p[i] | 0x20
            guard isDigit(p[i]) || (b >= 0x61 && b <= 0x66) else { return false }
        }
        return true
    }
}
