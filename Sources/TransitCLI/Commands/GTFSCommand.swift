import TransitSupport
import ArgumentParser
import GTFS

/// `transit gtfs …`: read, check and convert feeds.
struct GTFSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gtfs",
        abstract: "Inspect, validate and convert GTFS feeds (a folder or a .zip).",
        subcommands: [Inspect.self, Validate.self, Convert.self]
    )
}

/// Loads a feed for a command, turning an unreadable feed into a clear message and exit 2.
func loadFeed(_ path: String, validate: Bool, today: GTFSDate? = nil, maxPerCode: Int = 1000) throws -> LoadedFeed {
    do {
        return try FeedReader.load(path, options: ReadOptions(maxFindingsPerCode: maxPerCode, validate: validate, today: today))
    } catch {
        writeToStandardError("error: \(error)\n")
        throw ExitCode(2)
    }
}

/// Today's date in UTC, for the expiry checks.
func todayUTC() -> GTFSDate {
    GTFSDate(daysSinceEpoch: Int(secondsSinceEpoch() / 86_400))
}

/// Parses a `YYYYMMDD` option value.
func parseDateOption(_ text: String?, name: String) throws -> GTFSDate? {
    guard let text else { return nil }
    guard let d = GTFSDate(text) else { throw ValidationError("--\(name) '\(text)' is not a date (YYYYMMDD)") }
    return d
}
