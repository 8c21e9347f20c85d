import Foundation

/// One emission factor: grams of CO2e per passenger-kilometre for a mode, with its year and
/// source.
public struct EmissionFactor: Sendable, Equatable, Codable {
    /// The mode.
    public let mode: Mode
    /// Integer grams CO2e per passenger-km.
    public let gramsPerPassengerKm: Int
    /// The year the factor is for.
    public let year: Int
    /// Where the number comes from.
    public let source: String

    enum CodingKeys: String, CodingKey {
        case mode, year, source
        case gramsPerPassengerKm = "grams_per_passenger_km"
    }
}

/// A versioned set of emission factors with its baseline: what a green trip is compared with.
///
/// Shipped sets are JSON files under `Sources/Carbon/Data/` (see ``FactorSet/shipped``);
/// `transit carbon factors` prints the one in force.
public struct FactorSet: Sendable, Equatable, Codable {
    /// A short id (`uk-desnz-2022`).
    public let id: String
    /// The version recorded on every credit priced with the set.
    public let version: String
    /// A human title.
    public let title: String
    /// The unit of the factors.
    public let unit: String
    /// The year of the set.
    public let year: Int
    /// The publication the factors come from.
    public let source: String
    /// The mode of the displaced trip (default: the average petrol car).
    public let baseline: Mode
    /// Great-circle distance multiplier, in thousandths (1300 = ×1.3), used when a trip has
    /// only start and end coordinates.
    public let detourFactorPermille: Int
    /// The factors.
    public let factors: [EmissionFactor]

    enum CodingKeys: String, CodingKey {
        case id, version, title, unit, year, source, baseline, factors
        case detourFactorPermille = "detour_factor_permille"
    }

    /// The factor of `mode`, if the set has one.
    /// - Complexity: O(factors).
    public func factor(_ mode: Mode) -> EmissionFactor? { factors.first { $0.mode == mode } }

    /// The baseline factor in grams per passenger-km.
    public var baselineGramsPerKm: Int { factor(baseline)?.gramsPerPassengerKm ?? 0 }

    /// The default set: UK DESNZ 2022, baseline petrol car (170 g/pkm).
    public static var ukDESNZ2022: FactorSet {
        get throws(CarbonError) { try parse(EmbeddedData.files["factors-uk-desnz-2022.json"] ?? "", file: "factors-uk-desnz-2022.json") }
    }

    /// The names of the factor-set files shipped with the module.
    public static var shipped: [String] { EmbeddedData.files.keys.filter { $0.hasPrefix("factors-") }.sorted() }

    /// Parses and checks a factor set.
    /// - Throws: ``CarbonError`` `factors_invalid` naming the file and the problem.
    public static func parse(_ text: String, file: String) throws(CarbonError) -> FactorSet {
        let set: FactorSet
        do {
            set = try JSONDecoder().decode(FactorSet.self, from: Data(text.utf8))
        } catch {
            throw CarbonError("factors_invalid", file: file, "not a factor set: \(jsonMessage(error)); see Sources/Carbon/Data/factors-uk-desnz-2022.json for the format")
        }
        guard set.factor(set.baseline) != nil else {
            throw CarbonError("factors_invalid", file: file, "baseline '\(set.baseline.rawValue)' has no factor in the set; add one")
        }
        for f in set.factors where f.gramsPerPassengerKm < 0 {
            throw CarbonError("factors_invalid", file: file, "factor of '\(f.mode.rawValue)' is \(f.gramsPerPassengerKm) g/pkm; factors must be ≥ 0")
        }
        guard set.detourFactorPermille >= 1000 else {
            throw CarbonError("factors_invalid", file: file, "detour_factor_permille is \(set.detourFactorPermille); it must be ≥ 1000 (×1.0)")
        }
        return set
    }
}

/// A decoding error as one line: the coding path and what was wrong.
func jsonMessage(_ error: any Error) -> String {
    guard let e = error as? DecodingError else { return String(describing: error) }
    func path(_ c: [any CodingKey]) -> String { c.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
    switch e {
    case .keyNotFound(let k, let c): return "missing field '\(path(c.codingPath + [k]))'"
    case .typeMismatch(_, let c): return "field '\(path(c.codingPath))': \(c.debugDescription)"
    case .valueNotFound(_, let c): return "field '\(path(c.codingPath))' is null"
    case .dataCorrupted(let c): return c.codingPath.isEmpty ? "malformed JSON: \(c.debugDescription)" : "field '\(path(c.codingPath))': \(c.debugDescription)"
    @unknown default: return String(describing: e)
    }
}
