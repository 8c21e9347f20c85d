public import GTFS
import TransitNetwork

/// Where a priced trip's distance came from, best first.
public enum DistanceSource: String, Sendable, CaseIterable, Codable {
    /// Along the trip's shape between the two stops (`shape_dist_traveled` or the stops
    /// projected onto the shape).
    case shape
    /// Stop to stop, great-circle, along the trip's stops (the trip has no usable shape).
    case stopPath = "stop_path"
    /// The distance the source reported (`distance_m`).
    case reported
    /// Great-circle between the start and end coordinates × the factor set's detour factor.
    case greatCircleDetour = "great_circle_detour"
    /// No distance: a transit leg without an alighting stop, credited the policy's grams per
    /// boarding for its mode (``BoardingOnlyRule``); the metres are 0.
    case perBoarding = "per_boarding"
}

/// A record that passed every check, with its saving priced (per-trip cap applied; the daily
/// caps are the ledger's, since they depend on what is already credited).
public struct PricedLeg: Sendable, Equatable {
    /// The log line.
    public let line: Int
    /// The source.
    public let source: String
    /// The event id.
    public let eventID: String
    /// ``TripRecord/contentHash``.
    public let contentHash: String
    /// The rider (pseudonymized when asked).
    public let riderID: String
    /// The mode credited.
    public let mode: Mode
    /// The day the daily caps count against: the service date of a transit leg, else the
    /// local date of the start time in its own offset.
    public let day: GTFSDate
    /// Whole metres (rounded down).
    public let metres: Int
    /// Where the distance came from.
    public let distanceSource: DistanceSource
    /// The GTFS trip id of a transit leg.
    public let tripID: String?
    /// The emission factor of the leg's mode (or route), milligrams CO2e per passenger-km.
    public let factorMilligramsPerKm: Int
    /// Where that factor came from (the mode's, the route's OTP factor, or a vehicle-km
    /// factor divided by the route's measured occupancy).
    public let factorSource: FactorSource
    /// Baseline minus mode factor, milligrams CO2e per passenger-km (≥ 0).
    public let savingMilligramsPerKm: Int
    /// The saving before any cap, whole grams (rounded down).
    public let gramsUncapped: Int
    /// The saving after the per-trip cap, whole grams.
    public let grams: Int

    /// The idempotency key (source + event id), made once when the leg is priced.
    public let key: String

    init(line: Int, source: String, eventID: String, contentHash: String, riderID: String, mode: Mode, day: GTFSDate,
         metres: Int, distanceSource: DistanceSource, tripID: String?, factorMilligramsPerKm: Int, factorSource: FactorSource,
         savingMilligramsPerKm: Int, gramsUncapped: Int, grams: Int) {
        self.line = line
        self.source = source
        self.eventID = eventID
        self.contentHash = contentHash
        self.riderID = riderID
        self.mode = mode
        self.day = day
        self.metres = metres
        self.distanceSource = distanceSource
        self.tripID = tripID
        self.factorMilligramsPerKm = factorMilligramsPerKm
        self.factorSource = factorSource
        self.savingMilligramsPerKm = savingMilligramsPerKm
        self.gramsUncapped = gramsUncapped
        self.grams = grams
        key = source + "\u{1F}" + eventID
    }
}

/// Prices trip records: plausibility checks, distance, and the saving against the baseline.
///
/// saving (g) = ⌊ max(0, baseline − mode factor) (mg/pkm) × metres ÷ 1,000,000 ⌋, then capped
/// per trip. Integer arithmetic throughout, so 10 km by bus instead of a petrol car saves
/// exactly (170 − 97) × 10 = 730 g. A transit leg's factor is its route's when the route has
/// one (OTP route factors, or a vehicle-km factor over the route's measured occupancy; see
/// ``RouteFactorTable``), else its mode's.
public struct Pricer: Sendable {
    /// The factor set.
    public let factors: FactorSet
    /// The policy.
    public let policy: Policy
    /// Per-route factors (OTP format) that override the mode factor for a route's legs.
    public let routeFactors: RouteFactors?
    /// Occupancy measured from ridership, which replaces the stated occupancy of factors given
    /// per vehicle-km on the routes it measured.
    public let occupancy: MeasuredOccupancy?
    /// The feed transit legs are checked and measured against.
    public let feed: FeedContext?
    /// Each route's factor.
    public let table: RouteFactorTable
    private let baselineMilligrams: Int

