import ArgumentParser
import Carbon

/// `--ledger`: the carbon ledger a command reads or appends to.
struct LedgerOption: ParsableArguments {
    @Option(help: ArgumentHelp("The ledger: a SQLite file (created when missing) or a PostgreSQL database URL.",
                               discussion: """
                                   postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require|verify-full]. \
                                   Without a password in the URL, PGPASSWORD is used, else a .pgpass-form file named by the \
                                   URL's passfile= parameter or PGPASSFILE.
                                   """, valueName: "file|url"))
    var ledger: String

    /// The ledger, opened (and created or migrated when needed), or a message and exit 1.
    func open() throws -> any Ledger {
        try carbonRun { () throws(CarbonError) in try openLedger(ledger) }
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
