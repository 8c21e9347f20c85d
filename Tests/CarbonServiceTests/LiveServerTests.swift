import Carbon
import CarbonService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

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
    @Test(arguments: LedgerBackend.all) func sigkillDuringABatchThenRetryCreditsEveryEventOnce(_ backend: LedgerBackend) async throws {
        let binary = try #require(TransitBinary.url, "build the transit binary first")
        let trips = (0..<10_000).map { trip("k\($0)", rider: "rider\($0 % 2_000)", metres: 2_000 + $0 % 500, minutes: 10, day: 1 + $0 % 28, hour: 6 + $0 % 12) }
        let body = batch(trips)
        var interrupted = 0
        for delay in [0, 20, 60, 150, 400] {
            let folder = try TemporaryFolder("carbon-kill")
            defer { folder.remove() }
            let ledgerPath = try backend.location("kill")
            let key = try openLedger(ledgerPath).createKey(role: .operator, source: "metro").secret
            let headers: HTTPFields = [.authorization: "Bearer " + key, .contentType: "application/json"]

            let first = try ServerProcess(binary: binary, ledger: ledgerPath, log: folder.file("serve-1.log"))
            let request = Task { try await first.post("/v1/trips", headers: headers, body: body) }
            try await Task.sleep(for: .milliseconds(delay))
            first.kill(SIGKILL)
            if (try? await request.value) == nil { interrupted += 1 }

            let after = try openLedger(ledgerPath).entries().count
            #expect(after == 0 || after == 10_000, "killed after \(delay) ms: \(after) entries; a batch is all or nothing")

            let second = try ServerProcess(binary: binary, ledger: ledgerPath, log: folder.file("serve-2.log"))
            let retry = try await second.post("/v1/trips", headers: headers, body: body)
            second.kill(SIGTERM)
            let result = object(retry.body ?? ByteBuffer())
            #expect(retry.status == .ok)
            #expect(result["accepted"] as? Int == 10_000 - after)
            #expect(result["duplicates"] as? Int == after)
            let entries = try openLedger(ledgerPath).entries()
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
        let key = try SQLiteLedger(path: ledgerPath).createKey(role: .operator, source: "metro").secret
        let headers: HTTPFields = [.authorization: "Bearer " + key, .contentType: "application/json"]
        let body = batch((0..<10_000).map { trip("t\($0)", rider: "rider\($0 % 2_000)", day: 1 + $0 % 28, hour: 6 + $0 % 12) })
        let server = try ServerProcess(binary: binary, ledger: ledgerPath, log: folder.file("serve.log"))
        let request = Task { try await server.post("/v1/trips", headers: headers, body: body) }
        // Long enough for the server to have accepted the connection and read the batch even on
        // a loaded machine (a SIGTERM before the accept resets the connection, which is not the
        // case under test), well short of the seconds the batch takes to credit.
        try await Task.sleep(for: .milliseconds(250))
        server.kill(SIGTERM)
        let response = try await request.value
        #expect(response.status == .ok)
        #expect(object(response.body ?? ByteBuffer())["accepted"] as? Int == 10_000)
        let status = server.wait()
        #expect(status == 0)
        #expect(try SQLiteLedger(path: ledgerPath).entries().count == 10_000)
    }
}

/// `transit serve` as a child process on a free loopback port, logging to a file.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int

    init(binary: URL, ledger: String, log: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--ledger", ledger, "--port", "0", "--rate-limit", "0"] + arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = FileHandle.nullDevice
        try ChildProcess.launch(process)
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

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestClient.Response {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60))) { client in
            try await client.get(uri, headers: headers)
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

@Suite struct SlowBodyTests {
    /// A body that stops half-way is answered 408 once the body timeout passes, and nothing
    /// is credited.
    @Test func aHalfSentBodyTimesOut() async throws {
        let h = try ServiceHarness { $0.bodyTimeoutSeconds = 0.5 }
        let key = h.keys["metro"] ?? ""
        try await h.app.test(.live) { client in
            let port = try #require(client.port)
            let head = "POST /v1/trips HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"trips\": ["
            let clock = ContinuousClock()
            let start = clock.now
            // The socket waits up to 60 s: the answer must come from the body timeout, not the socket's.
            let answer = try RawSocket.exchange(port: port, send: head, timeoutSeconds: 60)
            let elapsed = clock.now - start
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(200))")
            #expect(answer.contains("application/problem+json"))
            #expect(elapsed >= .milliseconds(400))
        }
        #expect(try h.ledger.entries().isEmpty)
    }
}

extension SlowBodyTests {
    /// A client that closes its connection half-way through a body gets a 400 it cannot read
    /// (counted in the metrics, not a server error), and nothing is credited.
    @Test func aBodyCutOffByItsClientIsA400() async throws {
        let h = try ServiceHarness()
        let key = h.keys["metro"] ?? ""
        try await h.app.test(.live) { client in
            let port = try #require(client.port)
            let head = "POST /v1/trips HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"trips\": ["
            _ = try RawSocket.exchange(port: port, send: head, timeoutSeconds: 0, closeAfterSending: true)
            var counted = ""
            for _ in 0..<100 {
                counted = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                if counted.contains("route=\"/v1/trips\",status=\"400\"") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(counted.contains("http_request_duration_seconds_count{method=\"POST\",route=\"/v1/trips\",status=\"400\"} 1"))
            #expect(!counted.contains("status=\"500\""))
        }
        #expect(try h.ledger.entries().isEmpty)
    }
}

/// A blocking TCP client on loopback that sends bytes and reads until the peer stops or
/// the timeout passes: for requests HTTP clients will not send (a half-sent body).
enum RawSocket {
    static func exchange(port: Int, send text: String, timeoutSeconds: Int, closeAfterSending: Bool = false) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerProcessError.didNotStart("socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServerProcessError.didNotStart("connect") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        if closeAfterSending { return "" }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
            if let text = String(bytes: received, encoding: .utf8), text.contains("\r\n\r\n"), text.hasSuffix("}") { break }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
