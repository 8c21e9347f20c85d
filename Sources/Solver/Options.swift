import Synchronization

/// How ``GLPK/solve(_:options:)`` searches.
public struct MIPOptions: Sendable {
    /// Cutting-plane families GLPK can add at the nodes of the search.
    public enum Cut: String, Sendable, Hashable, CaseIterable {
        /// Gomory's mixed-integer cuts (`gmi_cuts`).
        case gomory
        /// Mixed-integer rounding cuts (`mir_cuts`).
        case mir
        /// Mixed cover cuts (`cov_cuts`).
        case cover
        /// Clique cuts (`clq_cuts`).
        case clique
    }

    /// Stop once the relative gap `|objective − bound| / |objective|` is at most this
    /// (GLPK's `mip_gap`; status ``MIPStatus/feasible``). 0 searches to a proof of optimality,
    /// which GLPK may not reach on large models (see the catalog page). Default 1e-6.
    public var relativeGap: Double
    /// The most wall-clock seconds for the solve, counted from the call; `nil` for no limit.
    /// GLPK takes it in whole milliseconds (`tm_lim`, an `Int32`), so it is rounded up and
    /// capped at about 24.8 days. With ``presolve`` on, GLPK solves the presolved root LP
    /// relaxation without a limit and applies this one to the branch-and-cut search after
    /// it; with presolve off, the root LP is limited too.
    public var timeLimit: Double?
    /// Run GLPK's MIP presolver (then no simplex is needed first). Turned off whenever an
    /// ``incumbent`` is given, because GLPK's callback then works on the presolved columns.
    public var presolve: Bool
    /// The cut families to use; none by default.
    public var cuts: Set<Cut>
    /// A known feasible solution, one value per variable, handed to GLPK as its first
    /// incumbent (`glp_ios_heur_sol`) so the search can prune against it from the start. It is
    /// checked first: integer values must be within 1e-6 of a whole number (they are then
    /// rounded) and every bound and row must hold within 1e-6 (scaled by the bound's size).
    /// Presolve is off when one is given.
    public var incumbent: [Double]?
    /// Stops the search when cancelled (polled in GLPK's callback; result
    /// ``MIPStatus/cancelled``).
    public var cancellation: Cancellation?

    /// Creates options.
    public init(relativeGap: Double = 1e-6, timeLimit: Double? = nil, presolve: Bool = true,
                cuts: Set<Cut> = [], incumbent: [Double]? = nil, cancellation: Cancellation? = nil) {
        self.relativeGap = relativeGap
        self.timeLimit = timeLimit
        self.presolve = presolve
        self.cuts = cuts
        self.incumbent = incumbent
        self.cancellation = cancellation
    }

    func validate() throws(SolverError) {
        if !relativeGap.isFinite || relativeGap < 0 {
            throw .invalidOptions("relativeGap is \(relativeGap); give a finite number ≥ 0 (for example 1e-6)")
        }
        if let t = timeLimit, t.isNaN || t < 0 {
            throw .invalidOptions("timeLimit is \(t) seconds; give a number ≥ 0, or nil for no limit")
        }
    }
}

/// A flag that asks a running solve to stop, from any thread or task.
///
/// ``GLPK/solve(_:options:)`` polls it in GLPK's branch-and-cut callback and stops the search
/// (`glp_ios_terminate`) soon after it is set (the callback does not run during the root LP
/// relaxation); a solve that starts already cancelled does no work. Either way the status is ``MIPStatus/cancelled``, with the best solution found so far
/// if any.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates a flag that is not set.
    public init() {}

    /// Asks every solve using this flag to stop. It stays set.
    public func cancel() {
        flag.store(true, ordering: .releasing)
    }

    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool {
        flag.load(ordering: .acquiring)
    }
}
