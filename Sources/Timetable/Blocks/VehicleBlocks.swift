/// A trip as vehicle scheduling sees it: where and when it starts and ends, and how long a
/// vehicle must wait at the end before its next trip.
public struct BlockTrip: Sendable, Hashable {
    /// The first departure, seconds since service-day midnight.
    public var start: Int32
    /// The last arrival, seconds.
    public var end: Int32
    /// The terminal it leaves from (a dense index).
    public var from: Int
    /// The terminal it arrives at (a dense index).
    public var to: Int
    /// The minimum layover after it, seconds: the vehicle may leave again at `end + layover`.
    public var layover: Int32

    /// Creates a trip.
    public init(start: Int32, end: Int32, from: Int, to: Int, layover: Int32) {
        self.start = start
        self.end = end
        self.from = from
        self.to = to
        self.layover = layover
    }

    /// When the vehicle is ready again: `end + layover`.
    public var ready: Int32 { end + layover }
}

/// Trips chained into vehicle blocks, with the deficit-function lower bound on the fleet.
///
/// ## Deficit function
/// At terminal *a*, d(t, a) is the departures from *a* up to time *t* minus the vehicles
/// ready at *a* by *t* (arrivals plus their layover). Without deadheading, no schedule can run
/// with fewer vehicles than D = Σₐ maxₜ d(t, a) (Ceder; Gertsbach and Gurevich): every
/// departure beyond the ready vehicles at that moment needs a vehicle of its own. A ready
/// vehicle counts before a departure at the same second.
///
/// ## Chaining
/// Trips are taken by departure time; each takes, at its terminal, the vehicle that has been
/// ready longest (first in, first out), or a new vehicle when none is ready. A new vehicle is
/// only ever started when d(t, a) reaches a new maximum at that terminal, so the blocks use
/// exactly D vehicles: the chaining is optimal without deadheading.
public struct VehicleBlocks: Sendable, Hashable {
    /// Per block, its trips (indices into the input) in running order.
    public let blocks: [[Int]]
    /// Per trip, its block.
    public let blockOfTrip: [Int]
    /// The deficit-function minimum fleet D.
    public let minimumFleet: Int
    /// Per terminal, maxₜ d(t, a) (its share of D).
    public let deficitByTerminal: [Int]
    /// Per block, the deadheads it runs, in order (empty without deadheading).
    public let legs: [[DeadheadLeg]]
    /// The lower bound on any schedule's fleet, deadheads or not: the most trips in progress at
    /// once, each counted from its departure to the end of its minimum layover.
    public let lowerBound: Int
    /// The scheduling LPs, when ``VehicleScheduler`` made the blocks (`nil` for the chaining).
    public let statistics: SchedulingStatistics?

    /// The vehicles the blocks use (one per block).
    public var fleet: Int { blocks.count }

    /// Chains `trips` at `terminalCount` terminals.
    /// - Complexity: O(n log n) for n trips.
    public init(trips: [BlockTrip], terminalCount: Int) {
        let terminals = max(terminalCount, 1 + (trips.map { max($0.from, $0.to) }.max() ?? -1))
        deficitByTerminal = VehicleBlocks.deficits(trips: trips, terminalCount: terminals)
        minimumFleet = deficitByTerminal.reduce(0, +)
        let order = trips.indices.sorted { trips[$0].start != trips[$1].start ? trips[$0].start < trips[$1].start : $0 < $1 }
        var waiting = [ReadyHeap](repeating: ReadyHeap(), count: terminals)
        var blocks: [[Int]] = []
        var blockOf = [Int](repeating: -1, count: trips.count)
        var arrivalCounter = 0
        for i in order {
            let trip = trips[i]
            let block: Int
            if let top = waiting[trip.from].peek, top.ready <= trip.start {
                waiting[trip.from].pop()
                block = top.block
                blocks[block].append(i)
            } else {
                block = blocks.count
                blocks.append([i])
            }
            blockOf[i] = block
            waiting[trip.to].push(.init(ready: trip.ready, order: arrivalCounter, block: block))
            arrivalCounter += 1
        }
        self.blocks = blocks
        self.blockOfTrip = blockOf
        self.legs = Array(repeating: [], count: blocks.count)
        self.lowerBound = VehicleBlocks.inService(trips: trips, departingFrom: Int32.min, to: Int32.max)
        self.statistics = nil
    }

