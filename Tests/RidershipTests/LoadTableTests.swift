import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing

@Suite("Load table CSV")
struct LoadTableTests {
    static func parse(_ text: String, bom: Bool = false) throws -> LoadTable {
        let loaded = try LineFeed.load()
        var bytes = Array(text.utf8)
        if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        return LoadTable(bytes: bytes, file: "loads.csv", periods: try LineFeed.parsedPeriods(), feed: loaded.feed)
    }

    @Test("columns in any order, quoted fields, CRLF and a byte-order mark")
    func goodTable() throws {
        let text = "period,max_load,\"route_id\",direction_id,boardings,passenger_km\r\n"
            + "\"07:00-09:00\",612,R1,0,1480,5210.5\r\n"
            + "09:00-16:00,\"40\",R1,1,1.5e2,\r\n"
            + "\r\n"
            + "07:00-09:00,20.25,RF,0,31,\r\n"
        let t = try Self.parse(text, bom: true)
        #expect(t.issues.isEmpty, "\(t.issues.map(\.description))")
        #expect(!t.hasErrors)
        #expect(t.demand.count == 3)
        let first = try #require(t.demand.first)
        #expect(first.routeID == "R1")
        #expect(first.direction == 0)
        #expect(first.periodIndex == 0)
        #expect(first.period == "07:00-09:00")
        #expect(first.boardings == 1480)
        #expect(first.maxLoad == 612)
        #expect(first.passengerKm == 5210.5)
        #expect(first.observedTrips == 0)
        #expect(t.demand[1].periodIndex == 1)
        #expect(t.demand[1].boardings == 150)
        #expect(t.demand[1].passengerKm == nil)
        #expect(t.demand[2].routeID == "RF")
        #expect(t.demand[2].maxLoad == 20.25)
    }

    @Test("a quoted field may hold commas, quotes and line breaks; lines still count physical lines")
    func quoting() throws {
        let text = "route_id,direction_id,period,boardings,max_load,note\n"
            + "R1,0,07:00-09:00,10,5,\"a, \"\"b\"\"\nc\"\n"
            + "R9,0,07:00-09:00,10,5,x\n"
        let t = try Self.parse(text)
        // The unknown column is a warning; R9 (line 4, after the two-line record) an error.
        #expect(t.issues.map(\.code) == [RidershipIssue.Code.unknownColumn, RidershipIssue.Code.unknownRoute])
        #expect(t.issues[0].severity == .warning)
        #expect(t.issues[0].field == "note")
        #expect(t.issues[1].line == 4)
        #expect(t.demand.count == 1)
    }

    @Test("each defect has its line and field", arguments: [
        ("R9,0,07:00-09:00,10,5", RidershipIssue.Code.unknownRoute, "route_id", "R9"),
        ("R1,2,07:00-09:00,10,5", RidershipIssue.Code.invalidNumber, "direction_id", "2"),
        ("R1,0,07:00-08:00,10,5", RidershipIssue.Code.unknownPeriod, "period", "07:00-08:00"),
        ("R1,0,7:00-9:00,10,5", RidershipIssue.Code.unknownPeriod, "period", "7:00-9:00"),
        ("R1,0,07:00-09:00,-1,5", RidershipIssue.Code.invalidNumber, "boardings", "-1"),
        ("R1,0,07:00-09:00,10,nan", RidershipIssue.Code.invalidNumber, "max_load", "nan"),
        ("R1,0,07:00-09:00,10,inf", RidershipIssue.Code.invalidNumber, "max_load", "inf"),
        // Found beside fuzzing (issue 17): a finite but huge max_load reached Int(…) in the plan checker.
        ("R1,0,07:00-09:00,10,1e300", RidershipIssue.Code.invalidNumber, "max_load", "1e300"),
        ("R1,0,07:00-09:00,10000000000000,5", RidershipIssue.Code.invalidNumber, "boardings", "10000000000000"),
        ("R1,0,07:00-09:00,ten,5", RidershipIssue.Code.invalidNumber, "boardings", "ten"),
        ("R1,0,07:00-09:00,,5", RidershipIssue.Code.missingValue, "boardings", ""),
        (",0,07:00-09:00,10,5", RidershipIssue.Code.missingValue, "route_id", ""),
    ])
    func defects(row: String, code: String, field: String, value: String) throws {
        let t = try Self.parse("route_id,direction_id,period,boardings,max_load\nR1,1,07:00-09:00,3,2\n" + row + "\n")
        #expect(t.issues.count == 1, "\(t.issues.map(\.description))")
        let issue = try #require(t.issues.first)
        #expect(issue.code == code)
        #expect(issue.severity == .error)
        #expect(issue.file == "loads.csv")
        #expect(issue.line == 3)
        #expect(issue.field == field)
        #expect(issue.value == value)
        #expect(t.hasErrors)
        #expect(t.demand.count == 1, "the defective row is skipped, the good one kept")
    }

