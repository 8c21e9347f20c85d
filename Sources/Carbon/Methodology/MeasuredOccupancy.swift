public import GTFS
public import TransitNetwork
public import Ridership

/// The occupancy of one route measured from ridership counts: passenger-km over vehicle-km
/// of the observed trips.
public struct RouteOccupancy: Sendable, Equatable {
    /// `route_id`.
    public let routeID: String
    /// The mode of the route's `route_type`, or `nil` for a type with no factor.
    public let mode: Mode?
    /// Passenger-km of the observed trips: Σ load leaving stop *i* × distance from stop *i* to
    /// stop *i* + 1 along the shape, km.
    public let passengerKm: Double
    /// Vehicle-km of the same trips: Σ distance from the first stop to the last, km.
    public let vehicleKm: Double
    /// Observed trips (one per trip and service date counted).
    public let observedTrips: Int

    /// Creates a measurement.
    public init(routeID: String, mode: Mode?, passengerKm: Double, vehicleKm: Double, observedTrips: Int) {
        self.routeID = routeID
        self.mode = mode
        self.passengerKm = passengerKm
        self.vehicleKm = vehicleKm
        self.observedTrips = observedTrips
    }

    /// The mean number of passengers on board, passenger-km ÷ vehicle-km, or `nil` when it
    /// cannot be used: no vehicle-km, or no passenger-km (an occupancy of 0 would make the
    /// factor per passenger-km infinite).
    public var occupancy: Double? {
        guard vehicleKm > 0, passengerKm > 0, passengerKm.isFinite, vehicleKm.isFinite else { return nil }
        return passengerKm / vehicleKm
    }
}

/// Mean occupancy per route measured from GTFS-ride `board_alight.txt`: what a factor per
/// vehicle-km is divided by to give the route's factor per passenger-km.
///
/// The counts are walked into load profiles by the Ridership module's `RidershipAnalysis`
/// (one per trip and service date: load leaving each stop = load before + boardings −
/// alightings, negative loads set to 0, rows it cannot use skipped and reported). For each
/// route, over every observed trip and date:
///
/// - passenger-km = Σ load leaving stop *i* × (distance of stop *i* + 1 − distance of stop *i*),
/// - vehicle-km = Σ (distance of the last stop − distance of the first stop),
///
/// with distances along the trip's shape from ``TransitNetwork/ShapeDistances``
/// (`shape_dist_traveled`, else the stops projected on the shape, else great-circle between
/// stops). The occupancy is passenger-km ÷ vehicle-km: the mean load over the distance the
/// vehicles ran, counted trips only. Every observed trip and date weighs the same.
public struct MeasuredOccupancy: Sendable {
    /// One entry per route with observed trips, in `routes.txt` order.
    public let routes: [RouteOccupancy]
    /// Where `board_alight.txt` came from: `feed` or the path given.
    public let source: String
    /// What reading and walking the counts found (rows skipped, loads clamped, …).
    public let issues: [RidershipIssue]

    /// Creates a measurement from values already computed.
    public init(routes: [RouteOccupancy], source: String, issues: [RidershipIssue] = []) {
        self.routes = routes
        self.source = source
        self.issues = issues
    }

    /// Measures the occupancy of every route with counts in `input`.
    /// - Parameters:
    ///   - input: the feed and its `board_alight.txt`.
    ///   - distances: stop distances already computed for `input.feed`, to save computing
    ///     them again.
    /// - Throws: ``CarbonError`` `no_ridership` when there is no `board_alight.txt` or it has
    ///   no rows.
    /// - Complexity: O(r log r) for r rows, plus the stops of the observed trips.
    public static func measure(input: RidershipInput, distances: ShapeDistances? = nil) throws(CarbonError) -> MeasuredOccupancy {
        let distances = distances ?? ShapeDistances(feed: input.feed)
        let analysis: RidershipAnalysis
        do {
            analysis = try RidershipAnalysis(input: input, periods: [], distances: distances)
        } catch {
            throw CarbonError(.noRidership, file: input.boardAlightSource == "feed" ? "board_alight.txt" : input.boardAlightSource,
                              error.description, underlying: error)
        }
        return MeasuredOccupancy(profiles: analysis.profiles, feed: input.feed, distances: distances,
                                 source: input.boardAlightSource, issues: analysis.issues)
    }

    /// Sums load profiles per route (see the type's discussion), measuring each trip with
    /// `distances`; a profile whose trip has no distance for every stop is left out.
    /// - Complexity: O(stops of the profiles + routes).
    public init(profiles: [TripLoadProfile], feed: Feed, distances: ShapeDistances, source: String,
                issues: [RidershipIssue] = []) {
        let routeIDs = feed.ids(.route)
        var modes = [Mode?](repeating: nil, count: routeIDs.count)
        let table = feed.routes
        for row in 0..<table.count {
            let r = Int(table.id[row])
            if r >= 0, r < modes.count, modes[r] == nil { modes[r] = Mode(routeType: table.type[row]) }
        }
        var pkm = [Double](repeating: 0, count: routeIDs.count)
        var vkm = [Double](repeating: 0, count: routeIDs.count)
        var trips = [Int](repeating: 0, count: routeIDs.count)
        for p in profiles {
            let r = Int(p.route)
            let metres = Array(distances.metres(ofTrip: p.trip))
            guard r >= 0, r < routeIDs.count, let first = metres.first, let last = metres.last,
                  metres.allSatisfy(\.isFinite), p.loadAfter.count == metres.count else { continue }
            pkm[r] += TripLoadProfile.passengerKm(loadAfter: p.loadAfter, metres: metres)
            vkm[r] += max(0, last - first) / 1000
            trips[r] += 1
        }
        var out: [RouteOccupancy] = []
        for r in 0..<routeIDs.count where trips[r] > 0 {
            out.append(RouteOccupancy(routeID: routeIDs[r], mode: modes[r], passengerKm: pkm[r], vehicleKm: vkm[r], observedTrips: trips[r]))
        }
        self.routes = out
        self.source = source
        self.issues = issues
    }

    /// The measurement of `routeID`, if the route has observed trips.
    /// - Complexity: O(routes).
    public func route(_ routeID: String) -> RouteOccupancy? { routes.first { $0.routeID == routeID } }
}
