import Carbon
import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing
import TestSupport

/// A sample file lacks a column the tests read.
enum SampleFailure: Error { case missingColumn(String) }

/// The sample feed loaded once, with its stop distances and its measured occupancy.
enum SampleOccupancy {
    struct Loaded: Sendable {
        let feed: Feed
        let distances: ShapeDistances
        let measured: MeasuredOccupancy
        let legs: FeedLegs
    }

    static let loaded: Loaded? = {
        guard let legs = try? FeedLegs(path: SharedData.samplePath),
              let input = try? RidershipInput.load(feed: legs.feed),
              let measured = try? MeasuredOccupancy.measure(input: input, distances: legs.distances) else { return nil }
        return Loaded(feed: legs.feed, distances: legs.distances, measured: measured, legs: legs)
    }()

    /// Passenger-km and vehicle-km per route computed here from the raw rows of
    /// `board_alight.txt` (plain text splitting) and the stops' distances along the shapes:
    /// per trip and date, the load leaving each stop of `stop_times.txt` is the running sum
    /// of boardings − alightings (uncounted stops change nothing).
    static func independent(feed: Feed, distances: ShapeDistances) throws -> [String: (pkm: Double, vkm: Double, trips: Int)] {
        func rows(_ file: String) throws -> (header: [String], rows: [[String]]) {
            let text = try String(contentsOfFile: SharedData.samplePath + "/" + file, encoding: .utf8)
            let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (header, lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
        }
        let trips = try rows("trips.txt")
        let tTrip = try #require(trips.header.firstIndex(of: "trip_id")), tRoute = try #require(trips.header.firstIndex(of: "route_id"))
        var routeOf: [String: String] = [:]
        for r in trips.rows { routeOf[r[tTrip]] = r[tRoute] }

        let counts = try rows("board_alight.txt")
        func column(_ name: String) throws -> Int {
            guard let k = counts.header.firstIndex(of: name) else { throw SampleFailure.missingColumn(name) }
            return k
        }
        let cTrip = try column("trip_id"), cSeq = try column("stop_sequence"), cDate = try column("service_date")
        let cB = try column("boardings"), cA = try column("alightings"), cUse = try column("record_use")
        struct Key: Hashable { var trip: String; var date: String }
        var grouped: [Key: [(seq: Int32, b: Int, a: Int)]] = [:]
        for r in counts.rows where r[cUse] != "1" {
            grouped[Key(trip: r[cTrip], date: r[cDate]), default: []].append((Int32(r[cSeq]) ?? -1, Int(r[cB]) ?? 0, Int(r[cA]) ?? 0))
        }

        let tripCode = feed.codeMap(.trip)
        let sequence = feed.stopTimes.sequence
        var out: [String: (pkm: Double, vkm: Double, trips: Int)] = [:]
        for (key, counted) in grouped {
            let trip = try #require(tripCode[key.trip])
            let route = try #require(routeOf[key.trip])
            let stRows = feed.stopTimeIndex.rows(ofTrip: trip)
            let seqs = stRows.map { sequence[Int($0)] }
            let metres = Array(distances.metres(ofTrip: trip))
            try #require(metres.count == seqs.count)
            var delta = [Int](repeating: 0, count: seqs.count)
            for c in counted {
                let i = try #require(seqs.firstIndex(of: c.seq))
                delta[i] += c.b - c.a
            }
            var load = 0, pkm = 0.0
            for i in 0..<(seqs.count - 1) {
                load = max(0, load + delta[i])
                pkm += Double(load) * (metres[i + 1] - metres[i]) / 1000
            }
            let vkm = ((metres.last ?? 0) - (metres.first ?? 0)) / 1000
            let old = out[route] ?? (0, 0, 0)
            out[route] = (old.pkm + pkm, old.vkm + vkm, old.trips + 1)
        }
        return out
    }

    /// A factor set like the shipped one but with `bus` per vehicle-km.
    static func vehicleKmSet(grams: Int = 1150, occupancy: Double = 11.9) throws -> FactorSet {
        try FactorSet.parse("""
            {"id": "test-vkm", "version": "test-vkm.1", "title": "test", "unit": "g CO2e per passenger-km", "year": 2022,
             "source": "test", "baseline": "car_petrol", "detour_factor_permille": 1300,
             "factors": [
               {"mode": "car_petrol", "grams_per_passenger_km": 170, "year": 2022, "source": "t"},
               {"mode": "bus", "grams_per_vehicle_km": \(grams), "occupancy": \(occupancy), "year": 2022, "source": "t"},
               {"mode": "tram", "grams_per_passenger_km": 29, "year": 2022, "source": "t"}
             ]}
            """, file: "test-vkm.json")
    }

    /// `grams × 1000 ÷ occupancy` rounded to the nearest milligram, computed here.
    static func milligrams(_ grams: Double, _ occupancy: Double) -> Int { Int((grams * 1000 / occupancy).rounded()) }
}

@Suite("Occupancy measured from ridership", .serialized)
struct OccupancyTests {
    @Test("sample feed: each route's occupancy equals passenger-km ÷ vehicle-km computed from the raw board_alight.txt rows")
    func matchesRawRows() throws {
        let s = try #require(SampleOccupancy.loaded)
        let expected = try SampleOccupancy.independent(feed: s.feed, distances: s.distances)
        #expect(s.measured.source == "feed")
        #expect(Set(s.measured.routes.map(\.routeID)) == Set(expected.keys))
        #expect(s.measured.routes.count == 8, "the eight bus routes are counted, the light rail is not")
        for r in s.measured.routes {
            let e = try #require(expected[r.routeID])
            #expect(r.mode == .bus)
            #expect(r.observedTrips == e.trips)
            #expect(abs(r.passengerKm - e.pkm) <= 1e-9 * e.pkm, "route \(r.routeID)")
            #expect(abs(r.vehicleKm - e.vkm) <= 1e-9 * e.vkm, "route \(r.routeID)")
            let occupancy = try #require(r.occupancy)
            #expect(abs(occupancy - e.pkm / e.vkm) <= 1e-9 * occupancy, "route \(r.routeID)")
            #expect(occupancy > 1 && occupancy < 100)
        }
    }

