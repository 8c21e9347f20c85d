public import TransitNetwork
public import Ridership

/// The frequency-setting methods of Ceder this module implements.
///
/// Source: A. Ceder, *Public Transit Planning and Operation: Modeling, Practice and Behavior*
/// (CRC Press), chapter "Frequency and headway determination"; first published as A. Ceder,
/// "Bus frequency determination using passenger count data", *Transportation Research Part A*
/// 18A(5/6):439-453, 1984. Notation: *P_m* the load at the maximum load point, *d₀* the
/// desired occupancy per vehicle (capacity × load factor), *c* the vehicle capacity, *A* the
/// area under the load profile (passenger-km), *L* the route length (km), *F_m* the policy
/// minimum frequency.
public enum CederMethod: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Method 2, the maximum load point in each period: F = max(P_m / d₀, F_m).
    case maxLoadPoint = 2
    /// Method 3, the load profile: F = max(A / (d₀ · L), P_m / c, F_m).
    case loadProfile = 3

    /// `method 2 (max load point)` or `method 3 (load profile)`.
    public var description: String {
        switch self {
        case .maxLoadPoint: "method 2 (max load point)"
        case .loadProfile: "method 3 (load profile)"
        }
    }
}

/// Which term of a Ceder formula set the frequency.
public enum FrequencyTerm: String, Sendable, Hashable, CaseIterable {
    /// P_m / d₀: the maximum load point at the desired occupancy.
    case maxLoad = "max_load"
    /// A / (d₀ · L): the average load along the route at the desired occupancy (method 3).
    case averageLoad = "average_load"
    /// P_m / c: the maximum load point at full capacity (method 3).
    case capacity
    /// F_m: the policy minimum frequency (the maximum headway).
    case policy
}

/// The inputs of a reference plan other than demand.
public struct ReferenceSettings: Sendable {
    /// The allowed headways of the default list, minutes: 3, 4, 5, 6, 8, 10, 12, 15, 20, 30,
    /// 45, 60 (in seconds in ``defaultAllowedHeadways``).
    public static let defaultAllowedHeadways: [Int] = [3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60].map { $0 * 60 }

    /// Vehicle capacity *c* per `route_id`, passengers per vehicle (seated + standing).
    public var capacities: [String: Double]
    /// The capacity of routes not in ``capacities``, passengers per vehicle; `nil` makes such
    /// a route an error (``PlannerError/missingCapacity(routeID:)``).
    public var defaultCapacity: Double?
    /// The load factor: the desired occupancy d₀ = c × load factor (1 = plan to full capacity).
    public var loadFactor: Double
    /// The headways a plan may use, seconds (any order; at least one, all > 0).
    public var allowedHeadways: [Int]
    /// The policy maximum headway of routes not in ``policyHeadways``, seconds: the minimum
    /// frequency F_m = 3600 / it, vehicles per hour.
    public var policyHeadway: Int
    /// The policy maximum headway per `route_id`, seconds.
    public var policyHeadways: [String: Int]

    /// Creates settings.
    /// - Parameters:
    ///   - capacities: *c* per route, passengers per vehicle (`VehicleCapacities.byRouteID`
    ///     gives them from `trip_capacity.txt`).
    ///   - defaultCapacity: *c* for other routes.
    ///   - loadFactor: d₀ / c (default 1).
    ///   - allowedHeadways: seconds (default ``defaultAllowedHeadways``).
    ///   - policyHeadway: the default maximum headway, seconds (default 3600).
    ///   - policyHeadways: maximum headways per route, seconds.
    public init(capacities: [String: Double] = [:], defaultCapacity: Double? = nil, loadFactor: Double = 1,
                allowedHeadways: [Int] = ReferenceSettings.defaultAllowedHeadways, policyHeadway: Int = 3600,
                policyHeadways: [String: Int] = [:]) {
        self.capacities = capacities
        self.defaultCapacity = defaultCapacity
        self.loadFactor = loadFactor
        self.allowedHeadways = allowedHeadways
        self.policyHeadway = policyHeadway
        self.policyHeadways = policyHeadways
    }

    /// The policy maximum headway of `routeID`, seconds.
    public func policyHeadway(of routeID: String) -> Int { policyHeadways[routeID] ?? policyHeadway }

