/// The totals of one credit run.
public struct CreditSummary: Sendable, Equatable {
    /// Non-blank lines read (records and malformed lines).
    public var records = 0
    /// New credit entries written (including ones a daily cap reduced, even to 0 grams).
    public var accepted = 0
    /// Credits whose grams a daily cap reduced.
    public var capped = 0
    /// Records already in the ledger with the same content.
    public var duplicates = 0
    /// Records whose key is in the ledger with different content.
    public var conflicts = 0
    /// Rejected records per reason (conflicts not included).
    public var rejectedByReason: [RejectionReason: Int] = [:]
    /// Grams CO2e credited.
    public var grams = 0
    /// Points credited.
    public var points = 0

    /// Rejected records in all (conflicts not included).
    public var rejected: Int { rejectedByReason.values.reduce(0, +) }

    /// Creates an empty summary.
    public init() {}
}

/// Credits a trip log into a ledger: read (streaming), price, and commit in batches.
public enum CreditRun {
    /// Reads `logPath`, prices each record with `pricer` and credits the priced legs into
    /// `ledger`, `batchSize` legs per transaction.
    ///
    /// Memory stays flat: one batch is held at a time. A batch that fails to commit stops the
    /// run with the error (earlier batches stay committed; re-running the log is safe, since
    /// credited records come back as duplicates).
    /// - Parameters:
    ///   - onRejection: called for every rejected or conflicting record, in log order.
    ///   - onBatch: called after each committed batch with the running totals and the bytes
    ///     of the log read so far (for progress).
    /// - Throws: ``CarbonError`` from opening the log or writing the ledger.
    public static func run(logPath: String, format: TripLogFormat? = nil, pricer: Pricer, ledger: Ledger,
                           pseudonymizer: Pseudonymizer? = nil, batchSize: Int = 20_000,
                           onRejection: (Rejection) -> Void = { _ in },
                           onBatch: (CreditSummary, Int) -> Void = { _, _ in }) throws(CarbonError) -> CreditSummary {
        var reader = try TripLogReader(path: logPath, format: format, pseudonymizer: pseudonymizer)
        var summary = CreditSummary()
        var batch: [PricedLeg] = []
        batch.reserveCapacity(max(1, batchSize))
        func flush() throws(CarbonError) {
            guard !batch.isEmpty else { return }
            let outcomes = try ledger.credit(batch, policy: pricer.policy, methodologyVersion: pricer.methodologyVersion)
            for (leg, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .credited(let g, let p, let capped):
                    summary.accepted += 1
                    summary.grams += g
                    summary.points += p
                    if capped { summary.capped += 1 }
                case .duplicate:
                    summary.duplicates += 1
                case .conflict(let hash):
                    summary.conflicts += 1
                    onRejection(Rejection(line: leg.line, eventID: leg.eventID, reason: .conflict,
                                          detail: "source '\(leg.source)' event '\(leg.eventID)' is already credited with different content (hash \(hash), this record \(leg.contentHash))"))
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        while let item = reader.next() {
            summary.records += 1
            let result: Result<PricedLeg, Rejection>
            switch item {
            case .rejected(let r): result = .failure(r)
            case .record(let record): result = pricer.price(record)
            }
            switch result {
            case .success(let leg):
                batch.append(leg)
                if batch.count >= batchSize {
                    try flush()
                    onBatch(summary, reader.bytesRead)
                }
            case .failure(let r):
                summary.rejectedByReason[r.reason, default: 0] += 1
                onRejection(r)
            }
        }
        try flush()
        onBatch(summary, reader.bytesRead)
        return summary
    }
}
