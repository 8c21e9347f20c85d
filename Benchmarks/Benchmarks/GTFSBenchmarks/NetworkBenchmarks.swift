// In-process benchmarks of the Network module on vilnius-2016: what issue 3's performance
// target measures ("building the graph and the service summary for one date takes at most
// half the time of loading the feed; a one-to-all Dijkstra at most 5 ms"). The feed is
// loaded once, outside the measured closures; compare with `load vilnius-2016` from the same
// run. Registered from `benchmarks` in GTFSBenchmarks.swift.

import Benchmark
import GTFS
import TransitNetwork

enum NetworkBenchmarks {
    /// The service date the summary benchmarks use (a Tuesday inside vilnius-2016's range).
    static let date = "20160301"

    /// Registers the network benchmarks for the feed at `vilnius`.
    static func register(vilnius: String) {
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(10),
            maxIterations: 20
        )
        guard let day = GTFSDate(date), let periods = try? Period.parse(NetworkDefaults.periods) else {
            BenchPaths.note("cannot parse \(date) or the default periods: the network benchmarks are not registered")
            return
        }
        let feed = SharedFeed(path: vilnius)

        // Everything the graph needs: route patterns, distances along the shapes, the graph.
        Benchmark("network patterns+distances+graph vilnius-2016", configuration: configuration) { benchmark in
            let f = feed.feed
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let patterns = RoutePatterns(feed: f)
                let distances = ShapeDistances(feed: f, patterns: patterns)
                blackHole(TransitGraph(feed: f, patterns: patterns, distances: distances))
            }
        } setup: {
            feed.load()
        }

        // The service summary for one date (default periods and layover, as the CLI).
        Benchmark("network summary vilnius-2016 \(date)", configuration: configuration) { benchmark in
            let f = feed.feed
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(ServiceSummary(feed: f, date: day, periods: periods))
            }
        } setup: {
            feed.load()
        }

        // The measure: the graph and everything it needs, plus the summary.
        Benchmark("network graph+summary vilnius-2016", configuration: configuration) { benchmark in
            let f = feed.feed
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let patterns = RoutePatterns(feed: f)
                let distances = ShapeDistances(feed: f, patterns: patterns)
                blackHole(TransitGraph(feed: f, patterns: patterns, distances: distances))
                blackHole(ServiceSummary(feed: f, date: day, periods: periods, patterns: patterns))
            }
        } setup: {
            feed.load()
        }

        // One-to-all from the stop with the most ride edges (a central hub), many times.
        let dijkstra = Benchmark.Configuration(
            metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
            timeUnits: .microseconds,
            warmupIterations: 10,
            maxDuration: .seconds(10),
            maxIterations: 1_000
        )
        Benchmark("network dijkstra one-to-all vilnius-2016", configuration: dijkstra) { benchmark in
            guard let (graph, hub) = feed.graphAndHub() else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(Dijkstra.oneToAll(graph, from: hub))
            }
        } setup: {
            feed.load()
            feed.buildGraph()
        }
    }
}

/// The feed, loaded once by the first benchmark's setup and shared by the others (each
/// benchmark runs on its own, one after another, so no lock is needed beyond the setup's).
final class SharedFeed: @unchecked Sendable {
    let path: String
    private var loaded: Feed?
    private var graph: TransitGraph?
    private var hub: Int32 = -1

    init(path: String) { self.path = path }

    /// Loads the feed unless already loaded.
    func load() {
        if loaded == nil { loaded = Loader.load(path, validate: false).feed }
    }

    /// The loaded feed (`load()` first).
    var feed: Feed {
        if loaded == nil { load() }
        guard let loaded else { fatalError("\(path) did not load") }
        return loaded
    }

    /// Builds the graph and picks the hub unless already done.
    func buildGraph() {
        guard graph == nil else { return }
        let g = TransitGraph(feed: feed)
        var best: Int32 = -1, bestDegree = -1
        for s in 0..<g.nodeCount {
            let degree = g.edges(from: Int32(s)).count
            if degree > bestDegree { best = Int32(s); bestDegree = degree }
        }
        graph = g
        hub = best
    }

    /// The graph and its hub stop (`buildGraph()` first).
    func graphAndHub() -> (TransitGraph, Int32)? {
        if graph == nil { buildGraph() }
        guard let graph, hub >= 0 else { return nil }
        return (graph, hub)
    }
}