    /// Blocks made elsewhere (``VehicleScheduler``).
    init(blocks: [[Int]], legs: [[DeadheadLeg]], trips: [BlockTrip], deficitByTerminal: [Int], statistics: SchedulingStatistics?) {
        var blockOf = [Int](repeating: -1, count: trips.count)
        for (b, list) in blocks.enumerated() { for i in list where i >= 0 && i < trips.count { blockOf[i] = b } }
        self.blocks = blocks
        self.blockOfTrip = blockOf
        self.legs = legs
        self.deficitByTerminal = deficitByTerminal
        self.minimumFleet = deficitByTerminal.reduce(0, +)
        self.lowerBound = VehicleBlocks.inService(trips: trips, departingFrom: Int32.min, to: Int32.max)
        self.statistics = statistics
    }

    /// The most blocks in service at one instant of `[from, to)`: a block is in service from its
    /// first departure to its last arrival, its layovers and deadheads included (half-open, so
    /// a block that ends when another starts is not counted twice).
    /// - Complexity: O(blocks log blocks).
    public func inService(trips: [BlockTrip], from: Int32, to: Int32) -> Int {
        var spans: [(start: Int32, end: Int32)] = []
        spans.reserveCapacity(blocks.count)
        for list in blocks {
            guard let f = list.first, let l = list.last, f < trips.count, l < trips.count else { continue }
            spans.append((trips[f].start, trips[l].end))
        }
        return Self.busiest(spans: spans, from: from, to: to)
    }

    /// The most of `spans` (seconds since service-day midnight, each from its start to its
    /// end, half-open; an empty span counts for one second) open at one instant of `[from, to)`.
    /// - Complexity: O(spans log spans).
    public static func busiest(spans: [(start: Int32, end: Int32)], from: Int32, to: Int32) -> Int {
        var events: [(time: Int32, delta: Int)] = []
        events.reserveCapacity(spans.count * 2)
        for s in spans {
            let end = max(s.end, s.start + 1)
            guard end > from, s.start < to else { continue }
            events.append((max(s.start, from), 1))
            events.append((end, -1))
        }
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var level = 0, best = 0
        for e in events {
            level += e.delta
            if e.time < to { best = max(best, level) }
        }
        return best
    }

    /// Per terminal, the largest excess of departures over ready vehicles, maxₜ d(t, a) ≥ 0.
    /// - Complexity: O(n log n).
    public static func deficits(trips: [BlockTrip], terminalCount: Int) -> [Int] {
        // Events (time, +1 departure / -1 ready) per terminal; ready sorts first at a tie.
        var events: [(terminal: Int, time: Int32, delta: Int)] = []
        events.reserveCapacity(trips.count * 2)
        for t in trips {
            events.append((t.from, t.start, 1))
            events.append((t.to, t.ready, -1))
        }
        events.sort { a, b in
            if a.terminal != b.terminal { return a.terminal < b.terminal }
            if a.time != b.time { return a.time < b.time }
            return a.delta < b.delta
        }
        var out = [Int](repeating: 0, count: terminalCount)
        var level = 0, current = -1
        for e in events {
            if e.terminal != current { current = e.terminal; level = 0 }
            level += e.delta
            if e.terminal < terminalCount { out[e.terminal] = max(out[e.terminal], level) }
        }
        return out
    }

