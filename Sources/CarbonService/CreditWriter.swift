import Carbon
import HTTPTypes
import NIOPosix
import TransitSupport
import Synchronization

/// The one writer of trip credits: a thread that takes every batch waiting and credits them in
/// one ledger transaction (group commit), then answers each request with its own outcomes.
///
/// Each commit of the ledger syncs the file (`synchronous = FULL`), which on a disk takes
/// milliseconds; one transaction per request would cap single-trip requests at a few hundred
/// a second. Batches that wait together share one write and one sync instead. Each batch is
/// still all or nothing (it is in exactly one transaction), and a key in two waiting batches
/// is credited once.
final class CreditWriter: Sendable {
    typealias Result = (outcomes: [TripOutcome], summary: CreditSummary)

    private struct Job: Sendable {
        let batch: PricedBatch
        let done: CheckedContinuation<Result, any Error>
    }

    private struct State: Sendable {
        var jobs: [Job] = []
        var stopped = false
        /// No writer thread (none could be started, or the ledger is not embedded): requests
        /// credit on the blocking pool themselves.
        var inline = false
    }

    private let state = Condition(State())
    private let ledger: any Ledger
    private let metrics: ServiceMetrics
    private let thread: Mutex<ThreadHandle?>

    /// Starts the writer thread. At most `maxLegs` legs go into one transaction (a batch
    /// larger than that goes alone).
    ///
    /// A ledger that is not embedded (PostgreSQL) gets no writer thread: each request credits
    /// its batch in a transaction of its own on the blocking pool, so that batches of one
    /// instance are written concurrently, as those of several instances are; the server
    /// groups their commits itself.
    init(ledger: any Ledger, metrics: ServiceMetrics, maxLegs: Int = 50_000) {
        self.ledger = ledger
        self.metrics = metrics
        let state = self.state
        guard ledger.isEmbedded else {
            state.update { $0.inline = true }
            thread = Mutex(nil)
            return
        }
        let handle = startThread { onOwnThread in
            guard onOwnThread else {
                state.update { $0.inline = true }
                return
            }
            CreditWriter.run(state, ledger: ledger, metrics: metrics, maxLegs: maxLegs)
        }
        thread = Mutex(handle)
    }

    deinit {
        state.update { $0.stopped = true }
    }

    /// Credits `batch` with the batches waiting beside it; returns its outcomes.
    /// - Throws: ``Problem`` 503 when the ledger write failed (nothing of the batch stored).
    func credit(_ batch: PricedBatch) async throws -> Result {
        if state.withLock({ $0.inline }) {
            let ledger = self.ledger
            do {
                let metrics = self.metrics
                return try await CarbonPlatform.blocking.runIfActive {
                    let clock = ContinuousClock(), start = clock.now
                    defer { metrics.ledger("credit", duration: clock.now - start) }
                    return try batch.credit(into: ledger)
                }
            } catch let error as CarbonError {
                throw Problem(error)
            }
        }
        do {
            return try await withCheckedThrowingContinuation { done in
                let queued = state.update { s -> Bool in
                    guard !s.stopped else { return false }
                    s.jobs.append(Job(batch: batch, done: done))
                    return true
                }
                if !queued { done.resume(throwing: Problem.shuttingDown) }
            }
        } catch let error as CarbonError {
            throw Problem(error)
        }
    }

    /// The writer loop: waits for jobs, takes all that fit in one transaction, credits them,
    /// answers them; returns once stopped with nothing left to do.
    private static func run(_ state: Condition<State>, ledger: any Ledger, metrics: ServiceMetrics, maxLegs: Int) {
        // Bulk work: a batch of thousands of legs must not delay the short reads.
        lowerThreadPriority()
        let clock = ContinuousClock()
        while true {
            let jobs: [Job]? = state.wait { s -> [Job]?? in
                if s.jobs.isEmpty { return s.stopped ? .some(nil) : nil }
                var legs = 0
                var taken = 0
                for job in s.jobs {
                    let n = job.batch.items.count
                    if taken > 0 && legs + n > maxLegs { break }
                    legs += n
                    taken += 1
                }
                let chosen = Array(s.jobs.prefix(taken))
                s.jobs.removeFirst(taken)
                return .some(chosen)
            }
            guard let jobs else { return }
            let start = clock.now
            let outcome = Swift.Result { () throws(CarbonError) in try PricedBatch.credit(jobs.map(\.batch), into: ledger) }
            // Timed before anyone is answered: a client that has its answer finds the
            // transaction in `/metrics` (recording after the answers raced a client's next request).
            metrics.ledger("credit", duration: clock.now - start)
            switch outcome {
            case .success(let results):
                for (job, result) in zip(jobs, results) { job.done.resume(returning: result) }
            case .failure(let error):
                for job in jobs { job.done.resume(throwing: error) }
            }
        }
    }
}

extension Problem {
    /// 503 while the service stops.
    static var shuttingDown: Problem {
        Problem(.serviceUnavailable, code: "shutting_down", "the service is shutting down; retry on another instance or later",
                headers: [.retryAfter: "1"])
    }
}
