import Foundation

/// One emission factor for a mode, with its year and source, in one of two forms:
///
/// - **per passenger-km**: `grams_per_passenger_km`, integer grams CO2e per passenger-km;
/// - **per vehicle-km with an occupancy**: `grams_per_vehicle_km` (integer grams CO2e per
///   vehicle-km) and `occupancy` (the mean passengers on board, a number > 0). The factor
///   per passenger-km is `grams_per_vehicle_km ÷ occupancy`, kept in milligrams (rounded to
///   the nearest milligram) so nothing is lost before a saving is rounded down to whole grams.
///   When the occupancy of a route can be measured from GTFS-ride counts (see
///   ``MeasuredOccupancy``), the measured one replaces the stated one for that route.
///
/// ```json
/// {"mode": "bus", "grams_per_passenger_km": 97, "year": 2022, "source": "…"}
/// {"mode": "bus", "grams_per_vehicle_km": 1150, "occupancy": 11.9, "year": 2022, "source": "…"}
/// ```
///
/// A factor gives exactly one form; decoding rejects both, neither, half of the vehicle-km
/// form, a negative factor and an occupancy that is not a finite number > 0.
public struct EmissionFactor: Sendable, Equatable, Codable {
    /// The mode.
    public let mode: Mode
    /// Integer grams CO2e per passenger-km: as given, or for a vehicle-km factor the derived
    /// figure rounded to the nearest gram (for display; pricing uses
    /// ``milligramsPerPassengerKm``).
    public let gramsPerPassengerKm: Int
    /// Milligrams CO2e per passenger-km: the figure pricing uses.
    public let milligramsPerPassengerKm: Int
    /// Integer grams CO2e per vehicle-km, when the factor is given per vehicle-km.
    public let gramsPerVehicleKm: Int?
    /// The stated mean occupancy (passengers per vehicle) of a vehicle-km factor.
    public let occupancy: Double?
    /// The year the factor is for.
    public let year: Int
    /// Where the number comes from.
    public let source: String

    /// The largest factor accepted, grams (a billion: far above any real factor, small enough
    /// that milligram arithmetic cannot overflow).
    public static let largestGrams = 1_000_000_000

    /// Whether the factor is given per vehicle-km (with an occupancy).
    public var isPerVehicleKm: Bool { gramsPerVehicleKm != nil }

    /// A factor per passenger-km.
    /// - Throws: ``CarbonError`` `factors_invalid` when `gramsPerPassengerKm` is negative.
    public init(mode: Mode, gramsPerPassengerKm: Int, year: Int, source: String) throws(CarbonError) {
        guard gramsPerPassengerKm >= 0, gramsPerPassengerKm <= EmissionFactor.largestGrams else {
            throw CarbonError(.factorsInvalid, "factor of '\(mode.rawValue)': grams_per_passenger_km is \(gramsPerPassengerKm); factors must be from 0 to \(EmissionFactor.largestGrams)")
        }
        self.init(mode: mode, milligrams: gramsPerPassengerKm * 1000, grams: gramsPerPassengerKm,
                  vehicleKm: nil, occupancy: nil, year: year, source: source)
    }

    /// A factor per vehicle-km with the mean occupancy it is divided by.
    /// - Throws: ``CarbonError`` `factors_invalid` when the factor is negative or the
    ///   occupancy is not a finite number > 0.
    public init(mode: Mode, gramsPerVehicleKm: Int, occupancy: Double, year: Int, source: String) throws(CarbonError) {
        guard gramsPerVehicleKm >= 0, gramsPerVehicleKm <= EmissionFactor.largestGrams else {
            throw CarbonError(.factorsInvalid, "factor of '\(mode.rawValue)': grams_per_vehicle_km is \(gramsPerVehicleKm); factors must be from 0 to \(EmissionFactor.largestGrams)")
        }
        guard let mg = EmissionFactor.milligramsPerPassengerKm(gramsPerVehicleKm: Double(gramsPerVehicleKm), occupancy: occupancy) else {
            throw CarbonError(.factorsInvalid, "factor of '\(mode.rawValue)': occupancy is \(occupancy); it must be a finite number > 0 (mean passengers per vehicle)")
        }
        self.init(mode: mode, milligrams: mg, grams: (mg + 500) / 1000, vehicleKm: gramsPerVehicleKm,
                  occupancy: occupancy, year: year, source: source)
    }

    /// `grams per vehicle-km × 1000 ÷ occupancy`, rounded to the nearest milligram, or `nil`
    /// when the occupancy is not a finite number > 0 or the grams are not a finite number ≥ 0
    /// (or the result does not fit).
    /// - Complexity: O(1).
    public static func milligramsPerPassengerKm(gramsPerVehicleKm grams: Double, occupancy: Double) -> Int? {
        guard grams.isFinite, grams >= 0, occupancy.isFinite, occupancy > 0 else { return nil }
        let mg = (grams * 1000 / occupancy).rounded()
        guard mg.isFinite, mg < 1e15 else { return nil }
        return Int(mg)
    }

    enum CodingKeys: String, CodingKey {
        case mode, year, source, occupancy
        case gramsPerPassengerKm = "grams_per_passenger_km"
        case gramsPerVehicleKm = "grams_per_vehicle_km"
    }

