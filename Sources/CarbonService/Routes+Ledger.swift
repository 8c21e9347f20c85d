import Carbon
import Hummingbird
import HTTPTypes

extension CarbonRoutes {
    /// `POST /v1/redemptions`: merchants and admins; idempotent by `reference` (201 when
    /// new, 200 with `already_redeemed` for a repeat with the same terms, 409 for other terms
    /// or too few points).
    static func redeem(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        _ = try context.require(.merchant, for: "redeem points")
        let body = try await platform.decode(API.RedemptionRequest.self, from: request)
        guard !body.riderID.isEmpty else { throw Problem.badRequest("rider_id is empty", errors: [.init(pointer: "/rider_id", detail: "empty", code: "missing_field")], code: "invalid_body") }
        let stored = platform.stored(rider: body.riderID)
        let outcome = try await platform.ledger("redeem") { ledger throws(CarbonError) in
            try ledger.redeem(rider: stored, points: body.points, reference: body.reference, reason: body.reason)
        }
        let fresh: Bool
        if case .redeemed = outcome { fresh = true } else { fresh = false }
        return try APIJSON.response(API.RedemptionResponse(
            status: fresh ? "redeemed" : "already_redeemed", riderID: body.riderID, points: -outcome.entry.points,
            reference: body.reference, entryID: outcome.entry.id, balance: outcome.balance, recordedAt: outcome.entry.recordedAt),
            status: fresh ? .created : .ok)
    }

    /// `POST /v1/reversals`: operators (their own source's credits only) and admins;
    /// idempotent by event id (201 when new, 200 with `already_reversed`).
    static func reverse(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        let key = try context.require(.operator, for: "reverse credits")
        let body = try await platform.decode(API.ReversalRequest.self, from: request)
        var source = body.source
        if key.role == .operator {
            if let s = source, s != key.source {
                throw Problem.forbidden("key \(key.id) may reverse credits of source '\(key.source ?? "")' only",
                                        errors: [.init(pointer: "/source", detail: "'\(s)' is another source", code: "wrong_source")])
            }
            source = key.source
        }
        guard !body.eventID.isEmpty else { throw Problem.badRequest("event_id is empty", errors: [.init(pointer: "/event_id", detail: "empty", code: "missing_field")], code: "invalid_body") }
        let chosen = source
        let outcome = try await platform.ledger("reverse") { ledger throws(CarbonError) in
            try ledger.reversal(eventID: body.eventID, source: chosen, reason: body.reason)
        }
        let fresh: Bool
        if case .reversed = outcome { fresh = true } else { fresh = false }
        return try APIJSON.response(API.ReversalResponse(status: fresh ? "reversed" : "already_reversed", entry: LedgerEntryDocument(outcome.entry)),
                                    status: fresh ? .created : .ok)
    }
}
