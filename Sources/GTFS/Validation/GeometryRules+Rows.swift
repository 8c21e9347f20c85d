// GeometryRules+Rows.swift: the rows the geometric rules read (rows that failed to parse left
// out, as the canonical validator does), stop patterns, shape groups and stop positions.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Loaded rows

/// The loaded rows of the files the geometric rules read.
struct Loaded {
    let stops: LoadedRows, routes: LoadedRows, trips: LoadedRows, stopTimes: LoadedRows, shapes: LoadedRows

    init(_ feed: Feed) {
        stops = LoadedRows(feed.table("stops.txt"))
        routes = LoadedRows(feed.table("routes.txt"))
        trips = LoadedRows(feed.table("trips.txt"))
        stopTimes = LoadedRows(feed.table("stop_times.txt"))
        shapes = LoadedRows(feed.table("shapes.txt"))
    }
}

/// The rows of a table the canonical validator loads: it keeps no record of a row with an error
/// in its own values (a value that does not parse or is out of range, a required value that is
/// empty), so its rules never see that row.
struct LoadedRows {
    /// Per row, whether it has such an error; empty when no row does.
    let failed: [Bool]

    init(_ t: Table?) {
        guard let t else { failed = []; return }
        var failed: [Bool] = []
        func fail(_ r: Int) {
            guard r >= 0 && r < t.rowCount else { return }
            if failed.isEmpty { failed = [Bool](repeating: false, count: t.rowCount) }
            failed[r] = true
        }
        for c in t.columns {
            for r in c.unparsed.keys { fail(Int(r)) }
            guard let fs = c.schema else { continue }
            let required = fs.presence == .required
            switch (fs.type, c.data) {
            case (_, .strings(let s)):
                if required { for (r, code) in s.codes.enumerated() where code < 0 && c.unparsed[Int32(r)] == nil { fail(r) } }
                // Text kept as read but not of its type (a colour, URL, e-mail or time zone):
                // checked once per distinct value, as the parser does.
                guard TableParser.needsStringCheck(fs.type) else { continue }
                var bad = [Bool](repeating: false, count: s.values.count)
                var any = false
                for (i, text) in s.values.enumerated() {
                    var scratch = ValidationReport(maxPerCode: 1)
                    TableParser.checkString(fs, text, file: t.name, line: 0, report: &scratch)
                    if scratch.errorCount > 0 { bad[i] = true; any = true }
                }
                guard any else { continue }
                for (r, code) in s.codes.enumerated() where code >= 0 && Int(code) < bad.count && bad[Int(code)] { fail(r) }
            case (.integer(let range), .integers(let v)):
                for (r, x) in v.enumerated() {
                    if x == Column.missingInteger {
                        if required && c.unparsed[Int32(r)] == nil { fail(r) }
                    } else if !range.contains(x) {
                        fail(r)
                    }
                }
            case (.integer(let range), .smallIntegers(let v)):
                for (r, x) in v.enumerated() {
                    if x == Column.missingSmallInteger {
                        if required && c.unparsed[Int32(r)] == nil { fail(r) }
                    } else if !range.contains(Int32(x)) {
                        fail(r)
                    }
                }
            case (.real(let range), .reals(let v)):
                for (r, x) in v.enumerated() {
                    if x.isNaN {
                        if required && c.unparsed[Int32(r)] == nil { fail(r) }
                    } else if !range.contains(x) {
                        fail(r)
                    }
                }
            case (_, .times(let v)), (_, .dates(let v)):
                if required { for (r, x) in v.enumerated() where x < 0 && c.unparsed[Int32(r)] == nil { fail(r) } }
            default:
                continue
            }
        }
        self.failed = failed
    }

    /// Whether some row failed to parse.
    var hasErrors: Bool { !failed.isEmpty }

    /// Whether row `r` was loaded.
    func contains(_ r: Int) -> Bool { r >= 0 && (r >= failed.count || !failed[r]) }

    /// For each code below `count`, the first loaded row that declares it (-1 when none does).
    func firstRows(of ids: [Int32], count: Int) -> [Int32] {
        var rows = [Int32](repeating: -1, count: count)
        for (r, c) in ids.enumerated() where c >= 0 && Int(c) < count && rows[Int(c)] < 0 && contains(r) { rows[Int(c)] = Int32(r) }
        return rows
    }
}

// MARK: - Sequences

/// Distinct sequences of integers, numbered in order of first appearance: found by a quick
/// 64-bit hash and confirmed element by element (a stop pattern is seen once per trip, so
/// this is cheaper than hashing arrays as dictionary keys).
struct SequenceNumbering {
    private var byHash: [UInt64: [Int32]] = [:]
    private var starts: [Int] = [0]
    private var store: [Int64] = []

