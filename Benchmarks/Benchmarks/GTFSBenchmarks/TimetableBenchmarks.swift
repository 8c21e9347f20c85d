// Issue 5's performance target: a full day for a 500-route city (generated from the planner's
// city-scale instance): departures, blocks and GTFS export together in under 5 seconds.

import Benchmark
import Foundation
import GTFS
import Planner
import Timetable
import TransitSynthetic

enum TimetableBenchmarks {
    /// Registers the timetable benchmark (needs no shared feeds).
    static func register() {
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .peakMemoryResident],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(30),
            maxIterations: 5
        )
        Benchmark("timetable 500 routes (departures + blocks + export)", configuration: configuration) { benchmark in
            let city = try CityBox(routes: 500)
            let out = NSTemporaryDirectory() + "timetable-bench-\(ProcessInfo.processInfo.processIdentifier).zip"
            defer { try? FileManager.default.removeItem(atPath: out) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let timetable = try Timetable.build(feed: city.feed, plan: city.plan)
                try TimetableExport.write(timetable, source: city.feed, to: out)
                blackHole(timetable)
            }
            benchmark.stopMeasurement()
        }
        registerPhases(configuration)
        // Issue 12: plan + timetable + blocks with interlining and deadheads, ≤ 5 s.
        Benchmark("operable 500 routes: plan + timetable + interlined blocks", configuration: configuration) { benchmark in
            let city = try CityBox(routes: 500)
            let problem = SyntheticProblem.make(routes: 500)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let solution = try FrequencyPlanner.solve(problem)
                let timetable = try Timetable.build(feed: city.feed, plan: city.plan, options: TimetableOptions(interline: true))
                blackHole((solution, timetable))
            }
            benchmark.stopMeasurement()
        }
        Benchmark("operable 500 routes: interlined blocks only", configuration: configuration) { benchmark in
            let city = try CityBox(routes: 500)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try Timetable.build(feed: city.feed, plan: city.plan, options: TimetableOptions(interline: true)))
            }
            benchmark.stopMeasurement()
        }
    }

    /// The phases on their own, to see where the time goes.
    static func registerPhases(_ configuration: Benchmark.Configuration) {
        Benchmark("timetable 500 routes: departures + blocks", configuration: configuration) { benchmark in
            let city = try CityBox(routes: 500)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try Timetable.build(feed: city.feed, plan: city.plan)) }
            benchmark.stopMeasurement()
        }
        Benchmark("timetable 500 routes: export files (CSV bytes)", configuration: configuration) { benchmark in
            let city = try CityBox(routes: 500)
            let timetable = try Timetable.build(feed: city.feed, plan: city.plan)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(TimetableExport.files(timetable, source: city.feed)) }
            benchmark.stopMeasurement()
        }
        Benchmark("timetable 500 routes: export to a folder", configuration: configuration) { benchmark in
            let city = try CityBox(routes: 500)
            let timetable = try Timetable.build(feed: city.feed, plan: city.plan)
            let out = NSTemporaryDirectory() + "timetable-bench-dir-\(ProcessInfo.processInfo.processIdentifier)"
            defer { try? FileManager.default.removeItem(atPath: out) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { try TimetableExport.write(timetable, source: city.feed, to: out) }
            benchmark.stopMeasurement()
        }
    }

    /// The generated feed (written and read back once, not measured) and its plan.
    final class CityBox: @unchecked Sendable {
        let feed: Feed
        let plan: HeadwayPlan
        init(routes: Int) throws {
            let (files, plan) = SyntheticCity.make(routes: routes)
            let path = NSTemporaryDirectory() + "timetable-bench-city-\(ProcessInfo.processInfo.processIdentifier)"
            try TimetableExport.write(files: files, to: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
            self.plan = plan
        }
    }
}