    /// What is wrong with `blocks` for `trips`: a trip in no block or in two, a block whose
    /// next trip leaves from another terminal than the vehicle is at, or before it is ready (the
    /// previous trip's layover over, or its deadhead done), or a deadhead that `deadheads` does
    /// not allow or runs faster than it says. Empty when the blocks are sound.
    /// - Parameters:
    ///   - legs: per block, its deadheads (none when `nil`).
    ///   - deadheads: the allowed moves the legs are checked against (unchecked when `nil`).
    /// - Complexity: O(n + legs).
    public static func violations(blocks: [[Int]], trips: [BlockTrip], legs: [[DeadheadLeg]]? = nil,
                                  deadheads: Deadheads? = nil) -> [String] {
        var seen = [Int](repeating: 0, count: trips.count)
        var out: [String] = []
        for (b, list) in blocks.enumerated() {
            var legsAfter: [Int: [DeadheadLeg]] = [:]
            for leg in legs.flatMap({ b < $0.count ? $0[b] : nil }) ?? [] { legsAfter[leg.afterTrip, default: []].append(leg) }
            var at: Int?
            var ready = Int32.min
            func move(_ leg: DeadheadLeg) {
                if let at, leg.from != at {
                    out.append("block \(b): a deadhead leaves terminal \(leg.from) but the vehicle is at terminal \(at)")
                }
                if leg.depart < ready {
                    out.append("block \(b): a deadhead leaves at \(GTFSClock.text(leg.depart)), before the vehicle is ready at \(GTFSClock.text(ready))")
                }
                if let deadheads {
                    if let link = deadheads.link(from: leg.from, to: leg.to) {
                        if leg.seconds < link.seconds {
                            out.append("block \(b): the deadhead from terminal \(leg.from) to \(leg.to) takes \(leg.seconds) s, less than the \(link.seconds) s allowed")
                        }
                    } else {
                        out.append("block \(b): deadhead from terminal \(leg.from) to \(leg.to) is not an allowed move")
                    }
                }
                at = leg.to
                ready = leg.depart + leg.seconds
            }
            for leg in legsAfter[-1] ?? [] { move(leg) }
            for i in list {
                guard i >= 0, i < trips.count else { out.append("block \(b): trip index \(i) out of range"); continue }
                seen[i] += 1
                let trip = trips[i]
                if let at, trip.from != at {
                    out.append("block \(b): trip \(i) leaves terminal \(trip.from) but the vehicle is at terminal \(at)")
                }
                if trip.start < ready {
                    out.append("block \(b): trip \(i) leaves at \(GTFSClock.text(trip.start)), before the vehicle is ready at \(GTFSClock.text(ready))")
                }
                at = trip.to
                ready = trip.ready
                for leg in legsAfter[i] ?? [] { move(leg) }
            }
        }
        for (i, n) in seen.enumerated() where n != 1 {
            out.append("trip \(i) is in \(n) blocks (expected exactly 1)")
        }
        return out
    }

    /// The vehicles the departures of `[from, to)` keep in service at most: the largest
    /// number of those trips that are running or in their minimum layover (`[start, ready)`)
    /// at one moment. Over a whole day this is maxₜ Σₐ d(t, a); for one period it is what
    /// the period's own departures need (the plan's ceil(cycle / headway) counts the same),
    /// leaving out vehicles that are still finishing trips of the period before. A vehicle
    /// that becomes ready at the moment another trip leaves is counted once.
    /// - Parameter subset: which trips to consider (all when `nil`).
    /// - Complexity: O(n log n).
    public static func inService(trips: [BlockTrip], departingFrom from: Int32, to: Int32, subset: [Int]? = nil) -> Int {
        var events: [(time: Int32, delta: Int)] = []
        for i in subset ?? Array(trips.indices) {
            let t = trips[i]
            guard t.start >= from && t.start < to else { continue }
            events.append((t.start, 1))
            events.append((t.ready, -1))
        }
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var level = 0, best = 0
        for e in events {
            level += e.delta
            best = max(best, level)
        }
        return best
    }
}

/// `HH:MM:SS` for messages.
enum GTFSClock {
    static func text(_ t: Int32) -> String {
        let h = t / 3600, m = (t / 60) % 60, s = t % 60
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(h)):\(two(m)):\(two(s))"
    }
}

/// A binary min-heap of ready vehicles at one terminal, ordered by ready time, then arrival.
struct ReadyHeap: Sendable {
    struct Entry: Sendable { var ready: Int32; var order: Int; var block: Int }
    private var items: [Entry] = []

    var peek: Entry? { items.first }

    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.ready != b.ready ? a.ready < b.ready : a.order < b.order
    }

    mutating func push(_ e: Entry) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(items[i], items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, Self.less(items[l], items[m]) { m = l }
            if r < items.count, Self.less(items[r], items[m]) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
    }
}
