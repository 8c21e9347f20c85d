import Solver

/// One independent part of the flow network: its events, arcs, LPs and the blocks read from
/// the flow.
struct FlowPart {
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
}
