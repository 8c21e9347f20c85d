// Vehicle blocks as a Gantt chart (trips, layovers, deadheads, depot drives) and the vehicles
// in service over the day.

import Charts
import Timetable

/// One set of vehicle blocks as the charts read it: the planned timetable's or the blocks the
/// scheduler made of today's trips.
struct BlockSet: Sendable {
    /// What the set is, in words ("planned", "current service").
    var name: String
    /// Per scheduled trip, its block view.
    var trips: [BlockTrip]
    /// The blocks: trip indices in running order.
    var blocks: [[Int]]
    /// Per block, its deadheads.
    var legs: [[DeadheadLeg]]
    /// Per terminal, the depot drive (`nil` without a depot).
    var depotDrives: [DepotDrive?]?
    /// Per block, its row label.
    var labels: [String]
    /// Per trip: route code, `route_id`, direction and `trip_id`.
    var tripRoute: [Int32]
    var tripRouteID: [String]
    var tripDirection: [Int32]
    var tripID: [String]

    /// Per block, its first departure and last arrival (`nil` for an empty block).
    func span(_ b: Int) -> (start: Int32, end: Int32)? {
        guard let f = blocks[b].first, let l = blocks[b].last, f < trips.count, l < trips.count else { return nil }
        return (trips[f].start, max(trips[l].end, trips[f].start))
    }

    /// Hours from each block's first departure to its last arrival, summed.
    var vehicleHours: Double {
        var s = 0
        for b in blocks.indices { if let sp = span(b) { s += Int(sp.end - sp.start) } }
        return Double(s) / 3600
    }

    /// Deadhead seconds and metres, summed.
    var deadheads: (seconds: Int, metres: Int) {
        var s = 0, m = 0
        for list in legs { for leg in list { s += Int(leg.seconds); m += Int(leg.metres) } }
        return (s, m)
    }

    /// The blocks in service over the day as steps: (time, count from then on), starting and
    /// ending at zero. A block counts from its first departure to its last arrival (as
    /// ``Timetable/VehicleBlocks/inService(trips:from:to:)`` counts it).
    func inServiceSteps() -> [(x: Double, y: Double)] {
        var events: [(time: Int32, delta: Int)] = []
        for b in blocks.indices {
            guard let sp = span(b) else { continue }
            events.append((sp.start, 1))
            events.append((max(sp.end, sp.start + 1), -1))
        }
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var out: [(x: Double, y: Double)] = []
        var level = 0, i = 0
        while i < events.count {
            let t = events[i].time
            while i < events.count && events[i].time == t { level += events[i].delta; i += 1 }
            if let last = out.last, last.x == Double(t) { out[out.count - 1].y = Double(level) } else { out.append((Double(t), Double(level))) }
        }
        return out
    }

    /// The most blocks in service at one instant of `[from, to)`.
    func busiest(from: Int32, to: Int32) -> Int {
        VehicleBlocks.busiest(spans: blocks.indices.compactMap { span($0) }, from: from, to: to)
    }
}

/// The Gantt chart of a ``BlockSet``.
enum BlockGantt {
    /// The kinds of segment: trips by direction (the stringlines' colours), layovers, deadheads
    /// and depot drives.
    static let kinds = [
        SeriesStyle(name: "trip, direction 0", color: TimetableHTML.directionColors[0]),
        SeriesStyle(name: "trip, direction 1", color: TimetableHTML.directionColors[1]),
        SeriesStyle(name: "layover (between trips)", color: "#d0d0d0"),
        SeriesStyle(name: "deadhead (empty run)", color: "#CC79A7"),
        SeriesStyle(name: "depot drive", color: "#000000"),
    ]

    /// The chart's rows: the blocks `keep` accepts, by first departure, at most `limit`; and
    /// how many accepted blocks were left out.
    static func rows(_ set: BlockSet, keep: (Int) -> Bool, limit: Int) -> (rows: [(label: String, segments: [GanttSegment])], accepted: Int) {
        let chosen = set.blocks.indices.filter { keep($0) && set.span($0) != nil }
            .sorted { (set.span($0)?.start ?? 0, $0) < (set.span($1)?.start ?? 0, $1) }
        let rows = chosen.prefix(max(0, limit)).map { b in (label: set.labels[b], segments: segments(set, block: b)) }
        return (Array(rows), chosen.count)
    }

