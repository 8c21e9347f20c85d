import Foundation

/// Why a posted batch of trips cannot be read at all (as opposed to one trip being rejected).
public struct TripBatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the batch.
    public enum Code: String, Sendable {
        /// The body is not JSON (or a JSON Lines line is not).
        case badJSON = "bad_json"
        /// The body is not an object with a `trips` array, or a trip is not an object.
        case badShape = "bad_shape"
        /// More trips than allowed in one batch.
        case tooManyTrips = "too_many_trips"
    }

    /// What is wrong.
    public let code: Code
    /// Where: a JSON pointer into the body (`/trips`, `/trips/3`), or a JSON Lines line as
    /// `line 4`.
    public let field: String?
    /// What is wrong and what to do.
    public let message: String

    /// `field: message`.
    public var description: String { (field.map { $0 + ": " } ?? "") + message }
}

/// A batch of trips as the carbon service receives them: one JSON document
/// `{"trips": [{…}, …]}` or JSON Lines (one trip object per line), with the fields of the
/// CLI's trip logs (``TripLogFormat/jsonLines``), read by the same code.
public enum TripBatch {
    /// The trips of a JSON document `{"trips": [...]}`, in order: each a record or the
    /// rejection of a malformed one (its line is its 1-based position).
    /// - Parameters:
    ///   - defaultSource: the source of trips that name none.
    ///   - maxTrips: the most trips accepted.
    /// - Throws: ``TripBatchError`` when the body is not such a document or has too many trips.
    public static func decode(json bytes: [UInt8], defaultSource: String, maxTrips: Int,
                              pseudonymizer: Pseudonymizer?) throws(TripBatchError) -> [LogItem] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw TripBatchError(code: .badJSON, field: nil, message: "the body is not valid JSON (\(error.localizedDescription)); send {\"trips\": [...]}")
        }
        guard let document = object as? [String: Any] else {
            throw TripBatchError(code: .badShape, field: nil, message: "the body must be a JSON object {\"trips\": [...]}")
        }
        guard let trips = document["trips"] as? [Any] else {
            throw TripBatchError(code: .badShape, field: "/trips", message: document["trips"] == nil ? "missing: send {\"trips\": [...]}" : "must be an array of trip objects")
        }
        guard trips.count <= maxTrips else {
            throw TripBatchError(code: .tooManyTrips, field: "/trips", message: "\(trips.count) trips; at most \(maxTrips) per request: split the batch")
        }
        var items: [LogItem] = []
        items.reserveCapacity(trips.count)
        for (i, trip) in trips.enumerated() {
            guard let object = trip as? [String: Any] else {
                throw TripBatchError(code: .badShape, field: "/trips/\(i)", message: "must be a trip object")
            }
            items.append(TripLogReader.item(jsonObject: object, line: i + 1, defaultSource: defaultSource, pseudonymizer: pseudonymizer))
        }
        return items
    }

    /// The trips of a JSON Lines body (one trip object per non-blank line), in order. A line
    /// over ``TripLogReader/maxLineBytes`` is the rejection ``RejectionReason/lineTooLong``.
    /// - Throws: ``TripBatchError`` when a line is not a JSON object or there are too many.
    public static func decode(jsonLines bytes: [UInt8], defaultSource: String, maxTrips: Int,
                              pseudonymizer: Pseudonymizer?) throws(TripBatchError) -> [LogItem] {
        var items: [LogItem] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard items.count < maxTrips else {
                throw TripBatchError(code: .tooManyTrips, field: nil, message: "more than \(maxTrips) trips; at most \(maxTrips) per request: split the batch")
            }
            if trimmed.count > TripLogReader.maxLineBytes {
                items.append(.rejected(TripLogReader.lineTooLong(length: trimmed.count, line: items.count + 1, field: nil)))
                continue
            }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(trimmed))
            } catch {
                throw TripBatchError(code: .badJSON, field: "line \(lineNumber)", message: "not valid JSON")
            }
            guard let trip = object as? [String: Any] else {
                throw TripBatchError(code: .badShape, field: "line \(lineNumber)", message: "must be one trip object")
            }
            items.append(TripLogReader.item(jsonObject: trip, line: items.count + 1, defaultSource: defaultSource, pseudonymizer: pseudonymizer))
        }
        return items
    }
}
