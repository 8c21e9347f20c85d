import CGLPK
import TransitSupport
import GLPKGuard

/// Solves, writes and reads ``LinearModel``s with GLPK (the GNU Linear Programming Kit).
///
/// Every call is synchronous and self-contained: it validates the model, creates a GLPK
/// problem object, uses it and deletes it on the calling thread, with GLPK's terminal output
/// off, then frees the thread's GLPK environment. GLPK keeps its state per thread, so calls on
/// different threads (for example in a `TaskGroup`) run at the same time safely. Never hold a
/// GLPK object across an `await`: nothing here does.
///
/// GLPK aborts the process on invalid input; models are therefore validated in Swift first,
/// and every GLPK routine that can raise an error runs under an error hook (in the
/// `GLPKGuard` C target) that turns the error into ``SolverError/glpk(operation:code:message:)``.
public enum GLPK {
    /// The linked GLPK library's version, such as `5.0`.
    public static var version: String {
        String(cString: glp_version())
    }

    // MARK: Mixed-integer solve

    /// Solves `model` (integrality kept) by branch-and-cut (`glp_intopt`).
    ///
    /// Return codes are mapped as follows: 0 with an optimal solution → ``MIPStatus/optimal``
    /// (``MIPResult/bound`` = objective); `GLP_EMIPGAP` → ``MIPStatus/feasible``;
    /// `GLP_ETMLIM` → ``MIPStatus/timeLimit``; `GLP_ESTOP` → ``MIPStatus/cancelled``;
    /// `GLP_ENOPFS` or no integer solution → ``MIPStatus/infeasible``; `GLP_ENODFS` (the LP
    /// relaxation has no dual feasible solution) → a second LP without objective tells
    /// ``MIPStatus/infeasible`` from ``MIPStatus/unbounded``. The last three carry the best
    /// solution found, if any. Other codes throw.
    ///
    /// With presolve off (or an incumbent given) the LP relaxation is first solved by
    /// `glp_simplex`, which `glp_intopt` then needs.
    /// - Throws: ``SolverError/invalidModel(model:issues:total:)``,
    ///   ``SolverError/invalidOptions(_:)``, ``SolverError/invalidIncumbent(violations:)``, or
    ///   ``SolverError/glpk(operation:code:message:)`` when GLPK fails.
    /// - Complexity: loading is O(variables + rows + nonzeros) with flat arrays; the search is
    ///   exponential in the worst case (bound it with ``MIPOptions/timeLimit``).
    public static func solve(_ model: LinearModel, options: MIPOptions = MIPOptions()) throws(SolverError) -> MIPResult {
        let clock = Stopwatch()
        try model.validate()
        try options.validate()
        var incumbent: [Double]?
        if let given = options.incumbent {
            incumbent = try preparedIncumbent(given, for: model)
        }
        if let cancellation = options.cancellation, cancellation.isCancelled {
            return MIPResult(status: .cancelled, objective: nil, bound: nil, gap: nil, values: [], nodes: nil,
                             incumbentAccepted: incumbent == nil ? nil : false, seconds: clock.seconds)
        }
        let arrays = ProblemArrays(model, purpose: .solve)
        return try GLPKEnvironment.run { () throws(SolverError) -> MIPResult in
            let handle = try arrays.build()
            return try search(handle, model: model, options: options, incumbent: incumbent, clock: clock)
        }
    }