    /// Checks every value: throws the first that is out of its domain.
    /// - Throws: ``PlannerError/invalidSetting(name:value:reason:)``.
    public func validate() throws(PlannerError) {
        guard loadFactor.isFinite, loadFactor > 0 else {
            throw .invalidSetting(name: "load factor", value: "\(loadFactor)", reason: "it must be a finite number > 0 (d0 = capacity × load factor)")
        }
        if let c = defaultCapacity, !(c.isFinite && c > 0) {
            throw .invalidSetting(name: "capacity", value: "\(c)", reason: "it must be a finite number of passengers > 0")
        }
        for (route, c) in capacities.sorted(by: { $0.key < $1.key }) where !(c.isFinite && c > 0) {
            throw .invalidSetting(name: "capacity of route '\(route)'", value: "\(c)", reason: "it must be a finite number of passengers > 0")
        }
        guard !allowedHeadways.isEmpty else {
            throw .invalidSetting(name: "allowed headways", value: "", reason: "give at least one headway")
        }
        for h in allowedHeadways where h <= 0 {
            throw .invalidSetting(name: "allowed headway", value: "\(h) s", reason: "headways must be > 0 seconds")
        }
        guard policyHeadway > 0 else {
            throw .invalidSetting(name: "policy headway", value: "\(policyHeadway) s", reason: "it must be > 0 seconds")
        }
        for (route, h) in policyHeadways.sorted(by: { $0.key < $1.key }) where h <= 0 {
            throw .invalidSetting(name: "policy headway of route '\(route)'", value: "\(h) s", reason: "it must be > 0 seconds")
        }
    }
}

/// A route running in a period (so it gets at least its policy headway without demand).
public struct RoutePeriod: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// The period's index in the plan's period list.
    public var periodIndex: Int

    /// Creates a route-period.
    public init(routeID: String, periodIndex: Int) {
        self.routeID = routeID
        self.periodIndex = periodIndex
    }

    /// The routes and periods of `summary` that have departures, as indices of `periods`
    /// (matched by period name; periods of the summary not in `periods` are left out), in
    /// the summary's row order without repeats.
    public static func running(in summary: ServiceSummary, periods: [Period]) -> [RoutePeriod] {
        var seen: Set<RoutePeriod> = []
        var out: [RoutePeriod] = []
        for row in summary.rows where row.trips > 0 {
            guard let p = periods.firstIndex(where: { $0.name == row.period }) else { continue }
            let rp = RoutePeriod(routeID: row.routeID, periodIndex: p)
            if seen.insert(rp).inserted { out.append(rp) }
        }
        return out
    }
}

/// The headway one direction of a route needs in one period.
public struct DirectionHeadway: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// 0 or 1.
    public var direction: Int
    /// The period's index in the plan's period list.
    public var periodIndex: Int
    /// The period's name.
    public var period: String
    /// The method used: ``CederMethod/maxLoadPoint`` also when the load-profile method was
    /// asked for but passenger-km or the route length is unknown (``fellBack``).
    public var method: CederMethod
    /// Whether the load-profile method fell back to the maximum load point.
    public var fellBack: Bool
    /// P_m / T: passengers per hour past the maximum load point.
    public var maxLoadPerHour: Double
    /// A / (L · T): the average load along the route per hour (passenger-km / route-km / hours),
    /// when known.
    public var averageLoadPerHour: Double?
    /// *c*, passengers per vehicle.
    public var capacity: Double
    /// d₀ = c × load factor, passengers per vehicle.
    public var desiredOccupancy: Double
    /// F, vehicles per hour: the largest of the method's terms.
    public var frequency: Double
    /// The term that gave ``frequency``.
    public var binding: FrequencyTerm
    /// 3600 / F, seconds: the longest headway that carries the demand.
    public var requiredHeadway: Double
    /// The largest allowed headway ≤ ``requiredHeadway`` (the smallest allowed one when none is),
    /// seconds.
    public var headway: Int
    /// Whether even the smallest allowed headway runs fewer vehicles than F (the demand cannot
    /// be carried at d₀ within the allowed headways).
    public var capacityShortfall: Bool
}

/// The headway of one route in one period: one value for both directions, since vehicles
/// cycle through both.
public struct RouteHeadway: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// The period's index in the plan's period list.
    public var periodIndex: Int
    /// The period's name.
    public var period: String
    /// The smaller of the directions' headways (or the policy headway without demand), seconds.
    public var headway: Int
    /// The direction whose demand set ``headway`` (the one with the higher frequency), or `nil`
    /// without demand.
    public var drivingDirection: Int?
    /// The directions with demand, by direction.
    public var directions: [DirectionHeadway]
    /// Whether some direction cannot be carried even at the smallest allowed headway.
    public var capacityShortfall: Bool
    /// Whether the route runs in the period without demand there, so that it gets the policy
    /// headway (the largest allowed headway ≤ its policy maximum).
    public var fromPolicy: Bool
}

