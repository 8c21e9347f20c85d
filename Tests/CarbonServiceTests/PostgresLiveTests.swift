import Carbon
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Several `transit serve` processes on one PostgreSQL ledger, and the faults of a shared
/// database: killed connections, a database that refuses connections for a while.
@Suite(.serialized, .enabled(if: TestPostgres.runs, Comment(rawValue: TestPostgres.skipMessage)))
struct PostgresLiveTests {
    /// 300 riders on one day, 13 trips each in three modes: the metro, bus and rider-day caps bind.
    static func cappedTrips() -> [[String: Any]] {
        var trips: [[String: Any]] = []
        for r in 0..<300 {
            for t in 0..<6 { trips.append(trip("m\(r)-\(t)", rider: "rider\(r)", mode: "metro", metres: 8_000, hour: 6 + t)) }
            for t in 0..<4 { trips.append(trip("b\(r)-\(t)", rider: "rider\(r)", mode: "bus", metres: 8_000, minutes: 30, hour: 12 + t)) }
            for t in 0..<3 { trips.append(trip("r\(r)-\(t)", rider: "rider\(r)", mode: "rail", metres: 20_000, minutes: 30, hour: 16 + t)) }
        }
        return trips
    }

    static func grams(by ledger: any Ledger) throws -> [String: Int] {
        var out: [String: Int] = [:]
        try ledger.forEachEntry { out[$0.rider, default: 0] += $0.grams }
        return out
    }

