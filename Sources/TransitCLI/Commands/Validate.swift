import TransitSupport
import ArgumentParser
import GTFS
import Reports

extension GTFSCommand {
    /// `transit gtfs validate FEED`: every defect with its canonical code.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a feed and list every finding: severity, code, file, line, field, message.",
            discussion: """
                Codes are MobilityData's canonical validator notice codes. --format html prints \
                one self-contained page (summary, then a section per code with sample findings; \
                at most \(ValidationHTML.defaultSamplesPerCode) listed per code): \
                transit gtfs validate FEED --format html > report.html. Exit status: 0 when \
                there are no errors, 1 when there are, 2 when the feed could not be read at all.
                """
        )

        @OptionGroup var input: FeedArgument

        @OptionGroup var output: ValidateFormatOption

        @Option(name: .customLong("max-per-code"), help: "List at most this many findings per code (all are counted).")
        var maxPerCode: Int = 1000

        @Option(help: "The date the expiry checks compare with (YYYYMMDD); default today (UTC).")
        var today: String?

        @Option(name: .customLong("country-code"),
                help: "The country (ISO 3166-1 alpha-2, e.g. LT or US) whose numbering plan phone numbers without an international prefix are checked against.")
        var countryCode: String?

        @Flag(help: "Leave out findings of severity info.")
        var noInfo = false

        func run() throws {
            let date = try parseDateOption(today, name: "today") ?? todayUTC()
            let country = try countryCode.map(parseCountryCode)
            let ceiling = try maxFileBytes(option: input.maxFileBytes)
            let report: ValidationReport
            var feed: Feed?
            var unreadable = false
            do {
                let loaded = try FeedReader.load(input.feed, options: ReadOptions(maxFindingsPerCode: maxPerCode, validate: true, today: date, countryCode: country,
                                                                                     maxFileBytes: ceiling))
                report = loaded.report
                feed = loaded.feed
            } catch {
                // Not readable at all: one canonical i_o_error finding, in the format asked for, exit 2.
                var r = ValidationReport()
                r.add(Finding(.error, "i_o_error", file: input.feed, message: "\(error)"))
                report = r
                unreadable = true
                writeToStandardError("error: \(error)\n")
            }
            let findings = report.sorted.filter { !(noInfo && $0.severity == .info) }
            switch output.format {
            case .html:
                print(ValidationHTML.render(report: report, feed: feed, path: input.feed, today: date, includeInfo: !noInfo),
                      terminator: "")
            case .json:
                print(ValidationDocument(report: report, feed: input.feed, includeInfo: !noInfo).renderJSON())
            case .csv, .table:
                var t = TextTable(["severity", "code", "file", "line", "field", "message"], numeric: [3])
                for f in findings {
                    t.add([f.severity.rawValue, f.code, f.file ?? "", f.line.map(String.init) ?? "", f.field ?? "", f.message])
                }
                if output.format == .csv {
                    print(t.csv(), terminator: "")
                } else {
                    if !findings.isEmpty { print(t.render(), terminator: "") }
                    let shown = findings.count
                    let total = report.counts.values.reduce(0, +)
                    print("\(report.errorCount) errors, \(report.warningCount) warnings"
                          + (shown < total && !noInfo ? " (\(total - shown) more findings counted but not listed; see --max-per-code)" : ""))
                }
            }
            if unreadable { throw ExitCode(2) }
            if report.hasErrors { throw ExitCode(1) }
        }
    }
}

/// `code` upper-cased when it is two ASCII letters (ISO 3166-1 alpha-2).
/// - Throws: `ValidationError` naming the option and the value otherwise.
func parseCountryCode(_ code: String) throws -> String {
    let upper = code.uppercased()
    guard upper.utf8.count == 2, upper.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
        throw ValidationError("--country-code '\(code)' is not a country code; give two letters such as LT or US")
    }
    return upper
}

/// `--format` of `transit gtfs validate`: the shared formats plus `html`.
struct ValidateFormatOption: ParsableArguments {
    /// What `gtfs validate` prints.
    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case table, json, csv, html
    }

    @Option(help: "Output format: table, json, csv or html (one self-contained page; redirect it to a file).")
    var format: Format = .table
}
