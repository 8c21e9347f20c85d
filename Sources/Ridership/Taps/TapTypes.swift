public import TransitNetwork

/// Why a tap was rejected, left unmatched, or left without an alighting stop: a stable
/// snake_case code (``rawValue``) for scripts, summaries and `rider_trip.txt`.
public enum TapReason: String, Sendable, Hashable, CaseIterable, Codable, Error {
    // Rejected lines: not taps at all.
    /// A required field (`tap_id`, `card_id`, `tap_time`, `route_id`, and `stop_id` or
    /// `lat`,`lon`) is missing or empty.
    case missingField = "missing_field"
    /// `tap_time` is not ISO 8601 with an offset.
    case badTime = "bad_time"
    /// `lat`/`lon` are not a position in degrees.
    case badPosition = "bad_position"
    /// A field is longer than ``TapFile/maxFieldBytes``.
    case fieldTooLong = "field_too_long"
    /// The line cannot be split (an unclosed quote, JSON that is not an object, over
    /// ``TapFile/maxLineBytes``).
    case badLine = "bad_line"
    /// A second tap of the same card with the same `tap_id`: it is left out of the chains.
    case duplicateTap = "duplicate_tap"

    // Taps that could not be matched to a scheduled trip: they still mark where the card
    // boarded, for the previous tap's alighting.
    /// `route_id` is not a route of the feed.
    case unknownRoute = "unknown_route"
    /// `stop_id` is not a stop of the feed.
    case unknownStop = "unknown_stop"
    /// No stop of the route's trips lies within ``TapInferenceOptions/positionRadius`` of
    /// the tap's position.
    case noStopNearPosition = "no_stop_near_position"
    /// No trip of the route running on the date calls at the stop within
    /// ``TapInferenceOptions/matchTolerance`` of the tap's time.
    case noTripMatch = "no_trip_match"
    /// The tap's time is outside the service day of the date (before its midnight, or after
    /// its last scheduled departure, by more than the match tolerance): it belongs to another
    /// day's file. It is left out of the card's chain.
    case outsideServiceDay = "outside_service_day"

    // Matched taps whose alighting could not be inferred.
    /// The card's only tap of the day: nothing to chain to.
    case singleTap = "single_tap"
    /// The stop after the boarding closest to the next boarding is farther than
    /// ``TapInferenceOptions/walkingLimit``.
    case beyondWalkingLimit = "beyond_walking_limit"
    /// The next boarding comes before the trip reaches any later stop (or is earlier on the
    /// same trip).
    case nextBoardingEarlier = "next_boarding_earlier"
    /// The tap boarded at the trip's last stop: there is no later stop to alight at.
    case lastStop = "last_stop"
    /// The next tap has no place (not matched and without a known stop or position).
    case nextTapUnplaced = "next_tap_unplaced"
    /// The day's last tap when chaining the last tap to the first is turned off.
    case noNextTap = "no_next_tap"

    /// Whether the code rejects the line (it is not a tap).
    public var isRejection: Bool {
        switch self {
        case .missingField, .badTime, .badPosition, .fieldTooLong, .badLine, .duplicateTap: true
        default: false
        }
    }

    /// Whether the code says the tap was not matched to a trip.
    public var isUnmatched: Bool {
        switch self {
        case .unknownRoute, .unknownStop, .noStopNearPosition, .noTripMatch, .outsideServiceDay: true
        default: false
        }
    }
}

/// How a tap was matched to a scheduled trip.
public enum TapMatchMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// The tap's own `trip_id`, running on the date on that route and calling at the stop (or
    /// near the position); the call nearest in time is the boarding.
    case tripID = "trip_id"
    /// The route, the stop and the time: the route's trip whose departure at the stop is
    /// nearest the tap within the tolerance.
    case stopTime = "stop_time"
    /// The route, the stops of its trips near the GPS position, and the time.
    case positionTime = "position_time"
}

/// How an alighting stop was inferred.
public enum TapAlightingMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// From the card's next tap of the day.
    case nextTap = "next_tap"
    /// The day's last tap, from the card's first tap of the day (the return home).
    case firstTap = "first_tap"
}

/// What happened between an alighting and the card's next boarding.
public enum TapLink: String, Sendable, Hashable, CaseIterable, Codable {
    /// A gap up to ``TapInferenceOptions/transferLimit``: one linked journey.
    case transfer
    /// A longer gap: the rider did something there.
    case activity
    /// The last leg of the day, chained to the first boarding.
    case home
}

