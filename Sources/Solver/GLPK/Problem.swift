import CGLPK
import GLPKGuard
import TransitSupport

/// A validated model in the flat, 1-based arrays `tpglpk_build` loads in one call.
struct ProblemArrays {
    /// What the arrays are for.
    enum Purpose {
        /// Solving as given (integrality kept), no names.
        case solve
        /// The LP relaxation: every column continuous, no names.
        case relaxation
        /// Writing a file: names set; free rows left out (GLPK's MPS writer drops the
        /// objective when a free row exists, its LP writer skips them anyway); the constant
        /// term carried by a fixed column (GLPK's LP writer drops it and its MPS writer gives it
        /// the sign HiGHS reads the other way); a trivial empty row when there is no row (GLPK's
        /// writers need one).
        case write
    }

    var rows = 0
    var cols = 0
    var maximize = false
    var constant = 0.0
    var colLower: [Double] = []
    var colUpper: [Double] = []
    var colCost: [Double] = []
    var colInteger: [UInt8] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    var ia: [Int32] = [0]
    var ja: [Int32] = [0]
    var ar: [Double] = [0]
    var names: [UInt8]?

    /// - Complexity: O(variables + rows + nonzeros); no hashing except for `.write`'s extra
    ///   names.
    init(_ model: LinearModel, purpose: Purpose) {
        maximize = model.sense == .maximize
        constant = model.objectiveConstant
        cols = model.variables.count
        colLower.reserveCapacity(cols + 1)
        colUpper.reserveCapacity(cols + 1)
        colCost.reserveCapacity(cols + 1)
        for v in model.variables {
            colLower.append(v.lower)
            colUpper.append(v.upper)
            colCost.append(v.cost)
        }
        if purpose != .relaxation {
            colInteger.reserveCapacity(cols + 1)
            for v in model.variables { colInteger.append(v.isInteger ? 1 : 0) }
        }

        let nonzeros = model.nonzeroCount
        ia.reserveCapacity(nonzeros + 1)
        ja.reserveCapacity(nonzeros + 1)
        ar.reserveCapacity(nonzeros + 1)
        rowLower.reserveCapacity(model.rows.count + 1)
        rowUpper.reserveCapacity(model.rows.count + 1)
        var keptRows: [Int] = []
        for (i, row) in model.rows.enumerated() {
            if purpose == .write && row.lower == -.infinity && row.upper == .infinity { continue }
            rowLower.append(row.lower)
            rowUpper.append(row.upper)
            rows += 1
            let r = Int32(truncatingIfNeeded: rows)
            for (k, j) in row.columns.enumerated() {
                ia.append(r)
                ja.append(Int32(truncatingIfNeeded: j + 1))
                ar.append(row.coefficients[k])
            }
            if purpose == .write { keptRows.append(i) }
        }

        guard purpose == .write else { return }
        var extraColumn: String?
        if constant != 0 {
            extraColumn = Self.unusedName("objective_constant", taken: Set(model.variables.map(\.name)))
            colLower.append(1)
            colUpper.append(1)
            colCost.append(constant)
            colInteger.append(0)
            cols += 1
            constant = 0
        }
        var extraRow: String?
        if rows == 0 {
            var taken = Set(model.rows.map(\.name))
            taken.insert(model.objectiveName)
            extraRow = Self.unusedName("no_constraints", taken: taken)
            rowLower.append(0)
            rowUpper.append(0)
            rows = 1
        }
        var blob: [UInt8] = []
        blob.reserveCapacity(16 * (rows + cols + 2))
        func put(_ name: String) {
            blob.append(contentsOf: name.utf8)
            blob.append(0)
        }
        put(model.name)
        put(model.objectiveName)
        for i in keptRows { put(model.rows[i].name) }
        if let extraRow { put(extraRow) }
        for v in model.variables { put(v.name) }
        if let extraColumn { put(extraColumn) }
        names = blob
    }

    /// `base`, or `base_2`, `base_3`, … whichever is not in `taken`.
    static func unusedName(_ base: String, taken: Set<String>) -> String {
        if !taken.contains(base) { return base }
        var k = 2
        while taken.contains("\(base)_\(k)") { k += 1 }
        return "\(base)_\(k)"
    }

