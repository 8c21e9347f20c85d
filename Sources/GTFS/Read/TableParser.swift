
/// A column as parsed from one file, before identifiers are linked across files.
struct ParsedColumn: Sendable {
    enum Storage: Sendable {
        /// Local codes into `values` (strings and identifiers), in order of first appearance.
        case strings(codes: [Int32], values: [String])
        case integers([Int32])
        case smallIntegers([Int8])
        case reals([Double])
        case times([Int32])
        case dates([Int32])
    }
    var name: String
    var schema: FieldSchema?
    var storage: Storage
    var unparsed: [Int32: String]
}

/// One file parsed to typed columns, with the findings it raised on its own.
struct ParsedTable: Sendable {
    var name: String
    var columns: [ParsedColumn]
    var rowCount: Int
    var lines: [Int32]
    var firstLine: Int32
    var report: ValidationReport
}

/// Parses one CSV file of a feed into typed columns.
///
/// The scanner splits rows into field offsets a block of rows at a time; each column of the
/// block is then converted in one tight loop of its own type (column-major), so the per-field
/// cost is a parse, not a dispatch. Large files arrive in chunks cut at line ends (see
/// ``LoadPipeline``); each chunk is parsed on its own and the chunks are merged in order.
///
/// Every value is checked against its field type; a value that does not parse is stored as
/// empty, its text kept in ``ParsedColumn/unparsed``, and a finding is raised with file, line,
/// field and value. The parser never stops at a bad row.
enum TableParser {
    enum Kind: UInt8, Sendable { case string, integer, small, real, time, date }

    /// What the header says about the columns.
    struct Plan: Sendable {
        var file: String
        var names: [String]
        var schemas: [FieldSchema?]
        var kinds: [Kind]
        var required: [Bool]
        /// The number of fields of the header line; more than ``width`` when the header has
        /// more than ``TableParser/maxColumns`` columns (the rest are not read).
        var headerWidth: Int
        var width: Int { names.count }
    }

    /// The most columns read from a file's header; the columns after them are dropped, with a
    /// `too_many_columns` finding. GTFS files have a few dozen.
    static let maxColumns = 4096

    /// The columns of a run of rows.
    ///
    /// Unchecked invariant: owned by one thread at a time, and handed over only
    /// through a lock. The loader's worker that parses a chunk builds it, puts it in the shared
    /// state under the pipeline's lock, and the job's one merger takes it out under that lock
    /// and merges it under the job's output lock; ``LoadPipeline/result(_:)`` reads it after the
    /// workers are joined. No two threads ever hold it at once.
    final class Partial: @unchecked Sendable {
        var interners: [ByteInterner?]
        var codes: [[Int32]]
        var int32s: [[Int32]]
        var int8s: [[Int8]]
        var doubles: [[Double]]
        var unparsed: [[Int32: String]]
        var lines: [Int32] = []
        var rows = 0
        var report: ValidationReport
        /// The scanner's next line when it stopped (for the line offset of a following part).
        var endLine = 1
        /// The line of the first NUL byte, reported once per file by ``finish(plan:accumulated:report:)``
        /// (one finding per chunk would make the count depend on the chunk size).
        var nulLine: Int?

        init(_ plan: Plan, maxPerCode: Int, estimate: Int) {
            let w = plan.width
            interners = plan.kinds.map { $0 == .string ? ByteInterner() : nil }
            codes = [[Int32]](repeating: [], count: w)
            int32s = [[Int32]](repeating: [], count: w)
            int8s = [[Int8]](repeating: [], count: w)
            doubles = [[Double]](repeating: [], count: w)
            unparsed = [[Int32: String]](repeating: [:], count: w)
            report = ValidationReport(maxPerCode: maxPerCode)
            for k in 0..<w {
                switch plan.kinds[k] {
                case .string: codes[k].reserveCapacity(estimate)
                case .real: doubles[k].reserveCapacity(estimate)
                case .integer, .time, .date: int32s[k].reserveCapacity(estimate)
                case .small: int8s[k].reserveCapacity(estimate)
                }
            }
            lines.reserveCapacity(estimate)
        }
    }

