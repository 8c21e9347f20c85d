import ArgumentParser
import Carbon
import GTFS
import TransitSynthetic

/// `transit carbon generate-log FEED --count N --output FILE`: a deterministic synthetic log.
struct CarbonGenerateLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-log",
        abstract: "Write a deterministic synthetic trip log over a feed (for tests, benchmarks and samples).",
        discussion: """
            Transit legs come from the feed's own schedule (a running trip, a boarding stop \
            and a later alighting stop, boarding up to 60 s after the scheduled departure, \
            alighting 60-120 s after the scheduled arrival) on the busiest day of the feed's \
            first two weeks and the days after it; \
            --active-share of the records are bike or walk trips with reported distances. \
            The same feed, count and seed give the same bytes.
            """
    )

    @OptionGroup var input: FeedArgument

    @Option(help: "How many records.")
    var count: Int = 1000

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(help: "Distinct riders.")
    var riders: Int = 1000

    @Option(help: "Share of bike and walk trips, 0 to 1.")
    var activeShare: Double = 0.2

    @Option(help: "Consecutive service days.")
    var days: Int = 3

    @Option(help: "Log format: csv or jsonl.")
    var logFormat: String = "csv"

    @Option(help: "The file to write (written to a temporary file and renamed into place).")
    var output: String

    func validate() throws {
        guard count >= 0, riders >= 1, days >= 1, activeShare >= 0, activeShare <= 1 else {
            throw ValidationError("--count ≥ 0, --riders ≥ 1, --days ≥ 1 and --active-share from 0 to 1")
        }
        guard SyntheticTripLog.Format(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be csv or jsonl") }
    }

    func run() throws {
        let loaded = try input.load()
        let context = FeedContext(feed: loaded.feed)
        let file = try AtomicTextFile(path: output)
        SyntheticTripLog.generate(feed: loaded.feed, context: context, count: count, seed: seed, riders: riders,
                                  activeShare: activeShare, days: days,
                                  format: SyntheticTripLog.Format(rawValue: logFormat) ?? .csv) { file.write($0 + "\n") }
        try file.commit()
    }
}