    private static func search(_ handle: ProblemHandle, model: LinearModel, options: MIPOptions,
                               incumbent: [Double]?, clock: Stopwatch) throws(SolverError) -> MIPResult {
        let n = model.variables.count
        func result(_ status: MIPStatus, solution: Bool = false, bound: Double? = nil, nodes: Int? = nil,
                    accepted: Bool? = nil) -> MIPResult {
            var values: [Double] = []
            var objective: Double?
            if solution, let p = handle.pointer {
                values = [Double](repeating: 0, count: n)
                values.withUnsafeMutableBufferPointer { tpglpk_mip_values(p, $0.baseAddress) }
                objective = glp_mip_obj_val(p)
            }
            var proven = bound
            var gap: Double?
            if let obj = objective {
                if status == .optimal { proven = obj }
                if let b = proven {
                    // A bound a hair past the objective is rounding: the objective bounds itself.
                    let past = model.sense == .minimize ? b - obj : obj - b
                    if past > 0 && past <= 1e-6 * max(1, abs(obj)) { proven = obj }
                }
                if let b = proven { gap = abs(obj - b) / max(1e-9, abs(obj)) }
            }
            return MIPResult(status: status, objective: objective, bound: proven, gap: gap, values: values,
                             nodes: nodes, incumbentAccepted: incumbent == nil ? nil : (accepted ?? false),
                             seconds: clock.seconds)
        }

        let presolve = options.presolve && incumbent == nil
        if !presolve {
            // glp_intopt without its presolver needs an optimal basis of the LP relaxation.
            var smcp = glp_smcp()
            glp_init_smcp(&smcp)
            smcp.msg_lev = GLP_MSG_OFF
            smcp.presolve = GLP_OFF
            smcp.tm_lim = clock.milliseconds(leftOf: options.timeLimit)
            let rc = try handle.guarded("glp_simplex") { tpglpk_simplex($0, &smcp, 1) }
            switch rc {
            case 0:
                guard let p = handle.pointer else { break }
                switch glp_get_status(p) {
                case GLP_OPT: break
                case GLP_NOFEAS: return result(.infeasible)
                case GLP_UNBND: return result(.unbounded)
                default:
                    if glp_get_prim_stat(p) == GLP_NOFEAS { return result(.infeasible) }
                    throw .glpk(operation: "glp_simplex", code: rc,
                                message: "the LP relaxation ended with status \(glp_get_status(p)) instead of optimal")
                }
            case GLP_ETMLIM: return result(.timeLimit)
            default:
                throw .glpk(operation: "glp_simplex", code: rc, message: "the LP relaxation could not be solved")
            }
        }

        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = presolve ? GLP_ON : GLP_OFF
        iocp.mip_gap = options.relativeGap
        iocp.tm_lim = clock.milliseconds(leftOf: options.timeLimit)
        iocp.gmi_cuts = options.cuts.contains(.gomory) ? GLP_ON : GLP_OFF
        iocp.mir_cuts = options.cuts.contains(.mir) ? GLP_ON : GLP_OFF
        iocp.cov_cuts = options.cuts.contains(.cover) ? GLP_ON : GLP_OFF
        iocp.clq_cuts = options.cuts.contains(.clique) ? GLP_ON : GLP_OFF

        var search = tpglpk_search()
        let poll: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
            guard let context else { return 0 }
            return Unmanaged<Cancellation>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
        }
        if let cancellation = options.cancellation {
            search.should_stop = poll
            search.stop_context = Unmanaged.passUnretained(cancellation).toOpaque()
        }
        let incumbentOneBased = incumbent.map { [0] + $0 } ?? []
        let rc = try withExtendedLifetime(options.cancellation) { () throws(SolverError) -> Int32 in
            try incumbentOneBased.withUnsafeBufferPointer { (x) throws(SolverError) -> Int32 in
                search.incumbent = x.isEmpty ? nil : x.baseAddress
                return try handle.guarded("glp_intopt") { tpglpk_intopt($0, &iocp, &search) }
            }
        }
        guard let p = handle.pointer else {
            throw .glpk(operation: "glp_intopt", code: TPGLPK_FAILED, message: "the problem object is gone")
        }
        let mipStatus = glp_mip_status(p)
        let hasSolution = mipStatus == GLP_OPT || mipStatus == GLP_FEAS
        let bound = search.has_bound != 0 ? search.bound : nil
        let nodes = search.nodes >= 0 ? Int(search.nodes) : nil
        let accepted = search.incumbent_state == 2
        switch rc {
        case 0:
            if mipStatus == GLP_OPT { return result(.optimal, solution: true, nodes: nodes, accepted: accepted) }
            if mipStatus == GLP_NOFEAS { return result(.infeasible, nodes: nodes, accepted: accepted) }
            if mipStatus == GLP_FEAS {
                return result(.feasible, solution: true, bound: bound, nodes: nodes, accepted: accepted)
            }
            throw .glpk(operation: "glp_intopt", code: rc, message: "finished with solution status \(mipStatus) (neither optimal nor infeasible)")
        case GLP_EMIPGAP:
            return result(.feasible, solution: hasSolution, bound: bound, nodes: nodes, accepted: accepted)
        case GLP_ETMLIM:
            return result(.timeLimit, solution: hasSolution, bound: bound, nodes: nodes, accepted: accepted)
        case GLP_ESTOP:
            return result(.cancelled, solution: hasSolution, bound: bound, nodes: nodes, accepted: accepted)
        case GLP_ENOPFS, GLP_ENOFEAS:
            return result(.infeasible, nodes: nodes, accepted: accepted)
        case GLP_ENODFS:
            return result(try relaxationIsFeasible(handle) ? .unbounded : .infeasible, nodes: nodes, accepted: accepted)
        default:
            throw .glpk(operation: "glp_intopt", code: rc, message: "the branch-and-cut search failed")
        }
    }

    /// Whether the problem's rows and bounds admit a point (a simplex run with the objective
    /// set to zero and no presolver, for a definite answer).
    private static func relaxationIsFeasible(_ handle: ProblemHandle) throws(SolverError) -> Bool {
        guard let p = handle.pointer else { return false }
        let n = glp_get_num_cols(p)
        if n > 0 { for j in 1...n { glp_set_obj_coef(p, j, 0) } }
        glp_std_basis(p)
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        let rc = try handle.guarded("glp_simplex (feasibility check)") { tpglpk_simplex($0, &smcp, 0) }
        guard rc == 0, let q = handle.pointer else {
            throw .glpk(operation: "glp_simplex (feasibility check)", code: rc, message: "cannot tell an infeasible model from an unbounded one")
        }
        return glp_get_prim_stat(q) == GLP_FEAS
    }

    /// Checks a caller's incumbent and puts it in the form `glp_ios_heur_sol` accepts: integer
    /// values exactly whole, continuous values inside their bounds.
    static func preparedIncumbent(_ x: [Double], for model: LinearModel) throws(SolverError) -> [Double] {
        let n = model.variables.count
        guard x.count == n else {
            throw .invalidIncumbent(violations: ["the incumbent has \(x.count) values for \(n) variables"])
        }
        var problems: [String] = []
        var y = x
        for (j, v) in model.variables.enumerated() {
            let value = x[j]
            guard value.isFinite else {
                problems.append("variable '\(v.name)' (index \(j)) = \(value) is not a finite number")
                continue
            }
            if v.isInteger {
                let whole = value.rounded()
                if abs(value - whole) > 1e-6 * max(1, abs(whole)) {
                    problems.append("variable '\(v.name)' (index \(j)) = \(value) is integer but not a whole number")
                }
                y[j] = whole
            }
            y[j] = min(max(y[j], v.lower), v.upper)
        }
        if problems.isEmpty { problems = model.violations(of: y, tolerance: 1e-6) }
        if !problems.isEmpty { throw .invalidIncumbent(violations: problems) }
        return y
    }

    // MARK: LP relaxation

    /// Solves the LP relaxation of `model` (integrality ignored) by the simplex method, with
    /// the presolver first and, when the presolver ends without a basis (it found the model
    /// infeasible or unbounded), again without it for a definite status.
    /// - Parameters:
    ///   - model: The model; integrality is ignored.
    ///   - timeLimit: The most wall-clock seconds, or `nil`.
    /// - Returns: Values, reduced costs and row duals of an optimal basic solution when
    ///   ``LPStatus/optimal``.
    /// - Throws: ``SolverError/invalidModel(model:issues:total:)``,
    ///   ``SolverError/invalidOptions(_:)``, or ``SolverError/glpk(operation:code:message:)``.
    public static func solveRelaxation(_ model: LinearModel, timeLimit: Double? = nil) throws(SolverError) -> LPResult {
        let clock = Stopwatch()
        try model.validate()
        try MIPOptions(timeLimit: timeLimit).validate()
        let arrays = ProblemArrays(model, purpose: .relaxation)
        return try GLPKEnvironment.run { () throws(SolverError) -> LPResult in
            let handle = try arrays.build()
            func result(_ status: LPStatus) -> LPResult {
                var values: [Double] = [], reduced: [Double] = [], duals: [Double] = []
                var objective: Double?
                if status == .optimal, let p = handle.pointer {
                    values = [Double](repeating: 0, count: model.variables.count)
                    reduced = values
                    duals = [Double](repeating: 0, count: model.rows.count)
                    values.withUnsafeMutableBufferPointer { v in
                        reduced.withUnsafeMutableBufferPointer { d in
                            duals.withUnsafeMutableBufferPointer { y in
                                tpglpk_lp_solution(p, v.baseAddress, d.baseAddress, y.baseAddress)
                            }
                        }
                    }
                    objective = glp_get_obj_val(p)
                }
                return LPResult(status: status, objective: objective, values: values, reducedCosts: reduced,
                                rowDuals: duals, seconds: clock.seconds)
            }
            func simplex(presolve: Bool) throws(SolverError) -> Int32 {
                var smcp = glp_smcp()
                glp_init_smcp(&smcp)
                smcp.msg_lev = GLP_MSG_OFF
                smcp.presolve = presolve ? GLP_ON : GLP_OFF
                smcp.tm_lim = clock.milliseconds(leftOf: timeLimit)
                return try handle.guarded("glp_simplex") { tpglpk_simplex($0, &smcp, 0) }
            }
            var rc = try simplex(presolve: true)
            if rc == GLP_ENOPFS || rc == GLP_ENODFS {
                if let p = handle.pointer { glp_std_basis(p) }
                rc = try simplex(presolve: false)
            }
            switch rc {
            case 0:
                guard let p = handle.pointer else { return result(.undefined) }
                switch glp_get_status(p) {
                case GLP_OPT: return result(.optimal)
                case GLP_NOFEAS: return result(.infeasible)
                case GLP_UNBND: return result(.unbounded)
                default: return result(glp_get_prim_stat(p) == GLP_NOFEAS ? .infeasible : .undefined)
                }
            case GLP_ETMLIM:
                return result(.timeLimit)
            case GLP_EITLIM:
                return result(.undefined)
            default:
                throw .glpk(operation: "glp_simplex", code: rc, message: "the LP relaxation could not be solved")
            }
        }
    }
}