    @Test("duplicate (route, direction, period) is an error naming the first line")
    func duplicate() throws {
        let t = try Self.parse("route_id,direction_id,period,boardings,max_load\nR1,0,07:00-09:00,10,5\nR1,0,07:00-09:00,11,6\n")
        #expect(t.issues.map(\.code) == [RidershipIssue.Code.duplicateRow])
        #expect(t.issues.first?.line == 3)
        #expect(t.issues.first?.message.contains("line 2") == true)
        #expect(t.demand.map(\.boardings) == [10])
    }

    @Test("a missing required column stops the table; a ragged row is skipped")
    func structure() throws {
        let missing = try Self.parse("route_id,direction_id,period,boardings\nR1,0,07:00-09:00,10\n")
        #expect(missing.issues.map(\.code) == [RidershipIssue.Code.missingColumn])
        #expect(missing.issues.first?.field == "max_load")
        #expect(missing.issues.first?.line == 1)
        #expect(missing.demand.isEmpty)

        let ragged = try Self.parse("route_id,direction_id,period,boardings,max_load\nR1,0,07:00-09:00,10\nR1,1,07:00-09:00,10,4\n")
        #expect(ragged.issues.map(\.code) == [RidershipIssue.Code.wrongFieldCount])
        #expect(ragged.issues.first?.line == 2)
        #expect(ragged.demand.count == 1)

        let empty = try Self.parse("")
        #expect(empty.issues.map(\.code) == [RidershipIssue.Code.emptyFile])

        let unclosed = try Self.parse("route_id,direction_id,period,boardings,max_load\nR1,0,\"07:00-09:00,10,5\n")
        #expect(unclosed.issues.contains { $0.code == RidershipIssue.Code.csvSyntax && $0.line == 2 })
        #expect(unclosed.hasErrors)
    }

    @Test("read from a path: route lengths filled in; a missing path is a typed error")
    func readPath() throws {
        let loaded = try LineFeed.load()
        let feed = loaded.feed
        let patterns = RoutePatterns(feed: feed)
        let lengths = RouteLengths(feed: feed, patterns: patterns, distances: ShapeDistances(feed: feed, patterns: patterns),
                                   directions: TripDirections(feed: feed, patterns: patterns))
        let path = try LineFeed.writeFile("loads.csv", "route_id,direction_id,period,boardings,max_load,passenger_km\nR1,1,09:00-16:00,10,5,20\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try LoadTable.read(path, periods: LineFeed.parsedPeriods(), feed: feed, lengths: lengths)
        #expect(t.issues.isEmpty)
        #expect(t.demand.first?.routeKm == 4)
        #expect(t.demand.first?.averageLoad == 5)
        #expect(t.issues.allSatisfy { $0.file == path })

        let periods = try LineFeed.parsedPeriods()
        #expect(throws: RidershipError.self) {
            try LoadTable.read("/nonexistent/loads.csv", periods: periods, feed: feed)
        }
        do {
            _ = try LoadTable.read(FileManager.default.temporaryDirectory.path, periods: periods, feed: feed)
            Issue.record("a folder must not read as a load table")
        } catch {
            guard case .loadTableUnreadable(_, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(reason.contains("folder"))
        }
    }
}
