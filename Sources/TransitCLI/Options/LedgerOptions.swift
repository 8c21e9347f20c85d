import ArgumentParser
import Carbon

/// `--ledger`: the carbon ledger a command reads or appends to.
struct LedgerOption: ParsableArguments {
    @Option(help: "The ledger file (SQLite; created when missing).")
    var ledger: String

    /// The ledger, opened (and created when missing), or a message and exit 1.
    func open() throws -> Ledger {
        try carbonRun { () throws(CarbonError) in try Ledger(path: ledger) }
    }
}

/// `--policy`: the carbon policy in force.
struct PolicyOption: ParsableArguments {
    @Option(help: "A policy JSON file (default: the shipped policy, see `transit carbon factors`).")
    var policy: String?

    /// The policy: `--policy`, else the shipped one; a message and exit 1 when it cannot be read.
    func load() throws -> Policy {
        try carbonRun { () throws(CarbonError) in
            if let policy { return try Policy.load(path: policy) }
            return try Policy.standard
        }
    }
}
