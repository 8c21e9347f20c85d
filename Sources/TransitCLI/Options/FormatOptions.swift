import ArgumentParser

/// `--format` for commands that print a table, JSON or CSV (default: table).
///
/// The group only parses the option; each command checks the formats it does not print in its
/// own `validate()`.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}

/// `--format` for commands that print a table or JSON (default: table).
struct TableOrJSONFormatOption: ParsableArguments {
    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table
}