    @Test func twoInstancesGivenTheSameEventsInOppositeOrdersCreditEachOnceWithinTheCaps() async throws {
        let binary = try #require(TransitBinary.url, "build the transit binary first")
        let folder = try TemporaryFolder("carbon-pg-two")
        defer { folder.remove() }
        let url = try TestPostgres.freshDatabase("two")
        let key = try openLedger(url).createKey(role: .operator, source: "city").secret
        let headers: HTTPFields = [.authorization: "Bearer " + key, .contentType: "application/json"]
        let trips = Self.cappedTrips().shuffled()
        let batches = stride(from: 0, to: trips.count, by: 300).map { batch(Array(trips[$0..<min($0 + 300, trips.count)])) }

        let a = try ServerProcess(binary: binary, ledger: url, log: folder.file("a.log"))
        let b = try ServerProcess(binary: binary, ledger: url, log: folder.file("b.log"))
        async let fromA = Self.postAll(batches, to: a, headers: headers)
        async let fromB = Self.postAll(batches.reversed(), to: b, headers: headers)
        let (statusesA, statusesB) = try await (fromA, fromB)
        a.kill(SIGTERM)
        b.kill(SIGTERM)
        #expect(statusesA.allSatisfy { $0 == 200 } && statusesB.allSatisfy { $0 == 200 }, "\(statusesA) \(statusesB)")

        let shared = try openLedger(url)
        let entries = try shared.entries()
        #expect(entries.count == trips.count)
        #expect(Set(entries.map(\.eventID)).count == trips.count)
        // Ids in commit order: increasing, as the export pages them.
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.id < $1.id })

        // One SQLite instance given the same events once: the same grams per rider.
        let sqlitePath = folder.file("one.sqlite")
        let sqliteKey = try openLedger(sqlitePath).createKey(role: .operator, source: "city").secret
        let one = try ServerProcess(binary: binary, ledger: sqlitePath, log: folder.file("one.log"))
        let statuses = try await Self.postAll(batches, to: one, headers: [.authorization: "Bearer " + sqliteKey, .contentType: "application/json"])
        one.kill(SIGTERM)
        #expect(statuses.allSatisfy { $0 == 200 })
        let expected = try Self.grams(by: openLedger(sqlitePath))
        let got = try Self.grams(by: shared)
        #expect(got == expected)
        // The caps bound: every rider was capped at the rider-day cap of the default policy.
        #expect(Set(got.values) == [10_000])
    }

    /// Waits (up to 60 s) until `condition` holds. Generous: under the whole suite on 2 cores a
    /// batch once took over 20 s to reach the lock it was to wait on.
    static func until(_ condition: () throws -> Bool) async throws {
        for _ in 0..<1_200 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for a condition")
    }

    static func postAll(_ batches: [ByteBuffer], to server: ServerProcess, headers: HTTPFields) async throws -> [Int] {
        var statuses: [Int] = []
        for body in batches { statuses.append(Int(try await server.post("/v1/trips", headers: headers, body: body).status.code)) }
        return statuses
    }

    @Test func redemptionsRacingOnTwoInstancesNeverOverdrawTheBalance() async throws {
        let binary = try #require(TransitBinary.url, "build the transit binary first")
        let folder = try TemporaryFolder("carbon-pg-redeem")
        defer { folder.remove() }
        let url = try TestPostgres.freshDatabase("redeem")
        let ledger = try openLedger(url)
        let merchant = try ledger.createKey(role: .merchant).secret
        let op = try ledger.createKey(role: .operator, source: "city").secret
        let a = try ServerProcess(binary: binary, ledger: url, log: folder.file("a.log"))
        let b = try ServerProcess(binary: binary, ledger: url, log: folder.file("b.log"))
        let credited = try await a.post("/v1/trips", headers: [.authorization: "Bearer " + op, .contentType: "application/json"],
                                        body: batch((0..<5).map { trip("c\($0)", rider: "shared", metres: 8_000, hour: 6 + $0) }))
        #expect(credited.status == .ok)
        let balance = try ledger.balance(rider: "shared").points
        #expect(balance > 0)

        // 40 redemptions of 50 points, half through each instance, all at once.
        let headers: HTTPFields = [.authorization: "Bearer " + merchant, .contentType: "application/json"]
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                let server = i % 2 == 0 ? a : b
                group.addTask {
                    let body = json(["rider_id": "shared", "points": 50, "reference": "order-\(i)"])
                    return Int(try await server.post("/v1/redemptions", headers: headers, body: body).status.code)
                }
            }
            var out: [Int] = []
            for try await s in group { out.append(s) }
            return out
        }
        a.kill(SIGTERM)
        b.kill(SIGTERM)
        let won = statuses.filter { $0 == 201 }.count
        #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 }, "\(statuses)")
        #expect(won == balance / 50)
        let after = try ledger.balance(rider: "shared").points
        #expect(after == balance - 50 * won)
        #expect(after >= 0 && after < 50)
    }

    @Test func killedConnectionsAnswer503WithAProblemAndThePoolReconnects() async throws {
        let binary = try #require(TransitBinary.url, "build the transit binary first")
        let folder = try TemporaryFolder("carbon-pg-faults")
        defer { folder.remove() }
        let url = try TestPostgres.freshDatabase("faults")
        let database = String(url.split(separator: "/").last ?? "")
        let admin = try #require(TestPostgres.url)
        let key = try openLedger(url).createKey(role: .operator, source: "city").secret
        let headers: HTTPFields = [.authorization: "Bearer " + key, .contentType: "application/json"]
        let server = try ServerProcess(binary: binary, ledger: url, log: folder.file("serve.log"), arguments: ["--statement-timeout", "30"])
        let batches = (0..<30).map { b in batch((0..<200).map { trip("f\(b)-\($0)", rider: "rider\($0 % 50)", metres: 3_000, day: 1 + b % 28, hour: 6 + $0 % 12) }) }

        // Ingest while every connection of the database is terminated, five times.
        let ingest = Task { () -> [(Int, String)] in
            var out: [(Int, String)] = []
            for body in batches {
                let r = try await server.post("/v1/trips", headers: headers, body: body)
                out.append((Int(r.status.code), r.headers[.contentType] ?? ""))
            }
            return out
        }
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(40))
            try TestPostgres.psql(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
        }
        let answers = try await ingest.value
        for (status, type) in answers where status != 200 {
            #expect(status == 503 && type.hasPrefix("application/problem+json"), "\(status) \(type)")
        }
        // Each batch is in the ledger whole or not at all.
        let ledger = try openLedger(url)
        var perBatch: [String: Int] = [:]
        for e in try ledger.entries() { perBatch[String(e.eventID.split(separator: "-").first ?? ""), default: 0] += 1 }
        #expect(perBatch.values.allSatisfy { $0 == 200 }, "\(perBatch)")
        for (i, (status, _)) in answers.enumerated() where status == 200 { #expect(perBatch["f\(i)"] == 200) }

        // The pool reconnected: posting every batch again credits what was missing, once.
        var accepted = 0
        for body in batches {
            let r = try await server.post("/v1/trips", headers: headers, body: body)
            #expect(r.status == .ok)
            accepted += object(r.body ?? ByteBuffer())["accepted"] as? Int ?? -1
        }
        #expect(accepted == 6_000 - perBatch.values.reduce(0, +))
        #expect(try ledger.entries().count == 6_000)

        // A request certainly in flight: another session holds the ledger's tail lock, so the
        // batch waits inside its transaction; its connection is terminated there.
        // The holder sleeps far longer than the test needs (a loaded machine can take seconds to
        // see the batch waiting) and is terminated once the batch is cut. The server's statement
        // timeout (30 s) is longer than that wait too: with 5 s, a batch on a loaded machine
        // once timed out (503) before the test saw it waiting.
        let holder = try ChildProcess.start(URL(fileURLWithPath: "/usr/bin/env"), ["psql", url, "-XAtq", "-c",
                                                                                  "SELECT pg_advisory_lock(8390876182755243009), pg_sleep(120)"])
        try await Self.until { try TestPostgres.psql(admin, "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = '\(database)' AND l.locktype = 'advisory' AND l.granted").hasPrefix("1") }
        let inFlight = Task { try await server.post("/v1/trips", headers: headers, body: batch([trip("in-flight-1"), trip("in-flight-2", rider: "r2")])) }
        let waiting = "SELECT pid FROM pg_stat_activity WHERE datname = '\(database)' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        try await Self.until { !(try TestPostgres.psql(admin, waiting)).isEmpty }
        try TestPostgres.psql(admin, "SELECT count(pg_terminate_backend(pid)) FROM (\(waiting)) w")
        let cut = try await inFlight.value
        #expect(cut.status == .serviceUnavailable)
        #expect(cut.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        #expect(try ledger.entries().filter { $0.eventID.hasPrefix("in-flight") }.isEmpty)
        try TestPostgres.psql(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(database)' AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()")
        _ = holder.finish()

        // A database that refuses connections: not ready, requests 503; ready again after.
        try TestPostgres.psql(admin, "ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try TestPostgres.psql(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
        let down = try await server.get("/readyz")
        let refused = try await server.post("/v1/trips", headers: headers, body: batch([trip("during-outage")]))
        try TestPostgres.psql(admin, "ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        #expect(down.status == .serviceUnavailable)
        #expect(refused.status == .serviceUnavailable)
        #expect(refused.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        #expect(object(refused.body ?? ByteBuffer())["code"] as? String == "ledger_unavailable")
        let up = try await server.get("/readyz")
        #expect(up.status == .ok)
        let after = try await server.post("/v1/trips", headers: headers, body: batch([trip("after-outage")]))
        #expect(after.status == .ok)
        server.kill(SIGTERM)
        #expect(server.wait() == 0)
    }
}
