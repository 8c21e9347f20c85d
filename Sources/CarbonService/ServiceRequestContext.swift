public import Hummingbird
public import Carbon
import Logging
import NIOCore
import Synchronization

/// The request context of the carbon service: Hummingbird's core storage, the API key the
/// request authenticated with (set by the authentication middleware on `/v1` routes), and
/// the upload limit.
public struct ServiceRequestContext: RequestContext {
    /// Hummingbird's per-request storage (logger, parameters, endpoint path).
    public var coreContext: CoreRequestContextStorage
    /// The key the request authenticated with; `nil` before authentication and on the open
    /// routes (`/healthz`, `/readyz`, `/metrics`, `/openapi.json`).
    public var key: APIKey?
    /// The request id (also in every log line of the request and the `X-Request-Id` header).
    public var requestID: String
    /// The id of the key the request authenticated with, shared by every copy of this
    /// context: the authentication middleware sets it on its copy, and the outer middleware
    /// that logs the request reads it on its own.
    let keyID = SharedKeyID()

    /// Creates the context of a new request.
    public init(source: Source) {
        coreContext = .init(source: source)
        requestID = source.logger[metadataKey: "hb.request.id"]?.description ?? ""
    }

    /// Bodies are collected by the handlers with the service's own limit (413 past it).
    public var maxUploadSize: Int { Int.max }
}

extension ServiceRequestContext {
    /// The authenticated key, or 401 (a route behind the authentication middleware always has one).
    func requireKey() throws(Problem) -> APIKey {
        guard let key else { throw Problem.unauthorized("this route needs an API key: send Authorization: Bearer KEY") }
        return key
    }

    /// The authenticated key when its role is one of `roles` (admin always is), else 403.
    func require(_ roles: KeyRole..., for what: String) throws(Problem) -> APIKey {
        let key = try requireKey()
        guard key.role == .admin || roles.contains(key.role) else {
            let allowed = (roles.map(\.rawValue) + ["admin"]).joined(separator: ", ")
            throw Problem.forbidden("a \(key.role.rawValue) key may not \(what); roles allowed: \(allowed)")
        }
        return key
    }
}

/// A key id set once per request and read by another copy of its context.
final class SharedKeyID: Sendable {
    private let value = Mutex<String?>(nil)

    /// The key id, once authenticated.
    var id: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
