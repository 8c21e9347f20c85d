public import GTFS

/// What `transit carbon factors` reports, as a document: the factor set with each mode's
/// factor and saving, the policy in force, and, when routes have their own factors, each
/// route's factor with where it came from.
///
/// Built by ``init(factors:policy:routes:occupancy:)``; encodes with snake_case keys in the
/// order declared here. `ridership_source` and `routes` are left out altogether when no route
/// is listed and no occupancy was measured.
public struct FactorsDocument: Codable, Sendable, Equatable {
    /// The factor set's id.
    public var factorSet: String
    /// The factor set's version (the methodology version).
    public var methodologyVersion: String
    /// The factor set's title.
    public var title: String
    /// Where its factors come from.
    public var source: String
    /// The unit of its factors.
    public var unit: String
    /// The baseline mode savings are measured against.
    public var baseline: String
    /// The detour factor applied to straight-line distances, per mille.
    public var detourFactorPermille: Int
    /// One entry per mode, in the set's order.
    public var factors: [Factor]
    /// The policy in force.
    public var policy: PolicySummary
    /// Where the measured occupancy came from (`feed` or a file), when listed.
    public var ridershipSource: String?
    /// The routes with their own factor; `nil` when none is listed and nothing was measured.
    public var routes: [Route]?

    enum CodingKeys: String, CodingKey {
        case factorSet = "factor_set"
        case methodologyVersion = "methodology_version"
        case title
        case source
        case unit
        case baseline
        case detourFactorPermille = "detour_factor_permille"
        case factors
        case policy
        case ridershipSource = "ridership_source"
        case routes
    }

    /// One mode's factor. The per-vehicle fields are present only for a factor given per
    /// vehicle-km.
    public struct Factor: Codable, Sendable, Equatable {
        /// The mode.
        public var mode: String
        /// Grams CO2e per passenger-km.
        public var gramsPerPassengerKm: Int
        /// Grams saved per km against the baseline (0 for modes that are not green).
        public var savingGramsPerKm: Int
        /// The year of the factor.
        public var year: Int
        /// Where it comes from.
        public var source: String
        /// Grams CO2e per vehicle-km, for a factor given per vehicle-km.
        public var gramsPerVehicleKm: Int?
        /// Passengers per vehicle, for a factor given per vehicle-km.
        public var occupancy: Double?
        /// Milligrams CO2e per passenger-km, for a factor given per vehicle-km.
        public var milligramsPerPassengerKm: Int?

        enum CodingKeys: String, CodingKey {
            case mode
            case gramsPerPassengerKm = "grams_per_passenger_km"
            case savingGramsPerKm = "saving_grams_per_km"
            case year
            case source
            case gramsPerVehicleKm = "grams_per_vehicle_km"
            case occupancy
            case milligramsPerPassengerKm = "milligrams_per_passenger_km"
        }

        /// The entry of `factor` in `set`.
        public init(_ factor: EmissionFactor, in set: FactorSet) {
            mode = factor.mode.rawValue
            gramsPerPassengerKm = factor.gramsPerPassengerKm
            savingGramsPerKm = factor.mode.isGreen ? max(0, set.baselineGramsPerKm - factor.gramsPerPassengerKm) : 0
            year = factor.year
            source = factor.source
            if let g = factor.gramsPerVehicleKm, let o = factor.occupancy {
                gramsPerVehicleKm = g
                occupancy = o
                milligramsPerPassengerKm = factor.milligramsPerPassengerKm
            }
        }

