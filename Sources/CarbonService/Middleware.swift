import Hummingbird
import Carbon
import HTTPTypes
import Logging
import NIOCore
import Foundation

/// The outermost middleware: gives every response its `X-Request-Id`, turns every error into
/// `application/problem+json` (a ``Problem`` as it is; anything else without its internals),
/// records the request's latency by route, and writes one log line per request.
///
/// Log lines name the route template (`/v1/riders/{rider_id}/balance`), never the raw path,
/// so rider ids do not reach the logs; the key appears only as its public id.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let platform: CarbonPlatform

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ObservabilityMiddleware.problem(for: error, request: request, context: context).responseOrFallback(from: request, context: context)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        let elapsed = clock.now - start
        let route = context.endpointPath ?? "unmatched"
        platform.metrics.request(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(String(format: "%.3f", Double(elapsed.nanoseconds) / 1e6)),
        ]
        if let keyID = context.keyID.id { metadata["key_id"] = .string(keyID) }
        let level: Logger.Level = response.status.code >= 500 ? .error : .info
        context.logger.log(level: level, "request", metadata: metadata)
        return response
    }

    /// The problem an error is answered with.
    static func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let p as Problem:
            return p
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, code: "body_too_large", "the request body is larger than the service accepts; send less per request")
        case let e as HTTPError:
            switch e.status {
            case .notFound:
                let allowed = CarbonRoutes.methods(of: request.uri.path)
                guard allowed.isEmpty else {
                    return Problem(.methodNotAllowed, code: "method_not_allowed",
                                   "\(request.method.rawValue) is not a method of this route; it takes \(allowed.joined(separator: ", "))",
                                   headers: [.allow: allowed.joined(separator: ", ")])
                }
                return Problem(.notFound, code: "not_found", "no such route; see /openapi.json for the API")
            case .methodNotAllowed:
                return Problem(.methodNotAllowed, code: "method_not_allowed", "this route does not take that method; see /openapi.json")
            default:
                return Problem(e.status, code: "http_error", e.body ?? e.status.reasonPhrase)
            }
        default:
            // Never the error's text: it may carry internals (paths, SQL).
            context.logger.error("unhandled error", metadata: ["error_type": .string(String(describing: type(of: error)))])
            return Problem(.internalServerError, code: "internal_error", "the service failed to answer; the request id in X-Request-Id identifies it in the logs")
        }
    }
}

extension Problem {
    /// The response, or a bare status when encoding fails (it cannot: the body is plain data).
    func responseOrFallback(from request: Request, context: some RequestContext) -> Response {
        (try? response(from: request, context: context)) ?? Response(status: status)
    }
}

/// Authenticates `/v1` requests: `Authorization: Bearer KEY`, looked up in the ledger on every
/// request (so a revoked key stops at once), then the key's token bucket.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let platform: CarbonPlatform

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("send the API key as Authorization: Bearer KEY (create one with `transit carbon keys create`)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("the Authorization header must be Bearer KEY")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard let key = try await platform.read("authenticate", { ledger throws(CarbonError) in try ledger.authenticate(token: token) }) else {
            throw Problem.unauthorized("the API key is unknown or revoked")
        }
        if let wait = platform.limiter.take(key.id) {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw Problem(.tooManyRequests, code: "rate_limited",
                          "key \(key.id) is over its rate limit; retry after \(seconds) s", headers: [.retryAfter: String(seconds)])
        }
        var context = context
        context.key = key
        context.keyID.id = key.id
        context.logger[metadataKey: "key_id"] = .string(key.id)
        return try await next(request, context)
    }
}
