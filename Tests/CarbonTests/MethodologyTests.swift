import Carbon
import Crypto
import Foundation
import GTFS
import Testing

@Suite("methodology: factors, policy and the saving arithmetic")
struct MethodologyTests {
    @Test("the shipped factor set is UK DESNZ 2022 with the published values and a petrol-car baseline")
    func shippedFactors() throws {
        let set = try Fixture.factors()
        #expect(set.baseline == .carPetrol)
        #expect(set.baselineGramsPerKm == 170)
        let expected: [Mode: Int] = [.carPetrol: 170, .carDiesel: 171, .bus: 97, .rail: 35, .tram: 29, .metro: 28, .coach: 27, .walk: 0, .bike: 0]
        for (mode, g) in expected { #expect(set.factor(mode)?.gramsPerPassengerKm == g, "\(mode)") }
        #expect(set.factors.allSatisfy { $0.year == 2022 && !$0.source.isEmpty })
    }

    @Test("the embedded constants equal the data files (re-run scripts/embed-carbon-data after editing one)")
    func embeddedMatchesFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Carbon/Data")
        for name in ["factors-uk-desnz-2022.json", "policy-default.json"] {
            let file = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let set = name.hasPrefix("factors") ? try FactorSet.parse(file, file: name) : nil
            if let set { #expect(set == (try Fixture.factors())) }
            let policy = name.hasPrefix("policy") ? try Policy.parse(file, file: name) : nil
            if let policy { #expect(policy == (try Fixture.policy())) }
        }
    }

    @Test("10 km by bus instead of a petrol car saves (170 − 97) × 10 = 730 g")
    func busTenKilometres() throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        let leg = try Fixture.priced(pricer, Fixture.trip("e1", mode: "bus", metres: 10_000))
        #expect(leg.grams == 730)
        #expect(leg.gramsUncapped == 730)
        #expect(leg.savingMilligramsPerKm == 73_000)
        #expect(leg.distanceSource == .reported)
    }

    @Test("savings per mode from the published factors", arguments: [
        ("metro", 5_000.0, 710), ("tram", 3_000.0, 423), ("rail", 20_000.0, 2700), ("bike", 4_000.0, 680), ("walk", 2_000.0, 340),
    ])
    func perMode(mode: String, metres: Double, grams: Int) throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy(perTrip: 100_000))
        let minutes = mode == "walk" ? 25 : 15
        #expect(try Fixture.priced(pricer, Fixture.trip("e", mode: mode, metres: metres, minutes: minutes)).grams == grams)
    }

    @Test("grams are rounded down: 1,999 m by bus is 145.927 g, credited as 145")
    func roundsDown() throws {
        #expect(Pricer.grams(savingMilligramsPerKm: 73_000, metres: 1_999) == 145)
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        #expect(try Fixture.priced(pricer, Fixture.trip("e", mode: "bus", metres: 1_999.9, minutes: 10)).grams == 145)
        #expect(Pricer.grams(savingMilligramsPerKm: 0, metres: 10_000) == 0)
    }

    @Test("points are grams ÷ grams-per-point rounded down per entry")
    func points() throws {
        let dir = try Fixture.folder()
        let ledger = try SQLiteLedger(path: dir + "/l.db")
        let policy = try Fixture.policy(gramsPerPoint: 100)
        let pricer = Pricer(factors: try Fixture.factors(), policy: policy)
        let leg = try Fixture.priced(pricer, Fixture.trip("e", mode: "bus", metres: 10_000))
        #expect(try ledger.credit([leg], policy: policy, methodologyVersion: "m") == [.credited(grams: 730, points: 7, capped: false)])
    }

    @Test("a saving is never negative: a mode dirtier than the baseline earns 0")
    func neverNegative() throws {
        let set = try FactorSet.parse("""
            {"id": "t", "version": "t1", "title": "t", "unit": "g/pkm", "year": 2022, "source": "test", "baseline": "car_electric",
             "detour_factor_permille": 1300, "factors": [{"mode": "car_electric", "grams_per_passenger_km": 47, "year": 2022, "source": "t"},
             {"mode": "bus", "grams_per_passenger_km": 97, "year": 2022, "source": "t"}]}
            """, file: "t.json")
        let pricer = Pricer(factors: set, policy: try Fixture.policy())
        #expect(try Fixture.priced(pricer, Fixture.trip("e", mode: "bus", metres: 10_000)).grams == 0)
    }

    @Test("the per-trip cap limits one trip")
    func perTripCap() throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy(perTrip: 500))
        let leg = try Fixture.priced(pricer, Fixture.trip("e", mode: "bus", metres: 10_000))
        #expect(leg.grams == 500)
        #expect(leg.gramsUncapped == 730)
    }

    @Test("minimum distances per mode reject short trips", arguments: [("walk", 499.0, false), ("walk", 500.0, true), ("bike", 999.0, false), ("bus", 300.0, true)])
    func minimumDistance(mode: String, metres: Double, accepted: Bool) throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        let result = pricer.price(Fixture.trip("e", mode: mode, metres: metres, minutes: 5))
        switch result {
        case .success: #expect(accepted)
        case .failure(let r): #expect(!accepted); #expect(r.reason == .belowMinimumDistance)
        }
    }

    @Test("mode rules: cars earn nothing, unknown modes and implausible speeds are rejected, synonyms are accepted")
    func modeRules() throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        func reason(_ r: TripRecord) -> RejectionReason? {
            if case .failure(let x) = pricer.price(r) { return x.reason }
            return nil
        }
        #expect(reason(Fixture.trip("a", mode: "car_petrol", metres: 5000)) == .notGreen)
        #expect(reason(Fixture.trip("b", mode: "hoverboard", metres: 5000)) == .unknownMode)
        #expect(reason(Fixture.trip("c", mode: "walk", metres: 5000, minutes: 10)) == .implausibleSpeed) // 30 km/h on foot
        #expect(reason(Fixture.trip("d", mode: "bike", metres: 30_000, minutes: 20)) == .implausibleSpeed) // 90 km/h
        #expect(reason(Fixture.trip("e", mode: "cycling", metres: 5_000, minutes: 20)) == nil)
        var noDistance = Fixture.trip("f", mode: "bike", metres: 1)
        noDistance.distanceMetres = nil
        #expect(reason(noDistance) == .noDistance)
        var backwards = Fixture.trip("g", mode: "bike", metres: 5000)
        backwards.end = backwards.start
        #expect(reason(backwards) == .endBeforeStart)
        var transit = Fixture.trip("h", mode: "bus", metres: 5000)
        transit.tripID = "T1"
        #expect(reason(transit) == .noFeed)
    }

    @Test("start and end coordinates give great-circle × the detour factor (1.3)")
    func coordinates() throws {
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy())
        var r = Fixture.trip("e", mode: "bike", metres: 0, minutes: 20)
        r.distanceMetres = nil
        r.origin = Coordinate(latitude: 51.5, longitude: -0.1)
        r.destination = Coordinate(latitude: 51.53, longitude: -0.1) // 3,335.8 m north
        let leg = try Fixture.priced(pricer, r)
        #expect(leg.distanceSource == .greatCircleDetour)
        let o = try #require(r.origin), d = try #require(r.destination)
        #expect(leg.metres == Int(o.metres(to: d) * 1.3))
        #expect((4330...4340).contains(leg.metres))
    }

    @Test("OTP per-route factors: grams per vehicle-km ÷ occupancy override the mode factor")
    func routeFactors() throws {
        let rf = try RouteFactors.parse("route_id,avg_co2_per_vehicle_per_km,avg_passenger_count\nR1,1000,20\nR2,90,1.5\n", file: "e.csv")
        #expect(rf.milligramsPerPassengerKm["R1"] == 50_000)
        #expect(rf.milligramsPerPassengerKm["R2"] == 60_000)
        #expect(throws: CarbonError.self) { try RouteFactors.parse("route_id,avg_co2_per_vehicle_per_km,avg_passenger_count\nR1,x,2\n", file: "e.csv") }
        #expect(throws: CarbonError.self) { try RouteFactors.parse("route_id,avg_co2_per_vehicle_per_km,avg_passenger_count\nR1,100,0\n", file: "e.csv") }
    }

    @Test("policy errors name the field and value")
    func policyErrors() throws {
        do {
            _ = try Policy.parse(#"{"version": "x", "grams_per_point": 0, "schedule_tolerance_seconds": 1, "min_distance_metres": {}, "caps": {"per_trip_grams": 1, "per_rider_day_grams": 1, "per_mode_day_grams": {}}, "speed_kmh": {}}"#, file: "p.json")
            Issue.record("accepted grams_per_point 0")
        } catch {
            #expect(error.code == .policyInvalid)
            #expect(error.description.contains("grams_per_point"))
            #expect(error.description.contains("p.json"))
        }
        #expect(throws: CarbonError.self) { try Policy.parse(#"{"version": "x"}"#, file: "p.json") }
    }

    @Test("an error that wraps another keeps it, and prints the same text with its code")
    func underlyingError() throws {
        do {
            _ = try Policy.parse(#"{"version": "x"}"#, file: "p.json")
            Issue.record("accepted a policy without its fields")
        } catch {
            #expect(error.code == .policyInvalid)
            #expect(error.underlying is DecodingError)
            #expect(error.description.hasPrefix("p.json: not a policy: missing field"))
            #expect(error.description.hasSuffix(" [policy_invalid]"))
        }
        do {
            _ = try SQLiteLedger(path: "/nonexistent-folder/ledger.db")
            Issue.record("opened a ledger in a folder that does not exist")
        } catch {
            #expect(error.code == .ledgerOpen)
            #expect(error.underlying != nil)
            #expect(error.message.contains("\(try #require(error.underlying))"))
        }
    }
}

@Suite("support: hashing and times")
struct SupportTests {
    /// Lower-case hex of a digest.
    func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// HMAC-SHA256 through swift-crypto, which the pseudonyms use.
    func hmac(key: [UInt8], message: [UInt8]) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
    }

    @Test("SHA-256 and HMAC-SHA256 match the published test vectors")
    func vectors() {
        #expect(hex(SHA256.hash(data: Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash(data: [UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.hash(data: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // RFC 4231 test case 2.
        #expect(hex(hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("RFC 4231 HMAC-SHA256 vectors (keys shorter than, and longer than, a block)")
    func rfc4231() {
        // Test case 1: a 20-byte key.
        #expect(hex(hmac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 6: a 131-byte key, hashed first.
        #expect(hex(hmac(key: [UInt8](repeating: 0xaa, count: 131),
                         message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// Pinned with the hand-written SHA-256 the ledger was filled with before swift-crypto: a
    /// ledger stores pseudonyms and content hashes, so these must never change.
    @Test("pseudonyms and content hashes are the values ledgers already store")
    func pinnedLedgerValues() throws {
        let p = try Pseudonymizer(secret: Array("0123456789abcdef".utf8))
        #expect(p.pseudonym("R1") == "p_e558ef155f5fa68d74b4dbf1a695bfea")
        let q = try Pseudonymizer(secret: Array("s3cret-of-at-least-16".utf8))
        #expect(q.pseudonym("rider-42") == "p_0b4988db060fd57623d2f8dabfbd0c65")
        var r = TripRecord(line: 2, eventID: "e1", source: "afc", riderID: "R1")
        r.modeText = "bus"
        r.tripID = "T1"
        r.boardStopID = "S1"
        r.boardSequence = 1
        r.alightStopID = "S3"
        r.alightSequence = 3
        r.serviceDate = GTFSDate(yyyymmdd: 20240506)
        r.distanceMetres = 1234.5
        #expect(r.contentHash == "8ede0934390cd6f1dba7d5ff540e6660")
        #expect(TripRecord(line: 1, eventID: "x", source: "app", riderID: "").contentHash == "c077368fe401a47f2c1cf7777afb55cc")
    }

    @Test("pseudonyms are stable per secret, differ across secrets, and refuse short secrets")
    func pseudonyms() throws {
        let a = try Pseudonymizer(secret: Array("0123456789abcdef".utf8)), b = try Pseudonymizer(secret: Array("fedcba9876543210".utf8))
        #expect(a.pseudonym("R1") == a.pseudonym("R1"))
        #expect(a.pseudonym("R1") != b.pseudonym("R1"))
        #expect(a.pseudonym("R1").hasPrefix("p_") && a.pseudonym("R1").count == 34)
        #expect(throws: CarbonError.self) { try Pseudonymizer(secret: Array("short".utf8)) }
    }

    @Test("ISO 8601 with offsets", arguments: [
        ("2024-05-06T07:00:00+08:00", Int64(1_714_950_000)), ("2024-05-05T23:00:00Z", Int64(1_714_950_000)),
        ("2024-05-06T07:00:00.250+0800", Int64(1_714_950_000)), ("2024-05-05T18:00:00-05:00", Int64(1_714_950_000)),
    ])
    func isoTimes(text: String, epoch: Int64) {
        #expect(Timestamp.parseISO8601(text)?.epochSeconds == epoch)
    }

    @Test("times without an offset or with bad fields are refused", arguments: ["2024-05-06T07:00:00", "2024-13-06T07:00:00Z", "2024-05-06 25:00:00Z", "yesterday", "2024-05-06T07:00:00+8"])
    func badTimes(text: String) {
        #expect(Timestamp.parseISO8601(text) == nil)
    }

    @Test("the local date is the date in the written offset")
    func localDate() {
        #expect(Timestamp.parseISO8601("2024-05-06T01:00:00+08:00")?.localDate.yyyymmdd == 20240506)
        #expect(Timestamp.parseISO8601("2024-05-05T23:30:00-05:00")?.localDate.yyyymmdd == 20240505)
    }
}
