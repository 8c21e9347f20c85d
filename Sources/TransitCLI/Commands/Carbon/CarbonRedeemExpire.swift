import TransitSupport
import ArgumentParser
import Carbon
import GTFS

/// `transit carbon redeem RIDER POINTS --reference REF --ledger FILE`.
struct CarbonRedeem: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeem",
        abstract: "Spend a rider's points, once per reference.",
        discussion: """
            The reference (a voucher or order id) makes the redemption idempotent: running the \
            same command again reports that it was already redeemed and exits 0. The same \
            reference with another rider or number of points is a conflict (exit 1, nothing \
            spent), as is asking for more points than the rider has.
            """
    )

    @Argument(help: "The rider id (the raw id with --pseudonymize).")
    var rider: String

    @Argument(help: "How many points to spend (> 0).")
    var points: Int

    @Option(help: "The idempotency reference: a voucher or order id, unique per redemption.")
    var reference: String

    @OptionGroup var ledgerOption: LedgerOption

    @Option(help: "A note stored on the entry.")
    var reason: String?

    @OptionGroup var pseudonym: PseudonymOptions

    @OptionGroup var output: TableOrJSONFormatOption

    func validate() throws {
        guard points > 0 else { throw ValidationError("POINTS must be > 0 (got \(points))") }
        guard !reference.isEmpty else { throw ValidationError("--reference must not be empty") }
        guard output.format != .csv else { throw ValidationError("--format must be table or json") }
    }

    func run() throws {
        let id = try pseudonym.pseudonymizer()?.pseudonym(rider) ?? rider
        let outcome = try carbonRun { () throws(CarbonError) in
            try openLedger(ledgerOption.ledger).redeem(rider: id, points: points, reference: reference, reason: reason)
        }
        let done: Bool
        if case .alreadyRedeemed = outcome { done = true } else { done = false }
        let e = outcome.entry
        switch output.format {
        case .json:
            print(try JSON.encoding(RedemptionDocument(outcome)).render())
        default:
            let what = done ? "already redeemed (entry \(e.id), \(e.recordedAt)); nothing changed" : "redeemed (entry \(e.id))"
            print("\(-e.points) points for \(e.rider), reference \(e.eventID): \(what); balance \(outcome.balance) points")
        }
    }
}

/// `transit carbon expire --ledger FILE --as-of YYYY-MM-DD`.
struct CarbonExpire: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire",
        abstract: "Lapse points older than the policy's points_valid_days, first in first out.",
        discussion: """
            Points earned on cap days before AS-OF minus points_valid_days lapse, less what \
            redemptions and earlier expiries already used (they spend the oldest points \
            first). One entry per rider, keyed by rider and AS-OF, all in one transaction: \
            running it again for the same day expires nothing. A policy without \
            points_valid_days expires nothing.
            """
    )

    @OptionGroup var ledgerOption: LedgerOption

    @Option(name: .customLong("as-of"), help: "The day of the run, YYYY-MM-DD (or YYYYMMDD).")
    var asOf: String

    @OptionGroup var policyOption: PolicyOption

    @OptionGroup var output: FormatOption

    func validate() throws {
        _ = try day()
    }

    /// The `--as-of` day.
    func day() throws -> GTFSDate {
        let parts = asOf.split(separator: "-", omittingEmptySubsequences: false)
        let digits = parts.map(\.count) == [4, 2, 2] ? parts.joined() : asOf
        guard let d = GTFSDate(digits) else { throw ValidationError("--as-of '\(asOf)' is not a date (YYYY-MM-DD)") }
        return d
    }

    func run() throws {
        let day = try day()
        let rules = try policyOption.load()
        if rules.pointsValidDays == nil {
            writeToStandardError("note: policy \(rules.version) sets no points_valid_days: points never expire; nothing expired\n")
        }
        let run = try carbonRun { () throws(CarbonError) in try openLedger(ledgerOption.ledger).expire(asOf: day, policy: rules) }
        if !run.alreadyExpired.isEmpty {
            writeToStandardError("note: \(run.alreadyExpired.count) riders already have an expiry as of \(day.iso8601) and points due (credited late); they lapse in the next run with a later --as-of\n")
        }
        switch output.format {
        case .json:
            print(try JSON.encoding(ExpiryDocument(run, policyVersion: rules.version)).render())
        case .csv:
            var t = TextTable(["rider", "points", "balance", "entry"])
            for x in run.expired { t.add([x.rider, String(x.points), String(x.balance), String(x.entryID)]) }
            print(t.csv(), terminator: "")
        case .table:
            var t = TextTable(["rider", "points expired", "balance", "entry"], numeric: [1, 2, 3])
            for x in run.expired { t.add([x.rider, String(x.points), String(x.balance), String(x.entryID)]) }
            print(t.render(), terminator: "")
            let rule = run.lapsedBefore.map { "points earned before \($0.iso8601) (valid \(run.validDays ?? 0) days)" } ?? "points never expire"
            print("as of \(day.iso8601), policy \(rules.version): \(rule); \(run.points) points expired for \(run.expired.count) riders")
        }
    }
}
