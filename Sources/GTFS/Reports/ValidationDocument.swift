/// What `transit gtfs validate` reports, as a document: the error and warning totals, the count
/// of every code (listed or not), and the findings listed, in report order.
///
/// Built from a ``ValidationReport`` by ``init(report:feed:includeInfo:)``; encodes with
/// snake_case keys in the order declared here.
public struct ValidationDocument: Codable, Sendable, Equatable {
    /// The feed path as given.
    public var feed: String
    /// Findings of severity error, counted (listed or not).
    public var errors: Int
    /// Findings of severity warning, counted (listed or not).
    public var warnings: Int
    /// Findings per code, sorted by code.
    public var counts: KeyedValues<Int>
    /// The findings listed (at most the report's limit per code), in ``ValidationReport/sorted`` order.
    public var findings: [Entry]

    enum CodingKeys: String, CodingKey {
        case feed
        case errors
        case warnings
        case counts
        case findings
    }

    /// One finding as the document lists it.
    public struct Entry: Codable, Sendable, Equatable {
        /// `error`, `warning` or `info`.
        public var severity: String
        /// The canonical notice code (`foreign_key_violation`).
        public var code: String
        /// The file it is about, if any.
        public var file: String?
        /// The 1-based line of that file, if any.
        public var line: Int?
        /// The field (column), if any.
        public var field: String?
        /// The offending value, if any.
        public var value: String?
        /// What is wrong, in words.
        public var message: String

        enum CodingKeys: String, CodingKey {
            case severity
            case code
            case file
            case line
            case field
            case value
            case message
        }

        /// The entry of `finding`.
        public init(_ finding: Finding) {
            severity = finding.severity.rawValue
            code = finding.code
            file = finding.file
            line = finding.line
            field = finding.field
            value = finding.value
            message = finding.message
        }
    }

    /// The document of `report` on the feed at `feed`; `includeInfo: false` leaves findings
    /// of severity info out of the list (they stay counted).
    /// - Complexity: O(n log n) in the findings listed.
    public init(report: ValidationReport, feed: String, includeInfo: Bool = true) {
        self.feed = feed
        errors = report.errorCount
        warnings = report.warningCount
        counts = KeyedValues(report.counts.keys.sorted().map { ($0, report.counts[$0] ?? 0) })
        findings = report.sorted.filter { includeInfo || $0.severity != .info }.map(Entry.init)
    }
}
