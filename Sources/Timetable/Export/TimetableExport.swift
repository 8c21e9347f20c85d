public import GTFS
import TransitNetwork
import ZipArchive
import TransitSupport
import Foundation

/// Writes a ``Timetable`` as a GTFS feed for its service day.
///
/// The feed holds the source feed's `agency.txt`, `stops.txt`, `routes.txt` and `shapes.txt`
/// as they are; new `trips.txt` (with `block_id`, `direction_id`, the template's shape and
/// head sign) and `stop_times.txt` (each trip's stop times as ``PlannedTrip`` describes them:
/// its template's stops, shifted or interpolated times, `shape_dist_traveled`, pickup and
/// drop-off types); a `calendar.txt` with one service running on the planned date only; and a
/// `feed_info.txt` saying the feed was generated. Every trip has the `block_id` of its vehicle
/// block (``Timetable/blockIDs``).
///
/// With `frequencies`, runs of departures that one vehicle makes are compressed: the trips of
/// one block on one route direction, taken in running order, that follow each other at one
/// even interval with the same stop times after their first departure (and the same head
/// sign and shape) are written as one trip plus a `frequencies.txt` row with `exact_times=1`,
/// whose `start_time` is the first departure and whose `end_time` is one second after the
/// last (the GTFS reference asks an `exact_times=1` window to end after its last departure
/// and before one headway later). That trip carries the block's `block_id`, and that is true:
/// each departure the window stands for is made by that vehicle, with its other trips (the
/// other direction, other windows) in between. The GTFS Best Practices allow `block_id` on
/// trips of `frequencies.txt`; a window made of different vehicles' departures (as consecutive
/// departures of a route direction are) could carry no true `block_id`, so windows never span
/// blocks. The `headway_secs` of a window is thus the vehicle's cycle, not the route's
/// headway, and a route direction at an even headway has one window per vehicle and period of
/// steady run times, rather than one for all its departures.
public enum TimetableExport {
    /// The id of the one service in the exported calendar.
    public static func serviceID(_ date: GTFSDate) -> String { "planned_\(date.description)" }

    /// The exported files, in writing order.
    /// - Parameters:
    ///   - source: the feed the timetable was built from.
    ///   - frequencies: write runs of one vehicle's departures at an even interval as
    ///     `frequencies.txt` rows (see ``TimetableExport``).
    ///   - generator: named in `feed_info.txt`'s `feed_version`.
    /// - Complexity: O(stop times written + source tables copied).
    public static func files(_ timetable: Timetable, source: Feed, frequencies: Bool = false,
                             generator: String = "transit timetable") -> [(path: String, data: [UInt8])] {
        var out: [(path: String, data: [UInt8])] = []
        for name in ["agency.txt", "stops.txt", "routes.txt", "shapes.txt"] {
            if let t = source.table(name) { out.append((name, FeedWriter.csv(t))) }
        }
        let times = TripTimes(feed: source)
        let (written, windows) = frequencies ? frequencyRuns(timetable, source: source, times: times)
                                             : (Array(timetable.trips.indices), [])
        let (tripsText, timesText) = tripsAndStopTimes(timetable, source: source, times: times, written: written)
        out.append(("trips.txt", tripsText))
        out.append(("stop_times.txt", timesText))
        out.append(("calendar.txt", calendarFile(timetable.date)))
        if frequencies, !windows.isEmpty {
            var text = "trip_id,start_time,end_time,headway_secs,exact_times\n"
            for w in windows {
                text += "\(csv(timetable.trips[w.trip].id)),\(time(w.start)),\(time(w.end)),\(w.headway),1\n"
            }
            out.append(("frequencies.txt", Array(text.utf8)))
        }
        out.append(("feed_info.txt", feedInfoFile(timetable.date, source: source, generator: generator)))
        return out
    }

    /// A frequency window: the template trip written, its first departure, one second after
    /// its last, and the headway (seconds).
    typealias FrequencyWindow = (trip: Int, start: Int32, end: Int32, headway: Int32)

