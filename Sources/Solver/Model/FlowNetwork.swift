/// A minimum-cost flow problem on a directed network: node supplies, and arcs with whole
/// lower and upper bounds and a whole cost per unit of flow.
///
/// Solve it with ``GLPK/minimumCostFlow(_:)``. Every optimal flow of a network with whole data
/// is whole, so the result needs no rounding.
public struct FlowNetwork: Sendable, Hashable {
    /// The number of nodes (0-based).
    public private(set) var nodeCount: Int
    /// Per node, what it puts into the network (negative: what it takes out). The supplies
    /// must add up to zero.
    public var supply: [Int]
    /// Per arc, the node it leaves.
    public private(set) var tail: [Int] = []
    /// Per arc, the node it enters.
    public private(set) var head: [Int] = []
    /// Per arc, the least flow.
    public var lower: [Int] = []
    /// Per arc, the most flow.
    public var capacity: [Int] = []
    /// Per arc, the cost of one unit.
    public var cost: [Int] = []

    /// The largest magnitude of a supply, bound or cost (GLPK's network codes work in `Int32`,
    /// and sums of costs along paths must not overflow it).
    public static let largestValue = 1 << 24

    /// A network of `nodes` nodes with no supply and no arcs.
    public init(nodes: Int) {
        nodeCount = max(0, nodes)
        supply = Array(repeating: 0, count: nodeCount)
    }

    /// The number of arcs.
    public var arcCount: Int { tail.count }

    /// Adds an arc and returns its index.
    @discardableResult
    public mutating func addArc(from: Int, to: Int, lower: Int = 0, capacity: Int, cost: Int) -> Int {
        tail.append(from)
        head.append(to)
        self.lower.append(lower)
        self.capacity.append(capacity)
        self.cost.append(cost)
        return tail.count - 1
    }

    /// Adds a node and returns its index.
    @discardableResult
    public mutating func addNode(supply: Int = 0) -> Int {
        self.supply.append(supply)
        nodeCount += 1
        return nodeCount - 1
    }

    /// What is wrong with the network for the solver: arcs naming missing nodes, bounds out of
    /// order, values beyond ``largestValue``, supplies that do not add up to zero.
    /// - Complexity: O(nodes + arcs).
    public func issues(limit: Int = 20) -> [String] {
        var out: [String] = []
        func add(_ s: String) { if out.count < limit { out.append(s) } }
        let big = Self.largestValue
        if nodeCount > Int(Int32.max) - 1 || arcCount > Int(Int32.max) - 1 { add("the network is too large for GLPK") }
        var total = 0
        for (i, s) in supply.enumerated() {
            if abs(s) > big { add("node \(i): supply \(s) is beyond ±\(big)") }
            total += s
        }
        if total != 0 { add("the supplies add up to \(total), not 0") }
        for k in 0..<arcCount {
            if tail[k] < 0 || tail[k] >= nodeCount || head[k] < 0 || head[k] >= nodeCount {
                add("arc \(k): node out of range (\(tail[k]) → \(head[k]) of \(nodeCount))")
            }
            if lower[k] < 0 || lower[k] > capacity[k] { add("arc \(k): bounds [\(lower[k]), \(capacity[k])] are not 0 ≤ lower ≤ capacity") }
            if capacity[k] > big || abs(cost[k]) > big { add("arc \(k): capacity \(capacity[k]) or cost \(cost[k]) is beyond \(big)") }
        }
        return out
    }
}

/// The outcome of ``GLPK/minimumCostFlow(_:)``.
public struct FlowResult: Sendable, Hashable {
    /// Whether a flow meets every supply and bound.
    public var feasible: Bool
    /// Per arc, the optimal flow (empty when infeasible).
    public var flow: [Int]
    /// The total cost.
    public var cost: Int
    /// Seconds spent in GLPK.
    public var seconds: Double
}
