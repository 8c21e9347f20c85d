import Solver
import TransitSupport

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
///    fleet is then the least possible. Each round is one 0-1 breadth-first search (only a new
///    deadhead costs) that takes out a vehicle along every path it found that still has room,
///    so a round takes out many vehicles (the 500-route city: 228 vehicles in 0.8 s).
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
