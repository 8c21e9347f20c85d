import Foundation

/// One route's factor as OpenTripPlanner states it: grams CO2e per vehicle-km and the mean
/// occupancy it is divided by.
public struct RouteVehicleFactor: Sendable, Equatable {
    /// `avg_co2_per_vehicle_per_km`: grams CO2e per vehicle-km.
    public let gramsPerVehicleKm: Double
    /// `avg_passenger_count`: the stated mean passengers per vehicle (> 0).
    public let occupancy: Double

    /// Creates a factor (no checks: ``RouteFactors/parse(_:file:)`` checks what it reads).
    public init(gramsPerVehicleKm: Double, occupancy: Double) {
        self.gramsPerVehicleKm = gramsPerVehicleKm
        self.occupancy = occupancy
    }
}

/// Per-route emission factors in OpenTripPlanner's emissions format:
/// `route_id,avg_co2_per_vehicle_per_km,avg_passenger_count` (grams CO2e per vehicle-km and
/// the mean occupancy). The factor per passenger-km is `co2 ÷ occupancy`, kept in
/// milligrams so nothing is lost before the final rounding down. With occupancy measured from
/// ridership (``MeasuredOccupancy``), the measured occupancy of a route replaces the stated
/// one (see ``RouteFactorTable``).
public struct RouteFactors: Sendable, Equatable {
    /// Route id to milligrams CO2e per passenger-km, with the stated occupancy.
    public let milligramsPerPassengerKm: [String: Int]
    /// Route id to the factor per vehicle-km and stated occupancy, for the routes read from an
    /// OTP file (empty for a table made from per-passenger-km values only).
    public let vehicleFactors: [String: RouteVehicleFactor]

    /// Creates the table from already computed values per passenger-km (no vehicle-km
    /// factors, so measured occupancy cannot change them).
    public init(milligramsPerPassengerKm: [String: Int]) {
        self.milligramsPerPassengerKm = milligramsPerPassengerKm
        self.vehicleFactors = [:]
    }

    /// Creates the table from factors per vehicle-km with their stated occupancy; the
    /// milligrams per passenger-km are derived (rounded to the nearest milligram). Factors
    /// that do not give a finite figure (occupancy ≤ 0, negative grams) are left out.
    public init(vehicleFactors: [String: RouteVehicleFactor]) {
        var mg: [String: Int] = [:]
        var kept: [String: RouteVehicleFactor] = [:]
        for (route, f) in vehicleFactors {
            guard let m = EmissionFactor.milligramsPerPassengerKm(gramsPerVehicleKm: f.gramsPerVehicleKm, occupancy: f.occupancy) else { continue }
            mg[route] = m
            kept[route] = f
        }
        self.milligramsPerPassengerKm = mg
        self.vehicleFactors = kept
    }

    /// Parses an OTP route emissions CSV.
    /// - Throws: ``CarbonError`` `route_factors_invalid` with the line and field.
    public static func parse(_ text: String, file: String) throws(CarbonError) -> RouteFactors {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw CarbonError(.routeFactorsInvalid, file: file, "empty file; expected the header route_id,avg_co2_per_vehicle_per_km,avg_passenger_count") }
        let names = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
        guard let ri = names.firstIndex(of: "route_id"), let ci = names.firstIndex(of: "avg_co2_per_vehicle_per_km"),
              let pi = names.firstIndex(of: "avg_passenger_count") else {
            throw CarbonError(.routeFactorsInvalid, file: file, line: 1, "header must name route_id, avg_co2_per_vehicle_per_km and avg_passenger_count")
        }
        var out: [String: RouteVehicleFactor] = [:]
        for (n, raw) in lines.enumerated().dropFirst() {
            let f = raw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count > max(ri, ci, pi) else { throw CarbonError(.routeFactorsInvalid, file: file, line: n + 1, "expected \(names.count) fields, found \(f.count)") }
            guard let co2 = Double(f[ci]), co2.isFinite, co2 >= 0, co2 <= Double(EmissionFactor.largestGrams) else {
                throw CarbonError(.routeFactorsInvalid, file: file, line: n + 1, "field 'avg_co2_per_vehicle_per_km': '\(f[ci])' is not a number from 0 to \(EmissionFactor.largestGrams)")
            }
            guard let pax = Double(f[pi]), pax.isFinite, pax > 0 else {
                throw CarbonError(.routeFactorsInvalid, file: file, line: n + 1, "field 'avg_passenger_count': '\(f[pi])' is not a number > 0")
            }
            guard EmissionFactor.milligramsPerPassengerKm(gramsPerVehicleKm: co2, occupancy: pax) != nil else {
                throw CarbonError(.routeFactorsInvalid, file: file, line: n + 1, "field 'avg_passenger_count': '\(f[pi])' is too small: \(f[ci]) ÷ \(f[pi]) g per passenger-km is out of range")
            }
            out[f[ri]] = RouteVehicleFactor(gramsPerVehicleKm: co2, occupancy: pax)
        }
        return RouteFactors(vehicleFactors: out)
    }
}
