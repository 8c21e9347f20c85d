import Foundation
import Testing
import TestSupport

/// `transit plan`, end to end, and the optimum checked against HiGHS on the written model.
@Suite("transit plan, end to end")
struct PlanCommandTests {
    @Test("plan --format json on the sample: status, objective, bound, gap and plan rows within the fleet")
    func planJSON() throws {
        let r = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "75", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try TransitBinary.json(r.stdout)
        #expect(json["status"] as? String == "optimal")
        let objective = try #require(json["objective"] as? Double)
        let bound = try #require(json["bound"] as? Double)
        #expect(bound <= objective + 1e-6 * objective)
        #expect((json["gap"] as? Double ?? 1) <= 1e-6)
        #expect((json["violations"] as? [Any])?.isEmpty == true)
        let rows = try #require(json["plan"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(Set(row.keys).isSuperset(of: ["route_id", "direction_id", "period", "headway_s", "vehicles"]))
        }
        let periods = try #require(json["periods"] as? [[String: Any]])
        for p in periods { #expect((p["vehicles"] as? Int ?? 99) <= 75) }
        #expect(r.stderr.contains("plan: solving"))
    }

    @Test("an impossible fleet exits 1 and says which period needs how many vehicles")
    func infeasible() throws {
        let r = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "40"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("07:00-09:00 needs at least"))
        #expect(r.stderr.contains("the fleet is 40"))
    }

    @Test("bad options fail with a usage error: fleet list length, headways, write-model extension")
    func badOptions() throws {
        #expect(try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "1,2"]).status != 0)
        #expect(try TransitBinary.run(["plan", "gtfs/sample-city", "--headways", "5,x"]).status != 0)
        #expect(try TransitBinary.run(["plan", "gtfs/sample-city", "--write-model", "m.txt"]).status != 0)
        #expect(try TransitBinary.run(["plan"]).status != 0)
    }

    /// The Python that has HiGHS: scripts/setup's .venv-tools, else python3 if it imports highspy.
    static let highsPython: String? = {
        let venv = SharedData.packageRoot.appendingPathComponent(".venv-tools/bin/python").path
        for candidate in [venv, "/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import highspy"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            do { try p.run() } catch { continue }
            p.waitUntilExit()
            if p.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    static func highs(_ model: String) throws -> [String: Any] {
        let python = try #require(highsPython)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [SharedData.packageRoot.appendingPathComponent("scripts/highs-solve.py").path, model]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try TransitBinary.json(String(decoding: data, as: UTF8.self))
    }

    @Test("HiGHS re-solving the written model agrees with our optimum within 1e-6",
          .enabled(if: highsPython != nil || SharedData.isCI, "HiGHS (highspy) is not installed: run bash scripts/setup"),
          arguments: [["gtfs/sample-city", "--fleet", "75", "--budget", "100000"], ["--synthetic", "120", "--seed", "3"]])
    func highsAgrees(arguments: [String]) throws {
        #expect(Self.highsPython != nil, "CI must have HiGHS: scripts/setup installs highspy")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("transit-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for ext in ["lp", "mps"] {
            let model = dir.appendingPathComponent("model.\(ext)").path
            let r = try TransitBinary.run(["plan"] + arguments + ["--gap", "0", "--write-model", model, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let ours = try #require(try TransitBinary.json(r.stdout)["objective"] as? Double)
            let theirs = try Self.highs(model)
            #expect(theirs["status"] as? String == "Optimal")
            let value = try #require(theirs["objective"] as? Double)
            #expect(abs(value - ours) <= 1e-6 * max(1, abs(ours)), "\(ext): HiGHS \(value), ours \(ours)")
        }
    }
}
