public import GTFS
public import TransitNetwork
import Foundation

/// What pricing needs from a GTFS feed, resolved once: id look-ups, trip modes and routes, the
/// service calendar, frequency windows, leg distances and the agency time zone.
///
/// Immutable and `Sendable`; build it once per feed. A class, so that a ``Pricer`` holding it
/// is copied with one reference count, not one per column.
public final class FeedContext: Sendable {
    let tripCodes: [String: Int32]
    let stopCodes: [String: Int32]
    /// Per trip code: the mode of its route (nil: no factor for the route type).
    package let tripMode: [Mode?]
    /// Per trip code: the route id.
    let tripRoute: [String]
    /// Per trip code: the service code.
    let tripService: [Int32]
    /// Per trip code: frequency windows (start, end, headway) of a template trip.
    package let windows: [Int32: [(start: Int32, end: Int32, headway: Int32)]]
    let firstDeparture: [Int32: Int32]
    let legs: LegQueries
    let calendar: ServiceCalendar
    let stopSequence: [Int32]
    let stopTimeIndex: StopTimeIndex
    let stopTimeStop: [Int32]
    /// Per stop-time row: the scheduled arrival and departure (-1 when empty), shared with the feed.
    let stopTimeArrival: [Int32]
    let stopTimeDeparture: [Int32]
    /// The agency time zone identifier (`America/Chicago`), UTC when missing or unknown.
    public let timeZoneID: String
    let timeZone: TimeZone
    /// Service-day starts (epoch seconds) of the dates from ``firstCachedDay`` on, so pricing
    /// does not ask the time zone database once per record.
    let dayStarts: [Int64]
    let firstCachedDay: Int

    /// Resolves `feed`. Computes the trips' stop distances along their shapes (see
    /// ``TransitNetwork/ShapeDistances``) unless `distances` is given.
    /// - Complexity: O(stop times + shape points).
    public init(feed: Feed, distances: ShapeDistances? = nil) {
        tripCodes = feed.codeMap(.trip)
        stopCodes = feed.codeMap(.stop)
        let tripCount = feed.ids(.trip).count
        let routeIDs = feed.ids(.route)
        var routeType: [Int32: Int32] = [:]
        let routes = feed.routes
        for row in 0..<routes.count { routeType[routes.id[row]] = routes.type[row] }
        var modes = [Mode?](repeating: nil, count: tripCount)
        var routeOf = [String](repeating: "", count: tripCount)
        var service = [Int32](repeating: -1, count: tripCount)
        let trips = feed.trips
        for row in 0..<trips.count {
            let t = Int(trips.id[row])
            guard t >= 0, t < tripCount else { continue }
            let r = trips.route[row]
            if r >= 0, Int(r) < routeIDs.count { routeOf[t] = routeIDs[Int(r)] }
            modes[t] = routeType[r].flatMap { Mode(routeType: $0) }
            service[t] = trips.service[row]
        }
        tripMode = modes
        tripRoute = routeOf
        tripService = service
        let f = feed.frequencies
        var w: [Int32: [(start: Int32, end: Int32, headway: Int32)]] = [:]
        for row in 0..<f.count where f.start[row] >= 0 && f.end[row] > f.start[row] && f.headway[row] > 0 && f.headway[row] != Column.missingInteger {
            w[f.trip[row], default: []].append((f.start[row], f.end[row], f.headway[row]))
        }
        windows = w
        let st = feed.stopTimes
        var first: [Int32: Int32] = [:]
        for trip in w.keys {
            if let span = Departures.span(of: trip, index: feed.stopTimeIndex, arrival: st.arrival, departure: st.departure) { first[trip] = span.first }
        }
        firstDeparture = first
        legs = LegQueries(feed: feed, distances: distances)
        calendar = ServiceCalendar(feed: feed)
        stopSequence = st.sequence
        stopTimeIndex = feed.stopTimeIndex
        stopTimeStop = st.stop
        stopTimeArrival = st.arrival
        stopTimeDeparture = st.departure
        let (tz, zone) = FeedContext.agencyTimeZone(feed)
        timeZoneID = tz
        timeZone = zone
        // The feed's dates plus a week either side (at most about 30 years).
        let lower = (feed.serviceDateRange?.lowerBound.daysSinceEpoch ?? 0) - 7
        let upper = min((feed.serviceDateRange?.upperBound.daysSinceEpoch ?? -8) + 7, lower + 11_000)
        firstCachedDay = lower
        dayStarts = upper >= lower ? (lower...upper).map { FeedContext.dayStart(days: $0, zone: zone) } : []
    }

