import Carbon
import CarbonService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The service applies the trip logs' and the ledger's limits: 255-byte identifiers.
@Suite struct LimitRoutesTests {
    @Test func aTripWithAnIdentifierOver255BytesIs400FieldTooLongAndNothingIsCredited() async throws {
        let h = try ServiceHarness()
        let long = String(repeating: "x", count: 256)
        try await h.test { client in
            let response = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"),
                                                    body: batch([trip("ok"), trip(long), trip("r", rider: long)]))
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = object(response.body)
            #expect((problem["type"] as? String)?.hasSuffix("/invalid_trips") == true)
            let errors = problem["errors"] as? [[String: Any]] ?? []
            #expect(errors.compactMap { $0["pointer"] as? String } == ["/trips/1/event_id", "/trips/2/rider_id"])
            #expect(errors.compactMap { $0["code"] as? String } == ["field_too_long", "field_too_long"])
            let exact = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"),
                                                 body: batch([trip(String(repeating: "y", count: 255))]))
            #expect(exact.status == .ok)
        }
        #expect(try h.ledger.entries().count == 1)
    }

    @Test func aRedemptionReferenceOver255BytesIs400() async throws {
        let h = try ServiceHarness()
        try await h.test { client in
            _ = try await client.execute(uri: "/v1/trips", method: .post, headers: h.headers("metro"), body: batch([trip("e1")]))
            let response = try await client.execute(uri: "/v1/redemptions", method: .post, headers: h.headers("merchant"),
                                                    body: json(["rider_id": "r1", "points": 1, "reference": String(repeating: "v", count: 256)]))
            #expect(response.status == .badRequest)
            #expect(object(response.body)["code"] as? String == "field_too_long")
        }
    }
}
