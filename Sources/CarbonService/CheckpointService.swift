import Carbon
import Logging
import ServiceLifecycle

/// Copies the ledger's write-ahead log into the database file four times a second, on the
/// platform's blocking pool and a connection of its own (``Carbon/SQLiteLedger/checkpoint(truncateAbovePages:)``),
/// so that the writer never stops to checkpoint: with automatic checkpoints, the commit that
/// crosses the threshold copies up to 128 MiB before it returns, a latency spike for every
/// request waiting on it. Small, frequent checkpoints keep the log short. Runs until the
/// service shuts down.
struct CheckpointService: Service {
    let platform: CarbonPlatform
    let logger: Logger
    let interval: Duration

    func run() async throws {
        // Only an embedded SQLite ledger has a write-ahead log here to copy.
        guard platform.ledger is SQLiteLedger else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                _ = try await platform.ledger("checkpoint") { ledger throws(CarbonError) in
                    lowerThreadPriority()
                    return try (ledger as? SQLiteLedger)?.checkpoint().logPages
                }
            } catch {
                logger.warning("checkpoint failed; trying again shortly")
            }
        }
    }
}
