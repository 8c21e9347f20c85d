import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport

// MARK: An independent calendar, for checking ServiceCalendar

/// A second implementation of the GTFS service rules, written from the spec and sharing no
/// code with `ServiceCalendar`: dates are parsed from their text and weekdays come from
/// Foundation's Gregorian calendar.
struct IndependentCalendar {
    struct Row { var flags: [Bool]; var start: String; var end: String }
    var rows: [String: [Row]] = [:]
    /// service → date text → exception types seen.
    var exceptions: [String: [String: Set<String>]] = [:]

    mutating func addCalendar(service: String, flags: [String], start: String, end: String) {
        rows[service, default: []].append(Row(flags: flags.map { $0 == "1" }, start: start, end: end))
    }

    mutating func addException(service: String, date: String, type: String) {
        exceptions[service, default: [:]][date, default: []].insert(type)
    }

    /// Monday = 0 … Sunday = 6 from Foundation, for a `YYYYMMDD` text.
    static func weekday(_ date: String) -> Int? {
        guard date.count == 8, let y = Int(date.prefix(4)), let m = Int(date.dropFirst(4).prefix(2)), let d = Int(date.suffix(2)) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let day = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return nil }
        let w = calendar.component(.weekday, from: day) // 1 = Sunday
        return (w + 5) % 7
    }

    func runs(_ service: String, on date: String) -> Bool {
        let types = exceptions[service]?[date] ?? []
        if types.contains("2") { return false }
        if types.contains("1") { return true }
        guard let w = IndependentCalendar.weekday(date) else { return false }
        return (rows[service] ?? []).contains { row in
            row.start.count == 8 && row.end.count == 8 && row.start <= date && date <= row.end
                && row.flags.count == 7 && row.flags[w]
        }
    }
}

/// Reads a CSV file of the sample feed by plain splitting on commas (the test checks first
/// that the file has no quotes, so no field holds a comma).
func plainCSV(_ path: String) throws -> [[String: String]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("\""), "\(path) has quotes: plain splitting would be wrong")
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
    return lines.dropFirst().filter { !$0.isEmpty }.map { line in
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var row: [String: String] = [:]
        for (i, name) in header.enumerated() { row[name] = i < cells.count ? cells[i] : "" }
        return row
    }
}

/// `HH:MM:SS` → seconds, written here independently.
func seconds(_ text: String) -> Int? {
    let p = text.split(separator: ":").compactMap { Int($0) }
    return p.count == 3 ? p[0] * 3600 + p[1] * 60 + p[2] : nil
}

/// The sample feed's raw calendar, trips and frequencies.
struct SampleRaw {
    var calendar = IndependentCalendar()
    var trips: [[String: String]] = []
    var frequencies: [[String: String]] = []

    init() throws {
        let folder = GraphFeeds.samplePath
        for r in try plainCSV(folder + "/calendar.txt") {
            let flags = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { r[$0] ?? "" }
            calendar.addCalendar(service: r["service_id"] ?? "", flags: flags, start: r["start_date"] ?? "", end: r["end_date"] ?? "")
        }
        for r in try plainCSV(folder + "/calendar_dates.txt") {
            calendar.addException(service: r["service_id"] ?? "", date: r["date"] ?? "", type: r["exception_type"] ?? "")
        }
        trips = try plainCSV(folder + "/trips.txt")
        frequencies = try plainCSV(folder + "/frequencies.txt")
    }

    func runningTripIDs(_ date: String) -> Set<String> {
        Set(trips.filter { calendar.runs($0["service_id"] ?? "", on: date) }.compactMap { $0["trip_id"] })
    }
}

/// The sample feed, loaded once.
let sampleFeed: Result<Feed, GTFSError> = Result { () throws(GTFSError) -> Feed in
    let folder = GraphFeeds.samplePath
    return try FeedReader.load(folder, options: ReadOptions(validate: false)).feed
}

// MARK: Tests

