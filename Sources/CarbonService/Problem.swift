public import Hummingbird
public import HTTPTypes
import Foundation

/// An error answered as `application/problem+json` (RFC 9457): a type URI, a title, the
/// status, a detail for people, and the fields at fault. Nothing in it comes from a stack
/// trace or from SQL: handlers build problems from the Carbon library's coded errors.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    /// One field at fault: where (a JSON pointer into the request body, or a parameter name)
    /// and what is wrong.
    public struct FieldError: Codable, Sendable, Equatable {
        /// `/trips/3/distance_m`, or a query or path parameter name.
        public var pointer: String
        /// What is wrong with it.
        public var detail: String
        /// The machine-readable reason (`wrong_type`, `missing_field`, …), if any.
        public var code: String?

        /// Creates a field error.
        public init(pointer: String, detail: String, code: String? = nil) {
            self.pointer = pointer
            self.detail = detail
            self.code = code
        }
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A short code naming the kind of problem; the type URI is `…/problems/CODE`.
    public var code: String
    /// What went wrong in this request and what to do.
    public var detail: String
    /// The fields at fault.
    public var errors: [FieldError]
    /// Extra headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    /// Creates a problem.
    public init(_ status: HTTPResponse.Status, code: String, _ detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The type URI of a problem code (documented in the OpenAPI document).
    public static func typeURI(_ code: String) -> String { "https://transit-planner.dev/problems/" + code }

    /// The body as sent.
    struct Body: Codable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var errors: [FieldError]?
        var instance: String?
    }

    /// The response: `application/problem+json`, with the request's path as `instance`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: Problem.typeURI(code), title: status.reasonPhrase, status: status.code, detail: detail,
                        code: code, errors: errors.isEmpty ? nil : errors, instance: request.uri.path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: The common ones

    /// 401: no key, or a key that is unknown or revoked.
    static func unauthorized(_ detail: String) -> Problem {
        Problem(.unauthorized, code: "unauthorized", detail, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 403: the key's role or source does not allow this.
    static func forbidden(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem(.forbidden, code: "forbidden", detail, errors: errors)
    }

    /// 400 naming the field.
    static func badRequest(_ detail: String, errors: [FieldError] = [], code: String = "bad_request") -> Problem {
        Problem(.badRequest, code: code, detail, errors: errors)
    }

    /// 404.
    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, code: "not_found", detail)
    }
}
