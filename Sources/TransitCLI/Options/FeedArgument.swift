import ArgumentParser
import GTFS

/// The feed a command reads, as its first positional argument.
struct FeedArgument: ParsableArguments {
    @Argument(help: "The feed: a GTFS folder or .zip.")
    var feed: String

    @Option(name: .customLong("max-file-bytes"), help: ArgumentHelp(maxFileBytesHelp))
    var maxFileBytes: Int?

    /// The feed loaded (validated when `validate`), or a clear message and exit 2 when it
    /// cannot be read at all.
    func load(validate: Bool = false) throws -> LoadedFeed {
        try loadFeed(feed, validate: validate, maxFileBytes: maxFileBytes)
    }
}
