import Carbon
import Foundation
import GTFS
import Testing

@Suite("trip logs: CSV, JSON Lines and GTFS-ride, malformed lines")
struct TripLogTests {
    static let header = "event_id,source,rider_id,mode,start_time,end_time,trip_id,board_stop_id,board_stop_sequence,alight_stop_id,alight_stop_sequence,service_date,distance_m,o_lat,o_lon,d_lat,d_lon"

    @Test("a CSV log reads GTFS fields, reported distances and coordinates")
    func csvFields() throws {
        let path = try Fixture.write("""
            \(Self.header)
            e1,afc,R1,bus,2026-03-10T07:00:00-05:00,2026-03-10T07:20:00-05:00,T1,S1,3,S9,9,20260310,,,,,
            e2,app,R2,bike,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,4210,,,,
            e3,app,"R,3",walk,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,,38.9,-94.6,38.91,-94.6
            """, name: "log.csv")
        let items = try Fixture.read(path)
        #expect(items.count == 3)
        guard case .record(let a) = items[0], case .record(let b) = items[1], case .record(let c) = items[2] else {
            Issue.record("expected three records: \(items)")
            return
        }
        #expect(a.tripID == "T1" && a.boardSequence == 3 && a.alightStopID == "S9" && a.serviceDate?.yyyymmdd == 20260310 && a.line == 2)
        #expect(b.distanceMetres == 4210 && b.source == "app" && b.line == 3)
        #expect(c.riderID == "R,3" && c.origin == Coordinate(latitude: 38.9, longitude: -94.6))
    }

    @Test("malformed lines give line-numbered reasons and never stop the rest of the log")
    func malformedCSV() throws {
        let path = try Fixture.write("""
            \(Self.header)
            e1,app,R1,bike,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,4210,,,,
            e2,app,R1,bike,2026-03-10 8am,2026-03-10T08:20:00-05:00,,,,,,,4210,,,,
            e3,app,R1,bike,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,far,,,,
            e4,app,R1,bike
            e5,app,R1,bus,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,T1,S1,x,S2,,,,,,,
            ,app,R1,bike,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,4210,,,,

            e7,app,R1,bike,2026-03-10T09:00:00-05:00,2026-03-10T09:20:00-05:00,,,,,,,4210,,,,
            """, name: "bad.csv")
        let items = try Fixture.read(path)
        var rejected: [Int: RejectionReason] = [:]
        var lines: [Int] = []
        for item in items {
            switch item {
            case .record(let r): lines.append(r.line)
            case .rejected(let r): rejected[r.line] = r.reason
            }
        }
        #expect(lines == [2, 9])
        #expect(rejected == [3: .badTime, 4: .wrongType, 5: .badCSV, 6: .wrongType, 7: .missingField])
    }

