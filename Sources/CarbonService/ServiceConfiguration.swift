/// How the carbon service runs: where it listens and its limits. Every field has a flag and
/// an environment variable in `transit serve` (see its `--help`).
public struct ServiceConfiguration: Sendable, Equatable {
    /// The address to bind; loopback unless told otherwise (`TRANSIT_HOST`).
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one, logged at start (`TRANSIT_PORT`).
    public var port: Int = 8080
    /// The largest request body, bytes; larger ones get 413 (`TRANSIT_MAX_BODY_BYTES`).
    public var maxBodyBytes: Int = 16 << 20
    /// The most trips in one `POST /v1/trips` (`TRANSIT_MAX_TRIPS`).
    public var maxTripsPerRequest: Int = 10_000
    /// Requests per second each key may make on average; 0 turns rate limiting off
    /// (`TRANSIT_RATE_LIMIT`).
    public var rateLimitPerSecond: Double = 200
    /// How many requests a key may make at once above the average (`TRANSIT_RATE_BURST`).
    public var rateLimitBurst: Int = 400
    /// How long a request body may take to arrive, seconds; slower ones get 408
    /// (`TRANSIT_BODY_TIMEOUT`).
    public var bodyTimeoutSeconds: Double = 30
    /// How long an idle connection stays open, seconds (`TRANSIT_IDLE_TIMEOUT`).
    public var idleTimeoutSeconds: Double = 60
    /// The most entries in one page of a statement or export.
    public var maxPageSize: Int = 1_000

    /// The defaults.
    public init() {}
}
