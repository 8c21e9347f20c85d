/// How serious a finding is, as MobilityData's canonical validator grades its notices.
public enum Severity: String, Sendable, Codable, Hashable, Comparable, CaseIterable {
    /// The feed breaks the specification; consumers may reject it.
    case error
    /// Probably a mistake, or a recommended practice not followed.
    case warning
    /// Worth knowing; not a defect.
    case info

    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One defect or remark about a feed, located by file, line and field.
///
/// ``code`` uses the canonical validator's notice codes (`foreign_key_violation`,
/// `duplicate_key`, …) so a report can be compared line by line with that tool's.
public struct Finding: Sendable, Hashable, Codable {
    /// How serious it is.
    public var severity: Severity
    /// The canonical notice code, snake_case.
    public var code: String
    /// The file inside the feed, when the finding concerns one.
    public var file: String?
    /// The 1-based physical line in that file (the header is line 1).
    public var line: Int?
    /// The column name.
    public var field: String?
    /// The offending value, as written.
    public var value: String?
    /// What is wrong and what to do, in one sentence.
    public var message: String

    /// Creates a finding.
    public init(_ severity: Severity, _ code: String, file: String? = nil, line: Int? = nil,
                field: String? = nil, value: String? = nil, message: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.message = message
    }

    /// `file:line: field 'f': message` — the form compilers use, so editors can jump to it.
    public var location: String {
        var s = file ?? "feed"
        if let line { s += ":\(line)" }
        if let field { s += ": field '\(field)'" }
        return s
    }
}

/// Every finding about a feed, with the true count per code even where the list is capped.
public struct ValidationReport: Sendable, Equatable {
    /// The findings kept, in the order they were found; at most ``maxPerCode`` per code.
    public private(set) var findings: [Finding] = []
    /// How many findings of each code there were, including those not kept.
    public private(set) var counts: [String: Int] = [:]
    /// How many findings of each severity there were, including those not kept.
    public private(set) var severityCounts: [Severity: Int] = [:]
    /// The number of findings kept per code; the rest are only counted.
    public let maxPerCode: Int

    /// Creates an empty report.
    public init(maxPerCode: Int = 1000) {
        self.maxPerCode = max(1, maxPerCode)
    }

    /// Adds a finding (counted always; kept while its code has fewer than ``maxPerCode``).
    public mutating func add(_ finding: Finding) {
        let n = counts[finding.code, default: 0]
        counts[finding.code] = n + 1
        severityCounts[finding.severity, default: 0] += 1
        if n < maxPerCode { findings.append(finding) }
    }

    /// Adds every finding of `other`.
    public mutating func merge(_ other: ValidationReport) {
        for (code, n) in other.counts {
            let kept = other.findings.filter { $0.code == code }
            let mine = counts[code, default: 0]
            counts[code] = mine + n
            let room = max(0, maxPerCode - mine)
            findings.append(contentsOf: kept.prefix(room))
        }
        for (s, n) in other.severityCounts { severityCounts[s, default: 0] += n }
    }

    /// Adds `offset` to every kept finding's line (for a part of a file parsed on its own).
    mutating func shiftLines(by offset: Int) {
        guard offset != 0 else { return }
        for i in findings.indices { if let l = findings[i].line { findings[i].line = l + offset } }
    }

    /// The number of errors.
    public var errorCount: Int { severityCounts[.error, default: 0] }
    /// The number of warnings.
    public var warningCount: Int { severityCounts[.warning, default: 0] }
    /// Whether any finding is an error.
    public var hasErrors: Bool { errorCount > 0 }
    /// The distinct codes of a severity, sorted.
    public func codes(_ severity: Severity) -> [String] {
        Array(Set(findings.filter { $0.severity == severity }.map(\.code))).sorted()
    }

    /// The findings sorted by severity, then file, then line.
    public var sorted: [Finding] {
        findings.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity < b.element.severity }
            if a.element.file != b.element.file { return (a.element.file ?? "") < (b.element.file ?? "") }
            if a.element.line != b.element.line { return (a.element.line ?? 0) < (b.element.line ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }
}
