import Foundation
import TransitSupport
import ArgumentParser
import GTFS
import TransitNetwork
import Reports

/// `transit network report FEED --date YYYYMMDD --out FILE.html`: the network on one date as a
/// self-contained HTML page (frequency map, span of service, headways by period).
struct NetworkReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report of the network on one date: frequency map, span of service, headways by period.",
        discussion: """
            The page is self-contained (inline CSS and SVG, no network) and opens from file://. \
            Headways, vehicles and periods are those of `transit network summary` with the same \
            options. The map draws every route running on the date from its shapes (through its \
            stops where a trip has none), width by trips per hour of its busiest period and \
            direction, colour by its headway class there (10, 15, 30, 60 minutes). --routes limits the span chart and the \
            tables to the routes named (route_id or route_short_name); without it the span chart \
            shows the busiest 120 routes when there are more. The file is written to a temporary \
            file beside it and renamed into place.
            """
    )

    @OptionGroup var input: FeedArgument

    @Option(help: "The service date, YYYYMMDD.")
    var date: String

    @Option(help: "Where to write the HTML report.")
    var out: String

    @OptionGroup var periodOptions: PeriodsOption

    @Option(help: "Comma-separated route_id or route_short_name values for the span chart and tables (default: every route).")
    var routes: String?

    @Option(help: "Terminal layover per direction as a share of the run time.")
    var layoverShare: Double = 0.10

    @Option(help: "Smallest terminal layover per direction, in minutes.")
    var minLayoverMinutes: Double = 5

    @Flag(inversion: .prefixedNo, help: "Infer the direction of trips whose direction_id is empty (else they count as direction 0).")
    var inferDirections: Bool = true

    /// The date and periods, checked.
    func parsedOptions() throws -> (GTFSDate, [Period]) {
        guard let day = try parseDateOption(date, name: "date") else {
            throw ValidationError("--date YYYYMMDD is required")
        }
        return (day, try periodOptions.parsed())
    }

    /// The route names of `--routes`, trimmed, without empties.
    var routeNames: [String] {
        (routes ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        _ = try parsedOptions()
        guard !out.isEmpty else { throw ValidationError("--out FILE.html is required") }
        if routes != nil, routeNames.isEmpty { throw ValidationError("--routes names no route") }
        guard layoverShare.isFinite, layoverShare >= 0, layoverShare <= 10 else {
            throw ValidationError("--layover-share must be a number from 0 to 10 (0.10 = 10%)")
        }
        guard minLayoverMinutes.isFinite, minLayoverMinutes >= 0, minLayoverMinutes <= 1440 else {
            throw ValidationError("--min-layover-minutes must be from 0 to 1440")
        }
    }

    func run() throws {
        let (day, periods) = try parsedOptions()
        let loaded = try input.load()
        if let range = loaded.feed.serviceDateRange {
            if !range.contains(day) {
                writeToStandardError("warning: \(day.iso8601) is outside the feed's service dates (\(range.lowerBound.iso8601) to \(range.upperBound.iso8601)); no service is expected\n")
            }
        } else {
            writeToStandardError("warning: the feed's calendars name no service dates\n")
        }
        var command = "transit network report \(input.feed) --date \(date)"
        if periodOptions.periods != NetworkDefaults.periods { command += " --periods \(periodOptions.periods)" }
        if let routes { command += " --routes \(routes)" }
        let options = NetworkReport.Options(periods: periods, routes: routeNames, layoverShare: layoverShare,
                                            minimumLayover: Int32((minLayoverMinutes * 60).rounded()),
                                            inferDirections: inferDirections, source: input.feed, command: command)
        let report = NetworkReport(feed: loaded.feed, date: day, options: options)
        if !report.unmatchedRoutes.isEmpty {
            writeToStandardError("error: --routes: no route has route_id or route_short_name \(report.unmatchedRoutes.map { "'\($0)'" }.joined(separator: ", "))\n")
            throw ExitCode.validationFailure
        }
        if !report.idleRoutes.isEmpty {
            writeToStandardError("note: no departure on \(day.iso8601) for route \(report.idleRoutes.joined(separator: ", "))\n")
        }
        let html = report.rendered()
        let bytes = Array(html.utf8)
        do {
            try FileSystem.writeAtomically(bytes, to: out)
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode.failure
        }
        writeToStandardError("wrote \(out): \(Self.size(bytes.count)), \(report.routes.count) routes, \(report.summary.totalRuns) departures\n")
        if bytes.count > ReportLimits.maximumBytes {
            writeToStandardError("warning: the report is larger than \(Self.size(ReportLimits.maximumBytes))\n")
        }
    }

    /// A byte count as kB or MB.
    static func size(_ bytes: Int) -> String {
        bytes >= 1_000_000
            ? String(format: "%.1f MB", Double(bytes) / 1_000_000)
            : String(format: "%.0f kB", (Double(bytes) / 1000).rounded(.up))
    }
}
