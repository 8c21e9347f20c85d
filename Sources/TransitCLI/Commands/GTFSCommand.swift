import Foundation
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

/// The environment variable that sets the largest file of a feed every command reads.
let maxFileBytesVariable = "TRANSIT_MAX_FILE_BYTES"

/// The help of `--max-file-bytes`, on every command whose argument is a feed.
let maxFileBytesHelp = "Refuse a file of the feed larger than this, uncompressed, before reading it (a zip-bomb guard; default $\(maxFileBytesVariable), else 2147483647)."

/// The largest file of a feed (uncompressed) a command reads: `option` (`--max-file-bytes`)
/// when given, else `TRANSIT_MAX_FILE_BYTES`, else the library's default (2 GiB − 1).
/// - Throws: `ValidationError` when either is not a positive whole number of bytes.
func maxFileBytes(option: Int? = nil) throws -> Int {
    if let option {
        guard option > 0 else { throw ValidationError("--max-file-bytes \(option) must be a positive number of bytes") }
        return option
    }
    guard let text = ProcessInfo.processInfo.environment[maxFileBytesVariable], !text.isEmpty else { return ReadOptions.defaultMaxFileBytes }
    guard let value = Int(text), value > 0 else {
        throw ValidationError("\(maxFileBytesVariable)='\(text)' is not a positive number of bytes")
    }
    return value
}

/// Loads a feed for a command, turning an unreadable feed into a clear message and exit 2.
/// Files over `maxFileBytes` (see ``maxFileBytes(option:)``) are refused before they are read.
func loadFeed(_ path: String, validate: Bool, today: GTFSDate? = nil, maxPerCode: Int = 1000,
              maxFileBytes limit: Int? = nil) throws -> LoadedFeed {
    let ceiling = try maxFileBytes(option: limit)
    do {
        return try FeedReader.load(path, options: ReadOptions(maxFindingsPerCode: maxPerCode, validate: validate, today: today,
                                                              maxFileBytes: ceiling))
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
