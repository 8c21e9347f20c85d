import Foundation

/// The PostgreSQL server the PostgreSQL ledger's tests use: `TRANSIT_TEST_POSTGRES_URL`, which
/// `.ci/run` (and `bash scripts/postgres start`) provides. Without it those tests are skipped
/// with ``skipMessage`` outside CI and fail under `CI=true`.
public enum TestPostgres {
    /// The server's URL (a superuser on a throwaway cluster), if given.
    public static let url: String? = {
        guard let text = ProcessInfo.processInfo.environment["TRANSIT_TEST_POSTGRES_URL"], !text.isEmpty else { return nil }
        return text
    }()

    /// Whether the PostgreSQL tests run: a URL is given, or this is CI (where its absence fails).
    public static var runs: Bool { url != nil || SharedData.isCI }

    /// Why the PostgreSQL tests are skipped.
    public static let skipMessage = """
        TRANSIT_TEST_POSTGRES_URL is not set, so the PostgreSQL ledger tests are skipped; \
        run `bash scripts/postgres start` and export TRANSIT_TEST_POSTGRES_URL=$(bash scripts/postgres url)
        """

    private static let counter = Counter()

    /// Creates a new empty database on the test server and returns its URL.
    public static func freshDatabase(_ label: String = "t") throws -> String {
        guard let url else { throw Failure(message: "TRANSIT_TEST_POSTGRES_URL is not set (CI must provide it)") }
        let safe = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20)
        let name = "t_\(safe)_\(getpid())_\(counter.next())"
        try psql(url, "CREATE DATABASE \(name)")
        return databaseURL(url, name)
    }

    /// `url` with its database replaced by `name`.
    public static func databaseURL(_ url: String, _ name: String) -> String {
        var base = url
        var query = ""
        if let q = base.firstIndex(of: "?") {
            query = String(base[q...])
            base = String(base[..<q])
        }
        guard let slash = base.lastIndex(of: "/") else { return url }
        return base[...slash] + name + query
    }

    /// Runs `sql` with psql against `url`; returns its output (unaligned, tuples only).
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try ChildProcess.run("/usr/bin/env", ["psql", url, "-v", "ON_ERROR_STOP=1", "-XAtq", "-c", sql])
        guard result.status == 0 else {
            throw Failure(message: "psql failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// A failure of the test set-up.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    private final class Counter: @unchecked Sendable {
        // Guarded by `lock`.
        private var value = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
