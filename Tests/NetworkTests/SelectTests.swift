@testable import TransitNetwork
import Testing

@Suite("Run-time statistics: the k-th smallest by quickselect")
struct SelectTests {
    @Test("TransitGraph.select gives sorted()[k] for every k, on runs with many repeats")
    func selectMatchesSort() {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<500 {
            let count = 1 + next(80)
            // Few distinct values in some rounds (repeats and runs of equal times), many in others.
            let spread = [1, 3, 20, 4_000][round % 4]
            let values = (0..<count).map { _ in Int32(next(spread)) }
            let sorted = values.sorted()
            for k in 0..<count {
                var scratch = values
                #expect(TransitGraph.select(k, in: &scratch) == sorted[k], "round \(round), k \(k)")
                #expect(scratch.sorted() == sorted)
            }
        }
        var ascending = (0..<50).map { Int32($0) }, descending = Array(ascending.reversed())
        #expect(TransitGraph.select(24, in: &ascending) == 24)
        #expect(TransitGraph.select(24, in: &descending) == 24)
    }
}
