import ArgumentParser

/// `transit network …`: what service a feed really runs.
struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Analyse a feed's network: service summary, HTML report, fastest paths, GeoJSON export.",
        subcommands: [NetworkSummary.self, NetworkReportCommand.self, NetworkExport.self, NetworkPath.self]
    )
}
