import Carbon
import CarbonService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every role against every endpoint: allowed roles get past authorization (neither 401 nor
/// 403, and no server error), the others get 403; no key and a revoked key get 401.
@Suite struct RoleMatrixTests {
    struct Route: Sendable {
        let method: HTTPRequest.Method
        let uri: String
        let body: @Sendable () -> ByteBuffer?
        /// The roles allowed (admin always is, and is checked too).
        let allowed: Set<String>
    }

    static let roles = ["metro", "merchant", "auditor", "admin"]

    static let routes: [Route] = [
        Route(method: .post, uri: "/v1/trips", body: { batch([trip("m1")]) }, allowed: ["metro"]),
        Route(method: .get, uri: "/v1/riders/r1/balance", body: { nil }, allowed: ["metro", "auditor"]),
        Route(method: .get, uri: "/v1/riders/r1/statement", body: { nil }, allowed: ["auditor"]),
        Route(method: .get, uri: "/v1/riders/r1/consent", body: { nil }, allowed: ["metro", "auditor"]),
        Route(method: .put, uri: "/v1/riders/r1/consent", body: { json(["sources": ["metro"]]) }, allowed: ["metro"]),
        Route(method: .post, uri: "/v1/redemptions", body: { json(["rider_id": "r1", "points": 1, "reference": "matrix"]) }, allowed: ["merchant"]),
        Route(method: .post, uri: "/v1/reversals", body: { json(["event_id": "none", "reason": "test"]) }, allowed: ["metro"]),
        Route(method: .get, uri: "/v1/entries", body: { nil }, allowed: ["auditor"]),
        Route(method: .get, uri: "/v1/factors", body: { nil }, allowed: ["metro", "merchant", "auditor"]),
        Route(method: .get, uri: "/v1/policy", body: { nil }, allowed: ["metro", "merchant", "auditor"]),
    ]

    @Test func everyRoleAgainstEveryEndpoint() async throws {
        let h = try ServiceHarness()
        // The matrix covers every authenticated route of the service.
        #expect(Set(Self.routes.map { "\($0.method.rawValue) \($0.uri.replacingOccurrences(of: "/r1/", with: "/{rider_id}/"))" })
            == Set(CarbonRoutes.table.filter { $0.contains(" /v1/") }))
        try await h.test { client in
            for route in Self.routes {
                for role in Self.roles {
                    let status = try await client.execute(uri: route.uri, method: route.method, headers: h.headers(role), body: route.body()).status
                    if role == "admin" || route.allowed.contains(role) {
                        #expect(status != .forbidden && status != .unauthorized && status.code < 500, "\(role) \(route.method) \(route.uri): \(status)")
                    } else {
                        #expect(status == .forbidden, "\(role) \(route.method) \(route.uri): \(status)")
                    }
                }
                for who in [nil, "revoked"] as [String?] {
                    let response = try await client.execute(uri: route.uri, method: route.method, headers: h.headers(who), body: route.body())
                    #expect(response.status == .unauthorized, "\(who ?? "no key") \(route.method) \(route.uri)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
            }
        }
    }

    @Test func openRoutesNeedNoKey() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            for uri in ["/healthz", "/readyz", "/metrics", "/openapi.json"] {
                let status = try await client.execute(uri: uri, method: .get).status
                #expect(status == .ok, "\(uri)")
            }
        }
    }

    @Test func aKeyRevokedWhileServingStopsAtOnce() async throws {
        let h = try ServiceHarness()
        let fresh = try h.ledger.createKey(role: .auditor)
        try await h.test { client in
            let headers: HTTPFields = [.authorization: "Bearer " + fresh.secret]
            #expect(try await client.execute(uri: "/v1/entries", method: .get, headers: headers).status == .ok)
            _ = try h.ledger.revokeKey(id: fresh.record.id)
            #expect(try await client.execute(uri: "/v1/entries", method: .get, headers: headers).status == .unauthorized)
        }
    }

    @Test func malformedAuthorizationIsUnauthorized() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            let admin = h.keys["admin"] ?? ""
            let altered = admin.dropLast() + (admin.hasSuffix("0") ? "1" : "0")
            for value in ["Basic abc", "Bearer", "Bearer tpk_short", "Bearer " + String(repeating: "x", count: 68), "Bearer " + altered] {
                let status = try await client.execute(uri: "/v1/policy", method: .get, headers: [.authorization: value]).status
                #expect(status == .unauthorized, "\(value)")
            }
        }
    }
}