    /// Which trips are written when runs of one vehicle's departures become `frequencies.txt`
    /// rows, and the window of each such run (indices into the timetable's trips, ascending).
    /// A run is two or more trips of one block and route direction, next to each other in the
    /// block's trips of that route direction, at one interval, whose stop times after their
    /// first departure, head sign and shape are the same.
    /// - Complexity: O(stop times of the planned trips).
    static func frequencyRuns(_ timetable: Timetable, source: Feed, times: TripTimes) -> (written: [Int], windows: [FrequencyWindow]) {
        let list = timetable.trips
        let tripIndex = TripIndex(feed: source)
        let headsigns = source.trips.headsign
        var signatureOf = [Int](repeating: -1, count: list.count)
        var signatures: [[Int32]: Int] = [:]
        // The trip's shape, head sign, and stops with their times after its first departure.
        func signature(_ i: Int) -> Int {
            if signatureOf[i] >= 0 { return signatureOf[i] }
            let trip = list[i]
            let headsign = tripIndex.row(ofTrip: trip.template).map { headsigns?[$0] ?? "" } ?? ""
            var key: [Int32] = [tripIndex.shape(ofTrip: trip.template) ?? -1, Int32(clamping: headsign.unicodeScalars.count)]
            key.append(contentsOf: headsign.unicodeScalars.map { Int32(bitPattern: $0.value) })
            times.forEachStop(of: trip) { r, a, d in
                key.append(times.stop[r])
                key.append(a >= 0 ? a - trip.start : Int32.min)
                key.append(d >= 0 ? d - trip.start : Int32.min)
            }
            let s = signatures[key] ?? signatures.count
            signatures[key] = s
            signatureOf[i] = s
            return s
        }
        var written: [Int] = []
        var windows: [FrequencyWindow] = []
        for block in timetable.blocks.blocks {
            // The block's trips per route direction, in running order.
            var order: [Timetable.RouteKey] = []
            var byKey: [Timetable.RouteKey: [Int]] = [:]
            for i in block where i >= 0 && i < list.count {
                let key = Timetable.RouteKey(route: list[i].route, direction: list[i].direction)
                if byKey[key] == nil { order.append(key) }
                byKey[key, default: []].append(i)
            }
            for key in order {
                let run = byKey[key] ?? []
                var k = 0
                while k < run.count {
                    let first = run[k]
                    var last = k
                    if k + 1 < run.count, signature(run[k + 1]) == signature(first) {
                        let h = list[run[k + 1]].start - list[first].start
                        // headway_secs is positive, and the window must end before one more.
                        if h > 1 {
                            last = k + 1
                            while last + 1 < run.count, signature(run[last + 1]) == signature(first),
                                  list[run[last + 1]].start - list[run[last]].start == h { last += 1 }
                            windows.append((first, list[first].start, list[run[last]].start + 1, h))
                        }
                    }
                    written.append(first)
                    k = last + 1
                }
            }
        }
        // Trips in no block (none once the timetable is built) are written on their own.
        var inBlock = [Bool](repeating: false, count: list.count)
        for block in timetable.blocks.blocks { for i in block where i >= 0 && i < list.count { inBlock[i] = true } }
        for i in list.indices where !inBlock[i] { written.append(i) }
        written.sort()
        windows.sort { $0.trip < $1.trip }
        return (written, windows)
    }