    /// Creates a pricer.
    /// - Parameters:
    ///   - routeFactors: per-route factors (OTP format) for the routes they name.
    ///   - occupancy: occupancy measured from the feed's ridership; used for routes whose
    ///     factor is per vehicle-km (see ``RouteFactorTable``).
    public init(factors: FactorSet, policy: Policy, routeFactors: RouteFactors? = nil,
                occupancy: MeasuredOccupancy? = nil, feed: FeedContext? = nil) {
        self.factors = factors
        self.policy = policy
        self.routeFactors = routeFactors
        self.occupancy = occupancy
        self.feed = feed
        table = RouteFactorTable(factors: factors, routeFactors: routeFactors, occupancy: occupancy)
        baselineMilligrams = factors.baselineMilligramsPerKm
    }

    /// The methodology version recorded on credits: the factor set's version, plus
    /// `+route-factors` when per-route factors are in force and `+measured-occupancy` when
    /// occupancy measured from ridership is.
    public var methodologyVersion: String {
        factors.version + (routeFactors == nil ? "" : "+route-factors") + (occupancy == nil ? "" : "+measured-occupancy")
    }

    /// The longest distance priced, in metres: the Earth's circumference (40,075 km). A record
    /// claiming more is rejected with ``RejectionReason/noDistance``.
    static let maxMetres = 40_075_000

    /// ⌊ savingMilligramsPerKm × metres ÷ 1,000,000 ⌋: whole grams, rounded down.
    /// - Complexity: O(1).
    public static func grams(savingMilligramsPerKm: Int, metres: Int) -> Int {
        guard savingMilligramsPerKm > 0, metres > 0 else { return 0 }
        return savingMilligramsPerKm.multipliedReportingOverflow(by: metres).overflow
            ? Int.max / 1_000_000 : savingMilligramsPerKm * metres / 1_000_000
    }

