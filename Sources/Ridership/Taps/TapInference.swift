public import GTFS
import TransitNetwork
import TransitSupport

/// Ridership from tap-in-only fare data by trip chaining.
///
/// 1. ``add(_:)`` matches each tap to a scheduled trip of the service date (its own
///    `trip_id`, else the route, stop or GPS position, and time; see ``TapMatchMethod``).
/// 2. ``infer()`` sorts each card's taps by time and infers each matched tap's alighting
///    stop: the stop after the boarding, on the matched trip, closest to the card's next
///    boarding (the day's last tap: the first boarding), within the walking limit and reached
///    before the next tap. The gap to the next boarding makes the link a transfer or an
///    activity. Taps no chain resolves keep a ``TapReason``.
/// 3. ``boardAlight()`` gives boardings, alightings and loads per trip and stop: the taps'
///    boardings, the inferred alightings (measured) and, for unresolved boardings,
///    alightings scaled from the resolved taps of the same route, direction and period
///    (scaled).
///
/// Memory is a few dozen bytes per tap plus the feed's schedule; time is linear in the taps.
public struct TapInference: Sendable {
    /// The thresholds.
    public let options: TapInferenceOptions
    /// The service date.
    public let date: GTFSDate
    /// Service-day midnight (noon minus 12 h in the agency's time zone) of ``date``, seconds
    /// since the epoch.
    public let serviceDayStart: Int64
    let schedule: TapSchedule
    let routeCodes: [String: Int32], tripCodes: [String: Int32], stopCodes: [String: Int32]
    let routeIDs: [String], tripIDs: [String], stopIDs: [String]

    /// Card codes by card id.
    var cardCodes: [String: Int32] = [:]
    /// Per tap, in the order added.
    var card: [Int32] = [], tapHash: [UInt64] = [], lat: [Float] = [], lon: [Float] = []
    /// The outcome of each tap.
    public internal(set) var outcomes: [TapOutcome] = []
    /// Counts so far.
    public internal(set) var summary = TapSummary()
    var counts = TapCountState()

    /// Prepares matching for `date`.
    /// - Parameters:
    ///   - serviceDayStart: service-day midnight of `date` in the agency's time zone, seconds
    ///     since the epoch (tap times are converted with it).
    public init(feed: Feed, date: GTFSDate, serviceDayStart: Int64, options: TapInferenceOptions = TapInferenceOptions()) {
        self.options = options
        self.date = date
        self.serviceDayStart = serviceDayStart
        schedule = TapSchedule(feed: feed, date: date)
        routeCodes = feed.codeMap(.route)
        tripCodes = feed.codeMap(.trip)
        stopCodes = feed.codeMap(.stop)
        routeIDs = feed.ids(.route)
        tripIDs = feed.ids(.trip)
        stopIDs = feed.ids(.stop)
    }

    /// Counts a rejected line.
    public mutating func reject(_ rejection: TapRejection) {
        summary.tapsRead += 1
        summary.rejected[rejection.reason.rawValue, default: 0] += 1
    }

    /// Matches `tap` to a trip and keeps it for ``infer()``.
    /// - Complexity: O(log calls) with a `stop_id`; O(stops of the route) with a position.
    public mutating func add(_ tap: Tap) {
        summary.tapsRead += 1
        let code: Int32
        if let c = cardCodes[tap.cardID] {
            code = c
        } else {
            code = Int32(truncatingIfNeeded: cardCodes.count)
            cardCodes[tap.cardID] = code
        }
        card.append(code)
        tapHash.append(fnv1a64(tap.tapID)) // FNV-1a: a card's duplicate taps are found without keeping the ids
        var outcome = TapOutcome()
        let t = tap.epochSeconds - serviceDayStart
        outcome.serviceTime = Int32(clamping: t)
        var place: (Double, Double) = (.nan, .nan)
        let stopCode = tap.stopID.flatMap { stopCodes[$0] }
        if let sc = stopCode { place = schedule.place(ofStop: sc) }
        if let la = tap.latitude, let lo = tap.longitude, place.0.isNaN { place = (la, lo) }
        switch match(tap, stop: stopCode, time: outcome.serviceTime) {
        case .success(let m):
            outcome.trip = m.trip
            outcome.boardPosition = m.position
            outcome.match = m.method
            summary.matched[m.method.rawValue, default: 0] += 1
            if place.0.isNaN { place = schedule.place(ofStop: schedule.stop[Int(schedule.rowAt(m.position))]) }
        case .failure(let reason):
            outcome.reason = reason
            summary.unmatched[reason.rawValue, default: 0] += 1
        }
        lat.append(Float(place.0))
        lon.append(Float(place.1))
        outcomes.append(outcome)
    }

