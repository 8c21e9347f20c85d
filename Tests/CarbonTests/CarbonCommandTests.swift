import Carbon
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport

/// The built `transit` binary, run as a child process (through ``TransitBinary``).
enum Binary {
    /// Starts `transit` with `arguments`; the caller reads its pipes and waits.
    static func process(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try TransitBinary.start(arguments, environment: environment)
    }

    /// Runs `transit` with `arguments` to its end, reading stdout and stderr concurrently.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> TransitBinary.Result {
        try TransitBinary.run(arguments, environment: environment)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// A deterministic CSV log: `count` trips of 400 riders over 5 days (bike, walk, bus with
/// reported distances, so daily caps bind), every 97th line malformed.
func generatedLog(count: Int) throws -> String {
    var text = "event_id,source,rider_id,mode,start_time,end_time,distance_m\n"
    var state: UInt64 = 42
    func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
    for i in 0..<count {
        if i % 97 == 96 { text += "e\(i),app,R\(next() % 400),bike,not-a-time,2026-03-10T08:30:00-05:00,5000\n"; continue }
        let mode = ["bike", "walk", "bus"][next() % 3]
        let metres = mode == "bike" ? 3000 + next() % 4000 : mode == "walk" ? 600 + next() % 1500 : 1000 + next() % 9000
        let day = 10 + i % 5
        text += "e\(i),app,R\(next() % 400),\(mode),2026-03-\(day)T08:00:00-05:00,2026-03-\(day)T08:30:00-05:00,\(metres)\n"
    }
    return try Fixture.write(text, name: "log-\(count).csv")
}

@Suite("transit carbon, end to end", .serialized)
struct CarbonCommandTests {
    @Test("kill -9 in the middle of a batch, re-run: the ledger equals an uninterrupted run's")
    func killAndRerun() throws {
        let log = try generatedLog(count: 20_000)
        let dir = try Fixture.folder()
        let full = dir + "/full.db", killed = dir + "/killed.db"
        let reference = try Binary.run(["carbon", "credit", log, "--ledger", full, "--batch-size", "250", "--format", "json"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let totals = try Binary.json(reference.stdout)

        // Start the same run, wait for ten committed batches, then SIGKILL it mid-run.
        let child = try Binary.process(["carbon", "credit", log, "--ledger", killed, "--batch-size", "250", "--format", "json"])
        let p = child.process
        var seen = 0, buffer = ""
        while seen < 10 {
            let data = child.stderr.availableData
            if data.isEmpty { break }
            buffer += String(decoding: data, as: UTF8.self)
            seen = buffer.components(separatedBy: "committed:").count - 1
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL, "the child finished before it was killed")
        let partial = try SQLiteLedger(path: killed).entries().count
        let complete = try SQLiteLedger(path: full).entries().count
        #expect(partial > 0 && partial < complete)

        let rerun = try Binary.run(["carbon", "credit", log, "--ledger", killed, "--batch-size", "250", "--format", "json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let again = try Binary.json(rerun.stdout)
        #expect(again["duplicates"] as? Int == partial)
        #expect((again["accepted"] as? Int ?? 0) + partial == totals["accepted"] as? Int)
        #expect(try Fixture.comparable(SQLiteLedger(path: killed)) == Fixture.comparable(SQLiteLedger(path: full)))
    }

    @Test("two processes crediting one log into one ledger at once: the same ledger as one run, nothing twice")
    func twoProcesses() throws {
        let log = try generatedLog(count: 6_000)
        let dir = try Fixture.folder()
        let single = dir + "/single.db", shared = dir + "/shared.db"
        #expect(try Binary.run(["carbon", "credit", log, "--ledger", single, "--batch-size", "100"]).status == 0)
        let args = ["carbon", "credit", log, "--ledger", shared, "--batch-size", "100", "--format", "json"]
        let a = try Binary.process(args)
        let b = try Binary.process(args)
        var outputs: [String] = []
        for child in [a, b] {
            let r = child.finish()
            outputs.append(r.stdout)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let ja = try Binary.json(outputs[0]), jb = try Binary.json(outputs[1])
        let accepted = (ja["accepted"] as? Int ?? 0) + (jb["accepted"] as? Int ?? 0)
        #expect(accepted == (try SQLiteLedger(path: single).entries().count))
        #expect((ja["duplicates"] as? Int ?? 0) + (jb["duplicates"] as? Int ?? 0) == accepted)
        #expect(try Fixture.comparable(SQLiteLedger(path: shared)) == Fixture.comparable(SQLiteLedger(path: single)))
    }

    @Test("credit, balance, statement, reverse, export and factors on the sample feed's rider_trip.txt")
    func commands() throws {
        let ledger = try Fixture.folder() + "/l.db"
        let credit = try Binary.run(["carbon", "credit", "gtfs/sample-city/rider_trip.txt", "--feed", "gtfs/sample-city", "--ledger", ledger, "--format", "json"])
        #expect(credit.status == 0, "\(credit.stderr)")
        let j = try Binary.json(credit.stdout)
        #expect(j["accepted"] as? Int == 3600 && j["rejected"] as? Int == 2 && j["duplicates"] as? Int == 0)
        #expect((j["grams_co2e"] as? Int ?? 0) > 0 && (j["points"] as? Int ?? 0) > 0)
        #expect(credit.stderr.contains("committed:"))
        let second = try Binary.json(try Binary.run(["carbon", "credit", "gtfs/sample-city/rider_trip.txt", "--feed", "gtfs/sample-city", "--ledger", ledger, "--format", "json"]).stdout)
        #expect(second["accepted"] as? Int == 0 && second["duplicates"] as? Int == 3600 && second["grams_co2e"] as? Int == 0)

        let statement = try Binary.run(["carbon", "statement", "R01162", "--ledger", ledger, "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(statement.stdout.utf8)) as? [[String: Any]])
        #expect(!entries.isEmpty)
        let event = try #require(entries.first?["event_id"] as? String)
        let before = try Binary.json(try Binary.run(["carbon", "balance", "R01162", "--ledger", ledger, "--format", "json"]).stdout)
        let reversed = try Binary.run(["carbon", "reverse", event, "--reason", "test", "--ledger", ledger, "--format", "json"])
        #expect(reversed.status == 0, "\(reversed.stderr)")
        let after = try Binary.json(try Binary.run(["carbon", "balance", "R01162", "--ledger", ledger, "--format", "json"]).stdout)
        #expect((before["points"] as? Int ?? 0) - (entries.first?["points"] as? Int ?? 0) == after["points"] as? Int)
        let twice = try Binary.run(["carbon", "reverse", event, "--reason", "test", "--ledger", ledger])
        #expect(twice.status != 0 && twice.stderr.contains("already_reversed"))

        let export = try Binary.run(["carbon", "export", "--ledger", ledger, "--format", "csv"])
        #expect(export.stdout.split(separator: "\n").count == 1 + 3601)
        let exportJSON = try Binary.run(["carbon", "export", "--ledger", ledger, "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(exportJSON.stdout.utf8)) as? [Any])?.count == 3601)

        let factors = try Binary.json(try Binary.run(["carbon", "factors", "--format", "json"]).stdout)
        #expect(factors["methodology_version"] as? String == "uk-desnz-2022.1" && factors["baseline"] as? String == "car_petrol")
    }

    @Test("--pseudonymize stores keyed hashes, never the rider ids; --rejections writes every rejected line")
    func pseudonymizeAndReport() throws {
        let dir = try Fixture.folder()
        let log = try generatedLog(count: 300)
        let env = ["TRANSIT_CARBON_SECRET": "correct horse battery staple"]
        let r = try Binary.run(["carbon", "credit", log, "--ledger", dir + "/l.db", "--pseudonymize", "--rejections", dir + "/rej.csv", "--format", "json"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let export = try Binary.run(["carbon", "export", "--ledger", dir + "/l.db"])
        #expect(export.stdout.contains(",p_"))
        let firstRider = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")[1].split(separator: ",")[2]
        #expect(!export.stdout.contains("," + firstRider + ","))
        let balance = try Binary.json(try Binary.run(["carbon", "balance", String(firstRider), "--ledger", dir + "/l.db", "--pseudonymize", "--format", "json"], environment: env).stdout)
        #expect((balance["entries"] as? Int ?? 0) > 0)
        let report = try String(contentsOfFile: dir + "/rej.csv", encoding: .utf8)
        let rows = report.split(separator: "\n")
        #expect(rows.first == "line,event_id,reason,detail")
        #expect(rows.filter { $0.contains(",bad_time,") }.map { $0.prefix(while: { $0 != "," }) } == ["98", "195", "292"]) // event e96 is line 98 (header = line 1)
        let json = try Binary.json(r.stdout)
        #expect(rows.count == 1 + (json["rejected"] as? Int ?? -1))
        let missing = try Binary.run(["carbon", "credit", log, "--ledger", dir + "/m.db", "--pseudonymize"], environment: ["TRANSIT_CARBON_SECRET": ""])
        #expect(missing.status != 0 && missing.stderr.contains("TRANSIT_CARBON_SECRET"))
    }
}

@Suite struct CarbonKeysCommandTests {
    @Test func createListRevokeAgainstOneLedger() throws {
        let ledger = try Fixture.folder() + "/l.sqlite"
        let created = try Binary.run(["carbon", "keys", "create", "--ledger", ledger, "--role", "operator", "--source", "metro",
                                      "--modes", "metro,bus", "--name", "Metro Co", "--format", "json"])
        #expect(created.status == 0, "\(created.stderr)")
        let doc = try Binary.json(created.stdout)
        let id = try #require(doc["key_id"] as? String)
        let key = try #require(doc["key"] as? String)
        let keyIDAt = try #require(created.stdout.range(of: "\"key_id\"")).lowerBound
        let keyAt = try #require(created.stdout.range(of: "\"key\"")).lowerBound
        #expect(keyIDAt < keyAt, "key_id comes first")
        #expect(doc["modes"] as? [String] == ["metro", "bus"])
        #expect(try SQLiteLedger(path: ledger).authenticate(token: key)?.id == id)

        let plain = try Binary.run(["carbon", "keys", "create", "--ledger", ledger, "--role", "auditor"])
        #expect(plain.stdout.hasPrefix("tpk_") && plain.stderr.contains("shown only now"))

        let list = try Binary.run(["carbon", "keys", "list", "--ledger", ledger, "--format", "csv"])
        #expect(list.stdout.split(separator: "\n").count == 3)
        #expect(list.stdout.contains(id) && !list.stdout.contains(key))

        let revoke = try Binary.run(["carbon", "keys", "revoke", id, "--ledger", ledger])
        #expect(revoke.status == 0 && revoke.stdout.contains("revoked \(id)"))
        #expect(try SQLiteLedger(path: ledger).authenticate(token: key) == nil)

        for bad in [["--role", "boss"], ["--role", "operator"], ["--role", "merchant", "--source", "metro"], ["--role", "operator", "--source", "m", "--modes", "rocket"]] {
            let r = try Binary.run(["carbon", "keys", "create", "--ledger", ledger] + bad)
            #expect(r.status != 0, "\(bad)")
            #expect(r.stdout.isEmpty, "no key printed for \(bad)")
        }
        #expect(try Binary.run(["carbon", "keys", "revoke", "k_nope", "--ledger", ledger]).status == 1)
    }

    @Test func serveChecksItsConfigurationBeforeStarting() throws {
        let ledger = try Fixture.folder() + "/l.sqlite"
        let help = try Binary.run(["serve", "--help"])
        #expect(help.status == 0 && help.stdout.contains("TRANSIT_PORT"))
        let noLedger = try Binary.run(["serve"])
        #expect(noLedger.status != 0 && noLedger.stderr.contains("--ledger"))
        let badPort = try Binary.run(["serve", "--ledger", ledger], environment: ["TRANSIT_PORT": "http"])
        #expect(badPort.status != 0 && badPort.stderr.contains("TRANSIT_PORT"))
        let range = try Binary.run(["serve", "--ledger", ledger, "--port", "70000"])
        #expect(range.status != 0 && range.stderr.contains("--port"))
    }
}
