import TransitSupport

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
    /// New credit entries per source of the factor that priced them.
    public var creditedByFactorSource: [FactorSource: Int] = [:]
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
    /// - Throws: ``CarbonError`` from opening the log or writing the ledger, and
    ///   `log_unreadable` when the log could not be read to its end (what was read before is
    ///   credited).
    public static func run(logPath: String, format: TripLogFormat? = nil, pricer: Pricer, ledger: any Ledger,
                           pseudonymizer: Pseudonymizer? = nil, batchSize: Int = 20_000,
                           onRejection: (Rejection) -> Void = { _ in },
                           onBatch: (CreditSummary, Int) -> Void = { _, _ in }) throws(CarbonError) -> CreditSummary {
        let reader = try TripLogReader(path: logPath, format: format, pseudonymizer: pseudonymizer)
        // Reading and pricing run on a second thread, one batch ahead of the ledger writes;
        // the batches, their transactions and the callbacks keep the order of a serial run.
        let producer = CreditProducer(reader: reader, pricer: pricer, batchSize: max(1, batchSize))
        let handover = CreditHandover()
        let thread = startThread(stackSize: 1 << 20) { onOwnThread in
            producer.produce(into: handover, ownThread: onOwnThread)
        }
        let outcome: Result<CreditSummary, CarbonError>
        do {
            outcome = .success(try consume(handover, pricer: pricer, ledger: ledger, onRejection: onRejection, onBatch: onBatch))
        } catch {
            outcome = .failure(error)
        }
        // Stop the producer (when the consumer failed early) and wait until it let go of the log.
        handover.stop()
        thread.join()
        return try outcome.get()
    }

    /// The ledger side: takes the segments in order, credits their legs and reports.
    private static func consume(_ handover: CreditHandover, pricer: Pricer, ledger: any Ledger,
                                onRejection: (Rejection) -> Void,
                                onBatch: (CreditSummary, Int) -> Void) throws(CarbonError) -> CreditSummary {
        var summary = CreditSummary()
        let session = CreditSession()
        func flush(_ batch: [PricedLeg]) throws(CarbonError) {
            guard !batch.isEmpty else { return }
            let outcomes = try ledger.credit(batch, policy: pricer.policy, methodologyVersion: pricer.methodologyVersion, session: session)
            for (leg, outcome) in zip(batch, outcomes) {
                if let rejection = summary.add(outcome, of: leg) { onRejection(rejection) }
            }
        }
        while true {
            var segment = handover.take()
            summary.records += segment.records
            for r in segment.rejections {
                summary.rejectedByReason[r.reason, default: 0] += 1
                onRejection(r)
            }
            try flush(segment.legs)
            // The producer thread frees the batch (its strings were allocated there).
            handover.recycle(segment.legs)
            segment.legs = []
            onBatch(summary, segment.bytesRead)
            if segment.last {
                // What was read is credited; the rest of the log was not, so the run fails.
                if let failure = segment.readFailure { throw failure }
                break
            }
        }
        return summary
    }
}

/// One hand-over from the producer: the legs of one batch and the rejections read while
/// filling it, in log order.
struct CreditSegment: Sendable {
    var legs: [PricedLeg] = []
    var rejections: [Rejection] = []
    var records = 0
    var bytesRead = 0
    var last = false
    /// On the last segment: why the log ended early (a read error), if it did.
    var readFailure: CarbonError?
}

/// Where the producer thread hands segments to the ledger side, one at a time, and takes
/// spent batches back. All state sits in a ``Condition``, so it is `Sendable` as it stands.
final class CreditHandover: Sendable {
    private struct State: Sendable {
        var ready: [CreditSegment] = []
        var spent: [[PricedLeg]] = []
        var stopped = false
        /// Segments allowed to wait for the consumer: 1, or unbounded when the producer runs
        /// on the consumer's own thread (no thread could be started).
        var limit = 1
    }

    private let state = Condition(State())

    /// Lets segments pile up (the producer runs before the consumer, on its thread).
    func unbounded() {
        state.update { $0.limit = .max }
    }

    /// Waits until the consumer took enough of the earlier segments, then hands `segment`
    /// over; `false` when the run was stopped.
    func hand(_ segment: CreditSegment) -> Bool {
        state.wait { s -> Bool? in
            if s.stopped { return false }
            guard s.ready.count < s.limit else { return nil }
            s.ready.append(segment)
            return true
        }
    }

    /// The next segment, in log order (waits for it).
    func take() -> CreditSegment {
        state.wait { s in s.ready.isEmpty ? nil : s.ready.removeFirst() }
    }

    /// Takes back a batch the consumer is done with, to be freed on the producer thread.
    func recycle(_ legs: [PricedLeg]) {
        state.withLock { $0.spent.append(legs) }
    }

    /// The batches handed back so far (the producer frees them outside the lock).
    func takeSpent() -> [[PricedLeg]] {
        state.withLock { s in
            defer { s.spent = [] }
            return s.spent
        }
    }

    /// Stops the producer at its next hand-over.
    func stop() {
        state.update { $0.stopped = true }
    }
}

/// The reading and pricing side of ``CreditRun``, run on the producer thread (it owns the log
/// reader; not `Sendable`, it is sent to that thread whole).
final class CreditProducer {
    private var reader: TripLogReader
    private let pricer: Pricer
    private let batchSize: Int

    init(reader: consuming TripLogReader, pricer: Pricer, batchSize: Int) {
        self.reader = reader
        self.pricer = pricer
        self.batchSize = batchSize
    }

    /// Reads, prices and hands over segments until the end of the log or until stopped.
    /// `ownThread` is `false` when it runs on the consumer's thread (segments then pile up).
    func produce(into handover: CreditHandover, ownThread: Bool) {
        if !ownThread { handover.unbounded() }
        var segment = CreditSegment()
        segment.legs.reserveCapacity(batchSize)
        while true {
            guard let item = reader.next() else { break }
            segment.records += 1
            let result: Result<PricedLeg, Rejection>
            switch item {
            case .rejected(let r): result = .failure(r)
            case .record(let record): result = pricer.price(record)
            }
            switch result {
            case .success(let leg):
                segment.legs.append(leg)
                if segment.legs.count >= batchSize {
                    segment.bytesRead = reader.bytesRead
                    guard handover.hand(segment) else { return }
                    _ = handover.takeSpent()
                    segment = CreditSegment()
                    segment.legs.reserveCapacity(batchSize)
                }
            case .failure(let r):
                segment.rejections.append(r)
            }
        }
        segment.bytesRead = reader.bytesRead
        segment.readFailure = reader.readFailure
        segment.last = true
        _ = handover.hand(segment)
    }
}
