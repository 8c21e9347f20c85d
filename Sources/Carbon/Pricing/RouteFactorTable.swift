/// Which factor priced a leg: where its grams CO2e per passenger-km came from.
public enum FactorSource: String, Sendable, CaseIterable, Codable {
    /// The factor set's factor per passenger-km for the mode.
    case mode
    /// The factor set's factor per vehicle-km for the mode ÷ the occupancy the set states.
    case modeStatedOccupancy = "mode_stated_occupancy"
    /// The route's OpenTripPlanner factor: `avg_co2_per_vehicle_per_km ÷ avg_passenger_count`.
    case routeFactors = "route_factors"
    /// A factor per vehicle-km (the route's OTP factor, else the factor set's for the mode) ÷
    /// the route's occupancy measured from ridership (``MeasuredOccupancy``).
    case measuredOccupancy = "measured_occupancy"
    /// No factor: a boarding-only leg credited the policy's grams per boarding
    /// (``BoardingOnlyRule``); the factor and saving recorded are 0.
    case perBoarding = "per_boarding"
}

/// One route's factor per passenger-km, how it was reached, and the figures behind it.
public struct ResolvedRouteFactor: Sendable, Equatable {
    /// `route_id`.
    public let routeID: String
    /// The route's mode, when known.
    public let mode: Mode?
    /// Milligrams CO2e per passenger-km: the figure pricing uses.
    public let milligramsPerPassengerKm: Int
    /// Where it came from.
    public let source: FactorSource
    /// The factor per vehicle-km it was derived from (grams CO2e), or `nil` for a factor
    /// given per passenger-km.
    public let gramsPerVehicleKm: Double?
    /// The occupancy divided by: measured (``FactorSource/measuredOccupancy``) or stated; `nil`
    /// for a factor given per passenger-km.
    public let occupancy: Double?
    /// The route's ridership measurement, when it has observed trips (even when the factor is
    /// per passenger-km and the measurement was not used).
    public let measured: RouteOccupancy?
}

/// Resolves the factor per passenger-km of each route from a factor set, optional
/// OpenTripPlanner route factors and optional occupancy measured from ridership.
///
/// For a leg on route *r* of mode *m*, first match wins:
///
/// 1. *r* has an OTP factor (`avg_co2_per_vehicle_per_km`, `avg_passenger_count`): with a
///    usable measured occupancy for *r*, co2 ÷ measured occupancy
///    (``FactorSource/measuredOccupancy``); else co2 ÷ `avg_passenger_count`
///    (``FactorSource/routeFactors``).
/// 2. The factor set gives *m* per vehicle-km with an occupancy: with a usable measured
///    occupancy for *r*, grams per vehicle-km ÷ measured occupancy
///    (``FactorSource/measuredOccupancy``); else ÷ the stated occupancy
///    (``FactorSource/modeStatedOccupancy``).
/// 3. The factor set gives *m* per passenger-km: that factor, unchanged
///    (``FactorSource/mode``), whether or not *r* has ridership. A published per-passenger-km
///    factor already contains its publisher's occupancy; dividing it again would count
///    occupancy twice. To let ridership decide, give a per-vehicle-km factor (a factor set
///    with `grams_per_vehicle_km` and `occupancy`, or an OTP route-factors file).
///
/// A measured occupancy is usable when the route's observed trips have vehicle-km and
/// passenger-km > 0. Every division is rounded to the nearest milligram.
public struct RouteFactorTable: Sendable {
    /// The factor set.
    public let factors: FactorSet
    /// The OTP route factors, if any.
    public let routeFactors: RouteFactors?
    /// The measured occupancy, if any.
    public let occupancy: MeasuredOccupancy?
    private let measuredByRoute: [String: RouteOccupancy]
    /// Route id to its factor, for every route whose factor differs by route (an OTP factor or
    /// a measured occupancy); other routes take their mode's factor.
    private let byRoute: [String: ResolvedRouteFactor]
    /// Mode to its factor in milligrams and its source.
    private let byMode: [Mode: (milligrams: Int, source: FactorSource)]

