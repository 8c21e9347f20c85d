import TransitSupport
import ArgumentParser
import GTFS
import Network
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

    @Argument(help: "The feed: a GTFS folder or .zip.")
    var feed: String

    @Argument(help: "The stop_id to start from.")
    var fromStop: String

    @Argument(help: "The stop_id to reach.")
    var toStop: String

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Option(help: "Run time charged for rides: min or median.")
    var statistic: String = "min"

    @Option(help: "Walking radius in metres between stops.")
    var walkRadius: Double = 250

    func validate() throws {
        if format == .csv { throw ValidationError("path prints table or json") }
        if RunTimeStatistic(rawValue: statistic) == nil { throw ValidationError("--statistic must be min or median") }
        if !(walkRadius >= 0) { throw ValidationError("--walk-radius must be 0 or more metres") }
    }

    /// One printed leg: consecutive ride steps of one pattern, or one transfer.
    struct Leg {
        var mode: String
        var route: String?
        var stops: [Int32]
        var seconds: Int32
    }

    func run() throws {
        let loaded = try loadFeed(feed, validate: false)
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
        let stopIDs = f.ids(.stop), routeIDs = f.ids(.route)
        var legs: [Leg] = []
        var lastPattern: Int32 = -1
        for step in path.steps {
            switch step.kind {
            case .ride(_, let route, let pattern):
                if pattern == lastPattern, var leg = legs.popLast() {
                    leg.stops.append(step.to); leg.seconds += step.seconds
                    legs.append(leg)
                } else {
                    legs.append(Leg(mode: "ride", route: route >= 0 && Int(route) < routeIDs.count ? routeIDs[Int(route)] : nil,
                                    stops: [step.from, step.to], seconds: step.seconds))
                }
                lastPattern = pattern
            case .transfer(_, let source):
                legs.append(Leg(mode: source == .walking ? "walk" : "transfer", route: nil, stops: [step.from, step.to], seconds: step.seconds))
                lastPattern = -1
            }
        }
        let names = f.stops.name
        var nameOf: [Int32: String] = [:]
        for r in 0..<f.stops.count { if let n = names?[r] { nameOf[f.stops.id[r]] = n } }
        func id(_ c: Int32) -> String { c >= 0 && Int(c) < stopIDs.count ? stopIDs[Int(c)] : "" }
        switch format {
        case .json:
            let json = JSON.object([
                ("feed", .string(feed)),
                ("from_stop_id", .string(fromStop)),
                ("to_stop_id", .string(toStop)),
                ("statistic", .string(stat.rawValue)),
                ("seconds", .int(Int(path.seconds))),
                ("time", .string(GTFSTime.format(path.seconds))),
                ("legs", .array(legs.map { leg in
                    .object([
                        ("mode", .string(leg.mode)),
                        ("route_id", .optional(leg.route)),
                        ("from_stop_id", .string(id(leg.stops.first ?? -1))),
                        ("to_stop_id", .string(id(leg.stops.last ?? -1))),
                        ("stops", .array(leg.stops.map { .string(id($0)) })),
                        ("seconds", .int(Int(leg.seconds))),
                    ])
                })),
            ])
            print(json.render())
        case .table, .csv:
            var t = TextTable(["leg", "mode", "route", "from", "to", "stops", "seconds"], numeric: [0, 5, 6])
            for (i, leg) in legs.enumerated() {
                let a = leg.stops.first ?? -1, b = leg.stops.last ?? -1
                t.add([String(i + 1), leg.mode, leg.route ?? "",
                       id(a) + (nameOf[a].map { " (\($0))" } ?? ""), id(b) + (nameOf[b].map { " (\($0))" } ?? ""),
                       String(leg.stops.count - 1), String(leg.seconds)])
            }
            print(t.render(), terminator: "")
            print("total: \(path.seconds) s (\(GTFSTime.format(path.seconds))), \(legs.filter { $0.mode == "ride" }.count) rides")
        }
    }
}
