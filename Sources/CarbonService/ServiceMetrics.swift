import Metrics
public import Prometheus

/// The service's metrics, in one Prometheus registry of its own (so that several services in
/// one process, as in the tests, do not share counters), recorded through swift-metrics.
///
/// - `carbon_legs_credited_total{source}`, `carbon_legs_rejected_total{source,reason}`
///   (reasons are ``Carbon/RejectionReason`` codes, plus `duplicate`);
/// - `http_request_duration_seconds{method,route,status}` (a histogram);
/// - `carbon_ledger_batch_duration_seconds{operation}` (a histogram of ledger transactions).
public struct ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    /// Creates the metrics over a new registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]
        factory.defaultDurationHistogramBuckets = fast
        self.factory = factory
    }

    /// Counts legs credited from `source`.
    func credited(_ count: Int, source: String) {
        guard count > 0 else { return }
        Counter(label: "carbon_legs_credited_total", dimensions: [("source", source)], factory: factory).increment(by: count)
    }

    /// Counts legs not credited from `source`, by reason.
    func rejected(_ count: Int, source: String, reason: String) {
        guard count > 0 else { return }
        Counter(label: "carbon_legs_rejected_total", dimensions: [("source", source), ("reason", reason)], factory: factory).increment(by: count)
    }

    /// Records one request's latency.
    func request(method: String, route: String, status: Int, duration: Duration) {
        Metrics.Timer(label: "http_request_duration_seconds",
                      dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Records one ledger transaction's time.
    func ledger(_ operation: String, duration: Duration) {
        Metrics.Timer(label: "carbon_ledger_batch_duration_seconds", dimensions: [("operation", operation)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// The Prometheus text format of every metric.
    func render() -> [UInt8] { registry.emitToBuffer() }
}

extension Duration {
    /// Whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (s, a) = components
        let (m, o) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return o ? .max : m &+ a / 1_000_000_000
    }
}
