import Foundation
import GTFS
import TransitSupport

/// The formats of trip logs.
public enum TripLogFormat: String, Sendable, CaseIterable {
    /// CSV with a header: `event_id, source, rider_id, mode, start_time, end_time` and either
    /// GTFS fields (`trip_id, board_stop_id, board_stop_sequence, alight_stop_id,
    /// alight_stop_sequence, service_date`), `distance_m`, or `o_lat, o_lon, d_lat, d_lon`.
    case csv
    /// JSON Lines: one object per line with the same field names as ``csv``.
    case jsonLines = "jsonl"
    /// GTFS-ride `rider_trip.txt`. Times are service-day times in the agency time zone. The
    /// event id is `tap:` + `tap_id` when the file has a non-empty `tap_id` column (as
    /// `transit ridership infer` writes), else it is derived from the record:
    /// `agency_id:trip_id:service_date:boarding stop sequence (else stop id):boarding_time:rider`
    /// (rider after pseudonymization); source `gtfs-ride`. A row whose `alighting_stop_id` and
    /// `alighting_time` are both empty is a boarding-only leg, priced by the policy's
    /// ``BoardingOnlyRule``. Other columns are ignored.
    case gtfsRide = "gtfs-ride"

    /// The format of `path`: `.jsonl`/`.ndjson` is JSON Lines; a CSV whose header has
    /// `boarding_stop_id` is GTFS-ride; other files are CSV.
    public static func detect(path: String, header: String?) -> TripLogFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonLines }
        if let header, header.contains("boarding_stop_id") { return .gtfsRide }
        return .csv
    }
}

/// The columns the readers know, resolved once from a CSV header.
enum LogColumn: String, CaseIterable {
    case event_id, source, rider_id, rider_ref, mode, start_time, end_time, trip_id, board_stop_id
    case board_stop_sequence, board_stop_seq, alight_stop_id, alight_stop_sequence, alight_stop_seq
    case service_date, distance_m, o_lat, o_lon, start_lat, start_lon, d_lat, d_lon, end_lat, end_lon
    case agency_id, boarding_stop_id, alighting_stop_id, boarding_time, alighting_time
    case boarding_stop_sequence, alighting_stop_sequence
    case tap_id, unresolved_reason
}

/// What the reader gives for one line: a record to price, or a rejection.
public enum LogItem: Sendable, Equatable {
    /// A well-formed record.
    case record(TripRecord)
    /// A malformed line, with its reason.
    case rejected(Rejection)
}

/// Reads a trip log one line at a time; memory stays flat however long the log.
///
/// Malformed lines come back as ``LogItem/rejected(_:)`` with their line number and reason;
/// reading goes on. Blank lines are skipped.
///
/// Limits (see <doc:Limits>): a line longer than ``maxLineBytes`` is rejected as
/// ``RejectionReason/lineTooLong`` without being held whole; a field longer than
/// ``maxFieldBytes`` rejects its record as ``RejectionReason/fieldTooLong``. Either way the
/// next line is read. Time is linear in the log's length whatever its shape.
public struct TripLogReader: ~Copyable {
    /// The longest field, in bytes of UTF-8: identifiers (`event_id`, `rider_id`, `source`,
    /// `trip_id`, the stop ids, …) and every other field. The ledger stores no longer one.
    public static let maxFieldBytes = 255
    /// The longest line, in bytes: 64 KiB, eight times a record whose 31 fields are all at
    /// their limit, with room for JSON escapes.
    public static let maxLineBytes = 65_536

    private var lines: LineReader
    /// The log's path, for the error when reading it fails part-way.
    private let path: String
    /// The format being read.
    public let format: TripLogFormat
    private let pseudonymizer: Pseudonymizer?
    /// The header's index of each ``LogColumn`` (by `allCases` order), `-1` when absent.
    private var columnIndex: [Int] = []
    private var columnCount = 0
    /// The header's column names (CSV), to name the field a too-long line is cut in.
    private var headerNames: [String] = []
    /// Field boundaries of the current line (start, end pairs), reused line to line.
    private var bounds: [Int] = []

