import Carbon
import Foundation
import GTFS
import Testing
import TestSupport

/// Field and line limits of trip logs, request batches and the ledger: a record beyond a limit
/// is rejected with its reason code and the rest of the input is still read. Large inputs are
/// built at run time.
@Suite("limits: 255-byte fields, 64 KiB lines, in logs, batches and the ledger")
struct LimitTests {
    static let header = "event_id,source,rider_id,mode,start_time,end_time,distance_m"

    static func row(_ event: String, rider: String = "R1") -> String {
        "\(event),app,\(rider),walk,2026-01-06T13:44:47+02:00,2026-01-06T13:52:36+02:00,626"
    }

    static func reasons(_ items: [LogItem]) -> [String] {
        items.map { item in
            switch item {
            case .record(let r): "ok:\(r.eventID.prefix(8))"
            case .rejected(let r): "\(r.reason.rawValue):\(r.field ?? "-")"
            }
        }
    }

    @Test("a CSV log whose event id is 3 MiB: that line is rejected line_too_long naming event_id, the next is read")
    func multiMegabyteEventID() throws {
        let folder = try TemporaryFolder("carbon-limits")
        defer { folder.remove() }
        let path = folder.file("log.csv")
        var bytes = Array((Self.header + "\n").utf8)
        bytes += [UInt8](repeating: 0x65, count: 3 << 20)
        bytes += Array((Self.row("") + "\n" + Self.row("e2") + "\n").utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let items = try Fixture.read(path)
        #expect(Self.reasons(items) == ["line_too_long:event_id", "ok:e2"])
        guard case .rejected(let r) = items.first else { return }
        #expect(r.line == 2)
        #expect(r.detail.contains("\((3 << 20) + Self.row("").utf8.count) bytes") && r.detail.contains("65536"), "\(r.detail)")
        #expect(r.isMalformed)
        guard case .record(let next) = items.last else { return }
        #expect(next.line == 3)
    }

    @Test("256-byte identifiers are rejected field_too_long with the field and its length; 255 bytes are fine")
    func fieldLimit() throws {
        let long = String(repeating: "x", count: 256)
        let limit = String(repeating: "y", count: 255)
        let accented = String(repeating: "é", count: 128) // 256 bytes of UTF-8, 128 characters
        let path = try Fixture.write("""
            \(Self.header)
            \(Self.row(long))
            \(Self.row("e2", rider: long))
            \(Self.row(limit, rider: limit))
            \(Self.row("e4", rider: accented))
            \(Self.row("e5"))
            """, name: "fields.csv")
        let items = try Fixture.read(path)
        #expect(Self.reasons(items) == ["field_too_long:event_id", "field_too_long:rider_id", "ok:yyyyyyyy", "field_too_long:rider_id", "ok:e5"])
        guard case .rejected(let r) = items[1] else { return }
        #expect(r.eventID == "e2" && r.detail.contains("256 bytes") && r.detail.contains("255"))
    }

    @Test("JSON Lines: a long source, trip id or stop id is field_too_long; a 1 MiB line is line_too_long")
    func jsonLines() throws {
        let long = String(repeating: "s", count: 300)
        func line(_ fields: String) -> String {
            #"{"event_id":"j","rider_id":"R1","mode":"bus","start_time":"2026-01-06T13:44:47+02:00","end_time":"2026-01-06T13:52:36+02:00",\#(fields)}"#
        }
        let huge = #"{"event_id":"\#(String(repeating: "h", count: 1 << 20))","rider_id":"R1"}"#
        let path = try Fixture.write([
            line(#""source":"\#(long)","distance_m":100"#),
            line(#""trip_id":"\#(long)","board_stop_id":"a","alight_stop_id":"b""#),
            line(#""trip_id":"t","board_stop_id":"\#(long)","alight_stop_id":"b""#),
            huge,
            line(#""distance_m":100"#),
        ].joined(separator: "\n"), name: "log.jsonl")
        #expect(Self.reasons(try Fixture.read(path)) == ["field_too_long:source", "field_too_long:trip_id", "field_too_long:board_stop_id", "line_too_long:-", "ok:j"])
    }

    @Test("GTFS-ride: a long trip id, or a derived event id over 255 bytes, is field_too_long")
    func gtfsRide() throws {
        let header = "rider_id,agency_id,trip_id,boarding_stop_id,boarding_stop_sequence,alighting_stop_id,alighting_stop_sequence,service_date,boarding_time,alighting_time"
        let long = String(repeating: "t", count: 256)
        let half = String(repeating: "h", count: 150)
        let path = try Fixture.write("""
            \(header)
            R1,A,\(long),S1,1,S2,2,20260106,07:00:00,07:10:00
            R1,\(half),\(half),S1,1,S2,2,20260106,07:00:00,07:10:00
            R1,A,T1,S1,1,S2,2,20260106,07:00:00,07:10:00
            """, name: "rider_trip.txt")
        #expect(Self.reasons(try Fixture.read(path, format: .gtfsRide)) == ["field_too_long:trip_id", "field_too_long:event_id", "ok:A:T1:202"])
    }

    @Test("a request batch with a 256-byte event id: that trip is malformed field_too_long")
    func batch() throws {
        let body = #"{"trips":[{"event_id":"\#(String(repeating: "b", count: 256))","rider_id":"R1","distance_m":5},{"event_id":"ok","rider_id":"R1","distance_m":5}]}"#
        let items = try TripBatch.decode(json: Array(body.utf8), defaultSource: "api", maxTrips: 10, pseudonymizer: nil)
        #expect(Self.reasons(items) == ["field_too_long:event_id", "ok:ok"])
        guard case .rejected(let r) = items.first else { return }
        #expect(r.isMalformed)
        let lines = Array((String(repeating: " ", count: 70_000) + "x\n" + #"{"event_id":"n","rider_id":"R1"}"#).utf8)
        #expect(Self.reasons(try TripBatch.decode(jsonLines: lines, defaultSource: "api", maxTrips: 10, pseudonymizer: nil)) == ["line_too_long:-", "ok:n"])
    }

    @Test("the ledger refuses identifiers over 255 bytes with field_too_long and writes nothing", arguments: Backend.all)
    func ledger(_ backend: Backend) throws {
        let policy = try Fixture.policy()
        let pricer = Pricer(factors: try Fixture.factors(), policy: policy)
        let ledger = try backend.fresh("limits")
        let long = String(repeating: "z", count: 256)
        let legs = [try Fixture.priced(pricer, Fixture.trip("fine", mode: "bus", metres: 5000)),
                    try Fixture.priced(pricer, Fixture.trip(long, mode: "bus", metres: 5000))]
        func code(_ body: () throws -> Void) -> CarbonError.Code? {
            do { try body() } catch let e as CarbonError { return e.code } catch { return nil }
            return nil
        }
        #expect(code { _ = try ledger.credit(legs, policy: policy, methodologyVersion: "m") } == .fieldTooLong)
        #expect(try ledger.entries().isEmpty)
        _ = try ledger.credit([legs[0]], policy: policy, methodologyVersion: "m")
        #expect(code { _ = try ledger.redeem(rider: "R1", points: 1, reference: long) } == .fieldTooLong)
        #expect(code { _ = try ledger.redeem(rider: long, points: 1, reference: "r") } == .fieldTooLong)
        #expect(code { _ = try ledger.reversal(eventID: long, source: nil, reason: "x") } == .fieldTooLong)
        #expect(code { _ = try ledger.recordConsent(rider: long, sources: ["app"], modes: nil, recordedBy: "t") } == .fieldTooLong)
        #expect(try ledger.entries().count == 1)
        #expect(LedgerRules.maxIdentifierBytes == TripLogReader.maxFieldBytes)
    }
}