    @Test("a route without passenger-km has no usable occupancy")
    func unusable() {
        #expect(RouteOccupancy(routeID: "x", mode: .bus, passengerKm: 0, vehicleKm: 10, observedTrips: 1).occupancy == nil)
        #expect(RouteOccupancy(routeID: "x", mode: .bus, passengerKm: 5, vehicleKm: 0, observedTrips: 1).occupancy == nil)
        #expect(RouteOccupancy(routeID: "x", mode: .bus, passengerKm: 30, vehicleKm: 12, observedTrips: 2).occupancy == 2.5)
    }

    @Test("a leg on a counted route is priced with its vehicle-km factor ÷ the measured occupancy, to the gram")
    func legWithDerivedFactor() throws {
        let s = try #require(SampleOccupancy.loaded)
        let expected = try SampleOccupancy.independent(feed: s.feed, distances: s.distances)
        let pricer = Pricer(factors: try SampleOccupancy.vehicleKmSet(), policy: try Fixture.policy(),
                            occupancy: s.measured, feed: s.legs.context)
        #expect(pricer.methodologyVersion == "test-vkm.1+measured-occupancy")
        let routeOfTrip = Dictionary(zip(s.feed.trips.id, s.feed.trips.route), uniquingKeysWith: { a, _ in a })
        let routeIDs = s.feed.ids(.route), tripCode = s.feed.codeMap(.trip)
        var checked = 0
        for leg in s.legs.legs(count: 40) where leg.mode == .bus {
            let tripID = try #require(leg.record.tripID)
            let trip = try #require(tripCode[tripID])
            let route = routeIDs[Int(try #require(routeOfTrip[trip]))]
            let e = try #require(expected[route])
            let mg = SampleOccupancy.milligrams(1150, e.pkm / e.vkm)
            let priced = try Fixture.priced(pricer, leg.record)
            #expect(priced.factorSource == .measuredOccupancy)
            #expect(priced.factorMilligramsPerKm == mg)
            #expect(priced.savingMilligramsPerKm == 170_000 - mg)
            #expect(priced.metres == leg.expectedMetres)
            #expect(priced.gramsUncapped == (170_000 - mg) * leg.expectedMetres / 1_000_000)
            checked += 1
        }
        #expect(checked >= 5)
        // One worked by hand: route 1's occupancy, 10 km.
        let occupancy1 = try #require(expected["1"]).pkm / (try #require(expected["1"])).vkm
        let mg1 = try #require(pricer.table.resolve(routeID: "1", mode: .bus)).milligramsPerPassengerKm
        #expect(mg1 == SampleOccupancy.milligrams(1150, occupancy1))
        #expect(Pricer.grams(savingMilligramsPerKm: 170_000 - mg1, metres: 10_000) == (170_000 - mg1) / 100)
    }

    @Test("without counts for a route, a vehicle-km factor uses its stated occupancy; a per-passenger-km factor ignores the counts")
    func fallbacks() throws {
        let s = try #require(SampleOccupancy.loaded)
        let set = try SampleOccupancy.vehicleKmSet()
        let table = RouteFactorTable(factors: set, occupancy: s.measured)
        // A bus route with no counts: 1150 g ÷ 11.9 = 96,638.66 mg → 96,639 mg.
        let stated = try #require(table.factor(routeID: "no-such-route", mode: .bus))
        #expect(stated.source == .modeStatedOccupancy)
        #expect(stated.milligramsPerPassengerKm == 96_639)
        // Tram is per passenger-km in the set.
        #expect(table.factor(routeID: "9", mode: .tram)?.source == .mode)
        #expect(table.factor(routeID: "9", mode: .tram)?.milligramsPerPassengerKm == 29_000)
        // The shipped set gives bus per passenger-km: measured routes keep 97 g.
        let shipped = RouteFactorTable(factors: try Fixture.factors(), occupancy: s.measured)
        for r in shipped.measuredRoutes {
            #expect(r.source == .mode)
            #expect(r.milligramsPerPassengerKm == 97_000)
            #expect(r.measured != nil)
        }
        // An OTP factor for a counted route is divided by the measured occupancy, not its own.
        let otp = try RouteFactors.parse("route_id,avg_co2_per_vehicle_per_km,avg_passenger_count\n1,1000,20\nX9,900,10\n", file: "otp.csv")
        let withOTP = RouteFactorTable(factors: try Fixture.factors(), routeFactors: otp, occupancy: s.measured)
        let occupancy1 = try #require(s.measured.route("1")?.occupancy)
        #expect(withOTP.factor(routeID: "1", mode: .bus)?.source == .measuredOccupancy)
        #expect(withOTP.factor(routeID: "1", mode: .bus)?.milligramsPerPassengerKm == SampleOccupancy.milligrams(1000, occupancy1))
        #expect(withOTP.factor(routeID: "X9", mode: .bus)?.source == .routeFactors)
        #expect(withOTP.factor(routeID: "X9", mode: .bus)?.milligramsPerPassengerKm == 90_000)
        // Without measured occupancy the OTP occupancy is used.
        let plain = RouteFactorTable(factors: try Fixture.factors(), routeFactors: otp)
        #expect(plain.factor(routeID: "1", mode: .bus)?.milligramsPerPassengerKm == 50_000)
        #expect(plain.factor(routeID: "1", mode: .bus)?.source == .routeFactors)
    }

    @Test("the shipped set prices bus legs as before, with the mode as factor source")
    func shippedUnchanged() throws {
        let s = try #require(SampleOccupancy.loaded)
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy(), occupancy: s.measured, feed: s.legs.context)
        for leg in s.legs.legs(count: 10) where leg.mode == .bus {
            let priced = try Fixture.priced(pricer, leg.record)
            #expect(priced.factorSource == .mode)
            #expect(priced.gramsUncapped == 73 * leg.expectedMetres / 1000)
        }
    }
}

@Suite("Factors per vehicle-km")
struct VehicleKmFactorTests {
    static func set(_ busFactor: String) -> String {
        """
        {"id": "t", "version": "t.1", "title": "t", "unit": "u", "year": 2022, "source": "s", "baseline": "car_petrol",
         "detour_factor_permille": 1300,
         "factors": [
           {"mode": "car_petrol", "grams_per_passenger_km": 170, "year": 2022, "source": "s"},
           {"mode": "bus", \(busFactor), "year": 2022, "source": "s"}
         ]}
        """
    }