    /// What reading the header found: the plan for the body, or a finished (empty) table
    /// when the file cannot have a body (empty, UTF-16, no header line).
    enum HeaderResult {
        case body(plan: Plan, bodyStart: Int, firstLine: Int)
        case done(ParsedTable)
    }

    /// Reads the header at the start of a file's first chunk.
    static func parseHeader(name: String, bytes: UnsafeBufferPointer<UInt8>, schema: FileSchema,
                            report: inout ValidationReport) -> HeaderResult {
        func empty() -> HeaderResult {
            .done(ParsedTable(name: name, columns: [], rowCount: 0, lines: [], firstLine: 0, report: report))
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            report.add(Finding(.error, "empty_file", file: name,
                               message: "the file is empty (0 bytes); it needs at least a header line"))
            return empty()
        }
        let n = bytes.count
        if n >= 2, (base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0xFE && base[1] == 0xFF) {
            report.add(Finding(.error, "invalid_input_encoding", file: name, line: 1,
                               message: "the file is UTF-16 encoded; GTFS files must be UTF-8: re-save it as UTF-8"))
            addMissingRequiredColumns(schema: schema, present: [], file: name, report: &report)
            return empty()
        }
        let start = utf8BOMLength(bytes)
        var scanner = CSVScanner(base: base, count: n, start: start)
        let headerCapacity = maxColumns
        let header = UnsafeMutablePointer<CSVField>.allocate(capacity: headerCapacity)
        defer { header.deallocate() }
        guard let headerCount = scanner.nextRow(into: header, capacity: headerCapacity) else {
            report.add(Finding(.error, "empty_file", file: name,
                               message: "the file has no header line; it needs at least the column names"))
            return empty()
        }
        let headerFields = Array(UnsafeBufferPointer(start: header, count: min(headerCount, headerCapacity)))
        if headerCount > headerCapacity {
            report.add(Finding(.error, "too_many_columns", file: name, line: scanner.rowLine,
                               message: "the header has \(headerCount) columns, more than the \(headerCapacity) read; the columns after "
                                   + "column \(headerCapacity) and their values are dropped"))
        }
        var plan = makePlan(file: name, scanner: scanner, fields: headerFields, schema: schema, report: &report)
        plan.headerWidth = headerCount
        for d in scanner.defects { addCSVDefect(d, file: name, report: &report) }
        return .body(plan: plan, bodyStart: scanner.position, firstLine: scanner.nextLine)
    }

    /// Parses a whole file held in memory (used for small files and by tests): header, body,
    /// and the finished table.
    static func parse(name: String, bytes: UnsafeBufferPointer<UInt8>, schema: FileSchema, maxPerCode: Int) -> ParsedTable {
        var report = ValidationReport(maxPerCode: maxPerCode)
        switch parseHeader(name: name, bytes: bytes, schema: schema, report: &report) {
        case .done(let table):
            return table
        case .body(let plan, let bodyStart, let firstLine):
            guard let base = bytes.baseAddress else { return finish(plan: plan, accumulated: nil, report: report) }
            let part = parseBody(base, range: (bodyStart, bytes.count), plan: plan, firstLine: firstLine,
                                 maxPerCode: maxPerCode, estimate: 64)
            return finish(plan: plan, accumulated: part, report: report)
        }
    }