extension GLPK {
    /// Test support: makes GLPK raise an error on the calling thread (`glp_set_col_bnds` with
    /// a column number out of range) under the error guard, which must catch it.
    /// - Returns: The error the guard turned it into, or `nil` if GLPK did not fail (it always
    ///   should). Any GLPK state of the calling thread is freed either way.
    @_spi(Testing)
    public static func provokeGuardedError() -> SolverError? {
        _ = glp_term_out(GLP_OFF)
        defer { _ = glp_free_env() }
        let rc = tpglpk_selftest_error()
        guard rc == TPGLPK_FAILED else { return nil }
        return .glpk(operation: "glp_set_col_bnds (self-test)", code: rc, message: GLPKEnvironment.lastError())
    }
}

extension GLPK {
    /// Solves a minimum-cost flow problem with GLPK's out-of-kilter code (`glp_mincost_okalg`,
    /// exact for whole data; GLPK's faster RELAX-IV code is disabled in Debian's build), or with GLPK's
    /// simplex method on the node-arc LP (``FlowMethod/simplex``; its matrix is a network
    /// matrix, so the optimal basic solution is whole).
    /// - Returns: the optimal flow, or `feasible == false` when no flow meets the supplies.
    /// - Throws: ``SolverError/invalidModel(model:issues:total:)`` for a network with
    ///   ``FlowNetwork/issues(limit:)``, ``SolverError/glpk(operation:code:message:)`` when GLPK
    ///   fails or finds the data too large.
    /// - Complexity: pseudo-polynomial (out-of-kilter); keep bounds and costs small.
    public static func minimumCostFlow(_ network: FlowNetwork, method: FlowMethod = .outOfKilter) throws(SolverError) -> FlowResult {
        let clock = Stopwatch()
        if method == .simplex { return try minimumCostFlowBySimplex(network, clock: clock) }
        let problems = network.issues()
        if !problems.isEmpty {
            throw .invalidModel(model: "flow network", issues: problems.map { ModelIssue(.model, $0) }, total: problems.count)
        }
        func int32(_ values: [Int]) -> [Int32] { values.map { Int32(truncatingIfNeeded: $0) } }
        let tail = int32(network.tail), head = int32(network.head), low = int32(network.lower)
        let cap = int32(network.capacity), cost = int32(network.cost), supply = int32(network.supply)
        var flow = [Int32](repeating: 0, count: network.arcCount)
        var total = 0.0
        let rc = try GLPKEnvironment.run { () throws(SolverError) -> Int32 in
            tpglpk_mincost(Int32(network.nodeCount), Int32(network.arcCount), tail, head, low, cap, cost, supply, &flow, &total)
        }
        switch rc {
        case 0:
            return FlowResult(feasible: true, flow: flow.map(Int.init), cost: Int(total.rounded()), seconds: clock.seconds)
        case GLP_ENOPFS:
            return FlowResult(feasible: false, flow: [], cost: 0, seconds: clock.seconds)
        case TPGLPK_FAILED:
            throw .glpk(operation: "glp_mincost_okalg", code: rc, message: GLPKEnvironment.lastError())
        default:
            throw .glpk(operation: "glp_mincost_okalg", code: rc, message: rc == GLP_ERANGE ? "the data are too large for the out-of-kilter code" : "the network data are not valid")
        }
    }
}

