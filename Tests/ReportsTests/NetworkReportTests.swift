import Charts
import Foundation
import GTFS
@testable import Reports
import Testing
import TestSupport
import TransitNetwork

/// The network report (`transit network report FEED --date … --out …`) and the route lines of
/// its map (``RouteLines``): on a small hand-made feed, on the sample and on real shared feeds
/// (Vilnius 2016, WMATA 2026, Renfe 2022), the page is well-formed, self-contained, has its
/// three figures, stays under the size limit and renders cleanly in a browser; the spans,
/// departures and lines agree with independent counts.
@Suite("NetworkReport", .serialized)
struct NetworkReportTests {
    // MARK: - Fixtures

    /// A tiny feed for the route lines: R1 has a shape used by two trips (its points listed
    /// out of order), two trips without shape along the same stops (one stop without a position
    /// of its own but in a station, one with neither), and a Sunday trip on another shape; R2's
    /// trips name a shape that `shapes.txt` lacks; R3 has no trip.
    static let tinyFeed: [String: String] = [
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Tiny,https://example.org,UTC\n",
        "stops.txt": """
            stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
            ST,Station,50.0,4.0,1,
            P1,Platform,,,0,ST
            S2,Two,50.01,4.01,0,
            S3,Three,50.02,4.02,0,
            S4,Nowhere,,,0,

            """,
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A,1,One,3\nR2,A,2,Two,3\nR3,A,3,Idle,3\n",
        "trips.txt": """
            route_id,service_id,trip_id,shape_id,direction_id
            R1,WK,T1,SH1,0
            R1,WK,T2,SH1,0
            R1,WK,T3,,1
            R1,WK,T4,,1
            R1,SUN,T5,SH2,0
            R2,WK,T6,SHX,0
            R2,WK,T7,SHX,0

            """,
        "calendar.txt": """
            service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
            WK,1,1,1,1,1,0,0,20260101,20261231
            SUN,0,0,0,0,0,0,1,20260101,20261231

            """,
        "stop_times.txt": """
            trip_id,arrival_time,departure_time,stop_id,stop_sequence
            T1,08:00:00,08:00:00,P1,1
            T1,08:05:00,08:05:00,S2,2
            T1,08:10:00,08:10:00,S3,3
            T2,09:00:00,09:00:00,P1,1
            T2,09:05:00,09:05:00,S2,2
            T2,09:10:00,09:10:00,S3,3
            T3,08:20:00,08:20:00,S3,1
            T3,08:25:00,08:25:00,S2,2
            T3,08:30:00,08:30:00,P1,3
            T3,08:35:00,08:35:00,S4,4
            T4,09:20:00,09:20:00,S3,1
            T4,09:25:00,09:25:00,S2,2
            T4,09:30:00,09:30:00,P1,3
            T4,09:35:00,09:35:00,S4,4
            T5,10:00:00,10:00:00,P1,1
            T5,10:05:00,10:05:00,S2,2
            T6,07:00:00,07:00:00,S2,1
            T6,07:06:00,07:06:00,S3,2
            T7,07:30:00,07:30:00,S2,1
            T7,07:36:00,07:36:00,S3,2

            """,
        "shapes.txt": """
            shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence
            SH1,50.02,4.02,3
            SH1,50.0,4.0,1
            SH1,50.01,4.015,2
            SH2,50.0,4.0,1
            SH2,50.01,4.01,2

            """,
    ]

    /// The tiny feed written to a temporary folder and loaded.
    static func tiny() throws -> Feed {
        let folder = try TemporaryFolder("network-report-tiny")
        defer { folder.remove() }
        for (name, text) in tinyFeed {
            try text.replacingOccurrences(of: "\n            ", with: "\n").write(toFile: folder.file(name), atomically: true, encoding: .utf8)
        }
        return try FeedReader.load(folder.path, options: ReadOptions(validate: false)).feed
    }

