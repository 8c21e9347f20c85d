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

    @OptionGroup var rules: SummaryRulesOption

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
    }

    func run() throws {
        let (day, periods) = try parsedOptions()
        let loaded = try input.load()
        SummaryRulesOption.warnOutsideService(loaded.feed, day)
        var command = "transit network report \(input.feed) --date \(date)"
        if periodOptions.periods != NetworkDefaults.periods { command += " --periods \(periodOptions.periods)" }
        if let routes { command += " --routes \(routes)" }
        let options = NetworkReport.Options(periods: periods, routes: routeNames, layoverShare: rules.layoverShare,
                                            minimumLayover: rules.minimumLayover,
                                            inferDirections: rules.inferDirections, source: input.feed, command: command)
        let report = NetworkReport(feed: loaded.feed, date: day, options: options)
        if !report.unmatchedRoutes.isEmpty {
            writeToStandardError("error: --routes: no route has route_id or route_short_name \(report.unmatchedRoutes.map { "'\($0)'" }.joined(separator: ", "))\n")
            throw ExitCode.validationFailure
        }
        if !report.idleRoutes.isEmpty {
            writeToStandardError("note: no departure on \(day.iso8601) for route \(report.idleRoutes.joined(separator: ", "))\n")
        }
        let html = report.rendered()
        try ReportFile.write(html, to: out, facts: "\(report.routes.count) routes, \(report.summary.totalRuns) departures")
    }
}
