import ArgumentParser
import Carbon

/// `transit carbon balance RIDER --ledger FILE`.
struct CarbonBalance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance", abstract: "A rider's balance: the sums of their ledger entries.")

    @Argument(help: "The rider id (give the raw id with --pseudonymize to look up its pseudonym).")
    var rider: String

    @OptionGroup var ledgerOption: LedgerOption

    @OptionGroup var pseudonym: PseudonymOptions

    @OptionGroup var output: TableOrJSONFormatOption

    func run() throws {
        let id = try pseudonym.pseudonymizer()?.pseudonym(rider) ?? rider
        let b = try carbonRun { () throws(CarbonError) in try openLedger(ledgerOption.ledger).balance(rider: id) }
        switch output.format {
        case .json:
            print(try JSON.encoding(BalanceDocument(b)).render())
        default:
            var t = TextTable(["rider", "points", "grams CO2e", "entries"], numeric: [1, 2, 3])
            t.add([b.rider, "\(b.points)", "\(b.grams)", "\(b.entries)"])
            print(t.render(), terminator: "")
        }
    }
}

/// The columns of an entry in statements and exports.
enum EntryColumns {
    static let names = ["id", "kind", "source", "event_id", "rider", "mode", "day", "metres", "distance_source", "trip_id",
                        "factor_source", "factor_mg_per_pkm", "grams_priced", "grams_co2e", "points", "reverses", "reason", "methodology_version", "policy_version",
                        "content_hash", "recorded_at"]

    static func cells(_ e: LedgerEntry) -> [String] {
        [String(e.id), e.kind.rawValue, e.source, e.eventID, e.rider, e.mode ?? "", e.day.map { String($0) } ?? "",
         e.metres.map { String($0) } ?? "", e.distanceSource ?? "", e.tripID ?? "", e.factorSource ?? "",
         e.factorMilligramsPerKm.map { String($0) } ?? "", String(e.gramsPriced), String(e.grams),
         String(e.points), e.reverses.map { String($0) } ?? "", e.reason ?? "", e.methodologyVersion ?? "",
         e.policyVersion ?? "", e.contentHash, e.recordedAt]
    }

    /// The JSON tree of `e`.
    static func json(_ e: LedgerEntry) throws -> JSON {
        try JSON.encoding(LedgerEntryDocument(e))
    }
}

/// `transit carbon statement RIDER --ledger FILE`.
struct CarbonStatement: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "A rider's ledger entries in order, with the running balance.")

    @Argument(help: "The rider id (the raw id with --pseudonymize).")
    var rider: String

    @OptionGroup var ledgerOption: LedgerOption

    @OptionGroup var pseudonym: PseudonymOptions

    @OptionGroup var output: FormatOption

    func run() throws {
        let id = try pseudonym.pseudonymizer()?.pseudonym(rider) ?? rider
        let entries = try carbonRun { () throws(CarbonError) in try openLedger(ledgerOption.ledger).statement(rider: id) }
        switch output.format {
        case .json:
            print(try JSON.encoding(entries.map(LedgerEntryDocument.init)).render())
        case .csv:
            var t = TextTable(EntryColumns.names)
            for e in entries { t.add(EntryColumns.cells(e)) }
            print(t.csv(), terminator: "")
        case .table:
            var t = TextTable(["id", "kind", "day", "mode", "event", "km", "grams", "points", "balance", "note"], numeric: [0, 5, 6, 7, 8])
            var balance = 0
            for e in entries {
                balance += e.points
                // A boarding-only credit has no distance: per boarding, not 0 km.
                let perBoarding = e.distanceSource == DistanceSource.perBoarding.rawValue
                let km = perBoarding ? "-" : e.metres.map { String(Double($0 / 10) / 100) } ?? ""
                let note = e.reverses.map { "reverses \($0)" + (e.reason.map { ": " + $0 } ?? "") } ?? e.reason ?? (perBoarding ? "per boarding" : "")
                t.add([String(e.id), e.kind.rawValue, e.day.map { String($0) } ?? "", e.mode ?? "", e.eventID, km,
                       String(e.grams), String(e.points), String(balance), note])
            }
            print(t.render(), terminator: "")
        }
    }
}

/// `transit carbon reverse EVENT_ID --reason … --ledger FILE`.
struct CarbonReverse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse", abstract: "Reverse a credit: append an entry that cancels it (entries are never changed).")

    @Argument(help: "The event id of the credit.")
    var eventID: String

    @Option(help: "Why (recorded on the reversal).")
    var reason: String

    @Option(help: "The source of the credit, when several sources used the event id.")
    var source: String?

    @OptionGroup var ledgerOption: LedgerOption

    @OptionGroup var output: TableOrJSONFormatOption

    func run() throws {
        let e = try carbonRun { () throws(CarbonError) in try openLedger(ledgerOption.ledger).reverse(eventID: eventID, source: source, reason: reason) }
        switch output.format {
        case .json: print(try EntryColumns.json(e).render())
        default: print("entry \(e.id) reverses entry \(e.reverses.map { String($0) } ?? "?"): \(e.grams) g CO2e, \(e.points) points for \(e.rider)")
        }
    }
}

/// `transit carbon export --ledger FILE --format csv|json`.
struct CarbonExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Every ledger entry in commit order, as CSV or JSON, to standard output.")

    @OptionGroup var ledgerOption: LedgerOption

    @Option(help: "Output format: csv or json.")
    var format: OutputFormat = .csv

    func validate() throws {
        guard format != .table else { throw ValidationError("--format must be csv or json") }
    }

    func run() throws {
        let book = try ledgerOption.open()
        var first = true
        if format == .csv { print(EntryColumns.names.joined(separator: ",")) } else { print("[") }
        try carbonRun { () throws(CarbonError) in
            try book.forEachEntry { e in
                if format == .csv {
                    print(EntryColumns.cells(e).map(csvField).joined(separator: ","))
                } else {
                    print((first ? "  " : ", ") + (try EntryColumns.json(e)).render(indent: nil))
                    first = false
                }
            }
        }
        if format == .json { print("]") }
    }
}
