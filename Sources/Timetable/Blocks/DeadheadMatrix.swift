import TransitSupport

/// The operator's deadhead times: a CSV file `from_stop_id,to_stop_id,seconds[,metres]` with
/// that header, one allowed empty move per row.
///
/// Stops are mapped to the timetable's terminals (a stop of a terminal's cluster stands for the
/// terminal); of several rows for one pair of terminals the fastest counts. Only the moves listed
/// are allowed: a pair without a row is never deadheaded. A row without `metres` gets the
/// straight-line distance between the two stops.
public struct DeadheadMatrix: Sendable, Hashable {
    /// One row.
    public struct Entry: Sendable, Hashable {
        /// `from_stop_id`.
        public var from: String
        /// `to_stop_id`.
        public var to: String
        /// `seconds` (≥ 0).
        public var seconds: Int32
        /// `metres`, when given.
        public var metres: Int32?
        /// The 1-based line in the file.
        public var line: Int

        /// Creates a row.
        public init(from: String, to: String, seconds: Int32, metres: Int32?, line: Int) {
            self.from = from
            self.to = to
            self.seconds = seconds
            self.metres = metres
            self.line = line
        }
    }

    /// Where it was read from (named in messages).
    public var path: String
    /// The rows.
    public var entries: [Entry]

    /// Creates a matrix from rows.
    public init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    /// Reads the file at `path`.
    /// - Throws: ``TimetableError/deadheadMatrixInvalid(path:line:field:value:reason:)`` for a
    ///   file that cannot be read or a row that cannot be used.
    public static func load(_ path: String) throws(TimetableError) -> DeadheadMatrix {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch {
            throw .deadheadMatrixInvalid(path: path, line: 0, field: "", value: "", reason: "cannot read the file: \(error)")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// Parses the CSV text (plain fields; a byte-order mark and CR line ends are accepted).
    /// - Throws: ``TimetableError/deadheadMatrixInvalid(path:line:field:value:reason:)``.
    public static func parse(_ text: String, path: String) throws(TimetableError) -> DeadheadMatrix {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var l = line
            if l.last == "\r" { l.removeLast() }
            return l
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        guard let header = lines.first else {
            throw .deadheadMatrixInvalid(path: path, line: 1, field: "", value: "", reason: "the file is empty; expected the header from_stop_id,to_stop_id,seconds[,metres]")
        }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.filter { $0 != " " && $0 != "\"" } }
        func column(_ name: String, required: Bool) throws(TimetableError) -> Int? {
            if let i = names.firstIndex(of: name) { return i }
            if required {
                throw .deadheadMatrixInvalid(path: path, line: 1, field: name, value: String(header),
                                             reason: "the header lacks '\(name)'; expected from_stop_id,to_stop_id,seconds[,metres]")
            }
            return nil
        }
        guard let fromColumn = try column("from_stop_id", required: true), let toColumn = try column("to_stop_id", required: true),
              let secondsColumn = try column("seconds", required: true) else { return DeadheadMatrix(path: path, entries: []) }
        let metresColumn = try column("metres", required: false)
        var entries: [Entry] = []
        for (k, line) in lines.enumerated().dropFirst() where !line.allSatisfy({ $0 == " " }) {
            let number = k + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0.filter { $0 != "\"" }).trimmingSpaces() }
            func field(_ i: Int, _ name: String) throws(TimetableError) -> String {
                guard i < fields.count, !fields[i].isEmpty else {
                    throw .deadheadMatrixInvalid(path: path, line: number, field: name, value: "", reason: "the field is missing")
                }
                return fields[i]
            }
            func whole(_ i: Int, _ name: String) throws(TimetableError) -> Int32 {
                let text = try field(i, name)
                guard let v = Int32(text), v >= 0 else {
                    throw .deadheadMatrixInvalid(path: path, line: number, field: name, value: text, reason: "expected a whole number ≥ 0")
                }
                return v
            }
            let metres: Int32? = if let m = metresColumn, m < fields.count, !fields[m].isEmpty { try whole(m, "metres") } else { nil }
            entries.append(Entry(from: try field(fromColumn, "from_stop_id"), to: try field(toColumn, "to_stop_id"),
                                 seconds: try whole(secondsColumn, "seconds"), metres: metres, line: number))
        }
        return DeadheadMatrix(path: path, entries: entries)
    }
}

extension String {
    /// The text without surrounding spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
