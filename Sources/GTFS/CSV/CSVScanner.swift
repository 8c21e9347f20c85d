/// A field of the current row as byte offsets into the scanned buffer.
struct CSVField: Sendable {
    /// First byte of the value (after an opening quote, after leading padding).
    var start: Int
    /// One past the last byte of the value (before a closing quote, before trailing padding).
    var end: Int
    /// The value was quoted and contains doubled quotes (`""`) that must be unescaped.
    var escaped: Bool

    static let empty = CSVField(start: 0, end: 0, escaped: false)
}

/// A defect the scanner met while splitting the bytes into rows and fields.
struct CSVDefect: Sendable {
    enum Kind: Sendable {
        /// A quoted field that runs to the end of the file.
        case unterminatedQuote
        /// Text other than padding after a field's closing quote.
        case textAfterClosingQuote
    }
    var kind: Kind
    var line: Int
}

/// Byte classes for the scanner: 1 = ends an unquoted field (comma, CR, LF).
/// Written once at initialisation, read-only afterwards.
nonisolated(unsafe) private let delimiterClass: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    p.initialize(repeating: 0, count: 256)
    p[0x2C] = 1
    p[0x0A] = 1
    p[0x0D] = 1
    return UnsafePointer(p)
}()

/// A byte-level RFC 4180 scanner that tolerates what real feeds write: CRLF, LF and bare CR
/// line ends (mixed), blank lines, no final newline, padding spaces around unquoted values,
/// padding after a closing quote, and quotes inside unquoted values.
///
/// It never allocates per field: ``nextRow(into:capacity:)`` writes offsets into a buffer the
/// caller owns.
/// - Complexity: O(n) in the buffer's length, one pass.
struct CSVScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let classes: UnsafePointer<UInt8>
    private(set) var position: Int
    /// The 1-based physical line at which the next row starts.
    private(set) var nextLine: Int = 1
    /// The 1-based physical line of the row ``nextRow(into:capacity:)`` last returned.
    private(set) var rowLine: Int = 0
    /// Defects met so far (the caller drains it).
    var defects: [CSVDefect] = []

    static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09

    init(base: UnsafePointer<UInt8>, count: Int, start: Int = 0, line: Int = 1) {
        self.base = base
        self.count = count
        self.position = start
        self.nextLine = line
        self.classes = delimiterClass
    }

    @inline(__always)
    private static func isPadding(_ b: UInt8) -> Bool { b == space || b == tab }

    /// Consumes one line end (CRLF, LF or CR) at `position` if there is one.
    @inline(__always)
    private mutating func consumeLineEnd() {
        guard position < count else { return }
        let b = base[position]
        if b == CSVScanner.cr {
            position += 1
            if position < count, base[position] == CSVScanner.lf { position += 1 }
            nextLine += 1
        } else if b == CSVScanner.lf {
            position += 1
            nextLine += 1
        }
    }

    /// Advances to the next non-blank row and writes its first `capacity` fields to `fields`.
    /// - Returns: the row's number of fields (which may exceed `capacity`: the rest are
    ///   skipped), or `nil` at the end of the buffer.
    mutating func nextRow(into fields: UnsafeMutablePointer<CSVField>, capacity: Int) -> Int? {
        // Skip blank lines.
        while position < count {
            let b = base[position]
            if b == CSVScanner.cr || b == CSVScanner.lf {
                consumeLineEnd()
            } else {
                break
            }
        }
        guard position < count else { return nil }
        rowLine = nextLine
        var fieldCount = 0
        let classes = self.classes
        let base = self.base, count = self.count
        var p = position
        while true {
            var field: CSVField
            let b0: UInt8 = p < count ? base[p] : CSVScanner.lf
            if b0 == CSVScanner.quote || b0 == CSVScanner.space || b0 == CSVScanner.tab {
                // Slow path: padding and/or a quoted field.
                while p < count, CSVScanner.isPadding(base[p]) { p += 1 }
                if p < count, base[p] == CSVScanner.quote {
                    position = p
                    field = scanQuoted(from: p + 1)
                    p = position
                } else {
                    var q = p
                    while q < count, classes[Int(base[q])] == 0 { q += 1 }
                    var e = q
                    while e > p, CSVScanner.isPadding(base[e - 1]) { e -= 1 }
                    field = CSVField(start: p, end: e, escaped: false)
                    p = q
                }
            } else {
                // Fast path: an unquoted value up to the next comma or line end.
                var q = p
                while q < count, classes[Int(base[q])] == 0 { q += 1 }
                var e = q
                if e > p, CSVScanner.isPadding(base[e - 1]) {
                    while e > p, CSVScanner.isPadding(base[e - 1]) { e -= 1 }
                }
                field = CSVField(start: p, end: e, escaped: false)
                p = q
            }
            if fieldCount < capacity { fields[fieldCount] = field }
            fieldCount += 1
            // After a field: a comma continues the row, anything else ends it.
            if p < count, base[p] == CSVScanner.comma {
                p += 1
                if p >= count {
                    if fieldCount < capacity { fields[fieldCount] = CSVField(start: count, end: count, escaped: false) }
                    position = p
                    return fieldCount + 1
                }
                continue
            }
            position = p
            consumeLineEnd()
            return fieldCount
        }
    }

    /// Scans a quoted field whose content starts at `contentStart` and leaves `position` at the
    /// delimiter after it.
    private mutating func scanQuoted(from contentStart: Int) -> CSVField {
        var q = contentStart
        var escaped = false
        var newlines = 0
        var closed = false
        while q < count {
            let b = base[q]
            if b == CSVScanner.quote {
                if q + 1 < count, base[q + 1] == CSVScanner.quote {
                    escaped = true
                    q += 2
                    continue
                }
                closed = true
                break
            }
            if b == CSVScanner.lf || (b == CSVScanner.cr && !(q + 1 < count && base[q + 1] == CSVScanner.lf)) {
                newlines += 1
            }
            q += 1
        }
        guard closed else {
            // Unterminated: report it and recover by ending the field at the end of its line,
            // so the rows after it are still read.
            defects.append(CSVDefect(kind: .unterminatedQuote, line: nextLine))
            var e = contentStart
            while e < count, base[e] != CSVScanner.lf, base[e] != CSVScanner.cr { e += 1 }
            position = e
            return CSVField(start: contentStart, end: e, escaped: false)
        }
        let contentEnd = q
        nextLine += newlines
        // After the closing quote: padding is fine; other text is a defect, kept verbatim.
        var p = q + 1
        while p < count, CSVScanner.isPadding(base[p]) { p += 1 }
        if p < count, base[p] != CSVScanner.comma, base[p] != CSVScanner.lf, base[p] != CSVScanner.cr {
            defects.append(CSVDefect(kind: .textAfterClosingQuote, line: nextLine))
            var e = p
            while e < count, base[e] != CSVScanner.comma, base[e] != CSVScanner.lf, base[e] != CSVScanner.cr { e += 1 }
            position = e
            // Keep the raw text from the opening quote on, so nothing is lost.
            return CSVField(start: contentStart - 1, end: e, escaped: false)
        }
        position = p
        return CSVField(start: contentStart, end: contentEnd, escaped: escaped)
    }

    /// The bytes of a field, with doubled quotes collapsed.
    func unescapedBytes(_ f: CSVField) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(f.end - f.start)
        var i = f.start
        while i < f.end {
            let b = base[i]
            out.append(b)
            if b == CSVScanner.quote, i + 1 < f.end, base[i + 1] == CSVScanner.quote { i += 2 } else { i += 1 }
        }
        return out
    }

    /// The field decoded as a `String` (invalid UTF-8 repaired with U+FFFD).
    func string(_ f: CSVField) -> String {
        if f.escaped {
            return String(decoding: unescapedBytes(f), as: UTF8.self)
        }
        guard f.end > f.start else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + f.start, count: f.end - f.start), as: UTF8.self)
    }
}