    /// The number of `key` and whether it was seen for the first time.
    mutating func number(_ key: [Int64]) -> (id: Int, isNew: Bool) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        for v in key {
            h = (h ^ UInt64(bitPattern: v)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        if let ids = byHash[h] {
            for id in ids where equals(Int(id), key) { return (Int(id), false) }
        }
        let id = starts.count - 1
        store.append(contentsOf: key)
        starts.append(store.count)
        byHash[h, default: []].append(Int32(id))
        return (id, true)
    }

    private func equals(_ id: Int, _ key: [Int64]) -> Bool {
        guard id >= 0, id + 1 < starts.count else { return false }
        let a = starts[id], b = starts[id + 1]
        guard b - a == key.count else { return false }
        for i in 0..<key.count where store[a + i] != key[i] { return false }
        return true
    }
}

// MARK: - Shape rows

/// The rows of `shapes.txt` grouped by shape code, each group in `shape_pt_sequence` order
/// (file order among equal sequences).
struct ShapeGroups {
    /// Per shape code, where its rows start; `shapeCount + 1` entries.
    let offsets: [Int32]
    /// Row numbers, grouped and sorted.
    let order: [Int32]
    /// The number of shape codes.
    var shapeCount: Int { offsets.count - 1 }

    init(_ s: Shapes, codeCount: Int, loaded: LoadedRows) {
        (offsets, order) = s.rowsBySequence(shapeCount: codeCount) { loaded.contains($0) }
    }

    /// The rows of shape code `shape`, in sequence order (empty for an unknown code).
    func rows(of shape: Int) -> ArraySlice<Int32> {
        guard shape >= 0, shape + 1 < offsets.count else { return [] }
        return order[Int(offsets[shape])..<Int(offsets[shape + 1])]
    }
}

// MARK: - Stop positions

/// Where each stop code is, for matching and speeds: its own coordinates, else its parent's
/// (up to three levels, as the canonical StopUtil), else none.
struct StopPlaces {
    /// Latitude per stop code, NaN when neither the stop nor a parent has coordinates.
    let lat: [Double]
    /// Longitude per stop code.
    let lon: [Double]
    /// Whether the code is a stop of `stops.txt` whose own coordinates (if any) are on the globe.
    let usable: [Bool]
    /// The position as a unit vector, per stop code (meaningless where `lat` is NaN).
    let vector: [Sphere.Vector]

    init(_ feed: Feed, loaded: LoadedRows) {
        let s = feed.stops
        let count = feed.ids(.stop).count
        let rowOf = loaded.firstRows(of: s.id, count: count)
        var lat = [Double](repeating: .nan, count: count), lon = lat
        var usable = [Bool](repeating: false, count: count)
        for code in 0..<count {
            var row = rowOf[code]
            if row >= 0 {
                let la = s.lat[Int(row)], lo = s.lon[Int(row)]
                usable[code] = la.isNaN || lo.isNaN || (abs(la) <= 90 && abs(lo) <= 180)
            }
            for _ in 0..<3 where row >= 0 {
                let la = s.lat[Int(row)], lo = s.lon[Int(row)]
                if !la.isNaN && !lo.isNaN { lat[code] = la; lon[code] = lo; break }
                let parent = s.parentStation[Int(row)]
                row = parent >= 0 && Int(parent) < count ? rowOf[Int(parent)] : -1
            }
        }
        self.lat = lat
        self.lon = lon
        self.usable = usable
        vector = (0..<count).map { lat[$0].isNaN ? Sphere.Vector(x: 0, y: 0, z: 0) : Sphere.Vector(lat: lat[$0], lon: lon[$0]) }
    }

    /// Whether stop code `code` has a position (its own or a parent's).
    func hasPlace(_ code: Int32) -> Bool { code >= 0 && Int(code) < lat.count && !lat[Int(code)].isNaN }

    /// Whether stop code `code` names a stop with plausible coordinates.
    func isUsable(_ code: Int32) -> Bool { code >= 0 && Int(code) < usable.count && usable[Int(code)] }

    /// Kilometres between consecutive stops of `stops`: 0 into a stop with no position, and a
    /// stop after it measured from the last stop that had one.
    func consecutiveKm(_ stops: [Int32]) -> [Double] {
        guard stops.count > 1 else { return [] }
        var out: [Double] = []
        out.reserveCapacity(stops.count - 1)
        var current: Int32 = hasPlace(stops[0]) ? stops[0] : -1
        for next in stops.dropFirst() {
            guard hasPlace(next) else { out.append(0); continue }
            if current >= 0 {
                out.append(Sphere.distance(lat[Int(current)], lon[Int(current)], lat[Int(next)], lon[Int(next)]) / 1000)
            } else {
                out.append(0)
            }
            current = next
        }
        return out
    }
}
