import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import TransitSupport

/// Settings of a PostgreSQL ledger's connections.
public struct PostgresLedgerOptions: Sendable {
    /// The most connections open at once (each blocking caller holds one per call).
    public var poolSize: Int
    /// The longest a statement may run on the server (`statement_timeout`); the client also
    /// gives up on a call that has not answered 5 s after that, closing its connection.
    public var statementTimeout: Duration
    /// The longest to wait for a connection to open.
    public var connectTimeout: Duration
    /// A role to take after connecting (`SET ROLE`), e.g. ``PostgresLedger/serviceRole``,
    /// which may insert but not update or delete entries; `nil` keeps the login user's.
    public var role: String?

    /// Creates options: 8 connections, 30 s statements, 5 s to connect, the login role.
    public init(poolSize: Int = 8, statementTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5), role: String? = nil) {
        self.poolSize = poolSize
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
        self.role = role
    }
}

/// A blocking pool of PostgreSQL connections for the ledger's synchronous calls.
///
/// A caller takes an idle connection, or opens one while fewer than ``PostgresLedgerOptions/poolSize``
/// are open, or waits for one to be given back. A connection found closed (the server
/// restarted, `pg_terminate_backend`, a network failure) is dropped when it is given back, and
/// the next caller opens a new one: the pool reconnects by itself. The calls wait on SwiftNIO
/// futures, so they must not run on an event loop (the service runs them on its blocking pool).
final class PostgresPool: Sendable {
    private struct State: Sendable {
        var idle: [PooledConnection] = []
        var open = 0
        var nextID = 1
    }

    private let state = Condition(State())
    let location: PostgresLocation
    let options: PostgresLedgerOptions
    private let logger: Logger
    private let tls: PostgresConnection.Configuration.TLS

    init(location: PostgresLocation, options: PostgresLedgerOptions, tls: PostgresConnection.Configuration.TLS) {
        self.location = location
        self.options = options
        self.tls = tls
        var logger = Logger(label: "transit.ledger.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        let connections = state.update { s -> [PooledConnection] in
            defer { s.idle = [] }
            return s.idle
        }
        for c in connections { PostgresPool.close(c.connection) }
    }

    /// Runs `body` on a pooled connection.
    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let pooled = try take()
        var healthy = true
        defer { give(pooled, healthy: healthy) }
        do {
            return try body(PostgresSession(pooled: pooled, logger: logger, limit: clientLimit))
        } catch {
            healthy = !pooled.connection.isClosed && !(error is PostgresSession.Abandoned)
            throw error
        }
    }

    /// The longest the client waits for one answer.
    private var clientLimit: TimeAmount {
        .nanoseconds(Int64(options.statementTimeout.components.seconds) * 1_000_000_000
                     + options.statementTimeout.components.attoseconds / 1_000_000_000 + 5_000_000_000)
    }

    private func take() throws -> PooledConnection {
        enum Next { case use(PooledConnection), open(Int) }
        let limit = max(1, options.poolSize)
        let next: Next = state.wait { s in
            if let c = s.idle.popLast() { return .use(c) }
            guard s.open < limit else { return nil }
            s.open += 1
            s.nextID += 1
            return .open(s.nextID)
        }
        switch next {
        case .use(let c):
            if !c.connection.isClosed { return c }
            state.update { $0.open -= 1 }
            return try take()
        case .open(let id):
            do {
                return try connect(id: id)
            } catch {
                state.update { $0.open -= 1 }
                throw error
            }
        }
    }

    private func give(_ pooled: PooledConnection, healthy: Bool) {
        if healthy && !pooled.connection.isClosed {
            state.update { $0.idle.append(pooled) }
        } else {
            PostgresPool.close(pooled.connection)
            state.update { $0.open -= 1 }
        }
    }

    /// Closes `connection` without waiting; the callback keeps it alive until it is closed
    /// (PostgresNIO requires a connection to be closed before it goes away).
    static func close(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func connect(id: Int) throws -> PooledConnection {
        var config = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: location.password, database: location.database, tls: tls)
        let c = options.connectTimeout.components
        config.options.connectTimeout = .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
        let ms = options.statementTimeout.components.seconds * 1000 + options.statementTimeout.components.attoseconds / 1_000_000_000_000_000
        config.options.additionalStartupParameters = [("application_name", "transit"), ("statement_timeout", "\(ms)")]
        let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: config,
                                                        id: id, logger: logger).wait()
        let pooled = PooledConnection(connection)
        if let role = options.role {
            do {
                _ = try PostgresSession(pooled: pooled, logger: logger, limit: clientLimit).simple("SET ROLE \(PostgresSession.identifier(role))")
            } catch {
                PostgresPool.close(connection)
                throw error
            }
        }
        return pooled
    }
}

/// A connection of the pool, with what to do when it closes during a call: one callback on
/// its close future for its whole life (a callback per call would pile up on a connection that
/// lives for millions of calls).
final class PooledConnection: Sendable {
    let connection: PostgresConnection
    private let onClose = Mutex<(@Sendable () -> Void)?>(nil)

    init(_ connection: PostgresConnection) {
        self.connection = connection
        connection.closeFuture.whenComplete { [weak self] _ in
            let action = self?.onClose.withLock { $0 }
            action?()
        }
    }

    /// Sets (or, with `nil`, clears) what to do if the connection closes now.
    func watch(_ action: (@Sendable () -> Void)?) {
        onClose.withLock { $0 = action }
    }
}

/// One connection lent by the pool for one call.
struct PostgresSession {
    /// The connection closed, or the call did not answer in time (the connection was then
    /// closed): the outcome of what was sent is unknown, and a transaction was not committed
    /// unless the server had committed it before the connection went.
    struct Abandoned: Error {}

    let pooled: PooledConnection
    let logger: Logger
    let limit: TimeAmount

    var connection: PostgresConnection { pooled.connection }

    /// Runs an extended-protocol query (one statement, bound parameters) and returns its rows.
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try wait(connection.query(query, logger: logger)).rows
    }

    /// Runs a statement and returns how many rows it affected (when the server says).
    @discardableResult
    func run(_ query: PostgresQuery) throws -> Int {
        try wait(connection.query(query, logger: logger)).metadata.rows ?? 0
    }

    /// Runs SQL text through the simple protocol (several statements; no parameters).
    @discardableResult
    func simple(_ sql: String) throws -> [PostgresRow] {
        try wait(connection.simpleQuery(sql))
    }

    /// Waits for `future`. The wait ends with an error when the connection closes first (a
    /// query sent on a connection the server has just closed can otherwise stay unanswered)
    /// or after ``limit``, when it also closes the connection.
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let connection = self.connection
        let loop = connection.eventLoop
        let outcome = loop.makePromise(of: T.self)
        // Every completion runs on the connection's event loop: the first one wins.
        let done = NIOLoopBoundBox.makeBoxSendingValue(false, eventLoop: loop)
        @Sendable func finish(_ result: Result<T, any Error>) {
            guard !done.value else { return }
            done.value = true
            outcome.completeWith(result)
        }
        pooled.watch { loop.execute { finish(.failure(Abandoned())) } }
        defer { pooled.watch(nil) }
        if connection.isClosed { loop.execute { finish(.failure(Abandoned())) } }
        future.hop(to: loop).whenComplete { finish($0) }
        let timer = loop.scheduleTask(in: limit) {
            finish(.failure(Abandoned()))
            PostgresPool.close(connection)
        }
        defer { timer.cancel() }
        return try outcome.futureResult.wait()
    }

    /// `name` quoted as an SQL identifier.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
