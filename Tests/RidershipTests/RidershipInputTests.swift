import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing

@Suite("Ridership input: counts inside the feed or in a file of their own")
struct RidershipInputTests {
    @Test("a separate file is parsed and checked like a feed's file, and linked to the feed's identifiers")
    func separateFile() throws {
        let loaded = try LineFeed.load()
        let feed = loaded.feed
        // CRLF line ends and a byte-order mark; an unknown trip and an out-of-range value.
        let text = "\u{FEFF}trip_id,stop_id,stop_sequence,record_use,boardings,alightings\r\n"
            + "T1,S1,1,0,4,0\r\n"
            + "TX,S1,1,0,1,0\r\n"
            + "T1,S2,2,7,0,4\r\n"
        let path = try LineFeed.writeFile("counts.csv", text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try FeedReader.loadTable(path, as: "board_alight.txt", into: feed)
        let table = try #require(read.feed.table("board_alight.txt"))
        #expect(table.rowCount == 3)
        #expect(table.line(of: 2) == 4)
        let trips = try #require(table.strings("trip_id"))
        // T1 keeps the feed's code; TX gets a new one after the declared trips.
        #expect(trips.codes[0] == feed.code(of: "T1", in: .trip))
        #expect(Int(trips.codes[1]) >= read.feed.definedCount(.trip))
        #expect(trips[1] == "TX")
        #expect(read.feed.definedCount(.trip) == feed.definedCount(.trip))
        let codes = read.report.findings.map { "\($0.code)@\($0.line ?? 0):\($0.field ?? "")" }
        #expect(codes.contains("foreign_key_violation@3:trip_id"))
        #expect(codes.contains("unexpected_enum_value@4:record_use")) // an enumeration: a value it does not list
        #expect(read.report.findings.allSatisfy { $0.file == "board_alight.txt" })
        // The rest of the feed is untouched.
        #expect(read.feed.table("stop_times.txt") == feed.table("stop_times.txt"))
    }

    @Test("a file name outside the schema, or a missing file, is a GTFS error")
    func badNames() throws {
        let feed = try LineFeed.load().feed
        let path = try LineFeed.writeFile("x.txt", "a,b\n1,2\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GTFSError.self) { try FeedReader.loadTable(path, as: "loads.txt", into: feed) }
        #expect(throws: GTFSError.notFound(path: "/nonexistent/ba.txt")) {
            try FeedReader.loadTable("/nonexistent/ba.txt", as: "board_alight.txt", into: feed)
        }
    }

    @Test("the feed's findings about its ridership files become issues; a path replaces the feed's file")
    func issuesAndReplacement() throws {
        let bad = LineFeed.cleanCounts.replacingOccurrences(of: "T3,S1,4,0,0,1,0,1,20260310", with: "T3,S1,4,0,0,one,0,1,20260310")
        let loaded = try LineFeed.load(["board_alight.txt": bad])
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)
        #expect(input.boardAlightSource == "feed")
        #expect(input.issues.map(\.code) == ["invalid_integer"])
        #expect(input.issues.first?.line == 17)
        #expect(input.issues.first?.value == "one")

        let path = try LineFeed.writeFile("ba.txt", "trip_id,stop_id,stop_sequence,record_use,boardings,alightings,service_date\nT3,S4,1,0,2,0,20260312\nT3,S1,4,0,0,2,20260312\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let replaced = try RidershipInput.load(feed: loaded.feed, report: loaded.report, boardAlightPath: path)
        // The feed's defective file is not read at all, nor its findings carried.
        #expect(replaced.issues.isEmpty)
        #expect(replaced.boardAlight?.rowCount == 2)
        let a = try RidershipAnalysis(input: replaced, periods: LineFeed.parsedPeriods())
        #expect(a.summary.dates.map(\.yyyymmdd) == [20260312])
        #expect(a.demand.map(\.routeID) == ["R1"])
        #expect(a.demand.first?.maxLoad == 2)
        #expect(a.issues.isEmpty)
    }

    @Test("capacities: blank service_date wins over dated rows, the most common value per route, defects reported")
    func capacities() throws {
        let capacity = """
            agency_id,trip_id,service_date,seated_capacity,standing_capacity
            A,T1,,40,30
            A,T1,20260310,20,10
            A,T2,20260310,40,30
            A,T3,,30,20
            A,TX,,40,30
            A,,,40,30
            A,TF,,,
            A,TF,20260311,100,
            """
        let loaded = try LineFeed.load(["trip_capacity.txt": capacity + "\n"])
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)
        let caps = VehicleCapacities(input: input)
        // R1: T1 70 (its all-dates row), T2 70 (its dated row), T3 50 → 70 on 2 of 3 trips.
        let r1 = try #require(caps.routes.first { $0.routeID == "R1" })
        #expect(r1.capacity == 70)
        #expect(r1.trips == 3)
        #expect(r1.tripsWithCapacity == 2)
        #expect(r1.distinctValues == 2)
        // RF: TF's only usable row gives 100 seated, standing empty read as 0.
        #expect(caps.capacity(ofRoute: "RF") == 100)
        let found = caps.issues.map { "\($0.code)@\($0.line ?? 0)" }
        #expect(found.contains("unknown_trip@6"))
        #expect(found.contains("unusable_capacity@7"))
        #expect(found.contains("unusable_capacity@8"))
        #expect(found.contains("missing_count@9"))
        #expect(found.contains("mixed_capacity@0"))
        #expect(caps.byRouteID == ["R1": 70, "RF": 100])

        // A tie goes to the smaller vehicle.
        let tie = try LineFeed.load(["trip_capacity.txt": "trip_id,seated_capacity,standing_capacity\nT1,40,30\nT3,30,20\n"])
        #expect(VehicleCapacities(input: try RidershipInput.load(feed: tie.feed)).capacity(ofRoute: "R1") == 50)
    }
}
