// Rejected trip records, counted by reason from the CSV files `transit carbon credit --rejections` writes.

import TransitSupport

/// A carbon report input that could not be read: which file, which line, why.
public struct CarbonReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public let file: String
    /// The 1-based line, when the problem is on one.
    public let line: Int?
    /// What is wrong.
    public let message: String

    /// An error.
    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String {
        file + (line.map { ":\($0)" } ?? "") + ": " + message
    }
}

/// Rejected records counted by reason, from one or more rejection files
/// (`line,event_id,reason,detail`, the CSV that `transit carbon credit --rejections FILE`
/// writes).
///
/// The ledger never stores a rejected record (data minimisation), so these files are the only
/// record of rejections. They carry no service day: a report's day range does not apply to them.
public struct RejectionTally: Sendable, Equatable {
    /// One reason's count, with the first record rejected for it as an example.
    public struct Reason: Sendable, Equatable {
        /// The reason code (`below_min_distance`, …).
        public let code: String
        /// How many records.
        public internal(set) var count: Int
        /// The first such record's detail.
        public let example: String
        /// Where it is: `name:line` of the rejection file (its last path component) and the
        /// log line it names.
        public let exampleAt: String
    }

    /// The files read and how many rejections each held, in the order given.
    public private(set) var files: [(path: String, count: Int)] = []
    private var index: [String: Int] = [:]
    private var reasonsInOrder: [Reason] = []

    /// An empty tally.
    public init() {}

    /// Reads and counts every file in `paths`.
    /// - Throws: ``CarbonReportError`` when a file cannot be read or is not a rejection file.
    public static func read(paths: [String]) throws(CarbonReportError) -> RejectionTally {
        var t = RejectionTally()
        for path in paths {
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.read(path)
            } catch {
                throw CarbonReportError(file: path, "cannot read the rejection file: \(error)")
            }
            try t.add(csv: bytes, file: path)
        }
        return t
    }

    /// The reasons, most records first (ties by code).
    public var reasons: [Reason] {
        reasonsInOrder.sorted { $0.count != $1.count ? $0.count > $1.count : $0.code < $1.code }
    }

    /// Every rejected record counted.
    public var total: Int { reasonsInOrder.reduce(0) { $0 + $1.count } }

    public static func == (a: RejectionTally, b: RejectionTally) -> Bool {
        a.reasonsInOrder == b.reasonsInOrder && a.files.map(\.path) == b.files.map(\.path) && a.files.map(\.count) == b.files.map(\.count)
    }

    /// Counts the records of one rejection file's bytes (`file` names it in messages).
    /// - Throws: ``CarbonReportError`` when the header is not `line,event_id,reason,detail`
    ///   or a record has another number of fields.
    public mutating func add(csv bytes: [UInt8], file: String) throws(CarbonReportError) {
        var rows = CSVRows(bytes)
        guard let header = rows.next() else {
            throw CarbonReportError(file: file, line: 1, "empty: a rejection file starts with the header line,event_id,reason,detail")
        }
        let names = header.fields.map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
        guard names == ["line", "event_id", "reason", "detail"] else {
            throw CarbonReportError(file: file, line: 1, "not a rejection file: the header is '\(names.joined(separator: ","))', not line,event_id,reason,detail (from transit carbon credit --rejections)")
        }
        var count = 0
        while let row = rows.next() {
            if row.fields.count == 1 && row.fields[0].isEmpty { continue }
            guard row.fields.count == 4, !row.fields[2].isEmpty else {
                throw CarbonReportError(file: file, line: row.line, "expected 4 fields (line,event_id,reason,detail), found \(row.fields.count)")
            }
            count += 1
            let code = row.fields[2]
            if let i = index[code] {
                reasonsInOrder[i].count += 1
            } else {
                index[code] = reasonsInOrder.count
                reasonsInOrder.append(Reason(code: code, count: 1, example: row.fields[3],
                                             exampleAt: "\(file.split(separator: "/").last.map(String.init) ?? file):\(row.line) (log line \(row.fields[0]))"))
            }
        }
        files.append((file, count))
    }

    /// What a reason code means, in a few words (`nil` for a code this version does not know).
    public static func meaning(of code: String) -> String? {
        switch code {
        case "bad_json": "the line is not valid JSON"
        case "bad_csv": "the line has the wrong number of CSV fields"
        case "missing_field": "a required field is missing or empty"
        case "wrong_type": "a field has the wrong type"
        case "bad_time": "a time is not ISO 8601 with an offset"
        case "unknown_mode": "the mode is not one the methodology knows"
        case "not_green_mode": "the mode earns nothing (a car)"
        case "mode_mismatch": "the mode differs from the GTFS trip's"
        case "no_feed": "a transit leg, but no feed was given"
        case "unknown_trip": "the trip id is not in the feed"
        case "unknown_stop": "a stop is not in the feed or not on the trip"
        case "trip_not_running": "the trip does not run on the service date"
        case "alight_before_board": "alighting before boarding on the trip"
        case "end_before_start": "the end time is not after the start"
        case "off_schedule": "further from the schedule than the policy allows"
        case "implausible_speed": "the mean speed is implausible for the mode"
        case "below_min_distance": "shorter than the mode's minimum distance"
        case "no_distance": "no distance could be established"
        case "no_factor": "the factor set has no factor for the mode"
        case "conflict": "already credited with different content"
        case "no_consent": "the rider has not consented for this source and mode"
        case "field_too_long": "a field is longer than 255 bytes"
        case "line_too_long": "the line is longer than 64 KiB"
        case "no_alighting": "no alighting stop, and the policy credits no boarding-only leg of the mode"
        default: nil
        }
    }
}

/// RFC 4180 records of a CSV text: quoted fields may hold commas, doubled quotes and line
/// breaks; CRLF and LF both end a record.
struct CSVRows {
    private let bytes: [UInt8]
    private var at = 0
    private var line = 1

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next record and the line it starts on, or `nil` at the end.
    mutating func next() -> (line: Int, fields: [String])? {
        guard at < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while at < bytes.count {
            let b = bytes[at]
            at += 1
            if quoted {
                if b == 0x22 {
                    if at < bytes.count, bytes[at] == 0x22 { field.append(0x22); at += 1 } else { quoted = false }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case 0x22 where field.isEmpty: quoted = true
            case 0x2C:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case 0x0D where at < bytes.count && bytes[at] == 0x0A: break
            case 0x0A:
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return (start, fields)
            default: field.append(b)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return (start, fields)
    }
}
