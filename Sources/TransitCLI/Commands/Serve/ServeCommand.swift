import ArgumentParser
import Carbon
import CarbonService
import Foundation
import Logging

/// `transit serve`: the carbon-credit platform over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the carbon-credit platform over HTTP (operators submit trips; merchants redeem; auditors read).",
        discussion: """
            An option marked [VARIABLE] also comes from that environment variable when the \
            flag is not given. Create keys first with `transit carbon keys create --ledger FILE|URL \
            --role ROLE`. Logs are JSON lines on standard error. SIGTERM or SIGINT stops the \
            service gracefully: requests in flight finish (each batch commits whole or rolls \
            back whole). The API is described at /openapi.json.
            """)

    @Option(help: "The ledger: a SQLite file (created when missing) or a postgres:// URL (see `transit carbon balance --help`). [TRANSIT_LEDGER]")
    var ledger: String?

    @Option(help: "PostgreSQL ledger: the most connections per instance. [TRANSIT_LEDGER_POOL_SIZE, default 16]")
    var ledgerPoolSize: Int?

    @Option(help: "PostgreSQL ledger: seconds a statement may run before the server cancels it. [TRANSIT_STATEMENT_TIMEOUT, default 30]")
    var statementTimeout: Double?

    @Option(help: ArgumentHelp("PostgreSQL ledger: the role the service's connections take, or 'none' to keep the login user's. [TRANSIT_LEDGER_ROLE, default transit_service]",
                               discussion: "transit_service may read and append entries and revoke keys, never update or delete; the login user must be a member (GRANT transit_service TO user)."))
    var ledgerRole: String?

    @Option(help: "The GTFS feed (folder or .zip) transit legs are checked and measured against. [TRANSIT_FEED]")
    var feed: String?

    @Option(help: "A policy JSON file (default: the shipped policy). [TRANSIT_POLICY]")
    var policy: String?

    @OptionGroup var factorOptions: FactorOptions

    @Option(help: "The address to listen on; loopback by default. [TRANSIT_HOST]")
    var host: String?

    @Option(help: "The port; 0 picks a free one (logged). [TRANSIT_PORT, default 8080]")
    var port: Int?

    @Option(help: "The largest request body in bytes (413 past it). [TRANSIT_MAX_BODY_BYTES, default 16 MiB]")
    var maxBodyBytes: Int?

    @Option(help: "The most trips per POST /v1/trips. [TRANSIT_MAX_TRIPS, default 10000]")
    var maxTrips: Int?

    @Option(help: "Requests per second per key on average; 0 turns the limit off. [TRANSIT_RATE_LIMIT, default 200]")
    var rateLimit: Double?

    @Option(help: "Requests a key may make at once above the average. [TRANSIT_RATE_BURST, default 400]")
    var rateBurst: Int?

    @Option(help: "Seconds a request body may take to arrive (408 after). [TRANSIT_BODY_TIMEOUT, default 30]")
    var bodyTimeout: Double?

    @Option(help: "Seconds an idle connection stays open. [TRANSIT_IDLE_TIMEOUT, default 60]")
    var idleTimeout: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical. [TRANSIT_LOG_LEVEL, default info]")
    var logLevel: String?

    @OptionGroup var pseudonym: PseudonymOptions

    /// The configuration: flags, then environment variables, then defaults.
    func serviceConfiguration(environment env: [String: String]) throws -> ServiceConfiguration {
        func number<T: LosslessStringConvertible>(_ flag: T?, _ name: String, _ variable: String) throws -> T? {
            if let flag { return flag }
            guard let text = env[variable], !text.isEmpty else { return nil }
            guard let value = T(text) else { throw ValidationError("\(variable)='\(text)' is not a valid --\(name)") }
            return value
        }
        var c = ServiceConfiguration()
        c.host = host ?? env["TRANSIT_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? c.host
        c.port = try number(port, "port", "TRANSIT_PORT") ?? c.port
        c.maxBodyBytes = try number(maxBodyBytes, "max-body-bytes", "TRANSIT_MAX_BODY_BYTES") ?? c.maxBodyBytes
        c.maxTripsPerRequest = try number(maxTrips, "max-trips", "TRANSIT_MAX_TRIPS") ?? c.maxTripsPerRequest
        c.rateLimitPerSecond = try number(rateLimit, "rate-limit", "TRANSIT_RATE_LIMIT") ?? c.rateLimitPerSecond
        c.rateLimitBurst = try number(rateBurst, "rate-burst", "TRANSIT_RATE_BURST") ?? c.rateLimitBurst
        c.bodyTimeoutSeconds = try number(bodyTimeout, "body-timeout", "TRANSIT_BODY_TIMEOUT") ?? c.bodyTimeoutSeconds
        c.idleTimeoutSeconds = try number(idleTimeout, "idle-timeout", "TRANSIT_IDLE_TIMEOUT") ?? c.idleTimeoutSeconds
        guard (0...65_535).contains(c.port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard c.maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard c.maxTripsPerRequest >= 1 else { throw ValidationError("--max-trips must be at least 1") }
        guard c.rateLimitPerSecond >= 0, c.rateLimitPerSecond.isFinite else { throw ValidationError("--rate-limit must be ≥ 0") }
        guard c.rateLimitBurst >= 1 else { throw ValidationError("--rate-burst must be at least 1") }
        guard c.bodyTimeoutSeconds > 0, c.idleTimeoutSeconds > 0 else { throw ValidationError("--body-timeout and --idle-timeout must be > 0") }
        return c
    }

    /// The PostgreSQL ledger's settings: flags, then environment variables, then defaults.
    func postgresOptions(environment env: [String: String]) throws -> PostgresLedgerOptions {
        var o = PostgresLedgerOptions(poolSize: 16, role: PostgresLedger.serviceRole)
        if let n = try ledgerPoolSize ?? env["TRANSIT_LEDGER_POOL_SIZE"].flatMap({ $0.isEmpty ? nil : $0 }).map({ text in
            guard let n = Int(text) else { throw ValidationError("TRANSIT_LEDGER_POOL_SIZE='\(text)' is not a number") }
            return n
        }) {
            guard (1...1000).contains(n) else { throw ValidationError("--ledger-pool-size must be from 1 to 1000") }
            o.poolSize = n
        }
        if let t = try statementTimeout ?? env["TRANSIT_STATEMENT_TIMEOUT"].flatMap({ $0.isEmpty ? nil : $0 }).map({ text in
            guard let t = Double(text) else { throw ValidationError("TRANSIT_STATEMENT_TIMEOUT='\(text)' is not a number") }
            return t
        }) {
            guard t >= 0.001, t <= 86_400 else { throw ValidationError("--statement-timeout must be from 0.001 to 86400 seconds") }
            o.statementTimeout = .milliseconds(Int64((t * 1000).rounded()))
        }
        if let role = ledgerRole ?? env["TRANSIT_LEDGER_ROLE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            o.role = role == "none" ? nil : role
        }
        return o
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let configuration = try serviceConfiguration(environment: env)
        guard let ledgerPath = ledger ?? env["TRANSIT_LEDGER"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ValidationError("--ledger FILE|URL (or TRANSIT_LEDGER) is required")
        }
        let level = try (logLevel ?? env["TRANSIT_LOG_LEVEL"]).map { text in
            guard let level = Logger.Level(rawValue: text) else { throw ValidationError("--log-level '\(text)' is not a level") }
            return level
        } ?? .info
        try factorOptions.check(feed: feed ?? env["TRANSIT_FEED"])
        let policyPath = policy ?? env["TRANSIT_POLICY"].flatMap { $0.isEmpty ? nil : $0 }
        let rules = try carbonRun { () throws(CarbonError) in
            if let policyPath { return try Policy.load(path: policyPath) }
            return try Policy.standard
        }
        let pricer = try factorOptions.pricer(feed: feed ?? env["TRANSIT_FEED"].flatMap { $0.isEmpty ? nil : $0 }, policy: rules)
        let postgres = try postgresOptions(environment: env)
        // The service checkpoints a SQLite write-ahead log from a thread of its own (CheckpointService).
        let book = try carbonRun { () throws(CarbonError) in try openLedger(ledgerPath, postgres: postgres, automaticCheckpoints: false) }
        let platform = CarbonPlatform(ledger: book, pricer: pricer, pseudonymizer: try pseudonym.pseudonymizer(), configuration: configuration)
        var logger = Logger(label: "transit.serve") { JSONLogHandler(label: $0) }
        logger.logLevel = level
        logger.info("starting", metadata: ["ledger": .string(book.location), "methodology": .string(pricer.methodologyVersion),
                                           "policy": .string(rules.version)])
        try await CarbonServer.run(platform, logger: logger)
    }
}