/// How ``GLPK/minimumCostFlow(_:method:)`` solves.
public enum FlowMethod: String, Sendable, Hashable, CaseIterable {
    /// GLPK's out-of-kilter network code (`glp_mincost_okalg`), the default.
    case outOfKilter
    /// GLPK's primal simplex on the node-arc LP: slower on large networks, for cross-checks.
    case simplex
}

extension GLPK {
    /// The node-arc LP of `network` (one row per node: flow out − flow in = supply; one column
    /// per arc) solved by the simplex method; its basic optimum is whole.
    static func minimumCostFlowBySimplex(_ network: FlowNetwork, clock: Stopwatch) throws(SolverError) -> FlowResult {
        var model = LinearModel(name: "min_cost_flow", sense: .minimize, objectiveName: "cost")
        var columns = [[Int]](repeating: [], count: network.nodeCount)
        var coefficients = [[Double]](repeating: [], count: network.nodeCount)
        for k in 0..<network.arcCount {
            let j = model.addVariable("a\(k)", lower: Double(network.lower[k]), upper: Double(network.capacity[k]),
                                      cost: Double(network.cost[k]))
            let t = network.tail[k], h = network.head[k]
            guard t >= 0, t < network.nodeCount, h >= 0, h < network.nodeCount else {
                throw .invalidModel(model: "flow network", issues: [ModelIssue(.model, "arc \(k): node out of range")], total: 1)
            }
            columns[t].append(j); coefficients[t].append(1)
            columns[h].append(j); coefficients[h].append(-1)
        }
        for i in 0..<network.nodeCount {
            let s = Double(network.supply[i])
            model.addRow("n\(i)", columns: columns[i], coefficients: coefficients[i], lower: s, upper: s)
        }
        let result = try solveRelaxation(model)
        switch result.status {
        case .optimal:
            var flow: [Int] = []
            flow.reserveCapacity(result.values.count)
            for (k, v) in result.values.enumerated() {
                let r = v.rounded()
                guard abs(v - r) <= 1e-6 else {
                    throw .glpk(operation: "glp_simplex", code: 0, message: "arc \(k) has flow \(v), not whole")
                }
                flow.append(Int(r))
            }
            let cost = zip(flow, network.cost).reduce(0) { $0 + $1.0 * $1.1 }
            return FlowResult(feasible: true, flow: flow, cost: cost, seconds: clock.seconds)
        case .infeasible:
            return FlowResult(feasible: false, flow: [], cost: 0, seconds: clock.seconds)
        default:
            throw .glpk(operation: "glp_simplex", code: 0, message: "the flow LP ended \(result.status.rawValue)")
        }
    }
}
