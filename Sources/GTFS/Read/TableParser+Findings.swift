/// The findings the parser raises about the header, the CSV syntax and the values.
extension TableParser {
    /// Reports a defect the CSV scanner found on a line.
    static func addCSVDefect(_ d: CSVDefect, file: String, report: inout ValidationReport) {
        switch d.kind {
        case .unterminatedQuote:
            report.add(Finding(.error, "csv_parsing_failed", file: file, line: d.line,
                               message: "a quoted field is never closed; it is read up to the end of its line"))
        case .textAfterClosingQuote:
            report.add(Finding(.error, "csv_parsing_failed", file: file, line: d.line,
                               message: "text follows a closing quote; the field is kept as written"))
        }
    }

    /// Reports each column GTFS requires in `file` that the header lacks.
    static func addMissingRequiredColumns(schema: FileSchema, present: Set<String>, file: String,
                                                  report: inout ValidationReport) {
        for f in schema.fields where (f.presence == .required || f.presence == .requiredColumn) && !present.contains(f.name) {
            report.add(Finding(.error, "missing_required_column", file: file, line: 1, field: f.name,
                               message: "the header has no column '\(f.name)', which GTFS requires in \(file)"))
        }
    }

    /// Whether text of type `t` is checked beyond being valid UTF-8.
    static func needsStringCheck(_ t: FieldType) -> Bool {
        switch t {
        case .url, .color, .email, .timezone: true
        default: false
        }
    }

    /// Reports `text` when it is not a valid value of `fs`'s text type (colour, URL, e-mail, time zone).
    static func checkString(_ fs: FieldSchema, _ text: String, file: String, line: Int, report: inout ValidationReport) {
        switch fs.type {
        case .color:
            let bytes = Array(text.utf8)
            let ok = bytes.withUnsafeBufferPointer { ValueParser.isColor($0.baseAddress, bytes.count) }
            if !ok { reportBadValue(fs, text, file: file, line: line, report: &report) }
        case .url:
            let lower = text.lowercased()
            if !(lower.hasPrefix("http://") || lower.hasPrefix("https://")) || text.contains(" ") {
                reportBadValue(fs, text, file: file, line: line, report: &report)
            }
        case .email:
            if !text.contains("@") || text.contains(" ") { reportBadValue(fs, text, file: file, line: line, report: &report) }
        case .timezone:
            let ok = text.utf8.allSatisfy { b in
                (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || ValueParser.isDigit(b) || b == 0x2F || b == 0x5F || b == 0x2D || b == 0x2B
            } && (text.contains("/") || text == "UTC" || text == "GMT")
            if !ok { reportBadValue(fs, text, file: file, line: line, report: &report) }
        default:
            break
        }
    }

    /// The finding code and the expected form of a value of `type`.
    static func code(for type: FieldType) -> (code: String, expected: String) {
        switch type {
        case .integer: ("invalid_integer", "a whole number")
        case .real: ("invalid_float", "a decimal number")
        case .time: ("invalid_time", "a time H:MM:SS or HH:MM:SS")
        case .date: ("invalid_date", "a date YYYYMMDD")
        case .color: ("invalid_color", "a colour of six hexadecimal digits, e.g. FFAA00")
        case .url: ("invalid_url", "a URL starting with http:// or https://")
        case .email: ("invalid_email", "an e-mail address")
        case .timezone: ("invalid_timezone", "an IANA time zone such as Europe/Vilnius")
        case .id, .text, .code: ("invalid_character", "text")
        }
    }

    /// Reports `text` as not a value of `fs`'s type.
    static func reportBadValue(_ fs: FieldSchema, _ text: String, file: String, line: Int, report: inout ValidationReport) {
        let (code, expected) = code(for: fs.type)
        report.add(Finding(.error, code, file: file, line: line, field: fs.name, value: text,
                           message: "'\(text)' is not \(expected)"))
    }

    /// Reports `text` as a number outside `fs`'s allowed range.
    static func reportRange(_ fs: FieldSchema?, _ text: String, file: String, line: Int, report: inout ValidationReport) {
        guard let fs else { return }
        if case .integer(let r) = fs.type, r.lowerBound >= 0, r.upperBound <= 1702 {
            // An enumeration (location_type, pickup_type, monday, route_type, …): a value it
            // does not list is the canonical unexpected_enum_value, a warning.
            report.add(Finding(.warning, "unexpected_enum_value", file: file, line: line, field: fs.name, value: text,
                               message: "\(text) is not one of the values GTFS defines for \(fs.name) (\(r.lowerBound)–\(r.upperBound)); it is read as empty"))
            return
        }
        var allowed = ""
        switch fs.type {
        case .integer(let r):
            allowed = r.upperBound == Int32.max ? "at least \(r.lowerBound)" : "\(r.lowerBound) to \(r.upperBound)"
        case .real(let r):
            allowed = r.upperBound == .greatestFiniteMagnitude ? "at least \(formatReal(r.lowerBound))" : "\(formatReal(r.lowerBound)) to \(formatReal(r.upperBound))"
        default: break
        }
        report.add(Finding(.error, "number_out_of_range", file: file, line: line, field: fs.name, value: text,
                           message: "\(text) is out of range (allowed: \(allowed))"))
    }
}