    /// Prices `record`, or says why it cannot be credited.
    /// - Complexity: O(stops of the trip) for a transit leg, else O(1).
    public func price(_ record: TripRecord) -> Result<PricedLeg, Rejection> {
        func reject(_ reason: RejectionReason, _ detail: String) -> Result<PricedLeg, Rejection> {
            .failure(Rejection(line: record.line, eventID: record.eventID, reason: reason, detail: detail))
        }
        var declared: Mode?
        if let text = record.modeText {
            guard let m = Mode(logName: text) else {
                return reject(.unknownMode, "field 'mode': '\(text)' is not a mode (\(Mode.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard m.isGreen else { return reject(.notGreen, "field 'mode': '\(text)' earns no points") }
            declared = m
        }
        let mode: Mode, metresDouble: Double, source: DistanceSource, day: GTFSDate, seconds: Int64
        var routeID: String?
        if let tripID = record.tripID {
            guard let feed else { return reject(.noFeed, "the record names trip '\(tripID)' but no feed was given (--feed)") }
            // A boarding-only leg: priced by the policy's rule, never by a guessed distance.
            if record.alightStopID == nil { return priceBoardingOnly(record, tripID: tripID, declared: declared, feed: feed) }
            switch transitLeg(record, tripID: tripID, feed: feed) {
            case .failure(let r): return .failure(r)
            case .success(let leg):
                if let declared, declared != leg.mode {
                    return reject(.modeMismatch, "field 'mode': '\(declared.rawValue)' but trip '\(tripID)' is a \(leg.mode.rawValue) trip")
                }
                (mode, metresDouble, source, day, seconds) = (leg.mode, leg.metres, leg.source, leg.date, leg.seconds)
                routeID = leg.route
            }
        } else {
            guard let declared else { return reject(.missingField, "field 'mode' is missing: a trip without trip_id needs it") }
            guard let start = record.start else { return reject(.missingField, "field 'start_time' is missing") }
            guard let end = record.end else { return reject(.missingField, "field 'end_time' is missing") }
            guard end.epochSeconds > start.epochSeconds else {
                return reject(.endBeforeStart, "end_time is \(end.epochSeconds - start.epochSeconds) s after start_time; it must be later")
            }
            mode = declared
            day = start.localDate
            seconds = end.epochSeconds - start.epochSeconds
            if let d = record.distanceMetres {
                (metresDouble, source) = (d, .reported)
            } else if let o = record.origin, let e = record.destination {
                guard o.isValid, e.isValid else { return reject(.wrongType, "start or end coordinates are out of range") }
                (metresDouble, source) = (o.metres(to: e) * Double(factors.detourFactorPermille) / 1000, .greatCircleDetour)
            } else {
                return reject(.noDistance, "no trip_id, distance_m or start/end coordinates")
            }
        }
        guard metresDouble.isFinite, metresDouble >= 0 else { return reject(.noDistance, "the distance could not be measured") }
        // No trip is longer than the Earth's circumference; a larger distance would not even fit an Int.
        guard metresDouble <= Double(Pricer.maxMetres) else {
            return reject(.noDistance, "a distance of \(metresDouble) m is more than the \(Pricer.maxMetres / 1000) km of the Earth's circumference: it cannot be a trip's")
        }
        let metres = Int(metresDouble.rounded(.down))
        let minimum = policy.minDistance(mode)
        guard metres >= minimum else {
            return reject(.belowMinimumDistance, "\(metres) m by \(mode.rawValue) is below the minimum of \(minimum) m")
        }
        if let range = policy.speed(mode) {
            let kmh = Double(metres) / Double(seconds) * 3.6
            guard kmh >= range.min, kmh <= range.max else {
                return reject(.implausibleSpeed, "\(metres) m in \(seconds) s is \((kmh * 10).rounded() / 10) km/h; \(mode.rawValue) must be \(range.min)-\(range.max) km/h")
            }
        }
        guard let (modeMg, factorSource) = table.factor(routeID: routeID, mode: mode) else {
            return reject(.noFactor, "factor set \(factors.id) has no factor for \(mode.rawValue)")
        }
        let saving = max(0, baselineMilligrams - modeMg)
        let uncapped = Pricer.grams(savingMilligramsPerKm: saving, metres: metres)
        return .success(PricedLeg(line: record.line, source: record.source, eventID: record.eventID,
                                  contentHash: record.contentHash, riderID: record.riderID, mode: mode, day: day,
                                  metres: metres, distanceSource: source, tripID: record.tripID,
                                  factorMilligramsPerKm: modeMg, factorSource: factorSource,
                                  savingMilligramsPerKm: saving, gramsUncapped: uncapped,
                                  grams: min(uncapped, policy.caps.perTripGrams)))
    }

    private struct TransitLeg {
        let mode: Mode, metres: Double, source: DistanceSource, date: GTFSDate, seconds: Int64, route: String
    }

    private func transitLeg(_ record: TripRecord, tripID: String, feed: FeedContext) -> Result<TransitLeg, Rejection> {
        func reject(_ reason: RejectionReason, _ detail: String) -> Result<TransitLeg, Rejection> {
            .failure(Rejection(line: record.line, eventID: record.eventID, reason: reason, detail: detail))
        }
        guard let trip = feed.tripCodes[tripID], Int(trip) < feed.tripMode.count else {
            return reject(.unknownTrip, "field 'trip_id': '\(tripID)' is not a trip of the feed")
        }
        let boardID = record.boardStopID ?? "", alightID = record.alightStopID ?? ""
        guard let boardStop = feed.stopCodes[boardID] else { return reject(.unknownStop, "field 'board_stop_id': '\(boardID)' is not a stop of the feed") }
        guard let alightStop = feed.stopCodes[alightID] else { return reject(.unknownStop, "field 'alight_stop_id': '\(alightID)' is not a stop of the feed") }
        guard let mode = feed.tripMode[Int(trip)] else {
            return reject(.noFactor, "trip '\(tripID)' has a route type with no factor (ferry, aerial lift, funicular, …)")
        }
        // Rider times as seconds since service-day midnight, and the service date.
        var date: GTFSDate
        var boardTime: Int32, alightTime: Int32
        if let b = record.boardServiceSeconds, let a = record.alightServiceSeconds, let d = record.serviceDate {
            (date, boardTime, alightTime) = (d, b, a)
        } else {
            guard let start = record.start, let end = record.end else {
                return reject(.missingField, "field 'start_time' or 'end_time' is missing: a transit leg needs both")
            }
            if let d = record.serviceDate {
                date = d
            } else {
                // The agency-local date of boarding; a trip after midnight belongs to the day before.
                let local = start.epochSeconds - feed.serviceDayStart(GTFSDate(daysSinceEpoch: Int(start.epochSeconds / 86_400)))
                var guess = GTFSDate(daysSinceEpoch: Int(start.epochSeconds / 86_400) + (local >= 86_400 ? 1 : local < 0 ? -1 : 0))
                if !feed.calendar.isActive(service: feed.tripService[Int(trip)], on: guess),
                   feed.calendar.isActive(service: feed.tripService[Int(trip)], on: guess.adding(days: -1)) {
                    guess = guess.adding(days: -1)
                }
                date = guess
            }
            let midnight = feed.serviceDayStart(date)
            let b = start.epochSeconds - midnight, a = end.epochSeconds - midnight
            guard b >= -86_400, b < 3 * 86_400, a >= -86_400, a < 3 * 86_400 else {
                return reject(.tripNotRunning, "start_time is more than a day away from service date \(date)")
            }
            (boardTime, alightTime) = (Int32(b), Int32(a))
        }
        guard feed.calendar.isActive(service: feed.tripService[Int(trip)], on: date) else {
            return reject(.tripNotRunning, "trip '\(tripID)' does not run on \(date)")
        }
        guard alightTime > boardTime else {
            return reject(.endBeforeStart, "alighting is \(alightTime - boardTime) s after boarding; it must be later")
        }
        // The leg on the schedule.
        let board: BoardPoint
        if let q = record.boardSequence {
            guard let at = feed.index(ofSequence: q, trip: trip) else {
                return reject(.unknownStop, "trip '\(tripID)' has no stop_sequence \(q)")
            }
            guard at.stop == boardStop else {
                return reject(.unknownStop, "trip '\(tripID)' calls at a different stop than '\(boardID)' at stop_sequence \(q)")
            }
            board = .sequence(q)
        } else {
            board = .stop(boardStop)
        }
        guard let leg = feed.legs.leg(trip: trip, board: board, alight: alightStop) else {
            if let q = record.boardSequence, let at = feed.index(ofSequence: q, trip: trip), feed.calls(alightStop, before: at.index, trip: trip) {
                return reject(.alightBeforeBoard, "trip '\(tripID)' calls at '\(alightID)' only before boarding at '\(boardID)'")
            }
            if record.boardSequence == nil, feed.legs.leg(trip: trip, board: .stop(alightStop), alight: boardStop) != nil {
                return reject(.alightBeforeBoard, "trip '\(tripID)' calls at '\(alightID)' before '\(boardID)'")
            }
            return reject(.unknownStop, "trip '\(tripID)' does not call at '\(boardID)' and then '\(alightID)'")
        }
        if let q = record.alightSequence, let at = feed.index(ofSequence: q, trip: trip), at.index != leg.alightIndex {
            if at.index <= leg.boardIndex {
                return reject(.alightBeforeBoard, "alight stop_sequence \(q) is not after the boarding stop")
            }
            guard at.stop == alightStop else {
                return reject(.unknownStop, "trip '\(tripID)' calls at a different stop than '\(alightID)' at stop_sequence \(q)")
            }
        }
        // Times against the schedule (a frequency trip: the nearest run).
        if leg.departure >= 0 {
            let offset = feed.runOffset(trip: trip, templateDeparture: leg.departure, boardTime: boardTime)
            let dep = leg.departure + offset
            let tol = Int32(clamping: policy.scheduleToleranceSeconds)
            guard abs(boardTime - dep) <= tol else {
                return reject(.offSchedule, "boarding at \(clock(boardTime)) but trip '\(tripID)' leaves '\(boardID)' at \(clock(dep)) (tolerance \(tol) s)")
            }
            if leg.scheduledSeconds >= 0 {
                let arr = dep + leg.scheduledSeconds
                guard abs(alightTime - arr) <= tol else {
                    return reject(.offSchedule, "alighting at \(clock(alightTime)) but trip '\(tripID)' reaches '\(alightID)' at \(clock(arr)) (tolerance \(tol) s)")
                }
            }
        }
        let source: DistanceSource = leg.method == .greatCircle ? .stopPath : .shape
        return .success(TransitLeg(mode: mode, metres: leg.metres, source: source, date: date,
                                   seconds: Int64(alightTime - boardTime), route: feed.tripRoute[Int(trip)]))
    }
}

/// `HH:MM:SS` of seconds since service-day midnight.
func clock(_ s: Int32) -> String {
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60)
}
