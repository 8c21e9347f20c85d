// HTTP request bodies → the carbon service's decoders, in-process (no server): byte 0 picks
//   0: POST /v1/trips as application/json `{"trips": [...]}`,
//   1: POST /v1/trips as application/x-ndjson,
//   2: POST /v1/redemptions, 3: POST /v1/reversals;
// the rest is the body. Trips go through the Carbon library's TripBatch decoder (what
// Routes+Trips.swift calls), the malformed-trip check, and pricing against the sample feed;
// redemptions and reversals through the JSONDecoder of the API types (what Bodies.swift's
// `decode` does), the emptiness checks of Routes+Ledger.swift, and the ledger call on a
// scratch SQLite ledger in /dev/shm that stays empty (so every call is refused or a no-op).
import Carbon
import CarbonService
import Foundation
import FuzzPricing
import FuzzSupport
import GTFS
import TransitNetwork

let pricer = samplePricer

let pseudonymizer = fuzzPseudonymizer
let configuration = ServiceConfiguration()

let ledger: SQLiteLedger = {
    do { return try SQLiteLedger(path: scratchFolder + "/ledger.sqlite") } catch { setupFailed("ledger: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = inputBytes(data + 1, size - 1)
    switch data[0] & 3 {
    case 0, 1:
        let items: [LogItem]
        do {
            items = data[0] & 1 == 1
                ? try TripBatch.decode(jsonLines: body, defaultSource: "api", maxTrips: configuration.maxTripsPerRequest, pseudonymizer: pseudonymizer)
                : try TripBatch.decode(json: body, defaultSource: "api", maxTrips: configuration.maxTripsPerRequest, pseudonymizer: pseudonymizer)
        } catch {
            _ = error.description
            return 0
        }
        var malformed = 0
        for case .rejected(let r) in items where r.isMalformed { malformed += 1; _ = r.field }
        guard malformed == 0 else { return 0 }
        let batch = PricedBatch(items, pricer: pricer)
        _ = batch.legs.count
    case 2:
        guard let request = try? JSONDecoder().decode(API.RedemptionRequest.self, from: Data(body)),
              !request.riderID.isEmpty else { return 0 }
        let rider = pseudonymizer?.pseudonym(request.riderID) ?? request.riderID
        _ = try? ledger.redeem(rider: rider, points: request.points, reference: request.reference, reason: request.reason)
    default:
        guard let request = try? JSONDecoder().decode(API.ReversalRequest.self, from: Data(body)),
              !request.eventID.isEmpty else { return 0 }
        _ = try? ledger.reversal(eventID: request.eventID, source: request.source, reason: request.reason)
    }
    return 0
}
