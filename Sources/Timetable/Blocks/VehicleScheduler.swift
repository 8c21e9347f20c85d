public import Solver
import TransitSupport

/// A deadhead a block runs: the vehicle drives empty from one terminal to another between two
/// of its trips (or before its first, or after its last).
public struct DeadheadLeg: Sendable, Hashable {
    /// The trip before it (an index into the scheduled trips), or -1 before the block's first.
    public var afterTrip: Int
    /// The trip after it, or -1 after the block's last.
    public var beforeTrip: Int
    /// The terminal it leaves.
    public var from: Int
    /// The terminal it reaches.
    public var to: Int
    /// When it leaves, seconds since service-day midnight.
    public var depart: Int32
    /// Its running time, seconds.
    public var seconds: Int32
    /// Its length, metres.
    public var metres: Int32

    /// Creates a leg.
    public init(afterTrip: Int, beforeTrip: Int, from: Int, to: Int, depart: Int32, seconds: Int32, metres: Int32) {
        self.afterTrip = afterTrip
        self.beforeTrip = beforeTrip
        self.from = from
        self.to = to
        self.depart = depart
        self.seconds = seconds
        self.metres = metres
    }
}

/// A drive without passengers between the depot and a terminal.
public struct DepotDrive: Sendable, Hashable {
    /// Seconds.
    public var seconds: Int32
    /// Metres.
    public var metres: Int32

    /// Creates a drive.
    public init(seconds: Int32, metres: Int32) {
        self.seconds = seconds
        self.metres = metres
    }
}

/// What the scheduling LPs were and how long they took.
public struct SchedulingStatistics: Sendable, Hashable {
    /// Independent parts solved one by one (terminals linked by trips or deadheads).
    public var components: Int
    /// The rows of the flow LPs: one per node (events, plus a source and a sink per part).
    public var rows: Int
    /// The columns of the flow LPs: one per arc (waiting, deadhead, pull-out and pull-in).
    public var columns: Int
    /// The flow problems GLPK solved.
    public var solves: Int
    /// Parts too large for the exact deadhead pass (more than
    /// ``VehicleScheduler/exactDeadheadArcLimit`` arcs): their fleet is still the least, their
    /// deadheads the few the first pass added.
    public var partsWithoutDeadheadOptimum: Int
    /// Seconds spent building and solving.
    public var seconds: Double
}

/// Why vehicle scheduling failed.
public enum VehicleSchedulingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// GLPK could not solve a scheduling LP.
    case solver(String)
    /// The LP's solution was not whole numbers or could not be split into blocks, which a
    /// network LP's basic solution always can: a bug to report.
    case notIntegral(String)

    /// The message.
    public var description: String {
        switch self {
        case .solver(let reason): "vehicle scheduling: the solver failed: \(reason)"
        case .notIntegral(let reason): "vehicle scheduling: the flow could not be split into blocks (\(reason)); please report this with the plan and feed"
        }
    }

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .solver: "scheduling_solver_failed"
        case .notIntegral: "scheduling_not_integral"
        }
    }
}

