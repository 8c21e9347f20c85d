public import GTFS
public import TransitNetwork

/// Demand given as a table instead of stop-level counts: one CSV row per route, direction and
/// period.
///
/// ```text
/// route_id,direction_id,period,boardings,max_load,passenger_km
/// 1,0,07:00-09:00,1480,612,5210.5
/// 1,1,07:00-09:00,1320,584,
/// ```
///
/// - The header is required; columns may come in any order. `route_id`, `direction_id`,
///   `period`, `boardings` and `max_load` are required, `passenger_km` is optional (an empty
///   cell means unknown); any other column is ignored with a warning.
/// - `route_id` must be a route of the feed; `direction_id` 0 or 1; `period` exactly the name
///   of one of the plan's periods (`07:00-09:00`); numbers finite and ≥ 0, passengers (and
///   passenger-km) over the whole period on an average day, as ``RouteDemand`` defines them.
/// - One row per route, direction and period: a second is an error.
/// - RFC 4180 quoting (`"1, express"`), CRLF or LF line ends, a UTF-8 byte-order mark and
///   blank lines are all accepted.
///
/// Every defect is reported with its line and field and the row is skipped; the table is
/// usable only when ``hasErrors`` is `false` (the CLI refuses it otherwise).
public struct LoadTable: Sendable {
    /// The rows read, as demand, sorted by route (`routes.txt` order), direction, period index.
    /// `routeKm` comes from the ``RouteLengths`` given, `observedTrips` is 0.
    public let demand: [RouteDemand]
    /// Every defect found, in line order.
    public let issues: [RidershipIssue]

    /// Whether any issue is an error.
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// The columns a load table must have.
    public static let requiredColumns = ["route_id", "direction_id", "period", "boardings", "max_load"]

    /// The largest `boardings`, `max_load` or `passenger_km` accepted: 10^12, far above any
    /// city's (a year of the world's busiest metro is a few billion boardings), and small enough
    /// that every figure computed from it fits an `Int`. A larger value skips its row with
    /// `invalid_number`.
    public static let maxValue: Double = 1e12
    /// The columns a load table may have.
    public static let optionalColumns = ["passenger_km"]

    /// Reads the load table at `path`.
    /// - Parameters:
    ///   - periods: the plan's periods; rows must name one of them.
    ///   - feed: the feed whose routes rows must name.
    ///   - lengths: route lengths, to fill ``RouteDemand/routeKm`` (Ceder's method 3 needs it
    ///     with `passenger_km`).
    /// - Throws: ``RidershipError/loadTableUnreadable(path:reason:)`` when the file cannot be
    ///   read. Defects inside it are ``issues``.
    /// - Complexity: O(file size).
    public static func read(_ path: String, periods: [Period], feed: Feed,
                            lengths: RouteLengths? = nil) throws(RidershipError) -> LoadTable {
        let bytes: [UInt8]
        switch readWholeFile(path) {
        case .success(let b): bytes = b
        case .failure(let reason): throw .loadTableUnreadable(path: path, reason: reason.text)
        }
        return LoadTable(bytes: bytes, file: path, periods: periods, feed: feed, lengths: lengths)
    }

    /// Parses a load table held in memory; `file` names it in issues.
    /// - Complexity: O(bytes).
    public init(bytes: [UInt8], file: String, periods: [Period], feed: Feed, lengths: RouteLengths? = nil) {
        var parser = LoadTableParser(file: file)
        self.demand = parser.parse(bytes, periods: periods, feed: feed, lengths: lengths)
        self.issues = parser.issues.sorted
    }
}

/// One pass over a load table's bytes: the header's columns, then each row checked and turned
/// into a ``RouteDemand``, every defect collected as an issue with its line.
struct LoadTableParser {
    /// The file named in issues.
    let file: String
    /// The defects found so far.
    var issues = IssueCollector(maxPerCode: Int.max)

    /// A row's identity: one row per route, direction and period.
    struct Key: Hashable { var route: Int32; var direction: Int; var period: Int }

    /// Where each column the parser reads is.
    struct Columns {
        var route: Int, direction: Int, period: Int, boardings: Int, maxLoad: Int
        var passengerKm: Int?
    }

    /// What rows are checked against: the feed's declared routes and the plan's periods.
    struct Context {
        var routeCode: [String: Int32]
        var periodNames: [String]
        var lengths: RouteLengths?
    }

    mutating func report(_ severity: Severity, _ code: String, line: Int?, field: String? = nil, value: String? = nil,
                         _ message: String) {
        issues.add(RidershipIssue(severity, code, file: file, line: line, field: field, value: value, message: message))
    }