    static func makePlan(file: String, scanner: CSVScanner, fields: [CSVField], schema: FileSchema,
                         report: inout ValidationReport) -> Plan {
        var names: [String] = []
        var schemas: [FieldSchema?] = []
        var kinds: [Kind] = []
        var seen: Set<String> = []
        for f in fields {
            let title = scanner.string(f).trimmingPadding()
            if title.unicodeScalars.contains("\u{FFFD}") {
                report.add(Finding(.error, "invalid_character", file: file, line: scanner.rowLine, field: title,
                                   message: "the column name is not valid UTF-8; re-save the file as UTF-8"))
            }
            names.append(title)
            if title.isEmpty {
                report.add(Finding(.error, "empty_column_name", file: file, line: scanner.rowLine,
                                   message: "column \(names.count) of the header has no name"))
            } else if seen.contains(title) {
                report.add(Finding(.error, "duplicated_column", file: file, line: scanner.rowLine, field: title,
                                   message: "the header names '\(title)' twice; only the first is read as \(title), the other is kept as text"))
                schemas.append(nil)
                kinds.append(.string)
                continue
            }
            let fs = title.isEmpty ? nil : schema.field(title)
            if fs == nil, !title.isEmpty {
                report.add(Finding(.info, "unknown_column", file: file, line: scanner.rowLine, field: title,
                                   message: "'\(title)' is not a column GTFS defines for this file; it is kept as text"))
            }
            seen.insert(title)
            schemas.append(fs)
            switch fs?.type {
            case .integer(let range)?: kinds.append(range.lowerBound >= -127 && range.upperBound <= 127 ? .small : .integer)
            case .real?: kinds.append(.real)
            case .time?: kinds.append(.time)
            case .date?: kinds.append(.date)
            default: kinds.append(.string)
            }
        }
        addMissingRequiredColumns(schema: schema, present: seen, file: file, report: &report)
        return Plan(file: file, names: names, schemas: schemas, kinds: kinds,
                    required: schemas.map { $0?.presence == .required }, headerWidth: names.count)
    }

    /// Scans and converts the rows in `range`, numbering lines from `firstLine`.
    static func parseBody(_ base: UnsafePointer<UInt8>, range: (Int, Int), plan: Plan, firstLine: Int,
                          maxPerCode: Int, estimate: Int) -> Partial {
        let width = max(1, plan.width)
        let part = Partial(plan, maxPerCode: maxPerCode, estimate: estimate)
        if range.1 > range.0, let nul = memchrByte(base + range.0, 0, range.1 - range.0) {
            // Its line, counting line ends as the scanner does (CRLF, LF or a bare CR).
            var line = firstLine
            for i in range.0..<(range.0 + nul) where base[i] == 0x0A || (base[i] == 0x0D && base[i + 1] != 0x0A) { line += 1 }
            part.nulLine = line
        }
        var scanner = CSVScanner(base: base, count: range.1, start: range.0, line: firstLine)
        // About 64 Ki field offsets a block: 512 rows of a usual file, fewer of a very wide one.
        let blockRows = max(1, min(512, 65_536 / width))
        let block = UnsafeMutablePointer<CSVField>.allocate(capacity: blockRows * width)
        defer { block.deallocate() }
        let blockLines = UnsafeMutablePointer<Int32>.allocate(capacity: blockRows)
        defer { blockLines.deallocate() }
        let file = plan.file
        while true {
            // 1. Split up to blockRows rows into field offsets.
            var rowsInBlock = 0
            while rowsInBlock < blockRows {
                let row = block + rowsInBlock * width
                guard let fc = scanner.nextRow(into: row, capacity: plan.width) else { break }
                let line = scanner.rowLine
                if fc == 1, plan.width > 1, row[0].end <= row[0].start {
                    // Only spaces or tabs: skipped as a blank line is, but reported.
                    part.report.add(Finding(.warning, "empty_row", file: file, line: line,
                                            message: "the row holds only white space; it is skipped (remove it)"))
                    scanner.defects.removeAll()
                    continue
                }
                blockLines[rowsInBlock] = Int32(truncatingIfNeeded: line)
                if fc != plan.headerWidth {
                    part.report.add(Finding(.error, "invalid_row_length", file: file, line: line,
                                            message: "the row has \(fc) fields but the header has \(plan.headerWidth)"
                                                + (fc < plan.headerWidth ? "; the missing ones are read as empty" : "; the extra ones are dropped")))
                }
                if fc < plan.width {
                    for k in fc..<plan.width { row[k] = .empty }
                }
                if !scanner.defects.isEmpty {
                    for d in scanner.defects { addCSVDefect(d, file: file, report: &part.report) }
                    scanner.defects.removeAll()
                }
                rowsInBlock += 1
            }
            if rowsInBlock == 0 { break }
            let rowBase = part.rows
            part.lines.append(contentsOf: UnsafeBufferPointer(start: blockLines, count: rowsInBlock))
            // 2. Convert each column of the block in a loop of its own type.
            let rows = BlockRows(fields: UnsafePointer(block), lines: UnsafePointer(blockLines), count: rowsInBlock, width: width)
            for k in 0..<plan.width {
                convertColumn(k, plan: plan, part: part, base: base, rows: rows, rowBase: rowBase, scanner: scanner)
            }
            part.rows += rowsInBlock
        }
        part.endLine = scanner.nextLine
        return part
    }

