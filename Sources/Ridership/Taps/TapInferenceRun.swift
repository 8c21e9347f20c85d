public import GTFS
import TransitNetwork
import TransitSupport

/// `transit ridership infer`: reads a taps file, infers, and writes `rider_trip.txt`,
/// `board_alight.txt` and `summary.json` into a folder, each atomically (a temporary file
/// renamed into place), so a failed run leaves no partial file.
public enum TapInferenceRun {
    /// What a run wrote and counted.
    public struct Output: Sendable {
        /// The counts.
        public var summary: TapSummary
        /// The first rejected lines (at most 100), for diagnostics.
        public var rejections: [TapRejection]
        /// The files written.
        public var files: [String]
    }

    /// The header of the `rider_trip.txt` written: GTFS-ride's fields, then `tap_id` and how
    /// each row was matched and inferred.
    public static let riderTripHeader = "rider_id,agency_id,trip_id,boarding_stop_id,boarding_stop_sequence,alighting_stop_id,alighting_stop_sequence,service_date,boarding_time,alighting_time,transfer_status,tap_id,match_method,alighting_method,unresolved_reason,link,alighting_distance_m"

    /// The header of the `board_alight.txt` written: GTFS-ride's fields (`load_type` 1, the
    /// load on departure; `source` 2 (AFC) where every number is measured, 4 (mixed) where the
    /// alightings or the load include scaled riders), then the alightings split into measured
    /// and scaled, and `scaled_load`, the riders of `load_count` whose alighting is scaled.
    public static let boardAlightHeader = "trip_id,stop_id,stop_sequence,record_use,schedule_relationship,boardings,alightings,load_count,load_type,service_date,source,measured_alightings,scaled_alightings,scaled_load"

    /// Runs the inference.
    /// - Parameters:
    ///   - cardID: turns a card id into the `rider_id` written (a keyed pseudonym), or nil to
    ///     write card ids as they are. Called once per distinct card.
    ///   - progress: called with the taps read so far, every 500,000 taps.
    /// - Throws: ``RidershipError/tapsFileUnreadable(path:reason:)``,
    ///   ``RidershipError/outputUnwritable(path:reason:)``.
    /// - Complexity: O(taps) time, two reads of the taps file; memory about 60 bytes per tap.
    public static func run(taps path: String, feed: Feed, date: GTFSDate, serviceDayStart: Int64,
                           options: TapInferenceOptions = TapInferenceOptions(), outputFolder: String,
                           cardID: ((String) -> String)? = nil, progress: ((Int) -> Void)? = nil) throws(RidershipError) -> Output {
        guard FileSystem.isDirectory(outputFolder) else {
            throw .outputUnwritable(path: outputFolder, reason: FileSystem.exists(outputFolder) ? "it is not a folder" : "no such folder")
        }
        var inference = TapInference(feed: feed, date: date, serviceDayStart: serviceDayStart, options: options)
        var rejections: [TapRejection] = []
        var read = 0
        var lines: [Int32] = []
        try TapFile.read(path: path) { item in
            switch item {
            case .success(let tap):
                inference.add(tap)
                lines.append(Int32(clamping: tap.line))
            case .failure(let r):
                inference.reject(r)
                if rejections.count < 100 { rejections.append(r) }
            }
            read += 1
            if read % 500_000 == 0 { progress?(read) }
        }
        inference.infer()
        let riderTrip = outputFolder + "/rider_trip.txt", boardAlight = outputFolder + "/board_alight.txt", summaryPath = outputFolder + "/summary.json"
        try writeRiderTrip(inference: inference, feed: feed, taps: path, lines: lines, to: riderTrip, cardID: cardID)
        try write(to: boardAlight) { w in writeBoardAlight(inference, date: date, into: w) }
        try write(to: summaryPath) { w in w.write(inference.summary.json() + "\n") }
        return Output(summary: inference.summary, rejections: rejections, files: [riderTrip, boardAlight, summaryPath])
    }

    static func write(to path: String, _ body: (AtomicFileWriter) -> Void) throws(RidershipError) {
        do {
            let w = try AtomicFileWriter(path: path)
            body(w)
            try w.commit()
        } catch {
            throw .outputUnwritable(path: path, reason: "\(error)")
        }
    }

