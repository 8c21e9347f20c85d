import Solver
import Testing
@testable import Timetable

private func hm(_ h: Int, _ m: Int) -> Int32 { Int32(h * 3600 + m * 60) }

@Suite("Vehicle scheduling: minimum-cost flow with deadheads and interlining")
struct VehicleSchedulerTests {
    /// Route A runs X(0) → T, route B runs T → Y(2); 5-minute layovers.
    static func twoRoutes(sharedTerminal: Bool) -> [BlockTrip] {
        let tForA = 1, tForB = sharedTerminal ? 1 : 3
        return [
            BlockTrip(start: hm(6, 0), end: hm(6, 30), from: 0, to: tForA, layover: 300),   // A: ready at T 6:35
            BlockTrip(start: hm(6, 40), end: hm(7, 10), from: tForB, to: 2, layover: 300),  // B: leaves T 6:40
        ]
    }

    @Test("interlining saves a vehicle: route B's trip leaves the shared terminal after route A's arrives")
    func interliningSaves() throws {
        let apart = try VehicleScheduler.schedule(trips: Self.twoRoutes(sharedTerminal: false), terminalCount: 4,
                                                  deadheads: Deadheads(terminalCount: 4))
        let shared = try VehicleScheduler.schedule(trips: Self.twoRoutes(sharedTerminal: true), terminalCount: 4,
                                                   deadheads: Deadheads(terminalCount: 4))
        #expect(apart.fleet == 2)
        #expect(shared.fleet == 1)
        #expect(shared.blocks == [[0, 1]])
        #expect(shared.lowerBound == 1)
    }

    /// Trip 0 X(0) → Y(1) 6:00-6:30, ready at Y 6:35; trip 1 leaves Z(2) at 6:50.
    static let apart: [BlockTrip] = [
        BlockTrip(start: hm(6, 0), end: hm(6, 30), from: 0, to: 1, layover: 300),
        BlockTrip(start: hm(6, 50), end: hm(7, 20), from: 2, to: 0, layover: 300),
    ]

    static func deadhead(seconds: Int32) -> Deadheads {
        Deadheads(links: [[], [Deadheads.Link(to: 2, seconds: seconds, metres: 4000)], []])
    }

    @Test("a deadhead saves a vehicle when it fits: ready 6:35 + 10 min empty run reaches Z by 6:45, before 6:50")
    func deadheadSaves() throws {
        let none = try VehicleScheduler.schedule(trips: Self.apart, terminalCount: 3, deadheads: Deadheads(terminalCount: 3))
        #expect(none.fleet == 2)
        let deadheads = Self.deadhead(seconds: 600)
        let with = try VehicleScheduler.schedule(trips: Self.apart, terminalCount: 3, deadheads: deadheads)
        #expect(with.fleet == 1)
        #expect(with.blocks == [[0, 1]])
        #expect(with.legs == [[DeadheadLeg(afterTrip: 0, beforeTrip: 1, from: 1, to: 2, depart: hm(6, 35), seconds: 600, metres: 4000)]])
        #expect(VehicleBlocks.violations(blocks: with.blocks, trips: Self.apart, legs: with.legs, deadheads: deadheads).isEmpty)
        // Without the leg the checker sees a vehicle at the wrong terminal.
        #expect(!VehicleBlocks.violations(blocks: with.blocks, trips: Self.apart).isEmpty)
    }

    @Test("neither helps: a 20-minute deadhead reaches Z at 6:55, after the 6:50 departure; no shared terminal")
    func neither() throws {
        let slow = try VehicleScheduler.schedule(trips: Self.apart, terminalCount: 3, deadheads: Self.deadhead(seconds: 1200))
        #expect(slow.fleet == 2)
        #expect(slow.legs.allSatisfy { $0.isEmpty })
        // Exactly fitting (15 min: ready 6:35 + 15 = 6:50) is enough.
        let exact = try VehicleScheduler.schedule(trips: Self.apart, terminalCount: 3, deadheads: Self.deadhead(seconds: 900))
        #expect(exact.fleet == 1)
    }

    @Test("with a depot the fleet stays the least: depot drives are minimised only after it")
    func depotDrives() throws {
        // Two shuttles that could each start at either end: the depot is next to terminal 0.
        let trips = [
            BlockTrip(start: hm(6, 0), end: hm(6, 30), from: 0, to: 1, layover: 300),
            BlockTrip(start: hm(6, 40), end: hm(7, 10), from: 1, to: 0, layover: 300),
        ]
        let depot = [DepotDrive(seconds: 60, metres: 500), DepotDrive(seconds: 1200, metres: 9000)]
        let blocks = try VehicleScheduler.schedule(trips: trips, terminalCount: 2, deadheads: Deadheads(terminalCount: 2), depot: depot)
        #expect(blocks.fleet == 1)
        #expect(blocks.blocks == [[0, 1]])
    }

