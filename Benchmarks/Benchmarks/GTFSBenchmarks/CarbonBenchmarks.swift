// In-process benchmarks of the Carbon module on vilnius-2016: issue 6's performance target
// ("a generated log of 1,000,000 legs over a real shared feed: pricing alone ≥ 200,000
// legs/s, and into the SQLite ledger ≥ 50,000 legs/s end to end, memory flat").
//
// The log is made once by `SyntheticTripLog.generate` (the engine of `transit carbon
// generate-log`; seed 1, 50,000 riders, 20 % bike/walk) into
// $TRANSIT_BENCH_TMP/carbon-vilnius-1m.csv and reused. Legs per second = 1,000,000 ÷ the
// median wall time. Registered from `benchmarks` in GTFSBenchmarks.swift.

import Benchmark
import Carbon
import Foundation
import GTFS
import TransitSynthetic

enum CarbonBenchmarks {
    static let legs = 1_000_000

    /// Registers the carbon benchmarks for the feed at `vilnius`.
    static func register(vilnius: String) {
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta],
            timeUnits: .milliseconds,
            warmupIterations: 0,
            maxDuration: .seconds(60),
            maxIterations: 5
        )
        let state = CarbonBenchState(feedPath: vilnius)

        // Pricing alone: the records parsed beforehand (100,000 distinct, priced 10 times).
        Benchmark("carbon price 1M legs vilnius-2016", configuration: configuration) { benchmark in
            guard let pricer = state.pricer else { return }
            let records = state.records
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var credited = 0
                for _ in 0..<(legs / max(1, records.count)) {
                    for r in records {
                        if case .success(let leg) = pricer.price(r) { credited &+= leg.grams }
                    }
                }
                blackHole(credited)
            }
        } setup: {
            state.prepare()
        }

        // Streaming read + pricing of the 1M-line CSV (no ledger).
        Benchmark("carbon read+price 1M legs vilnius-2016", configuration: configuration) { benchmark in
            guard let pricer = state.pricer else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var grams = 0
                do {
                    var reader = try TripLogReader(path: state.logPath)
                    while let item = reader.next() {
                        if case .record(let r) = item, case .success(let leg) = pricer.price(r) { grams &+= leg.grams }
                    }
                } catch {
                    BenchPaths.note("read failed: \(error)")
                }
                blackHole(grams)
            }
        } setup: {
            state.prepare()
        }

        // End to end: read, price and credit into a new SQLite ledger (the default batches of 20,000).
        Benchmark("carbon credit 1M legs into ledger vilnius-2016", configuration: configuration) { benchmark in
            guard let pricer = state.pricer else { return }
            for _ in benchmark.scaledIterations {
                let path = BenchPaths.scratchDirectory + "/carbon-bench-ledger.db"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                benchmark.startMeasurement()
                do {
                    let ledger = try SQLiteLedger(path: path)
                    blackHole(try CreditRun.run(logPath: state.logPath, pricer: pricer, ledger: ledger))
                } catch {
                    BenchPaths.note("credit failed: \(error)")
                }
                benchmark.stopMeasurement()
            }
        } setup: {
            state.prepare()
        }
    }
}

/// The feed, pricer, generated log and pre-parsed records, made once per process.
final class CarbonBenchState: @unchecked Sendable {
    let feedPath: String
    let logPath = BenchPaths.scratchDirectory + "/carbon-vilnius-1m.csv"
    private(set) var pricer: Pricer?
    private(set) var records: [TripRecord] = []

    init(feedPath: String) { self.feedPath = feedPath }

    func prepare() {
        guard pricer == nil else { return }
        let feed = Loader.load(feedPath, validate: false).feed
        let context = FeedContext(feed: feed)
        do {
            // A policy without caps per trip that bind and with the default checks.
            pricer = Pricer(factors: try FactorSet.ukDESNZ2022, policy: try Policy.standard, feed: context)
        } catch {
            BenchPaths.note("cannot load the shipped methodology: \(error)")
            return
        }
        try? FileManager.default.createDirectory(atPath: BenchPaths.scratchDirectory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: logPath) {
            let tmp = logPath + ".tmp"
            _ = FileManager.default.createFile(atPath: tmp, contents: nil) // a failure shows in the next line
            guard let handle = FileHandle(forWritingAtPath: tmp) else { BenchPaths.note("cannot write \(tmp)"); return }
            var buffer = ""
            SyntheticTripLog.generate(feed: feed, context: context, count: CarbonBenchmarks.legs, seed: 1, riders: 50_000) { line in
                buffer += line
                buffer += "\n"
                if buffer.utf8.count > 1 << 20 { handle.write(Data(buffer.utf8)); buffer = "" }
            }
            handle.write(Data(buffer.utf8))
            try? handle.close()
            _ = try? FileManager.default.replaceItemAt(URL(fileURLWithPath: logPath), withItemAt: URL(fileURLWithPath: tmp))
            if !FileManager.default.fileExists(atPath: logPath) { try? FileManager.default.moveItem(atPath: tmp, toPath: logPath) }
        }
        do {
            var reader = try TripLogReader(path: logPath)
            while records.count < 100_000, let item = reader.next() {
                if case .record(let r) = item { records.append(r) }
            }
        } catch {
            BenchPaths.note("cannot read \(logPath): \(error)")
        }
    }
}