    /// `trips.txt` and `stop_times.txt` of the `written` trips (indices into the timetable's
    /// trips), each with the `block_id` of its block.
    /// - Complexity: O(stop times written).
    static func tripsAndStopTimes(_ timetable: Timetable, source: Feed, times: TripTimes,
                                  written: [Int]) -> (trips: [UInt8], stopTimes: [UInt8]) {
        let service = serviceID(timetable.date)
        let trips = source.trips
        let stopIDs = source.ids(.stop), shapeIDs = source.ids(.shape)
        let tripIndex = TripIndex(feed: source)
        let stopTimes = source.stopTimes
        let st = stopTimes.table
        let pickup = st.integers("pickup_type"), dropOff = st.integers("drop_off_type")
        let distance = stopTimes.shapeDistTraveled

        var tripsText: [UInt8] = Array("route_id,service_id,trip_id,trip_headsign,direction_id,block_id,shape_id\n".utf8)
        var timesText: [UInt8] = Array("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type".utf8)
        timesText.append(contentsOf: (distance != nil ? ",shape_dist_traveled\n" : "\n").utf8)
        timesText.reserveCapacity(written.count * 48 * 30)
        // Each stop id escaped once.
        var stopBytes = [[UInt8]?](repeating: nil, count: stopIDs.count)
        let serviceBytes = Array(csv(service).utf8)
        for i in written {
            let trip = timetable.trips[i]
            let headsign = tripIndex.row(ofTrip: trip.template).map { trips.headsign?[$0] ?? "" } ?? ""
            let shapeCode = tripIndex.shape(ofTrip: trip.template) ?? -1
            let shape = shapeCode >= 0 && Int(shapeCode) < shapeIDs.count ? shapeIDs[Int(shapeCode)] : ""
            let block = trip.block >= 0 && trip.block < timetable.blockIDs.count ? timetable.blockIDs[trip.block] : ""
            let tripID = Array(csv(trip.id).utf8)
            tripsText.append(contentsOf: csv(trip.routeID).utf8)
            tripsText.append(0x2C)
            tripsText.append(contentsOf: serviceBytes)
            tripsText.append(0x2C)
            tripsText.append(contentsOf: tripID)
            tripsText.append(contentsOf: ",\(csv(headsign)),\(trip.direction),\(csv(block)),\(csv(shape))\n".utf8)
            var sequence: Int32 = 1
            times.forEachStop(of: trip) { r, arrival, departure in
                let stop = Int(stopTimes.stop[r])
                timesText.append(contentsOf: tripID)
                timesText.append(0x2C)
                appendTime(arrival, to: &timesText)
                timesText.append(0x2C)
                appendTime(departure, to: &timesText)
                timesText.append(0x2C)
                if stop >= 0 && stop < stopIDs.count {
                    if let bytes = stopBytes[stop] {
                        timesText.append(contentsOf: bytes)
                    } else {
                        let bytes = Array(csv(stopIDs[stop]).utf8)
                        stopBytes[stop] = bytes
                        timesText.append(contentsOf: bytes)
                    }
                }
                timesText.append(0x2C)
                appendInteger(sequence, to: &timesText)
                timesText.append(0x2C)
                if let v = pickup?[r], v != Column.missingInteger { appendInteger(v, to: &timesText) }
                timesText.append(0x2C)
                if let v = dropOff?[r], v != Column.missingInteger { appendInteger(v, to: &timesText) }
                if let distance {
                    timesText.append(0x2C)
                    if !distance[r].isNaN { timesText.append(contentsOf: number(distance[r]).utf8) }
                }
                timesText.append(0x0A)
                sequence += 1
            }
        }
        return (tripsText, timesText)
    }

    /// `calendar.txt`: one service, running on `date` only.
    static func calendarFile(_ date: GTFSDate) -> [UInt8] {
        var days = [String](repeating: "0", count: 7)
        days[date.weekday] = "1"
        let calendar = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            + "\(csv(serviceID(date))),\(days.joined(separator: ",")),\(date),\(date)\n"
        return Array(calendar.utf8)
    }

    /// `feed_info.txt`: the source's publisher (else its first agency), the planned date, and
    /// a version saying the feed was generated by `generator`.
    static func feedInfoFile(_ date: GTFSDate, source: Feed, generator: String) -> [UInt8] {
        var publisher = "Transit Planner", url = "https://example.org/", lang = "en"
        if let info = source.table("feed_info.txt"), info.rowCount > 0 {
            publisher = info.column("feed_publisher_name")?.text(row: 0) ?? publisher
            url = info.column("feed_publisher_url")?.text(row: 0) ?? url
            lang = info.column("feed_lang")?.text(row: 0) ?? lang
        } else if let agency = source.table("agency.txt"), agency.rowCount > 0 {
            publisher = agency.column("agency_name")?.text(row: 0) ?? publisher
            url = agency.column("agency_url")?.text(row: 0) ?? url
            if let l = agency.column("agency_lang")?.text(row: 0), !l.isEmpty { lang = l }
        }
        let version = "generated by \(generator) from a headway plan for \(date.iso8601)"
        let info = "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date,feed_version\n"
            + "\(csv(publisher)),\(csv(url)),\(csv(lang)),\(date),\(date),\(csv(version))\n"
        return Array(info.utf8)
    }