    mutating func reportDefects(_ scanner: inout SimpleCSV) {
        for d in scanner.takeDefects() { report(.error, RidershipIssue.Code.csvSyntax, line: d.line, d.message) }
    }

    /// The demand rows of the table, sorted by route code, direction and period.
    mutating func parse(_ bytes: [UInt8], periods: [Period], feed: Feed, lengths: RouteLengths?) -> [RouteDemand] {
        var scanner = SimpleCSV(bytes)
        guard let header = scanner.nextRecord() else {
            report(.error, RidershipIssue.Code.emptyFile, line: nil, "the load table is empty; it needs a header line route_id,direction_id,period,boardings,max_load")
            return []
        }
        reportDefects(&scanner)
        guard let columns = columns(of: header) else { return [] }

        // Routes of the feed (declared ones only).
        var routeCode: [String: Int32] = [:]
        let routeIDs = feed.ids(.route)
        for code in 0..<feed.definedCount(.route) where routeCode[routeIDs[code]] == nil { routeCode[routeIDs[code]] = Int32(code) }
        let context = Context(routeCode: routeCode, periodNames: periods.map(\.name), lengths: lengths)

        var firstLine: [Key: Int] = [:]
        var rows: [(key: Key, demand: RouteDemand)] = []
        while let record = scanner.nextRecord() {
            reportDefects(&scanner)
            let line = record.line
            if record.fields.count == 1 && record.fields[0].trimmingSpaces().isEmpty { continue } // blank line
            if record.fields.count != header.fields.count {
                report(.error, RidershipIssue.Code.wrongFieldCount, line: line,
                       "the row has \(record.fields.count) fields but the header has \(header.fields.count); the row is skipped")
                continue
            }
            guard let (key, demand) = row(record, columns: columns, context: context) else { continue }
            if let first = firstLine[key] {
                report(.error, RidershipIssue.Code.duplicateRow, line: line, field: "route_id,direction_id,period",
                       value: "\(demand.routeID),\(key.direction),\(demand.period)",
                       "route '\(demand.routeID)' direction \(key.direction) in \(demand.period) already has a row on line \(first); this one is skipped")
                continue
            }
            firstLine[key] = line
            rows.append((key, demand))
        }
        reportDefects(&scanner)
        rows.sort { a, b in
            if a.key.route != b.key.route { return a.key.route < b.key.route }
            if a.key.direction != b.key.direction { return a.key.direction < b.key.direction }
            return a.key.period < b.key.period
        }
        return rows.map(\.demand)
    }

    /// The header's columns; `nil` (with an issue per missing column) when a required one is absent.
    mutating func columns(of header: SimpleCSV.Record) -> Columns? {
        var columnOf: [String: Int] = [:]
        for (k, raw) in header.fields.enumerated() {
            let name = raw.trimmingSpaces()
            if columnOf[name] != nil {
                report(.warning, RidershipIssue.Code.duplicateColumn, line: header.line, field: name,
                       "the header names '\(name)' twice; the first is read, column \(k + 1) is ignored")
            } else if LoadTable.requiredColumns.contains(name) || LoadTable.optionalColumns.contains(name) {
                columnOf[name] = k
            } else {
                columnOf[name] = k
                report(.warning, RidershipIssue.Code.unknownColumn, line: header.line, field: name,
                       "'\(name)' is not a load table column (\((LoadTable.requiredColumns + LoadTable.optionalColumns).joined(separator: ", "))); it is ignored")
            }
        }
        let missing = LoadTable.requiredColumns.filter { columnOf[$0] == nil }
        for name in missing {
            report(.error, RidershipIssue.Code.missingColumn, line: header.line, field: name,
                   "the header has no column '\(name)'; the load table cannot be read without it")
        }
        guard missing.isEmpty, let cRoute = columnOf["route_id"], let cDirection = columnOf["direction_id"],
              let cPeriod = columnOf["period"], let cBoardings = columnOf["boardings"], let cMaxLoad = columnOf["max_load"] else {
            return nil
        }
        return Columns(route: cRoute, direction: cDirection, period: cPeriod, boardings: cBoardings, maxLoad: cMaxLoad,
                       passengerKm: columnOf["passenger_km"])
    }

