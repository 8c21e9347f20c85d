import Testing
@testable import Timetable

/// Minutes → seconds.
private func m(_ minutes: Int) -> Int32 { Int32(minutes * 60) }

@Suite("Departures from headways")
struct DepartureRuleTests {
    @Test("one period at one headway runs from the first to the last departure")
    func evenOnePeriod() {
        let d = DepartureRules.evenHeadways(segments: [HeadwaySegment(start: 0, end: m(60), headway: m(10))],
                                            first: 0, last: m(50))
        #expect(d == [0, 10, 20, 30, 40, 50].map(m))
    }

    @Test("headway 10 → 20 min, last departure 5 min before the boundary: the transition headway is the average, 15 min")
    func averageHeadwayGrowing() {
        let segments = [HeadwaySegment(start: 0, end: m(60), headway: m(10)),
                        HeadwaySegment(start: m(60), end: m(120), headway: m(20))]
        let d = DepartureRules.evenHeadways(segments: segments, first: m(5), last: m(110))
        #expect(d == [5, 15, 25, 35, 45, 55, 70, 90, 110].map(m))
        #expect(d[6] - d[5] == m(15))
    }

    @Test("headway 20 → 10 min: the transition headway is 15 min, no gap and no bunching")
    func averageHeadwayShrinking() {
        let segments = [HeadwaySegment(start: 0, end: m(60), headway: m(20)),
                        HeadwaySegment(start: m(60), end: m(120), headway: m(10))]
        let d = DepartureRules.evenHeadways(segments: segments, first: m(10), last: m(105))
        #expect(d == [10, 30, 50, 65, 75, 85, 95, 105].map(m))
    }

    @Test("a departure due exactly at the boundary opens the next period at its headway")
    func departureOnBoundary() {
        let segments = [HeadwaySegment(start: 0, end: m(60), headway: m(20)),
                        HeadwaySegment(start: m(60), end: m(120), headway: m(10))]
        let d = DepartureRules.evenHeadways(segments: segments, first: 0, last: m(110))
        #expect(d == [0, 20, 40, 60, 70, 80, 90, 100, 110].map(m))
    }

    @Test("a fractional transition is rounded to the whole minute, and the exact time carries on")
    func wholeMinutes() {
        // 7 → 12 min: from 56 the 4 minutes left use 4/7 of an interval; the next is at
        // 60 + (3/7) × 12 = 65.14 min → 65 min; then 77.14 → 77, 89.14 → 89.
        let segments = [HeadwaySegment(start: 0, end: m(60), headway: m(7)),
                        HeadwaySegment(start: m(60), end: m(120), headway: m(12))]
        let d = DepartureRules.evenHeadways(segments: segments, first: 0, last: m(89))
        #expect(d == [0, 7, 14, 21, 28, 35, 42, 49, 56, 65, 77, 89].map(m))
        #expect(d.allSatisfy { $0 % 60 == 0 })
        // A first departure off the minute is rounded too.
        #expect(DepartureRules.evenHeadways(segments: segments, first: 125, last: m(14)).first == 120)
    }

    @Test("the last departure is kept: added when at least half a headway after the regular ones, else the latest moves to it")
    func lastDepartureKept() {
        let seg = [HeadwaySegment(start: 0, end: m(60), headway: m(10))]
        #expect(DepartureRules.evenHeadways(segments: seg, first: 0, last: m(55)) == [0, 10, 20, 30, 40, 50, 55].map(m))
        #expect(DepartureRules.evenHeadways(segments: seg, first: 0, last: m(53)) == [0, 10, 20, 30, 40, 53].map(m))
    }

    @Test("service before and after the planned periods runs at their headways; a gap between periods has none")
    func endsAndGaps() {
        let segments = [HeadwaySegment(start: m(60), end: m(120), headway: m(20)),
                        HeadwaySegment(start: m(180), end: m(240), headway: m(30))]
        let d = DepartureRules.evenHeadways(segments: segments, first: m(20), last: m(270))
        #expect(d == [20, 40, 60, 80, 100, 180, 210, 240, 270].map(m))
    }

