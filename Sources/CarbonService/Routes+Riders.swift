import Carbon
import Hummingbird
import HTTPTypes

extension CarbonRoutes {
    /// The `rider_id` path parameter, as given (400 when empty).
    static func riderID(_ context: ServiceRequestContext) throws(Problem) -> String {
        guard let rider = context.parameters.get("rider_id"), !rider.isEmpty, rider.utf8.count <= LedgerRules.maxIdentifierBytes else {
            throw Problem.badRequest("the rider id must be 1 to \(LedgerRules.maxIdentifierBytes) bytes of UTF-8", errors: [.init(pointer: "rider_id", detail: "empty or too long")], code: "invalid_parameter")
        }
        return rider
    }

    /// `cursor` and `limit` query parameters: 400 when malformed.
    static func page(_ request: Request, platform: CarbonPlatform) throws(Problem) -> (cursor: Int64?, limit: Int) {
        let query = request.uri.queryParameters
        var cursor: Int64?
        if let text = query.get("cursor") {
            guard let value = Int64(text), value >= 0 else {
                throw Problem.badRequest("the cursor must be a next_cursor value from an earlier page", errors: [.init(pointer: "cursor", detail: "'\(text)' is not a cursor")], code: "invalid_parameter")
            }
            cursor = value
        }
        let maxPage = platform.configuration.maxPageSize
        var limit = min(100, maxPage)
        if let text = query.get("limit") {
            guard let value = Int(text), value >= 1, value <= maxPage else {
                throw Problem.badRequest("limit must be from 1 to \(maxPage)", errors: [.init(pointer: "limit", detail: "'\(text)' is out of range")], code: "invalid_parameter")
            }
            limit = value
        }
        return (cursor, limit)
    }

    /// A page of entries, with the next cursor when the page is full.
    static func entryPage(_ entries: [LedgerEntry], limit: Int, rider: String?) -> API.EntryPage {
        API.EntryPage(riderID: rider, entries: entries.map(LedgerEntryDocument.init),
                      nextCursor: entries.count == limit ? entries.last.map { String($0.id) } : nil)
    }

    /// `GET /v1/riders/{rider_id}/balance`: operators, auditors, admins.
    static func balance(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        _ = try context.require(.operator, .auditor, for: "read balances")
        let rider = try riderID(context)
        let stored = platform.stored(rider: rider)
        let balance = try await platform.read("balance") { ledger throws(CarbonError) in try ledger.balance(rider: stored) }
        return try APIJSON.response(API.BalanceResponse(riderID: rider, points: balance.points, gramsCO2e: balance.grams, entries: balance.entries))
    }

    /// `GET /v1/riders/{rider_id}/statement?cursor=&limit=`: auditors, admins.
    static func statement(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        _ = try context.require(.auditor, for: "read statements")
        let rider = try riderID(context)
        let (cursor, limit) = try page(request, platform: platform)
        let stored = platform.stored(rider: rider)
        let entries = try await platform.ledger("statement") { ledger throws(CarbonError) in try ledger.statement(rider: stored, after: cursor, limit: limit) }
        return try APIJSON.response(entryPage(entries, limit: limit, rider: rider))
    }

    /// `GET /v1/entries?cursor=&limit=`: the whole ledger in commit order, for auditors and admins.
    static func export(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        _ = try context.require(.auditor, for: "export the ledger")
        let (cursor, limit) = try page(request, platform: platform)
        let entries = try await platform.ledger("export") { ledger throws(CarbonError) in try ledger.entries(after: cursor, limit: limit) }
        return try APIJSON.response(entryPage(entries, limit: limit, rider: nil))
    }

    /// `PUT /v1/riders/{rider_id}/consent`: operators and admins record a rider's consent.
    static func putConsent(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        let key = try context.require(.operator, for: "record consent")
        let rider = try riderID(context)
        let body = try await platform.decode(API.ConsentRequest.self, from: request)
        var modes: [Mode]?
        if let names = body.modes {
            var parsed: [Mode] = []
            for (i, name) in names.enumerated() {
                guard let mode = Mode(rawValue: name) else {
                    throw Problem.badRequest("unknown mode", errors: [.init(pointer: "/modes/\(i)", detail: "'\(name)' is not one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))", code: "unknown_mode")], code: "invalid_body")
                }
                parsed.append(mode)
            }
            modes = parsed
        }
        for (i, s) in body.sources.enumerated() where !LedgerRules.isValidSource(s) {
            throw Problem.badRequest("invalid source", errors: [.init(pointer: "/sources/\(i)", detail: "use 1 to 64 letters, digits, '_', '.' or '-'", code: "invalid_value")], code: "invalid_body")
        }
        let stored = platform.stored(rider: rider)
        let sources = body.sources
        let chosen = modes
        let consent = try await platform.ledger("consent") { ledger throws(CarbonError) in
            try ledger.recordConsent(rider: stored, sources: sources, modes: chosen, recordedBy: key.id)
        }
        return try APIJSON.response(consentResponse(consent, rider: rider))
    }

    /// `GET /v1/riders/{rider_id}/consent`: operators, auditors and admins; 404 when none.
    static func getConsent(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        _ = try context.require(.operator, .auditor, for: "read consent")
        let rider = try riderID(context)
        let stored = platform.stored(rider: rider)
        guard let consent = try await platform.read("consent", { ledger throws(CarbonError) in try ledger.consent(rider: stored) }) else {
            throw Problem.notFound("no consent is recorded for this rider")
        }
        return try APIJSON.response(consentResponse(consent, rider: rider))
    }

    private static func consentResponse(_ c: Consent, rider: String) -> API.ConsentResponse {
        API.ConsentResponse(riderID: rider, sources: c.sources, modes: c.modes?.map(\.rawValue), recordedBy: c.recordedBy, recordedAt: c.recordedAt)
    }
}
