public import GTFS
public import TransitNetwork

/// Each trip's direction: `direction_id` from `trips.txt` when it is 0 or 1, else the
/// direction ``DirectionInference`` infers from the route's geometry (``TripIndex/directions``
/// with the inference applied).
public struct TripDirections: Sendable {
    /// Per trip code, its direction (0 or 1); 0 for a trip without a `trips.txt` row.
    public let directions: [Int32]
    /// How many declared trips had no usable `direction_id` (their direction was inferred).
    public let inferredCount: Int

    /// Reads the directions of `feed`'s trips, inferring the missing ones (with `inference`
    /// when given, else one built here only if some trip needs it).
    /// - Complexity: O(trips), plus the inference when needed.
    public init(feed: Feed, patterns: RoutePatterns? = nil, inference: DirectionInference? = nil) {
        let index = patterns?.tripIndex ?? TripIndex(feed: feed)
        let inferred = index.withoutFileDirection > 0 ? (inference ?? DirectionInference(feed: feed, patterns: patterns)) : nil
        self.directions = index.inferring(inferred).directions
        self.inferredCount = index.withoutFileDirection
    }

    /// The direction of trip code `trip` (0 for an unknown code).
    /// - Complexity: O(1).
    public func direction(ofTrip trip: Int32) -> Int32 {
        trip >= 0 && Int(trip) < directions.count ? directions[Int(trip)] : 0
    }
}

/// The length of each route direction: its longest pattern (distinct stop sequence), first
/// stop to last, in kilometres. Ceder's *L* in the load-profile method.
///
/// A pattern's length is the distance of its last stop from its first along its first trip,
/// from ``ShapeDistances`` (`shape_dist_traveled`, projection on the shape, or great-circle
/// distance between stops, in that order of preference). Directions are ``TripDirections``'.
public struct RouteLengths: Sendable {
    /// Kilometres per route code and direction, at `route × 2 + direction`; NaN where the
    /// direction has no pattern.
    public let kilometres: [Double]

    /// Measures every route direction of `feed`.
    /// - Complexity: O(patterns).
    public init(feed: Feed, patterns: RoutePatterns, distances: ShapeDistances, directions: TripDirections) {
        var km = [Double](repeating: .nan, count: 2 * feed.ids(.route).count)
        for p in patterns.patterns {
            guard p.route >= 0, let first = p.trips.first,
                  let length = distances.metres(ofTrip: first).last, length.isFinite else { continue }
            let slot = Int(p.route) * 2 + (directions.direction(ofTrip: first) == 1 ? 1 : 0)
            guard slot < km.count else { continue }
            let value = length / 1000
            if km[slot].isNaN || value > km[slot] { km[slot] = value }
        }
        self.kilometres = km
    }

    /// The length in kilometres of route code `route` in `direction` (0 or 1), or `nil` when
    /// the route has no trip with stops in that direction.
    /// - Complexity: O(1).
    public func kilometres(route: Int32, direction: Int) -> Double? {
        guard route >= 0, direction == 0 || direction == 1 else { return nil }
        let slot = Int(route) * 2 + direction
        guard slot < kilometres.count, !kilometres[slot].isNaN else { return nil }
        return kilometres[slot]
    }
}
