import Carbon
import CarbonService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import Logging
import Synchronization

@Suite struct LedgerRoutesTests {
    @Test func consentIsRequiredWhenThePolicySaysSo() async throws {
        var text = Policy.standardText
        text = text.replacingOccurrences(of: "\"version\": \"", with: "\"require_consent\": true, \"version\": \"consent-")
        let policy = try Policy.parse(text, file: "consent-policy.json")
        #expect(policy.consentRequired)
        let h = try ServiceHarness(policy: policy)
        try await h.test { client in
            let before = object(try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("c1")])).body)
            #expect((before["results"] as? [[String: Any]])?.first?["reason"] as? String == "no_consent")
            #expect(try await client.execute(uri: "/v1/riders/r1/consent", method: .get, headers: h.headers("auditor")).status == .notFound)

            let put = try await client.execute(uri: "/v1/riders/r1/consent", method: .put, headers: h.headers("metro"), body: json(["sources": ["metro"], "modes": ["metro"]]))
            #expect(put.status == .ok)
            #expect(object(put.body)["sources"] as? [String] == ["metro"])
            let after = object(try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("c1")])).body)
            #expect(after["accepted"] as? Int == 1)

            // Withdrawn: new trips are rejected again; the earlier credit stays.
            _ = try await client.execute(uri: "/v1/riders/r1/consent", method: .put, headers: h.headers("admin"), body: json(["sources": [String]()]))
            let withdrawn = object(try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("c2", hour: 9)])).body)
            #expect((withdrawn["results"] as? [[String: Any]])?.first?["reason"] as? String == "no_consent")

            let bad = try await client.execute(uri: "/v1/riders/r1/consent", method: .put, headers: h.headers("metro"), body: json(["sources": ["metro"], "modes": ["rocket"]]))
            #expect(bad.status == .badRequest)
        }
        // Trips without consent are never stored.
        #expect(try h.ledger.entries().map(\.eventID) == ["c1"])
    }

    @Test func statementPagesWalkEveryEntryOnce() async throws {
        let h = try ServiceHarness()
        let trips = batch((0..<7).map { trip("p\($0)", metres: 1_000, minutes: 3, day: 1 + $0) })
        try await h.test { client in
            _ = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: trips)
            var cursor: String?
            var seen: [Int] = []
            var pages = 0
            repeat {
                let uri = "/v1/riders/r1/statement?limit=3" + (cursor.map { "&cursor=" + $0 } ?? "")
                let page = object(try await client.execute(uri: uri, method: .get, headers: h.headers("auditor")).body)
                seen += (page["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                cursor = page["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == Array(1...7))
            #expect(pages == 3)
            for bad in ["limit=0", "limit=5000", "cursor=abc", "limit=x"] {
                #expect(try await client.execute(uri: "/v1/riders/r1/statement?" + bad, method: .get, headers: h.headers("auditor")).status == .badRequest, "\(bad)")
            }
            let export = object(try await client.execute(uri: "/v1/entries?limit=100", method: .get, headers: h.headers("auditor")).body)
            #expect((export["entries"] as? [Any])?.count == 7)
            #expect(export["next_cursor"] is NSNull)
        }
    }

    @Test func redemptionsAreIdempotentAndNeverOverspend() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            let credited = object(try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("e1")])).body)
            let points = credited["points"] as? Int ?? 0
            #expect(points > 10)
            let body = json(["rider_id": "r1", "points": 10, "reference": "voucher-1"])
            let first = try await client.execute(uri: "/v1/redemptions", method: .post, headers: h.headers("merchant"), body: body)
            #expect(first.status == .created)
            #expect(object(first.body)["balance"] as? Int == points - 10)
            let again = try await client.execute(uri: "/v1/redemptions", method: .post, headers: h.headers("merchant"), body: body)
            #expect(again.status == .ok)
            #expect(object(again.body)["status"] as? String == "already_redeemed")
            let other = try await client.execute(uri: "/v1/redemptions", method: .post, headers: h.headers("merchant"),
                                                 body: json(["rider_id": "r1", "points": 11, "reference": "voucher-1"]))
            #expect(other.status == .conflict)
            let tooMany = try await client.execute(uri: "/v1/redemptions", method: .post, headers: h.headers("merchant"),
                                                   body: json(["rider_id": "r1", "points": points, "reference": "voucher-2"]))
            #expect(tooMany.status == .conflict)
            #expect(object(tooMany.body)["code"] as? String == "insufficient_points")
            let zero = try await client.execute(uri: "/v1/redemptions", method: .post, headers: h.headers("merchant"),
                                                body: json(["rider_id": "r1", "points": 0, "reference": "voucher-3"]))
            #expect(zero.status == .unprocessableContent)
        }
        #expect(try h.ledger.balance(rider: "r1").points >= 0)
    }

    @Test func operatorsReverseTheirOwnCreditsOnce() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            _ = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("v1")]))
            _ = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("bike"), body: batch([trip("v2", mode: "bike", metres: 3_000, minutes: 12)]))
            // The bike operator cannot reach the metro credit.
            let foreign = try await client.execute(uri: "/v1/reversals", method: .post, headers: h.headers("bike"), body: json(["event_id": "v1", "reason": "x"]))
            #expect(foreign.status == .notFound)
            let named = try await client.execute(uri: "/v1/reversals", method: .post, headers: h.headers("bike"), body: json(["event_id": "v1", "source": "metro", "reason": "x"]))
            #expect(named.status == .forbidden)
            let first = try await client.execute(uri: "/v1/reversals", method: .post, headers: h.headers("metro"), body: json(["event_id": "v1", "reason": "refund"]))
            #expect(first.status == .created)
            let again = try await client.execute(uri: "/v1/reversals", method: .post, headers: h.headers("metro"), body: json(["event_id": "v1", "reason": "refund"]))
            #expect(again.status == .ok)
            #expect(object(again.body)["status"] as? String == "already_reversed")
        }
        let bikePoints = try h.ledger.entries().filter { $0.source == "bike" }.map(\.points).reduce(0, +)
        #expect(try h.ledger.balance(rider: "r1").points == bikePoints)
    }

    @Test func pseudonymsAreStoredAndLookedUpFromTheRawRiderID() async throws {
        let pseudonymizer = try Pseudonymizer(secret: Array("a secret of thirty-two bytes ....".utf8))
        let h = try ServiceHarness(pseudonymizer: pseudonymizer)
        let body = batch([trip("ps1", rider: "alice")])
        try await h.test { client in
            _ = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: body)
            let balance = object(try await client.execute(uri: "/v1/riders/alice/balance", method: .get, headers: h.headers("auditor")).body)
            #expect(balance["rider_id"] as? String == "alice")
            #expect(balance["entries"] as? Int == 1)
        }
        let stored = try h.ledger.entries().map(\.rider)
        #expect(stored == [pseudonymizer.pseudonym("alice")])
        #expect(stored.first?.hasPrefix("p_") == true)
    }

    @Test func methodologyIsServed() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            let factors = object(try await client.execute(uri: "/v1/factors", method: .get, headers: h.headers("merchant")).body)
            #expect(factors["methodology_version"] as? String == h.platform.pricer.methodologyVersion)
            let policy = object(try await client.execute(uri: "/v1/policy", method: .get, headers: h.headers("merchant")).body)
            #expect(policy["version"] as? String == h.platform.pricer.policy.version)
            let balance = object(try await client.execute(uri: "/v1/riders/nobody/balance", method: .get, headers: h.headers("auditor")).body)
            #expect(balance["rider_id"] as? String == "nobody")
            #expect(balance["points"] as? Int == 0)
        }
    }

    @Test func unknownRoutesAndMethodsAreProblems() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            let missing = try await client.execute(uri: "/v2/trips", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(missing.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            let wrongMethod = try await client.execute(uri: "/v1/trips", method: .get, headers: h.headers("admin"))
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")
            let consent = try await client.execute(uri: "/v1/riders/r9/consent", method: .delete, headers: h.headers("admin"))
            #expect(consent.headers[.allow] == "GET, PUT")
        }
    }
}

