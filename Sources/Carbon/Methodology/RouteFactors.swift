import Foundation

/// Per-route emission factors in OpenTripPlanner's emissions format:
/// `route_id,avg_co2_per_vehicle_per_km,avg_passenger_count` (grams CO2e per vehicle-km and
/// the mean occupancy). The factor per passenger-km is `co2 ÷ occupancy`, kept in
/// milligrams so nothing is lost before the final rounding down.
public struct RouteFactors: Sendable, Equatable {
    /// Route id to milligrams CO2e per passenger-km.
    public let milligramsPerPassengerKm: [String: Int]

    /// Creates the table from already computed values.
    public init(milligramsPerPassengerKm: [String: Int]) {
        self.milligramsPerPassengerKm = milligramsPerPassengerKm
    }

    /// Parses an OTP route emissions CSV.
    /// - Throws: ``CarbonError`` `route_factors_invalid` with the line and field.
    public static func parse(_ text: String, file: String) throws(CarbonError) -> RouteFactors {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw CarbonError("route_factors_invalid", file: file, "empty file; expected the header route_id,avg_co2_per_vehicle_per_km,avg_passenger_count") }
        let names = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
        guard let ri = names.firstIndex(of: "route_id"), let ci = names.firstIndex(of: "avg_co2_per_vehicle_per_km"),
              let pi = names.firstIndex(of: "avg_passenger_count") else {
            throw CarbonError("route_factors_invalid", file: file, line: 1, "header must name route_id, avg_co2_per_vehicle_per_km and avg_passenger_count")
        }
        var out: [String: Int] = [:]
        for (n, raw) in lines.enumerated().dropFirst() {
            let f = raw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count > max(ri, ci, pi) else { throw CarbonError("route_factors_invalid", file: file, line: n + 1, "expected \(names.count) fields, found \(f.count)") }
            guard let co2 = Double(f[ci]), co2.isFinite, co2 >= 0 else {
                throw CarbonError("route_factors_invalid", file: file, line: n + 1, "field 'avg_co2_per_vehicle_per_km': '\(f[ci])' is not a number ≥ 0")
            }
            guard let pax = Double(f[pi]), pax.isFinite, pax > 0 else {
                throw CarbonError("route_factors_invalid", file: file, line: n + 1, "field 'avg_passenger_count': '\(f[pi])' is not a number > 0")
            }
            out[f[ri]] = Int((co2 * 1000 / pax).rounded())
        }
        return RouteFactors(milligramsPerPassengerKm: out)
    }
}
