import ArgumentParser
import TransitSupport
import Carbon

/// `transit carbon keys …`: the API keys of the carbon service, kept in the ledger.
struct CarbonKeys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the carbon service's API keys (stored in the ledger as hashes).",
        discussion: """
            Roles: operator (bound to --source and optionally --modes: submits and reverses its \
            own trips, records consent, reads balances), merchant (redeems points), auditor \
            (reads balances, statements, consent and the ledger export), admin (everything). \
            A key is 256 random bits shown once at creation; the ledger keeps only its SHA-256.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    /// `keys create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once.")

        @OptionGroup var ledgerOption: LedgerOption

        @Option(help: "operator, merchant, auditor or admin.")
        var role: String

        @Option(help: "The source an operator key writes as (its trips' `source`).")
        var source: String?

        @Option(help: "The modes an operator key may submit, comma-separated (default: every mode).")
        var modes: String?

        @Option(help: "A label for people (who holds the key).")
        var name: String?

        @OptionGroup var output: TableOrJSONFormatOption

        func run() throws {
            guard let role = KeyRole(rawValue: role) else {
                throw ValidationError("--role must be one of \(KeyRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var modeList: [Mode]?
            if let modes {
                modeList = try modes.split(separator: ",").map { name in
                    guard let m = Mode(rawValue: String(name)) else {
                        throw ValidationError("--modes: '\(name)' is not one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return m
                }
            }
            let ledger = try ledgerOption.open()
            let key = try carbonRun { () throws(CarbonError) in try ledger.createKey(role: role, source: source, modes: modeList, name: name) }
            switch output.format {
            case .json:
                print(try JSON.encoding(NewAPIKeyDocument(key)).render())
            default:
                print(key.secret)
                writeToStandardError("created \(role.rawValue) key \(key.record.id)\(key.record.source.map { " for source \($0)" } ?? ""); the key above is shown only now\n")
            }
        }
    }

    /// `keys list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (ids, roles, sources; never the keys).")

        @OptionGroup var ledgerOption: LedgerOption

        @OptionGroup var output: FormatOption

        func run() throws {
            let ledger = try ledgerOption.open()
            let keys = try carbonRun { () throws(CarbonError) in try ledger.keys() }
            let docs = keys.map(APIKeyDocument.init)
            switch output.format {
            case .json:
                print(try JSON.encoding(docs).render())
            case .csv, .table:
                var t = TextTable(["key_id", "role", "source", "modes", "name", "created_at", "revoked_at"])
                for d in docs {
                    t.add([d.keyID, d.role, d.source ?? "", d.modes?.joined(separator: ",") ?? "", d.name ?? "", d.createdAt, d.revokedAt ?? ""])
                }
                print(output.format == .csv ? t.csv() : t.render(), terminator: "")
            }
        }
    }

    /// `keys revoke KEY_ID`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; it stops working at once.")

        @Argument(help: "The key id (k_…), as `keys list` shows it.")
        var keyID: String

        @OptionGroup var ledgerOption: LedgerOption

        @OptionGroup var output: TableOrJSONFormatOption

        func run() throws {
            let ledger = try ledgerOption.open()
            let key = try carbonRun { () throws(CarbonError) in try ledger.revokeKey(id: keyID) }
            switch output.format {
            case .json: print(try JSON.encoding(APIKeyDocument(key)).render())
            default: print("revoked \(key.id) at \(key.revokedAt ?? "")")
            }
        }
    }
}