/// The single-depot vehicle scheduling problem as a minimum-cost flow, solved by GLPK's simplex.
///
/// ## The network
/// Per terminal, its events in time order: the departures of trips from it and the moments
/// vehicles are ready there (a trip's arrival plus its minimum layover; a ready vehicle counts
/// before a departure at the same second). Arcs:
/// - *waiting* from each event to the next at the same terminal (free, unbounded);
/// - a *trip* from its departure event to its ready event, carrying exactly one vehicle (it is
///   folded into the two events' right-hand sides);
/// - a *deadhead* from a ready event at terminal b to the first departure at terminal a that a
///   vehicle reaches in time (ready + deadhead seconds), for every allowed move b → a in
///   ``Deadheads``; of consecutive ready events at b that reach the same departure only the last
///   keeps the arc, since the others can wait for it at no cost;
/// - *pull-out* into each terminal's first event and *pull-in* out of its last.
///
/// Every event's flow balances, so the constraint matrix is a network matrix: it is totally
/// unimodular and every basic optimum of the LP is whole. Each vehicle's path from pull-out to
/// pull-in is a block.
///
/// ## Objective: fleet first, then deadheading
/// 1. **Fleet.** Starting from the chaining's flow without deadheads (the deficit-function
///    fleet D), vehicles are taken out along paths of the residual network from the sink back
///    to the source until none is left; by the augmenting-path theorem for minimum flows the
///    fleet is then the least possible. Each path is found by a 0-1 breadth-first search in
///    which only a new deadhead costs.
/// 2. **Deadheads.** With that fleet fixed (the source's supply), GLPK's minimum-cost flow code
///    minimises deadhead seconds plus depot drive seconds, for parts up to
///    ``exactDeadheadArcLimit`` arcs.
///
/// Terminals that no trip or deadhead links form independent parts, solved one by one.
///
/// ## Why not the simplex method for the fleet
/// Measured on the generated cities with interlining: GLPK's primal simplex took 33 s on the
/// 30-route city's network (9,000 nodes, 97,000 arcs), its out-of-kilter code 2.4 s there and
/// 234 s on the 500-route city (142,000 nodes, 414,000 arcs); GLPK's RELAX-IV code is
/// disabled in Debian's build. The augmenting paths give the same least fleet (the tests check
/// it against GLPK's simplex and out-of-kilter optima and against a maximum matching) in a
/// fraction of that. ``SchedulingMethod/glpk(_:)`` solves both passes by GLPK instead.
///
/// ## Lower bound
/// No schedule runs with fewer vehicles than the most trips in progress at once, counting each
/// trip from its departure to the end of its minimum layover
/// (``VehicleBlocks/inService(trips:departingFrom:to:subset:)`` over the day); the result
/// reports it beside the fleet.
public enum VehicleScheduler {
    /// The largest part (arcs of its network) whose deadheads GLPK minimises exactly after the
    /// fleet; larger parts keep the first pass's deadheads (GLPK's out-of-kilter code took 4 s
    /// a pass on 85,000 arcs).
    public static let exactDeadheadArcLimit = 40_000

    /// Schedules `trips` into blocks.
    /// - Parameters:
    ///   - trips: the trips, with dense terminal indices.
    ///   - terminalCount: the number of terminals (at least every index used).
    ///   - deadheads: the allowed empty moves between terminals.
    ///   - depot: per terminal, the drive from and to the depot (`nil` for no depot; then
    ///     pull-out and pull-in cost nothing).
    ///   - method: ``SchedulingMethod/standard``, or GLPK for both passes.
    /// - Throws: ``VehicleSchedulingError``.
    /// - Complexity: a simplex solve on O(trips + deadhead arcs) columns per independent part.
    public static func schedule(trips: [BlockTrip], terminalCount: Int, deadheads: Deadheads,
                                depot: [DepotDrive?]? = nil, method: SchedulingMethod = .standard) throws(VehicleSchedulingError) -> VehicleBlocks {
        let clock = Stopwatch()
        let terminals = max(terminalCount, deadheads.terminalCount, 1 + (trips.map { max($0.from, $0.to) }.max() ?? -1))
        // Independent parts: terminals joined by a trip or an allowed deadhead between used terminals.
        var parent = Array(0..<terminals)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var used = [Bool](repeating: false, count: terminals)
        for t in trips where t.from >= 0 && t.to >= 0 {
            used[t.from] = true
            used[t.to] = true
            union(t.from, t.to)
        }
        for a in 0..<deadheads.terminalCount where used[a] {
            for l in deadheads.links[a] where l.to < terminals && used[l.to] { union(a, l.to) }
        }
        var tripsOfPart: [Int: [Int]] = [:]
        var partOrder: [Int] = []
        for (i, t) in trips.enumerated() where t.from >= 0 && t.to >= 0 {
            let root = find(t.from)
            if tripsOfPart[root] == nil { partOrder.append(root) }
            tripsOfPart[root, default: []].append(i)
        }
        var blocks: [[Int]] = []
        var legs: [[DeadheadLeg]] = []
        var stats = SchedulingStatistics(components: partOrder.count, rows: 0, columns: 0, solves: 0, partsWithoutDeadheadOptimum: 0, seconds: 0)
        for root in partOrder {
            var part = FlowPart(trips: trips, members: tripsOfPart[root] ?? [], deadheads: deadheads, depot: depot)
            let (b, l) = try part.solve(method: method, statistics: &stats)
            blocks.append(contentsOf: b)
            legs.append(contentsOf: l)
        }
        // Trips without a terminal (never produced by the builder) get a block each.
        for (i, t) in trips.enumerated() where t.from < 0 || t.to < 0 {
            blocks.append([i])
            legs.append([])
        }
        let order = blocks.indices.sorted { a, b in
            let x = blocks[a].first.map { trips[$0].start } ?? 0, y = blocks[b].first.map { trips[$0].start } ?? 0
            return x != y ? x < y : (blocks[a].first ?? 0) < (blocks[b].first ?? 0)
        }
        stats.seconds = clock.seconds
        let deficits = VehicleBlocks.deficits(trips: trips, terminalCount: terminals)
        return VehicleBlocks(blocks: order.map { blocks[$0] }, legs: order.map { legs[$0] }, trips: trips,
                             deficitByTerminal: deficits, statistics: stats)
    }
}

