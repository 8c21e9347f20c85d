/// Collects findings: keeps at most ``maxPerCode`` of each code, in the order found, and
/// counts them all (per code and per severity).
///
/// The one collector of every module: the GTFS reader and validator fill one per feed, the
/// Ridership module one per input.
public struct ValidationReport: Sendable, Equatable {
    /// The findings kept, in the order they were found; at most ``maxPerCode`` per code.
    public private(set) var findings: [Finding] = []
    /// How many findings of each code there were, including those not kept.
    public private(set) var counts: [String: Int] = [:]
    /// How many findings of each severity there were, including those not kept.
    public private(set) var severityCounts: [Severity: Int] = [:]
    /// The number of findings kept per code; the rest are only counted.
    public let maxPerCode: Int

    /// Creates an empty report keeping at most `maxPerCode` (at least 1) findings per code.
    public init(maxPerCode: Int = 1000) {
        self.maxPerCode = max(1, maxPerCode)
    }

    /// Adds a finding (counted always; kept while its code has fewer than ``maxPerCode``).
    /// - Complexity: O(1) amortized.
    public mutating func add(_ finding: Finding) {
        let n = counts[finding.code, default: 0]
        counts[finding.code] = n + 1
        severityCounts[finding.severity, default: 0] += 1
        if n < maxPerCode { findings.append(finding) }
    }

    /// Adds each finding of `other` in order, as ``add(_:)`` does.
    public mutating func add(contentsOf other: some Sequence<Finding>) {
        for finding in other { add(finding) }
    }

    /// Adds every finding of `other`, with its true counts (kept ones while room is left), in
    /// the order `other` found them, so the merged report never depends on hash order.
    /// - Complexity: O(findings of `other` + codes of `other`).
    public mutating func merge(_ other: ValidationReport) {
        var seen: [String: Int] = [:] // `other`'s kept findings of each code passed so far
        for finding in other.findings {
            let before = counts[finding.code, default: 0] + seen[finding.code, default: 0]
            seen[finding.code, default: 0] += 1
            if before < maxPerCode { findings.append(finding) }
        }
        for (code, n) in other.counts { counts[code, default: 0] += n }
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

    /// The findings sorted by severity, then file, then line, keeping the order found among
    /// equals.
    /// - Complexity: O(n log n).
    public var sorted: [Finding] {
        stablySorted { a, b in a.severity == b.severity ? nil : a.severity < b.severity }
    }

    /// The findings sorted by file, then line (findings without a line first), keeping the
    /// order found among equals: severities mixed, as a file is read.
    /// - Complexity: O(n log n).
    public var sortedByLocation: [Finding] {
        stablySorted { _, _ in nil }
    }

    /// Sorts by `first` (which returns `nil` for a tie), then file, then line, then the order
    /// found.
    private func stablySorted(_ first: (Finding, Finding) -> Bool?) -> [Finding] {
        findings.enumerated().sorted { a, b in
            if let order = first(a.element, b.element) { return order }
            if a.element.file != b.element.file { return (a.element.file ?? "") < (b.element.file ?? "") }
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            if la != lb { return la < lb }
            return a.offset < b.offset
        }.map(\.element)
    }
}