    /// Opens `path`, detecting the format unless `format` is given.
    /// - Parameter pseudonymizer: replaces rider ids before anything else sees them.
    /// - Throws: ``CarbonError`` `log_unreadable` or `log_header` (a CSV without the required
    ///   columns).
    public init(path: String, format: TripLogFormat? = nil, pseudonymizer: Pseudonymizer? = nil) throws(CarbonError) {
        var reader = try LineReader.openTripLog(path)
        let lower = path.lowercased()
        let jsonByName = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
        var detected = TripLogFormat.jsonLines
        var cols: [String: Int] = [:]
        var count = 0
        if !(format == .jsonLines || (format == nil && jsonByName)) {
            guard let headerBytes = reader.next() else {
                if let failure = reader.failure { throw Self.unreadable(path, failure, afterLine: 0) }
                throw CarbonError(.logHeader, file: path, line: 1, "the trip log is empty; a CSV log needs a header line")
            }
            if let length = reader.lastLineLength {
                throw CarbonError(.logHeader, file: path, line: 1, "the header line is \(length) bytes, more than the \(Self.maxLineBytes)-byte limit of a line; is this a trip log?")
            }
            let names = (splitCSV(headerBytes) ?? []).map { String($0.trimmingSpaces) }
            detected = format ?? TripLogFormat.detect(path: path, header: names.joined(separator: ","))
            for (i, n) in names.enumerated() where cols[n] == nil { cols[n] = i }
            count = names.count
            headerNames = names
            let required = detected == .gtfsRide
                ? ["rider_id", "trip_id", "boarding_stop_id", "alighting_stop_id", "service_date"]
                : ["event_id"]
            for r in required where cols[r] == nil {
                throw CarbonError(.logHeader, file: path, line: 1, "the header has no '\(r)' column (found: \(names.joined(separator: ","))); see `transit carbon credit --help` for the columns")
            }
            if detected == .csv && cols["rider_id"] == nil && cols["rider_ref"] == nil {
                throw CarbonError(.logHeader, file: path, line: 1, "the header has no 'rider_id' (or 'rider_ref') column")
            }
        }
        self.format = detected
        self.pseudonymizer = pseudonymizer
        columnIndex = LogColumn.allCases.map { cols[$0.rawValue] ?? -1 }
        columnCount = count
        lines = reader
        self.path = path
    }

    /// Bytes read so far (for progress).
    public var bytesRead: Int { lines.bytesRead }

    /// Why reading stopped before the end of the log, once ``next()`` has returned `nil`:
    /// ``CarbonError`` `log_unreadable` when the file could not be read to its end (the records
    /// before were read; nothing after), `nil` when the log ended.
    public var readFailure: CarbonError? {
        lines.failure.map { Self.unreadable(path, $0, afterLine: lines.lineNumber) }
    }

    static func unreadable(_ path: String, _ error: FileSystemError, afterLine line: Int) -> CarbonError {
        CarbonError(.logUnreadable, file: path, line: line + 1,
                    "reading the trip log failed after line \(line) (\(error.systemMessage)); the lines before were read, none after. "
                        + "Fix the file or the disk and run again: records already credited come back as duplicates",
                    underlying: error)
    }

