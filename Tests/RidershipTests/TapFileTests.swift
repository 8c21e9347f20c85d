import Foundation
import GTFS
import Ridership
import Testing
import TestSupport

@Suite("Taps files: CSV, JSON Lines, rejections and tap times")
struct TapFileTests {
    /// 2026-03-10T00:00:00Z in seconds since the epoch (`date -u -d 2026-03-10 +%s`).
    static let march10: Int64 = 1_773_100_800

    /// Writes `text` to a fresh file and reads it back.
    static func read(_ text: String, name: String = "taps.csv") throws -> (taps: [Tap], rejections: [TapRejection]) {
        try read(bytes: Array(text.utf8), name: name)
    }

    static func read(bytes: [UInt8], name: String = "taps.csv") throws -> (taps: [Tap], rejections: [TapRejection]) {
        let folder = try TemporaryFolder("taps")
        defer { folder.remove() }
        let path = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var taps: [Tap] = [], rejections: [TapRejection] = []
        try TapFile.read(path: path) { item in
            switch item {
            case .success(let t): taps.append(t)
            case .failure(let r): rejections.append(r)
            }
        }
        return (taps, rejections)
    }

    @Test("CSV: BOM, CRLF, quoted fields, extra columns ignored, optional trip_id")
    func csv() throws {
        let text = "\u{FEFF}tap_id,card_id,tap_time,route_id,trip_id,stop_id,fare\r\n"
            + "t1,c1,2026-03-10T08:00:00Z,R1,,S1,2.50\r\n"
            + "\"t,2\",\"card \"\"q\"\"\",2026-03-10T08:00:00+01:00,R1,T1,\"S2\",\"1,75\"\r\n"
        let r = try Self.read(text)
        #expect(r.rejections.isEmpty, "\(r.rejections)")
        #expect(r.taps.count == 2)
        #expect(r.taps.first == Tap(tapID: "t1", cardID: "c1", epochSeconds: Self.march10 + 8 * 3600, routeID: "R1", tripID: nil,
                                    stopID: "S1", line: 2))
        #expect(r.taps.last == Tap(tapID: "t,2", cardID: "card \"q\"", epochSeconds: Self.march10 + 7 * 3600, routeID: "R1", tripID: "T1",
                                   stopID: "S2", line: 3))
    }

    @Test("CSV: stop_lat/stop_lon and lat/lon give a GPS position; the column order is free")
    func positions() throws {
        let aliases = try Self.read("stop_lon,stop_lat,tap_time,route_id,card_id,tap_id\n25.5,54.25,2026-03-10T08:00:00Z,R1,c1,t1\n")
        #expect(aliases.rejections.isEmpty)
        let t = try #require(aliases.taps.first)
        #expect(t.latitude == 54.25 && t.longitude == 25.5 && t.stopID == nil && t.tapID == "t1" && t.cardID == "c1")
        let plain = try Self.read("tap_id,card_id,tap_time,route_id,stop_id,lat,lon\nt1,c1,2026-03-10T08:00:00Z,R1,,-33.5,151.25\n")
        #expect(plain.taps.first?.latitude == -33.5 && plain.taps.first?.longitude == 151.25)
    }

    @Test("CSV: each bad line is rejected with its reason and line number; the other lines are read")
    func rejections() throws {
        let time = "2026-03-10T08:00:00Z"
        let lines = [
            "tap_id,card_id,tap_time,route_id,trip_id,stop_id,lat,lon",
            "ok1,c,\(time),R1,,S1,,",
            "t3,,\(time),R1,,S1,,",
            "t4,c,2026-03-10 08:00:00,R1,,S1,,",
            "t5,c,\(time),R1,,,abc,25",
            "t6,c,\(time),R1,,,95,25",
            "\(String(repeating: "x", count: 256)),c,\(time),R1,,S1,,",
            "\"t8,c,\(time),R1,,S1,,",
            "t9,c,\(time),R1,,S1,\(String(repeating: "y", count: 70_000)),",
            "t10,c,\(time),R1,,,,",
            "",
            "ok2,c,\(time),R1,,S1,,",
        ]
        let r = try Self.read(lines.joined(separator: "\n") + "\n")
        #expect(r.taps.map(\.tapID) == ["ok1", "ok2"])
        #expect(r.taps.map(\.line) == [2, 12])
        let got = r.rejections.map { "\($0.line) \($0.reason.rawValue)" }
        #expect(got == ["3 missing_field", "4 bad_time", "5 bad_position", "6 bad_position", "7 field_too_long", "8 bad_line",
                        "9 bad_line", "10 missing_field"])
        #expect(r.rejections.allSatisfy { !$0.detail.isEmpty })
        // 255 bytes is still accepted.
        let edge = try Self.read("tap_id,card_id,tap_time,route_id,stop_id\n\(String(repeating: "z", count: 255)),c,\(time),R1,S1\n")
        #expect(edge.taps.count == 1 && edge.rejections.isEmpty)
    }

    @Test("JSON Lines: keys, numbers as ids, position aliases, rejections")
    func jsonLines() throws {
        let lines = [
            #"{"tap_id":"j1","card_id":"c1","tap_time":"2026-03-10T08:00:00-05:00","route_id":"R1","trip_id":"T1","stop_id":"S1","extra":[1,2]}"#,
            #"{"tap_id":2,"card_id":"c2","tap_time":"2026-03-10T08:00:00Z","route_id":"R1","stop_lat":54.25,"stop_lon":25.5}"#,
            #"{"tap_id":"j3","card_id":"c3","tap_time":"2026-03-10T08:00:00Z","stop_id":"S1"}"#,
            #"{"tap_id":"j4","card_id":"c4","tap_time":"2026-03-10T08:00:00","route_id":"R1","stop_id":"S1"}"#,
            #"[1,2]"#,
            #"{"tap_id":"j6""#,
            #"{"tap_id":"j7","card_id":"c7","tap_time":"2026-03-10T08:00:00Z","route_id":"R1","lat":"north","lon":25}"#,
        ]
        let r = try Self.read(lines.joined(separator: "\r\n") + "\r\n", name: "taps.jsonl")
        #expect(r.taps.count == 2)
        #expect(r.taps.first == Tap(tapID: "j1", cardID: "c1", epochSeconds: Self.march10 + 13 * 3600, routeID: "R1", tripID: "T1",
                                    stopID: "S1", line: 1))
        let t = try #require(r.taps.last)
        #expect(t.tapID == "2" && t.latitude == 54.25 && t.longitude == 25.5 && t.stopID == nil && t.line == 2)
        #expect(r.rejections.map { "\($0.line) \($0.reason.rawValue)" } == ["3 missing_field", "4 bad_time", "5 bad_line", "6 bad_line", "7 bad_position"])
    }

    @Test("a header without a required column, or no file: tapsFileUnreadable")
    func unreadable() throws {
        for header in ["tap_id,card_id,tap_time,stop_id", "tap_id,card_id,tap_time,route_id,trip_id", "tap_id,card_id,tap_time,route_id,lat"] {
            #expect(throws: RidershipError.self, "\(header)") { _ = try Self.read(header + "\nt1,c1,2026-03-10T08:00:00Z,R1,S1\n") }
            do {
                _ = try Self.read(header + "\n")
                Issue.record("\(header): read without a required column")
            } catch let error as RidershipError {
                guard case .tapsFileUnreadable(_, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(!reason.isEmpty)
            }
        }
        let missing = TemporaryFolder.uniquePath("no-taps") + ".csv"
        do {
            try TapFile.read(path: missing) { _ in }
            Issue.record("a missing file was read")
        } catch {
            guard case .tapsFileUnreadable(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == missing)
        }
        // A file that opens but whose read fails (Linux's /proc/self/mem at offset 0: EIO) is
        // an error, not an empty taps file.
        let unreadable = "/proc/self/mem"
        if FileManager.default.fileExists(atPath: unreadable) {
            do {
                var seen = 0
                try TapFile.read(path: unreadable) { _ in seen += 1 }
                Issue.record("\(unreadable) was read as \(seen) taps")
            } catch {
                guard case .tapsFileUnreadable(let path, let reason) = error else { Issue.record("\(error)"); return }
                #expect(path == unreadable)
                #expect(reason.contains("reading failed after line 0"), "\(reason)")
            }
        }
    }

    @Test("parseTime: Z, ±hh:mm, ±hhmm, ±hh, fractions, a space for T; and what it refuses")
    func parseTime() {
        let eight = Self.march10 + 8 * 3600
        let good: [(String, Int64)] = [
            ("2026-03-10T08:00:00Z", eight),
            ("2026-03-10T08:00:00+01:00", eight - 3600),
            ("2026-03-10T08:00:00-0530", eight + 5 * 3600 + 1800),
            ("2026-03-10T08:00:00+02", eight - 7200),
            ("2026-03-10T08:00:00.123456Z", eight),
            ("2026-03-10T08:00:00,5-05:00", eight + 5 * 3600),
            ("2026-03-10 08:00:00Z", eight),
            ("2026-03-10T23:59:59+00:00", Self.march10 + 86_399),
            ("2024-02-29T00:00:00Z", 1_709_164_800),
            ("1970-01-01T00:00:00Z", 0),
        ]
        for (text, expected) in good {
            #expect(TapFile.parseTime(text.utf8) == expected, "\(text)")
        }
        let bad = [
            "2026-03-10T08:00:00", "2026-03-10T08:00:00+", "2026-03-10T08:00:00+1", "2026-03-10T08:00:00+01:0",
            "2026-13-10T08:00:00Z", "2026-02-30T08:00:00Z", "2025-02-29T08:00:00Z", "2026-03-10T24:00:00Z",
            "2026-03-10T08:60:00Z", "2026-03-10T08:00:00.Z", "2026-03-10T08:00:00Zjunk", "2026-03-10X08:00:00Z",
            "2026-3-10T08:00:00Z+0", "", "not a time at all, really",
        ]
        for text in bad {
            #expect(TapFile.parseTime(text.utf8) == nil, "\(text)")
        }
    }
}
