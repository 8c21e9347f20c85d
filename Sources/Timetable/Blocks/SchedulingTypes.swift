// The values vehicle scheduling takes and gives: deadhead legs, depot drives, statistics,
// errors and the method.

public import Solver

/// A deadhead a block runs: the vehicle drives empty from one terminal to another between two
/// of its trips (or before its first, or after its last).
public struct DeadheadLeg: Sendable, Hashable {
    /// The trip before it (an index into the scheduled trips), or -1 before the block's first.
    public var afterTrip: Int
    /// The trip after it, or -1 after the block's last.
    public var beforeTrip: Int
    /// The terminal it leaves.
    public var from: Int
    /// The terminal it reaches.
    public var to: Int
    /// When it leaves, seconds since service-day midnight.
    public var depart: Int32
    /// Its running time, seconds.
    public var seconds: Int32
    /// Its length, metres.
    public var metres: Int32

    /// Creates a leg.
    public init(afterTrip: Int, beforeTrip: Int, from: Int, to: Int, depart: Int32, seconds: Int32, metres: Int32) {
        self.afterTrip = afterTrip
        self.beforeTrip = beforeTrip
        self.from = from
        self.to = to
        self.depart = depart
        self.seconds = seconds
        self.metres = metres
    }
}

/// A drive without passengers between the depot and a terminal.
public struct DepotDrive: Sendable, Hashable {
    /// Seconds.
    public var seconds: Int32
    /// Metres.
    public var metres: Int32

    /// Creates a drive.
    public init(seconds: Int32, metres: Int32) {
        self.seconds = seconds
        self.metres = metres
    }
}

/// What the scheduling LPs were and how long they took.
public struct SchedulingStatistics: Sendable, Hashable {
    /// Independent parts solved one by one (terminals linked by trips or deadheads).
    public var components: Int
    /// The rows of the flow LPs: one per node (events, plus a source and a sink per part).
    public var rows: Int
    /// The columns of the flow LPs: one per arc (waiting, deadhead, pull-out and pull-in).
    public var columns: Int
    /// The flow problems GLPK solved.
    public var solves: Int
    /// Parts too large for the exact deadhead pass (more than
    /// ``VehicleScheduler/exactDeadheadArcLimit`` arcs): their fleet is still the least, their
    /// deadheads the few the first pass added.
    public var partsWithoutDeadheadOptimum: Int
    /// Seconds spent building and solving.
    public var seconds: Double
}

/// Why vehicle scheduling failed.
public enum VehicleSchedulingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// GLPK could not solve a scheduling LP.
    case solver(String)
    /// The LP's solution was not whole numbers or could not be split into blocks, which a
    /// network LP's basic solution always can: a bug to report.
    case notIntegral(String)

    /// The message.
    public var description: String {
        switch self {
        case .solver(let reason): "vehicle scheduling: the solver failed: \(reason)"
        case .notIntegral(let reason): "vehicle scheduling: the flow could not be split into blocks (\(reason)); please report this with the plan and feed"
        }
    }

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .solver: "scheduling_solver_failed"
        case .notIntegral: "scheduling_not_integral"
        }
    }
}

/// How ``VehicleScheduler/schedule(trips:terminalCount:deadheads:depot:method:)`` solves.
public enum SchedulingMethod: Sendable, Hashable {
    /// The fleet by augmenting paths from the chaining's flow (exact, fast), then the deadheads
    /// by GLPK's out-of-kilter code for parts up to ``VehicleScheduler/exactDeadheadArcLimit``
    /// arcs.
    case standard
    /// Both passes by GLPK with the given method, whatever the size (for cross-checks).
    case glpk(FlowMethod)
}