    /// The next record or rejection, or `nil` at the end of the log.
    public mutating func next() -> LogItem? {
        while let bytes = lines.next() {
            let line = lines.lineNumber
            if let length = lines.lastLineLength { return tooLong(bytes, length: length, line: line) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            switch format {
            case .jsonLines: return jsonItem(bytes, line: line)
            case .csv, .gtfsRide:
                let index = columnIndex
                let get: (LogColumn) -> FieldValue?
                if !bytes.contains(0x22) {
                    // No quotes: fields are the byte ranges between commas, decoded on demand.
                    bounds.removeAll(keepingCapacity: true)
                    var s = bytes.startIndex
                    var i = s
                    while i < bytes.endIndex {
                        if bytes[i] == 0x2C { bounds.append(s); bounds.append(i); s = i + 1 }
                        i += 1
                    }
                    bounds.append(s); bounds.append(bytes.endIndex)
                    guard bounds.count / 2 == columnCount else {
                        return .rejected(Rejection(line: line, eventID: nil, reason: .badCSV, detail: "expected \(columnCount) fields as in the header, found \(bounds.count / 2)"))
                    }
                    let b = bounds
                    get = { column in
                        let i = index[column.ordinal]
                        guard i >= 0 else { return nil }
                        let field = bytes[b[2 * i]..<b[2 * i + 1]]
                        if field.isEmpty { return nil }
                        if field.allSatisfy({ $0 > 0x20 && $0 < 0x80 }) { return .text(String(decoding: field, as: UTF8.self)) }
                        let v = String(decoding: field, as: UTF8.self).trimmingSpaces
                        return v.isEmpty ? nil : .text(String(v))
                    }
                } else {
                    guard let split = splitCSV(bytes) else {
                        return .rejected(Rejection(line: line, eventID: nil, reason: .badCSV, detail: "unterminated quoted field"))
                    }
                    guard split.count == columnCount else {
                        return .rejected(Rejection(line: line, eventID: nil, reason: .badCSV, detail: "expected \(columnCount) fields as in the header, found \(split.count)"))
                    }
                    let f = split
                    get = { column in
                        let i = index[column.ordinal]
                        guard i >= 0 else { return nil }
                        let v = f[i].trimmingSpaces
                        return v.isEmpty ? nil : .text(String(v))
                    }
                }
                return format == .gtfsRide ? Self.rideItem(line: line, get, pseudonymizer) : Self.item(line: line, defaultSource: "csv", get, pseudonymizer)
            }
        }
        return nil
    }

    /// The rejection of a line over ``maxLineBytes``, given its first bytes: names the CSV
    /// field the limit falls in, when there is a header.
    private func tooLong(_ prefix: ArraySlice<UInt8>, length: Int, line: Int) -> LogItem {
        var field: String?
        if format != .jsonLines {
            var index = 0, quoted = false
            for b in prefix {
                if b == 0x22 { quoted.toggle() } else if b == 0x2C, !quoted { index += 1 }
            }
            if index < headerNames.count { field = headerNames[index] }
        }
        return .rejected(Self.lineTooLong(length: length, line: line, field: field))
    }

    /// The rejection of a line of `length` bytes, over ``maxLineBytes``.
    static func lineTooLong(length: Int, line: Int, field: String?) -> Rejection {
        Rejection(line: line, eventID: nil, reason: .lineTooLong,
                  detail: "the line is \(length) bytes, more than the \(maxLineBytes)-byte limit of a line"
                      + (field.map { "; field '\($0)' runs past the limit (fields are at most \(maxFieldBytes) bytes)" } ?? "")
                      + "; the line was skipped",
                  field: field)
    }

    /// The rejection of field `name` when `value` is over ``maxFieldBytes``, else `nil`.
    static func fieldTooLong(_ name: String, _ value: String, line: Int, eventID: String?) -> Rejection? {
        let bytes = value.utf8.count
        guard bytes > maxFieldBytes else { return nil }
        return Rejection(line: line, eventID: eventID, reason: .fieldTooLong,
                         detail: "field '\(name)' is \(bytes) bytes long, more than the \(maxFieldBytes)-byte limit (UTF-8)",
                         field: name)
    }

    /// `value` as shown in a rejection's detail: cut to 64 characters.
    static func shown(_ value: String) -> String {
        value.count <= 64 ? value : String(value.prefix(64)) + "…"
    }

    private func jsonItem(_ bytes: ArraySlice<UInt8>, line: Int) -> LogItem {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            return .rejected(Rejection(line: line, eventID: nil, reason: .badJSON, detail: "not valid JSON (truncated line or syntax error)"))
        }
        guard let dict = object as? [String: Any] else {
            return .rejected(Rejection(line: line, eventID: nil, reason: .badJSON, detail: "a line must be one JSON object"))
        }
        return Self.item(jsonObject: dict, line: line, defaultSource: "jsonl", pseudonymizer: pseudonymizer)
    }

    /// The record of one JSON object with the trip-log fields (as a JSON Lines log's line, or
    /// one trip of the carbon service's `POST /v1/trips`), or its rejection.
    /// - Parameters:
    ///   - line: the record's 1-based position, reported in rejections.
    ///   - defaultSource: the source when the object has none.
    public static func item(jsonObject dict: [String: Any], line: Int, defaultSource: String, pseudonymizer: Pseudonymizer?) -> LogItem {
        let get: (LogColumn) -> FieldValue? = { column in
            guard let v = dict[column.rawValue], !(v is NSNull) else { return nil }
            if let s = v as? String { return s.trimmingSpaces.isEmpty ? nil : .text(String(s.trimmingSpaces)) }
            if let n = v as? NSNumber, type(of: v) != Bool.self, String(cString: n.objCType) != "c" { return .number(n.stringValue) }
            return .other(shown(String(describing: v)))
        }
        return item(line: line, defaultSource: defaultSource, get, pseudonymizer)
    }

