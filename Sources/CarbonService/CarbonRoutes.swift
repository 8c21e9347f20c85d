public import Hummingbird
import HTTPTypes
import Carbon
import NIOCore
import NIOPosix

/// The routes of the carbon service. `/v1/…` need an API key; `/healthz`, `/readyz`,
/// `/metrics` and `/openapi.json` do not. ``table`` lists every route, and a test holds it
/// equal to the OpenAPI document's paths.
public enum CarbonRoutes {
    /// Every route as `METHOD path` (OpenAPI path templates), in the document's order.
    public static let table: [String] = [
        "POST /v1/trips",
        "GET /v1/riders/{rider_id}/balance",
        "GET /v1/riders/{rider_id}/statement",
        "GET /v1/riders/{rider_id}/consent",
        "PUT /v1/riders/{rider_id}/consent",
        "POST /v1/redemptions",
        "POST /v1/reversals",
        "GET /v1/entries",
        "GET /v1/factors",
        "GET /v1/policy",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
        "GET /openapi.json",
    ]

    /// The methods the service answers on `path` (empty when no route has that path), for
    /// 405 and its `Allow` header.
    static func methods(of path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return table.compactMap { route in
            let parts = route.split(separator: " ")
            guard parts.count == 2 else { return nil }
            let template = parts[1].split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard template.count == segments.count,
                  zip(template, segments).allSatisfy({ t, s in t == s || (t.hasPrefix("{") && !s.isEmpty) }) else { return nil }
            return String(parts[0])
        }
    }

    /// The router of the service over `platform`.
    public static func router(_ platform: CarbonPlatform) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: ObservabilityMiddleware(platform: platform))
        router.get("healthz") { _, _ in try APIJSON.response(API.Health(status: "ok", ledger: nil)) }
        router.get("readyz") { _, _ in
            let up = (try? await CarbonPlatform.blocking.runIfActive { platform.ledger.isReachable() }) ?? false
            return try APIJSON.response(API.Health(status: up ? "ok" : "unavailable", ledger: up ? "reachable" : "unreachable"),
                                        status: up ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: platform.metrics.render())))
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(platform: platform))
        v1.post("trips") { request, context in try await postTrips(request, context: context, platform: platform) }
        v1.get("riders/:rider_id/balance") { request, context in try await balance(request, context: context, platform: platform) }
        v1.get("riders/:rider_id/statement") { request, context in try await statement(request, context: context, platform: platform) }
        v1.get("riders/:rider_id/consent") { request, context in try await getConsent(request, context: context, platform: platform) }
        v1.put("riders/:rider_id/consent") { request, context in try await putConsent(request, context: context, platform: platform) }
        v1.post("redemptions") { request, context in try await redeem(request, context: context, platform: platform) }
        v1.post("reversals") { request, context in try await reverse(request, context: context, platform: platform) }
        v1.get("entries") { request, context in try await export(request, context: context, platform: platform) }
        v1.get("factors") { _, context in
            _ = try context.requireKey()
            return try APIJSON.response(platform.factors)
        }
        v1.get("policy") { _, context in
            _ = try context.requireKey()
            return try APIJSON.response(platform.pricer.policy)
        }
        return router
    }
}
