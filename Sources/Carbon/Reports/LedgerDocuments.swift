import GTFS

/// One ledger entry as `transit carbon statement`, `reverse` and `export` print it; every key
/// is always present (`null` where the entry has no value).
///
/// Built from a ``LedgerEntry`` by ``init(_:)``; encodes with snake_case keys in the order
/// declared here (the ledger's column order).
public struct LedgerEntryDocument: Codable, Sendable, Equatable {
    /// The entry's position in commit order.
    public var id: Int64
    /// `credit`, `reversal`, `redemption` or `expiry`.
    public var kind: String
    /// The log source.
    public var source: String
    /// The event id (a redemption's reference, an expiry's day).
    public var eventID: String
    /// The rider (or their pseudonym).
    public var rider: String
    /// The travel mode (credits only).
    public var mode: String?
    /// The day, days since 1970-01-01 (credits only).
    public var day: Int32?
    /// The distance credited, in metres.
    public var metres: Int?
    /// Where the distance came from.
    public var distanceSource: String?
    /// The GTFS trip, for transit legs.
    public var tripID: String?
    /// Where the factor came from.
    public var factorSource: String?
    /// The factor, milligrams CO2e per passenger-km.
    public var factorMgPerPkm: Int?
    /// Grams saved as priced, before caps.
    public var gramsPriced: Int
    /// Grams CO2e of the entry.
    public var gramsCO2e: Int
    /// Points of the entry (negative for reversals, redemptions and expiries).
    public var points: Int
    /// The entry a reversal cancels.
    public var reverses: Int64?
    /// Why (reversals, redemptions).
    public var reason: String?
    /// The methodology version in force.
    public var methodologyVersion: String?
    /// The policy version in force.
    public var policyVersion: String?
    /// The hash of the record's content.
    public var contentHash: String
    /// When the entry was committed (ISO 8601, UTC).
    public var recordedAt: String

    enum CodingKeys: String, CodingKey {
        case id
        case kind
        case source
        case eventID = "event_id"
        case rider
        case mode
        case day
        case metres
        case distanceSource = "distance_source"
        case tripID = "trip_id"
        case factorSource = "factor_source"
        case factorMgPerPkm = "factor_mg_per_pkm"
        case gramsPriced = "grams_priced"
        case gramsCO2e = "grams_co2e"
        case points
        case reverses
        case reason
        case methodologyVersion = "methodology_version"
        case policyVersion = "policy_version"
        case contentHash = "content_hash"
        case recordedAt = "recorded_at"
    }

    /// The document of `entry`.
    public init(_ entry: LedgerEntry) {
        id = entry.id
        kind = entry.kind.rawValue
        source = entry.source
        eventID = entry.eventID
        rider = entry.rider
        mode = entry.mode
        day = entry.day
        metres = entry.metres
        distanceSource = entry.distanceSource
        tripID = entry.tripID
        factorSource = entry.factorSource
        factorMgPerPkm = entry.factorMilligramsPerKm
        gramsPriced = entry.gramsPriced
        gramsCO2e = entry.grams
        points = entry.points
        reverses = entry.reverses
        reason = entry.reason
        methodologyVersion = entry.methodologyVersion
        policyVersion = entry.policyVersion
        contentHash = entry.contentHash
        recordedAt = entry.recordedAt
    }
}

/// A rider's balance as `transit carbon balance` prints it.
public struct BalanceDocument: Codable, Sendable, Equatable {
    /// The rider (or their pseudonym).
    public var rider: String
    /// The sum of the points of their entries.
    public var points: Int
    /// The sum of the grams CO2e of their entries.
    public var gramsCO2e: Int
    /// How many entries they have.
    public var entries: Int

    enum CodingKeys: String, CodingKey {
        case rider
        case points
        case gramsCO2e = "grams_co2e"
        case entries
    }

    /// The document of `balance`.
    public init(_ balance: Balance) {
        rider = balance.rider
        points = balance.points
        gramsCO2e = balance.grams
        entries = balance.entries
    }
}

/// A redemption as `transit carbon redeem` prints it.
public struct RedemptionDocument: Codable, Sendable, Equatable {
    /// `redeemed`, or `already_redeemed` when the reference was redeemed before.
    public var status: String
    /// The rider (or their pseudonym).
    public var rider: String
    /// The points spent (positive).
    public var points: Int
    /// The idempotency reference.
    public var reference: String
    /// The redemption's entry id.
    public var entry: Int64
    /// The rider's balance after it, in points.
    public var balance: Int
    /// When the redemption was committed.
    public var recordedAt: String

    enum CodingKeys: String, CodingKey {
        case status
        case rider
        case points
        case reference
        case entry
        case balance
        case recordedAt = "recorded_at"
    }

    /// The document of `outcome`.
    public init(_ outcome: RedemptionOutcome) {
        if case .alreadyRedeemed = outcome { status = "already_redeemed" } else { status = "redeemed" }
        let e = outcome.entry
        rider = e.rider
        points = -e.points
        reference = e.eventID
        entry = e.id
        balance = outcome.balance
        recordedAt = e.recordedAt
    }
}

/// An expiry run as `transit carbon expire` prints it.
public struct ExpiryDocument: Codable, Sendable, Equatable {
    /// The day of the run, ISO 8601.
    public var asOf: String
    /// The policy version in force.
    public var policyVersion: String
    /// How many days points stay valid (`nil`: they never expire).
    public var pointsValidDays: Int?
    /// Points earned before this day lapsed, ISO 8601.
    public var lapsedBefore: String?
    /// Riders whose points lapsed.
    public var riders: Int
    /// Points that lapsed in all.
    public var points: Int
    /// One entry per rider whose points lapsed.
    public var expired: [Rider]
    /// Riders who already had an expiry on this day and points due.
    public var alreadyExpired: [String]

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case policyVersion = "policy_version"
        case pointsValidDays = "points_valid_days"
        case lapsedBefore = "lapsed_before"
        case riders
        case points
        case expired
        case alreadyExpired = "already_expired"
    }

    /// What lapsed for one rider.
    public struct Rider: Codable, Sendable, Equatable {
        /// The rider (or their pseudonym).
        public var rider: String
        /// The points that lapsed.
        public var points: Int
        /// Their balance after it.
        public var balance: Int
        /// The expiry's entry id.
        public var entry: Int64

        enum CodingKeys: String, CodingKey {
            case rider
            case points
            case balance
            case entry
        }
    }

    /// The document of `run` under the policy of version `policyVersion`.
    public init(_ run: ExpiryRun, policyVersion: String) {
        asOf = run.asOf.iso8601
        self.policyVersion = policyVersion
        pointsValidDays = run.validDays
        lapsedBefore = run.lapsedBefore?.iso8601
        riders = run.expired.count
        points = run.points
        expired = run.expired.map { Rider(rider: $0.rider, points: $0.points, balance: $0.balance, entry: $0.entryID) }
        alreadyExpired = run.alreadyExpired
    }
}