    /// A field as read: text (CSV, JSON string), a JSON number, or another JSON value.
    enum FieldValue {
        case text(String)
        case number(String)
        case other(String)

        /// The text of a string or number (checked against ``TripLogReader/maxFieldBytes``);
        /// `nil` for another JSON value, which is rejected as being of the wrong type.
        var text: String? {
            switch self {
            case .text(let s), .number(let s): s
            case .other: nil
            }
        }
    }

    static func item(line: Int, defaultSource: String, _ get: (LogColumn) -> FieldValue?, _ pseudonymizer: Pseudonymizer?) -> LogItem {
        var eventID: String?
        func reject(_ reason: RejectionReason, _ field: String, _ detail: String) -> LogItem {
            .rejected(Rejection(line: line, eventID: eventID, reason: reason, detail: detail, field: field))
        }
        func pick(_ names: [LogColumn]) -> (String, FieldValue?) {
            for n in names { if let v = get(n) { return (n.rawValue, v) } }
            return (names.first?.rawValue ?? "", nil)
        }
        func text(_ names: LogColumn...) -> Result<String?, Rejection> {
            let (name, value) = pick(names)
            if let s = value?.text, let long = fieldTooLong(name, s, line: line, eventID: eventID) { return .failure(long) }
            switch value {
            case nil: return .success(nil)
            case .text(let s): return .success(s)
            case .number(let s): return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': \(s) is a number; expected text", field: name))
            case .other(let s): return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': \(s) is not text", field: name))
            }
        }
        func number(_ names: LogColumn...) -> Result<Double?, Rejection> {
            let (name, value) = pick(names)
            if let s = value?.text, let long = fieldTooLong(name, s, line: line, eventID: eventID) { return .failure(long) }
            switch value {
            case nil: return .success(nil)
            case .text(let s), .number(let s):
                guard let d = Double(s), d.isFinite else {
                    return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': '\(s)' is not a number", field: name))
                }
                return .success(d)
            case .other(let s): return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': \(s) is not a number", field: name))
            }
        }
        func integer(_ names: LogColumn...) -> Result<Int32?, Rejection> {
            let (name, value) = pick(names)
            if let s = value?.text, let long = fieldTooLong(name, s, line: line, eventID: eventID) { return .failure(long) }
            switch value {
            case nil: return .success(nil)
            case .text(let s), .number(let s):
                // A JSON number with a zero fraction (3.0) is an integer too, as in JSON Schema.
                if let v = Int32(s) { return .success(v) }
                if case .number = value, let d = Double(s), d.rounded() == d, let v = Int32(exactly: d) { return .success(v) }
                return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': '\(s)' is not an integer", field: name))
            case .other(let s): return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': \(s) is not an integer", field: name))
            }
        }
        // The first value of the right type that cannot be read (a time or date that is text
        // but not one): a field of the wrong type anywhere in the record is reported before it.
        var unreadable: Rejection?
        func time(_ names: LogColumn...) -> Result<Timestamp?, Rejection> {
            let (name, value) = pick(names)
            if let s = value?.text, let long = fieldTooLong(name, s, line: line, eventID: eventID) { return .failure(long) }
            switch value {
            case nil: return .success(nil)
            case .text(let s):
                guard let t = Timestamp.parseISO8601(s) else {
                    // Text, but not a time: reported once every field's type is checked.
                    if unreadable == nil {
                        unreadable = Rejection(line: line, eventID: eventID, reason: .badTime, detail: "field '\(name)': '\(s)' is not ISO 8601 with an offset (2024-05-06T07:00:00+08:00)", field: name)
                    }
                    return .success(nil)
                }
                return .success(t)
            case .number(let s), .other(let s):
                return .failure(Rejection(line: line, eventID: eventID, reason: .wrongType, detail: "field '\(name)': \(s) is not text; expected an ISO 8601 time", field: name))
            }
        }
        do throws(Rejection) {
            guard let id = try text(.event_id).get() else { return reject(.missingField, "event_id", "field 'event_id' is missing or empty") }
            eventID = id
            guard let riderRaw = try text(.rider_id, .rider_ref).get() else {
                return reject(.missingField, "rider_id", "field 'rider_id' is missing or empty")
            }
            let rider = pseudonymizer?.pseudonym(riderRaw) ?? riderRaw
            var r = TripRecord(line: line, eventID: id, source: try text(.source).get() ?? defaultSource, riderID: rider)
            r.modeText = try text(.mode).get()
            r.start = try time(.start_time).get()
            r.end = try time(.end_time).get()
            r.tripID = try text(.trip_id).get()
            r.boardStopID = try text(.board_stop_id).get()
            r.boardSequence = try integer(.board_stop_sequence, .board_stop_seq).get()
            r.alightStopID = try text(.alight_stop_id).get()
            r.alightSequence = try integer(.alight_stop_sequence, .alight_stop_seq).get()
            if let d = try text(.service_date).get() {
                if let date = GTFSDate(d) {
                    r.serviceDate = date
                } else if unreadable == nil {
                    unreadable = Rejection(line: line, eventID: eventID, reason: .badTime, detail: "field 'service_date': '\(d)' is not a date YYYYMMDD", field: "service_date")
                }
            }
            if let m = try number(.distance_m).get() {
                guard m >= 0 else { return reject(.wrongType, "distance_m", "field 'distance_m': \(m) is negative") }
                r.distanceMetres = m
            }
            let oLat = try number(.o_lat, .start_lat).get(), oLon = try number(.o_lon, .start_lon).get()
            let dLat = try number(.d_lat, .end_lat).get(), dLon = try number(.d_lon, .end_lon).get()
            if let oLat, let oLon { r.origin = Coordinate(latitude: oLat, longitude: oLon) }
            if let dLat, let dLon { r.destination = Coordinate(latitude: dLat, longitude: dLon) }
            if let unreadable { return .rejected(unreadable) }
            if r.tripID != nil {
                guard r.boardStopID != nil else { return reject(.missingField, "board_stop_id", "field 'board_stop_id' is missing: a transit leg needs it") }
                guard r.alightStopID != nil else { return reject(.missingField, "alight_stop_id", "field 'alight_stop_id' is missing: a transit leg needs it") }
            }
            return .record(r)
        } catch {
            return .rejected(error)
        }
    }
}

