public import TransitNetwork
public import Ridership

/// An input the planner cannot use, said so a user can fix it.
public struct PlanningInputError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, to match on: ``PlannerError/Code/invalidSetting`` for limits out of
    /// their domain, ``PlannerError/Code/missingCapacity`` for routes without a capacity.
    public var code: PlannerError.Code
    /// What is wrong and what to do.
    public var description: String
    /// Creates an error.
    public init(_ code: PlannerError.Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

/// A frequency problem together with the facts it was built from: demand by direction,
/// capacity and current service per group. The report and the independent plan checker read
/// these, not the model.
public struct PlanningCase: Sendable {
    /// What one route × period group was built from.
    public struct GroupFacts: Sendable, Hashable {
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`.
        public var routeShortName: String?
        /// `route_type`, when known.
        public var routeType: Int?
        /// The period.
        public var period: TransitNetwork.Period
        /// Demand per direction (0 and/or 1); empty when the route has no counts at all.
        public var demand: [Int: RouteDemand]
        /// Vehicle capacity (seated + standing).
        public var capacity: Int
        /// The policy maximum headway (seconds), when one applies.
        public var policyMaximum: Int32?
        /// The current mean headway (seconds, the shorter of the directions), when the route
        /// runs at least twice in the period today.
        public var currentHeadway: Double?
        /// Current trips per direction.
        public var currentTrips: [Int: Int]
        /// Current vehicles (the larger of the directions).
        public var currentVehicles: Int
        /// True when the route has no ridership at all: it is kept at its current service
        /// (one option) and its vehicles count against the fleet.
        public var keptAsIs: Bool
    }

    /// The model's problem.
    public var problem: FrequencyProblem
    /// Per group of ``problem``, its facts.
    public var facts: [GroupFacts]
    /// The planning periods.
    public var periods: [TransitNetwork.Period]
    /// The limits.
    public var limits: PlanningLimits
    /// Warnings met while building (routes kept as they are, demand for routes not running).
    public var warnings: [String]

    /// Builds the problem from current service, demand and limits.
    ///
    /// A group exists for each route and period where the route runs on the plan date or has
    /// demand. Cycle time is the current service's (the longer direction pair); where the route
    /// does not run in a period but has demand there, the median of its other periods'. A route
    /// without any counts keeps its current service. Capacity comes from
    /// ``PlanningLimits/capacity`` or else `capacityByRoute`.
    ///
    /// - Throws: ``PlanningInputError`` when the limits are invalid or a planned route has no
    ///   capacity.
    public static func build(summary: ServiceSummary, demand: [RouteDemand],
                             routeTypes: [String: Int] = [:], capacityByRoute: [String: Int] = [:],
                             limits: PlanningLimits) throws(PlanningInputError) -> PlanningCase {
        let periods = summary.periods
        let problems = limits.problems(periodCount: periods.count)
        guard problems.isEmpty else { throw PlanningInputError(.invalidSetting, problems.joined(separator: "; ")) }
        let headways = limits.headways.sorted()
        var warnings: [String] = []

        // Routes in summary order, then routes that only have demand.
        var routeIndex: [String: Int] = [:]
        var routes: [FrequencyProblem.Route] = []
        func index(_ id: String, _ short: String?) -> Int {
            if let i = routeIndex[id] { return i }
            routeIndex[id] = routes.count
            routes.append(.init(id: id, shortName: short))
            return routes.count - 1
        }
        struct Key: Hashable { var route: Int; var period: Int }
        var current: [Key: [ServiceSummary.Row]] = [:]
        for row in summary.rows {
            current[Key(route: index(row.routeID, row.routeShortName), period: row.periodIndex), default: []].append(row)
        }
        var demandByKey: [Key: [Int: RouteDemand]] = [:]
        var routesWithDemand = Set<Int>()
        for d in demand {
            guard d.periodIndex >= 0, d.periodIndex < periods.count else { continue }
            let r = index(d.routeID, nil)
            routesWithDemand.insert(r)
            var entry = demandByKey[Key(route: r, period: d.periodIndex)] ?? [:]
            if var old = entry[d.direction] {
                old.boardings += d.boardings
                old.maxLoad = max(old.maxLoad, d.maxLoad)
                entry[d.direction] = old
            } else {
                entry[d.direction] = d
            }
            demandByKey[Key(route: r, period: d.periodIndex)] = entry
        }

        var groups: [PlanGroup] = []
        var facts: [GroupFacts] = []
        var missingCapacity: [String] = []
        for p in periods.indices {
            let period = periods[p]
            let hours = Double(period.length) / 3600
            for r in routes.indices {
                let key = Key(route: r, period: p)
                let rows = current[key] ?? []
                let dem = demandByKey[key] ?? [:]
                guard !rows.isEmpty || !dem.isEmpty else { continue }
                let route = routes[r]
                var cycle = rows.map(\.cycleTime).max() ?? 0
                if rows.isEmpty {
                    let others = (0..<periods.count).compactMap { current[Key(route: r, period: $0)]?.map(\.cycleTime).max() }.sorted()
                    guard !others.isEmpty else {
                        warnings.append("route \(route.id) has demand in \(period.name) but no service on \(summary.date) to take a cycle time from: left out")
                        continue
                    }
                    cycle = others[others.count / 2]
                }
                let capacity = limits.capacity ?? capacityByRoute[route.id]
                guard let capacity else {
                    if !missingCapacity.contains(route.id) { missingCapacity.append(route.id) }
                    continue
                }
                let headwayNow: Double? = rows.compactMap(\.meanHeadway).min()
                let vehiclesNow = rows.map(\.vehicles).max() ?? 0
                var trips: [Int: Int] = [:]
                for row in rows { trips[Int(row.direction), default: 0] += row.trips }
                let type = routeTypes[route.id]
                let policy = limits.policyMaximum(routeID: route.id, routeType: type)
                let kept = !routesWithDemand.contains(r)
                let boardings = dem.values.reduce(0) { $0 + $1.boardings }
                var options: [HeadwayOption] = []
                var excluded: [Int32: ExclusionReason] = [:]
                if kept {
                    // No counts: keep today's service as the one option.
                    let h = Int32((headwayNow ?? Double(period.length)).rounded())
                    let v = max(1, vehiclesNow)
                    options.append(HeadwayOption(headway: max(1, h), vehicles: v, waitingCost: 0,
                                                 operatingCost: limits.vehicleHourCost * Double(v) * hours))
                } else {
                    for h in headways {
                        if let m = policy, h > m { excluded[h] = .policy(maximum: m); continue }
                        let carried = Double(period.length) / Double(h) * Double(capacity) * limits.loadFactor
                        if let short = dem.values.sorted(by: { $0.direction < $1.direction }).first(where: { carried < $0.maxLoad }) {
                            excluded[h] = .capacity(carried: carried, maxLoad: short.maxLoad, direction: short.direction)
                            continue
                        }
                        let v = max(1, Int((cycle / Double(h)).rounded(.up)))
                        options.append(HeadwayOption(headway: h, vehicles: v,
                                                     waitingCost: limits.valueOfTime * boardings * Double(h) / 7200,
                                                     operatingCost: limits.vehicleHourCost * Double(v) * hours))
                    }
                }
                groups.append(PlanGroup(route: r, period: p, cycleTime: cycle, boardings: boardings,
                                        options: options, excluded: excluded))
                facts.append(GroupFacts(routeID: route.id, routeShortName: route.shortName, routeType: type,
                                        period: period, demand: dem, capacity: capacity, policyMaximum: policy,
                                        currentHeadway: headwayNow, currentTrips: trips,
                                        currentVehicles: vehiclesNow, keptAsIs: kept))
            }
        }
        let keptRoutes = Set(facts.filter(\.keptAsIs).map(\.routeID))
        for r in routes where keptRoutes.contains(r.id) {
            warnings.append("route \(r.id) has no ridership counts: kept at its current service, its vehicles count against the fleet")
        }
        if !missingCapacity.isEmpty {
            throw PlanningInputError(.missingCapacity, "no vehicle capacity for route(s) \(missingCapacity.prefix(10).joined(separator: ", ")): give --capacity N or a trip_capacity.txt")
        }
        let fleet: [Int?] = limits.fleet.count == 1 ? Array(repeating: limits.fleet[0], count: periods.count)
            : (limits.fleet.isEmpty ? Array(repeating: nil, count: periods.count) : limits.fleet)
        let problemPeriods = periods.indices.map {
            FrequencyProblem.Period(name: periods[$0].name, length: periods[$0].length, fleet: fleet[$0])
        }
        let problem = FrequencyProblem(routes: routes, periods: problemPeriods, groups: groups, budget: limits.budget,
                                       waitingWeight: limits.waitingWeight, operatingWeight: limits.operatingWeight)
        return PlanningCase(problem: problem, facts: facts, periods: periods, limits: limits, warnings: warnings)
    }
}
