import TransitSupport
import ArgumentParser
import GTFS
import TransitNetwork
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `transit network path FEED FROM_STOP TO_STOP`: the fastest path and its time.
struct NetworkPath: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Find the fastest path between two stops over the transit graph.",
        discussion: """
            Rides cost their scheduled run time (the fastest trip's, or the median trip's with \
            --statistic median); transfers cost transfers.txt's min_transfer_time, and walks \
            between stops within --walk-radius metres cost the distance at 1.2 m/s. Waiting for \
            a vehicle is not counted: the time is a lower bound of a real journey.
            """
    )

    @OptionGroup var input: FeedArgument

    @Argument(help: "The stop_id to start from.")
    var fromStop: String

    @Argument(help: "The stop_id to reach.")
    var toStop: String

    @OptionGroup var output: TableOrJSONFormatOption

    @Option(help: "Run time charged for rides: min or median.")
    var statistic: String = "min"

    @Option(help: "Walking radius in metres between stops.")
    var walkRadius: Double = 250

    func validate() throws {
        if output.format == .csv { throw ValidationError("path prints table or json") }
        if RunTimeStatistic(rawValue: statistic) == nil { throw ValidationError("--statistic must be min or median") }
        if !(walkRadius >= 0) { throw ValidationError("--walk-radius must be 0 or more metres") }
    }

    func run() throws {
        let loaded = try input.load()
        let f = loaded.feed
        let codes = f.codeMap(.stop)
        let defined = f.definedCount(.stop)
        var unknown: [String] = []
        for id in [fromStop, toStop] where (codes[id].map { Int($0) >= defined } ?? true) { unknown.append(id) }
        guard unknown.isEmpty, let from = codes[fromStop], let to = codes[toStop] else {
            writeToStandardError("error: unknown stop_id \(unknown.map { "'\($0)'" }.joined(separator: ", ")) (not in stops.txt)\n")
            throw ExitCode.failure
        }
        let tracing = traceEnabled
        var clock = Stopwatch()
        func lap(_ what: String) {
            guard tracing else { return }
            let ms = clock.lap()
            trace("\(what) \(String(Int((ms * 10).rounded()) / 10)).\(Int((ms * 10).rounded()) % 10) ms")
        }
        let patterns = RoutePatterns(feed: f)
        lap("route patterns (\(patterns.patterns.count))")
        let distances = ShapeDistances(feed: f, patterns: patterns)
        lap("distances \(distances.methodCounts.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: " "))")
        let graph = TransitGraph(feed: f, patterns: patterns, distances: distances, options: GraphOptions(walkRadiusMetres: walkRadius))
        lap("graph (\(graph.nodeCount) stops, \(graph.edgeCount) ride edges, \(graph.transfers.targets.count) transfer links)")
        let stat = RunTimeStatistic(rawValue: statistic) ?? .min
        if tracing {
            let all = Dijkstra.oneToAll(graph, from: from, statistic: stat)
            lap("one-to-all Dijkstra (\(all.seconds.filter { $0 != Int32.max }.count) stops reached)")
        }
        for issue in distances.issues.prefix(5) { writeToStandardError("note: \(issue.message)\n") }
        if distances.issues.count > 5 { writeToStandardError("note: \(distances.issues.count - 5) more data issues\n") }
        let found = Dijkstra.path(graph, from: from, to: to, statistic: stat)
        lap("one-to-one Dijkstra")
        guard let path = found else {
            writeToStandardError("error: no path from '\(fromStop)' to '\(toStop)'\n")
            throw ExitCode.failure
        }
        let document = PathDocument(feed: f, path: input.feed, fromStop: fromStop, toStop: toStop, statistic: stat,
                                    seconds: path.seconds, steps: path.steps)
        switch output.format {
        case .json:
            print(try JSON.encoding(document).render())
        case .table, .csv:
            print(Self.text(document, feed: f), terminator: "")
        }
    }

    /// The legs as a table (stop names beside the ids), then the total.
    static func text(_ document: PathDocument, feed f: Feed) -> String {
        let stopIDs = f.ids(.stop)
        var nameOf: [String: String] = [:]
        if let names = f.stops.name {
            for r in 0..<f.stops.count {
                let c = f.stops.id[r]
                if let n = names[r], c >= 0, Int(c) < stopIDs.count { nameOf[stopIDs[Int(c)]] = n }
            }
        }
        var t = TextTable(["leg", "mode", "route", "from", "to", "stops", "seconds"], numeric: [0, 5, 6])
        for (i, leg) in document.legs.enumerated() {
            t.add([String(i + 1), leg.mode, leg.routeID ?? "",
                   leg.fromStopID + (nameOf[leg.fromStopID].map { " (\($0))" } ?? ""),
                   leg.toStopID + (nameOf[leg.toStopID].map { " (\($0))" } ?? ""),
                   String(leg.stops.count - 1), String(leg.seconds)])
        }
        let rides = document.legs.filter { $0.mode == "ride" }.count
        return t.render() + "total: \(document.seconds) s (\(document.time)), \(rides) rides\n"
    }
}