    /// Writes the exported feed to `path`: a `.zip` archive when the path ends in `.zip`, else
    /// a folder. Atomic: the files go to a temporary sibling that is renamed into place, so
    /// an existing output is replaced only by a complete one.
    /// - Parameter zipLevel: the deflate level of a `.zip` (0 stores, 9 is smallest); the
    ///   default 1 is several times faster than 6 on a city's stop times, for a slightly larger
    ///   file.
    /// - Throws: ``TimetableError/writeFailed(path:reason:)``.
    public static func write(_ timetable: Timetable, source: Feed, to path: String, frequencies: Bool = false,
                             zipLevel: Int32 = 1) throws(TimetableError) {
        try write(files: files(timetable, source: source, frequencies: frequencies), to: path, zipLevel: zipLevel)
    }

    /// Writes `files` to `path` atomically (see ``write(_:source:to:frequencies:zipLevel:)``).
    /// - Throws: ``TimetableError/writeFailed(path:reason:)``.
    public static func write(files: [(path: String, data: [UInt8])], to path: String, zipLevel: Int32 = 1) throws(TimetableError) {
        if path.lowercased().hasSuffix(".zip") {
            do { try ZipWriter.write(files, to: path, level: zipLevel) } catch { throw .writeFailed(path: path, reason: "\(error)") }
            return
        }
        let target = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let parent = target.lastIndex(of: "/").map { String(target[..<$0]) } ?? "."
        guard parent.isEmpty || FileSystem.isDirectory(parent) else {
            throw .writeFailed(path: path, reason: "the folder '\(parent)' does not exist; create it first")
        }
        if FileSystem.exists(target), !FileSystem.isDirectory(target) {
            throw .writeFailed(path: path, reason: "a file (not a folder) is in the way; remove it or give another --out")
        }
        let suffix = String(UInt64(secondsSinceEpoch())) + "-" + String(UInt32.random(in: 0...UInt32.max))
        let temporary = target + ".partial-" + suffix, backup = target + ".previous-" + suffix
        do {
            try FileSystem.makeDirectory(temporary)
            for f in files { try FileSystem.writeAtomically(f.data, to: temporary + "/" + f.path) }
            if FileSystem.exists(target) {
                try FileSystem.rename(target, backup)
                do { try FileSystem.rename(temporary, target) } catch {
                    try? FileSystem.rename(backup, target)
                    throw error
                }
                try? FileSystem.removeTree(backup)
            } else {
                try FileSystem.rename(temporary, target)
            }
        } catch {
            try? FileSystem.removeTree(temporary)
            throw .writeFailed(path: path, reason: "\(error)")
        }
    }

    static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                || s.first == " " || s.last == " " else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func time(_ t: Int32) -> String {
        guard t >= 0 else { return "" }
        let h = t / 3600, m = (t / 60) % 60, s = t % 60
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(h)):\(two(m)):\(two(s))"
    }

    /// Appends a non-negative time as `HH:MM:SS` (nothing for a missing time).
    static func appendTime(_ t: Int32, to out: inout [UInt8]) {
        guard t >= 0 else { return }
        let h = t / 3600, m = (t / 60) % 60, s = t % 60
        if h < 10 { out.append(0x30) }
        appendInteger(h, to: &out)
        out.append(0x3A)
        out.append(0x30 + UInt8(m / 10)); out.append(0x30 + UInt8(m % 10))
        out.append(0x3A)
        out.append(0x30 + UInt8(s / 10)); out.append(0x30 + UInt8(s % 10))
    }

    /// Appends a whole number in decimal.
    static func appendInteger(_ v: Int32, to out: inout [UInt8]) {
        if v < 0 { out.append(0x2D) }
        var x = v.magnitude
        if x < 10 { out.append(0x30 + UInt8(x)); return }
        if x < 100 { out.append(0x30 + UInt8(x / 10)); out.append(0x30 + UInt8(x % 10)); return }
        var digits: [UInt8] = []
        while x > 0 { digits.append(0x30 + UInt8(x % 10)); x /= 10 }
        out.append(contentsOf: digits.reversed())
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