    /// The shared feed `name`, or nil (recording an issue under CI) when absent.
    static func sharedFeed(_ name: String) -> String? {
        guard let path = SharedData.feedPath(name), FileManager.default.fileExists(atPath: path) else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return nil
        }
        return path
    }

    /// Runs `body` on a thread of its own (loading a large feed, or waiting on a child process,
    /// must not hold a thread of Swift concurrency's pool).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try body() }) }.start()
        }
        return try result.get()
    }

    /// The report of the feed at `path` on `date` with the default periods.
    static func report(_ path: String, date: String, routes: [String] = []) async throws -> (NetworkReport, Feed) {
        try await onThread {
            let feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
            let day = try #require(GTFSDate(date))
            let options = NetworkReport.Options(periods: try Period.parse(NetworkDefaults.periods), routes: routes,
                                                source: (path as NSString).lastPathComponent)
            return (NetworkReport(feed: feed, date: day, options: options), feed)
        }
    }

    /// The checks every network page passes: parses, loads nothing, has its three figures
    /// (and no other `<svg>`), stays under the limit, and renders in Chromium without console
    /// messages and not blank. Returns the page.
    @discardableResult
    static func check(_ report: NetworkReport, name: String) async throws -> String {
        let html = report.rendered()
        #expect(HTMLChecks.problems(html).isEmpty, "\(name): \(HTMLChecks.problems(html))")
        #expect(HTMLChecks.externalReferences(html).isEmpty, "\(name): \(HTMLChecks.externalReferences(html).prefix(5))")
        #expect(html.utf8.count < ReportLimits.maximumBytes, "\(name): \(html.utf8.count) bytes")
        let maps = 1 + report.mapPeriods(busiestMapBytes: report.mapSVG(period: nil).utf8.count).count
        #expect(HTMLChecks.svgCount(html) == report.figureCount && report.figureCount == maps + NetworkReport.chartCount,
                "\(name): \(HTMLChecks.svgCount(html)) <svg>")
        #expect(figures(html, titled: "Frequency map, ") == maps, "\(name) maps")
        #expect(figures(html, titled: "Trips under way over the day") == 1, "\(name) trips under way")
        #expect(figures(html, titled: "Span of service") == 1, "\(name) span chart")
        let folder = SharedData.packageRoot.appendingPathComponent(".build/report-screens")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("network-\(name).html").path
        try html.write(toFile: file, atomically: true, encoding: .utf8)
        if let outcome = try await Browser.check(htmlPath: file, name: "network-\(name)") {
            #expect(outcome.consoleErrors.isEmpty, "\(name): \(outcome.consoleErrors)")
            #expect(!outcome.isBlank, "\(name): blank screenshot \(outcome.pngPath)")
        }
        return html
    }

    /// The figures of a page, by the start of their title.
    static func figures(_ html: String, titled prefix: String) -> Int {
        html.components(separatedBy: "class=\"chart\"><title>\(prefix)").count - 1
    }

    /// How often `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Per route code, the first departure and last arrival of the trips that run on `date`,
    /// and their count, read straight from the stop-time columns (for a feed without
    /// frequencies.txt).
    static func spans(_ feed: Feed, date: GTFSDate) -> [Int32: (first: Int32, last: Int32, trips: Int)] {
        let running = ServiceCalendar(feed: feed).runningTrips(on: date)
        let trips = feed.trips, st = feed.stopTimes
        var routeOfTrip: [Int32: Int32] = [:]
        for row in 0..<trips.count where routeOfTrip[trips.id[row]] == nil { routeOfTrip[trips.id[row]] = trips.route[row] }
        var out: [Int32: (first: Int32, last: Int32, trips: Int)] = [:]
        for t in running {
            guard let route = routeOfTrip[t] else { continue }
            // The departure (else arrival) at the first stop with a time; the arrival (else
            // departure) at the last one.
            let timed = feed.stopTimeIndex.rows(ofTrip: t).map(Int.init).filter { st.arrival[$0] >= 0 || st.departure[$0] >= 0 }
            guard let a = timed.first, let b = timed.last else { continue }
            let first = st.departure[a] >= 0 ? st.departure[a] : st.arrival[a]
            let last = max(first, st.arrival[b] >= 0 ? st.arrival[b] : st.departure[b])
            let known = out[route] ?? (Int32.max, Int32.min, 0)
            out[route] = (min(known.first, first), max(known.last, last), known.trips + 1)
        }
        return out
    }

    // MARK: - Route lines

    @Test("route lines: one per distinct shape, the stops where a trip has no usable shape, parents for stops without a position")
    func routeLinesTiny() throws {
        let feed = try Self.tiny()
        let lines = RouteLines.build(feed: feed)
        #expect(lines.routeIDs == ["R1", "R2"], "R3 runs no trip")
        let r1 = lines.details(ofRoute: "R1")
        #expect(r1.count == 3)
        let sh1 = try #require(r1.first { $0.source == .shape("SH1") })
        #expect(sh1.trips == 2)
        #expect(sh1.points == [GeoPoint(lat: 50.0, lon: 4.0), GeoPoint(lat: 50.01, lon: 4.015), GeoPoint(lat: 50.02, lon: 4.02)],
                "points in shape_pt_sequence order")
        let stops = try #require(r1.first { $0.source == .stops })
        #expect(stops.trips == 2, "T3 and T4 share one stop sequence")
        #expect(stops.points == [GeoPoint(lat: 50.02, lon: 4.02), GeoPoint(lat: 50.01, lon: 4.01), GeoPoint(lat: 50.0, lon: 4.0)],
                "P1 takes its station's position; S4 has none and is skipped")
        #expect(r1.contains { $0.source == .shape("SH2") && $0.trips == 1 })
        let r2 = lines.details(ofRoute: "R2")
        #expect(r2.count == 1)
        #expect(r2.first?.source == .stops, "SHX has no point in shapes.txt, so the stops are drawn")
        #expect(r2.first?.trips == 2)
        #expect(lines.lines(ofRoute: "R2") == [[GeoPoint(lat: 50.01, lon: 4.01), GeoPoint(lat: 50.02, lon: 4.02)]])
        #expect(lines.lines(ofRoute: "R3").isEmpty)
        #expect(lines.lines(ofRoute: "nope").isEmpty)
        #expect(lines.allPoints.count == 3 + 3 + 2 + 2)
    }

    @Test("route lines on a date and for chosen routes")
    func routeLinesFiltered() throws {
        let feed = try Self.tiny()
        let sunday = try #require(GTFSDate("20260104"))
        let onSunday = RouteLines.build(feed: feed, date: sunday)
        #expect(onSunday.routeIDs == ["R1"])
        #expect(onSunday.details(ofRoute: "R1").map(\.source) == [.shape("SH2")])
        let tuesday = try #require(GTFSDate("20260106"))
        let r2 = RouteLines.build(feed: feed, date: tuesday, routes: ["R2"])
        #expect(r2.routeIDs == ["R2"])
        let weekday = RouteLines.build(feed: feed, date: tuesday)
        #expect(weekday.details(ofRoute: "R1").count == 2, "the Sunday shape is not drawn on a Tuesday")
        let some = RouteLines.build(feed: feed) { t in feed.ids(.trip)[Int(t)] == "T3" }
        #expect(some.details(ofRoute: "R1").map(\.source) == [.stops])
    }

    @Test("route lines of the sample: every route from its shapes, one line per distinct shape_id of its trips")
    func routeLinesSample() throws {
        let feed = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false)).feed
        let lines = RouteLines.build(feed: feed)
        // Independent: distinct (route_id, shape_id) pairs in trips.txt, read as text.
        let text = try String(contentsOfFile: SharedData.samplePath + "/trips.txt", encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        let route = try #require(header.firstIndex(of: "route_id")), shape = try #require(header.firstIndex(of: "shape_id"))
        var shapes: [String: Set<String>] = [:]
        for row in rows.dropFirst() where row.count > max(route, shape) { shapes[row[route], default: []].insert(row[shape]) }
        #expect(Set(lines.routeIDs) == Set(shapes.keys))
        for (id, expected) in shapes {
            let got = lines.details(ofRoute: id)
            #expect(Set(got.map(\.source)) == Set(expected.map { RouteLines.Source.shape($0) }), "route \(id)")
            #expect(got.allSatisfy { $0.points.count >= 2 && $0.points.allSatisfy(\.isUsable) })
        }
    }

    // MARK: - Classes

    @Test("frequency classes: 10, 15, 30, 60 minutes; no headway is the rarest")
    func classes() {
        #expect(FrequencyClass(headway: 600) == .tenMinutes)
        #expect(FrequencyClass(headway: 601) == .fifteenMinutes)
        #expect(FrequencyClass(headway: 900) == .fifteenMinutes)
        #expect(FrequencyClass(headway: 1800) == .thirtyMinutes)
        #expect(FrequencyClass(headway: 3600) == .hourly)
        #expect(FrequencyClass(headway: 3601) == .rare)
        #expect(FrequencyClass(headway: nil) == .rare)
        #expect(FrequencyClass(headway: .nan) == .rare)
        #expect(Set(FrequencyClass.allCases.map(\.color)).count == FrequencyClass.allCases.count)
        #expect(FrequencyClass.styleSheet.contains("td.hw0 { background: #08306b; color: #ffffff; }"))
    }

    @Test("effective headway: two departures 8 minutes apart in a 7-hour period are not frequent service")
    func effectiveHeadway() {
        // Evenly every 12 minutes over 7 hours: the mean headway stands.
        #expect(NetworkReport.effectiveHeadway(mean: 720, trips: 35, covered: 7 * 3600) == 720)
        // Two departures 8 minutes apart, the route running all period: 3.5 hours each.
        #expect(NetworkReport.effectiveHeadway(mean: 480, trips: 2, covered: 7 * 3600) == 12_600.0)
        // One departure: no headway.
        #expect(NetworkReport.effectiveHeadway(mean: nil, trips: 1, covered: 3600) == nil)
    }

    // MARK: - The sample

    @Test("the sample on a Tuesday: cards, maps per period, spans, headways, clean in a browser")
    func sample() async throws {
        let (report, feed) = try await Self.report(SharedData.samplePath, date: "20260310")
        #expect(report.routes.count == 9)
        #expect(report.chartedRoutes.count == 9 && report.tabledRoutes.count == 9)
        #expect(report.summary.totalRuns == report.routes.reduce(0) { $0 + $1.trips })
        let html = try await Self.check(report, name: "sample")
        #expect(html.contains("Riverton Valley Transit"))
        #expect(html.contains(Format.grouped(report.summary.totalRuns)))
        #expect(html.contains("Peak vehicles") && html.contains(String(report.summary.peakVehicles)))
        // Every route's shapes are on each map, one polyline each, plus the trips-under-way line:
        // the busiest-period map and one per period (all six run on a weekday).
        let lines = report.routes.flatMap { report.lines.details(ofRouteCode: $0.route) }
        #expect(lines.count == 18)
        let periodMaps = report.mapPeriods(busiestMapBytes: report.mapSVG(period: nil).utf8.count)
        #expect(periodMaps == Array(report.periods.indices))
        #expect(Self.count("<polyline", in: html) == lines.count * (1 + periodMaps.count) + 1)
        // A period's map: route 1 at its trips per hour there; routes without a departure in light grey.
        let peak = try #require(report.periods.firstIndex { $0.name == "07:00-09:00" })
        let peakMap = report.mapSVG(period: peak)
        #expect(peakMap.contains("Route 1 in 07:00-09:00: ") && peakMap.contains(", 8 trips/h in the busier direction"))
        let late = try #require(report.periods.firstIndex { $0.name == "23:00-29:00" })
        let idle = report.routes.filter { $0.periodTrips[late] == 0 }
        let lateMap = report.mapSVG(period: late)
        #expect(Self.count("no departure in 23:00-29:00</title>", in: lateMap)
                == idle.reduce(0) { $0 + report.lines.details(ofRouteCode: $1.route).count })
        #expect(idle.isEmpty || lateMap.contains("stroke=\"\(NetworkReport.idleColor)\""))
        // Route 1 runs every 7.5 minutes in the morning peak: its busiest period, the darkest class.
        let one = try #require(report.routes.first { $0.label == "1" })
        #expect(one.busiestPeriod.map { report.periods[$0].name } == "07:00-09:00")
        #expect(one.busiestTripsPerHour == 8)
        #expect(abs((one.busiestHeadway ?? 0) - 450) < 5, "7.5 minutes: \(String(describing: one.busiestHeadway))")
        #expect(one.frequency == .tenMinutes)
        #expect(html.contains("<td class=\"num hw0\" data-sort=\"450\">7.5</td>"), "a 7.5-minute headway, darkest")
        // The headway table: one row per route and direction.
        let directions = Set(report.summary.rows.map { "\($0.route)/\($0.direction)" })
        #expect(Self.count("<td class=\"num\">0</td>", in: html) + Self.count("<td class=\"num\">1</td>", in: html) == directions.count)
        // Under way: never more than the departures, and the samples are 5 minutes apart.
        #expect(report.underWay.allSatisfy { $0.trips <= report.summary.totalRuns })
        #expect(zip(report.underWay, report.underWay.dropFirst()).allSatisfy { $1.time - $0.time == 300 })
        // Stops served: the stops of the sample's stop_times (all of them run on a weekday).
        let served = Set(feed.stopTimes.stop)
        #expect(report.stopsServed == served.count)
        // Route 7 starts at 04:45, before the first period: its chart shows that.
        #expect(html.contains("outside periods"))
    }

    @Test("the sample with --routes: the span chart and tables show those routes, the maps every route")
    func sampleChosenRoutes() async throws {
        let (report, _) = try await Self.report(SharedData.samplePath, date: "20260310", routes: ["1", "RL", "nope"])
        #expect(report.chartedRoutes.map { report.routes[$0].label } == ["1", "RL"])
        #expect(report.tabledRoutes == report.chartedRoutes)
        #expect(report.unmatchedRoutes == ["nope"])
        let html = try await Self.check(report, name: "sample-routes")
        #expect(html.contains("Span of service, 2 of 9 routes"))
        let maps = 1 + report.mapPeriods(busiestMapBytes: report.mapSVG(period: nil).utf8.count).count
        #expect(Self.count("<polyline", in: html) == 18 * maps + 1, "each map still draws every route")
    }

    @Test("a date without service: a page that says so, its figures empty")
    func noService() async throws {
        let (report, _) = try await Self.report(SharedData.samplePath, date: "20200101")
        #expect(report.routes.isEmpty)
        let html = try await Self.check(report, name: "sample-no-service")
        #expect(html.contains("No trip runs on 2020-01-01"))
        #expect(html.contains("no shapes or stops with coordinates"))
    }

    // MARK: - Real feeds

    @Test("vilnius-2016 (no direction_id, 96 routes): spans and departures equal an independent count; bus 1 and trolleybus 1 stay apart")
    func vilnius() async throws {
        guard let path = Self.sharedFeed("vilnius-2016") else { return }
        let (report, feed) = try await Self.report(path, date: "20160301")
        let day = try #require(GTFSDate("20160301"))
        let spans = Self.spans(feed, date: day)
        #expect(report.routes.count == spans.count)
        for r in report.routes {
            let s = try #require(spans[r.route], "route \(r.routeID)")
            #expect(r.firstDeparture == s.first && r.lastArrival == s.last && r.trips == s.trips,
                    "route \(r.routeID): \(r.firstDeparture)-\(r.lastArrival) \(r.trips) against \(s.first)-\(s.last) \(s.trips)")
        }
        #expect(Set(report.routes.map(\.label)).count == report.routes.count, "labels are distinct")
        #expect(report.routes.contains { $0.label.hasPrefix("1 ") && $0.routeID == "vilnius_trol_1" })
        #expect(report.summary.runsWithInferredDirection > 0)
        let html = try await Self.check(report, name: "vilnius-2016")
        #expect(html.contains("direction was inferred"))
        #expect(report.lines.routeIDs.count == report.routes.count, "every running route is on the map")
    }

    @Test("wmata-2026 (calendar_dates only, 173k shape points): six lines, frequent all day, a small page")
    func wmata() async throws {
        guard let path = Self.sharedFeed("wmata-2026") else { return }
        let (report, feed) = try await Self.report(path, date: "20260505")
        let spans = Self.spans(feed, date: try #require(GTFSDate("20260505")))
        #expect(report.routes.count == spans.count)
        for r in report.routes {
            let s = try #require(spans[r.route])
            #expect(r.firstDeparture == s.first && r.lastArrival == s.last && r.trips == s.trips,
                    "route \(r.routeID): \(r.firstDeparture)-\(r.lastArrival) \(r.trips) against \(s.first)-\(s.last) \(s.trips)")
        }
        #expect(report.routes.filter { $0.frequency <= .fifteenMinutes }.count >= 5, "\(report.routes.map { ($0.label, $0.frequency) })")
        let html = try await Self.check(report, name: "wmata-2026")
        #expect(html.utf8.count < 500_000, "the map is simplified: \(html.utf8.count) bytes")
    }

    @Test("renfe-2022 (no shapes, 255 routes that day, product names as short names): stops drawn, the busiest 120 charted")
    func renfe() async throws {
        guard let path = Self.sharedFeed("renfe-2022") else { return }
        let (report, _) = try await Self.report(path, date: "20221004")
        #expect(report.routes.count > ReportLimits.maximumGanttRows)
        #expect(report.chartedRoutes.count == ReportLimits.maximumGanttRows)
        #expect(report.tabledRoutes.count == report.routes.count)
        let least = report.chartedRoutes.map { report.routes[$0].trips }.min() ?? 0
        let left = Set(report.routes.indices).subtracting(report.chartedRoutes)
        #expect(left.allSatisfy { report.routes[$0].trips <= least }, "the charted routes are the busiest")
        let all = report.routes.flatMap { report.lines.details(ofRouteCode: $0.route) }
        #expect(!all.isEmpty && all.allSatisfy { $0.source == .stops })
        #expect(Set(report.routes.map(\.label)).count > report.routes.count * 9 / 10, "labels mostly distinct")
        let html = try await Self.check(report, name: "renfe-2022")
        #expect(html.contains("Span of service, the busiest 120 of \(report.routes.count) routes"))
    }

    // MARK: - The command

    @Test("transit network report writes the page atomically and says so; bad routes and paths fail")
    func command() async throws {
        let scratch = try TemporaryFolder("network-report-cli")
        defer { scratch.remove() }
        let out = scratch.file("network.html")
        let r = try await Self.onThread {
            try TransitBinary.run(["network", "report", "gtfs/sample-city", "--date", "20260310", "--out", out,
                                   "--periods", "06:00-09:00,09:00-15:00,15:00-19:00"])
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("wrote \(out): "), "\(r.stderr)")
        #expect(r.stderr.contains(" kB, 9 routes, "), "\(r.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(HTMLChecks.problems(html).isEmpty)
        // The busiest-period map, one map for each of the three periods, and the two charts.
        #expect(HTMLChecks.svgCount(html) == 1 + 3 + NetworkReport.chartCount)
        #expect(html.contains("Frequency map, 2026-03-10, 09:00-15:00"))
        #expect(html.contains("transit network report gtfs/sample-city --date 20260310 --periods 06:00-09:00,09:00-15:00,15:00-19:00"))
        #expect(html.contains("<th scope=\"col\">15:00-19:00</th>"))
        #expect(try scratch.names() == ["network.html"], "no temporary file is left")

        let unknown = try await Self.onThread {
            try TransitBinary.run(["network", "report", "gtfs/sample-city", "--date", "20260310", "--out", scratch.file("x.html"), "--routes", "1,nope"])
        }
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("'nope'"), "\(unknown.stderr)")
        let missing = try await Self.onThread {
            try TransitBinary.run(["network", "report", "gtfs/sample-city", "--date", "20260310", "--out", scratch.file("no/such/x.html")])
        }
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("error:"), "\(missing.stderr)")
        let usage = try await Self.onThread {
            try TransitBinary.run(["network", "report", "gtfs/sample-city", "--date", "2026-03-10", "--out", scratch.file("x.html")])
        }
        #expect(usage.status != 0 && usage.stderr.contains("is not a date"), "\(usage.stderr)")
        #expect(try scratch.names() == ["network.html"])
    }
}