/// A reference plan by one of Ceder's classical methods: a headway per route and period.
///
/// Per route, direction and period with demand (`RouteDemand`, totals over a period of
/// length *T* hours), with *c* the route's capacity, d₀ = c × load factor and
/// F_m = 3600 / the route's policy maximum headway (vehicles per hour):
///
/// - **Method 2** (max load point per period): F = max((P_m / T) / d₀, F_m).
/// - **Method 3** (load profile): F = max((A / L) / T / d₀, (P_m / T) / c, F_m), with
///   A / L = passenger-km / route-km (`RouteDemand.averageLoad`). Without passenger-km or a
///   route length the direction falls back to method 2 and says so
///   (``DirectionHeadway/fellBack``).
/// - **Headway**: 3600 / F seconds, rounded **down** to an allowed headway (the largest one ≤
///   3600 / F, so the service carries at least the demand); when even the smallest allowed
///   headway is longer, that one is used and ``DirectionHeadway/capacityShortfall`` is set.
/// - **Route**: one headway per route and period, the smaller of its directions' (the busier
///   direction drives the route, as vehicles cycle through both).
/// - **No demand**: a route that runs in a period (``RoutePeriod``) without demand rows there
///   gets its policy headway, rounded down to an allowed one (``RouteHeadway/fromPolicy``).
///
/// Source: A. Ceder, *Public Transit Planning and Operation* (CRC Press), frequency
/// determination methods 2 and 3; A. Ceder, "Bus frequency determination using passenger count
/// data", *Transportation Research Part A* 18A:439-453, 1984.
public struct ReferencePlan: Sendable {
    /// The method asked for.
    public let method: CederMethod
    /// The plan's periods.
    public let periods: [Period]
    /// The settings used.
    public let settings: ReferenceSettings
    /// One entry per route and period with demand or service: routes in the order they first
    /// appear in the demand, then in `running`; periods ascending.
    public let routes: [RouteHeadway]

    /// Every direction's headway, in ``routes`` order.
    public var directions: [DirectionHeadway] { routes.flatMap(\.directions) }

    /// The headway of `routeID` in period index `period`, if planned.
    /// - Complexity: O(routes).
    public func headway(routeID: String, period: Int) -> RouteHeadway? {
        routes.first { $0.routeID == routeID && $0.periodIndex == period }
    }