    /// Writes one row per tap, in file order, reading the taps file again for the ids.
    static func writeRiderTrip(inference: TapInference, feed: Feed, taps path: String, lines: [Int32], to target: String,
                               cardID: ((String) -> String)?) throws(RidershipError) {
        let agencyIDs = feed.ids(.agency), routes = feed.routes
        let soleAgency = agencyIDs.count == 1 ? agencyIDs[0] : ""
        var agencyOfRoute: [[UInt8]] = []
        for r in 0..<routes.count {
            let a = routes.agency[r]
            agencyOfRoute.append(csvBytes(a >= 0 && Int(a) < agencyIDs.count ? agencyIDs[Int(a)] : soleAgency))
        }
        let tripBytes = inference.tripIDs.map(csvBytes), stopBytes = inference.stopIDs.map(csvBytes)
        var riders: [String: [UInt8]] = [:]
        let date = Array(String(inference.date.yyyymmdd).utf8)
        var readFailure: RidershipError?
        try write(to: target) { w in
            w.write(riderTripHeader + "\n")
            var k = 0
            var line: [UInt8] = []
            line.reserveCapacity(256)
            do throws(RidershipError) {
                try TapFile.forEachTap(path: path, lines: lines) { tapID, rawCard, rawStop in
                    guard k < inference.outcomes.count else { return }
                    let o = inference.outcomes[k]
                    k += 1
                    line.removeAll(keepingCapacity: true)
                    if let cardID {
                        let card = String(decoding: rawCard, as: UTF8.self)
                        if let known = riders[card] {
                            line.append(contentsOf: known)
                        } else {
                            let rider = csvBytes(cardID(card))
                            riders[card] = rider
                            line.append(contentsOf: rider)
                        }
                    } else {
                        appendCSV(rawCard, to: &line)
                    }
                    line.append(comma)
                    let schedule = inference.schedule
                    let boardRow = o.boardPosition >= 0 ? Int(schedule.rowAt(o.boardPosition)) : -1
                    let alightRow = o.alightPosition >= 0 ? Int(schedule.rowAt(o.alightPosition)) : -1
                    let route = o.trip >= 0 ? Int(schedule.tripRoute[Int(o.trip)]) : -1
                    if route >= 0, route < agencyOfRoute.count { line.append(contentsOf: agencyOfRoute[route]) } else { line.append(contentsOf: csvBytes(soleAgency)) }
                    line.append(comma)
                    if o.trip >= 0 { line.append(contentsOf: tripBytes[Int(o.trip)]) }
                    line.append(comma)
                    // The stop and stop_sequence of a call (two empty fields for none); an
                    // unmatched tap's boarding stop is its own stop_id.
                    func appendCall(_ row: Int, else stop: ArraySlice<UInt8> = []) {
                        if row >= 0, schedule.stop[row] >= 0 { line.append(contentsOf: stopBytes[Int(schedule.stop[row])]) } else { appendCSV(stop, to: &line) }
                        line.append(comma)
                        if row >= 0 { appendInt(Int(schedule.sequence[row]), to: &line) }
                        line.append(comma)
                    }
                    appendCall(boardRow, else: rawStop)
                    appendCall(alightRow)
                    line.append(contentsOf: date)
                    line.append(comma)
                    appendClock(o.serviceTime, to: &line)
                    line.append(comma)
                    if alightRow >= 0, let arrival = schedule.arrivalTime(alightRow) {
                        let delay = o.serviceTime - (schedule.departureTime(boardRow) ?? o.serviceTime)
                        appendClock(arrival + delay, to: &line)
                    }
                    line.append(comma)
                    line.append(o.isTransfer ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                    line.append(comma)
                    appendCSV(tapID, to: &line)
                    for text in [o.match?.rawValue, o.alighting?.rawValue, o.reason?.rawValue, o.link?.rawValue] {
                        line.append(comma)
                        if let text { line.append(contentsOf: text.utf8) }
                    }
                    line.append(comma)
                    if o.alightMetres >= 0 { appendInt(Int(o.alightMetres), to: &line) }
                    line.append(0x0A)
                    w.write(bytes: line)
                }
            } catch {
                readFailure = error
            }
        }
        if let readFailure { throw readFailure }
    }

    static let comma = UInt8(ascii: ",")

    static func needsQuotes<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }

    /// `s` as one CSV field's bytes (quoted when it must be).
    static func csvBytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        appendCSV(Array(s.utf8)[...], to: &out)
        return out
    }

    static func appendCSV(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        guard needsQuotes(bytes) else { out.append(contentsOf: bytes); return }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        var v = value
        if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(0x30 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    /// `HH:MM:SS` (hours may pass 24; negative times clamp at 00:00:00).
    static func appendClock(_ seconds: Int32, to out: inout [UInt8]) {
        let s = max(0, Int(seconds))
        let h = s / 3600, m = s / 60 % 60, sec = s % 60
        if h < 10 { out.append(0x30) }
        appendInt(h, to: &out)
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(0x30 + m / 10))
        out.append(UInt8(0x30 + m % 10))
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(0x30 + sec / 10))
        out.append(UInt8(0x30 + sec % 10))
    }

    /// Writes boardings, alightings and loads per trip and call.
    static func writeBoardAlight(_ inference: TapInference, date: GTFSDate, into w: AtomicFileWriter) {
        w.write(boardAlightHeader + "\n")
        let d = String(date.yyyymmdd)
        func csv(_ s: String) -> String { String(decoding: csvBytes(s), as: UTF8.self) }
        for t in inference.tripCounts {
            let trip = csv(inference.tripID(t.trip))
            for (i, p) in t.positions.enumerated() {
                guard let call = inference.call(at: Int32(p)) else { continue }
                let scaled = t.scaledAlightings[i], measured = t.measuredAlightings[i]
                let scaledLoad = i < t.scaledLoads.count ? t.scaledLoads[i] : 0
                let source = scaled > 0 || scaledLoad > 0 ? "4" : "2"
                w.write("\(trip),\(csv(inference.stopID(call.stop))),\(call.sequence),0,0,\(t.boardings[i]),\(measured + scaled),\(t.loads[i]),1,\(d),\(source),\(measured),\(scaled),\(scaledLoad)\n")
            }
        }
    }
}

extension TapSummary {
    /// The summary as one JSON object (keys sorted), as `summary.json` holds it.
    public func json() -> String {
        func object(_ d: [String: Int]) -> String {
            "{" + d.keys.sorted().map { "\(jsonQuoted($0)):\(d[$0] ?? 0)" }.joined(separator: ",") + "}"
        }
        let parts = [
            "\"alightings\":\(object(alightings))", "\"alightings_total\":\(alightingsTotal)", "\"cards\":\(cards)",
            "\"links\":\(object(links))", "\"matched\":\(object(matched))", "\"matched_total\":\(matchedTotal)",
            "\"rejected\":\(object(rejected))", "\"scaled_by\":\(object(scaledBy))", "\"taps_read\":\(tapsRead)",
            "\"transfers\":\(transfers)", "\"trips_counted\":\(tripsCounted)", "\"unmatched\":\(object(unmatched))",
            "\"unresolved\":\(object(unresolved))",
        ]
        return "{" + parts.joined(separator: ",") + "}"
    }
}