    /// The kinds the rows use, in ``kinds`` order, and the rows with their segments renumbered
    /// to them (so the legend lists only what is drawn).
    static func presentKinds(_ rows: [(label: String, segments: [GanttSegment])])
        -> (kinds: [SeriesStyle], rows: [(label: String, segments: [GanttSegment])]) {
        var used = Set<Int>()
        for row in rows { for s in row.segments { used.insert(s.kind) } }
        let order = kinds.indices.filter { used.contains($0) }
        var index: [Int: Int] = [:]
        for (i, k) in order.enumerated() { index[k] = i }
        let renumbered = rows.map { row in
            (label: row.label, segments: row.segments.map { s in
                GanttSegment(start: s.start, end: s.end, kind: index[s.kind] ?? s.kind, tooltip: s.tooltip)
            })
        }
        return (order.map { kinds[$0] }, renumbered)
    }

    /// The bars of block `b`: one grey bar from its first departure (or pull-out) to its last
    /// arrival (or pull-in), under the others, so the gaps between trips read as layovers; then
    /// its trips, deadheads and depot drives.
    static func segments(_ set: BlockSet, block b: Int) -> [GanttSegment] {
        let list = set.blocks[b]
        let legs = b < set.legs.count ? set.legs[b] : []
        var legsAfter: [Int: [DeadheadLeg]] = [:]
        for leg in legs { legsAfter[leg.afterTrip, default: []].append(leg) }
        let label = set.labels[b]
        func drive(_ terminal: Int) -> DepotDrive? {
            guard let drives = set.depotDrives, terminal >= 0, terminal < drives.count else { return nil }
            return drives[terminal]
        }
        guard let first = list.first, let last = list.last, first >= 0, last >= 0, first < set.trips.count, last < set.trips.count else {
            return []
        }
        var out: [GanttSegment] = []
        var from = Int(set.trips[first].start), to = Int(max(set.trips[last].end, set.trips[first].start))
        var tripCount = 0, tripSeconds = 0
        if let d = drive(set.trips[first].from), d.seconds > 0 {
            out.append(GanttSegment(start: from - Int(d.seconds), end: from, kind: 4,
                                    tooltip: "\(label): pull-out from the depot, \(Format.minutes(Double(d.seconds))), \(Format.number(Double(d.metres) / 1000, places: 1)) km"))
        }
        func deadhead(_ leg: DeadheadLeg) {
            let start = Int(leg.depart), end = Int(leg.depart) + Int(leg.seconds)
            from = min(from, start)
            to = max(to, end)
            out.append(GanttSegment(start: start, end: end, kind: 3,
                                    tooltip: "\(label): deadhead \(Format.clock(start))–\(Format.clock(end)), \(Format.minutes(Double(leg.seconds))), \(Format.number(Double(leg.metres) / 1000, places: 1)) km"))
        }
        for leg in legsAfter[-1] ?? [] { deadhead(leg) }
        for i in list where i >= 0 && i < set.trips.count {
            let t = set.trips[i]
            let start = Int(t.start), end = Int(max(t.end, t.start))
            tripCount += 1
            tripSeconds += end - start
            let direction = i < set.tripDirection.count ? set.tripDirection[i] : 0
            let route = i < set.tripRouteID.count ? set.tripRouteID[i] : "?"
            let id = i < set.tripID.count ? set.tripID[i] : "?"
            out.append(GanttSegment(start: start, end: end, kind: direction == 1 ? 1 : 0,
                                    tooltip: "\(label): route \(route) direction \(direction), trip \(id), \(Format.clock(start))–\(Format.clock(end))"))
            for leg in legsAfter[i] ?? [] { deadhead(leg) }
        }
        if let d = drive(set.trips[last].to), d.seconds > 0 {
            out.append(GanttSegment(start: to, end: to + Int(d.seconds), kind: 4,
                                    tooltip: "\(label): pull-in to the depot, \(Format.minutes(Double(d.seconds))), \(Format.number(Double(d.metres) / 1000, places: 1)) km"))
        }
        let waiting = max(0, to - from - tripSeconds - legs.reduce(0) { $0 + Int($1.seconds) })
        let background = GanttSegment(start: from, end: to, kind: 2,
                                      tooltip: "\(label): \(Format.clock(from))–\(Format.clock(to)), \(tripCount) trips, \(Format.number(Double(waiting) / 3600, places: 1)) h in layovers")
        return [background] + out
    }
}