/// The thresholds of tap inference. Every one is documented with its default, and each is a
/// `transit ridership infer` option.
public struct TapInferenceOptions: Sendable, Hashable {
    /// How far (seconds) a tap may be from the scheduled departure at its stop to match that
    /// trip; the nearest departure within it wins. Default 600 s.
    public var matchTolerance: Int32 = 600
    /// How far (metres) a GPS position may be from a stop of the route to board there.
    /// Default 150 m.
    public var positionRadius: Double = 150
    /// The longest walk (metres) from the alighting stop to the next boarding. Default 400 m,
    /// the rule of Lei et al. 2021.
    public var walkingLimit: Double = 400
    /// The longest gap (seconds) from alighting to the next boarding that is still a transfer;
    /// longer is an activity. Default 1800 s (30 min, Lei et al. 2021).
    public var transferLimit: Int32 = 1800
    /// How much later (seconds) than the next tap the estimated arrival at an alighting stop
    /// may be (the arrival is the scheduled one shifted by the boarding's own delay).
    /// Default 300 s.
    public var timeSlack: Int32 = 300
    /// Whether the day's last tap is chained to its first (the return home). Default true.
    public var chainLastToFirst = true
    /// The day's periods, for expansion groups; a boarding outside all of them forms a group
    /// of its own. Default: the network's standard periods.
    public var periods: [Period]

    /// The defaults.
    public init() {
        periods = (try? Period.parse(NetworkDefaults.periods)) ?? []
    }
}

/// The outcome for one tap, in the order the taps were added.
public struct TapOutcome: Sendable, Hashable {
    /// The matched trip's code, or -1.
    public var trip: Int32 = -1
    /// The boarding's position in the feed's ``GTFS/StopTimeIndex`` (the trip's call), or -1.
    public var boardPosition: Int32 = -1
    /// The alighting's position in the stop-time index, or -1 when not inferred.
    public var alightPosition: Int32 = -1
    /// The tap's time in seconds since service-day midnight.
    public var serviceTime: Int32 = 0
    /// How the trip was matched; nil when unmatched.
    public var match: TapMatchMethod?
    /// How the alighting was inferred; nil when it was not.
    public var alighting: TapAlightingMethod?
    /// Why the tap was not matched, or has no alighting; nil when it has one.
    public var reason: TapReason?
    /// What follows the alighting; nil when there is none.
    public var link: TapLink?
    /// Metres from the alighting stop to the boarding it was chained to.
    public var alightMetres: Int32 = -1
    /// Whether the boarding continues a journey (the previous leg's link is a transfer).
    public var isTransfer = false
}

/// What an inference run did, for the summary.
public struct TapSummary: Sendable, Hashable, Codable {
    /// Non-empty lines read (header excluded).
    public var tapsRead = 0
    /// Lines rejected, by reason.
    public var rejected: [String: Int] = [:]
    /// Taps matched to a trip, by method.
    public var matched: [String: Int] = [:]
    /// Taps not matched, by reason.
    public var unmatched: [String: Int] = [:]
    /// Alightings inferred, by method.
    public var alightings: [String: Int] = [:]
    /// Matched taps left without an alighting, by reason.
    public var unresolved: [String: Int] = [:]
    /// Links from alighting to the next boarding, by kind.
    public var links: [String: Int] = [:]
    /// Distinct cards.
    public var cards = 0
    /// Unresolved boardings whose alightings were scaled, by the basis used: `same_boarding_stop`
    /// (resolved taps of the group boarding at the same stop), `group_alightings` (all resolved
    /// alightings of the group), `route_direction` (any period), `uniform` (no resolved tap).
    public var scaledBy: [String: Int] = [:]
    /// Trips written to `board_alight.txt`.
    public var tripsCounted = 0

    /// Taps matched, over all methods.
    public var matchedTotal: Int { matched.values.reduce(0, +) }
    /// Alightings inferred, over both methods.
    public var alightingsTotal: Int { alightings.values.reduce(0, +) }
    /// Transfers among the links.
    public var transfers: Int { links[TapLink.transfer.rawValue] ?? 0 }

    /// An empty summary.
    public init() {}
}