    /// Loads the arrays into a new GLPK problem object (`tpglpk_build`).
    func build() throws(SolverError) -> ProblemHandle {
        var out: OpaquePointer?
        let rc = colLower.withUnsafeBufferPointer { colLower in
            colUpper.withUnsafeBufferPointer { colUpper in
                colCost.withUnsafeBufferPointer { colCost in
                    colInteger.withUnsafeBufferPointer { colInteger in
                        rowLower.withUnsafeBufferPointer { rowLower in
                            rowUpper.withUnsafeBufferPointer { rowUpper in
                                ia.withUnsafeBufferPointer { ia in
                                    ja.withUnsafeBufferPointer { ja in
                                        ar.withUnsafeBufferPointer { ar in
                                            withNames { names in
                                                var model = tpglpk_model(
                                                    rows: Int32(truncatingIfNeeded: rows),
                                                    cols: Int32(truncatingIfNeeded: cols),
                                                    nonzeros: Int32(truncatingIfNeeded: ia.count - 1),
                                                    maximize: maximize ? 1 : 0,
                                                    constant: constant,
                                                    col_lower: colLower.baseAddress,
                                                    col_upper: colUpper.baseAddress,
                                                    col_cost: colCost.baseAddress,
                                                    col_integer: colInteger.isEmpty ? nil : colInteger.baseAddress,
                                                    row_lower: rowLower.baseAddress,
                                                    row_upper: rowUpper.baseAddress,
                                                    ia: ia.baseAddress,
                                                    ja: ja.baseAddress,
                                                    ar: ar.baseAddress,
                                                    names: names)
                                                return tpglpk_build(&model, &out)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard rc == 0, let out else {
            throw .glpk(operation: "loading the model (glp_load_matrix and friends)", code: rc,
                        message: GLPKEnvironment.lastError())
        }
        return ProblemHandle(out)
    }

    private func withNames<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let names else { return body(nil) }
        return names.withUnsafeBytes { body($0.baseAddress?.assumingMemoryBound(to: CChar.self)) }
    }
}

/// Owns one GLPK problem object for the length of one synchronous call on one thread, and
/// deletes it at the end, unless a guarded call failed, in which case GLPK's environment (and
/// the object with it) is already gone.
final class ProblemHandle {
    /// The problem object; `nil` once a guarded call failed (GLPK freed it).
    private(set) var pointer: OpaquePointer?

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        if let pointer { glp_delete_prob(pointer) }
    }

    /// Runs one guarded C call on the problem; maps `TPGLPK_FAILED` to an error (and forgets
    /// the problem, which GLPK has freed).
    func guarded(_ operation: String, _ call: (OpaquePointer) -> Int32) throws(SolverError) -> Int32 {
        guard let pointer else {
            throw .glpk(operation: operation, code: TPGLPK_FAILED, message: "the problem object was freed by an earlier GLPK error")
        }
        let rc = call(pointer)
        if rc == TPGLPK_FAILED {
            self.pointer = nil
            throw .glpk(operation: operation, code: rc, message: GLPKEnvironment.lastError())
        }
        return rc
    }
}

/// The calling thread's GLPK environment, set up and torn down around each public call.
enum GLPKEnvironment {
    /// Runs `body` with GLPK's terminal output off on this thread, then frees the thread's
    /// GLPK environment (every problem object of the call is deleted by then), so no GLPK
    /// state outlives the call on a thread that may end.
    static func run<R>(_ body: () throws(SolverError) -> R) throws(SolverError) -> R {
        _ = glp_term_out(GLP_OFF)
        defer { _ = glp_free_env() }
        return try body()
    }

    /// What GLPK printed during the last failed guarded call on this thread.
    static func lastError() -> String {
        guard let text = tpglpk_last_error() else { return "" }
        return String(cString: text)
    }
}

extension Stopwatch {
    /// GLPK's `tm_lim` for what is left of `limit` seconds on this stopwatch (TransitSupport's
    /// monotonic clock): whole milliseconds, rounded up, at least 1, at most `Int32.max`;
    /// `Int32.max` (GLPK's "no limit") for `nil` or infinity.
    func milliseconds(leftOf limit: Double?) -> Int32 {
        guard let limit, limit.isFinite else { return Int32.max }
        let left = ((limit - seconds) * 1000).rounded(.up)
        if left >= Double(Int32.max) { return Int32.max }
        return Int32(max(1, left))
    }
}