    @Test("even load: departures where the cumulative load reaches (k - 1/2) of equal shares")
    func evenLoadHandWorked() {
        // 60 passengers per 10 minutes for the first half hour (0.1/s), 240 per 10 minutes
        // after (0.4/s): 900 in the hour, 300 per departure, targets 150, 450, 750.
        // 150 at 1500 s; 450 = 180 + 0.4x → 2475 s → 41.25 min → 41; 750 → 3225 s → 53.75 → 54.
        let loads = [600, 1200, 1800].map { LoadSample(time: Int32($0), load: 60) }
            + [2400, 3000, 3600].map { LoadSample(time: Int32($0), load: 240) }
        let d = DepartureRules.evenLoad(start: 0, end: 3600, count: 3, loads: loads)
        #expect(d == [25, 41, 54].map(m))
    }

    @Test("even load with a maximum gap: where almost nobody travels the departures stay about that far apart")
    func evenLoadMaxGap() {
        // Nearly all the load in the last 10 minutes of two hours; 8 departures.
        let loads = [LoadSample(time: m(110), load: 0.5), LoadSample(time: m(120), load: 400)]
        let free = DepartureRules.evenLoad(start: 0, end: m(120), count: 8, loads: loads)
        let capped = DepartureRules.evenLoad(start: 0, end: m(120), count: 8, loads: loads, maxGap: m(30))
        #expect(free.count == 8 && capped.count == 8)
        // Without the floor all departures crowd into the last ten minutes.
        #expect(free.allSatisfy { $0 >= m(110) })
        // With it, the gaps before the crowd are about 30 minutes (the floor is reached after
        // a few rounds, so a little over).
        let gaps = zip(capped, capped.dropFirst()).map { $1 - $0 }
        #expect(capped[0] <= m(20))
        #expect(gaps.allSatisfy { $0 <= m(36) })
        #expect(capped.last ?? 0 >= m(110))
    }

    @Test("even load after the pinned first departure: no long gap behind it when the load comes late")
    func evenLoadAfterFirst() {
        let segments = [HeadwaySegment(start: 0, end: m(120), headway: m(20))]
        let even = DepartureRules.evenHeadways(segments: segments, first: 0, last: m(115))
        let loads = [LoadSample(time: m(100), load: 1), LoadSample(time: m(120), load: 300)]
        let placed = Timetable.evenLoadTimes(even, segments: segments, samples: loads)
        #expect(placed.first == 0 && placed.last == m(115) && placed.count == even.count)
        #expect(placed[1] <= m(45), "\(placed.map { $0 / 60 })")
    }

    @Test("even load without any load spaces the departures evenly")
    func evenLoadNoLoad() {
        #expect(DepartureRules.evenLoad(start: 0, end: 3600, count: 3, loads: []) == [10, 30, 50].map(m))
        #expect(DepartureRules.evenLoad(start: 0, end: 3600, count: 0, loads: []).isEmpty)
    }

    @Test("even-load times keep the day's first and last departure and each period's count")
    func evenLoadKeepsEnds() {
        let segments = [HeadwaySegment(start: 0, end: m(60), headway: m(10)),
                        HeadwaySegment(start: m(60), end: m(120), headway: m(20))]
        let even = DepartureRules.evenHeadways(segments: segments, first: 0, last: m(110))
        // All the load in the first 20 minutes of each hour.
        let loads = [LoadSample(time: m(20), load: 100), LoadSample(time: m(60), load: 0),
                     LoadSample(time: m(80), load: 100), LoadSample(time: m(120), load: 0)]
        let placed = Timetable.evenLoadTimes(even, segments: segments, samples: loads)
        #expect(placed.first == 0)
        #expect(placed.last == m(110))
        #expect(placed.count == even.count)
        #expect(placed.filter { $0 < m(60) }.count == even.filter { $0 < m(60) }.count)
        #expect(zip(placed, placed.dropFirst()).allSatisfy { $0 < $1 })
        // The interior departures of the first hour crowd into its busy first 20 minutes, but
        // no gap grows much past twice the planned headway (20 minutes, then 40).
        let interior = placed.filter { $0 > 0 && $0 < m(60) }
        #expect(interior.filter { $0 <= m(20) }.count * 2 > interior.count)
        let gaps = zip(placed, placed.dropFirst())
        #expect(gaps.filter { $1 < m(60) }.allSatisfy { $1 - $0 <= m(25) }, "\(placed.map { $0 / 60 })")
        #expect(gaps.allSatisfy { $1 - $0 <= m(45) }, "\(placed.map { $0 / 60 })")
    }
}
