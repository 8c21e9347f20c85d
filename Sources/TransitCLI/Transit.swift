import ArgumentParser

/// The `transit` command: GTFS tools for transit planners and green-travel programmes.
@main
struct Transit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transit",
        abstract: "Transit Planner: read, validate and plan GTFS transit networks; credit green trips.",
        discussion: """
            Results go to standard output; progress and diagnostics go to standard error.
            Every command takes --help.
            """,
        version: "0.1.0",
        subcommands: [GTFSCommand.self, NetworkCommand.self, RidershipCommand.self, PlanCommand.self, TimetableCommand.self, CarbonCommand.self, ServeCommand.self]
    )
}

/// Output formats shared by the commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}
