import TransitSupport
import ArgumentParser
import GTFS

extension GTFSCommand {
    /// `transit gtfs convert FEED OUT`: folder ⇄ zip through the writer.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a feed as a folder or a .zip (by OUT's extension), losing nothing.",
            discussion: """
                Unknown files and columns are kept; values that do not parse are written back as \
                they were. The output is written to a temporary name and renamed into place, so it \
                is never left half-written.
                """
        )

        @OptionGroup var input: FeedArgument

        @Argument(help: "Where to write: a path ending in .zip for an archive, else a folder.")
        var out: String

        func run() throws {
            let loaded = try input.load()
            do {
                try FeedWriter.write(loaded.feed, to: out)
            } catch {
                writeToStandardError("error: \(error)\n")
                throw ExitCode.failure
            }
            let rows = loaded.feed.tables.values.reduce(0) { $0 + $1.rowCount }
            writeToStandardError("wrote \(out): \(loaded.feed.tables.count) tables, \(rows) rows, \(loaded.feed.extraFiles.count) other files\n")
        }
    }
}
