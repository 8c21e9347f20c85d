/// Why a model could not be solved, written or read.
///
/// An infeasible or unbounded model is not an error: it is a result (``MIPStatus``,
/// ``LPStatus``). Errors are models GLPK must not be given, options out of range, failures
/// inside GLPK, and files that cannot be written or read.
public enum SolverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model failed ``LinearModel/validate()``: `issues` holds the first defects found (up
    /// to ``LinearModel/defaultIssueLimit``), `total` counts them all. Nothing was handed to
    /// GLPK.
    case invalidModel(model: String, issues: [ModelIssue], total: Int)
    /// An option is out of range (the message says which, its value and what is allowed).
    case invalidOptions(String)
    /// ``MIPOptions/incumbent`` is not a feasible solution of the model: one sentence per
    /// defect (see ``LinearModel/violations(of:tolerance:)``).
    case invalidIncumbent(violations: [String])
    /// GLPK failed: `operation` is the GLPK routine (`glp_simplex`, `glp_intopt`, …), `code` its
    /// return code (`GLP_EFAIL` = 5 and so on), or -1 when GLPK raised an error that the
    /// guard caught; `message` says what GLPK reported.
    case glpk(operation: String, code: Int32, message: String)
    /// A file could not be written or read.
    case io(path: String, reason: String)

    /// A sentence for a person: what went wrong, where, and what to do.
    public var description: String {
        switch self {
        case .invalidModel(let model, let issues, let total):
            var text = "model '\(model)' is not valid (\(total) issue\(total == 1 ? "" : "s")):"
            for issue in issues { text += "\n  " + issue.description }
            if total > issues.count { text += "\n  … and \(total - issues.count) more" }
            return text
        case .invalidOptions(let message):
            return "invalid solver options: \(message)"
        case .invalidIncumbent(let violations):
            let shown = violations.prefix(20)
            var text = "the incumbent is not a feasible solution of the model; fix it or leave it out:"
            for v in shown { text += "\n  " + v }
            if violations.count > shown.count { text += "\n  … and \(violations.count - shown.count) more" }
            return text
        case .glpk(let operation, let code, let message):
            let detail = message.isEmpty ? "" : ": \(message)"
            if code == -1 {
                return "\(operation): GLPK raised an error\(detail) (caught; this is a bug in the model checks, please report it with the model)"
            }
            return "\(operation) failed with code \(code) (\(GLPKCode.name(code)))\(detail)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

extension SolverError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// The model failed validation; nothing was handed to GLPK.
        public static let invalidModel = Code(rawValue: "invalid_model")
        /// An option is out of range.
        public static let invalidOptions = Code(rawValue: "invalid_options")
        /// The incumbent is not a feasible solution of the model.
        public static let invalidIncumbent = Code(rawValue: "invalid_incumbent")
        /// GLPK failed.
        public static let glpk = Code(rawValue: "glpk")
        /// A file could not be written or read.
        public static let io = Code(rawValue: "io")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .invalidModel: .invalidModel
        case .invalidOptions: .invalidOptions
        case .invalidIncumbent: .invalidIncumbent
        case .glpk: .glpk
        case .io: .io
        }
    }
}

/// GLPK's return codes by name, for messages.
enum GLPKCode {
    static func name(_ code: Int32) -> String {
        switch code {
        case 0x01: "GLP_EBADB, invalid basis"
        case 0x02: "GLP_ESING, singular matrix"
        case 0x03: "GLP_ECOND, ill-conditioned matrix"
        case 0x04: "GLP_EBOUND, invalid bounds"
        case 0x05: "GLP_EFAIL, solver failed"
        case 0x06: "GLP_EOBJLL, objective lower limit reached"
        case 0x07: "GLP_EOBJUL, objective upper limit reached"
        case 0x08: "GLP_EITLIM, iteration limit exceeded"
        case 0x09: "GLP_ETMLIM, time limit exceeded"
        case 0x0A: "GLP_ENOPFS, no primal feasible solution"
        case 0x0B: "GLP_ENODFS, no dual feasible solution"
        case 0x0C: "GLP_EROOT, root LP optimum not provided"
        case 0x0D: "GLP_ESTOP, search terminated by application"
        case 0x0E: "GLP_EMIPGAP, relative MIP gap tolerance reached"
        case 0x0F: "GLP_ENOFEAS, no primal/dual feasible solution"
        case 0x10: "GLP_ENOCVG, no convergence"
        case 0x11: "GLP_EINSTAB, numerical instability"
        case 0x12: "GLP_EDATA, invalid data"
        case 0x13: "GLP_ERANGE, result out of range"
        default: "unknown code"
        }
    }
}
