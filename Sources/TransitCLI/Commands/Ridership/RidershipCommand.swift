import ArgumentParser
import Carbon
import Foundation
import GTFS
import Ridership
import TransitNetwork
import TransitSupport

/// `transit ridership …`: ridership from fare data.
struct RidershipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ridership",
        abstract: "Ridership from fare data: boardings and inferred alightings from tap-in-only card and QR-code taps.",
        subcommands: [RidershipInfer.self, RidershipGenerateTaps.self]
    )
}

/// `transit ridership infer TAPS --feed FEED --date YYYYMMDD --out DIR`.
struct RidershipInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Infer alighting stops from tap-in-only taps by trip chaining; write rider_trip.txt, board_alight.txt and summary.json.",
        discussion: """
            TAPS is CSV with a header, or JSON Lines, with tap_id, card_id, tap_time (ISO 8601 \
            with an offset), route_id, trip_id (optional) and stop_id, or lat and lon when the \
            vehicle's GPS position is all there is.

            Each tap is matched to a trip running on --date: its own trip_id, else the route's \
            trip whose departure at the stop (or at a stop within --position-radius of the \
            position) is nearest the tap, within --match-tolerance. Each card's taps are then \
            chained: the alighting is the stop after the boarding, on the matched trip, closest \
            to the card's next boarding (the day's last tap: its first), within --walking-limit \
            and reached before the next tap. A gap up to --transfer-limit (and a change of \
            route) is a transfer; longer is an activity. Unresolved taps keep a reason code; \
            their alightings are scaled in board_alight.txt from the resolved taps of the same \
            route, direction and period (source 4 and the scaled_alightings column mark them).

            Plan from the result with: transit plan FEED --ridership DIR/board_alight.txt. \
            Credit it with: transit carbon credit DIR/rider_trip.txt --feed FEED.
            """
    )

    @Argument(help: "The taps: a CSV or JSON Lines file.")
    var taps: String

    @Option(help: "The feed: a GTFS folder or .zip.")
    var feed: String

    @Option(help: "The service date of the taps, YYYYMMDD.")
    var date: String

    @Option(help: "The folder to write rider_trip.txt, board_alight.txt and summary.json into (created when missing).")
    var out: String

    @Option(help: "Seconds a tap may be from the scheduled departure to match the trip.")
    var matchTolerance: Int = 600

    @Option(help: "Metres a GPS position may be from a stop of the route.")
    var positionRadius: Double = 150

    @Option(help: "Metres from the alighting stop to the next boarding, at most.")
    var walkingLimit: Double = 400

    @Option(help: "Seconds from alighting to the next boarding that still make a transfer.")
    var transferLimit: Int = 1800

    @Option(help: "Seconds the estimated arrival may be later than the next tap.")
    var timeSlack: Int = 300

    @Flag(help: "Do not chain the day's last tap to its first (the return home).")
    var noChainLastToFirst = false

    @OptionGroup var periodOptions: PeriodsOption

    @OptionGroup var pseudonyms: PseudonymOptions

    @OptionGroup var output: TableOrJSONFormatOption

    func validate() throws {
        guard output.format != .csv else { throw ValidationError("--format must be table or json") }
        guard try parseDateOption(date, name: "date") != nil else { throw ValidationError("--date YYYYMMDD is required") }
        guard (0...86_400).contains(matchTolerance) else { throw ValidationError("--match-tolerance must be from 0 to 86400 seconds") }
        guard (0...86_400).contains(transferLimit) else { throw ValidationError("--transfer-limit must be from 0 to 86400 seconds") }
        guard (0...86_400).contains(timeSlack) else { throw ValidationError("--time-slack must be from 0 to 86400 seconds") }
        guard walkingLimit >= 0, walkingLimit <= 100_000 else { throw ValidationError("--walking-limit must be from 0 to 100000 metres") }
        guard positionRadius >= 0, positionRadius <= 100_000 else { throw ValidationError("--position-radius must be from 0 to 100000 metres") }
        _ = try periodOptions.parsed()
    }

    func run() throws {
        guard let day = try parseDateOption(date, name: "date") else { throw ValidationError("--date YYYYMMDD is required") }
        var options = TapInferenceOptions()
        options.matchTolerance = Int32(matchTolerance)
        options.positionRadius = positionRadius
        options.walkingLimit = walkingLimit
        options.transferLimit = Int32(transferLimit)
        options.timeSlack = Int32(timeSlack)
        options.chainLastToFirst = !noChainLastToFirst
        options.periods = try periodOptions.parsed()
        let pseudonymizer = try pseudonyms.pseudonymizer()
        let loaded = try loadFeed(feed, validate: false)
        if !FileSystem.exists(out) {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                writeToStandardError("error: cannot create --out folder \(out): \(error.localizedDescription)\n")
                throw ExitCode(2)
            }
        }
        let start = Self.serviceDayStart(day, feed: loaded.feed)
        let clock = Stopwatch()
        let result: TapInferenceRun.Output
        do {
            result = try TapInferenceRun.run(taps: taps, feed: loaded.feed, date: day, serviceDayStart: start, options: options,
                                             outputFolder: out, cardID: pseudonymizer.map { p in { p.pseudonym($0) } },
                                             progress: { writeToStandardError("… \($0) taps read\n") })
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
        for r in result.rejections.prefix(20) {
            writeToStandardError("\(taps):\(r.line): \(r.reason.rawValue): \(r.detail)\n")
        }
        let rejected = result.summary.rejected.values.reduce(0, +)
        if rejected > 20 { writeToStandardError("… \(rejected - 20) more rejected lines (see summary.json)\n") }
        writeToStandardError("inferred in \(Int(clock.milliseconds.rounded())) ms; wrote \(result.files.joined(separator: ", "))\n")
        switch output.format {
        case .json: print(result.summary.json())
        default: print(Self.text(result.summary, taps: taps), terminator: "")
        }
    }

    /// Service-day midnight of `day` in the agency's time zone: noon minus 12 hours (GTFS).
    static func serviceDayStart(_ day: GTFSDate, feed: Feed) -> Int64 { FeedContext.serviceDayStart(day, feed: feed) }

    static func text(_ s: TapSummary, taps: String) -> String {
        func share(_ n: Int, _ of: Int) -> String { of > 0 ? String(format: "%.1f%%", Double(n) * 100 / Double(of)) : "-" }
        let taken = s.tapsRead - s.rejected.values.reduce(0, +)
        var out = "Taps: \(taps)\n"
        out += "taps read \(s.tapsRead), usable \(taken), cards \(s.cards)\n"
        out += "matched to trips \(s.matchedTotal) (\(share(s.matchedTotal, taken)))\n"
        out += "alightings inferred \(s.alightingsTotal) (\(share(s.alightingsTotal, s.matchedTotal)) of matched)\n"
        out += "transfers \(s.transfers)\n\n"
        var table = TextTable(["what", "code", "taps"], numeric: [2])
        for (what, values) in [("matched", s.matched), ("alighting", s.alightings), ("link", s.links), ("unresolved", s.unresolved),
                               ("unmatched", s.unmatched), ("rejected", s.rejected), ("scaled by", s.scaledBy)] {
            for key in values.keys.sorted() where (values[key] ?? 0) > 0 { table.add([what, key, String(values[key] ?? 0)]) }
        }
        out += table.render()
        out += "trips counted in board_alight.txt: \(s.tripsCounted)\n"
        return out
    }
}