    /// A block of scanned rows: `count` rows of `width` fields each.
    struct BlockRows {
        let fields: UnsafePointer<CSVField>
        let lines: UnsafePointer<Int32>
        let count: Int
        let width: Int
    }

    /// Appends the rows of `part` (parsed with lines counted from 1) to `acc`: shifts its lines
    /// and findings, and remaps its string codes into `acc`'s interners.
    static func merge(_ part: Partial, into acc: Partial, plan: Plan) {
        let lineOffset = Int32(acc.endLine - 1)
        let rowOffset = Int32(acc.rows)
        var shifted = part.report
        shifted.shiftLines(by: Int(lineOffset))
        acc.report.merge(shifted)
        if acc.nulLine == nil, let line = part.nulLine { acc.nulLine = line + Int(lineOffset) }
        ensureCapacity(&acc.lines, acc.lines.count + part.lines.count)
        for l in part.lines { acc.lines.append(l + lineOffset) }
        for k in 0..<plan.width {
            switch plan.kinds[k] {
            case .string:
                guard let target = acc.interners[k], let source = part.interners[k] else { continue }
                var map = [Int32](repeating: -1, count: source.count)
                for c in 0..<source.count { map[c] = source.withBytes(Int32(c)) { target.intern($0, $1) } }
                let old = acc.codes[k].count
                ensureCapacity(&acc.codes[k], old + part.codes[k].count)
                acc.codes[k].append(contentsOf: part.codes[k])
                map.withUnsafeBufferPointer { m in
                    acc.codes[k].withUnsafeMutableBufferPointer { out in
                        for i in old..<out.count where out[i] >= 0 { out[i] = m[Int(out[i])] }
                    }
                }
            case .real:
                ensureCapacity(&acc.doubles[k], acc.doubles[k].count + part.doubles[k].count)
                acc.doubles[k].append(contentsOf: part.doubles[k])
            case .integer, .time, .date:
                ensureCapacity(&acc.int32s[k], acc.int32s[k].count + part.int32s[k].count)
                acc.int32s[k].append(contentsOf: part.int32s[k])
            case .small:
                ensureCapacity(&acc.int8s[k], acc.int8s[k].count + part.int8s[k].count)
                acc.int8s[k].append(contentsOf: part.int8s[k])
            }
            for (r, t) in part.unparsed[k] { acc.unparsed[k][r + rowOffset] = t }
        }
        acc.rows += part.rows
        acc.endLine = part.endLine + Int(lineOffset)
    }

    /// Grows `array`'s capacity to at least `needed`, by half again at a time, so a run of
    /// appends past an estimate costs amortised O(1) copies rather than one copy each.
    @inline(__always)
    static func ensureCapacity<T>(_ array: inout [T], _ needed: Int) {
        if array.capacity < needed { array.reserveCapacity(Swift.max(needed, array.capacity + array.capacity / 2)) }
    }

