import CGLPK
import GLPKGuard
import TransitSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A text format for models that other solvers (HiGHS, CPLEX, Gurobi, SCIP) read.
public enum ModelFormat: String, Sendable, Hashable, CaseIterable {
    /// CPLEX LP format (`.lp`), written by `glp_write_lp`.
    case cplexLP
    /// Free MPS format (`.mps`), written by `glp_write_mps` with `GLP_MPS_FILE`.
    case freeMPS

    /// The format a file name's extension names: `.lp` or `.mps` (any letter case); `nil`
    /// otherwise.
    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".lp") {
            self = .cplexLP
        } else if lower.hasSuffix(".mps") {
            self = .freeMPS
        } else {
            return nil
        }
    }

    var code: Int32 { self == .cplexLP ? 0 : 1 }
}

extension GLPK {
    /// Writes `model` to `path` in CPLEX LP or free MPS format, through GLPK's writers, so
    /// that GLPK and HiGHS reading the file find the same optimum and objective value.
    ///
    /// The file is written under a temporary name in the same folder and renamed over `path`
    /// (`rename(2)`) only when complete: no partial file is ever left at `path`.
    ///
    /// Names are kept (they were validated, so GLPK never replaces them). Where GLPK's writers
    /// would lose meaning, the file differs from the model, without changing any solution:
    /// - a nonzero ``LinearModel/objectiveConstant`` becomes a variable `objective_constant`
    ///   fixed at 1 whose cost is the constant (GLPK's LP writer drops the constant, and MPS
    ///   readers disagree on the sign of an objective right-hand side);
    /// - free rows (no bound on either side) are left out (GLPK's MPS writer omits the
    ///   objective when there is one);
    /// - a model without rows gets an empty row `no_constraints` fixed at 0;
    /// - in MPS, the objective row is named ``LinearModel/objectiveName`` (GLPK writes
    ///   `R0000000`), and a maximisation gets an `OBJSENSE MAX` section (GLPK writes none and
    ///   would be read back as a minimisation). ``read(_:format:)`` understands that section;
    ///   `glp_read_mps` alone does not.
    ///
    /// Ranged rows (both bounds finite and different) become, in LP format, an equality with
    /// an extra bounded variable `~r_<row number>`, as GLPK writes them.
    /// - Parameters:
    ///   - model: The model to write.
    ///   - path: Where to write it; the folder must exist.
    ///   - format: The format, or `nil` to pick it from the extension (`.lp`, `.mps`).
    /// - Throws: ``SolverError/invalidModel(model:issues:total:)`` (including a model without
    ///   variables, or, for MPS, a row named `R0000000`), ``SolverError/io(path:reason:)``
    ///   when the extension names no format or the file cannot be written, or
    ///   ``SolverError/glpk(operation:code:message:)``.
    public static func write(_ model: LinearModel, to path: String, format: ModelFormat? = nil) throws(SolverError) {
        guard let format = format ?? ModelFormat(path: path) else {
            throw .io(path: path, reason: "cannot tell the format from the file name; end it in .lp or .mps, or pass format:")
        }
        var (issues, total) = model.collectIssues(limit: LinearModel.defaultIssueLimit)
        if model.variables.isEmpty {
            issues.append(ModelIssue(.model, "the model has no variables; GLPK's writers need at least one"))
            total += 1
        }
        if format == .freeMPS, let i = model.rows.firstIndex(where: { $0.name == "R0000000" }) {
            issues.append(ModelIssue(.row(index: i, name: "R0000000"),
                                     "GLPK's MPS writer names the objective row R0000000; rename this row"))
            total += 1
        }
        if total > 0 { throw .invalidModel(model: model.name, issues: issues, total: total) }

        let arrays = ProblemArrays(model, purpose: .write)
        let temporary = FileSystem.temporaryPath(beside: path, tag: "tmp")
        let scratch = FileSystem.temporaryPath(beside: path, tag: "glpk")
        defer {
            FileSystem.removeFile(scratch)
            FileSystem.removeFile(temporary)
        }
        try GLPKEnvironment.run { () throws(SolverError) in
            let handle = try arrays.build()
            let rc = try handle.guarded(format == .cplexLP ? "glp_write_lp" : "glp_write_mps") {
                tpglpk_write($0, format.code, temporary, scratch)
            }
            if rc != 0 {
                throw .io(path: path, reason: "cannot write the model: \(GLPKEnvironment.lastError())")
            }
        }
        do {
            try FileSystem.rename(temporary, path)
        } catch {
            throw .io(path: path, reason: "cannot move the written file into place: \(error.systemMessage)")
        }
    }

