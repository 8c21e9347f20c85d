import Testing
@testable import Timetable

private func hm(_ h: Int, _ m: Int) -> Int32 { Int32(h * 3600 + m * 60) }

@Suite("Vehicle blocks and the deficit function")
struct BlockTests {
    /// Terminal A = 0, B = 1, 5-minute layovers.
    static let shuttle: [BlockTrip] = [
        BlockTrip(start: hm(6, 0), end: hm(6, 30), from: 0, to: 1, layover: 300),   // 0: ready at B 6:35
        BlockTrip(start: hm(6, 10), end: hm(6, 40), from: 0, to: 1, layover: 300),  // 1: ready at B 6:45
        BlockTrip(start: hm(6, 35), end: hm(7, 5), from: 1, to: 0, layover: 300),   // 2: takes 0 (ready 6:35)
        BlockTrip(start: hm(6, 40), end: hm(7, 10), from: 1, to: 0, layover: 300),  // 3: 1 not ready: new
        BlockTrip(start: hm(7, 10), end: hm(7, 40), from: 0, to: 1, layover: 300),  // 4: takes 2 (ready 7:10)
        BlockTrip(start: hm(7, 15), end: hm(7, 45), from: 0, to: 1, layover: 300),  // 5: takes 3 (ready 7:15)
    ]

    @Test("deficit function, worked by hand: A peaks at 2 (6:10), B at 1 (6:40): minimum fleet 3")
    func deficitHandWorked() {
        #expect(VehicleBlocks.deficits(trips: Self.shuttle, terminalCount: 2) == [2, 1])
        let blocks = VehicleBlocks(trips: Self.shuttle, terminalCount: 2)
        #expect(blocks.minimumFleet == 3)
        #expect(blocks.deficitByTerminal == [2, 1])
    }

    @Test("chaining, worked by hand: a vehicle ready at the very second of a departure takes it")
    func chainingHandWorked() {
        let blocks = VehicleBlocks(trips: Self.shuttle, terminalCount: 2)
        #expect(blocks.blocks == [[0, 2, 4], [1], [3, 5]])
        #expect(blocks.fleet == 3)
        #expect(blocks.blockOfTrip == [0, 1, 0, 2, 0, 2])
        #expect(VehicleBlocks.violations(blocks: blocks.blocks, trips: Self.shuttle).isEmpty)
    }

    @Test("first in, first out: the vehicle that has waited longest leaves first")
    func fifo() {
        let trips = [
            BlockTrip(start: hm(6, 0), end: hm(6, 30), from: 0, to: 1, layover: 300),  // ready 6:35
            BlockTrip(start: hm(6, 5), end: hm(6, 20), from: 0, to: 1, layover: 300),  // ready 6:25 (first in)
            BlockTrip(start: hm(7, 0), end: hm(7, 30), from: 1, to: 0, layover: 300),
        ]
        let blocks = VehicleBlocks(trips: trips, terminalCount: 2)
        #expect(blocks.blockOfTrip[2] == blocks.blockOfTrip[1])
    }

    @Test("a layover one second short needs another vehicle")
    func layoverRule() {
        let trips = [
            BlockTrip(start: 0, end: 1000, from: 0, to: 0, layover: 300),
            BlockTrip(start: 1299, end: 2000, from: 0, to: 0, layover: 300),
            BlockTrip(start: 2300, end: 3000, from: 0, to: 0, layover: 300),
        ]
        let blocks = VehicleBlocks(trips: trips, terminalCount: 1)
        #expect(blocks.blocks == [[0, 2], [1]])
        #expect(blocks.minimumFleet == 2)
    }

    @Test("the checker reports a broken layover, a wrong terminal, a missing and a repeated trip")
    func violations() {
        let trips = Self.shuttle
        let bad = [[0, 3], [1, 2, 4], [2]]  // 0→3: ready 6:35 > 6:40? no; 1→2: 2 leaves 6:35 before 6:45; trip 5 missing
        let found = VehicleBlocks.violations(blocks: bad, trips: trips)
        #expect(found.contains { $0.contains("block 1: trip 2 leaves at 06:35:00, before the vehicle is ready at 06:45:00") })
        #expect(found.contains { $0 == "trip 2 is in 2 blocks (expected exactly 1)" })
        #expect(found.contains { $0 == "trip 5 is in 0 blocks (expected exactly 1)" })
        let wrongTerminal = VehicleBlocks.violations(blocks: [[0, 4]], trips: trips)
        #expect(wrongTerminal.contains { $0.contains("leaves terminal 0 but the vehicle is at terminal 1") })
    }

    @Test("on random days the blocks use exactly the deficit-function fleet, break no layover and hold every trip once",
          arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomDays(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var trips: [BlockTrip] = []
        for _ in 0..<400 {
            let start = Int32(5 * 3600 + next(18 * 3600))
            trips.append(BlockTrip(start: start, end: start + Int32(600 + next(3600)), from: next(6), to: next(6),
                                   layover: Int32(120 + next(600))))
        }
        let blocks = VehicleBlocks(trips: trips, terminalCount: 6)
        #expect(blocks.fleet == blocks.minimumFleet)
        #expect(VehicleBlocks.violations(blocks: blocks.blocks, trips: trips).isEmpty)
        #expect(blocks.blocks.reduce(0) { $0 + $1.count } == trips.count)
        // The day's peak in service never exceeds the fleet.
        #expect(VehicleBlocks.inService(trips: trips, departingFrom: 0, to: 48 * 3600) <= blocks.fleet)
    }

    @Test("vehicles in service: trips running or in layover at once, counting a period's own departures")
    func inService() {
        let trips = Self.shuttle
        // 6:35 trip 2 leaves as trip 0 becomes ready: one vehicle, not two. Peak: 0,1 running,
        // then 1, 2, 3 → 3 at 6:40.
        #expect(VehicleBlocks.inService(trips: trips, departingFrom: 0, to: hm(24, 0)) == 3)
        // Departures of 7:00-8:00 only: trips 4 and 5 overlap.
        #expect(VehicleBlocks.inService(trips: trips, departingFrom: hm(7, 0), to: hm(8, 0)) == 2)
        #expect(VehicleBlocks.inService(trips: trips, departingFrom: hm(9, 0), to: hm(10, 0)) == 0)
    }
}
