public import GTFS

/// The counts of one trip on one service date, walked stop by stop: boardings, alightings and
/// the load after each stop, over every stop of the trip's `stop_times.txt`.
///
/// Stops without a counted row have 0 boardings and alightings (``counted`` is `false`); the
/// load passes them unchanged. The load after stop *i* is the load before plus boardings
/// minus alightings; where that would be negative it is set to 0 (and ``clamped`` is `true`).
public struct TripLoadProfile: Sendable, Hashable {
    /// `trip_id`.
    public var tripID: String
    /// The trip code (``IDSpace/trip``).
    public var trip: Int32
    /// `route_id`.
    public var routeID: String
    /// The route code (``IDSpace/route``).
    public var route: Int32
    /// The direction (0 or 1): `direction_id`, else inferred.
    public var direction: Int
    /// The service date, or `nil` for rows without `service_date` (taken as one date).
    public var date: GTFSDate?
    /// The `stop_id` of each stop, in `stop_sequence` order.
    public var stopIDs: [String]
    /// The stop codes (``IDSpace/stop``).
    public var stops: [Int32]
    /// `stop_sequence` of each stop.
    public var sequences: [Int32]
    /// When the vehicle leaves each stop, seconds since service-day midnight: the scheduled
    /// departure (else arrival, else interpolated by distance between timed stops); for a
    /// frequency-based trip the counted `service_departure_time` (else
    /// `service_arrival_time`), the other stops shifted by the template's times.
    public var times: [Int32]
    /// The index of the period each stop event falls in (in the analysis' period list), or -1
    /// when it falls in none.
    public var periods: [Int]
    /// Passengers boarding at each stop.
    public var boardings: [Int32]
    /// Passengers alighting at each stop.
    public var alightings: [Int32]
    /// Passengers on board when the vehicle leaves each stop.
    public var loadAfter: [Int32]
    /// Distance of each stop from the trip's first stop along the route, metres.
    public var metres: [Double]
    /// Whether a `board_alight.txt` row gave the counts of each stop.
    public var counted: [Bool]
    /// Whether the walk met a negative load and set it to 0.
    public var clamped: Bool
    /// The weight of this profile in an average day: 1 / the number of service dates the trip
    /// was observed on.
    public var weight: Double

    /// The largest load after any stop, passengers.
    public var maxLoad: Int32 { loadAfter.max() ?? 0 }
    /// All boardings of the trip, passengers.
    public var totalBoardings: Int { boardings.reduce(0) { $0 + Int($1) } }
    /// Passenger-kilometres: Σ load after stop *i* × length of the segment to stop *i* + 1, km.
    public var passengerKm: Double { TripLoadProfile.passengerKm(loadAfter: loadAfter, metres: metres) }

    /// Σ `loadAfter[i]` × (`metres[i + 1]` − `metres[i]`) ÷ 1000 over the segments both arrays
    /// cover; a segment whose distance goes backwards counts as 0 km.
    public static func passengerKm(loadAfter: [Int32], metres: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<max(0, min(loadAfter.count, metres.count) - 1) {
            sum += Double(loadAfter[i]) * max(0, metres[i + 1] - metres[i]) / 1000
        }
        return sum
    }
}
