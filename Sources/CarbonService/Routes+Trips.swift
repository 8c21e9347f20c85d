import Carbon
import Hummingbird
import Logging
import Foundation
import HTTPTypes

extension CarbonRoutes {
    /// `POST /v1/trips`: operators (their own source and modes) and admins.
    ///
    /// 1. The body is read whole (limit, timeout) before anything touches the ledger.
    /// 2. It is decoded by the Carbon library's trip reader (the CLI's JSON Lines fields);
    ///    a malformed trip makes the whole request 400, naming each field at fault.
    /// 3. A trip of another source, or of a mode the key is not bound to, makes it 403.
    /// 4. The trips are priced and credited in one transaction; each gets its outcome.
    static func postTrips(_ request: Request, context: ServiceRequestContext, platform: CarbonPlatform) async throws -> Response {
        let key = try context.require(.operator, for: "submit trips")
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let lines = contentType.hasPrefix("application/x-ndjson")
        guard lines || contentType.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, code: "unsupported_media_type", "send trips as application/json {\"trips\": [...]} or application/x-ndjson")
        }
        let bytes = try await platform.body(of: request)
        let source = key.source ?? "api"
        let (items, batch) = try await platform.bulk(bytes.count) { () throws(Problem) in
            try prepare(bytes, lines: lines, source: source, key: key, platform: platform)
        }
        let (outcomes, summary) = try await platform.writer.credit(batch)
        record(batch, outcomes: outcomes, source: source, platform: platform)
        context.logger.info("trips", metadata: ["trips": "\(items.count)", "accepted": "\(summary.accepted)",
                                                "duplicates": "\(summary.duplicates)", "rejected": "\(summary.rejected + summary.conflicts)"])
        return try APIJSON.response(API.TripsResponse(
            accepted: summary.accepted, duplicates: summary.duplicates, conflicts: summary.conflicts, rejected: summary.rejected,
            gramsCO2e: summary.grams, points: summary.points,
            results: outcomes.map { o in
                API.TripResult(eventID: o.eventID, outcome: o.kind, reason: o.reason?.rawValue, detail: o.detail, points: o.points, gramsCO2e: o.grams)
            }))
    }

    /// Decodes, checks and prices a batch: 400 for a malformed one, 403 for another source or
    /// mode.
    private static func prepare(_ bytes: [UInt8], lines: Bool, source: String, key: APIKey,
                                platform: CarbonPlatform) throws(Problem) -> ([LogItem], PricedBatch) {
        let items: [LogItem]
        do {
            let limit = platform.configuration.maxTripsPerRequest
            items = lines
                ? try TripBatch.decode(jsonLines: bytes, defaultSource: source, maxTrips: limit, pseudonymizer: platform.pseudonymizer)
                : try TripBatch.decode(json: bytes, defaultSource: source, maxTrips: limit, pseudonymizer: platform.pseudonymizer)
        } catch {
            let field = error.field.map { [Problem.FieldError(pointer: $0, detail: error.message, code: error.code.rawValue)] } ?? []
            throw Problem.badRequest(error.message, errors: field, code: error.code.rawValue)
        }
        try checkWellFormed(items, lines: lines)
        if key.role == .operator { try checkSource(items, key: key, lines: lines) }
        let batch = PricedBatch(items, pricer: platform.pricer)
        if let modes = key.modes { try checkModes(batch, modes: modes, key: key, lines: lines) }
        return (items, batch)
    }

    /// Where trip `n` (1-based) is in the body.
    private static func place(_ n: Int, lines: Bool) -> String { lines ? "line \(n)" : "/trips/\(n - 1)" }

    /// 400 when any trip is malformed, naming every field at fault (up to 100).
    private static func checkWellFormed(_ items: [LogItem], lines: Bool) throws(Problem) {
        var errors: [Problem.FieldError] = []
        for case .rejected(let r) in items where r.isMalformed {
            errors.append(.init(pointer: place(r.line, lines: lines) + (r.field.map { "/" + $0 } ?? ""), detail: r.detail, code: r.reason.rawValue))
        }
        guard !errors.isEmpty else { return }
        throw Problem.badRequest("\(errors.count) trip\(errors.count == 1 ? " is" : "s are") malformed; nothing was credited",
                                 errors: Array(errors.prefix(100)), code: "invalid_trips")
    }

    /// 403 when a trip names a source other than the operator key's.
    private static func checkSource(_ items: [LogItem], key: APIKey, lines: Bool) throws(Problem) {
        var errors: [Problem.FieldError] = []
        for case .record(let r) in items where r.source != key.source {
            errors.append(.init(pointer: place(r.line, lines: lines) + "/source", detail: "'\(r.source)' is not this key's source '\(key.source ?? "")'", code: "wrong_source"))
        }
        guard !errors.isEmpty else { return }
        throw Problem.forbidden("key \(key.id) writes as source '\(key.source ?? "")' only; nothing was credited", errors: Array(errors.prefix(100)))
    }

    /// 403 when a priced trip's mode is not one the key is bound to.
    private static func checkModes(_ batch: PricedBatch, modes: [Mode], key: APIKey, lines: Bool) throws(Problem) {
        var errors: [Problem.FieldError] = []
        for case .success(let leg) in batch.items where !modes.contains(leg.mode) {
            errors.append(.init(pointer: place(leg.line, lines: lines) + "/mode", detail: "\(leg.mode.rawValue) is not one of this key's modes (\(modes.map(\.rawValue).joined(separator: ", ")))", code: "wrong_mode"))
        }
        guard !errors.isEmpty else { return }
        throw Problem.forbidden("key \(key.id) may submit \(modes.map(\.rawValue).joined(separator: ", ")) trips only; nothing was credited", errors: Array(errors.prefix(100)))
    }

    /// Counts the batch into the metrics by source and outcome (rejections by reason).
    private static func record(_ batch: PricedBatch, outcomes: [TripOutcome], source fallback: String, platform: CarbonPlatform) {
        var counts: [String: [String: Int]] = [:]
        for (item, outcome) in zip(batch.items, outcomes) {
            let source = (try? item.get().source) ?? fallback
            let label = outcome.kind == .credited ? "" : outcome.kind == .duplicate ? "duplicate" : (outcome.reason?.rawValue ?? outcome.kind.rawValue)
            counts[source, default: [:]][label, default: 0] += 1
        }
        for (source, byLabel) in counts {
            for (label, n) in byLabel {
                if label.isEmpty { platform.metrics.credited(n, source: source) } else { platform.metrics.rejected(n, source: source, reason: label) }
            }
        }
    }
}