/// Splits one CSV line into fields (RFC 4180 quoting within the line; `""` is a quote).
/// `nil` when a quoted field is not closed. Fields do not span lines.
func splitCSV(_ line: ArraySlice<UInt8>) -> [Substring]? {
    var fields: [Substring] = []
    var field: [UInt8] = []
    var i = line.startIndex
    var quoted = false, wasQuoted = false
    while i < line.endIndex {
        let c = line[i]
        if quoted {
            if c == 0x22 {
                if i + 1 < line.endIndex, line[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == 0x2C {
            fields.append(Substring(String(decoding: field, as: UTF8.self)))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        } else if c == 0x22 && field.isEmpty && !wasQuoted {
            quoted = true
            wasQuoted = true
        } else {
            field.append(c)
        }
        i += 1
    }
    guard !quoted else { return nil }
    fields.append(Substring(String(decoding: field, as: UTF8.self)))
    return fields
}

extension LogColumn {
    /// The position in `allCases`.
    var ordinal: Int {
        switch self {
        case .event_id: 0
        case .source: 1
        case .rider_id: 2
        case .rider_ref: 3
        case .mode: 4
        case .start_time: 5
        case .end_time: 6
        case .trip_id: 7
        case .board_stop_id: 8
        case .board_stop_sequence: 9
        case .board_stop_seq: 10
        case .alight_stop_id: 11
        case .alight_stop_sequence: 12
        case .alight_stop_seq: 13
        case .service_date: 14
        case .distance_m: 15
        case .o_lat: 16
        case .o_lon: 17
        case .start_lat: 18
        case .start_lon: 19
        case .d_lat: 20
        case .d_lon: 21
        case .end_lat: 22
        case .end_lon: 23
        case .agency_id: 24
        case .boarding_stop_id: 25
        case .alighting_stop_id: 26
        case .boarding_time: 27
        case .alighting_time: 28
        case .boarding_stop_sequence: 29
        case .alighting_stop_sequence: 30
        case .tap_id: 31
        case .unresolved_reason: 32
        }
    }
}
