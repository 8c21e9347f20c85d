import GTFS
import TransitSupport

/// One fare-system tap (a smart-card tap or a ride-QR-code scan) as read from a taps file.
///
/// A tap says who boarded (`card_id`), when (`tap_time`, ISO 8601 with an offset) and on which
/// route; the trip is optional, and the place is a `stop_id` or, when the vehicle's GPS
/// position is all there is, `lat` and `lon`.
public struct Tap: Sendable, Hashable {
    /// The tap's unique id, as written.
    public var tapID: String
    /// The card or account id, as written (pseudonymise it with ``TapInferenceOptions/cardID``).
    public var cardID: String
    /// The instant of the tap, seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// The route boarded.
    public var routeID: String
    /// The trip boarded, when the fare system knows it.
    public var tripID: String?
    /// The stop boarded at, when known.
    public var stopID: String?
    /// The vehicle's latitude at the tap, in degrees, when no stop is known.
    public var latitude: Double?
    /// The vehicle's longitude at the tap, in degrees, when no stop is known.
    public var longitude: Double?
    /// The 1-based line of the taps file.
    public var line: Int

    /// Creates a tap.
    public init(tapID: String, cardID: String, epochSeconds: Int64, routeID: String, tripID: String? = nil,
                stopID: String? = nil, latitude: Double? = nil, longitude: Double? = nil, line: Int = 0) {
        self.tapID = tapID
        self.cardID = cardID
        self.epochSeconds = epochSeconds
        self.routeID = routeID
        self.tripID = tripID
        self.stopID = stopID
        self.latitude = latitude
        self.longitude = longitude
        self.line = line
    }
}

/// A line of a taps file that is not a usable tap.
public struct TapRejection: Sendable, Hashable, Error {
    /// The 1-based line.
    public var line: Int
    /// Why: ``TapReason/missingField``, ``TapReason/badTime``, ``TapReason/badPosition``,
    /// ``TapReason/fieldTooLong`` or ``TapReason/badLine``.
    public var reason: TapReason
    /// What is wrong, naming the field and the value.
    public var detail: String

    /// Creates a rejection.
    public init(line: Int, reason: TapReason, detail: String) {
        self.line = line
        self.reason = reason
        self.detail = detail
    }
}

/// Reads taps files: CSV with a header, or JSON Lines (one object per line), told apart by the
/// first byte of the first non-empty line (`{` is JSON Lines).
///
/// Columns (CSV) or keys (JSON): `tap_id`, `card_id`, `tap_time`, `route_id`, `trip_id`
/// (optional), `stop_id`, or `lat` and `lon` when there is no stop. Other columns are ignored.
/// A field longer than ``maxFieldBytes`` rejects its line with ``TapReason/fieldTooLong``;
/// a line longer than ``maxLineBytes`` with ``TapReason/badLine``. Every other line is still
/// read.
public enum TapFile {
    /// The longest field accepted, in bytes of UTF-8 (as trip logs and the ledger).
    public static let maxFieldBytes = 255
    /// The longest line accepted, in bytes.
    public static let maxLineBytes = 64 * 1024

    /// Calls `visit` with each line's tap or rejection, in file order.
    /// - Throws: ``RidershipError/tapsFileUnreadable(path:reason:)`` when the file cannot be
    ///   opened, or its CSV header lacks a required column.
    /// - Complexity: O(file size); memory one chunk plus one line.
    public static func read(path: String, _ visit: (Result<Tap, TapRejection>) -> Void) throws(RidershipError) {
        guard FileSystem.isRegularFile(path) else {
            throw .tapsFileUnreadable(path: path, reason: FileSystem.exists(path) ? "it is not a regular file" : "no such file")
        }
        var reader: LineReader
        do {
            reader = try LineReader(path: path, maxLineBytes: maxLineBytes)
        } catch {
            throw .tapsFileUnreadable(path: path, reason: "\(error)")
        }
        var format: Int = 0 // 0 unknown, 1 CSV, 2 JSON Lines
        var columns = CSVColumns()
        var fields: [ArraySlice<UInt8>] = []
        while let line = reader.next() {
            let n = reader.lineNumber
            if line.isEmpty || line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if reader.lastLineLength != nil {
                if format == 0 { throw .tapsFileUnreadable(path: path, reason: "the first line is longer than \(maxLineBytes) bytes: not a taps file") }
                visit(.failure(TapRejection(line: n, reason: .badLine, detail: "the line is longer than \(maxLineBytes) bytes; it is skipped")))
                continue
            }
            if format == 0 {
                if line.first == UInt8(ascii: "{") {
                    format = 2
                } else {
                    format = 1
                    columns = try CSVColumns(header: line, path: path)
                    continue
                }
            }
            visit(format == 1 ? columns.tap(line, line: n, fields: &fields) : JSONTap.tap(line, line: n))
        }
        if let failure = reader.failure {
            throw .tapsFileUnreadable(path: path, reason: "reading failed after line \(reader.lineNumber): \(failure)")
        }
    }