    /// Computes the plan.
    ///
    /// - Parameters:
    ///   - demand: rows from `RidershipAnalysis` or `LoadTable`; their period indices and
    ///     names must be those of `periods`.
    ///   - method: method 2 or 3.
    ///   - periods: the plan's periods.
    ///   - settings: capacities, load factor, allowed and policy headways.
    ///   - running: the routes and periods with service (``RoutePeriod/running(in:periods:)``);
    ///     those without demand get their policy headway.
    /// - Throws: ``PlannerError/invalidSetting(name:value:reason:)`` for a bad setting or a
    ///   demand value that is not a finite number ≥ 0;
    ///   ``PlannerError/periodMismatch(routeID:direction:period:known:)``,
    ///   ``PlannerError/duplicateDemand(routeID:direction:period:)``, or
    ///   ``PlannerError/missingCapacity(routeID:)`` for a route with demand and no capacity.
    /// - Complexity: O((demand + running) × log + allowed headways × demand).
    public init(demand: [RouteDemand], method: CederMethod, periods: [Period], settings: ReferenceSettings,
                running: [RoutePeriod] = []) throws(PlannerError) {
        try settings.validate()
        self.method = method
        self.periods = periods
        self.settings = settings
        let allowed = Array(Set(settings.allowedHeadways)).sorted()
        let names = periods.map(\.name)

        // Validate and index the demand.
        struct Key: Hashable { var route: String; var direction: Int; var period: Int }
        var seen: Set<Key> = []
        var routeOrder: [String] = []
        var routeIndex: [String: Int] = [:]
        func noteRoute(_ r: String) {
            if routeIndex[r] == nil { routeIndex[r] = routeOrder.count; routeOrder.append(r) }
        }
        var byRoutePeriod: [RoutePeriod: [DirectionHeadway]] = [:]
        for d in demand {
            guard d.periodIndex >= 0, d.periodIndex < periods.count, names[d.periodIndex] == d.period else {
                throw .periodMismatch(routeID: d.routeID, direction: d.direction, period: d.period, known: names)
            }
            guard seen.insert(Key(route: d.routeID, direction: d.direction, period: d.periodIndex)).inserted else {
                throw .duplicateDemand(routeID: d.routeID, direction: d.direction, period: d.period)
            }
            for (name, v) in [("max_load", d.maxLoad), ("boardings", d.boardings), ("passenger_km", d.passengerKm ?? 0), ("route_km", d.routeKm ?? 0)]
            where !(v.isFinite && v >= 0) {
                throw .invalidSetting(name: "\(name) of route '\(d.routeID)' direction \(d.direction) in \(d.period)", value: "\(v)",
                                      reason: "demand must be a finite number ≥ 0")
            }
            guard let c = settings.capacities[d.routeID] ?? settings.defaultCapacity else { throw .missingCapacity(routeID: d.routeID) }
            noteRoute(d.routeID)
            let hours = Double(periods[d.periodIndex].length) / 3600
            let h = ReferencePlan.directionHeadway(d, method: method, hours: hours, capacity: c, settings: settings, allowed: allowed)
            byRoutePeriod[RoutePeriod(routeID: d.routeID, periodIndex: d.periodIndex), default: []].append(h)
        }
        for rp in running where rp.periodIndex >= 0 && rp.periodIndex < periods.count { noteRoute(rp.routeID) }
        let runningSet = Set(running)

        var out: [RouteHeadway] = []
        for route in routeOrder {
            for p in periods.indices {
                let rp = RoutePeriod(routeID: route, periodIndex: p)
                if var dirs = byRoutePeriod[rp], !dirs.isEmpty {
                    dirs.sort { $0.direction < $1.direction }
                    var driver = dirs[0]
                    for d in dirs.dropFirst() where d.headway < driver.headway || (d.headway == driver.headway && d.frequency > driver.frequency) {
                        driver = d
                    }
                    out.append(RouteHeadway(routeID: route, periodIndex: p, period: names[p], headway: driver.headway,
                                            drivingDirection: driver.direction, directions: dirs,
                                            capacityShortfall: dirs.contains { $0.capacityShortfall }, fromPolicy: false))
                } else if runningSet.contains(rp) {
                    let policy = ReferencePlan.roundDown(Double(settings.policyHeadway(of: route)), allowed: allowed).headway
                    out.append(RouteHeadway(routeID: route, periodIndex: p, period: names[p], headway: policy,
                                            drivingDirection: nil, directions: [], capacityShortfall: false, fromPolicy: true))
                }
            }
        }
        self.routes = out
    }

    /// One direction's frequency and headway by `method`.
    static func directionHeadway(_ d: RouteDemand, method: CederMethod, hours: Double, capacity c: Double,
                                 settings: ReferenceSettings, allowed: [Int]) -> DirectionHeadway {
        let d0 = c * settings.loadFactor
        let fm = 3600 / Double(settings.policyHeadway(of: d.routeID))
        let pm = d.maxLoad / hours
        var terms: [(FrequencyTerm, Double)] = []
        var used = method
        var fellBack = false
        var average: Double?
        if method == .loadProfile, let al = d.averageLoad {
            average = al / hours
            terms = [(.averageLoad, al / hours / d0), (.capacity, pm / c), (.policy, fm)]
        } else {
            if method == .loadProfile { fellBack = true; used = .maxLoadPoint }
            terms = [(.maxLoad, pm / d0), (.policy, fm)]
        }
        var best = terms[0]
        for t in terms.dropFirst() where t.1 > best.1 { best = t }
        let required = 3600 / best.1
        let rounded = roundDown(required, allowed: allowed)
        return DirectionHeadway(routeID: d.routeID, direction: d.direction, periodIndex: d.periodIndex, period: d.period,
                                method: used, fellBack: fellBack, maxLoadPerHour: pm, averageLoadPerHour: average,
                                capacity: c, desiredOccupancy: d0, frequency: best.1, binding: best.0,
                                requiredHeadway: required, headway: rounded.headway, capacityShortfall: rounded.shortfall)
    }

    /// The largest of `allowed` (ascending) that is ≤ `required` seconds (with a relative
    /// tolerance of 1e-9 for rounding in 3600 / F); the smallest with `shortfall` when none is.
    static func roundDown(_ required: Double, allowed: [Int]) -> (headway: Int, shortfall: Bool) {
        let limit = required * (1 + 1e-9)
        var chosen: Int?
        for h in allowed where Double(h) <= limit { chosen = h }
        if let chosen { return (chosen, false) }
        return (allowed.first ?? 0, true)
    }
}
