import Carbon
import CarbonService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// The service over real sockets: in process on an ephemeral port, and as the `transit serve`
/// binary killed and restarted.
@Suite(.serialized) struct LiveServerTests {
    @Test func endToEndOverASocketOnAnEphemeralPort() async throws {
        let h = try ServiceHarness()
        try await h.app.test(.live) { client in
            #expect(client.port.map { $0 > 0 } == true)
            let posted = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("l1"), trip("l2", rider: "r2")]))
            #expect(posted.status == .ok)
            #expect(object(posted.body)["accepted"] as? Int == 2)
            let balance = object(try await client.execute(uri: "/v1/riders/r2/balance", method: .get, headers: h.headers("auditor")).body)
            #expect(balance["entries"] as? Int == 1)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
        }
    }

    /// SIGKILL while a 10,000-trip batch is in flight, at several moments: the ledger then holds
    /// none of the batch or all of it, and posting the batch again to a restarted server
    /// leaves every event credited exactly once.
    @Test func sigkillDuringABatchThenRetryCreditsEveryEventOnce() async throws {
        let binary = try #require(TransitBinary.url, "build the transit binary first")
        let trips = (0..<10_000).map { trip("k\($0)", rider: "rider\($0 % 2_000)", metres: 2_000 + $0 % 500, minutes: 10, day: 1 + $0 % 28, hour: 6 + $0 % 12) }
        let body = batch(trips)
        var interrupted = 0
        for delay in [0, 20, 60, 150, 400] {
            let folder = try TemporaryFolder("carbon-kill")
            defer { folder.remove() }
            let ledgerPath = folder.file("ledger.sqlite")
            let key = try Ledger(path: ledgerPath).createKey(role: .operator, source: "metro").secret
            let headers: HTTPFields = [.authorization: "Bearer " + key, .contentType: "application/json"]

            let first = try ServerProcess(binary: binary, ledger: ledgerPath, log: folder.file("serve-1.log"))
            let request = Task { try await first.post("/v1/trips", headers: headers, body: body) }
            try await Task.sleep(for: .milliseconds(delay))
            first.kill(SIGKILL)
            if (try? await request.value) == nil { interrupted += 1 }

            let after = try Ledger(path: ledgerPath).entries().count
            #expect(after == 0 || after == 10_000, "killed after \(delay) ms: \(after) entries; a batch is all or nothing")

            let second = try ServerProcess(binary: binary, ledger: ledgerPath, log: folder.file("serve-2.log"))
            let retry = try await second.post("/v1/trips", headers: headers, body: body)
            second.kill(SIGTERM)
            let result = object(retry.body ?? ByteBuffer())
            #expect(retry.status == .ok)
            #expect(result["accepted"] as? Int == 10_000 - after)
            #expect(result["duplicates"] as? Int == after)
            let entries = try Ledger(path: ledgerPath).entries()
            #expect(entries.count == 10_000)
            #expect(Set(entries.map(\.eventID)).count == 10_000)
        }
        #expect(interrupted > 0, "no kill landed while a batch was in flight")
    }

    /// SIGTERM while a batch is in flight: the batch finishes and is answered, then the server
    /// exits 0.
    @Test func sigtermLetsTheBatchInFlightFinish() async throws {
        let binary = try #require(TransitBinary.url, "build the transit binary first")
        let folder = try TemporaryFolder("carbon-term")
        defer { folder.remove() }
        let ledgerPath = folder.file("ledger.sqlite")
        let key = try Ledger(path: ledgerPath).createKey(role: .operator, source: "metro").secret
        let headers: HTTPFields = [.authorization: "Bearer " + key, .contentType: "application/json"]
        let body = batch((0..<10_000).map { trip("t\($0)", rider: "rider\($0 % 2_000)", day: 1 + $0 % 28, hour: 6 + $0 % 12) })
        let server = try ServerProcess(binary: binary, ledger: ledgerPath, log: folder.file("serve.log"))
        let request = Task { try await server.post("/v1/trips", headers: headers, body: body) }
        try await Task.sleep(for: .milliseconds(30))
        server.kill(SIGTERM)
        let response = try await request.value
        #expect(response.status == .ok)
        #expect(object(response.body ?? ByteBuffer())["accepted"] as? Int == 10_000)
        let status = server.wait()
        #expect(status == 0)
        #expect(try Ledger(path: ledgerPath).entries().count == 10_000)
    }
}

/// `transit serve` as a child process on a free loopback port, logging to a file.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int

    init(binary: URL, ledger: String, log: String) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--ledger", ledger, "--port", "0", "--rate-limit", "0"]
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        var found: Int?
        for _ in 0..<300 where found == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("\"msg\":\"listening\"") }),
               let range = line.range(of: "\"address\":\"127.0.0.1:") {
                found = Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            if found == nil { usleep(20_000) }
        }
        guard let found else {
            process.terminate()
            throw ServerProcessError.didNotStart((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        port = found
    }

    func post(_ uri: String, headers: HTTPFields, body: ByteBuffer) async throws -> TestClient.Response {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60))) { client in
            try await client.post(uri, headers: headers, body: body)
        }
    }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        if signal == SIGKILL { process.waitUntilExit() }
    }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

enum ServerProcessError: Error {
    case didNotStart(String)
}