    /// The least number of vertex-disjoint chains covering the trips, counted exactly: trips
    /// minus a maximum matching of "trip j can follow trip i" (Kuhn's augmenting paths).
    static func exactFleet(_ trips: [BlockTrip], deadheads: Deadheads) -> Int {
        let n = trips.count
        var follows = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            let ready = max(trips[i].ready, trips[i].start + 1)
            for j in 0..<n where j != i {
                if trips[i].to == trips[j].from, trips[j].start >= ready { follows[i].append(j); continue }
                if let link = deadheads.link(from: trips[i].to, to: trips[j].from), trips[j].start >= ready + link.seconds {
                    follows[i].append(j)
                }
            }
        }
        var matchOf = [Int](repeating: -1, count: n)
        func augment(_ i: Int, _ seen: inout [Bool]) -> Bool {
            for j in follows[i] where !seen[j] {
                seen[j] = true
                if matchOf[j] < 0 || augment(matchOf[j], &seen) { matchOf[j] = i; return true }
            }
            return false
        }
        var matched = 0
        for i in 0..<n {
            var seen = [Bool](repeating: false, count: n)
            if augment(i, &seen) { matched += 1 }
        }
        return n - matched
    }

    @Test("random days: the fleet equals an exact matching count and GLPK's optimum, never below the lower bound", arguments: 1...12)
    func randomDays(seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let terminals = 4
        // Terminals on a line, 0, 3, 7 and 12 km apart at 30 km/h: metric, so no chain of
        // deadheads beats the direct one.
        let km = [0, 3, 7, 12]
        var links = [[Deadheads.Link]](repeating: [], count: terminals)
        for a in 0..<terminals {
            for b in 0..<terminals where a != b {
                let metres = abs(km[a] - km[b]) * 1000
                links[a].append(Deadheads.Link(to: b, seconds: Int32(metres * 120 / 1000), metres: Int32(metres)))
            }
        }
        let deadheads = Deadheads(links: links)
        var trips: [BlockTrip] = []
        for _ in 0..<(20 + next(25)) {
            let from = next(terminals)
            var to = next(terminals)
            if to == from { to = (to + 1) % terminals }
            let start = Int32(6 * 3600 + next(180) * 60)
            trips.append(BlockTrip(start: start, end: start + Int32(10 + next(40)) * 60, from: from, to: to, layover: Int32(next(3) * 300)))
        }
        let exact = Self.exactFleet(trips, deadheads: deadheads)
        let standard = try VehicleScheduler.schedule(trips: trips, terminalCount: terminals, deadheads: deadheads)
        let kilter = try VehicleScheduler.schedule(trips: trips, terminalCount: terminals, deadheads: deadheads, method: .glpk(.outOfKilter))
        let simplex = try VehicleScheduler.schedule(trips: trips, terminalCount: terminals, deadheads: deadheads, method: .glpk(.simplex))
        #expect(standard.fleet == exact)
        #expect(kilter.fleet == exact)
        #expect(simplex.fleet == exact)
        #expect(standard.fleet >= standard.lowerBound)
        // Fleet first, then deadheads: the same least deadhead time by both GLPK methods.
        func deadheadSeconds(_ b: VehicleBlocks) -> Int { b.legs.joined().reduce(0) { $0 + Int($1.seconds) } }
        #expect(deadheadSeconds(kilter) == deadheadSeconds(simplex))
        #expect(deadheadSeconds(standard) == deadheadSeconds(kilter))
        for b in [standard, kilter, simplex] {
            #expect(VehicleBlocks.violations(blocks: b.blocks, trips: trips, legs: b.legs, deadheads: deadheads).isEmpty)
        }
        // Without deadheads every method meets the deficit-function fleet.
        let plain = try VehicleScheduler.schedule(trips: trips, terminalCount: terminals, deadheads: Deadheads(terminalCount: terminals))
        #expect(plain.fleet == plain.minimumFleet)
        #expect(plain.fleet == Self.exactFleet(trips, deadheads: Deadheads(terminalCount: terminals)))
    }

    @Test("GLPK's min-cost flow: a hand-worked network by both methods, and an infeasible one")
    func flowNetwork() throws {
        // s(0) supplies 2 to t(3): via 1 (cost 1 + 1, capacity 1) and via 2 (cost 2 + 2).
        var net = FlowNetwork(nodes: 4)
        net.supply = [2, 0, 0, -2]
        net.addArc(from: 0, to: 1, capacity: 1, cost: 1)
        net.addArc(from: 1, to: 3, capacity: 5, cost: 1)
        net.addArc(from: 0, to: 2, capacity: 5, cost: 2)
        net.addArc(from: 2, to: 3, capacity: 5, cost: 2)
        for method in FlowMethod.allCases {
            let r = try GLPK.minimumCostFlow(net, method: method)
            #expect(r.feasible && r.cost == 6 && r.flow == [1, 1, 1, 1], "\(method)")
        }
        net.capacity[2] = 0
        for method in FlowMethod.allCases {
            let r = try GLPK.minimumCostFlow(net, method: method)
            #expect(r.feasible == false)
        }
        var bad = FlowNetwork(nodes: 2)
        bad.supply = [1, 0]
        #expect(throws: SolverError.self) { try GLPK.minimumCostFlow(bad) }
    }
}