/// One independent part of the flow network: its events, arcs, LPs and the blocks read from
/// the flow.
private struct FlowPart {
    let trips: [BlockTrip]
    let members: [Int]
    let deadheads: Deadheads
    let depot: [DepotDrive?]?

    // Nodes (events), in terminal order then time order.
    var nodeTerminal: [Int] = []
    var nodeTime: [Int32] = []
    /// The local trip of the event; ≥ 0 departure, encoded as `-(local + 1)` for a ready event.
    var nodeTrip: [Int] = []
    var depNode: [Int] = []
    var readyNode: [Int] = []
    var firstNode: [Int: Int] = [:]
    var lastNode: [Int: Int] = [:]
    var terminalsInOrder: [Int] = []

    init(trips: [BlockTrip], members: [Int], deadheads: Deadheads, depot: [DepotDrive?]?) {
        self.trips = trips
        self.members = members
        self.deadheads = deadheads
        self.depot = depot
        struct Event { var terminal: Int; var time: Int32; var kind: Int; var local: Int }
        var events: [Event] = []
        events.reserveCapacity(members.count * 2)
        for (local, i) in members.enumerated() {
            let t = trips[i]
            events.append(Event(terminal: t.to, time: max(t.ready, t.start + 1), kind: 0, local: local))
            events.append(Event(terminal: t.from, time: t.start, kind: 1, local: local))
        }
        events.sort { a, b in
            if a.terminal != b.terminal { return a.terminal < b.terminal }
            if a.time != b.time { return a.time < b.time }
            if a.kind != b.kind { return a.kind < b.kind }
            return a.local < b.local
        }
        depNode = Array(repeating: -1, count: members.count)
        readyNode = depNode
        for (k, e) in events.enumerated() {
            nodeTerminal.append(e.terminal)
            nodeTime.append(e.time)
            nodeTrip.append(e.kind == 1 ? e.local : -(e.local + 1))
            if e.kind == 1 { depNode[e.local] = k } else { readyNode[e.local] = k }
            if firstNode[e.terminal] == nil { firstNode[e.terminal] = k; terminalsInOrder.append(e.terminal) }
            lastNode[e.terminal] = k
        }
    }

    /// An arc of the LP other than waiting: a deadhead between two nodes.
    struct DeadheadArc { var from: Int; var to: Int; var link: Deadheads.Link }