@Suite("Service days and departures")
struct ServiceTests {
    @Test("trips running on a weekday, Saturday, Sunday and holidays match an independent count from the CSV text",
          arguments: [
              ("20260310", "Tuesday", "WKD"),
              ("20260314", "Saturday", "SAT"),
              ("20260315", "Sunday", "SUN"),
              ("20261225", "Christmas, a Friday on Sunday service", "SUN"),
              ("20260119", "MLK Day, a Monday on Saturday service", "SAT"),
              ("20260704", "July 4, a Saturday on Sunday service", "SUN"),
          ])
    func sampleServiceDays(date: String, what: String, service: String) throws {
        let feed = try sampleFeed.get()
        let raw = try SampleRaw()
        let day = try #require(GTFSDate(date))
        let calendar = ServiceCalendar(feed: feed)
        let running = calendar.runningTrips(on: day)
        let tripIDs = feed.ids(.trip)
        let got = Set(running.map { tripIDs[Int($0)] })
        let expected = raw.runningTripIDs(date)
        #expect(got == expected, "\(what)")
        #expect(running.count == got.count, "no repeats")
        #expect(running == running.sorted(), "ascending")
        // And the one service that runs is the one the README's holiday table names.
        let byService = Set(raw.trips.filter { $0["service_id"] == service }.compactMap { $0["trip_id"] })
        #expect(expected == byService, "\(what) runs exactly \(service)")
        let serviceCode = try #require(feed.code(of: service, in: .service))
        #expect(calendar.isActive(service: serviceCode, on: day))
        let active = calendar.activeServices(on: day)
        #expect(active.count == feed.ids(.service).count)
        #expect(active.filter { $0 }.count == 1)
    }

