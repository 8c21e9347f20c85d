public import GTFS

/// What `transit carbon credit` reports about one run, as a document: the totals, the versions
/// in force, the rejections per reason and the credits per factor source, and the first
/// rejections listed.
///
/// Built from a ``CreditSummary`` by ``init(summary:rejections:pricer:)``; encodes with
/// snake_case keys in the order declared here.
public struct CreditDocument: Codable, Sendable, Equatable {
    /// Non-blank lines read.
    public var records: Int
    /// New credit entries written.
    public var accepted: Int
    /// Records rejected (conflicts not included).
    public var rejected: Int
    /// Records already credited with the same content.
    public var duplicates: Int
    /// Records whose key was credited with different content.
    public var conflicts: Int
    /// Credits a daily cap reduced.
    public var capped: Int
    /// Grams CO2e credited.
    public var gramsCO2e: Int
    /// Points credited.
    public var points: Int
    /// The methodology version recorded on the credits.
    public var methodologyVersion: String
    /// The policy version recorded on the credits.
    public var policyVersion: String
    /// Rejections per reason code, most frequent first (ties by code).
    public var rejectedByReason: KeyedValues<Int>
    /// Credits per factor source, by source.
    public var creditedByFactorSource: KeyedValues<Int>
    /// The rejections listed (the first ones of the run).
    public var rejections: [RejectionEntry]
    /// How many rejections are listed.
    public var rejectionsListed: Int

    enum CodingKeys: String, CodingKey {
        case records
        case accepted
        case rejected
        case duplicates
        case conflicts
        case capped
        case gramsCO2e = "grams_co2e"
        case points
        case methodologyVersion = "methodology_version"
        case policyVersion = "policy_version"
        case rejectedByReason = "rejected_by_reason"
        case creditedByFactorSource = "credited_by_factor_source"
        case rejections
        case rejectionsListed = "rejections_listed"
    }

    /// One rejected record.
    public struct RejectionEntry: Codable, Sendable, Equatable {
        /// The 1-based line in the log.
        public var line: Int
        /// The event id, when it could be read.
        public var eventID: String?
        /// The reason code (``RejectionReason``).
        public var reason: String
        /// What exactly was wrong.
        public var detail: String

        enum CodingKeys: String, CodingKey {
            case line
            case eventID = "event_id"
            case reason
            case detail
        }

        /// The entry of `rejection`.
        public init(_ rejection: Rejection) {
            line = rejection.line
            eventID = rejection.eventID
            reason = rejection.reason.rawValue
            detail = rejection.detail
        }
    }

    /// The document of a run that ended with `summary`, listing `rejections`, priced by `pricer`.
    /// - Complexity: O(r log r) in the reasons and sources, plus O(rejections).
    public init(summary: CreditSummary, rejections: [Rejection], pricer: Pricer) {
        records = summary.records
        accepted = summary.accepted
        rejected = summary.rejected
        duplicates = summary.duplicates
        conflicts = summary.conflicts
        capped = summary.capped
        gramsCO2e = summary.grams
        points = summary.points
        methodologyVersion = pricer.methodologyVersion
        policyVersion = pricer.policy.version
        rejectedByReason = KeyedValues(summary.rejectedByReason
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { ($0.key.rawValue, $0.value) })
        creditedByFactorSource = KeyedValues(summary.creditedByFactorSource
            .sorted { $0.key.rawValue < $1.key.rawValue }
            .map { ($0.key.rawValue, $0.value) })
        self.rejections = rejections.map(RejectionEntry.init)
        rejectionsListed = rejections.count
    }
}