    /// The deadhead arcs (see ``VehicleScheduler`` for the dominance rule).
    func deadheadArcs() -> [DeadheadArc] {
        // Departure nodes (and times) per terminal, ascending.
        var departures: [Int: [Int]] = [:]
        var readies: [Int: [Int]] = [:]
        for k in nodeTerminal.indices {
            if nodeTrip[k] >= 0 { departures[nodeTerminal[k], default: []].append(k) } else { readies[nodeTerminal[k], default: []].append(k) }
        }
        var arcs: [DeadheadArc] = []
        for b in terminalsInOrder where b < deadheads.terminalCount {
            guard let rs = readies[b] else { continue }
            for link in deadheads.links[b] {
                guard let ds = departures[link.to] else { continue }
                var previousTarget = -1
                var pending: DeadheadArc?
                for r in rs {
                    let reach = nodeTime[r] + link.seconds
                    var lo = 0, hi = ds.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if nodeTime[ds[mid]] < reach { lo = mid + 1 } else { hi = mid }
                    }
                    let target = lo < ds.count ? ds[lo] : -1
                    if target != previousTarget, let p = pending { arcs.append(p) }
                    pending = target >= 0 ? DeadheadArc(from: r, to: target, link: link) : nil
                    previousTarget = target
                }
                if let p = pending { arcs.append(p) }
            }
        }
        return arcs
    }

    mutating func solve(method: SchedulingMethod, statistics: inout SchedulingStatistics) throws(VehicleSchedulingError) -> (blocks: [[Int]], legs: [[DeadheadLeg]]) {
        let arcs = deadheadArcs()
        let nodes = nodeTerminal.count
        // No optimal flow uses more vehicles than the chaining without deadheads does (the
        // deficit-function fleet D of the part), so D bounds every arc: small bounds keep
        // GLPK's out-of-kilter code fast.
        var deficit: [Int: Int] = [:]
        var level = 0
        for k in 0..<nodes {
            if k == 0 || nodeTerminal[k] != nodeTerminal[k - 1] { level = 0 }
            level += nodeTrip[k] >= 0 ? 1 : -1
            deficit[nodeTerminal[k]] = max(deficit[nodeTerminal[k]] ?? 0, level)
        }
        let n = max(1, deficit.values.reduce(0, +))
        var network = FlowNetwork(nodes: nodes)
        for k in 0..<nodes { network.supply[k] = nodeTrip[k] >= 0 ? -1 : 1 }
        let sourceNode = network.addNode(supply: n), sinkNode = network.addNode(supply: -n)
        var source: [Int] = [], sink: [Int] = []
        for a in terminalsInOrder {
            guard let first = firstNode[a], let last = lastNode[a] else { continue }
            source.append(network.addArc(from: sourceNode, to: first, capacity: n, cost: 1))
            sink.append(network.addArc(from: last, to: sinkNode, capacity: n, cost: 0))
        }
        let bypass = network.addArc(from: sourceNode, to: sinkNode, capacity: n, cost: 0)
        var wait = [Int](repeating: -1, count: nodes)
        for k in 0..<nodes where k + 1 < nodes && nodeTerminal[k + 1] == nodeTerminal[k] {
            wait[k] = network.addArc(from: k, to: k + 1, capacity: n, cost: 0)
        }
        var deadheadColumn: [Int] = []
        for a in arcs { deadheadColumn.append(network.addArc(from: a.from, to: a.to, capacity: n, cost: 0)) }
        statistics.rows += network.nodeCount
        statistics.columns += network.arcCount

        // First pass: the fewest vehicles.
        var flow: [Int]
        switch method {
        case .glpk(let m):
            flow = try Self.solve(network, method: m, statistics: &statistics)
        case .standard:
            flow = initialFlow(network: network, source: source, sink: sink, wait: wait, deficit: deficit)
            network.capacity[bypass] = 0
            Self.cancelVehicles(network: network, flow: &flow, from: sinkNode, to: sourceNode, deadheadColumns: Set(deadheadColumn))
        }
        // Second pass: exactly that fleet, the least deadhead and depot drive seconds.
        let exact = method != .standard || network.arcCount <= VehicleScheduler.exactDeadheadArcLimit
        if (!arcs.isEmpty || depot != nil) && exact {
            let fleet = source.reduce(0) { $0 + flow[$1] }
            network.supply[sourceNode] = fleet
            network.supply[sinkNode] = -fleet
            network.capacity[bypass] = 0
            for (k, a) in terminalsInOrder.enumerated() {
                let drive = depot.flatMap { a < $0.count ? $0[a] : nil }
                network.cost[source[k]] = Int(drive?.seconds ?? 0)
                network.cost[sink[k]] = Int(drive?.seconds ?? 0)
            }
            for (m, a) in arcs.enumerated() { network.cost[deadheadColumn[m]] = Int(a.link.seconds) }
            for k in 0..<network.arcCount where network.capacity[k] > fleet { network.capacity[k] = fleet }
            let m: FlowMethod = if case .glpk(let chosen) = method { chosen } else { .outOfKilter }
            flow = try Self.solve(network, method: m, statistics: &statistics)
        } else if !arcs.isEmpty || depot != nil {
            statistics.partsWithoutDeadheadOptimum += 1
        }
        return try decompose(flow: flow, source: source, sink: sink, wait: wait, arcs: arcs, deadheadColumn: deadheadColumn)
    }

    /// The chaining's flow without deadheads: at each terminal, the part's deficit pulls out at
    /// its first event and waits along its events.
    func initialFlow(network: FlowNetwork, source: [Int], sink: [Int], wait: [Int], deficit: [Int: Int]) -> [Int] {
        var flow = [Int](repeating: 0, count: network.arcCount)
        for (k, a) in terminalsInOrder.enumerated() {
            guard var node = firstNode[a], let last = lastNode[a] else { continue }
            var level = deficit[a] ?? 0
            flow[source[k]] = level
            while true {
                level += nodeTrip[node] >= 0 ? -1 : 1
                if node == last { break }
                flow[wait[node]] = level
                node += 1
            }
            flow[sink[k]] = level
        }
        return flow
    }

    /// Takes vehicles out of a feasible flow while a path in the residual network leads from
    /// the sink back to the source (the augmenting-path theorem for a minimum flow: none is left
    /// exactly when the fleet is the least possible). Each path is found by a 0-1 breadth-first
    /// search in which only a new deadhead costs, so few deadheads are added.
    /// - Complexity: O((D − fleet) × arcs).
    static func cancelVehicles(network: FlowNetwork, flow: inout [Int], from sinkNode: Int, to sourceNode: Int,
                               deadheadColumns: Set<Int>) {
        let nodes = network.nodeCount
        var outArcs = [[Int]](repeating: [], count: nodes), inArcs = outArcs
        for k in 0..<network.arcCount {
            outArcs[network.tail[k]].append(k)
            inArcs[network.head[k]].append(k)
        }
        var isDeadhead = [Bool](repeating: false, count: network.arcCount)
        for k in deadheadColumns { isDeadhead[k] = true }
        var distance = [Int](repeating: Int.max, count: nodes)
        var via = [Int](repeating: 0, count: nodes) // arc + 1, negative for a backward step
        var deque = [Int](repeating: 0, count: 2 * nodes + 2)
        while true {
            for i in 0..<nodes { distance[i] = Int.max }
            var head = nodes + 1, tail = nodes + 1
            distance[sinkNode] = 0
            deque[tail] = sinkNode; tail += 1
            var found = false
            while head < tail {
                let v = deque[head]; head += 1
                if v == sourceNode { found = true; break }
                let d = distance[v]
                for k in outArcs[v] where flow[k] < network.capacity[k] {
                    let w = network.head[k], step = isDeadhead[k] ? 1 : 0
                    if d + step < distance[w] {
                        distance[w] = d + step
                        via[w] = k + 1
                        if step == 0 { head -= 1; deque[head] = w } else { deque[tail] = w; tail += 1 }
                    }
                }
                for k in inArcs[v] where flow[k] > network.lower[k] {
                    let w = network.tail[k]
                    if d < distance[w] {
                        distance[w] = d
                        via[w] = -(k + 1)
                        head -= 1; deque[head] = w
                    }
                }
            }
            guard found else { return }
            var v = sourceNode
            while v != sinkNode {
                let step = via[v]
                if step > 0 { flow[step - 1] += 1; v = network.tail[step - 1] } else { flow[-step - 1] -= 1; v = network.head[-step - 1] }
            }
        }
    }

    static func solve(_ network: FlowNetwork, method: FlowMethod, statistics: inout SchedulingStatistics) throws(VehicleSchedulingError) -> [Int] {
        let result: FlowResult
        do { result = try GLPK.minimumCostFlow(network, method: method) } catch { throw .solver(error.description) }
        statistics.solves += 1
        guard result.feasible else { throw .solver("no flow covers every trip (please report this with the plan and feed)") }
        return result.flow
    }

    /// Splits the flow into vehicle paths: each unit pulled out at a terminal walks the network,
    /// taking a departure's trip when it is still free, else a deadhead or waiting arc with flow
    /// left, until it pulls in.
    func decompose(flow: [Int], source: [Int], sink: [Int], wait: [Int], arcs: [DeadheadArc],
                   deadheadColumn: [Int]) throws(VehicleSchedulingError) -> (blocks: [[Int]], legs: [[DeadheadLeg]]) {
        var flow = flow
        var arcsOut = [[Int]](repeating: [], count: nodeTerminal.count)
        for (m, a) in arcs.enumerated() { arcsOut[a.from].append(m) }
        var taken = [Bool](repeating: false, count: members.count)
        var sinkOf: [Int: Int] = [:]
        for (n, a) in terminalsInOrder.enumerated() { sinkOf[a] = sink[n] }
        var blocks: [[Int]] = []
        var legs: [[DeadheadLeg]] = []
        let steps = 4 * (nodeTerminal.count + arcs.count) + 4
        for (n, a) in terminalsInOrder.enumerated() {
            guard let start = firstNode[a] else { continue }
            for _ in 0..<flow[source[n]] {
                var k = start
                var block: [Int] = []
                var blockLegs: [DeadheadLeg] = []
                var pending: [Int] = [] // legs waiting for the next trip
                var finished = false
                for _ in 0..<steps {
                    let local = nodeTrip[k]
                    if local >= 0, !taken[local] {
                        taken[local] = true
                        let trip = members[local]
                        for p in pending { blockLegs[p].beforeTrip = trip }
                        pending.removeAll()
                        block.append(trip)
                        k = readyNode[local]
                        continue
                    }
                    if local < 0, let m = arcsOut[k].first(where: { flow[deadheadColumn[$0]] > 0 }) {
                        flow[deadheadColumn[m]] -= 1
                        let arc = arcs[m]
                        pending.append(blockLegs.count)
                        blockLegs.append(DeadheadLeg(afterTrip: block.last ?? -1, beforeTrip: -1, from: nodeTerminal[arc.from],
                                                     to: nodeTerminal[arc.to], depart: nodeTime[arc.from],
                                                     seconds: arc.link.seconds, metres: arc.link.metres))
                        k = arc.to
                        continue
                    }
                    if wait[k] >= 0, flow[wait[k]] > 0 {
                        flow[wait[k]] -= 1
                        k += 1
                        continue
                    }
                    let here = nodeTerminal[k]
                    if lastNode[here] == k, let s = sinkOf[here], flow[s] > 0 {
                        flow[s] -= 1
                        finished = true
                        break
                    }
                    throw .notIntegral("no flow leaves event \(k) at terminal \(here)")
                }
                guard finished else { throw .notIntegral("a vehicle path from terminal \(a) does not end") }
                if !block.isEmpty {
                    blocks.append(block)
                    legs.append(blockLegs)
                }
            }
        }
        if let missing = taken.firstIndex(of: false) {
            throw .notIntegral("trip \(members[missing]) is in no block")
        }
        return (blocks, legs)
    }
}

/// How ``VehicleScheduler/schedule(trips:terminalCount:deadheads:depot:method:)`` solves.
public enum SchedulingMethod: Sendable, Hashable {
    /// The fleet by augmenting paths from the chaining's flow (exact, fast), then the deadheads
    /// by GLPK's out-of-kilter code for parts up to ``VehicleScheduler/exactDeadheadArcLimit``
    /// arcs.
    case standard
    /// Both passes by GLPK with the given method, whatever the size (for cross-checks).
    case glpk(FlowMethod)
}
