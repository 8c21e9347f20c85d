public import GTFS
import TransitNetwork
public import Carbon

/// Deterministic synthetic trip logs over a feed, for benchmarks, tests and the sample logs:
/// transit legs taken from the feed's own schedule (a running trip, a boarding stop and a
/// later alighting stop, rider times a little after the scheduled ones) mixed with bike and
/// walk trips with reported distances. The same feed, count and seed give the same bytes.
public enum SyntheticTripLog {
    /// The output format.
    public enum Format: String, Sendable, CaseIterable {
        /// CSV with the header of ``header``.
        case csv
        /// JSON Lines with the same fields.
        case jsonl
    }

    /// The CSV header of generated logs.
    public static let header = "event_id,source,rider_id,mode,start_time,end_time,trip_id,board_stop_id,board_stop_sequence,alight_stop_id,alight_stop_sequence,service_date,distance_m"

    /// Calls `emit` with each line (no newline), the CSV header first.
    /// - Parameters:
    ///   - count: records to generate.
    ///   - riders: distinct rider ids (`R000001`…).
    ///   - activeShare: share of records that are bike or walk trips (0…1).
    ///   - days: consecutive service dates used, starting at the busiest of the feed's first
    ///     two weeks.
    /// - Complexity: O(count × stops per trip).
    public static func generate(feed: Feed, context: FeedContext, count: Int, seed: UInt64 = 1, riders: Int = 10_000,
                                activeShare: Double = 0.2, days: Int = 3, format: Format = .csv,
                                emit: (String) -> Void) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let calendar = ServiceCalendar(feed: feed)
        var start = feed.serviceDateRange?.lowerBound ?? GTFSDate(daysSinceEpoch: 20_000)
        var best = -1
        if let range = feed.serviceDateRange {
            var d = range.lowerBound
            for _ in 0..<14 where d <= range.upperBound {
                let n = calendar.runningTrips(on: d).count
                if n > best { best = n; start = d }
                d = d.adding(days: 1)
            }
        }
        let dates = (0..<max(1, days)).map { start.adding(days: $0) }
        let runs = dates.map { calendar.runningTrips(on: $0).filter { context.windows[$0] == nil && context.tripMode[Int($0)] != nil } }
        let st = feed.stopTimes, tripIDs = feed.ids(.trip), stopIDs = feed.ids(.stop)
        if format == .csv { emit(header) }
        var produced = 0, attempts = 0
        while produced < count && attempts < count * 20 {
            attempts += 1
            let i = produced
            let rider = "R" + pad(next() % max(1, riders), 6)
            let dayIndex = next() % dates.count
            let date = dates[dayIndex]
            let midnight = context.serviceDayStart(date)
            let active = Double(next() % 10_000) / 10_000 < activeShare || runs[dayIndex].isEmpty
            var fields: [(String, String, Bool)] = [("event_id", "g\(seed)-\(i)", true), ("source", "synthetic", true), ("rider_id", rider, true)]
            if active {
                let bike = next() % 2 == 0
                let metres = bike ? 1500 + next() % 8000 : 600 + next() % 2500
                let speed = bike ? 15.0 : 4.8
                let depart = 6 * 3600 + next() % (14 * 3600)
                let duration = Int(Double(metres) / (speed / 3.6))
                let offset = offsetSeconds(context, date)
                fields += [("mode", bike ? "bike" : "walk", true),
                           ("start_time", iso(midnight + Int64(depart), offset), true),
                           ("end_time", iso(midnight + Int64(depart + duration), offset), true),
                           ("distance_m", String(metres), false)]
            } else {
                let trips = runs[dayIndex]
                let trip = trips[next() % trips.count]
                let rows = feed.stopTimeIndex.rows(ofTrip: trip)
                guard rows.count >= 3 else { continue }
                let b = next() % (rows.count - 1)
                let a = b + 1 + next() % min(rows.count - 1 - b, 12)
                let rb = Int(rows[rows.startIndex + b]), ra = Int(rows[rows.startIndex + a])
                let dep = st.departure[rb] >= 0 ? st.departure[rb] : st.arrival[rb]
                let arr = st.arrival[ra] >= 0 ? st.arrival[ra] : st.departure[ra]
                // A stop time with an empty stop_id (code -1) names no stop to board or alight at.
                let boardStop = st.stop[rb], alightStop = st.stop[ra]
                guard dep >= 0, arr > dep, boardStop >= 0, Int(boardStop) < stopIDs.count,
                      alightStop >= 0, Int(alightStop) < stopIDs.count else { continue }
                let offset = offsetSeconds(context, date)
                fields += [("mode", context.tripMode[Int(trip)]?.rawValue ?? "bus", true),
                           ("start_time", iso(midnight + Int64(dep) + Int64(next() % 60), offset), true),
                           ("end_time", iso(midnight + Int64(arr) + 60 + Int64(next() % 60), offset), true),
                           ("trip_id", tripIDs[Int(trip)], true), ("board_stop_id", stopIDs[Int(boardStop)], true),
                           ("board_stop_sequence", String(st.sequence[rb]), false),
                           ("alight_stop_id", stopIDs[Int(alightStop)], true),
                           ("alight_stop_sequence", String(st.sequence[ra]), false),
                           ("service_date", String(date.yyyymmdd), true)]
            }
            produced += 1
            switch format {
            case .csv:
                let byName = Dictionary(fields.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
                emit(header.split(separator: ",").map { csv(byName[String($0)] ?? "") }.joined(separator: ","))
            case .jsonl:
                emit("{" + fields.map { "\"\($0.0)\":" + ($0.2 ? "\"" + escape($0.1) + "\"" : $0.1) }.joined(separator: ",") + "}")
            }
        }
    }

    private static func offsetSeconds(_ context: FeedContext, _ date: GTFSDate) -> Int {
        // Midnight local = midnight UTC − offset; the offset at noon of the service day.
        Int(Int64(date.daysSinceEpoch) * 86_400 - context.serviceDayStart(date))
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// ISO 8601 local time with its offset.
    static func iso(_ epoch: Int64, _ offset: Int) -> String {
        let local = epoch + Int64(offset)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let secs = Int32(local - Int64(days) * 86_400)
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset)
        return GTFSDate(daysSinceEpoch: days).iso8601 + "T" + GTFSTime.format(secs) + sign + pad(o / 3600, 2) + ":" + pad(o / 60 % 60, 2)
    }


    private static func csv(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : s
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
