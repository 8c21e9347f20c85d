// In-process benchmarks of `FeedReader.load`, the loader behind `transit gtfs inspect` and
// `transit gtfs validate`. Run from the Benchmarks package: `swift package benchmark`.
// What each one measures, and the targets: ../../README.md.
//
// Feeds come from the shared folder (env TRANSIT_SHARED_DIR, else `../../shared` next to the
// repository checkout). Without it every benchmark that needs it is left unregistered, with a
// message on stderr saying why. The x1 and x10 feeds are made once by
// scripts/make-scaled-feed.py into $TRANSIT_BENCH_TMP (default $TMPDIR/transit-benchmarks) and
// reused while newer than both the source feed and the script.

import Benchmark
import Foundation
import GTFS

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    // The frequency planner on generated city-scale problems (PlannerBenchmarks.swift); these
    // need no shared feeds.
    PlannerBenchmarks.register()
    // Plan → timetable on a generated 500-route city (TimetableBenchmarks.swift).
    TimetableBenchmarks.register()

    guard let shared = BenchPaths.sharedDirectory() else {
        BenchPaths.note("""
            no shared folder found (set TRANSIT_SHARED_DIR, or put it at \(BenchPaths.defaultSharedPath)): \
            the GTFS load benchmarks are not registered
            """)
        return
    }
    let vilnius = shared + "/gtfs-feeds/vilnius-2016/vilnius-2016.zip"
    guard FileManager.default.isReadableFile(atPath: vilnius) else {
        BenchPaths.note("\(vilnius) is missing: the vilnius-2016 benchmarks are not registered")
        return
    }

    // The Network module on the loaded feed (NetworkBenchmarks.swift).
    NetworkBenchmarks.register(vilnius: vilnius)

    // The Carbon module: pricing and crediting 1M generated legs (CarbonBenchmarks.swift).
    CarbonBenchmarks.register(vilnius: vilnius)

    // The feed as published.
    Benchmark("load vilnius-2016") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Loader.load(vilnius, validate: false))
        }
    }
    Benchmark("load+validate vilnius-2016") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Loader.load(vilnius, validate: true))
        }
    }

    // The same feed through the generator at factor 1 and 10: like-for-like inputs (same id
    // prefixes, same zip writer), so x10 / x1 is the loader's scaling with feed size.
    for factor in [1, 10] {
        let scaled = ScaledFeed(source: vilnius, name: "vilnius-2016", factor: factor)
        let configuration = Benchmark.Configuration(
            metrics: Benchmark.defaultConfiguration.metrics,
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: factor == 1 ? .seconds(10) : .seconds(60),
            maxIterations: factor == 1 ? 20 : 5
        )
        Benchmark("load vilnius-2016 x\(factor)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(Loader.load(scaled.path, validate: false))
            }
        } setup: {
            try scaled.make()
        }
    }
}

/// `FeedReader.load`, stopping the run with the loader's own message if the feed can't be read.
enum Loader {
    static func load(_ path: String, validate: Bool) -> LoadedFeed {
        do {
            return try FeedReader.load(path, options: ReadOptions(validate: validate))
        } catch {
            fatalError("FeedReader.load(\(path)) failed: \(error)")
        }
    }
}

enum BenchPaths {
    /// This package's folder (Benchmarks/), found from this file's path at build time.
    static let packageDirectory: String = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // GTFSBenchmarks/
            .deletingLastPathComponent()  // Benchmarks/Benchmarks/
            .deletingLastPathComponent()  // Benchmarks/ (the package)
            .path
    }()

    /// `shared/` beside the repository checkout: ../../shared from this package.
    static var defaultSharedPath: String {
        URL(fileURLWithPath: packageDirectory + "/../../shared").standardizedFileURL.path
    }

    /// TRANSIT_SHARED_DIR if set, else ../../shared from this package; nil if not a folder.
    static func sharedDirectory() -> String? {
        let environment = ProcessInfo.processInfo.environment
        let candidate = environment["TRANSIT_SHARED_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultSharedPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return candidate
    }

    /// Where generated feeds are kept between runs.
    static var scratchDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["TRANSIT_BENCH_TMP"], !dir.isEmpty { return dir }
        return URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("transit-benchmarks").path
    }

    /// A line on stderr (stdout carries the benchmark tool's output).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("GTFSBenchmarks: \(message)\n".utf8))
    }
}

/// A feed made `factor` times larger by scripts/make-scaled-feed.py, generated on first use.
struct ScaledFeed: Sendable {
    let source: String
    let name: String
    let factor: Int

    var path: String { BenchPaths.scratchDirectory + "/\(name)-x\(factor).zip" }
    var script: String { BenchPaths.packageDirectory + "/scripts/make-scaled-feed.py" }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the generator unless `path` is already newer than both the source feed and the script.
    func make() throws {
        let fm = FileManager.default
        func modified(_ p: String) -> Date? {
            (try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date
        }
        if let made = modified(path), let input = modified(source), let generator = modified(script),
           made > input, made > generator {
            return
        }
        try fm.createDirectory(atPath: BenchPaths.scratchDirectory, withIntermediateDirectories: true)
        BenchPaths.note("making \(path) (x\(factor) of \(source)) once with \(script)…")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, source, String(factor), path]
        // The generator's progress goes to stderr; keep stdout for the benchmark tool.
        process.standardOutput = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw Failure(description: "could not run python3 \(script): \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 \(script) exited with status \(process.terminationStatus)")
        }
    }
}
