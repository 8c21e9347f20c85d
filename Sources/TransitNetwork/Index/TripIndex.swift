public import GTFS

/// What a feed says about each trip code, linked once: its first `trips.txt` row, its route,
/// its shape and its direction.
///
/// Every per-trip question the Network, Ridership and Timetable modules ask goes through
/// this one index, so the rule "a trip is described by the first `trips.txt` row with its
/// `trip_id`" and the range checks on trip codes live in one place:
///
/// - ``row(ofTrip:)``, ``route(ofTrip:)`` and ``shape(ofTrip:)`` are `nil` for a code outside
///   the feed's trip codes or a trip without a `trips.txt` row;
/// - ``direction(ofTrip:)`` is the `direction_id` when it is 0 or 1, else the direction
///   ``DirectionInference`` inferred when one was given, else 0.
///
/// Arrays are indexed by trip code (``IDSpace/trip``), so the index costs a few words per
/// trip code and each accessor is O(1).
public struct TripIndex: Sendable {
    /// Per trip code, its first row in `trips.txt`, or -1 when it has none.
    public let rows: [Int32]
    /// Per trip code, its route code (``IDSpace/route``), or -1 when it has no `trips.txt`
    /// row (a row with an empty `route_id` also reads -1).
    public let routes: [Int32]
    /// Per trip code, its direction (0 or 1): `direction_id` when usable, else inferred, else 0.
    public let directions: [Int32]
    /// Per trip code, whether its first `trips.txt` row has a `direction_id` of 0 or 1.
    public let hasFileDirection: [Bool]
    /// How many trip codes have a `trips.txt` row without a usable `direction_id`.
    public let withoutFileDirection: Int
    /// The shape code column of `trips.txt` (read through ``rows``).
    private let shapeOfRow: [Int32]

    /// Links `feed`'s trips: the first `trips.txt` row of each trip code, its route and its
    /// `direction_id`. Trips without a usable `direction_id` get direction 0.
    /// - Complexity: O(trips).
    public init(feed: Feed) {
        let trips = feed.trips
        let tripCount = feed.ids(.trip).count
        var rows = [Int32](repeating: -1, count: tripCount)
        var routes = [Int32](repeating: -1, count: tripCount)
        var directions = [Int32](repeating: 0, count: tripCount)
        var hasFile = [Bool](repeating: false, count: tripCount)
        var without = 0
        for row in 0..<trips.count {
            let t = trips.id[row]
            guard t >= 0, Int(t) < tripCount, rows[Int(t)] < 0 else { continue }
            rows[Int(t)] = Int32(row)
            routes[Int(t)] = trips.route[row]
            if let d = DirectionInference.fileDirection(trips.direction[row]) {
                directions[Int(t)] = d
                hasFile[Int(t)] = true
            } else {
                without += 1
            }
        }
        self.rows = rows
        self.routes = routes
        self.directions = directions
        self.hasFileDirection = hasFile
        self.withoutFileDirection = without
        self.shapeOfRow = trips.shape
    }

    /// Links `feed`'s trips and takes the direction of those without a usable `direction_id`
    /// from `inference` (0 when `inference` is `nil`).
    /// - Complexity: O(trips).
    public init(feed: Feed, inference: DirectionInference?) {
        self = TripIndex(feed: feed).inferring(inference)
    }

    private init(rows: [Int32], routes: [Int32], directions: [Int32], hasFileDirection: [Bool],
                 withoutFileDirection: Int, shapeOfRow: [Int32]) {
        self.rows = rows
        self.routes = routes
        self.directions = directions
        self.hasFileDirection = hasFileDirection
        self.withoutFileDirection = withoutFileDirection
        self.shapeOfRow = shapeOfRow
    }

    /// This index with the directions of the trips without a usable `direction_id` taken from
    /// `inference` (unchanged when `inference` is `nil`).
    /// - Complexity: O(trip codes) when `inference` is given and some trip needs it, else O(1).
    public func inferring(_ inference: DirectionInference?) -> TripIndex {
        guard let inference, withoutFileDirection > 0 else { return self }
        var directions = self.directions
        for t in directions.indices where rows[t] >= 0 && !hasFileDirection[t] {
            directions[t] = inference.direction(ofTrip: Int32(t))
        }
        return TripIndex(rows: rows, routes: routes, directions: directions, hasFileDirection: hasFileDirection,
                         withoutFileDirection: withoutFileDirection, shapeOfRow: shapeOfRow)
    }

    /// The number of trip codes (declared or only referenced).
    public var count: Int { rows.count }

    /// Whether `trip` is a trip code of the feed with a `trips.txt` row.
    /// - Complexity: O(1).
    @inline(__always)
    public func isDeclared(_ trip: Int32) -> Bool {
        trip >= 0 && Int(trip) < rows.count && rows[Int(trip)] >= 0
    }

    /// The first `trips.txt` row of trip code `trip`, or `nil` for an unknown or undeclared code.
    /// - Complexity: O(1).
    @inline(__always)
    public func row(ofTrip trip: Int32) -> Int? {
        isDeclared(trip) ? Int(rows[Int(trip)]) : nil
    }

    /// The route code of trip code `trip`, or `nil` for an unknown or undeclared code (a
    /// declared trip with an empty `route_id` gives -1).
    /// - Complexity: O(1).
    @inline(__always)
    public func route(ofTrip trip: Int32) -> Int32? {
        isDeclared(trip) ? routes[Int(trip)] : nil
    }

    /// The direction (0 or 1) of trip code `trip`; 0 for an unknown code.
    /// - Complexity: O(1).
    @inline(__always)
    public func direction(ofTrip trip: Int32) -> Int32 {
        trip >= 0 && Int(trip) < directions.count ? directions[Int(trip)] : 0
    }

    /// The shape code of trip code `trip` (-1 when its `shape_id` is empty), or `nil` for an
    /// unknown or undeclared code.
    /// - Complexity: O(1).
    @inline(__always)
    public func shape(ofTrip trip: Int32) -> Int32? {
        row(ofTrip: trip).map { shapeOfRow[$0] }
    }
}
