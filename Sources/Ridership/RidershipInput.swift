public import GTFS

/// The ridership tables of a feed, from the feed itself or from files given apart, with what
/// reading them found.
///
/// ```swift
/// let loaded = try FeedReader.load("gtfs/sample-city")
/// let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)   // counts inside the feed
/// let other = try RidershipInput.load(feed: loaded.feed, boardAlightPath: "counts/board_alight.txt")
/// ```
///
/// A file given by path is parsed with the same reader and the same checks as the files of a
/// feed (``FeedReader/loadTable(_:as:into:options:)``), and replaces the feed's table of that
/// name.
public struct RidershipInput: Sendable {
    /// The feed, with the ridership tables given by path added (replacing the feed's own).
    public let feed: Feed
    /// Where `board_alight.txt` came from: `feed` or the path given.
    public let boardAlightSource: String
    /// Where `trip_capacity.txt` came from: `feed`, the path given, or `nil` when there is none.
    public let tripCapacitySource: String?
    /// What the CSV reader found in the ridership files (invalid numbers, ragged rows, missing
    /// required columns), as issues. References to unknown trips and stops are left to
    /// ``RidershipAnalysis``, which reports them with what it did about them.
    public let issues: [RidershipIssue]

    /// `board_alight.txt`, when present.
    public var boardAlight: Table? { feed.table("board_alight.txt") }
    /// `trip_capacity.txt`, when present.
    public var tripCapacity: Table? { feed.table("trip_capacity.txt") }

    /// The ridership files this type reads.
    public static let files = ["board_alight.txt", "trip_capacity.txt"]

    /// Collects the ridership tables of `feed`, reading `board_alight.txt` and
    /// `trip_capacity.txt` from the given paths instead when they are given.
    ///
    /// - Parameters:
    ///   - feed: the loaded feed.
    ///   - report: the feed's validation report; its findings about the ridership files are
    ///     carried into ``issues`` (all but `foreign_key_violation`).
    ///   - boardAlightPath: a `board_alight.txt` to use instead of the feed's.
    ///   - tripCapacityPath: a `trip_capacity.txt` to use instead of the feed's.
    ///   - maxIssuesPerCode: the most issues kept per code (all are counted by the reader).
    /// - Throws: ``RidershipError/ridershipFileUnreadable(path:reason:)`` when a path cannot be
    ///   read. A feed without `board_alight.txt` is not an error here (see
    ///   ``RidershipAnalysis``).
    /// - Complexity: O(size of the files read).
    public static func load(feed: Feed, report: ValidationReport? = nil, boardAlightPath: String? = nil,
                            tripCapacityPath: String? = nil, maxIssuesPerCode: Int = 1000) throws(RidershipError) -> RidershipInput {
        var feed = feed
        var collector = IssueCollector(maxPerCode: maxIssuesPerCode)
        var fromPath: Set<String> = []
        for (name, path) in [("board_alight.txt", boardAlightPath), ("trip_capacity.txt", tripCapacityPath)] {
            guard let path else { continue }
            let loaded: LoadedFeed
            do {
                loaded = try FeedReader.loadTable(path, as: name, into: feed,
                                                  options: ReadOptions(maxFindingsPerCode: maxIssuesPerCode, validate: false))
            } catch {
                throw .ridershipFileUnreadable(path: path, reason: error.description)
            }
            feed = loaded.feed
            fromPath.insert(name)
            for f in loaded.report.findings { collector.add(RidershipIssue(f)) }
        }
        if let report {
            for f in report.findings where f.code != "foreign_key_violation" {
                guard let file = f.file, files.contains(file), !fromPath.contains(file) else { continue }
                collector.add(RidershipIssue(f))
            }
        }
        let capacitySource: String? = tripCapacityPath ?? (feed.table("trip_capacity.txt") != nil ? "feed" : nil)
        return RidershipInput(feed: feed, boardAlightSource: boardAlightPath ?? "feed",
                              tripCapacitySource: capacitySource, issues: collector.sorted)
    }
}
