import Foundation

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
    /// - Throws: ``CarbonError`` from opening the log or writing the ledger.
    public static func run(logPath: String, format: TripLogFormat? = nil, pricer: Pricer, ledger: Ledger,
                           pseudonymizer: Pseudonymizer? = nil, batchSize: Int = 20_000,
                           onRejection: (Rejection) -> Void = { _ in },
                           onBatch: (CreditSummary, Int) -> Void = { _, _ in }) throws(CarbonError) -> CreditSummary {
        let reader = try TripLogReader(path: logPath, format: format, pseudonymizer: pseudonymizer)
        // Reading and pricing run on a second thread, one batch ahead of the ledger writes;
        // the batches, their transactions and the callbacks keep the order of a serial run.
        let pipe = CreditPipeline(reader: reader, pricer: pricer, batchSize: max(1, batchSize))
        let producer = Thread { pipe.produce() }
        producer.stackSize = 1 << 20
        producer.start()
        defer { pipe.stop() }
        var summary = CreditSummary()
        let session = CreditSession()
        func flush(_ batch: [PricedLeg]) throws(CarbonError) {
            guard !batch.isEmpty else { return }
            let outcomes = try ledger.credit(batch, policy: pricer.policy, methodologyVersion: pricer.methodologyVersion, session: session)
            for (leg, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .credited(let g, let p, let capped):
                    summary.accepted += 1
                    summary.creditedByFactorSource[leg.factorSource, default: 0] += 1
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
        }
        while true {
            var segment = pipe.take()
            summary.records += segment.records
            for r in segment.rejections {
                summary.rejectedByReason[r.reason, default: 0] += 1
                onRejection(r)
            }
            try flush(segment.legs)
            // The producer thread frees the batch (its strings were allocated there).
            pipe.recycle(segment.legs)
            segment.legs = []
            onBatch(summary, segment.bytesRead)
            if segment.last { break }
        }
        return summary
    }
}

/// The reading and pricing side of ``CreditRun``: a producer thread hands over segments (the
/// legs of one batch and the rejections read while filling it, in log order) one at a time.
final class CreditPipeline: @unchecked Sendable {
    struct Segment {
        var legs: [PricedLeg] = []
        var rejections: [Rejection] = []
        var records = 0
        var bytesRead = 0
        var last = false
    }

    private var reader: TripLogReader
    private let pricer: Pricer
    private let batchSize: Int
    private let condition = NSCondition()
    private var ready: Segment?
    private var spent: [[PricedLeg]] = []
    private var stopped = false
    private var finished = false

    init(reader: consuming TripLogReader, pricer: Pricer, batchSize: Int) {
        self.reader = reader
        self.pricer = pricer
        self.batchSize = batchSize
    }

    /// Runs on the producer thread: reads, prices and hands over segments until the end of
    /// the log or ``stop()``.
    func produce() {
        var segment = Segment()
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
                    guard hand(segment) else { return finish() }
                    drainSpent()
                    segment = Segment()
                    segment.legs.reserveCapacity(batchSize)
                }
            case .failure(let r):
                segment.rejections.append(r)
            }
        }
        segment.bytesRead = reader.bytesRead
        segment.last = true
        _ = hand(segment)
        finish()
    }

    /// Takes back a batch the consumer is done with, to be freed on the producer thread.
    func recycle(_ legs: [PricedLeg]) {
        condition.lock()
        spent.append(legs)
        condition.unlock()
    }

    /// Frees the batches handed back, outside the lock.
    private func drainSpent() {
        condition.lock()
        let done = spent
        spent = []
        condition.unlock()
        _ = done
    }

    /// Waits until the consumer took the previous segment; `false` when stopped.
    private func hand(_ segment: Segment) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready != nil && !stopped { condition.wait() }
        if stopped { return false }
        ready = segment
        condition.broadcast()
        return true
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next segment, in log order (waits for it).
    func take() -> Segment {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let segment = ready {
                ready = nil
                condition.broadcast()
                return segment
            }
            condition.wait()
        }
    }

    /// Stops the producer and waits until it has let go of the log.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