    @Test("JSON Lines: numbers or strings, truncated lines, wrong types, each with its line")
    func jsonLines() throws {
        let path = try Fixture.write("""
            {"event_id":"e1","source":"app_gps","rider_ref":"R1","mode":"bike","start_time":"2024-05-01T18:02:00+08:00","end_time":"2024-05-01T18:20:30+08:00","distance_m":4210}
            {"event_id":"e2","source":"afc","rider_id":"R1","mode":"metro","start_time":"2024-05-01T08:12:09+08:00","end_time":"2024-05-01T08:41:55+08:00","trip_id":"L1","board_stop_id":"S101","board_stop_seq":3,"alight_stop_id":"S115","alight_stop_seq":17}
            {"event_id":"e3","source":"app","rider_id":"R1","mode":"bike","start_time":"2024-05-01T18:02:00+08:00","end_ti
            {"event_id":"e4","source":"app","rider_id":"R1","mode":"bike","start_time":1714557720,"end_time":"2024-05-01T18:20:30+08:00","distance_m":4210}
            {"event_id":"e5","source":"app","rider_id":"R1","mode":"bike","start_time":"2024-05-01T18:02:00+08:00","end_time":"2024-05-01T18:20:30+08:00","distance_m":"4 km"}
            [1, 2]
            {"event_id":"e7","source":"app","rider_id":["R1"],"mode":"bike"}
            """, name: "log.jsonl")
        let items = try Fixture.read(path)
        #expect(items.count == 7)
        if case .record(let r) = items[0] { #expect(r.distanceMetres == 4210 && r.riderID == "R1" && r.source == "app_gps") } else { Issue.record("line 1") }
        if case .record(let r) = items[1] { #expect(r.boardSequence == 3 && r.alightSequence == 17) } else { Issue.record("line 2") }
        let reasons = items.compactMap { item -> String? in
            if case .rejected(let r) = item { return "\(r.line):\(r.reason.rawValue)" }
            return nil
        }
        #expect(reasons == ["3:bad_json", "4:wrong_type", "5:wrong_type", "6:bad_json", "7:wrong_type"])
    }

    @Test("GTFS-ride rider_trip.txt: service-day times, a derived event id, typographic quotes and no final newline")
    func gtfsRide() throws {
        let path = try Fixture.write("""
            rider_id,agency_id,trip_id,boarding_stop_id,boarding_stop_sequence,alighting_stop_id,alighting_stop_sequence,service_date,boarding_time,alighting_time,rider_type,rider_type_description
            R01162,RVT,5-WKD-0-0500,TC-B,11,S1174,20,20260310,05:13:51,05:25:51,0,”General”
            R01163,RVT,5-WKD-0-0500,TC-B,11,S1174,20,20260310,25:13:51,5am,0,General
            """, name: "rider_trip.txt")
        var reader = try TripLogReader(path: path)
        #expect(reader.format == .gtfsRide)
        guard case .record(let r)? = reader.next() else { Issue.record("no record"); return }
        #expect(r.eventID == "RVT:5-WKD-0-0500:20260310:11:05:13:51:R01162")
        #expect(r.source == "gtfs-ride" && r.boardServiceSeconds == 5 * 3600 + 13 * 60 + 51 && r.alightSequence == 20)
        guard case .rejected(let bad)? = reader.next() else { Issue.record("no rejection"); return }
        #expect(bad.line == 3 && bad.reason == .badTime && bad.detail.contains("alighting_time"))
        #expect(reader.next() == nil)
    }

    @Test("a CSV without the required columns is refused at the header, naming the column")
    func header() throws {
        let path = try Fixture.write("source,rider_id\napp,R1\n", name: "h.csv")
        do {
            let reader = try TripLogReader(path: path)
            Issue.record("accepted \(reader.format)")
            Issue.record("accepted a header without event_id")
        } catch {
            #expect(error.code == .logHeader && error.line == 1 && error.message.contains("event_id"))
        }
        #expect(throws: CarbonError.self) { _ = try TripLogReader(path: "/nonexistent/log.csv").format }
        // A path that opens but cannot be read (a folder: EISDIR) is log_unreadable, not an
        // empty log.
        let folder = FileManager.default.temporaryDirectory.path
        do {
            let reader = try TripLogReader(path: folder)
            Issue.record("a folder read as a \(reader.format) log")
        } catch {
            #expect(error.code == .logUnreadable && error.line == 1, "\(error)")
        }
        // As JSON Lines nothing is read at the start: the lines end, and readFailure says why.
        var lines = try TripLogReader(path: folder, format: .jsonLines)
        #expect(lines.next() == nil)
        #expect(lines.readFailure?.code == .logUnreadable)
        #expect(lines.readFailure?.message.contains("failed after line 0") == true)
    }

    @Test("pseudonymization replaces the rider id as the line is read")
    func pseudonymized() throws {
        let path = try Fixture.write("\(Self.header)\ne1,app,R1,bike,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,4210,,,,\n", name: "p.csv")
        let p = try Pseudonymizer(secret: Array("a-secret-of-16-bytes".utf8))
        var reader = try TripLogReader(path: path, pseudonymizer: p)
        guard case .record(let r)? = reader.next() else { Issue.record("no record"); return }
        #expect(r.riderID == p.pseudonym("R1") && r.riderID != "R1")
    }

    @Test("a long log is read line by line with long lines across chunk boundaries")
    func longLog() throws {
        var text = Self.header + "\n"
        for i in 0..<30_000 {
            text += "e\(i),app,R\(i % 97)\(String(repeating: "x", count: i % 50)),bike,2026-03-10T08:00:00-05:00,2026-03-10T08:20:00-05:00,,,,,,,4210,,,,\n"
        }
        let path = try Fixture.write(text, name: "long.csv")
        var reader = try TripLogReader(path: path)
        var n = 0, last = 0
        while let item = reader.next() {
            guard case .record(let r) = item else { Issue.record("rejected: \(item)"); return }
            #expect(r.eventID == "e\(n)")
            n += 1
            last = r.line
        }
        #expect(n == 30_000 && last == 30_001)
    }
}