    /// Parses `tap_time`: `YYYY-MM-DDTHH:MM:SS` (a space for `T` is accepted), optional
    /// fractional seconds (dropped), then `Z` or an offset `±HH:MM`, `±HHMM` or `±HH`.
    /// - Returns: seconds since the epoch, or nil when it does not parse (or has no offset).
    public static func parseTime<C: Collection>(_ text: C) -> Int64? where C.Element == UInt8 {
        if let fast = text.withContiguousStorageIfAvailable({ parseTime(buffer: $0) }) { return fast }
        return Array(text).withUnsafeBufferPointer { parseTime(buffer: $0) }
    }

    /// Parses `tap_time` from its UTF-8 bytes (see ``parseTime(_:)``).
    static func parseTime(string: String) -> Int64? {
        var text = string
        return text.withUTF8 { parseTime(buffer: $0) }
    }

    static func parseTime(buffer: UnsafeBufferPointer<UInt8>) -> Int64? {
        CivilTime.parseISO8601(buffer)?.epochSeconds
    }

    /// Checks and assembles one tap from its fields (shared by CSV and JSON Lines).
    static func assemble(line: Int, tapID: String?, cardID: String?, time: String?, routeID: String?, tripID: String?,
                         stopID: String?, lat: String?, lon: String?) -> Result<Tap, TapRejection> {
        func reject(_ r: TapReason, _ d: String) -> Result<Tap, TapRejection> { .failure(TapRejection(line: line, reason: r, detail: d)) }
        func empty(_ v: String?) -> Bool { v?.isEmpty ?? true }
        func long(_ v: String?) -> Bool { (v?.utf8.count ?? 0) > maxFieldBytes }
        if empty(tapID) || empty(cardID) || empty(time) || empty(routeID) {
            for (name, value) in [("tap_id", tapID), ("card_id", cardID), ("tap_time", time), ("route_id", routeID)] where empty(value) {
                return reject(.missingField, "field '\(name)' is missing or empty")
            }
        }
        if long(tapID) || long(cardID) || long(routeID) || long(tripID) || long(stopID) {
            for (name, value) in [("tap_id", tapID), ("card_id", cardID), ("route_id", routeID), ("trip_id", tripID), ("stop_id", stopID)] where long(value) {
                return reject(.fieldTooLong, "field '\(name)' is \(value?.utf8.count ?? 0) bytes, more than the \(maxFieldBytes)-byte limit")
            }
        }
        let timeText = time ?? ""
        guard let epoch = parseTime(string: timeText) else {
            return reject(.badTime, "field 'tap_time': '\(timeText.prefix(64))' is not an ISO 8601 time with an offset (2026-03-10T07:31:05+01:00)")
        }
        var latitude: Double?, longitude: Double?
        let latText = lat ?? "", lonText = lon ?? ""
        if !latText.isEmpty || !lonText.isEmpty {
            guard let la = Double(latText), let lo = Double(lonText), la.isFinite, lo.isFinite, abs(la) <= 90, abs(lo) <= 180 else {
                return reject(.badPosition, "fields 'lat','lon': '\(latText.prefix(32))','\(lonText.prefix(32))' are not a position in degrees")
            }
            latitude = la
            longitude = lo
        }
        let stop = (stopID?.isEmpty ?? true) ? nil : stopID
        guard stop != nil || latitude != nil else { return reject(.missingField, "neither 'stop_id' nor 'lat','lon' is given: the tap has no place") }
        return .success(Tap(tapID: tapID ?? "", cardID: cardID ?? "", epochSeconds: epoch, routeID: routeID ?? "",
                            tripID: (tripID?.isEmpty ?? true) ? nil : tripID, stopID: stop, latitude: latitude, longitude: longitude, line: line))
    }
}

/// The positions of the taps columns in a CSV header.
struct CSVColumns {
    var tapID = -1, cardID = -1, time = -1, route = -1, trip = -1, stop = -1, lat = -1, lon = -1
    var count = 0

    init() {}

    init(header: ArraySlice<UInt8>, path: String) throws(RidershipError) {
        let names = CSVLine.split(header) ?? []
        count = names.count
        for (i, raw) in names.enumerated() {
            switch String(decoding: raw, as: UTF8.self).trimmingSpaces() {
            case "tap_id": tapID = i
            case "card_id": cardID = i
            case "tap_time": time = i
            case "route_id": route = i
            case "trip_id": trip = i
            case "stop_id": stop = i
            case "lat", "stop_lat": lat = i
            case "lon", "stop_lon": lon = i
            default: break
            }
        }
        let missing = [("tap_id", tapID), ("card_id", cardID), ("tap_time", time), ("route_id", route)].filter { $0.1 < 0 }.map(\.0)
        guard missing.isEmpty else {
            throw .tapsFileUnreadable(path: path, reason: "the header lacks \(missing.joined(separator: ", ")); a taps file has tap_id,card_id,tap_time,route_id,trip_id,stop_id (or lat,lon)")
        }
        guard stop >= 0 || (lat >= 0 && lon >= 0) else {
            throw .tapsFileUnreadable(path: path, reason: "the header has neither stop_id nor lat and lon")
        }
    }

