import Foundation

/// A plausible speed range in km/h.
public struct SpeedRange: Sendable, Equatable, Codable {
    /// The lowest plausible mean speed, km/h.
    public let min: Double
    /// The highest plausible mean speed, km/h.
    public let max: Double
}

/// The caps on credited grams.
public struct Caps: Sendable, Equatable, Codable {
    /// The most one trip can earn, grams CO2e.
    public let perTripGrams: Int
    /// The most one rider can earn in one day over all modes, grams CO2e.
    public let perRiderDayGrams: Int
    /// The most one rider can earn in one day by each mode, grams CO2e (no entry: no cap).
    public let perModeDayGrams: [String: Int]

    enum CodingKeys: String, CodingKey {
        case perTripGrams = "per_trip_grams"
        case perRiderDayGrams = "per_rider_day_grams"
        case perModeDayGrams = "per_mode_day_grams"
    }

    /// The per-mode daily cap of `mode`, or `Int.max` when none is set.
    public func modeDay(_ mode: Mode) -> Int { perModeDayGrams[mode.rawValue] ?? Int.max }
}

/// How a transit leg without an alighting stop (a boarding-only record: a fare-card tap or a
/// ride-QR-code scan whose alighting could not be inferred) is credited: the policy's
/// `boarding_only` object.
///
/// Such a leg has no distance, and none is ever guessed. With ``Rule-swift.enum/reject`` (the
/// default, also when the key is absent) it is rejected with ``RejectionReason/noAlighting``;
/// with ``Rule-swift.enum/perBoarding`` it earns a fixed amount per boarding for its mode (as
/// Shanghai credits bus rides per ride), `{"rule": "per_boarding", "grams": {"bus": 150}}`.
public struct BoardingOnlyRule: Sendable, Equatable, Codable {
    /// What happens to a boarding-only leg.
    public enum Rule: String, Sendable, CaseIterable, Codable {
        /// Not credited: rejected with ``RejectionReason/noAlighting``.
        case reject
        /// Credited ``BoardingOnlyRule/grams`` for the leg's mode (a mode without an entry is
        /// rejected with ``RejectionReason/noAlighting``).
        case perBoarding = "per_boarding"
    }

    /// The rule.
    public let rule: Rule
    /// Grams CO2e avoided credited per boarding, by mode (``Rule-swift.enum/perBoarding`` only).
    public let grams: [String: Int]

    enum CodingKeys: String, CodingKey {
        case rule, grams
    }

    /// Creates a rule.
    public init(rule: Rule, grams: [String: Int] = [:]) {
        self.rule = rule
        self.grams = grams
    }

    /// Decodes the rule, naming an unknown one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .rule)
        guard let rule = Rule(rawValue: text) else {
            throw DecodingError.dataCorruptedError(forKey: .rule, in: c, debugDescription:
                "'\(text)' is not a rule (\(Rule.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.rule = rule
        grams = try c.decodeIfPresent([String: Int].self, forKey: .grams) ?? [:]
    }

    /// Encodes the rule (`grams` only when there are any).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        if !grams.isEmpty { try c.encode(grams, forKey: .grams) }
    }

    /// The grams credited per boarding by `mode`, or `nil` when a boarding by `mode` is rejected.
    public func gramsPerBoarding(_ mode: Mode) -> Int? {
        rule == .perBoarding ? grams[mode.rawValue] : nil
    }
}

/// The programme's rules: points, minimum distances, caps, speeds and schedule tolerance.
///
/// A JSON file (`Sources/Carbon/Data/policy-default.json` is the default); its ``version``
/// is recorded on every credit.
public struct Policy: Sendable, Equatable, Codable {
    /// The version recorded on every credit.
    public let version: String
    /// Grams CO2e per point (points = grams ÷ this, rounded down per entry).
    public let gramsPerPoint: Int
    /// How far (seconds) a rider's board and alight times may be from the schedule.
    public let scheduleToleranceSeconds: Int
    /// The shortest trip credited per mode, metres (no entry: no minimum).
    public let minDistanceMetres: [String: Int]
    /// The caps.
    public let caps: Caps
    /// Plausible mean speed per mode (no entry: not checked).
    public let speedKmh: [String: SpeedRange]
    /// How many days points stay spendable after the cap day they were earned on
    /// (`points_valid_days`; absent: points never expire). Points earned on day `d` lapse in
    /// an expiry run as of any day after `d + pointsValidDays` (see ``Ledger/expire(asOf:policy:)``).
    public let pointsValidDays: Int?
    /// Whether a rider's trips are credited only with their consent for the source and mode
    /// (`require_consent`; absent: false). See ``Ledger/recordConsent(rider:sources:modes:recordedBy:)``.
    public let requireConsent: Bool?
    /// How a transit leg without an alighting stop is credited (`boarding_only`; absent:
    /// rejected). See ``BoardingOnlyRule``.
    public let boardingOnly: BoardingOnlyRule?

