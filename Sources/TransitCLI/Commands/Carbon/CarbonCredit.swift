import TransitSupport
import ArgumentParser
import Carbon
import GTFS
import TransitNetwork
import Foundation

/// `transit carbon credit LOG --ledger FILE`: price a trip log and credit it, exactly once.
struct CarbonCredit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Price a trip log and credit it into the ledger, exactly once.",
        discussion: """
            LOG is a GTFS-ride rider_trip.txt, a CSV, or JSON Lines (.jsonl). CSV and JSON \
            Lines fields: event_id, source, rider_id, mode, start_time, end_time (ISO 8601 \
            with an offset), and either trip_id, board_stop_id, board_stop_sequence, \
            alight_stop_id, alight_stop_sequence, service_date (needs --feed), or distance_m, \
            or o_lat, o_lon, d_lat, d_lon.

            The rider_trip.txt that `transit ridership infer` writes is read as is: its \
            tap_id gives each row's event id (tap:ID), so each tap is credited once; its \
            other extra columns are ignored. A row with no alighting (empty \
            alighting_stop_id and alighting_time) is priced by the policy's boarding_only \
            rule, never by a guessed distance: rejected as no_alighting (the default), or \
            {"rule": "per_boarding", "grams": {"bus": N, ...}} grams per boarding by mode. \
            A row with an empty trip_id (a tap matched to no trip) is rejected.

            Factors: the shipped set unless --factors FILE; --route-factors FILE gives \
            per-route factors; --occupancy-from-ridership divides factors given per vehicle-km \
            by each route's occupancy measured from the feed's GTFS-ride counts (see \
            `transit carbon factors --feed FEED --occupancy-from-ridership`). The methodology \
            version recorded on each credit says which of these were in force.

            Every rejected record is counted by reason; --rejections FILE writes each one \
            (line, event id, reason, detail) as CSV. Progress goes to standard error after \
            each committed batch.
            """
    )

    @Argument(help: "The trip log.")
    var log: String

    @Option(help: "The GTFS feed (folder or .zip) transit legs are checked and measured against.")
    var feed: String?

    @OptionGroup var ledgerOption: LedgerOption

    @OptionGroup var policyOption: PolicyOption

    @OptionGroup var factorOptions: FactorOptions

    @Option(help: "The log format: csv, jsonl or gtfs-ride (default: from the name and header).")
    var logFormat: String?

    @Option(help: "Write every rejected record to this CSV file (line,event_id,reason,detail).")
    var rejections: String?

    @Option(help: "Records per ledger transaction.")
    var batchSize: Int = 20_000

    @OptionGroup var pseudonym: PseudonymOptions

    @OptionGroup var output: TableOrJSONFormatOption

    func validate() throws {
        try factorOptions.check(feed: feed)
        guard batchSize >= 1, batchSize <= 1_000_000 else { throw ValidationError("--batch-size must be from 1 to 1000000") }
        guard output.format != .csv else { throw ValidationError("--format must be table or json") }
        if let logFormat, TripLogFormat(rawValue: logFormat) == nil {
            throw ValidationError("--log-format must be csv, jsonl or gtfs-ride")
        }
    }

    func run() throws {
        let pseudonymizer = try pseudonym.pseudonymizer()
        let pricer = try factorOptions.pricer(feed: feed, policy: try policyOption.load())
        let book = try ledgerOption.open()
        let report = try rejections.map { try AtomicTextFile(path: $0) }
        report?.write("line,event_id,reason,detail\n")
        var kept: [Rejection] = []
        let logSize = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
        let summary = try carbonRun { () throws(CarbonError) in
            try CreditRun.run(
                logPath: log, format: logFormat.flatMap(TripLogFormat.init(rawValue:)), pricer: pricer, ledger: book,
                pseudonymizer: pseudonymizer, batchSize: batchSize,
                onRejection: { r in
                    if kept.count < 1000 { kept.append(r) }
                    report?.write("\(r.line),\(csvField(r.eventID ?? "")),\(r.reason.rawValue),\(csvField(r.detail))\n")
                },
                onBatch: { s, bytes in
                    let pct = logSize > 0 ? " (\(min(100, bytes * 100 / logSize))%)" : ""
                    writeToStandardError("committed: \(s.records) records read\(pct), \(s.accepted) credited, \(s.duplicates) duplicates, \(s.rejected) rejected\n")
                })
        }
        try report?.commit()
        print(try render(summary, kept, pricer: pricer))
    }

    func render(_ s: CreditSummary, _ rejected: [Rejection], pricer: Pricer) throws -> String {
        let d = CreditDocument(summary: s, rejections: rejected, pricer: pricer)
        switch output.format {
        case .json:
            return try JSON.encoding(d).render()
        default:
            var t = TextTable(["", "count"], numeric: [1])
            t.add(["records read", "\(d.records)"])
            t.add(["credited", "\(d.accepted)"])
            t.add(["  of which capped", "\(d.capped)"])
            let sources = d.creditedByFactorSource.entries
            if sources.count > 1 || sources.first.map({ $0.key != FactorSource.mode.rawValue }) == true {
                for source in sources { t.add(["  factor: " + source.key, "\(source.value)"]) }
            }
            t.add(["duplicates", "\(d.duplicates)"])
            t.add(["conflicts", "\(d.conflicts)"])
            t.add(["rejected", "\(d.rejected)"])
            for reason in d.rejectedByReason.entries { t.add(["  " + reason.key, "\(reason.value)"]) }
            t.add(["grams CO2e credited", "\(d.gramsCO2e)"])
            t.add(["points credited", "\(d.points)"])
            var out = t.render()
            out += "methodology \(d.methodologyVersion), policy \(d.policyVersion)\n"
            if !d.rejections.isEmpty {
                out += "\nfirst rejections:\n"
                for r in d.rejections.prefix(20) { out += "  line \(r.line): \(r.reason): \(r.detail)\n" }
            }
            return out
        }
    }
}
