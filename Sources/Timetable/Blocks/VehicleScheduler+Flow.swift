import Solver

/// Flows on a part's network: the chaining's start, vehicles taken out by augmenting paths,
/// GLPK's solves, and the flow split into blocks.
extension FlowPart {
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