    @Test("grams per vehicle-km with an occupancy parse into milligrams per passenger-km")
    func parses() throws {
        let set = try FactorSet.parse(Self.set(#""grams_per_vehicle_km": 1000, "occupancy": 8"#), file: "f.json")
        let bus = try #require(set.factor(.bus))
        #expect(bus.isPerVehicleKm)
        #expect(bus.gramsPerVehicleKm == 1000)
        #expect(bus.occupancy == 8)
        #expect(bus.milligramsPerPassengerKm == 125_000)
        #expect(bus.gramsPerPassengerKm == 125)
        // 1000 ÷ 3 = 333.333… g → 333,333 mg, nothing lost to whole grams.
        let third = try FactorSet.parse(Self.set(#""grams_per_vehicle_km": 1000, "occupancy": 3"#), file: "f.json")
        #expect(third.factor(.bus)?.milligramsPerPassengerKm == 333_333)
        // A leg: (170,000 − 333,333) < 0 saves nothing; a 10 km leg at 125 g saves 450 g.
        let pricer = Pricer(factors: set, policy: try Fixture.policy())
        let leg = try Fixture.priced(pricer, Fixture.trip("e", mode: "bus", metres: 10_000))
        #expect(leg.grams == 450)
        #expect(leg.factorSource == .modeStatedOccupancy)
        // The form round-trips through JSON.
        let again = try JSONDecoder().decode(FactorSet.self, from: JSONEncoder().encode(set))
        #expect(again == set)
    }

    @Test("the shipped set is still valid and all per passenger-km")
    func shipped() throws {
        let set = try Fixture.factors()
        #expect(set.factors.allSatisfy { !$0.isPerVehicleKm && $0.milligramsPerPassengerKm == $0.gramsPerPassengerKm * 1000 })
        #expect(set.baselineMilligramsPerKm == 170_000)
    }

    @Test("bad forms are rejected with the field, the value and what to do", arguments: [
        (#""grams_per_passenger_km": 90, "grams_per_vehicle_km": 1000, "occupancy": 8"#, "exactly one form"),
        (#""grams_per_passenger_km": 90, "occupancy": 8"#, "exactly one form"),
        (#""grams_per_vehicle_km": 1000"#, "needs occupancy"),
        (#""occupancy": 8"#, "without grams_per_vehicle_km"),
        (#""year_note": 1"#, "has no factor"),
        (#""grams_per_vehicle_km": 1000, "occupancy": 0"#, "occupancy is 0.0"),
        (#""grams_per_vehicle_km": 1000, "occupancy": -2.5"#, "occupancy is -2.5"),
        (#""grams_per_vehicle_km": -1, "occupancy": 8"#, "grams_per_vehicle_km is -1"),
        (#""grams_per_passenger_km": -3"#, "grams_per_passenger_km is -3"),
    ])
    func rejects(form: String, words: String) throws {
        do {
            _ = try FactorSet.parse(Self.set(form), file: "bad.json")
            Issue.record("accepted \(form)")
        } catch {
            #expect(error.code == .factorsInvalid)
            #expect(error.file == "bad.json")
            #expect(error.message.contains(words), "\(error.message)")
            #expect(error.message.contains("factors.1"), "\(error.message)")
            #expect(error.message.contains("'bus'"), "\(error.message)")
        }
    }

    @Test("a factor-set file that cannot be read says so")
    func unreadable() throws {
        #expect(throws: CarbonError.self) { try FactorSet.load(path: "/nonexistent/factors.json") }
        let path = try Fixture.write(Self.set(#""grams_per_vehicle_km": 1000, "occupancy": 8"#), name: "set.json")
        #expect(try FactorSet.load(path: path).factor(.bus)?.milligramsPerPassengerKm == 125_000)
    }
}
