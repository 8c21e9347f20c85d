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

    @Test("a load table instead of board_alight.txt: the loaded route gets a headway that carries its max load")
    func loadTable() throws {
        let scratch = try TemporaryFolder("transit-loads")
        defer { scratch.remove() }
        let dir = scratch.url
        let table = dir.appendingPathComponent("loads.csv")
        try "route_id,direction_id,period,boardings,max_load\n1,0,07:00-09:00,1500,1200\n1,1,07:00-09:00,900,700\n"
            .write(to: table, atomically: true, encoding: .utf8)
        let r = try TransitBinary.run(["plan", "gtfs/sample-city", "--load-table", table.path, "--date", "20260310",
                                       "--capacity", "70", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try TransitBinary.json(r.stdout)["plan"] as? [[String: Any]])
        let peak = try #require(rows.first { $0["route_id"] as? String == "1" && $0["period"] as? String == "07:00-09:00" && $0["direction_id"] as? Int == 0 })
        let headway = try #require(peak["headway_s"] as? Int)
        // 1200 passengers in 2 h at 70 places × 0.85: at most 7200 × 59.5 / 1200 = 357 s.
        #expect(headway <= 357)
        #expect(PlanningDefaultsHeadways.minutes.contains(headway / 60))
    }

    @Test("--ridership with the sample's own board_alight.txt gives the same plan as the feed's copy")
    func separateRidershipFile() throws {
        let own = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "75", "--format", "json"])
        let file = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "75", "--format", "json",
                                          "--ridership", "gtfs/sample-city/board_alight.txt"])
        #expect(own.status == 0 && file.status == 0, "\(file.stderr)")
        let a = try TransitBinary.json(own.stdout), b = try TransitBinary.json(file.stdout)
        #expect(a["objective"] as? Double == b["objective"] as? Double)
    }

    @Test("plan --out runs the timetable step: the exported feed validates with no errors")
    func planAndTimetable() throws {
        let scratch = try TemporaryFolder("transit-pipeline")
        defer { scratch.remove() }
        let dir = scratch.url
        let zip = dir.appendingPathComponent("planned.zip").path
        let r = try TransitBinary.run(["plan", "gtfs/sample-city", "--fleet", "80", "--budget", "100000", "--out", zip])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: zip))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".plan-") }
        #expect(leftovers.isEmpty)
        let v = try TransitBinary.run(["gtfs", "validate", zip, "--format", "json"])
        #expect(v.status == 0, "\(v.stdout.prefix(400))")
    }

    /// The Python that has HiGHS: scripts/setup's .venv-tools, else python3 if it imports highspy.
    static let highsPython: String? = {
        let venv = SharedData.packageRoot.appendingPathComponent(".venv-tools/bin/python").path
        for candidate in [venv, "/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            guard let probe = try? ChildProcess.run(candidate, ["-c", "import highspy"]) else { continue }
            if probe.status == 0 { return candidate }
        }
        return nil
    }()

    static func highs(_ model: String) throws -> [String: Any] {
        let python = try #require(highsPython)
        let solved = try ChildProcess.run(python, [SharedData.packageRoot.appendingPathComponent("scripts/highs-solve.py").path, model])
        return try TransitBinary.json(solved.stdout)
    }

    @Test("HiGHS re-solving the written model agrees with our optimum within 1e-6",
          .enabled(if: highsPython != nil || SharedData.isCI, "HiGHS (highspy) is not installed: run bash scripts/setup"),
          arguments: [["gtfs/sample-city", "--fleet", "75", "--budget", "100000"], ["--synthetic", "120", "--seed", "3"]])
    func highsAgrees(arguments: [String]) throws {
        #expect(Self.highsPython != nil, "CI must have HiGHS: scripts/setup installs highspy")
        let scratch = try TemporaryFolder("transit-plan")
        defer { scratch.remove() }
        let dir = scratch.url
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

/// The default allowed headways, in minutes (kept here so the test does not import Planner).
enum PlanningDefaultsHeadways {
    static let minutes = [3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60]
}
