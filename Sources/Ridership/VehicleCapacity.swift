public import GTFS
import TransitNetwork

/// The vehicle capacity of one route, from GTFS-ride `trip_capacity.txt`.
public struct RouteCapacity: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// The route code (``IDSpace/route``).
    public var route: Int32
    /// Passengers per vehicle: seated plus standing (Ceder's *c*).
    public var capacity: Int
    /// Seats per vehicle.
    public var seated: Int
    /// Standing places per vehicle.
    public var standing: Int
    /// The route's trips with a usable capacity row.
    public var trips: Int
    /// Of those, the trips whose vehicle has this capacity.
    public var tripsWithCapacity: Int
    /// The distinct (seated, standing) values among the route's trips.
    public var distinctValues: Int
}

/// Vehicle capacity per route, from GTFS-ride `trip_capacity.txt`.
///
/// Each trip's capacity is seated + standing (an empty one of the two read as 0 and reported)
/// from its row with an empty `service_date` (which applies to every date); a trip with only
/// dated rows takes the most common value among them. A route's capacity is the most common
/// (seated, standing) among its trips; ties go to the smaller capacity, the cautious choice
/// (it asks for more service). Rows without `trip_id`, for an undeclared trip, or with no
/// capacity are reported and not used. A route whose trips have no rows has no capacity: the
/// caller must give one (`--capacity`).
public struct VehicleCapacities: Sendable {
    /// One entry per route with a capacity, in `routes.txt` order.
    public let routes: [RouteCapacity]
    /// What was wrong in the file, and routes whose trips' vehicles differ (info).
    public let issues: [RidershipIssue]

    /// Reads the capacities of `input`'s `trip_capacity.txt` (none when it has no such file).
    public init(input: RidershipInput, maxIssuesPerCode: Int = 1000) {
        self.init(feed: input.feed, table: input.tripCapacity, maxIssuesPerCode: maxIssuesPerCode)
    }

    /// Reads the capacities of `table` (a `trip_capacity.txt` linked to `feed`).
    /// - Complexity: O(rows + trips) plus a sort of each route's distinct values.
    public init(feed: Feed, table: Table?, maxIssuesPerCode: Int = 1000) {
        var issues = IssueCollector(maxPerCode: maxIssuesPerCode)
        guard let table, table.rowCount > 0 else {
            routes = []
            self.issues = []
            return
        }
        let file = table.name
        let trip = table.codesOrEmpty("trip_id")
        let date = table.datesOrMissing("service_date")
        let seated = table.integersOrMissing("seated_capacity")
        let standing = table.integersOrMissing("standing_capacity")
        let tripIndex = TripIndex(feed: feed)
        let tripIDs = feed.ids(.trip)
        let definedTrips = Int32(feed.definedCount(.trip))

        struct Value: Hashable, Comparable {
            var seated: Int32
            var standing: Int32
            var total: Int32 { seated + standing }
            static func < (a: Value, b: Value) -> Bool {
                a.total != b.total ? a.total < b.total : a.seated < b.seated
            }
        }
        /// The most common value; ties to the smaller.
        func mode(_ values: [Value]) -> (value: Value, count: Int, distinct: Int)? {
            var counts: [Value: Int] = [:]
            for v in values { counts[v, default: 0] += 1 }
            guard let best = counts.max(by: { x, y in x.value != y.value ? x.value < y.value : y.key < x.key }) else { return nil }
            return (best.key, best.value, counts.count)
        }

        // Per trip: its all-dates values and its dated values.
        var allDates = [[Value]](repeating: [], count: tripIDs.count)
        var dated = [[Value]](repeating: [], count: tripIDs.count)
        for r in 0..<table.rowCount {
            let t = trip[r]
            if t < 0 {
                issues.add(RidershipIssue(.warning, RidershipIssue.Code.unusableCapacity, file: file, line: table.line(of: r), field: "trip_id", value: "",
                                          message: "the row has no trip_id; capacities are read per trip, so it is not used"))
                continue
            }
            if t >= definedTrips || !tripIndex.isDeclared(t) {
                issues.add(RidershipIssue(.error, RidershipIssue.Code.unknownTrip, file: file, line: table.line(of: r), field: "trip_id", value: tripIDs[Int(t)],
                                          message: "trip_id '\(tripIDs[Int(t)])' is not in trips.txt; the row is not used"))
                continue
            }
            var s = seated[r], p = standing[r]
            if s == Column.missingInteger && p == Column.missingInteger {
                issues.add(RidershipIssue(.warning, RidershipIssue.Code.unusableCapacity, file: file, line: table.line(of: r), field: "seated_capacity",
                                          value: table.text("seated_capacity", row: r),
                                          message: "neither seated_capacity nor standing_capacity is given; the row is not used"))
                continue
            }
            for (name, missing) in [("seated_capacity", s == Column.missingInteger), ("standing_capacity", p == Column.missingInteger)] where missing {
                issues.add(RidershipIssue(.warning, RidershipIssue.Code.missingCount, file: file, line: table.line(of: r), field: name,
                                          value: table.text(name, row: r), message: "\(name) is empty or not a count; it is read as 0"))
            }
            if s == Column.missingInteger { s = 0 }
            if p == Column.missingInteger { p = 0 }
            if date[r] < 0 { allDates[Int(t)].append(Value(seated: s, standing: p)) } else { dated[Int(t)].append(Value(seated: s, standing: p)) }
        }

        // Per route: the trips' values.
        let routeCount = feed.ids(.route).count
        var perRoute = [[Value]](repeating: [], count: routeCount)
        for t in 0..<tripIDs.count {
            guard let v = mode(allDates[t].isEmpty ? dated[t] : allDates[t])?.value,
                  let route = tripIndex.route(ofTrip: Int32(t)) else { continue }
            if route >= 0 && Int(route) < routeCount { perRoute[Int(route)].append(v) }
        }
        let routeIDs = feed.ids(.route)
        var out: [RouteCapacity] = []
        for route in 0..<routeCount {
            guard let m = mode(perRoute[route]) else { continue }
            out.append(RouteCapacity(routeID: routeIDs[route], route: Int32(route), capacity: Int(m.value.total),
                                     seated: Int(m.value.seated), standing: Int(m.value.standing),
                                     trips: perRoute[route].count, tripsWithCapacity: m.count, distinctValues: m.distinct))
            if m.distinct > 1 {
                issues.add(RidershipIssue(.info, RidershipIssue.Code.mixedCapacity, file: file,
                                          message: "route '\(routeIDs[route])' runs vehicles of \(m.distinct) capacities; \(m.value.total) (seated \(m.value.seated) + standing \(m.value.standing)), on \(m.count) of its \(perRoute[route].count) trips, is used"))
            }
        }
        routes = out
        self.issues = issues.sorted
    }

    /// The capacity (seated + standing, passengers per vehicle) of route `routeID`, if known.
    /// - Complexity: O(routes).
    public func capacity(ofRoute routeID: String) -> Int? {
        routes.first { $0.routeID == routeID }?.capacity
    }

    /// Capacity per `route_id`, passengers per vehicle.
    public var byRouteID: [String: Int] {
        var out: [String: Int] = [:]
        for r in routes { out[r.routeID] = r.capacity }
        return out
    }
}
