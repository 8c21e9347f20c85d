/// A GTFS feed held as typed, indexed tables.
///
/// Identifiers are interned per ``IDSpace``: every identifier column of every table holds codes
/// into the same pool (``ids(_:)``), so `stopTimes.trip[i]` and `trips.id[j]` compare as
/// integers. Codes below ``definedCount(_:)`` are declared by the space's defining file;
/// larger codes are references to identifiers that the feed never declares (a
/// `foreign_key_violation` in the report), kept so a round trip loses nothing.
///
/// Load one with ``FeedReader``; write one with ``FeedWriter``.
public struct Feed: Sendable {
    /// The typed tables present in the feed, by file name.
    public internal(set) var tables: [String: Table]
    /// Files kept byte for byte (fares, pathways, licences, anything not typed here).
    public internal(set) var extraFiles: [ExtraFile]
    /// Interned identifiers per space.
    var pools: [IDSpace: [String]]
    /// How many identifiers of each space the defining files declare.
    var defined: [IDSpace: Int]
    /// Stop times grouped by trip and ordered by `stop_sequence`.
    public internal(set) var stopTimeIndex: StopTimeIndex

    /// Creates a feed from linked tables (used by the reader and by builders).
    init(tables: [String: Table], extraFiles: [ExtraFile], pools: [IDSpace: [String]],
         defined: [IDSpace: Int]) {
        self.tables = tables
        self.extraFiles = extraFiles
        self.pools = pools
        self.defined = defined
        self.stopTimeIndex = StopTimeIndex(tables["stop_times.txt"], tripCount: pools[.trip]?.count ?? 0)
    }

    /// The interned identifiers of `space`; a code is an index into this array.
    public func ids(_ space: IDSpace) -> [String] { pools[space] ?? [] }

    /// How many identifiers of `space` the feed declares (codes `0..<definedCount`).
    public func definedCount(_ space: IDSpace) -> Int { defined[space] ?? 0 }

    /// The code of identifier `id` in `space`, if the feed mentions it.
    /// - Complexity: O(n) in the pool's size; build a dictionary for repeated look-ups.
    public func code(of id: String, in space: IDSpace) -> Int32? {
        pools[space]?.firstIndex(of: id).map { Int32($0) }
    }

    /// A dictionary from identifier to code for `space`.
    /// - Complexity: O(n) in the pool's size.
    public func codeMap(_ space: IDSpace) -> [String: Int32] {
        var m: [String: Int32] = [:]
        let p = ids(space)
        m.reserveCapacity(p.count)
        for (i, s) in p.enumerated() where m[s] == nil { m[s] = Int32(i) }
        return m
    }

    /// The table of `file` (`stops.txt`), if the feed has it.
    public func table(_ file: String) -> Table? { tables[file] }

    /// The tables in the writer's order: schema files first, then any others.
    public var orderedTables: [Table] {
        var out: [Table] = []
        for s in GTFSSchema.files { if let t = tables[s.name] { out.append(t) } }
        return out
    }

    /// Row counts per file name, for typed tables and extra files that are CSV.
    public var rowCounts: [String: Int] {
        var r: [String: Int] = [:]
        for (name, t) in tables { r[name] = t.rowCount }
        return r
    }
}

extension Feed: Equatable {
    /// Feeds are equal when their tables (columns and values) and extra files are equal.
    public static func == (lhs: Feed, rhs: Feed) -> Bool {
        lhs.tables == rhs.tables && lhs.extraFiles.sorted { $0.name < $1.name } == rhs.extraFiles.sorted { $0.name < $1.name }
    }
}

/// Stop times grouped by trip (compressed sparse rows) and ordered by `stop_sequence` within
/// each trip: the rows of trip code `t` are ``rows(ofTrip:)``.
///
/// When the file already lists trips in the order of `trips.txt`, each in sequence order (the
/// common case), no row list is stored at all: the rows of a trip are a plain range.
public struct StopTimeIndex: Sendable {
    /// Per trip code, where its rows start; `tripCount + 1` entries.
    public let offsets: [Int32]
    /// Row numbers of `stop_times.txt`, grouped by trip and sorted by `stop_sequence`; empty
    /// when that order is the file's own order (see ``isFileOrder``).
    public let order: [Int32]
    /// Whether the file's row order already is the index order.
    public let isFileOrder: Bool

    /// The rows of one trip, in `stop_sequence` order.
    public struct Rows: RandomAccessCollection, Sendable {
        let order: [Int32]
        let identity: Bool
        public let startIndex: Int
        public let endIndex: Int
        public subscript(position: Int) -> Int32 { identity ? Int32(position) : order[position] }
    }

    /// The rows of trip code `trip`, in `stop_sequence` order (empty for an unknown code).
    /// - Complexity: O(1).
    public func rows(ofTrip trip: Int32) -> Rows {
        guard trip >= 0, Int(trip) + 1 < offsets.count else { return Rows(order: [], identity: true, startIndex: 0, endIndex: 0) }
        return Rows(order: order, identity: isFileOrder, startIndex: Int(offsets[Int(trip)]), endIndex: Int(offsets[Int(trip) + 1]))
    }

    /// Builds the index by a counting sort on trip, then a check (and, where needed, a sort)
    /// of each trip's sequence.
    /// - Complexity: O(n) when the file lists each trip's stops in order, O(n log k) otherwise.
    init(_ table: Table?, tripCount: Int) {
        guard let table, let trip = table.strings("trip_id")?.codes else {
            offsets = [Int32](repeating: 0, count: tripCount + 1)
            order = []
            isFileOrder = true
            return
        }
        let seq = table.integers("stop_sequence") ?? [Int32](repeating: 0, count: table.rowCount)
        var counts = [Int32](repeating: 0, count: tripCount + 1)
        // Fast check: rows already grouped by ascending trip code, ascending sequence, every row known.
        var fileOrder = true
        trip.withUnsafeBufferPointer { t in
            seq.withUnsafeBufferPointer { q in
                var previousTrip: Int32 = -1
                var previousSeq = Int32.min
                for r in 0..<t.count {
                    let c = t[r]
                    if c < 0 || Int(c) >= tripCount { fileOrder = false; continue }
                    counts[Int(c) + 1] += 1
                    if c < previousTrip || (c == previousTrip && q[r] <= previousSeq) { fileOrder = false }
                    previousTrip = c
                    previousSeq = q[r]
                }
            }
        }
        for i in 0..<tripCount { counts[i + 1] += counts[i] }
        self.offsets = counts
        self.isFileOrder = fileOrder
        if fileOrder {
            self.order = []
            return
        }
        var cursor = counts
        var rows = [Int32](repeating: 0, count: Int(counts[tripCount]))
        for (r, t) in trip.enumerated() where t >= 0 && Int(t) < tripCount {
            rows[Int(cursor[Int(t)])] = Int32(r)
            cursor[Int(t)] += 1
        }
        for t in 0..<tripCount {
            let a = Int(counts[t]), b = Int(counts[t + 1])
            guard b - a > 1 else { continue }
            var sorted = true
            for i in (a + 1)..<b where seq[Int(rows[i - 1])] > seq[Int(rows[i])] { sorted = false; break }
            if !sorted {
                let part = rows[a..<b].sorted { x, y in
                    seq[Int(x)] != seq[Int(y)] ? seq[Int(x)] < seq[Int(y)] : x < y
                }
                rows.replaceSubrange(a..<b, with: part)
            }
        }
        self.order = rows
    }
}
