extension TableParser {
    /// Appends `rows.count` values of column `k` to the part, parsing each by the column's type.
    static func convertColumn(_ k: Int, plan: Plan, part: Partial, base: UnsafePointer<UInt8>, rows: BlockRows,
                              rowBase: Int, scanner: CSVScanner) {
        let schema = plan.schemas[k]
        let found: ConvertedRows
        switch plan.kinds[k] {
        case .string:
            convertStrings(k, plan: plan, part: part, base: base, rows: rows, scanner: scanner)
            return
        case .integer:
            var range: ClosedRange<Int32>? = nil
            if case .integer(let rr)? = schema?.type { range = rr }
            found = convertValues(k, rows: rows, base: base, into: &part.int32s[k], missing: Column.missingInteger,
                                  range: range, parse: { ValueParser.integer($0, $1) }, store: { $0 })
        case .small:
            // Enumerations (0-3, 0/1 …) take one byte a row; a value outside -127…127 is kept as text.
            var range: ClosedRange<Int32>? = nil
            if case .integer(let rr)? = schema?.type { range = rr }
            found = convertValues(k, rows: rows, base: base, into: &part.int8s[k], missing: Column.missingSmallInteger,
                                  range: range, parse: { ValueParser.integer($0, $1) },
                                  store: { v in v >= -127 && v <= 127 ? Int8(v) : nil })
        case .real:
            var range: ClosedRange<Double>? = nil
            if case .real(let rr)? = schema?.type { range = rr }
            found = convertValues(k, rows: rows, base: base, into: &part.doubles[k], missing: .nan,
                                  range: range, parse: { ValueParser.real($0, $1) }, store: { $0 })
        case .time:
            found = convertValues(k, rows: rows, base: base, into: &part.int32s[k], missing: -1,
                                  range: nil, parse: { ValueParser.time($0, $1) }, store: { $0 })
        case .date:
            found = convertValues(k, rows: rows, base: base, into: &part.int32s[k], missing: -1,
                                  range: nil, parse: { ValueParser.date($0, $1) }, store: { $0 })
        }
        let fields = rows.fields, width = rows.width
        func text(_ r: Int) -> String { scanner.string(fields[r * width + k]) }
        for r in found.empties { reportMissing(k, row: r, plan: plan, part: part, rows: rows) }
        for r in found.bads {
            let value = text(r)
            part.unparsed[k][Int32(rowBase + r)] = value
            if let schema { reportBadValue(schema, value, file: plan.file, line: Int(rows.lines[r]), report: &part.report) }
        }
        for r in found.unstorable { part.unparsed[k][Int32(rowBase + r)] = text(r) }
        for r in found.outOfRange { reportRange(schema, text(r), file: plan.file, line: Int(rows.lines[r]), report: &part.report) }
    }

    /// The rows of a block that need a finding or their text kept, by kind, each in row order.
    struct ConvertedRows {
        /// Empty fields.
        var empties: [Int] = []
        /// Fields that do not parse (stored as missing, their text kept).
        var bads: [Int] = []
        /// Fields that parse but do not fit the storage (stored as missing, their text kept).
        var unstorable: [Int] = []
        /// Fields that parse to a value outside the schema's range (stored as parsed).
        var outOfRange: [Int] = []
    }

    /// Appends one value per row of `rows` to `array`, from column `k`: empty and unparsable
    /// fields become `missing`, others go through `parse`, are checked against `range` and kept
    /// through `store` (`missing` when it returns `nil`). One tight loop per column type: the
    /// function and its closures are inlined into each call, so the parser inlines into the loop.
    /// - Complexity: O(rows.count) parses.
    @inline(__always)
    static func convertValues<Value: Comparable, Stored>(
        _ k: Int, rows: BlockRows, base: UnsafePointer<UInt8>, into array: inout [Stored], missing: Stored,
        range: ClosedRange<Value>?, parse: (UnsafePointer<UInt8>, Int) -> Value?, store: (Value) -> Stored?
    ) -> ConvertedRows {
        let n = rows.count, width = rows.width, fields = rows.fields
        var found = ConvertedRows()
        let old = array.count
        array.append(contentsOf: repeatElement(missing, count: n))
        array.withUnsafeMutableBufferPointer { b in
            guard let out = b.baseAddress.map({ $0 + old }) else { return }
            for r in 0..<n {
                let f = fields[r * width + k]
                if f.start == f.end { out[r] = missing; found.empties.append(r); continue }
                if !f.escaped, let v = parse(base + f.start, f.end - f.start) {
                    if let s = store(v) {
                        out[r] = s
                    } else {
                        out[r] = missing
                        found.unstorable.append(r)
                    }
                    if let range, !range.contains(v) { found.outOfRange.append(r) }
                } else {
                    out[r] = missing
                    found.bads.append(r)
                }
            }
        }
        return found
    }

    /// Appends column `k` of `rows` (text and identifiers) to the part as codes of the
    /// column's interner (-1 for empty), checking typed text (colours, URLs …) against the schema.
    static func convertStrings(_ k: Int, plan: Plan, part: Partial, base: UnsafePointer<UInt8>, rows: BlockRows,
                               scanner: CSVScanner) {
        guard let interner = part.interners[k] else { return }
        let n = rows.count, width = rows.width, fields = rows.fields
        let schema = plan.schemas[k]
        let check = schema.map { needsStringCheck($0.type) } ?? false
        var checks: [Int] = []
        var empties: [Int] = []
        let old = part.codes[k].count
        part.codes[k].append(contentsOf: repeatElement(-1, count: n))
        part.codes[k].withUnsafeMutableBufferPointer { b in
            guard let out = b.baseAddress.map({ $0 + old }) else { return }
            for r in 0..<n {
                let f = fields[r * width + k]
                if f.start == f.end { out[r] = -1; empties.append(r); continue }
                if f.escaped {
                    let bytes = scanner.unescapedBytes(f)
                    out[r] = bytes.isEmpty ? -1 : interner.intern(bytes)
                } else {
                    out[r] = interner.intern(base + f.start, f.end - f.start)
                }
                if check { checks.append(r) }
            }
        }
        for r in empties { reportMissing(k, row: r, plan: plan, part: part, rows: rows) }
        if let schema {
            for r in checks {
                checkString(schema, scanner.string(fields[r * width + k]), file: plan.file, line: Int(rows.lines[r]), report: &part.report)
            }
        }
    }

    /// Reports the empty field of row `r` of `rows` in column `k` when the column is required.
    @inline(__always)
    static func reportMissing(_ k: Int, row r: Int, plan: Plan, part: Partial, rows: BlockRows) {
        if plan.required[k] {
            part.report.add(Finding(.error, "missing_required_field", file: plan.file, line: Int(rows.lines[r]), field: plan.names[k],
                                    message: "the required field '\(plan.names[k])' is empty"))
        }
    }
}
