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
    /// exactly when the fleet is the least possible).
    ///
    /// Each round is one 0-1 breadth-first search from the sink over the whole residual network,
    /// in which only a new deadhead costs, so few deadheads are added. Every pull-out arc the
    /// search reaches ends a path to the source; the round takes out one vehicle along each such
    /// path, cheapest first, that still has room after the ones before it, and the next round
    /// searches again. Rounds stop when the search reaches no pull-out with flow.
    /// - Complexity: O(rounds × arcs), with far fewer rounds than vehicles taken out.
    static func cancelVehicles(network: FlowNetwork, flow: inout [Int], from sinkNode: Int, to sourceNode: Int,
                               deadheadColumns: Set<Int>) {
        let nodes = network.nodeCount, arcs = network.arcCount
        // Adjacency in flat arrays: per node its arcs out, then its arcs in.
        var outStart = [Int](repeating: 0, count: nodes + 1), inStart = outStart
        for k in 0..<arcs { outStart[network.tail[k] + 1] += 1; inStart[network.head[k] + 1] += 1 }
        for i in 0..<nodes { outStart[i + 1] += outStart[i]; inStart[i + 1] += inStart[i] }
        var outList = [Int32](repeating: 0, count: arcs), inList = outList
        var outFill = outStart, inFill = inStart
        for k in 0..<arcs {
            outList[outFill[network.tail[k]]] = Int32(k); outFill[network.tail[k]] += 1
            inList[inFill[network.head[k]]] = Int32(k); inFill[network.head[k]] += 1
        }
        var isDeadhead = [Bool](repeating: false, count: arcs)
        for k in deadheadColumns { isDeadhead[k] = true }
        let unreached = Int32.max
        var distance = [Int32](repeating: unreached, count: nodes)
        var via = [Int32](repeating: 0, count: nodes) // arc + 1, negative for a backward step
        var deque = [Int32](repeating: 0, count: 2 * nodes + 2)
        var reached: [Int32] = []
        while true {
            for v in reached { distance[Int(v)] = unreached }
            reached.removeAll(keepingCapacity: true)
            var head = nodes + 1, tail = nodes + 1
            distance[sinkNode] = 0
            reached.append(Int32(sinkNode))
            deque[tail] = Int32(sinkNode); tail += 1
            // Pull-out arcs with flow whose head the search reached: each closes a path to the source.
            var exits: [(cost: Int32, arc: Int)] = []
            while head < tail {
                let v = Int(deque[head]); head += 1
                let d = distance[v]
                for e in outStart[v]..<outStart[v + 1] {
                    let k = Int(outList[e])
                    guard flow[k] < network.capacity[k] else { continue }
                    let w = network.head[k], step: Int32 = isDeadhead[k] ? 1 : 0
                    if d + step < distance[w] {
                        if distance[w] == unreached { reached.append(Int32(w)) }
                        distance[w] = d + step
                        via[w] = Int32(k + 1)
                        if step == 0 { head -= 1; deque[head] = Int32(w) } else { deque[tail] = Int32(w); tail += 1 }
                    }
                }
                for e in inStart[v]..<inStart[v + 1] {
                    let k = Int(inList[e])
                    guard flow[k] > network.lower[k] else { continue }
                    let w = network.tail[k]
                    if w == sourceNode { exits.append((d, k)); continue }
                    if d < distance[w] {
                        if distance[w] == unreached { reached.append(Int32(w)) }
                        distance[w] = d
                        via[w] = -Int32(k + 1)
                        head -= 1; deque[head] = Int32(w)
                    }
                }
            }
            guard !exits.isEmpty else { return }
            exits.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.arc < $1.arc }
            var taken = false
            var steps: [Int32] = []
            for exit in exits {
                // The path back from the pull-out's head to the sink, checked for room first.
                steps.removeAll(keepingCapacity: true)
                steps.append(-Int32(exit.arc + 1))
                var v = network.head[exit.arc], fits = flow[exit.arc] > network.lower[exit.arc]
                while fits && v != sinkNode {
                    let step = via[v]
                    steps.append(step)
                    if step > 0 {
                        let k = Int(step) - 1
                        fits = flow[k] < network.capacity[k]
                        v = network.tail[k]
                    } else {
                        let k = Int(-step) - 1
                        fits = flow[k] > network.lower[k]
                        v = network.head[k]
                    }
                }
                guard fits else { continue }
                for step in steps {
                    if step > 0 { flow[Int(step) - 1] += 1 } else { flow[Int(-step) - 1] -= 1 }
                }
                taken = true
            }
            if !taken { return }
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
