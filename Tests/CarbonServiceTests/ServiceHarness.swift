import Carbon
import CarbonService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport

/// A service over a new ledger in a temporary folder, with one key of each role (an operator
/// for `metro` bound to metro, one for `bike`, a merchant, an auditor, an admin) and a revoked one.
struct ServiceHarness {
    let folder: TemporaryFolder
    let ledger: any Ledger
    let platform: CarbonPlatform
    let keys: [String: String]

    init(policy: Policy? = nil, pseudonymizer: Pseudonymizer? = nil, configure: (inout ServiceConfiguration) -> Void = { _ in }) throws {
        folder = try TemporaryFolder("carbon-service")
        ledger = try SQLiteLedger(path: folder.file("ledger.sqlite"))
        var configuration = ServiceConfiguration()
        configuration.rateLimitPerSecond = 0
        configure(&configuration)
        let pricer = Pricer(factors: try FactorSet.ukDESNZ2022, policy: try policy ?? Policy.standard)
        platform = CarbonPlatform(ledger: ledger, pricer: pricer, pseudonymizer: pseudonymizer, configuration: configuration)
        var keys: [String: String] = [:]
        keys["metro"] = try ledger.createKey(role: .operator, source: "metro", modes: [.metro], name: "metro operator").secret
        keys["bike"] = try ledger.createKey(role: .operator, source: "bike", modes: nil, name: "bike share").secret
        keys["merchant"] = try ledger.createKey(role: .merchant).secret
        keys["auditor"] = try ledger.createKey(role: .auditor).secret
        keys["admin"] = try ledger.createKey(role: .admin).secret
        let revoked = try ledger.createKey(role: .admin)
        _ = try ledger.revokeKey(id: revoked.record.id)
        keys["revoked"] = revoked.secret
        self.keys = keys
    }

    /// The application, logging nowhere.
    var app: some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return CarbonServer.application(platform, logger: logger)
    }

    /// Headers with `who`'s key (none for `nil`) and a JSON body type.
    func headers(_ who: String?, contentType: String = "application/json") -> HTTPFields {
        var h: HTTPFields = [.contentType: contentType]
        if let who, let key = keys[who] { h[.authorization] = "Bearer " + key }
        return h
    }

    /// Runs `body` against the router in process.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app.test(.router) { client in try await body(client) }
    }
}

/// A trip reported by distance (no feed needed): `metres` in `minutes`, starting at `hour`.
func trip(_ event: String, rider: String = "r1", mode: String = "metro", metres: Int = 8_000, minutes: Int = 20,
          day: Int = 6, hour: Int = 7, source: String? = nil) -> [String: Any] {
    var t: [String: Any] = [
        "event_id": event, "rider_id": rider, "mode": mode, "distance_m": metres,
        "start_time": String(format: "2024-05-%02dT%02d:00:00+08:00", day, hour),
        "end_time": String(format: "2024-05-%02dT%02d:%02d:00+08:00", day, hour + minutes / 60, minutes % 60),
    ]
    if let source { t["source"] = source }
    return t
}

/// `{"trips": [...]}` as a buffer.
func batch(_ trips: [[String: Any]]) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: ["trips": trips])) ?? Data())
}

/// `value` as a JSON body.
func json(_ value: Any) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: value)) ?? Data())
}

/// A response body as a JSON object (empty when it is not one).
func object(_ body: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
}