    /// The rule for boarding-only legs (``boardingOnly``, ``BoardingOnlyRule/Rule-swift.enum/reject`` when absent).
    public var boardingOnlyRule: BoardingOnlyRule { boardingOnly ?? BoardingOnlyRule(rule: .reject) }

    /// Whether consent is required (``requireConsent``, false when absent).
    public var consentRequired: Bool { requireConsent ?? false }

    enum CodingKeys: String, CodingKey {
        case version, caps
        case gramsPerPoint = "grams_per_point"
        case scheduleToleranceSeconds = "schedule_tolerance_seconds"
        case minDistanceMetres = "min_distance_metres"
        case speedKmh = "speed_kmh"
        case pointsValidDays = "points_valid_days"
        case requireConsent = "require_consent"
        case boardingOnly = "boarding_only"
    }

    /// The minimum distance of `mode` in metres (0 when none).
    public func minDistance(_ mode: Mode) -> Int { minDistanceMetres[mode.rawValue] ?? 0 }

    /// The speed range of `mode`, if checked.
    public func speed(_ mode: Mode) -> SpeedRange? { speedKmh[mode.rawValue] }

    /// The default policy shipped with the module.
    public static var standard: Policy {
        get throws(CarbonError) { try parse(EmbeddedData.files["policy-default.json"] ?? "", file: "policy-default.json") }
    }

    /// Reads and checks a policy file.
    /// - Throws: ``CarbonError`` `policy_unreadable` or `policy_invalid`.
    public static func load(path: String) throws(CarbonError) -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CarbonError(.policyUnreadable, file: path, "cannot read the policy file; check the path")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses and checks a policy.
    /// - Throws: ``CarbonError`` `policy_invalid` naming the field and value.
    public static func parse(_ text: String, file: String) throws(CarbonError) -> Policy {
        let p: Policy
        do {
            p = try JSONDecoder().decode(Policy.self, from: Data(text.utf8))
        } catch {
            throw CarbonError(.policyInvalid, file: file, "not a policy: \(jsonMessage(error)); see Sources/Carbon/Data/policy-default.json for the format",
                              underlying: error)
        }
        func bad(_ field: String, _ value: String, _ rule: String) -> CarbonError {
            CarbonError(.policyInvalid, file: file, "field '\(field)': \(value) \(rule)")
        }
        guard p.gramsPerPoint > 0 else { throw bad("grams_per_point", "\(p.gramsPerPoint)", "must be > 0") }
        guard p.scheduleToleranceSeconds >= 0 else { throw bad("schedule_tolerance_seconds", "\(p.scheduleToleranceSeconds)", "must be ≥ 0") }
        if let days = p.pointsValidDays, days < 1 {
            throw bad("points_valid_days", "\(days)", "must be ≥ 1 (leave the field out for points that never expire)")
        }
        guard p.caps.perTripGrams >= 0 else { throw bad("caps.per_trip_grams", "\(p.caps.perTripGrams)", "must be ≥ 0") }
        guard p.caps.perRiderDayGrams >= 0 else { throw bad("caps.per_rider_day_grams", "\(p.caps.perRiderDayGrams)", "must be ≥ 0") }
        for key in Array(p.minDistanceMetres.keys) + Array(p.speedKmh.keys) + Array(p.caps.perModeDayGrams.keys) where Mode(rawValue: key) == nil {
            throw bad("mode", "'\(key)'", "is not a mode (one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for (k, v) in p.caps.perModeDayGrams where v < 0 { throw bad("caps.per_mode_day_grams.\(k)", "\(v)", "must be ≥ 0") }
        for (k, v) in p.minDistanceMetres where v < 0 { throw bad("min_distance_metres.\(k)", "\(v)", "must be ≥ 0") }
        for (k, r) in p.speedKmh where !(r.min >= 0 && r.max > r.min && r.max.isFinite) {
            throw bad("speed_kmh.\(k)", "\(r.min)-\(r.max)", "must have 0 ≤ min < max")
        }
        if let b = p.boardingOnly {
            for key in b.grams.keys.sorted() {
                guard let mode = Mode(rawValue: key) else {
                    throw bad("boarding_only.grams", "'\(key)'", "is not a mode (one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard mode.isGreen else { throw bad("boarding_only.grams.\(key)", "'\(key)'", "earns no points; leave it out") }
                if let g = b.grams[key], g < 0 { throw bad("boarding_only.grams.\(key)", "\(g)", "must be ≥ 0") }
            }
            switch b.rule {
            case .reject where !b.grams.isEmpty:
                throw bad("boarding_only.grams", "\(b.grams.count) modes", "are given with rule 'reject'; use rule 'per_boarding' or leave grams out")
            case .perBoarding where b.grams.isEmpty:
                throw bad("boarding_only.grams", "(none)", "must give grams per boarding for at least one mode with rule 'per_boarding' ({\"bus\": 150})")
            default: break
            }
        }
        return p
    }
}
