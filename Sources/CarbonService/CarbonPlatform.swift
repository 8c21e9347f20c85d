public import Carbon
import NIOPosix
import HTTPTypes
import TransitSupport

/// What the service's handlers share: the ledger, the pricer (factors, policy, feed), the
/// optional rider pseudonymizer, the limits, the metrics and the rate limiter.
///
/// The ledger is blocking (SQLite through GRDB): every ledger call runs on NIO's blocking
/// thread pool (``ledger(_:_:)``), never on an event loop.
public struct CarbonPlatform: Sendable {
    /// The ledger.
    public let ledger: Ledger
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
    /// Pseudonymizes rider ids for log lines (a secret of this process, when the programme
    /// has none), so that logs never carry a rider id.
    let logPseudonymizer: Pseudonymizer?

    /// Creates the platform.
    /// - Parameter factors: the `GET /v1/factors` document (default: the pricer's factors and
    ///   policy, without per-route factors).
    public init(ledger: Ledger, pricer: Pricer, pseudonymizer: Pseudonymizer? = nil, factors: FactorsDocument? = nil,
                configuration: ServiceConfiguration = ServiceConfiguration(), metrics: ServiceMetrics = ServiceMetrics()) {
        self.ledger = ledger
        self.pricer = pricer
        self.pseudonymizer = pseudonymizer
        self.factors = factors ?? FactorsDocument(factors: pricer.factors, policy: pricer.policy, routes: [], occupancy: pricer.occupancy)
        self.configuration = configuration
        self.metrics = metrics
        limiter = RateLimiter(rate: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)
        logPseudonymizer = pseudonymizer ?? (try? Pseudonymizer(secret: CarbonPlatform.randomBytes(32)))
    }

    /// The rider id as stored: its pseudonym when the programme uses them.
    func stored(rider: String) -> String { pseudonymizer?.pseudonym(rider) ?? rider }

    /// Runs a ledger operation on the blocking thread pool, timing it into the metrics, and
    /// turns a failure into a problem (``CarbonServiceError``).
    func ledger<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Ledger) throws(CarbonError) -> T) async throws -> T {
        let ledger = self.ledger
        let clock = ContinuousClock()
        let start = clock.now
        defer { metrics.ledger(operation, duration: clock.now - start) }
        do {
            return try await NIOThreadPool.singleton.runIfActive { () throws -> T in try body(ledger) }
        } catch let error as CarbonError {
            throw Problem(error)
        } catch is CancellationError {
            throw Problem(.serviceUnavailable, code: "shutting_down", "the service is shutting down; retry on another instance or later")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
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
        case .ledgerOpen, .ledgerRead, .ledgerWrite:
            self.init(.serviceUnavailable, code: "ledger_unavailable",
                      "the ledger could not complete the operation; nothing was changed by this request: retry it",
                      headers: [.retryAfter: "1"])
        default:
            self.init(.internalServerError, code: error.code.rawValue, error.message)
        }
    }
}
