import Foundation
import TransitSupport
import ArgumentParser
import Carbon
import GTFS
import Reports

/// `transit carbon report --ledger L [--from D --to D] [--feed FEED] [--rejections FILE]… --out FILE.html`:
/// the ledger as a self-contained HTML page.
struct CarbonReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report of the ledger: CO2e and points per day by mode and source, rejections, distances, top routes, versions.",
        discussion: """
            The page is self-contained (inline CSS and SVG, no network) and opens from file://. \
            Every figure is net of reversals, like the balances. --from and --to keep the credits \
            of those service days (inclusive); redemptions and expiries, which have no service day, \
            count by the UTC day they were recorded. The ledger stores no rejected record, so \
            rejections come from the files `transit carbon credit --rejections FILE` wrote \
            (--rejections is repeatable); nor does it store routes, so --feed FEED (the feed the \
            trips were priced against) groups the trips by route. A missing SQLite ledger is an \
            error (a report never creates one). The file is written to a temporary file beside \
            it and renamed into place.
            """
    )

    @OptionGroup var ledgerOption: LedgerOption

    @Option(help: "The first service day, YYYYMMDD (default: the first in the ledger).")
    var from: String?

    @Option(help: "The last service day, YYYYMMDD (default: the last in the ledger).")
    var to: String?

    @Option(help: "The GTFS feed (folder or .zip) the trips were priced against, to group them by route.")
    var feed: String?

    @Option(help: ArgumentHelp("A rejection file of `transit carbon credit --rejections` (repeatable).", valueName: "file"))
    var rejections: [String] = []

    @Option(help: "Where to write the HTML report.")
    var out: String

    /// The day range, checked.
    func range() throws -> (GTFSDate?, GTFSDate?) {
        let a = try parseDateOption(from, name: "from"), b = try parseDateOption(to, name: "to")
        if let a, let b, a > b {
            throw ValidationError("--from \(a.description) is after --to \(b.description)")
        }
        return (a, b)
    }

    func validate() throws {
        _ = try range()
        guard !out.isEmpty else { throw ValidationError("--out FILE.html is required") }
        for file in rejections where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--rejections: cannot read \(file)")
        }
        if let feed, !FileManager.default.fileExists(atPath: feed) {
            throw ValidationError("--feed: no such file or folder \(feed)")
        }
        // Opening a missing SQLite ledger would create an empty one.
        if !PostgresLocation.isURL(ledgerOption.ledger), !FileManager.default.fileExists(atPath: ledgerOption.ledger) {
            throw ValidationError("--ledger: no ledger at \(ledgerOption.ledger)")
        }
    }

    func run() throws {
        let (first, last) = try range()
        let tally: RejectionTally?
        do {
            tally = rejections.isEmpty ? nil : try RejectionTally.read(paths: rejections)
        } catch {
            writeToStandardError("error: --rejections: \(error)\n")
            throw ExitCode.failure
        }
        let loaded = try feed.map { try loadFeed($0, validate: false) }
        let book = try ledgerOption.open()
        let digest = try carbonRun { () throws(CarbonError) in try LedgerDigest.read(book, from: first, to: last) }
        var command = "transit carbon report --ledger \(book.location)"
        if let from { command += " --from \(from)" }
        if let to { command += " --to \(to)" }
        if let feed { command += " --feed \(feed)" }
        for r in rejections { command += " --rejections \(r)" }
        command += " --out \(out)"
        let html = CarbonReport.html(CarbonReportInput(digest: digest, rejections: tally, feed: loaded?.feed, ledgerName: book.location,
                                                       feedName: feed, madeBy: command))
        try ReportFile.write(html, to: out, facts: "\(digest.net.legs) legs, \(digest.riders) riders")
    }
}