    /// The agency's time zone: its identifier and the zone, UTC when missing or unknown.
    static func agencyTimeZone(_ feed: Feed) -> (String, TimeZone) {
        let tz = feed.table("agency.txt")?.strings("agency_timezone")?[0] ?? "UTC"
        return (tz, TimeZone(identifier: tz) ?? TimeZone(secondsFromGMT: 0) ?? TimeZone.current)
    }

    /// Service-day midnight of `date` in `feed`'s agency time zone (noon minus 12 h), seconds
    /// since the epoch, without building a context.
    /// - Complexity: O(1).
    public static func serviceDayStart(_ date: GTFSDate, feed: Feed) -> Int64 {
        dayStart(days: date.daysSinceEpoch, zone: agencyTimeZone(feed).1)
    }

    static func dayStart(days: Int, zone: TimeZone) -> Int64 {
        let noonUTC = Int64(days) * 86_400 + 43_200
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(noonUTC)))
        return noonUTC - Int64(offset) - 43_200
    }

    /// The instant of service-day midnight of `date` in the agency time zone (GTFS: noon
    /// minus 12 h, which is right on daylight-saving days too), seconds since the epoch.
    /// - Complexity: O(1) for dates within a week of the feed's service dates.
    public func serviceDayStart(_ date: GTFSDate) -> Int64 {
        let i = date.daysSinceEpoch - firstCachedDay
        if i >= 0, i < dayStarts.count { return dayStarts[i] }
        return FeedContext.dayStart(days: date.daysSinceEpoch, zone: timeZone)
    }

    /// The trip-log position of the stop time at `stop_sequence` `sequence` on `trip`, or nil.
    func index(ofSequence sequence: Int32, trip: Int32) -> (index: Int, stop: Int32)? {
        let rows = stopTimeIndex.rows(ofTrip: trip)
        for (i, r) in rows.enumerated() where stopSequence[Int(r)] == sequence { return (i, stopTimeStop[Int(r)]) }
        return nil
    }

    /// Where a rider boarding `trip` at `stop` (at `stop_sequence` `sequence` when given, else
    /// the stop's first call) boards: the position in the trip, the scheduled departure there
    /// (the arrival when the departure is empty; -1 when both are) and whether it is the trip's
    /// last stop; `nil` when the trip does not call there.
    /// - Complexity: O(stops of the trip).
    func boarding(trip: Int32, stop: Int32, sequence: Int32?) -> (index: Int, departure: Int32, isLast: Bool)? {
        let rows = stopTimeIndex.rows(ofTrip: trip)
        for (i, r) in rows.enumerated() {
            let row = Int(r)
            guard stopTimeStop[row] == stop, sequence.map({ stopSequence[row] == $0 }) ?? true else { continue }
            let departure = stopTimeDeparture[row] >= 0 ? stopTimeDeparture[row] : stopTimeArrival[row]
            return (i, departure >= 0 ? departure : -1, i == rows.count - 1)
        }
        return nil
    }

    /// Whether `stop` is called at before position `index` on `trip`.
    func calls(_ stop: Int32, before index: Int, trip: Int32) -> Bool {
        let rows = stopTimeIndex.rows(ofTrip: trip)
        for (i, r) in rows.enumerated() where i < index && stopTimeStop[Int(r)] == stop { return true }
        return false
    }

    /// The offset to add to `trip`'s template times for the frequency run nearest to leaving
    /// the boarding point (template time `templateDeparture`) at `boardTime`; 0 for a trip
    /// without frequency windows.
    func runOffset(trip: Int32, templateDeparture: Int32, boardTime: Int32) -> Int32 {
        guard let ws = windows[trip], let first = firstDeparture[trip] else { return 0 }
        var best: Int32 = 0, bestGap = Int32.max
        for w in ws {
            // Runs start at w.start + k·headway < w.end; the boarding time of run k is
            // templateDeparture + (w.start + k·headway − first).
            let count = (w.end - w.start + w.headway - 1) / w.headway
            let target = boardTime - templateDeparture + first - w.start
            var k = Int32((Double(target) / Double(w.headway)).rounded())
            k = Swift.max(0, Swift.min(count - 1, k))
            let offset = w.start + k * w.headway - first
            let gap = abs(templateDeparture + offset - boardTime)
            if gap < bestGap { bestGap = gap; best = offset }
        }
        return best
    }
}
