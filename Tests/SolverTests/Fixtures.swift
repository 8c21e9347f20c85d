import Solver

/// Small models with optima worked out by hand, and one that is hard for GLPK.
enum Fixtures {
    /// A 0-1 knapsack: items (value, weight) A(10,5), B(13,6), C(7,4), D(8,3), E(5,2),
    /// capacity 10, maximise value.
    ///
    /// By enumeration the optimum is A+D+E = 23 (weight 10). The LP relaxation takes D and E
    /// whole (the best value per weight, 8/3 and 5/2) and 5/6 of B (13/6): 23 5/6, with the
    /// capacity's dual 13/6 and reduced costs `value − 13/6 · weight`:
    /// A −5/6, B 0, C −5/3, D 3/2, E 2/3.
    static func knapsack(constant: Double = 0) -> LinearModel {
        var m = LinearModel(name: "knapsack", sense: .maximize, objectiveName: "value", objectiveConstant: constant)
        let items: [(String, Double, Double)] = [("A", 10, 5), ("B", 13, 6), ("C", 7, 4), ("D", 8, 3), ("E", 5, 2)]
        for (name, value, _) in items { m.addBinary(name, cost: value) }
        m.addRow("capacity", columns: Array(0..<5), coefficients: items.map(\.2), upper: 10)
        return m
    }

    static let knapsackOptimum = [1.0, 0, 0, 1, 1]

    /// Assigns 3 workers to 3 tasks at cost
    /// ```
    ///        t0 t1 t2
    ///   w0 [  4, 1, 3 ]
    ///   w1 [  2, 0, 5 ]
    ///   w2 [  3, 2, 2 ]
    /// ```
    /// The six permutations cost 6, 11, 5, 9, 7, 6: the optimum is w0→t1, w1→t0, w2→t2 = 5.
    static func assignment() -> LinearModel {
        let cost: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        var m = LinearModel(name: "assignment")
        for w in 0..<3 {
            for t in 0..<3 { m.addBinary("x(w\(w),t\(t))", cost: cost[w][t]) }
        }
        for w in 0..<3 {
            m.addRow("worker_\(w)", columns: (0..<3).map { w * 3 + $0 }, coefficients: [1, 1, 1], lower: 1, upper: 1)
        }
        for t in 0..<3 {
            m.addRow("task_\(t)", columns: (0..<3).map { $0 * 3 + t }, coefficients: [1, 1, 1], lower: 1, upper: 1)
        }
        return m
    }

    /// One of three options per group, each (cost, weight):
    /// ```
    ///   g0: (10,1) (6,3) (4,5)
    ///   g1: ( 8,2) (5,4) (2,6)
    ///   g2: ( 9,1) (4,3) (1,7)
    /// ```
    /// with total weight ≤ `capacity`, minimising cost. Enumerating the 27 choices: with
    /// capacity 10 the unique optimum is options (1,1,1) = 6+5+4 = 15 (weight 10; the next
    /// best cost 16); without the cap it would be (2,2,2) = 7 at weight 18.
    static func multipleChoice(capacity: Double = 10) -> LinearModel {
        let options: [[(Double, Double)]] = [[(10, 1), (6, 3), (4, 5)], [(8, 2), (5, 4), (2, 6)], [(9, 1), (4, 3), (1, 7)]]
        var m = LinearModel(name: "multiple_choice")
        for (g, group) in options.enumerated() {
            for (k, option) in group.enumerated() { m.addBinary("x_g\(g)_o\(k)", cost: option.0) }
        }
        for g in 0..<3 {
            m.addRow("choose_g\(g)", columns: (0..<3).map { g * 3 + $0 }, coefficients: [1, 1, 1], lower: 1, upper: 1)
        }
        m.addRow("weight", columns: Array(0..<9), coefficients: options.flatMap { $0.map(\.1) }, upper: capacity)
        return m
    }

    /// A 0-1 knapsack with `count` items and `dimensions` capacity rows (each half the row's
    /// total weight), weights 1-1000 from a fixed pseudo-random sequence, maximise value.
    /// With `relativeGap` 0 GLPK cannot prove 60 × 5 optimal in 8 s (measured: 18,000 nodes,
    /// 0.4 % gap left); 40 × 5 takes about 0.6 s and 3,500 nodes, 25 × 3 a few milliseconds.
    static func hardKnapsack(count: Int = 60, dimensions: Int = 5, constant: Double = 0) -> LinearModel {
        var random = SplitMix(seed: 7)
        var m = LinearModel(name: "hard_knapsack", sense: .maximize, objectiveConstant: constant)
        var weights: [[Double]] = []
        for _ in 0..<dimensions {
            weights.append((0..<count).map { _ in Double(1 + random.next() % 1000) })
        }
        for j in 0..<count {
            let average = weights.reduce(0) { $0 + $1[j] } / Double(dimensions)
            m.addBinary("item_\(j)", cost: (average + Double(random.next() % 100)).rounded())
        }
        for (i, w) in weights.enumerated() {
            m.addRow("capacity_\(i)", columns: Array(0..<count), coefficients: w, upper: (w.reduce(0, +) / 2).rounded(.down))
        }
        return m
    }
}

/// A small deterministic pseudo-random generator (SplitMix64), so fixtures are the same on
/// every run and platform.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `|a − b| ≤ tolerance` for optionals and arrays, for `#expect`.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}
