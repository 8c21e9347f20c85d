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
/// each trip: the rows of trip code `t` are `rows[offsets[t]..<offsets[t+1]]`.
public struct StopTimeIndex: Sendable {
    /// Per trip code, where its rows start in ``rows``; `tripCount + 1` entries.
    public let offsets: [Int32]
    /// Row numbers of `stop_times.txt`, grouped by trip and sorted by `stop_sequence`.
    public let rows: [Int32]

    /// The rows of trip code `trip`, in `stop_sequence` order.
    public func rows(ofTrip trip: Int32) -> ArraySlice<Int32> {
        guard trip >= 0, Int(trip) + 1 < offsets.count else { return [] }
        return rows[Int(offsets[Int(trip)])..<Int(offsets[Int(trip) + 1])]
    }

    /// Builds the index by a counting sort on trip, then a check (and, where needed, a sort)
    /// of each trip's sequence.
    /// - Complexity: O(n) when the file lists each trip's stops in order, O(n log k) otherwise.
    init(_ table: Table?, tripCount: Int) {
        guard let table, let trip = table.strings("trip_id")?.codes else {
            offsets = [Int32](repeating: 0, count: tripCount + 1)
            rows = []
            return
        }
        let seq = table.integers("stop_sequence") ?? [Int32](repeating: 0, count: table.rowCount)
        var counts = [Int32](repeating: 0, count: tripCount + 1)
        var withTrip = 0
        for t in trip where t >= 0 && Int(t) < tripCount {
            counts[Int(t) + 1] += 1
            withTrip += 1
        }
        for i in 0..<tripCount { counts[i + 1] += counts[i] }
        var cursor = counts
        var rows = [Int32](repeating: 0, count: withTrip)
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
        self.offsets = counts
        self.rows = rows
    }
}
