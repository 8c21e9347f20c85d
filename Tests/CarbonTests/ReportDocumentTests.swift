import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

/// The documents the carbon commands print, built from the library's results.
@Suite("Carbon report documents")
struct CarbonReportDocumentTests {
    /// The top-level keys of `value` encoded as JSON.
    func keys(_ value: some Encodable) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value))
        return Set(try #require(object as? [String: Any]).keys)
    }

    @Test("FactorsDocument: routes and ridership_source only when routes are listed; per-vehicle fields only for such factors")
    func factors() throws {
        let set = try Fixture.factors(), policy = try Fixture.policy()
        let plain = FactorsDocument(factors: set, policy: policy, routes: [], occupancy: nil)
        #expect(plain.routes == nil)
        #expect(try !keys(plain).contains("routes") && !keys(plain).contains("ridership_source"))
        #expect(plain.factors.count == set.factors.count && plain.policy.version == policy.version)
        #expect(plain.policy.perModeDayCapGrams.entries.map(\.key) == policy.caps.perModeDayGrams.keys.sorted())
        for (f, source) in zip(plain.factors, set.factors) {
            #expect(try keys(f).contains("occupancy") == source.isPerVehicleKm)
            #expect(f.savingGramsPerKm == (source.mode.isGreen ? max(0, set.baselineGramsPerKm - source.gramsPerPassengerKm) : 0))
        }

        let rf = try RouteFactors.parse("route_id,avg_co2_per_vehicle_per_km,avg_passenger_count\nR2,90,1.5\nR1,1000,20\n", file: "e.csv")
        let table = RouteFactorTable(factors: set, routeFactors: rf)
        let routes = FactorsDocument.listedRoutes(table, routeFactors: rf)
        #expect(routes.map(\.routeID) == ["R1", "R2"])
        let listed = FactorsDocument(factors: set, policy: policy, routes: routes, occupancy: nil)
        #expect(try keys(listed).isSuperset(of: ["routes", "ridership_source"]))
        let r1 = try #require(listed.routes?.first)
        #expect(r1.gramsPerPassengerKm == Double(r1.milligramsPerPassengerKm) / 1000)
        #expect(r1.savingMilligramsPerKm == max(0, set.baselineMilligramsPerKm - r1.milligramsPerPassengerKm))
        let back = try JSONDecoder().decode(FactorsDocument.self, from: try JSONEncoder().encode(listed))
        #expect(back == listed)
    }

    @Test("CreditDocument: reasons by count then code, sources by name, the rejections listed")
    func credit() throws {
        var s = CreditSummary()
        s.records = 10; s.accepted = 5; s.grams = 700; s.points = 70
        s.rejectedByReason = [.badTime: 2, .badCSV: 2, .missingField: 3]
        s.creditedByFactorSource = [.routeFactors: 1, .mode: 4]
        let rejections = [Rejection(line: 4, eventID: nil, reason: .badTime, detail: "start_time")]
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        let d = CreditDocument(summary: s, rejections: rejections, pricer: pricer)
        #expect(d.rejected == 7 && d.gramsCO2e == 700 && d.rejectionsListed == 1)
        #expect(d.rejectedByReason.entries.map(\.key) == ["missing_field", "bad_csv", "bad_time"])
        #expect(d.creditedByFactorSource.entries.map(\.key) == ["mode", "route_factors"])
        #expect(d.rejections.first?.eventID == nil && d.rejections.first?.reason == "bad_time")
        #expect(d.methodologyVersion == pricer.methodologyVersion && d.policyVersion == pricer.policy.version)
    }

    @Test("balance and expiry documents carry the library's values; the expiry's days as ISO dates")
    func balanceAndExpiry() throws {
        let b = BalanceDocument(Balance(rider: "R1", grams: 730, points: 73, entries: 2))
        #expect(b.rider == "R1" && b.gramsCO2e == 730 && b.points == 73 && b.entries == 2)
        #expect(try keys(b) == ["rider", "points", "grams_co2e", "entries"])
        let day = try #require(GTFSDate("20270601")), cutoff = try #require(GTFSDate("20260601"))
        let run = ExpiryRun(asOf: day, validDays: 365, lapsedBefore: cutoff,
                            expired: [RiderExpiry(rider: "R1", points: 5, balance: 0, entryID: 9)], alreadyExpired: ["R2"])
        let e = ExpiryDocument(run, policyVersion: "p")
        #expect(e.asOf == "2027-06-01" && e.lapsedBefore == "2026-06-01" && e.riders == 1 && e.points == 5)
        #expect(e.expired.first?.entry == 9 && e.alreadyExpired == ["R2"])
        #expect(try JSONDecoder().decode(ExpiryDocument.self, from: try JSONEncoder().encode(e)) == e)
    }
}
