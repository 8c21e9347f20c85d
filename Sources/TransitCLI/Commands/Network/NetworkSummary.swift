import TransitSupport
import ArgumentParser
import GTFS
import TransitNetwork
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `transit network summary FEED --date YYYYMMDD`: trips, headways, run and cycle times and
/// vehicles per route, direction and period, and the vehicles in service per period.
struct NetworkSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Service summary for one date: trips, headways, run/cycle time and vehicles per route, direction and period.",
        discussion: """
            Times are seconds since service-day midnight in json and csv, minutes in the table.

            A departure belongs to the period holding its first departure time. The mean \
            headway is the mean gap between consecutive departures; vehicles = ceil(cycle \
            time / mean headway), where the cycle time is the median run time of both \
            directions plus a layover per direction of max(share x run time, minimum).

            A trip with an empty direction_id gets a direction inferred per route from its \
            first-to-last stop vector against the route's most common stop sequence \
            (terminals, shared-stop order and loop orientation as fallbacks); \
            --no-infer-directions counts such trips as direction 0.
            """
    )

    @OptionGroup var input: FeedArgument

    @Option(help: "The service date, YYYYMMDD (required: the summary is for one service day).")
    var date: String

    @OptionGroup var periodOptions: PeriodsOption

    @OptionGroup var rules: SummaryRulesOption

    @OptionGroup var output: FormatOption

    /// The date and periods, checked (a clear usage error when either is bad).
    func parsedOptions() throws -> (GTFSDate, [Period]) {
        guard let day = try parseDateOption(date, name: "date") else {
            throw ValidationError("--date YYYYMMDD is required")
        }
        return (day, try periodOptions.parsed())
    }

    func validate() throws {
        _ = try parsedOptions()
    }

    func run() throws {
        let (day, parsedPeriods) = try parsedOptions()
        let loaded = try input.load()
        SummaryRulesOption.warnOutsideService(loaded.feed, day)
        let clock = Stopwatch()
        let summary = ServiceSummary(feed: loaded.feed, date: day, periods: parsedPeriods,
                                     layoverShare: rules.layoverShare,
                                     minimumLayover: rules.minimumLayover,
                                     inferDirections: rules.inferDirections)
        trace("service summary \(Int(clock.milliseconds.rounded())) ms")
        if summary.unassignedRuns > 0 {
            writeToStandardError("note: \(summary.unassignedRuns) of \(summary.totalRuns) departures fall outside the periods and are not counted\n")
        }
        if summary.runsWithInferredDirection > 0 {
            let undecided = summary.runsWithUndecidedDirection > 0
                ? " (\(summary.runsWithUndecidedDirection) undecided, counted as direction 0)" : ""
            writeToStandardError("note: \(summary.runsWithInferredDirection) of \(summary.totalRuns) departures have no direction_id; their direction was inferred from the route's geometry\(undecided)\n")
        } else if summary.runsWithoutDirection > 0 {
            writeToStandardError("note: \(summary.runsWithoutDirection) of \(summary.totalRuns) departures have no direction_id and count as direction 0; where both directions are merged, headways look shorter and vehicles are overstated\n")
        }
        switch output.format {
        case .json: print(try JSON.encoding(SummaryDocument(summary: summary, feed: input.feed)).render())
        case .csv: print(Self.rowsTable(summary, minutes: false).csv(), terminator: "")
        case .table: print(Self.text(summary, feed: input.feed), terminator: "")
        }
    }

    /// The rows as a table: seconds (csv) or minutes with one decimal (text).
    static func rowsTable(_ s: ServiceSummary, minutes: Bool) -> TextTable {
        func value(_ v: Double?) -> String {
            guard let v else { return "" }
            if !minutes { return String(Int(v.rounded())) }
            let tenths = Int((v / 6).rounded())
            return "\(tenths / 10).\(tenths % 10)"
        }
        let header = minutes
            ? ["route", "dir", "period", "trips", "headway", "min", "max", "run", "cycle", "vehicles"]
            : ["route_id", "route_short_name", "direction_id", "period", "trips", "mean_headway_s", "min_headway_s", "max_headway_s", "run_time_s", "cycle_time_s", "vehicles"]
        var table = TextTable(header, numeric: minutes ? [3, 4, 5, 6, 7, 8, 9] : [])
        for r in s.rows {
            let common = [String(r.direction), r.period, String(r.trips), value(r.meanHeadway),
                          value(r.minHeadway.map { Double($0) }), value(r.maxHeadway.map { Double($0) }),
                          value(r.runTime), value(r.cycleTime), String(r.vehicles)]
            if minutes {
                table.add([r.routeShortName ?? r.routeID] + common)
            } else {
                table.add([r.routeID, r.routeShortName ?? ""] + common)
            }
        }
        return table
    }

    static func text(_ s: ServiceSummary, feed: String) -> String {
        var out = "Feed: \(feed)\nDate: \(s.date.iso8601) (\(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][s.date.weekday]))\n"
        out += "Times in minutes; layover per direction max(\(Int((s.layoverShare * 100).rounded()))% of run time, \(s.minimumLayover / 60) min)\n\n"
        out += rowsTable(s, minutes: true).render()
        out += "\n"
        var totals = TextTable(["period", "trips", "vehicles"], numeric: [1, 2])
        for t in s.totals { totals.add([t.period.name, String(t.trips), String(t.vehicles)]) }
        out += totals.render()
        out += "peak vehicles: \(s.peakVehicles)\n"
        return out
    }
}
