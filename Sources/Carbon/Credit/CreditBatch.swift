/// What became of one trip of a batch credited by ``PricedBatch/credit(into:)``.
public struct TripOutcome: Sendable, Equatable {
    /// The four outcomes; raw values are the service's `outcome` codes.
    public enum Kind: String, Sendable, Codable {
        /// A new credit entry (possibly reduced by a daily cap, even to 0 grams).
        case credited
        /// Already credited with the same content: nothing credited.
        case duplicate
        /// Already credited with different content: nothing credited.
        case conflict
        /// Not creditable (``reason`` says why); not stored.
        case rejected
    }

    /// The event id, when it could be read.
    public let eventID: String?
    /// What became of the trip.
    public let kind: Kind
    /// Why it was rejected or conflicts (`nil` when credited or duplicate).
    public let reason: RejectionReason?
    /// The detail of a rejection or conflict.
    public let detail: String?
    /// Grams CO2e credited.
    public let grams: Int
    /// Points credited.
    public let points: Int
    /// Whether a daily cap reduced the credit.
    public let capped: Bool
}

extension CreditSummary {
    /// Adds one ledger outcome of `leg`, returning the rejection it amounts to (conflicts and
    /// missing consent), if any. The one place a credit outcome is counted, for the CLI's
    /// credit runs and the service's batches alike.
    mutating func add(_ outcome: CreditOutcome, of leg: PricedLeg) -> Rejection? {
        switch outcome {
        case .credited(let g, let p, let capped):
            accepted += 1
            creditedByFactorSource[leg.factorSource, default: 0] += 1
            grams += g
            points += p
            if capped { self.capped += 1 }
            return nil
        case .duplicate:
            duplicates += 1
            return nil
        case .notConsented:
            rejectedByReason[.noConsent, default: 0] += 1
            return Rejection(line: leg.line, eventID: leg.eventID, reason: .noConsent,
                             detail: "the rider has not consented to \(leg.mode.rawValue) trips from source '\(leg.source)'")
        case .conflict(let hash):
            conflicts += 1
            return Rejection(line: leg.line, eventID: leg.eventID, reason: .conflict,
                             detail: "source '\(leg.source)' event '\(leg.eventID)' is already credited with different content (hash \(hash), this record \(leg.contentHash))")
        }
    }
}

/// A batch of trips read and priced in memory, ready to credit in one transaction: the
/// carbon service's `POST /v1/trips` (the CLI's ``CreditRun`` streams a log instead, with
/// the same pricing, ledger call and counting).
public struct PricedBatch: Sendable {
    /// Each trip, in order: its priced leg, or why it cannot be credited.
    public let items: [Result<PricedLeg, Rejection>]
    /// The pricer's policy and methodology version, recorded on the credits.
    public let policy: Policy
    /// The methodology version recorded on the credits.
    public let methodologyVersion: String

    /// Prices every record of `items` with `pricer` (malformed ones stay rejected).
    /// - Complexity: O(trips), plus the stops of each transit leg's trip.
    public init(_ items: [LogItem], pricer: Pricer) {
        self.items = items.map { item in
            switch item {
            case .rejected(let r): .failure(r)
            case .record(let record): pricer.price(record)
            }
        }
        policy = pricer.policy
        methodologyVersion = pricer.methodologyVersion
    }

    /// The priced legs, in order.
    public var legs: [PricedLeg] { items.compactMap { try? $0.get() } }

    /// Credits the priced legs in one ledger transaction (all or nothing) and returns one
    /// outcome per trip in order, with the totals.
    /// - Throws: ``CarbonError`` `ledger_write`; then nothing of the batch is stored.
    public func credit(into ledger: any Ledger) throws(CarbonError) -> (outcomes: [TripOutcome], summary: CreditSummary) {
        try PricedBatch.credit([self], into: ledger)[0]
    }

    /// Credits several batches priced under one policy and methodology in one ledger
    /// transaction (group commit: one write and one sync for all of them) and returns each
    /// batch's outcomes, as ``credit(into:)`` would. A key in two of the batches is credited
    /// once, in the first; the later one is a duplicate (or a conflict).
    ///
    /// Batches under another policy or methodology than the first are credited in a
    /// transaction of their own (each batch stays all or nothing).
    /// - Throws: ``CarbonError`` `ledger_write`; then nothing of the batches of the failed
    ///   transaction is stored.
    public static func credit(_ batches: [PricedBatch], into ledger: any Ledger) throws(CarbonError) -> [(outcomes: [TripOutcome], summary: CreditSummary)] {
        var results: [(outcomes: [TripOutcome], summary: CreditSummary)] = []
        var start = 0
        while start < batches.count {
            let first = batches[start]
            var end = start + 1
            while end < batches.count, batches[end].policy == first.policy, batches[end].methodologyVersion == first.methodologyVersion { end += 1 }
            let group = batches[start..<end]
            let legs = group.flatMap(\.legs)
            let all = legs.isEmpty ? [] : try ledger.credit(legs, policy: first.policy, methodologyVersion: first.methodologyVersion)
            var offset = 0
            for batch in group {
                let count = batch.items.count { if case .success = $0 { true } else { false } }
                results.append(batch.results(Array(all[offset..<min(all.count, offset + count)])))
                offset += count
            }
            start = end
        }
        return results
    }

    /// The outcomes of every trip, given the ledger's outcomes of the priced legs in order.
    private func results(_ ledgerOutcomes: [CreditOutcome]) -> (outcomes: [TripOutcome], summary: CreditSummary) {
        var summary = CreditSummary()
        summary.records = items.count
        var outcomes: [TripOutcome] = []
        outcomes.reserveCapacity(items.count)
        var next = ledgerOutcomes.makeIterator()
        for item in items {
            switch item {
            case .failure(let r):
                summary.rejectedByReason[r.reason, default: 0] += 1
                outcomes.append(TripOutcome(eventID: r.eventID, kind: .rejected, reason: r.reason, detail: r.detail, grams: 0, points: 0, capped: false))
            case .success(let leg):
                guard let outcome = next.next() else { continue }
                let rejection = summary.add(outcome, of: leg)
                switch outcome {
                case .credited(let g, let p, let capped):
                    outcomes.append(TripOutcome(eventID: leg.eventID, kind: .credited, reason: nil, detail: nil, grams: g, points: p, capped: capped))
                case .duplicate:
                    outcomes.append(TripOutcome(eventID: leg.eventID, kind: .duplicate, reason: nil, detail: nil, grams: 0, points: 0, capped: false))
                case .conflict:
                    outcomes.append(TripOutcome(eventID: leg.eventID, kind: .conflict, reason: .conflict, detail: rejection?.detail, grams: 0, points: 0, capped: false))
                case .notConsented:
                    outcomes.append(TripOutcome(eventID: leg.eventID, kind: .rejected, reason: .noConsent, detail: rejection?.detail, grams: 0, points: 0, capped: false))
                }
            }
        }
        return (outcomes, summary)
    }
}