    /// Reserves room for about `rows` rows in every column of `acc`.
    static func reserve(_ acc: Partial, rows: Int, plan: Plan) {
        for k in 0..<plan.width {
            switch plan.kinds[k] {
            case .string: acc.codes[k].reserveCapacity(rows)
            case .real: acc.doubles[k].reserveCapacity(rows)
            case .integer, .time, .date: acc.int32s[k].reserveCapacity(rows)
            case .small: acc.int8s[k].reserveCapacity(rows)
            }
        }
        acc.lines.reserveCapacity(rows)
    }

    /// Turns the merged rows into a table's columns.
    static func finish(plan: Plan, accumulated: Partial?, report: ValidationReport) -> ParsedTable {
        var report = report
        guard let acc = accumulated else {
            let columns = (0..<plan.width).map { k -> ParsedColumn in
                let storage: ParsedColumn.Storage
                switch plan.kinds[k] {
                case .string: storage = .strings(codes: [], values: [])
                case .integer: storage = .integers([])
                case .small: storage = .smallIntegers([])
                case .time: storage = .times([])
                case .date: storage = .dates([])
                case .real: storage = .reals([])
                }
                return ParsedColumn(name: plan.names[k], schema: plan.schemas[k], storage: storage, unparsed: [:])
            }
            return ParsedTable(name: plan.file, columns: columns, rowCount: 0, lines: [], firstLine: 0, report: report)
        }
        if let line = acc.nulLine {
            report.add(Finding(.error, "invalid_character", file: plan.file, line: line,
                               message: "the file contains a NUL byte; it is binary or corrupt there"))
        }
        report.merge(acc.report)
        var columns: [ParsedColumn] = []
        columns.reserveCapacity(plan.width)
        for k in 0..<plan.width {
            let storage: ParsedColumn.Storage
            switch plan.kinds[k] {
            case .string:
                let (values, bad) = acc.interners[k]?.strings() ?? ([], [])
                storage = .strings(codes: acc.codes[k], values: values)
                acc.codes[k] = []
                // Invalid UTF-8 is found once per distinct value, then located at each row using it.
                if !bad.isEmpty {
                    let badSet = Set(bad)
                    if case .strings(let codes, _) = storage {
                        for (r, c) in codes.enumerated() where badSet.contains(c) {
                            report.add(Finding(.error, "invalid_character", file: plan.file, line: Int(acc.lines[r]), field: plan.names[k],
                                               value: values[Int(c)],
                                               message: "'\(plan.names[k])' is not valid UTF-8; re-save the file as UTF-8"))
                        }
                    }
                }
            case .integer: storage = .integers(acc.int32s[k]); acc.int32s[k] = []
            case .small: storage = .smallIntegers(acc.int8s[k]); acc.int8s[k] = []
            case .time: storage = .times(acc.int32s[k]); acc.int32s[k] = []
            case .date: storage = .dates(acc.int32s[k]); acc.int32s[k] = []
            case .real: storage = .reals(acc.doubles[k]); acc.doubles[k] = []
            }
            columns.append(ParsedColumn(name: plan.names[k], schema: plan.schemas[k], storage: storage, unparsed: acc.unparsed[k]))
        }
        // Regular line numbers (row r on line first + r) need no array.
        var lines = acc.lines
        var firstLine: Int32 = 0
        if let first = lines.first {
            var regular = true
            for (r, l) in lines.enumerated() where l != first + Int32(r) { regular = false; break }
            if regular { firstLine = first; lines = [] }
        }
        acc.lines = []
        return ParsedTable(name: plan.file, columns: columns, rowCount: acc.rows, lines: lines, firstLine: firstLine, report: report)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingPadding() -> String {
        let u = Array(utf8)
        var a = 0, b = u.count
        while a < b, u[a] == 0x20 || u[a] == 0x09 { a += 1 }
        while b > a, u[b - 1] == 0x20 || u[b - 1] == 0x09 { b -= 1 }
        if a == 0 && b == u.count { return self }
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}
