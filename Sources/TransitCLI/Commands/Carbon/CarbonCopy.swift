import ArgumentParser
import Carbon
import TransitSupport

/// `transit carbon copy --from LEDGER --to LEDGER`: a ledger to another backend, entry for entry.
struct CarbonCopy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a ledger entry for entry, e.g. from a SQLite file to PostgreSQL or back; resumable.",
        discussion: """
            Entries keep their ids, keys, amounts and timestamps; API keys keep their hashes and \
            revocations; consent entries are copied too. Each page of entries is one transaction \
            in the destination, so an interrupted copy is finished by running the same command \
            again. A destination written to on its own is refused (copy_mismatch). Stop the \
            services writing to the source first. Progress goes to standard error; the summary \
            to standard output.
            """)

    @Option(help: ArgumentHelp("The ledger to copy from: a SQLite file or a postgres:// URL.", valueName: "file|url"))
    var from: String

    @Option(help: ArgumentHelp("The ledger to copy into (created or migrated when needed).", valueName: "file|url"))
    var to: String

    @Option(help: "Entries per transaction.")
    var pageSize: Int = 5_000

    @OptionGroup var output: TableOrJSONFormatOption

    func validate() throws {
        guard (1...100_000).contains(pageSize) else { throw ValidationError("--page-size must be from 1 to 100000") }
        guard from != to else { throw ValidationError("--from and --to name the same ledger") }
    }

    func run() throws {
        let summary = try carbonRun { () throws(CarbonError) in
            let source = try openLedger(from), destination = try openLedger(to)
            var shown = -1
            return try LedgerCopy.copy(from: source, to: destination, pageSize: pageSize) { done, end in
                let percent = end == 0 ? 100 : Int(done * 100 / end)
                if percent != shown {
                    shown = percent
                    writeToStandardError("\rcopying: entry \(done) of \(end) (\(percent)%)")
                }
            }
        }
        writeToStandardError("\n")
        switch output.format {
        case .json:
            print("""
                {"keys": \(summary.keys), "consents": \(summary.consents), "entries": \(summary.entries), \
                "entries_already_there": \(summary.entriesAlreadyThere), "last_entry_id": \(summary.lastEntryID)}
                """)
        default:
            print("copied \(summary.entries) entries (\(summary.entriesAlreadyThere) were already there; last id \(summary.lastEntryID)), "
                  + "\(summary.consents) consent entries, \(summary.keys) keys")
        }
    }
}