    func tap(_ line: ArraySlice<UInt8>, line n: Int, fields: inout [ArraySlice<UInt8>]) -> Result<Tap, TapRejection> {
        guard CSVLine.split(line, into: &fields) else {
            return .failure(TapRejection(line: n, reason: .badLine, detail: "a quoted field is not closed"))
        }
        func field(_ i: Int) -> String? { i >= 0 && i < fields.count ? String(decoding: fields[i], as: UTF8.self) : nil }
        return TapFile.assemble(line: n, tapID: field(tapID), cardID: field(cardID), time: field(time), routeID: field(route),
                                tripID: field(trip), stopID: field(stop), lat: field(lat), lon: field(lon))
    }
}

/// Splits CSV lines (RFC 4180 quoting within a line).
enum CSVLine {
    /// The fields of `line`, unquoted; nil when a quoted field is not closed.
    static func split(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        var out: [ArraySlice<UInt8>] = []
        return split(line, into: &out) ? out : nil
    }

    /// Splits `line` into `out` (emptied first); false when a quoted field is not closed.
    static func split(_ line: ArraySlice<UInt8>, into out: inout [ArraySlice<UInt8>]) -> Bool {
        out.removeAll(keepingCapacity: true)
        var i = line.startIndex
        let end = line.endIndex
        while true {
            if i < end, line[i] == UInt8(ascii: "\"") {
                var field: [UInt8] = []
                i += 1
                var closed = false
                while i < end {
                    let c = line[i]
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < end, line[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    field.append(c)
                    i += 1
                }
                guard closed else { return false }
                out.append(field[...])
                while i < end, line[i] != UInt8(ascii: ",") { i += 1 }
            } else {
                let start = i
                while i < end, line[i] != UInt8(ascii: ",") { i += 1 }
                out.append(line[start..<i])
            }
            if i >= end { break }
            i += 1
        }
        return true
    }
}

/// JSON Lines taps.
enum JSONTap {
    static func tap(_ line: ArraySlice<UInt8>, line n: Int) -> Result<Tap, TapRejection> {
        let document: JSONDocument
        do {
            document = try JSONReader.parse(Array(line))
        } catch {
            return .failure(TapRejection(line: n, reason: .badLine, detail: "not a JSON object: \(error.message)"))
        }
        guard let object = document.root.objectValue else {
            return .failure(TapRejection(line: n, reason: .badLine, detail: "not a JSON object"))
        }
        func text(_ key: String) -> String? {
            guard let v = object[key] else { return nil }
            if let s = v.stringValue { return s }
            if let d = v.numberValue { return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
            return nil
        }
        func number(_ key: String) -> String? {
            guard let v = object[key] else { return nil }
            if let d = v.numberValue { return String(d) }
            return v.stringValue
        }
        return TapFile.assemble(line: n, tapID: text("tap_id"), cardID: text("card_id"), time: text("tap_time"), routeID: text("route_id"),
                                tripID: text("trip_id"), stopID: text("stop_id"), lat: number("lat") ?? number("stop_lat"),
                                lon: number("lon") ?? number("stop_lon"))
    }
}

extension TapFile {
    /// Calls `visit` with the `tap_id`, `card_id` and `stop_id` bytes (unquoted; an absent
    /// `stop_id` is empty) of each line numbered in `lines` (ascending), reading the file
    /// again: the second pass that copies the ids into `rider_trip.txt` without keeping them in
    /// memory.
    /// - Throws: ``RidershipError/tapsFileUnreadable(path:reason:)``.
    static func forEachTap(path: String, lines: [Int32],
                           _ visit: (ArraySlice<UInt8>, ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(RidershipError) {
        var reader: LineReader
        do {
            reader = try LineReader(path: path, maxLineBytes: maxLineBytes)
        } catch {
            throw .tapsFileUnreadable(path: path, reason: "\(error)")
        }
        var k = 0
        var columns: CSVColumns?
        var fields: [ArraySlice<UInt8>] = []
        while k < lines.count, let line = reader.next() {
            let n = reader.lineNumber
            if columns == nil, line.first != UInt8(ascii: "{"), !line.isEmpty, !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                columns = try CSVColumns(header: line, path: path)
                continue
            }
            guard n == Int(lines[k]) else { continue }
            k += 1
            if line.first == UInt8(ascii: "{") {
                if case .success(let tap) = JSONTap.tap(line, line: n) {
                    visit(Array(tap.tapID.utf8)[...], Array(tap.cardID.utf8)[...], Array((tap.stopID ?? "").utf8)[...])
                }
            } else if let columns, CSVLine.split(line, into: &fields), columns.tapID < fields.count, columns.cardID < fields.count {
                let stop = columns.stop >= 0 && columns.stop < fields.count ? fields[columns.stop] : []
                visit(fields[columns.tapID], fields[columns.cardID], stop)
            }
        }
        if let failure = reader.failure {
            throw .tapsFileUnreadable(path: path, reason: "reading failed again after line \(reader.lineNumber): \(failure)")
        }
    }
}