    /// Resolves every route named by `routeFactors` or measured in `occupancy`.
    /// - Complexity: O(routes).
    public init(factors: FactorSet, routeFactors: RouteFactors? = nil, occupancy: MeasuredOccupancy? = nil) {
        self.factors = factors
        self.routeFactors = routeFactors
        self.occupancy = occupancy
        var measured: [String: RouteOccupancy] = [:]
        for r in occupancy?.routes ?? [] where measured[r.routeID] == nil { measured[r.routeID] = r }
        measuredByRoute = measured
        var table: [String: ResolvedRouteFactor] = [:]
        var routes = Set(measured.keys)
        if let routeFactors { routes.formUnion(routeFactors.milligramsPerPassengerKm.keys) }
        for route in routes {
            if let f = RouteFactorTable.resolve(route, mode: measured[route]?.mode, factors: factors,
                                                routeFactors: routeFactors, measured: measured[route]) {
                table[route] = f
            }
        }
        byRoute = table
        var modes: [Mode: (milligrams: Int, source: FactorSource)] = [:]
        for f in factors.factors where modes[f.mode] == nil {
            modes[f.mode] = (f.milligramsPerPassengerKm, f.isPerVehicleKm ? .modeStatedOccupancy : .mode)
        }
        byMode = modes
    }

    /// The factor of a leg on route `routeID` (when known) of mode `mode`, or `nil` when
    /// neither the route nor the mode has one.
    /// - Complexity: O(1).
    public func factor(routeID: String?, mode: Mode) -> (milligramsPerPassengerKm: Int, source: FactorSource)? {
        if !byRoute.isEmpty, let routeID, let f = byRoute[routeID] { return (f.milligramsPerPassengerKm, f.source) }
        return byMode[mode].map { ($0.milligrams, $0.source) }
    }

    /// The resolution of route `routeID` of mode `mode` (see the type's discussion).
    /// - Complexity: O(1).
    public func resolve(routeID: String, mode: Mode?) -> ResolvedRouteFactor? {
        RouteFactorTable.resolve(routeID, mode: mode, factors: factors, routeFactors: routeFactors, measured: measuredByRoute[routeID])
    }

    /// One resolution per route with observed trips, in the measurement's order (`routes.txt`).
    public var measuredRoutes: [ResolvedRouteFactor] {
        (occupancy?.routes ?? []).compactMap { resolve(routeID: $0.routeID, mode: $0.mode) }
    }

    static func resolve(_ route: String, mode: Mode?, factors: FactorSet, routeFactors: RouteFactors?,
                        measured: RouteOccupancy?) -> ResolvedRouteFactor? {
        let usable = measured?.occupancy
        func make(_ mg: Int, _ source: FactorSource, _ grams: Double?, _ occupancy: Double?) -> ResolvedRouteFactor {
            ResolvedRouteFactor(routeID: route, mode: mode, milligramsPerPassengerKm: mg, source: source,
                                gramsPerVehicleKm: grams, occupancy: occupancy, measured: measured)
        }
        if let v = routeFactors?.vehicleFactors[route] {
            if let occ = usable, let mg = EmissionFactor.milligramsPerPassengerKm(gramsPerVehicleKm: v.gramsPerVehicleKm, occupancy: occ) {
                return make(mg, .measuredOccupancy, v.gramsPerVehicleKm, occ)
            }
            if let mg = routeFactors?.milligramsPerPassengerKm[route] { return make(mg, .routeFactors, v.gramsPerVehicleKm, v.occupancy) }
        }
        if let mg = routeFactors?.milligramsPerPassengerKm[route] { return make(mg, .routeFactors, nil, nil) }
        guard let mode, let f = factors.factor(mode) else { return nil }
        if let g = f.gramsPerVehicleKm, let stated = f.occupancy {
            if let occ = usable, let mg = EmissionFactor.milligramsPerPassengerKm(gramsPerVehicleKm: Double(g), occupancy: occ) {
                return make(mg, .measuredOccupancy, Double(g), occ)
            }
            return make(f.milligramsPerPassengerKm, .modeStatedOccupancy, Double(g), stated)
        }
        return make(f.milligramsPerPassengerKm, .mode, nil, nil)
    }
}