    /// Decodes either form and checks it (see the type's discussion).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let mode = try c.decode(Mode.self, forKey: .mode)
        let year = try c.decode(Int.self, forKey: .year)
        let source = try c.decode(String.self, forKey: .source)
        let perPassenger = try c.decodeIfPresent(Int.self, forKey: .gramsPerPassengerKm)
        let perVehicle = try c.decodeIfPresent(Int.self, forKey: .gramsPerVehicleKm)
        let occupancy = try c.decodeIfPresent(Double.self, forKey: .occupancy)
        func bad(_ key: CodingKeys, _ message: String) -> DecodingError {
            .dataCorrupted(DecodingError.Context(codingPath: c.codingPath + [key], debugDescription: "factor of '\(mode.rawValue)': " + message))
        }
        switch (perPassenger, perVehicle, occupancy) {
        case (let g?, nil, nil):
            guard g >= 0, g <= EmissionFactor.largestGrams else {
                throw bad(.gramsPerPassengerKm, "grams_per_passenger_km is \(g); factors must be from 0 to \(EmissionFactor.largestGrams)")
            }
            self.init(mode: mode, milligrams: g * 1000, grams: g, vehicleKm: nil, occupancy: nil, year: year, source: source)
        case (nil, let g?, let o?):
            guard g >= 0, g <= EmissionFactor.largestGrams else {
                throw bad(.gramsPerVehicleKm, "grams_per_vehicle_km is \(g); factors must be from 0 to \(EmissionFactor.largestGrams)")
            }
            guard let mg = EmissionFactor.milligramsPerPassengerKm(gramsPerVehicleKm: Double(g), occupancy: o) else {
                throw bad(.occupancy, "occupancy is \(o); it must be a finite number > 0 (mean passengers per vehicle)")
            }
            self.init(mode: mode, milligrams: mg, grams: (mg + 500) / 1000, vehicleKm: g, occupancy: o, year: year, source: source)
        case (.some, .some, _), (.some, nil, .some):
            throw bad(.gramsPerPassengerKm, "gives grams_per_passenger_km and also grams_per_vehicle_km or occupancy; give exactly one form: grams_per_passenger_km, or grams_per_vehicle_km with occupancy")
        case (nil, .some, nil):
            throw bad(.occupancy, "grams_per_vehicle_km needs occupancy (mean passengers per vehicle, > 0) to give a factor per passenger-km")
        case (nil, nil, .some):
            throw bad(.gramsPerVehicleKm, "occupancy is given without grams_per_vehicle_km; add it, or give grams_per_passenger_km instead")
        case (nil, nil, nil):
            throw bad(.gramsPerPassengerKm, "has no factor; give grams_per_passenger_km, or grams_per_vehicle_km with occupancy")
        }
    }

    private init(mode: Mode, milligrams: Int, grams: Int, vehicleKm: Int?, occupancy: Double?, year: Int, source: String) {
        self.mode = mode
        self.milligramsPerPassengerKm = milligrams
        self.gramsPerPassengerKm = grams
        self.gramsPerVehicleKm = vehicleKm
        self.occupancy = occupancy
        self.year = year
        self.source = source
    }

    /// Encodes the form the factor was given in.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mode, forKey: .mode)
        if let gramsPerVehicleKm, let occupancy {
            try c.encode(gramsPerVehicleKm, forKey: .gramsPerVehicleKm)
            try c.encode(occupancy, forKey: .occupancy)
        } else {
            try c.encode(gramsPerPassengerKm, forKey: .gramsPerPassengerKm)
        }
        try c.encode(year, forKey: .year)
        try c.encode(source, forKey: .source)
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

    /// The baseline factor in grams per passenger-km (for a vehicle-km baseline: rounded to
    /// the nearest gram).
    public var baselineGramsPerKm: Int { factor(baseline)?.gramsPerPassengerKm ?? 0 }

    /// The baseline factor in milligrams per passenger-km: the figure pricing uses.
    public var baselineMilligramsPerKm: Int { factor(baseline)?.milligramsPerPassengerKm ?? 0 }

    /// The default set: UK DESNZ 2022, baseline petrol car (170 g/pkm).
    public static var ukDESNZ2022: FactorSet {
        get throws(CarbonError) { try parse(EmbeddedData.files["factors-uk-desnz-2022.json"] ?? "", file: "factors-uk-desnz-2022.json") }
    }

    /// The names of the factor-set files shipped with the module.
    public static var shipped: [String] { EmbeddedData.files.keys.filter { $0.hasPrefix("factors-") }.sorted() }

    /// Reads and checks a factor-set file (the format of
    /// `Sources/Carbon/Data/factors-uk-desnz-2022.json`).
    /// - Throws: ``CarbonError`` `factors_unreadable` or `factors_invalid`.
    public static func load(path: String) throws(CarbonError) -> FactorSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CarbonError(.factorsUnreadable, file: path, "cannot read the factor-set file; check the path")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses and checks a factor set.
    /// - Throws: ``CarbonError`` `factors_invalid` naming the file and the problem.
    public static func parse(_ text: String, file: String) throws(CarbonError) -> FactorSet {
        let set: FactorSet
        do {
            set = try JSONDecoder().decode(FactorSet.self, from: Data(text.utf8))
        } catch {
            throw CarbonError(.factorsInvalid, file: file, "not a factor set: \(jsonMessage(error)); see Sources/Carbon/Data/factors-uk-desnz-2022.json for the format",
                              underlying: error)
        }
        guard set.factor(set.baseline) != nil else {
            throw CarbonError(.factorsInvalid, file: file, "baseline '\(set.baseline.rawValue)' has no factor in the set; add one")
        }
        guard set.detourFactorPermille >= 1000 else {
            throw CarbonError(.factorsInvalid, file: file, "detour_factor_permille is \(set.detourFactorPermille); it must be ≥ 1000 (×1.0)")
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