    /// Reads a model from an LP or free MPS file with GLPK's readers (`glp_read_lp`,
    /// `glp_read_mps`; an MPS `OBJSENSE` section is honoured).
    ///
    /// The model is returned as the file states it: a file from ``write(_:to:format:)`` comes
    /// back with its extra variables (`objective_constant`, `~r_…`) and without free rows.
    /// Unnamed rows and columns are named `r_<number>` and `x_<number>`, an unnamed model after
    /// the file (`plan` for `plan.lp`; LP files carry no problem name). An MPS right-hand side
    /// on the objective row is read as GLPK reads it, as the constant term itself (HiGHS and
    /// CPLEX take its negative); files from ``write(_:to:format:)`` have none. The result is
    /// not validated.
    /// - Throws: ``SolverError/io(path:reason:)`` when the file is missing or malformed (with
    ///   GLPK's message, such as `model.lp:12: syntax error`), or
    ///   ``SolverError/glpk(operation:code:message:)``.
    /// - Complexity: O(size of the file).
    public static func read(_ path: String, format: ModelFormat? = nil) throws(SolverError) -> LinearModel {
        guard let format = format ?? ModelFormat(path: path) else {
            throw .io(path: path, reason: "cannot tell the format from the file name; end it in .lp or .mps, or pass format:")
        }
        let scratch = FileSystem.temporaryPath(beside: temporaryFolder() + "/transit-model.mps", tag: "read")
        defer { FileSystem.removeFile(scratch) }
        return try GLPKEnvironment.run { () throws(SolverError) -> LinearModel in
            var out: OpaquePointer?
            let rc = tpglpk_read(format.code, path, scratch, &out)
            if rc == TPGLPK_FAILED {
                throw .glpk(operation: format == .cplexLP ? "glp_read_lp" : "glp_read_mps", code: rc,
                            message: GLPKEnvironment.lastError())
            }
            guard rc == 0, let out else {
                throw .io(path: path, reason: "cannot read the model: \(GLPKEnvironment.lastError())")
            }
            let handle = ProblemHandle(out)
            return withExtendedLifetime(handle) { extractModel(out, fallbackName: fileStem(path)) }
        }
    }

    /// Copies a GLPK problem object into a ``LinearModel``.
    private static func extractModel(_ p: OpaquePointer, fallbackName: String) -> LinearModel {
        func text(_ c: UnsafePointer<CChar>?, _ fallback: @autoclosure () -> String) -> String {
            guard let c else { return fallback() }
            return String(cString: c)
        }
        func bounds(_ type: Int32, _ lower: Double, _ upper: Double) -> (Double, Double) {
            switch type {
            case GLP_FR: (-.infinity, .infinity)
            case GLP_LO: (lower, .infinity)
            case GLP_UP: (-.infinity, upper)
            default: (lower, upper)
            }
        }
        var model = LinearModel(name: text(glp_get_prob_name(p), fallbackName),
                                sense: glp_get_obj_dir(p) == GLP_MAX ? .maximize : .minimize,
                                objectiveName: text(glp_get_obj_name(p), "obj"),
                                objectiveConstant: glp_get_obj_coef(p, 0))
        let m = Int(glp_get_num_rows(p))
        let n = Int(glp_get_num_cols(p))
        model.variables.reserveCapacity(n)
        for j in 0..<n {
            let c = Int32(j + 1)
            let (lower, upper) = bounds(glp_get_col_type(p, c), glp_get_col_lb(p, c), glp_get_col_ub(p, c))
            model.variables.append(LinearModel.Variable(
                name: text(glp_get_col_name(p, c), "x_\(j + 1)"), lower: lower, upper: upper,
                cost: glp_get_obj_coef(p, c), isInteger: glp_get_col_kind(p, c) != GLP_CV))
        }
        model.rows.reserveCapacity(m)
        var index = [Int32](repeating: 0, count: n + 1)
        var value = [Double](repeating: 0, count: n + 1)
        for i in 0..<m {
            let r = Int32(i + 1)
            let count = Int(glp_get_mat_row(p, r, &index, &value))
            let (lower, upper) = bounds(glp_get_row_type(p, r), glp_get_row_lb(p, r), glp_get_row_ub(p, r))
            model.rows.append(LinearModel.Row(
                name: text(glp_get_row_name(p, r), "r_\(i + 1)"),
                columns: index[1..<(count + 1)].map { Int($0) - 1 },
                coefficients: Array(value[1..<(count + 1)]), lower: lower, upper: upper))
        }
        return model
    }

    /// The file name without folder and extension when it is a valid model name (an LP file
    /// carries no problem name), else `model`.
    private static func fileStem(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return LinearModel.nameProblem(name) == nil ? name : "model"
    }

    private static func temporaryFolder() -> String {
        if let dir = getenv("TMPDIR"), dir.pointee != 0 { return String(cString: dir) }
        return "/tmp"
    }
}