extension Policy {
    /// The shipped policy's JSON text.
    static var standardText: String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Carbon/Data/policy-default.json")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}

/// Log lines, as the service writes them through swift-log.
@Suite struct LogLineTests {
    /// Collects every log event's message and metadata as text.
    final class Collector: Sendable {
        let lines = Mutex<[String]>([])
    }

    struct Handler: LogHandler {
        let collector: Collector
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            collector.lines.withLock { $0.append(text) }
        }
    }

    @Test func requestLinesNameTheRouteAndKeyButNeverTheRiderOrTheKey() async throws {
        let h = try ServiceHarness()
        let collector = Collector()
        let logger = Logger(label: "test") { _ in Handler(collector: collector) }
        let app = CarbonServer.application(h.platform, logger: logger)
        let body = batch([trip("g1", rider: "alice-private")])
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: body)
            _ = try await client.execute(uri: "/v1/riders/alice-private/balance", method: .get, headers: h.headers("metro"))
        }
        let lines = collector.lines.withLock { $0 }
        let requests = lines.filter { $0.hasPrefix("request ") }
        #expect(requests.count == 2)
        let metroKeyID = try #require(try h.ledger.authenticate(token: h.keys["metro"] ?? "")?.id)
        #expect(requests.allSatisfy { $0.contains("key_id=\(metroKeyID)") && $0.contains("hb.request.id=") })
        #expect(requests.contains { $0.contains("route=/v1/riders/{rider_id}/balance") })
        #expect(!lines.contains { $0.contains("alice-private") || $0.contains(h.keys["metro"] ?? "-") })
    }
}