    @Test("the weekday has the README's 2,040-trip mix: 1,035 bus trips plus 2 Riverline templates (RL-WKD-0-F, RL-WKD-1-F)")
    func weekdayCounts() throws {
        let feed = try sampleFeed.get()
        let running = ServiceCalendar(feed: feed).runningTrips(on: try #require(GTFSDate("20260310")))
        // README: WKD trips per route 194+154+106+88+216+114+90+73 = 1,035, plus 2 templates.
        #expect(running.count == 1035 + 2)
    }

    @Test("Riverline frequency windows expand to sum(ceil((end-start)/headway)) departures at start + k·headway")
    func riverlineExpansion() throws {
        let feed = try sampleFeed.get()
        let raw = try SampleRaw()
        let day = try #require(GTFSDate("20260310"))
        let runs = Departures.runs(feed: feed, calendar: ServiceCalendar(feed: feed), date: day)
        let tripIDs = feed.ids(.trip)
        // Expected starts per template from frequencies.txt, computed here.
        var expected: [String: [Int]] = [:]
        for f in raw.frequencies where f["trip_id"]?.hasPrefix("RL-WKD-") == true {
            let a = try #require(seconds(f["start_time"] ?? "")), b = try #require(seconds(f["end_time"] ?? ""))
            let h = try #require(Int(f["headway_secs"] ?? ""))
            let count = (b - a + h - 1) / h // ceil
            expected[f["trip_id"] ?? "", default: []] += (0..<count).map { a + $0 * h }
        }
        #expect(expected.count == 2)
        // 05-06 at 15 min: 4, 06-09 at 7.5: 24, 09-15 at 12: 30, 15-18:30 at 7.5: 28,
        // 18:30-21 at 15: 10, 21-24:30 at 20: ceil(10.5) = 11; 107 per direction.
        #expect(expected["RL-WKD-0-F"]?.count == 107)
        for (trip, starts) in expected {
            let mine = runs.filter { tripIDs[Int($0.trip)] == trip }
            #expect(mine.map { Int($0.start) } == starts.sorted(), "\(trip)")
            // The template's own first departure, shifted: offset = start - template start.
            let template = try #require(mine.first)
            #expect(mine.allSatisfy { $0.offset - template.offset == $0.start - template.start })
            #expect(Set(mine.map(\.runTime)).count == 1, "every run of a template takes the template's time")
        }
        // Non-frequency trips run once each.
        let plain = runs.filter { !tripIDs[Int($0.trip)].hasPrefix("RL-") }
        #expect(plain.count == 1035)
        #expect(plain.allSatisfy { $0.offset == 0 })
        #expect(runs.count == 1035 + 214)
        #expect(runs == runs.sorted { $0.start != $1.start ? $0.start < $1.start : $0.trip < $1.trip })
    }

    @Test("trips past midnight keep their times past 24:00 (trip ids carry HHMM of the first departure)")
    func pastMidnight() throws {
        let feed = try sampleFeed.get()
        let raw = try SampleRaw()
        let day = try #require(GTFSDate("20260310"))
        let runs = Departures.runs(feed: feed, calendar: ServiceCalendar(feed: feed), date: day)
        let tripIDs = feed.ids(.trip)
        let late = runs.filter { $0.start >= 86_400 && !tripIDs[Int($0.trip)].hasPrefix("RL-") }
        let expectedLate = raw.trips.filter {
            $0["service_id"] == "WKD" && $0["route_id"] != "RL" && (Int(($0["trip_id"] ?? "").suffix(4)) ?? 0) >= 2400
        }
        #expect(late.count == expectedLate.count)
        // README: "20 trips depart at or after 24:00:00": 10 on weekdays and 10 on Saturdays.
        #expect(late.count == 10)
        let latest = try #require(runs.map(\.end).max())
        #expect(latest == 90_300) // the latest arrival, 25:05:00
        let saturday = try #require(GTFSDate("20260314"))
        let saturdayRuns = Departures.runs(feed: feed, calendar: ServiceCalendar(feed: feed), date: saturday)
        #expect(saturdayRuns.filter { $0.start >= 86_400 && !tripIDs[Int($0.trip)].hasPrefix("RL-") }.count == 10)
    }

    @Test("a date outside the service range runs nothing, and nothing crashes")
    func outsideRange() throws {
        let feed = try sampleFeed.get()
        let calendar = ServiceCalendar(feed: feed)
        for text in ["20250101", "20270101", "99991231", "00010101"] {
            let day = try #require(GTFSDate(text))
            #expect(calendar.runningTrips(on: day).isEmpty)
            #expect(Departures.runs(feed: feed, calendar: calendar, date: day).isEmpty)
        }
        #expect(!calendar.isActive(service: -1, on: try #require(GTFSDate("20260310"))))
        #expect(!calendar.isActive(service: 9999, on: try #require(GTFSDate("20260310"))))
    }

    @Test("bad calendar data: invalid dates, unknown exception types, a trip without times and a zero headway are skipped, not fatal")
    func badCalendarData() throws {
        let scratch = try TemporaryFolder("network-bad")
        defer { scratch.remove() }
        let dir = scratch.url
        let files: [String: String] = [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://example.org,UTC\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,40.0,-93.0\nS2,Two,40.01,-93.0\n",
            "routes.txt": "route_id,route_short_name,route_type\nR,R,3\n",
            "trips.txt": """
                route_id,service_id,trip_id,direction_id
                R,GOOD,T1,
                R,BADDATE,T2,0
                R,ONLYDATES,T3,1
                R,GOOD,T4,0
                R,GOOD,F1,0
                R,,T5,0

                """,
            "stop_times.txt": """
                trip_id,arrival_time,departure_time,stop_id,stop_sequence
                T1,08:00:00,08:00:00,S1,1
                T1,08:10:00,08:10:00,S2,2
                T2,09:00:00,09:00:00,S1,1
                T2,09:10:00,09:10:00,S2,2
                T3,10:00:00,10:00:00,S1,1
                T3,10:10:00,10:10:00,S2,2
                T4,,,S1,1
                T4,,,S2,2
                F1,06:00:00,06:00:00,S1,1
                F1,06:20:00,06:20:00,S2,2
                T5,07:00:00,07:00:00,S1,1
                T5,07:20:00,07:20:00,S2,2

                """,
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                GOOD,1,1,1,1,1,1,1,20260101,20261231
                BADDATE,1,1,1,1,1,1,1,2026-01-01,20261231

                """,
            "calendar_dates.txt": """
                service_id,date,exception_type
                ONLYDATES,20260310,1
                ONLYDATES,20260311,3
                ONLYDATES,2026031,1
                GOOD,,2

                """,
            "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nF1,06:00:00,07:00:00,0\n",
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let feed = try FeedReader.load(dir.path, options: ReadOptions(validate: false)).feed
        let calendar = ServiceCalendar(feed: feed)
        let ids = feed.ids(.trip)
        let day = try #require(GTFSDate("20260310"))
        let running = Set(calendar.runningTrips(on: day).map { ids[Int($0)] })
        #expect(running == ["T1", "T3", "T4", "F1"])
        let next = Set(calendar.runningTrips(on: day.adding(days: 1)).map { ids[Int($0)] })
        #expect(next == ["T1", "T4", "F1"])
        let runs = Departures.runs(feed: feed, calendar: calendar, date: day)
        // T4 has no times (left out); F1's only window has headway 0, so it runs once as scheduled.
        #expect(runs.map { ids[Int($0.trip)] } == ["F1", "T1", "T3"])
        let summary = ServiceSummary(feed: feed, date: day, periods: try Period.parse(NetworkDefaults.periods))
        // T1 (08:00) has an empty direction_id: it counts as direction 0. T3 (10:00) is direction 1.
        #expect(summary.rows.contains { $0.direction == 0 && $0.period == "07:00-09:00" && $0.trips == 1 })
        #expect(summary.rows.contains { $0.direction == 1 && $0.period == "09:00-16:00" && $0.trips == 1 })
        #expect(summary.runsWithoutDirection == 1)
    }

    @Test("real feeds: trips per route on a date equal an independent count from trips.txt + calendar.txt + calendar_dates.txt",
          .enabled(if: GraphFeeds.runnable),
          arguments: [
              ("vilnius-2016", "20160301"),
              ("kaunas-2016", "20180601"),
              ("bart-2018", "20180528"), // Memorial Day: WKDY removed, SUN added
              ("bart-2018", "20180704"),
              ("sacramento-rt-2024", "20240704"), // weekday removed, Sunday service added
              ("sacramento-rt-2024", "20240710"),
              ("wmata-2026", "20260505"), // calendar_dates.txt only
              ("metro-north-2026", "20260901"), // calendar_dates.txt only
          ])
    func realFeedTripsPerRoute(name: String, date: String) throws {
        guard let feed = try GraphFeeds.shared(name) else { return }
        let day = try #require(GTFSDate(date))
        // Independent: the text of each cell, our own calendar rules, Foundation's weekdays.
        var independent = IndependentCalendar()
        if let c = feed.table("calendar.txt") {
            let names = ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date"]
            let columns = names.map { c.column($0) }
            for r in 0..<c.rowCount {
                let v = columns.map { $0?.text(row: r) ?? "" }
                independent.addCalendar(service: v[0], flags: Array(v[1...7]), start: v[8], end: v[9])
            }
        }
        if let d = feed.table("calendar_dates.txt") {
            let s = d.column("service_id"), t = d.column("date"), e = d.column("exception_type")
            for r in 0..<d.rowCount {
                independent.addException(service: s?.text(row: r) ?? "", date: t?.text(row: r) ?? "", type: e?.text(row: r) ?? "")
            }
        }
        let trips = try #require(feed.table("trips.txt"))
        let tripColumn = trips.column("trip_id"), routeColumn = trips.column("route_id"), serviceColumn = trips.column("service_id")
        var expected: [String: Set<String>] = [:]
        var seen = Set<String>()
        for r in 0..<trips.rowCount {
            let trip = tripColumn?.text(row: r) ?? ""
            guard !trip.isEmpty, seen.insert(trip).inserted else { continue }
            if independent.runs(serviceColumn?.text(row: r) ?? "", on: date) {
                expected[routeColumn?.text(row: r) ?? "", default: []].insert(trip)
            }
        }
        // The module.
        let running = ServiceCalendar(feed: feed).runningTrips(on: day)
        let view = feed.trips
        let routeIDs = feed.ids(.route)
        var routeOfTrip: [Int32: Int32] = [:]
        for r in 0..<view.count where routeOfTrip[view.id[r]] == nil { routeOfTrip[view.id[r]] = view.route[r] }
        var got: [String: Int] = [:]
        for t in running {
            let route = routeOfTrip[t].flatMap { $0 >= 0 ? routeIDs[Int($0)] : "" } ?? ""
            got[route, default: 0] += 1
        }
        let expectedCounts = expected.mapValues(\.count)
        #expect(expectedCounts.values.reduce(0, +) > 0, "\(name) runs something on \(date)")
        #expect(got == expectedCounts, "\(name) on \(date)")
    }
}