        /// Encodes the common fields, then the per-vehicle ones when they are there.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mode, forKey: .mode)
            try c.encode(gramsPerPassengerKm, forKey: .gramsPerPassengerKm)
            try c.encode(savingGramsPerKm, forKey: .savingGramsPerKm)
            try c.encode(year, forKey: .year)
            try c.encode(source, forKey: .source)
            if let gramsPerVehicleKm, let occupancy, let milligramsPerPassengerKm {
                try c.encode(gramsPerVehicleKm, forKey: .gramsPerVehicleKm)
                try c.encode(occupancy, forKey: .occupancy)
                try c.encode(milligramsPerPassengerKm, forKey: .milligramsPerPassengerKm)
            }
        }
    }

    /// The policy's rules.
    public struct PolicySummary: Codable, Sendable, Equatable {
        /// The policy version.
        public var version: String
        /// Grams CO2e per point.
        public var gramsPerPoint: Int
        /// How far a reported time may be from the schedule, in seconds.
        public var scheduleToleranceSeconds: Int
        /// The cap per trip, grams.
        public var perTripCapGrams: Int
        /// The cap per rider and day, grams.
        public var perRiderDayCapGrams: Int
        /// The caps per mode and day, grams, by mode.
        public var perModeDayCapGrams: KeyedValues<Int>
        /// The shortest distance credited per mode, metres, by mode.
        public var minDistanceMetres: KeyedValues<Int>
        /// How many days points stay valid (`nil`: they never expire).
        public var pointsValidDays: Int?
        /// The rule for transit legs without an alighting stop (``BoardingOnlyRule``):
        /// `reject` or `per_boarding`.
        public var boardingOnlyRule: String
        /// With `per_boarding`: grams CO2e credited per boarding, by mode.
        public var boardingOnlyGrams: KeyedValues<Int>

        enum CodingKeys: String, CodingKey {
            case version
            case gramsPerPoint = "grams_per_point"
            case scheduleToleranceSeconds = "schedule_tolerance_seconds"
            case perTripCapGrams = "per_trip_cap_grams"
            case perRiderDayCapGrams = "per_rider_day_cap_grams"
            case perModeDayCapGrams = "per_mode_day_cap_grams"
            case minDistanceMetres = "min_distance_metres"
            case pointsValidDays = "points_valid_days"
            case boardingOnlyRule = "boarding_only_rule"
            case boardingOnlyGrams = "boarding_only_grams"
        }

        /// The summary of `policy`.
        public init(_ policy: Policy) {
            version = policy.version
            gramsPerPoint = policy.gramsPerPoint
            scheduleToleranceSeconds = policy.scheduleToleranceSeconds
            perTripCapGrams = policy.caps.perTripGrams
            perRiderDayCapGrams = policy.caps.perRiderDayGrams
            perModeDayCapGrams = KeyedValues(policy.caps.perModeDayGrams.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            minDistanceMetres = KeyedValues(policy.minDistanceMetres.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            pointsValidDays = policy.pointsValidDays
            let boarding = policy.boardingOnlyRule
            boardingOnlyRule = boarding.rule.rawValue
            boardingOnlyGrams = KeyedValues(boarding.grams.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// The factor of one route, with what it was derived from.
    public struct Route: Codable, Sendable, Equatable {
        /// `route_id`.
        public var routeID: String
        /// The route's mode, when known.
        public var mode: String?
        /// Where the factor came from (``FactorSource``).
        public var factorSource: String
        /// Grams CO2e per vehicle-km, when the factor is per vehicle-km.
        public var gramsPerVehicleKm: Double?
        /// The occupancy the factor was divided by.
        public var occupancyUsed: Double?
        /// The occupancy measured from the counts.
        public var measuredOccupancy: Double?
        /// Passenger-km of the counted trips.
        public var passengerKm: Double?
        /// Vehicle-km of the counted trips.
        public var vehicleKm: Double?
        /// Counted trips.
        public var observedTrips: Int?
        /// The factor, milligrams CO2e per passenger-km.
        public var milligramsPerPassengerKm: Int
        /// The same factor in grams.
        public var gramsPerPassengerKm: Double
        /// Milligrams saved per km against the baseline.
        public var savingMilligramsPerKm: Int

        enum CodingKeys: String, CodingKey {
            case routeID = "route_id"
            case mode
            case factorSource = "factor_source"
            case gramsPerVehicleKm = "grams_per_vehicle_km"
            case occupancyUsed = "occupancy_used"
            case measuredOccupancy = "measured_occupancy"
            case passengerKm = "passenger_km"
            case vehicleKm = "vehicle_km"
            case observedTrips = "observed_trips"
            case milligramsPerPassengerKm = "milligrams_per_passenger_km"
            case gramsPerPassengerKm = "grams_per_passenger_km"
            case savingMilligramsPerKm = "saving_milligrams_per_km"
        }

        /// The entry of `route`, its saving against `baselineMilligrams` per km.
        public init(_ route: ResolvedRouteFactor, baselineMilligrams: Int) {
            let m = route.measured
            routeID = route.routeID
            mode = route.mode?.rawValue
            factorSource = route.source.rawValue
            gramsPerVehicleKm = route.gramsPerVehicleKm
            occupancyUsed = route.occupancy
            measuredOccupancy = m?.occupancy
            passengerKm = m?.passengerKm
            vehicleKm = m?.vehicleKm
            observedTrips = m?.observedTrips
            milligramsPerPassengerKm = route.milligramsPerPassengerKm
            gramsPerPassengerKm = Double(route.milligramsPerPassengerKm) / 1000
            savingMilligramsPerKm = max(0, baselineMilligrams - route.milligramsPerPassengerKm)
        }
    }

    /// The document of the factor set `factors` and `policy`; `routes` (see
    /// ``listedRoutes(_:routeFactors:)``) and the source of `occupancy` are listed when either
    /// is there.
    public init(factors: FactorSet, policy: Policy, routes: [ResolvedRouteFactor], occupancy: MeasuredOccupancy?) {
        factorSet = factors.id
        methodologyVersion = factors.version
        title = factors.title
        source = factors.source
        unit = factors.unit
        baseline = factors.baseline.rawValue
        detourFactorPermille = factors.detourFactorPermille
        self.factors = factors.factors.map { Factor($0, in: factors) }
        self.policy = PolicySummary(policy)
        if !routes.isEmpty || occupancy != nil {
            ridershipSource = occupancy?.source
            let baselineMg = factors.baselineMilligramsPerKm
            self.routes = routes.map { Route($0, baselineMilligrams: baselineMg) }
        }
    }

    /// The routes to list: those with measured occupancy, then the other `--route-factors`
    /// routes by id.
    public static func listedRoutes(_ table: RouteFactorTable, routeFactors: RouteFactors?) -> [ResolvedRouteFactor] {
        var routes = table.measuredRoutes
        let measured = Set(routes.map(\.routeID))
        for id in (routeFactors?.milligramsPerPassengerKm.keys).map(Array.init)?.sorted() ?? [] where !measured.contains(id) {
            if let r = table.resolve(routeID: id, mode: nil) { routes.append(r) }
        }
        return routes
    }

    /// Encodes every field in order; `ridership_source` and `routes` only when routes are listed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(factorSet, forKey: .factorSet)
        try c.encode(methodologyVersion, forKey: .methodologyVersion)
        try c.encode(title, forKey: .title)
        try c.encode(source, forKey: .source)
        try c.encode(unit, forKey: .unit)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(detourFactorPermille, forKey: .detourFactorPermille)
        try c.encode(factors, forKey: .factors)
        try c.encode(policy, forKey: .policy)
        if let routes {
            if let ridershipSource { try c.encode(ridershipSource, forKey: .ridershipSource) } else { try c.encodeNil(forKey: .ridershipSource) }
            try c.encode(routes, forKey: .routes)
        }
    }
}
