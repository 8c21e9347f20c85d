import Carbon
import Foundation
import Testing

/// Inputs the fuzzers (Fuzz/, `scripts/fuzz`) found crashing, kept minimised with their bytes
/// inline: each must now be read and priced without a trap.
@Suite("fuzz regressions: trip logs and pricing")
struct CarbonFuzzRegressionTests {
    /// FuzzTripLog, 2026-12-07: a `distance_m` past `Int.max` metres (here 9.2 × 10²¹) trapped in
    /// `Pricer.price` converting it to an `Int` ("Double value cannot be converted to Int because
    /// the result would be greater than Int.max"). Minimised from the fuzzer's 608-byte input.
    @Test("a distance beyond Int.max metres is rejected as no_distance, not a crash")
    func hugeReportedDistance() throws {
        let log = "event_id,rider_id,mode,start_time,end_time,distance_m\n"
            + "g2-0,R000064,walk,2026-01-06T13:44:47-06:00,2026-01-06T13:52:36-06:00,9223372036854775807626\n"
        let items = try Fixture.read(try Fixture.write(log, name: "huge.csv"))
        #expect(items.count == 1)
        guard case .record(let record)? = items.first else {
            Issue.record("the line was rejected by the reader: \(items)")
            return
        }
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        guard case .failure(let rejection) = pricer.price(record) else {
            Issue.record("a 9.2e21 m walk was priced")
            return
        }
        #expect(rejection.reason == .noDistance)
        #expect(rejection.detail.contains("circumference"))
    }

    @Test("every mode: distances past the Earth's circumference are refused, up to it they are priced as before",
          arguments: ["walk", "bike", "bus", "rail"])
    func distanceCeiling(mode: String) throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        for metres in [40_075_001.0, 1e19, 9.3e18, Double(Int.max), Double.greatestFiniteMagnitude] {
            guard case .failure(let rejection) = pricer.price(Fixture.trip("e", mode: mode, metres: metres)) else {
                Issue.record("\(metres) m by \(mode) was priced")
                continue
            }
            #expect(rejection.reason == .noDistance, "\(metres) m by \(mode)")
        }
        // At the ceiling the distance is read and checked as any other (here: far too fast).
        guard case .failure(let atCeiling) = pricer.price(Fixture.trip("e", mode: mode, metres: 40_075_000)) else {
            Issue.record("40,075 km by \(mode) in 30 minutes was priced")
            return
        }
        #expect(atCeiling.reason == .implausibleSpeed)
    }
}
