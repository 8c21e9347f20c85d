public import Logging
import Foundation
import TransitSupport

/// A swift-log handler that writes one JSON object per line to standard error: `ts`,
/// `level`, `msg`, `label` and the metadata (the request id as `request_id`).
public struct JSONLogHandler: LogHandler {
    /// The minimum level written.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    private let label: String

    /// A handler for `label`.
    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level, message = event.message, extra = event.metadata
        var fields: [String: String] = [:]
        for (k, v) in metadata { fields[k == "hb.request.id" ? "request_id" : k] = "\(v)" }
        for (k, v) in extra ?? [:] { fields[k == "hb.request.id" ? "request_id" : k] = "\(v)" }
        var line = "{\"ts\":" + JSONLogHandler.quote(JSONLogHandler.timestamp())
        line += ",\"level\":" + JSONLogHandler.quote(level.rawValue)
        line += ",\"msg\":" + JSONLogHandler.quote(message.description)
        line += ",\"label\":" + JSONLogHandler.quote(label)
        for k in fields.keys.sorted() { line += "," + JSONLogHandler.quote(k) + ":" + JSONLogHandler.quote(fields[k] ?? "") }
        writeToStandardError(line + "}\n")
    }

    /// `s` as a JSON string.
    static func quote(_ s: String) -> String { jsonQuoted(s) }

    /// Now, UTC, ISO 8601 with milliseconds.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(ts.tv_nsec / 1_000_000))
    }
}
