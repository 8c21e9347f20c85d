import Hummingbird
import HTTPTypes
import NIOCore
import Foundation

extension CarbonPlatform {
    /// The request body, whole: 413 past ``ServiceConfiguration/maxBodyBytes`` (at once when
    /// `Content-Length` says so), 408 when it has not all arrived within
    /// ``ServiceConfiguration/bodyTimeoutSeconds``. No transaction is open while it arrives.
    func body(of request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem(.contentTooLarge, code: "body_too_large", "the body has \(length) bytes; at most \(limit) are accepted: send less per request")
        }
        let timeout = configuration.bodyTimeoutSeconds
        let body = request.body
        let buffer: ByteBuffer? = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw Problem(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes: send less per request")
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // The connection closed or broke before the body was whole: nothing was read into the ledger.
                    throw Problem(.badRequest, code: "body_incomplete", "the request body ended before its end or could not be read; send it again")
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let buffer else {
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            throw Problem(.requestTimeout, code: "body_timeout", "the request body did not arrive within \(seconds) s")
        }
        return Array(buffer.readableBytesView)
    }

    /// The body decoded as `T` from JSON, or 400 naming the field.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try requireJSON(request)
        let bytes = try await body(of: request)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw Problem.badRequest("the body does not match the schema", errors: [error.fieldError], code: "invalid_body")
        } catch {
            throw Problem.badRequest("the body is not valid JSON", code: "invalid_json")
        }
    }

    /// 415 unless the body is JSON.
    func requireJSON(_ request: Request) throws {
        guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, code: "unsupported_media_type", "send the body as application/json")
        }
    }
}

extension DecodingError {
    /// The field at fault as a JSON pointer, with what is wrong.
    var fieldError: Problem.FieldError {
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch self {
        case .typeMismatch(let type, let c):
            return .init(pointer: pointer(c.codingPath), detail: "expected \(Self.describe(type))", code: "wrong_type")
        case .valueNotFound(let type, let c):
            return .init(pointer: pointer(c.codingPath), detail: "expected \(Self.describe(type)), found null", code: "wrong_type")
        case .keyNotFound(let key, let c):
            return .init(pointer: pointer(c.codingPath + [key]), detail: "missing", code: "missing_field")
        case .dataCorrupted(let c):
            return .init(pointer: pointer(c.codingPath), detail: c.codingPath.isEmpty ? "not valid JSON" : c.debugDescription, code: "invalid_value")
        @unknown default:
            return .init(pointer: "/", detail: "does not match the schema", code: "invalid_value")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is [Any].Type ? "an array" : "an object"
        }
    }
}

/// Encodes API responses: snake_case keys come from each type's coding keys, sorted so that
/// the same answer is the same bytes; slashes are not escaped.
enum APIJSON {
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
