import TransitSupport
import ArgumentParser
import Foundation
import GTFS
import Reports
import Timetable

/// `transit timetable FEED --plan plan.json --out DIR|ZIP`: departures, vehicle blocks and a
/// GTFS feed for the planned day.
struct TimetableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timetable",
        abstract: "Turn a headway plan into a timetable: departures, vehicle blocks and a GTFS feed for the planned day.",
        discussion: """
            The plan is the JSON of `transit plan FEED --format json` (its date, periods and \
            plan rows). Per route and direction, departures run at the planned headway on whole \
            minutes from the first to the last departure the feed has that day; at a period \
            boundary the next departure follows Ceder's average-headway rule (the frequency \
            1/headway is integrated across the boundary, so a change from h1 to h2 gives a \
            transition headway between them, (h1+h2)/2 when the boundary falls mid-way). With \
            --even-load the departures inside each period are placed where the cumulative load \
            at the max load point reaches (k - 1/2) x its share (Ceder's even-load rule; needs \
            board_alight.txt), keeping their number. Run times come from the current trips of \
            the route direction's main pattern: a departure at t between two of them leaving at \
            s1 <= t <= s2 gets their stop times, each counted from its own start, interpolated \
            with weight (t - s1)/(s2 - s1) and rounded to whole seconds (never decreasing along \
            the trip); before the first and after the last (or when the two do not time the \
            same stops) it copies the one nearest in time.

            Trips become vehicle blocks by minimum-cost flow (single-depot vehicle \
            scheduling): the fewest vehicles first, then the least deadhead (and depot drive) \
            time. A vehicle waits at least max(--layover, --layover-share x run time) after a \
            trip; it may run empty to another terminal when the deadhead fits before the next \
            departure (times from --deadhead-matrix, else the straight line x --deadhead-detour \
            at --deadhead-speed, up to --max-deadhead, the 5 nearest terminals each), and with \
            --interline (the default for plans with more than one route) change route. The \
            blocks' vehicles are printed beside the deficit-function fleet without deadheads \
            and the lower bound (trips in progress at once, with their layovers). Per period: \
            the blocks in service at the busiest instant (a block counts from its first \
            departure to its last arrival), the plan's ceil(cycle/headway), the fleet limit, \
            deadhead hours and km, and the interlined blocks. Both directions keep today's \
            first and last departures; --phase-directions moves direction 1 by up to half a \
            headway to need fewer vehicles.

            The feed written to --out (a folder, or a .zip) has the source's agencies, stops, \
            routes and shapes, the new trips with block_id and stop_times, a calendar for the \
            planned date and feed_info saying it was generated; it is written atomically. With \
            --frequencies, the trips one vehicle makes on one route direction at an even \
            interval with the same stop times are written as one trip plus a frequencies.txt \
            row (exact_times=1, ending one second after the last departure) carrying that \
            vehicle's block_id, so every trip still has a true block_id; a window never mixes \
            vehicles, so its headway_secs is the vehicle's cycle, not the route's headway.

            With --report FILE.html it also writes a self-contained HTML page (written \
            atomically, even when the timetable does not fit the fleet): stringline diagrams \
            (distance along the route against time, today beside the plan) for the routes of \
            --routes or the 8 busiest by planned trips, a Gantt chart of the vehicle blocks \
            (trips, layovers, deadheads; today's trips blocked by the same rules beside them), \
            and the vehicles in service over the day against the fleet limit.

            Output: the per-route timetable (table: departures per period as HH:MM; csv: one \
            row per trip). Progress goes to standard error. Exit status: 0 done, 1 when the \
            timetable does not fit the plan's fleet (more blocks in service at once than a \
            period's limit, or more blocks than the largest limit; nothing is written), 2 when \
            an input cannot be read or the output cannot be written.
            """
    )

    @OptionGroup var input: FeedArgument

    @Option(help: "The plan: JSON written by `transit plan FEED --format json`.")
    var plan: String

    @Option(help: "Where to write the GTFS feed: a folder, or a path ending in .zip.")
    var out: String

    @Flag(help: "Place departures inside each period by Ceder's even-load rule (needs ridership counts).")
    var evenLoad = false

    @Option(help: "A GTFS-ride board_alight.txt for --even-load instead of the feed's own.")
    var ridership: String?

    @Flag(help: "Write each vehicle's runs at an even interval (same route direction and stop times) as one trip plus a frequencies.txt row (exact_times=1, with the vehicle's block_id) instead of one trip each.")
    var frequencies = false

    @Flag(help: "Move each route's direction 1 (first and last departures too) by whole minutes within half a headway, to need the fewest vehicles.")
    var phaseDirections = false

    @Option(help: "Minimum layover at a terminal, minutes.")
    var layover: Double = 5

    @Option(help: "Layover as a share of the arriving trip's run time (the larger applies).")
    var layoverShare: Double = 0.10

    @Option(help: "Stops within this many metres (or one parent station) are one terminal.")
    var terminalRadius: Double = 300

    @OptionGroup(title: "Vehicle blocks") var blocks: BlockOptions

    @Option(help: "Output format: table or csv.")
    var format: TimetableFormat = .table

    @Option(help: ArgumentHelp("Also write an HTML report here: stringlines, vehicle blocks and vehicles in service.", valueName: "file.html"))
    var report: String?

    @Option(help: ArgumentHelp("The report's routes: route_id or route_short_name values, comma-separated (default: the 8 busiest by planned trips).", valueName: "r1,r2"))
    var routes: String?

    /// The route names of --routes, trimmed, without empty pieces.
    var routeNames: [String] {
        (routes ?? "").split(separator: ",").map { piece in
            String(piece.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }.filter { !$0.isEmpty }
    }

    enum TimetableFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv
    }

    func validate() throws {
        guard layover.isFinite, layover >= 0, layover <= 600 else { throw ValidationError("--layover must be 0 to 600 minutes") }
        guard layoverShare.isFinite, layoverShare >= 0, layoverShare <= 2 else { throw ValidationError("--layover-share must be 0 to 2") }
        guard terminalRadius.isFinite, terminalRadius >= 0 else { throw ValidationError("--terminal-radius must be >= 0 metres") }
        if routes != nil {
            guard report != nil else { throw ValidationError("--routes picks the routes of the report: give --report FILE.html too") }
            guard !routeNames.isEmpty else { throw ValidationError("--routes needs at least one route_id or route_short_name") }
        }
        if let report, report.isEmpty { throw ValidationError("--report needs a file path") }
    }

    func run() throws {
        let headways: HeadwayPlan
        do { headways = try HeadwayPlan.load(plan) } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
        progress("loading \(input.feed)")
        let loaded = try input.load()
        var reportRequest: TimetableReportRequest?
        if let report {
            // Unknown routes stop the run before the timetable is built.
            do { _ = try TimetableHTML.resolveRoutes(routeNames, feed: loaded.feed) } catch {
                writeToStandardError("error: \(error)\n")
                throw ExitCode(2)
            }
            // A report that cannot be written fails now, not after the timetable is built.
            let folder = URL(fileURLWithPath: report).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                writeToStandardError("error: --report \(report): the folder \(folder) does not exist\n")
                throw ExitCode(2)
            }
            reportRequest = TimetableReportRequest(path: report, routes: routeNames, source: "\(input.feed) · plan \(plan)")
        }
        let options: TimetableOptions
        do {
            options = try blocks.apply(to: TimetableOptions(evenLoad: evenLoad, minimumLayover: Int32((layover * 60).rounded()),
                                                            layoverShare: layoverShare, terminalRadius: terminalRadius,
                                                            phaseDirections: phaseDirections),
                                       routes: Set(headways.rows.map(\.routeID)).count)
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
        let request = TimetableRequest(loaded: loaded, plan: headways, options: options, ridershipPath: ridership,
                                       out: out, frequencies: frequencies)
        try Self.run(request, format: format, report: reportRequest)
    }

    /// Runs a timetable request (for this command and `transit plan --out`), printing its
    /// progress to standard error and the timetable to standard output, and writing the HTML
    /// report when one is asked for (also when the timetable does not fit the fleet).
    /// - Throws: `ExitCode(2)` when an input cannot be used, the feed or the report cannot be
    ///   written or the block check fails; `ExitCode(1)` when the blocks need more vehicles than
    ///   the fleet limit.
    static func run(_ request: TimetableRequest, format: TimetableFormat, report reportRequest: TimetableReportRequest? = nil) throws {
        let report: TimetableReport
        do { report = try Timetable.make(request, progress: printEvent) } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
        let timetable = report.timetable
        switch format {
        case .table:
            print(TimetableOutput.text(timetable, fleet: report.periodFleet), terminator: "")
        case .csv:
            print(TimetableOutput.csv(timetable), terminator: "")
            writeToStandardError(TimetableOutput.fleetText(timetable, fleet: report.periodFleet))
        }
        if let reportRequest { try TimetableOutput.writeReport(reportRequest, timetable: timetable, request: request) }
        if !report.blockProblems.isEmpty { throw ExitCode(2) }
        if let shortfall = report.shortfall {
            let written = reportRequest.map { "the feed was not written (the report was, to \($0.path))" } ?? "nothing was written"
            writeToStandardError("error: the timetable does not fit the fleet: \(shortfall); \(written). Plan with `transit plan FEED --fleet … --out OUT`, which tightens the plan until its blocks fit\n")
            throw ExitCode(1)
        }
    }

    @Sendable static func printEvent(_ event: TimetableEvent) {
        switch event {
        case .progress(let text): writeToStandardError("timetable: \(text)\n")
        case .note(let note): writeToStandardError("note: \(note)\n")
        case .blockProblems(let problems):
            for p in problems.prefix(20) { writeToStandardError("error: block check: \(p)\n") }
        }
    }

    func progress(_ text: String) {
        Self.printEvent(.progress(text))
    }
}
