/// A named slice of the service day, `[start, end)` in seconds since service-day midnight.
public struct Period: Sendable, Hashable {
    /// The name, as written: `07:00-09:00`.
    public var name: String
    /// The first second of the period.
    public var start: Int32
    /// The end of the period (exclusive); may pass 24 h (`23:00-29:00`).
    public var end: Int32

    /// Creates a period.
    public init(name: String, start: Int32, end: Int32) {
        self.name = name
        self.start = start
        self.end = end
    }

    /// The length in seconds.
    public var length: Int32 { end - start }

    /// Whether `time` (seconds) falls in `[start, end)`.
    public func contains(_ time: Int32) -> Bool { start <= time && time < end }

    /// Parses comma-separated `HH:MM-HH:MM` periods (``NetworkDefaults/periods`` is an
    /// example). Hours have one to three digits and may pass 24 (`23:00-29:00`); minutes are
    /// two digits below 60; spaces around pieces are ignored. The result is sorted by start.
    ///
    /// - Throws: ``NetworkError/invalidPeriod(piece:reason:)`` for an empty list, a piece that
    ///   does not parse or whose end is not after its start;
    ///   ``NetworkError/overlappingPeriods(_:_:)`` when two periods share time (touching ends,
    ///   `07:00-09:00,09:00-16:00`, are fine).
    public static func parse(_ text: String) throws(NetworkError) -> [Period] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        guard !(pieces.count == 1 && pieces[0].isEmpty) else {
            throw .invalidPeriod(piece: text, reason: "no periods given")
        }
        var out: [Period] = []
        for piece in pieces {
            guard !piece.isEmpty else { throw .invalidPeriod(piece: text, reason: "empty period between commas") }
            let ends = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2 else { throw .invalidPeriod(piece: piece, reason: "expected HH:MM-HH:MM") }
            guard let a = clock(ends[0].trimmingSpaces()) else {
                throw .invalidPeriod(piece: piece, reason: "'\(ends[0])' is not a time HH:MM")
            }
            guard let b = clock(ends[1].trimmingSpaces()) else {
                throw .invalidPeriod(piece: piece, reason: "'\(ends[1])' is not a time HH:MM")
            }
            guard b > a else { throw .invalidPeriod(piece: piece, reason: "the end is not after the start") }
            out.append(Period(name: piece, start: a, end: b))
        }
        out.sort { $0.start < $1.start }
        for i in out.indices.dropFirst() where out[i].start < out[i - 1].end {
            throw .overlappingPeriods(out[i - 1].name, out[i].name)
        }
        return out
    }

    /// `H:MM`, `HH:MM` or `HHH:MM` → seconds.
    private static func clock(_ s: String) -> Int32? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...3).contains(parts[0].count), parts[1].count == 2,
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let h = Int32(parts[0]), let m = Int32(parts[1]), m < 60 else { return nil }
        return h * 3600 + m * 60
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