    /// One data row checked field by field (every defect reported); `nil` when it is skipped.
    mutating func row(_ record: SimpleCSV.Record, columns: Columns, context: Context) -> (Key, RouteDemand)? {
        let line = record.line
        func value(_ k: Int) -> String { record.fields[k].trimmingSpaces() }
        var ok = true
        // route_id
        let routeText = value(columns.route)
        var route: Int32 = -1
        if routeText.isEmpty {
            report(.error, RidershipIssue.Code.missingValue, line: line, field: "route_id", value: "", "route_id is empty; the row is skipped")
            ok = false
        } else if let code = context.routeCode[routeText] {
            route = code
        } else {
            report(.error, RidershipIssue.Code.unknownRoute, line: line, field: "route_id", value: routeText,
                   "route_id '\(routeText)' is not a route of the feed (routes.txt); the row is skipped")
            ok = false
        }
        // direction_id
        let directionText = value(columns.direction)
        var direction = 0
        if directionText == "0" || directionText == "1" {
            direction = directionText == "1" ? 1 : 0
        } else {
            report(.error, directionText.isEmpty ? RidershipIssue.Code.missingValue : RidershipIssue.Code.invalidNumber,
                   line: line, field: "direction_id", value: directionText, "direction_id must be 0 or 1; the row is skipped")
            ok = false
        }
        // period
        let periodText = value(columns.period)
        var period = -1
        if let p = context.periodNames.firstIndex(of: periodText) {
            period = p
        } else {
            report(.error, periodText.isEmpty ? RidershipIssue.Code.missingValue : RidershipIssue.Code.unknownPeriod,
                   line: line, field: "period", value: periodText,
                   "period '\(periodText)' is not one of the plan's periods (\(context.periodNames.joined(separator: ", "))); the row is skipped")
            ok = false
        }
        // numbers
        func number(_ k: Int, _ name: String, required: Bool) -> Double?? {
            let text = value(k)
            if text.isEmpty {
                if required {
                    report(.error, RidershipIssue.Code.missingValue, line: line, field: name, value: "", "\(name) is empty; the row is skipped")
                    return nil
                }
                return .some(nil)
            }
            guard let v = Double(text), v.isFinite, v >= 0, v <= LoadTable.maxValue else {
                report(.error, RidershipIssue.Code.invalidNumber, line: line, field: name, value: text,
                       "'\(text)' is not a number from 0 to \(Int(LoadTable.maxValue)); the row is skipped")
                return nil
            }
            return .some(v)
        }
        let boardings = number(columns.boardings, "boardings", required: true)
        let maxLoad = number(columns.maxLoad, "max_load", required: true)
        let passengerKm: Double?? = columns.passengerKm.map { number($0, "passenger_km", required: false) } ?? .some(nil)
        guard ok, let b = boardings ?? nil, let m = maxLoad ?? nil, let pk = passengerKm else { return nil }
        let key = Key(route: route, direction: direction, period: period)
        let demand = RouteDemand(routeID: routeText, direction: direction, periodIndex: period, period: periodText,
                                 boardings: b, maxLoad: m, maxLoadStopID: nil, passengerKm: pk,
                                 routeKm: context.lengths?.kilometres(route: route, direction: direction), observedTrips: 0)
        return (key, demand)
    }
}

/// A small RFC 4180 reader for hand-made CSV files: quoted fields with `""` escapes, CRLF, LF
/// or CR line ends, a UTF-8 byte-order mark; each record remembers the line it starts on.
struct SimpleCSV {
    struct Record { var fields: [String]; var line: Int }
    struct Defect { var line: Int; var message: String }

    private let bytes: [UInt8]
    private var i: Int
    private var line = 1
    private var defects: [Defect] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.i = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// The defects found since the last call.
    mutating func takeDefects() -> [Defect] {
        defer { defects = [] }
        return defects
    }

    /// The next record, or `nil` at the end.
    mutating func nextRecord() -> Record? {
        guard i < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            if i < bytes.count && bytes[i] == 0x22 {
                // Quoted field.
                let quoteLine = line
                i += 1
                var closed = false
                while i < bytes.count {
                    let c = bytes[i]
                    if c == 0x22 {
                        if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if c == 0x0A || (c == 0x0D && !(i + 1 < bytes.count && bytes[i + 1] == 0x0A)) { line += 1 }
                    field.append(c)
                    i += 1
                }
                if !closed {
                    defects.append(Defect(line: quoteLine, message: "a quoted field is never closed; it is read to the end of the file"))
                }
                var trailing = false
                while i < bytes.count, bytes[i] != 0x2C, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    if bytes[i] != 0x20 && bytes[i] != 0x09 { trailing = true; field.append(bytes[i]) }
                    i += 1
                }
                if trailing { defects.append(Defect(line: line, message: "text follows a closing quote; the field is read as written")) }
            } else {
                while i < bytes.count, bytes[i] != 0x2C, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    field.append(bytes[i])
                    i += 1
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            if i >= bytes.count { break }
            let c = bytes[i]
            i += 1
            if c == 0x2C { continue }
            if c == 0x0D && i < bytes.count && bytes[i] == 0x0A { i += 1 }
            line += 1
            break
        }
        return Record(fields: fields, line: start)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
