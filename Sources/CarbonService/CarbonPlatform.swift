public import Carbon
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import HTTPTypes
import TransitSupport

/// What the service's handlers share: the ledger, the pricer (factors, policy, feed), the
/// optional rider pseudonymizer, the limits, the metrics and the rate limiter.
///
/// The ledger's calls block (SQLite through GRDB, or PostgreSQL through a blocking pool), so
/// no ledger call runs on an event loop: trip credits go to the writer threads (group
/// commit), other writes and long reads to the platform's blocking pool (``ledger(_:_:)``),
/// and only short indexed reads on an embedded ledger run on the calling task (``read(_:_:)``).
public struct CarbonPlatform: Sendable {
    /// The ledger.
    public let ledger: any Ledger
    /// Prices trips with the methodology in force.
    public let pricer: Pricer
    /// Replaces rider ids before they are stored or looked up, when the programme uses
    /// pseudonyms (the same secret as the CLI's `--pseudonymize`).
    public let pseudonymizer: Pseudonymizer?
    /// The `GET /v1/factors` document.
    public let factors: FactorsDocument
    /// Limits and address.
    public let configuration: ServiceConfiguration
    /// The metrics `/metrics` renders.
    public let metrics: ServiceMetrics
    let limiter: RateLimiter
    /// The one writer of trip credits (group commit).
    let writer: CreditWriter

    /// Creates the platform.
    /// - Parameter factors: the `GET /v1/factors` document (default: the pricer's factor set,
    ///   policy, and the routes whose factor is not the mode's, as `transit carbon factors`
    ///   lists them).
    public init(ledger: any Ledger, pricer: Pricer, pseudonymizer: Pseudonymizer? = nil, factors: FactorsDocument? = nil,
                configuration: ServiceConfiguration = ServiceConfiguration(), metrics: ServiceMetrics = ServiceMetrics()) {
        self.ledger = ledger
        self.pricer = pricer
        self.pseudonymizer = pseudonymizer
        self.factors = factors ?? FactorsDocument(factors: pricer.factors, policy: pricer.policy,
                                                  routes: FactorsDocument.listedRoutes(pricer.table, routeFactors: pricer.routeFactors),
                                                  occupancy: pricer.occupancy)
        self.configuration = configuration
        self.metrics = metrics
        limiter = RateLimiter(rate: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)
        writer = CreditWriter(ledger: ledger, metrics: metrics)
    }

    /// The rider id as stored: its pseudonym when the programme uses them.
    func stored(rider: String) -> String { pseudonymizer?.pseudonym(rider) ?? rider }

    /// The threads ledger reads and the other writes block on: more than the cores, since
    /// they wait on SQLite's locks and the disk more than they compute, and apart from NIO's
    /// shared pool so that a slow write never holds up the reads behind it.
    static let blocking: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(8, 4 * System.coreCount))
        pool.start()
        return pool
    }()

    /// Runs a ledger operation on the blocking thread pool (``blocking``), timing it into the
    /// metrics, and turns a failure into a problem.
    func ledger<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (any Ledger) throws(CarbonError) -> T) async throws -> T {
        do {
            return try await CarbonPlatform.blocking.runIfActive { [self] () throws -> T in try measure(operation, body) }
        } catch is CancellationError {
            throw Problem.shuttingDown
        }
    }

    /// Runs a short indexed read (a key, a balance, a consent). On an embedded ledger it runs
    /// on the calling task: such a read takes tens of microseconds, less than the two thread
    /// hops of ``ledger(_:_:)``, and in WAL mode a reader never waits for the writer. A ledger
    /// over the network waits for its server, so there it goes through ``ledger(_:_:)``.
    /// Anything that writes or reads many rows goes through ``ledger(_:_:)`` always.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (any Ledger) throws(CarbonError) -> T) async throws -> T {
        guard ledger.isEmbedded else { return try await self.ledger(operation, body) }
        return try measure(operation, body)
    }

    /// Runs `body` on the ledger, timing it into the metrics.
    private func measure<T>(_ operation: String, _ body: (any Ledger) throws(CarbonError) -> T) throws(Problem) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer { metrics.ledger(operation, duration: clock.now - start) }
        do {
            return try body(ledger)
        } catch {
            throw Problem(error)
        }
    }

    /// Runs CPU-heavy work on a body of `size` bytes: inline when small, else on the
    /// blocking pool at a lower scheduling priority (nice 10), so that decoding and pricing
    /// a batch of thousands of trips does not delay the short requests (balances, single
    /// trips) that share the cores.
    func bulk<T: Sendable>(_ size: Int, _ body: @escaping @Sendable () throws(Problem) -> T) async throws -> T {
        guard size > 64 << 10 else { return try body() }
        do {
            return try await CarbonPlatform.blocking.runIfActive { () throws -> T in
                lowerThreadPriority()
                return try body()
            }
        } catch is CancellationError {
            throw Problem.shuttingDown
        }
    }

}

extension Problem {
    /// The problem answering a library error: its code, a status by code, and its message
    /// (which names what and what to do, never SQL: ledger failures get a fixed text).
    init(_ error: CarbonError) {
        switch error.code {
        case .notFound: self.init(.notFound, code: error.code.rawValue, error.message)
        case .insufficientPoints, .referenceConflict, .alreadyReversed, .ambiguousEvent:
            self.init(.conflict, code: error.code.rawValue, error.message)
        case .invalidRedemption, .invalidConsent, .invalidKey:
            self.init(.unprocessableContent, code: error.code.rawValue, error.message)
        case .fieldTooLong: // a field over its documented maxLength: the request itself is malformed
            self.init(.badRequest, code: error.code.rawValue, error.message)
        case .ledgerOpen, .ledgerRead, .ledgerWrite:
            self.init(.serviceUnavailable, code: "ledger_unavailable",
                      "the ledger could not complete the operation; nothing was changed by this request: retry it",
                      headers: [.retryAfter: "1"])
        default:
            self.init(.internalServerError, code: error.code.rawValue, error.message)
        }
    }
}

/// Lowers the calling thread's scheduling priority to nice 10. On Linux the nice value
/// belongs to the thread, and `who = 0` names the calling thread, so the rest of the process
/// keeps its priority; a thread of the blocking pool that ran bulk work stays at it, which
/// only makes its later short work yield sooner to the event loops.
func lowerThreadPriority() {
    #if os(Linux)
    let which = __priority_which_t(PRIO_PROCESS.rawValue)
    if getpriority(which, 0) < 10 { setpriority(which, 0, 10) }
    #endif
}
