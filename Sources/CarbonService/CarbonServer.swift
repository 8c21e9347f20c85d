public import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Starts the carbon service.
public enum CarbonServer {
    /// The Hummingbird application serving `platform` (``CarbonRoutes``) at the configured
    /// address, with an idle timeout on connections. `onRunning` gets the bound address
    /// (`host:port`, useful with port 0) once it listens.
    public static func application(_ platform: CarbonPlatform, logger: Logger,
                                   onRunning: @escaping @Sendable (String) async -> Void = { _ in }) -> some ApplicationProtocol {
        let c = platform.configuration
        return Application(
            router: CarbonRoutes.router(platform),
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(c.idleTimeoutSeconds * 1000)))),
            configuration: .init(address: .hostname(c.host, port: c.port), serverName: "transit"),
            services: [CheckpointService(platform: platform, logger: logger, interval: .milliseconds(250))],
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? c.host):\($0.port ?? c.port)" } ?? "\(c.host):\(c.port)"
                logger.info("listening", metadata: ["address": .string(address)])
                await onRunning(address)
            },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: it stops accepting
    /// connections and lets requests in flight finish (a batch's transaction commits whole
    /// or, when it fails, rolls back whole) before returning.
    public static func run(_ platform: CarbonPlatform, logger: Logger) async throws {
        let app = application(platform, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}
