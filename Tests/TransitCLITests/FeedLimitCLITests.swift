import Foundation
import Testing
import TestSupport

/// The ceiling on one feed file from the command line: `--max-file-bytes` on the commands that
/// take a feed as their argument, `TRANSIT_MAX_FILE_BYTES` for every command that reads a feed.
@Suite("transit: the largest feed file read")
struct FeedLimitCLITests {
    /// Runs `transit` with `arguments` on a thread of its own.
    static func transit(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess.Result {
        try await TransitBinary.runOffPool(arguments, environment: environment)
    }

    /// The size of the sample's largest file, so the limits below sit just under and over it.
    static func largestSampleFile() throws -> (name: String, size: Int) {
        let folder = SharedData.samplePath
        var best = ("", 0)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int)
            if size > best.1 { best = (name, size) }
        }
        return best
    }

    @Test("gtfs validate and plan --max-file-bytes under the largest file: exit 2, the file named, an i_o_error finding; at its size: read")
    func validateFlag() async throws {
        let largest = try Self.largestSampleFile()
        let refused = try await Self.transit(["gtfs", "validate", "gtfs/sample-city", "--format", "json", "--today", "20261128",
                                              "--max-file-bytes", "\(largest.size - 1)"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(largest.name) is \(largest.size) bytes uncompressed, more than the \(largest.size - 1)-byte limit"))
        #expect(refused.stderr.contains("--max-file-bytes"))
        #expect(refused.stdout.contains("i_o_error"))
        let read = try await Self.transit(["gtfs", "validate", "gtfs/sample-city", "--format", "json", "--today", "20261128",
                                           "--max-file-bytes", "\(largest.size)"])
        #expect(read.status == 0)
        // plan takes its feed as an argument of its own, with the same flag.
        let plan = try await Self.transit(["plan", "gtfs/sample-city", "--fleet", "75", "--max-file-bytes", "\(largest.size - 1)"])
        #expect(plan.status == 2)
        #expect(plan.stderr.contains("more than the \(largest.size - 1)-byte limit"))
    }

    @Test("TRANSIT_MAX_FILE_BYTES reaches commands with --feed and positional feeds; the flag wins over it")
    func environment() async throws {
        let largest = try Self.largestSampleFile()
        let tight = ["TRANSIT_MAX_FILE_BYTES": "\(largest.size - 1)"]
        let inspect = try await Self.transit(["gtfs", "inspect", "gtfs/sample-city"], environment: tight)
        #expect(inspect.status == 2)
        #expect(inspect.stderr.contains("more than the \(largest.size - 1)-byte limit"))
        let factors = try await Self.transit(["carbon", "factors", "--occupancy-from-ridership", "--feed", "gtfs/sample-city"], environment: tight)
        #expect(factors.status == 2)
        #expect(factors.stderr.contains("more than the \(largest.size - 1)-byte limit"))
        let overridden = try await Self.transit(["gtfs", "inspect", "gtfs/sample-city", "--max-file-bytes", "\(largest.size)"], environment: tight)
        #expect(overridden.status == 0)
        let roomy = try await Self.transit(["gtfs", "inspect", "gtfs/sample-city"], environment: ["TRANSIT_MAX_FILE_BYTES": "\(largest.size)"])
        #expect(roomy.status == 0)
    }

    @Test("a limit that is not a positive number is a usage error, before anything is read")
    func badValues() async throws {
        let env = try await Self.transit(["gtfs", "inspect", "gtfs/sample-city"], environment: ["TRANSIT_MAX_FILE_BYTES": "lots"])
        #expect(env.status != 0)
        #expect(env.stderr.contains("TRANSIT_MAX_FILE_BYTES='lots' is not a positive number of bytes"))
        let flag = try await Self.transit(["gtfs", "validate", "gtfs/sample-city", "--max-file-bytes", "0"])
        #expect(flag.status != 0)
        #expect(flag.stderr.contains("--max-file-bytes 0 must be a positive number of bytes"))
    }
}