    struct Match {
        var trip: Int32, position: Int32, method: TapMatchMethod
    }

    func match(_ tap: Tap, stop known: Int32?, time: Int32) -> Result<Match, TapReason> {
        guard time >= -options.matchTolerance, time <= schedule.lastDeparture + options.matchTolerance else { return .failure(.outsideServiceDay) }
        guard let route = routeCodes[tap.routeID] else { return .failure(.unknownRoute) }
        let stopCode = known
        if tap.stopID != nil, known == nil {
            if tap.latitude == nil { return .failure(.unknownStop) }
            return matchByPosition(tap, route: route, time: time)
        }
        if let tid = tap.tripID, let trip = tripCodes[tid], Int(trip) < schedule.running.count, schedule.running[Int(trip)],
           schedule.tripRoute[Int(trip)] == route {
            if let m = matchOnTrip(trip, stop: stopCode, tap: tap, time: time) { return .success(m) }
        }
        guard let stopCode else { return matchByPosition(tap, route: route, time: time) }
        guard let list = schedule.calls[TapSchedule.key(route, stopCode)], let best = schedule.nearest(in: list, to: time),
              best.gap <= options.matchTolerance else { return .failure(.noTripMatch) }
        return .success(Match(trip: schedule.tripAt[Int(best.position)], position: best.position, method: .stopTime))
    }

    /// The call of the tap's own trip at its stop (or nearest its position) nearest in time.
    func matchOnTrip(_ trip: Int32, stop: Int32?, tap: Tap, time: Int32) -> Match? {
        var best: (p: Int, gap: Int32, metres: Double)?
        for p in schedule.span(ofTrip: trip).dropLast() {
            let row = Int(schedule.rowAt(Int32(p)))
            var metres = 0.0
            if let stop {
                guard schedule.calls(at: p, stop: stop) else { continue }
            } else if let la = tap.latitude, let lo = tap.longitude {
                let (sl, so) = schedule.place(ofStop: schedule.stop[row])
                metres = Geo.haversine(lat1: la, lon1: lo, lat2: sl, lon2: so)
                guard metres <= options.positionRadius else { continue }
            } else {
                continue
            }
            guard let d = schedule.departureTime(row) else { continue }
            let gap = abs(d - time)
            if best == nil || gap < best?.gap ?? .max || (gap == best?.gap && metres < best?.metres ?? .infinity) { best = (p, gap, metres) }
        }
        return best.map { Match(trip: trip, position: Int32($0.p), method: .tripID) }
    }

    /// The route's call near the tap's position nearest in time.
    func matchByPosition(_ tap: Tap, route: Int32, time: Int32) -> Result<Match, TapReason> {
        guard let la = tap.latitude, let lo = tap.longitude else { return .failure(.unknownStop) }
        var near = false
        var best: (p: Int32, gap: Int32, metres: Double)?
        for s in schedule.routeStops[route] ?? [] {
            let (sl, so) = schedule.place(ofStop: s)
            let metres = Geo.haversine(lat1: la, lon1: lo, lat2: sl, lon2: so)
            guard metres <= options.positionRadius else { continue }
            near = true
            guard let list = schedule.calls[TapSchedule.key(route, s)], let n = schedule.nearest(in: list, to: time),
                  n.gap <= options.matchTolerance else { continue }
            if best == nil || n.gap < best?.gap ?? .max || (n.gap == best?.gap && metres < best?.metres ?? .infinity) { best = (n.position, n.gap, metres) }
        }
        guard let best else { return .failure(near ? .noTripMatch : .noStopNearPosition) }
        return .success(Match(trip: schedule.tripAt[Int(best.p)], position: best.p, method: .positionTime))
    }

    /// The trip id of a code.
    public func tripID(_ code: Int32) -> String { code >= 0 && Int(code) < tripIDs.count ? tripIDs[Int(code)] : "" }
    /// The stop id of a code.
    public func stopID(_ code: Int32) -> String { code >= 0 && Int(code) < stopIDs.count ? stopIDs[Int(code)] : "" }
    /// The stop code, `stop_sequence` and scheduled arrival/departure of the call at a
    /// stop-time index position.
    public func call(at position: Int32) -> (stop: Int32, sequence: Int32, arrival: Int32?, departure: Int32?)? {
        guard position >= 0, Int(position) < schedule.tripAt.count else { return nil }
        let row = Int(schedule.rowAt(position))
        return (schedule.stop[row], schedule.sequence[row], schedule.arrivalTime(row), schedule.departureTime(row))
    }
}
