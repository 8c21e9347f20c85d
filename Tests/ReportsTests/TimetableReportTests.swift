import Charts
import Foundation
import GTFS
@testable import Reports
import Testing
import TestSupport
import Timetable
import TransitNetwork
import TransitSynthetic

/// The timetable report (`transit timetable … --report FILE.html`) on the sample and on real
/// shared feeds: well-formed, self-contained, with its figures, under the size limit, clean in
/// a real browser, and drawing what the timetable holds.
@Suite("TimetableHTML", .serialized)
struct TimetableReportTests {
    // MARK: - Fixtures

    static let sampleDate = GTFSDate(yyyymmdd: 20260310)


    /// The busiest weekday in the feed's first three weeks.
    static func busyDate(_ feed: Feed) throws -> GTFSDate {
        try #require(ServicePlans.busiestWeekday(feed))
    }

    /// A shared feed, or `nil` (an issue under CI) when the shared folder is missing.
    static func sharedFeed(_ name: String) throws -> Feed? {
        guard SharedData.runnable, let path = SharedData.feedPath(name), FileManager.default.fileExists(atPath: path) else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return nil
        }
        return try FeedReader.load(path, options: ReadOptions(validate: false)).feed
    }

    /// The sample, its plan (today's headways, fleet 80), the timetable with phased directions
    /// and today's trips in blocks by the same rules.
    static func sample() throws -> (Feed, Timetable, CurrentServiceBlocks) {
        let feed = try FeedReader.load(SharedData.samplePath, options: ReadOptions(validate: false)).feed
        let date = try #require(sampleDate)
        let summary = ServiceSummary(feed: feed, date: date, periods: try Period.parse(NetworkDefaults.periods))
        let options = TimetableOptions(interline: true, phaseDirections: true)
        let timetable = try Timetable.build(feed: feed, plan: ServicePlans.plan(from: summary, fleet: 90), options: options)
        let current = try CurrentServiceBlocks.build(feed: feed, date: date, options: options)
        return (feed, timetable, current)
    }

    /// The figures of a page whose title starts with `prefix`.
    static func figures(_ html: String, titled prefix: String) -> Int {
        html.components(separatedBy: "class=\"chart\"><title>\(prefix)").count - 1
    }

    /// The checks every timetable report passes: parses, loads nothing, has `routes`
    /// stringline pairs (one chart each without a plan), `gantts` Gantt charts and one
    /// vehicles chart (all the page's `<svg>`s), stays under the limit, and renders in Chromium
    /// without console messages and not blank. Returns the page's size.
    @discardableResult
    static func check(_ html: String, name: String, routes: Int, planned: Bool, gantts: Int) async throws -> Int {
        #expect(HTMLChecks.problems(html).isEmpty, "\(name): \(HTMLChecks.problems(html))")
        #expect(HTMLChecks.externalReferences(html).isEmpty, "\(name): \(HTMLChecks.externalReferences(html).prefix(5))")
        #expect(html.utf8.count < ReportLimits.maximumBytes, "\(name): \(html.utf8.count) bytes")
        let stringlines = figures(html, titled: "Route ")
        let perRoute = planned ? 2 : 1
        // Routes are only left out, from the end, to keep the page under the limit, and then named.
        let left = html.components(separatedBy: "Left out to keep the page under").count - 1
        #expect(left <= 1)
        if left == 0 {
            #expect(stringlines == routes * perRoute, "\(name): stringline charts")
        } else {
            #expect(stringlines > 0 && stringlines < routes * perRoute, "\(name): stringline charts")
            #expect(html.utf8.count > ReportLimits.maximumBytes * 3 / 4, "\(name): routes left out of a page that was not full")
        }
        if planned {
            #expect(html.components(separatedBy: "<div class=\"figures\">").count - 1 == stringlines / 2, "\(name): side-by-side pairs")
        }
        #expect(figures(html, titled: "Vehicle blocks, ") == gantts, "\(name): Gantt charts")
        #expect(figures(html, titled: "Vehicles in service over the day") == 1, "\(name): vehicles chart")
        #expect(HTMLChecks.svgCount(html) == stringlines + gantts + 1, "\(name): every <svg> is one of the figures")
        let folder = SharedData.packageRoot.appendingPathComponent(".build/report-screens")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("timetable-\(name).html").path
        try html.write(toFile: file, atomically: true, encoding: .utf8)
        print("timetable report \(name): \(html.utf8.count) bytes, \(stringlines) stringline charts → \(file)")
        guard let outcome = try await Browser.check(htmlPath: file, name: "timetable-\(name)") else { return html.utf8.count }
        #expect(outcome.consoleErrors.isEmpty, "\(name): \(outcome.consoleErrors)")
        #expect(!outcome.isBlank, "\(name): blank screenshot \(outcome.pngPath)")
        return html.utf8.count
    }

    // MARK: - The sample

    @Test("the sample: the 8 busiest routes' stringlines, planned and today's Gantt charts, vehicles in service, headline")
    func sampleReport() async throws {
        let (feed, timetable, current) = try Self.sample()
        #expect(timetable.blockViolations.isEmpty)
        let html = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date,
                                            options: .init(command: "transit timetable gtfs/sample-city --report t.html", source: "gtfs/sample-city"))
        try await Self.check(html, name: "sample", routes: ReportLimits.defaultBusiestRoutes, planned: true, gantts: 2)

        // The busiest routes by planned trips, the least busy of the nine left out.
        var planned: [String: Int] = [:]
        for t in timetable.trips { planned[t.routeID, default: 0] += 1 }
        let data = TimetableReportData(timetable: timetable, current: current, feed: feed, date: timetable.date)
        let busiest = data.busiestRoutes(ReportLimits.defaultBusiestRoutes)
        #expect(busiest.count == 8)
        let left = try #require(Set(planned.keys).subtracting(busiest).first)
        #expect(busiest.allSatisfy { (planned[$0] ?? 0) >= (planned[left] ?? 0) })
        #expect(!html.contains("<h3>Route \(data.routeName(left))"))
        for r in busiest { #expect(html.contains("<h3>Route \(Markup.escape(data.routeName(r)))"), "\(r)") }

        // Headline: trips, blocks, vehicle-hours, the fleet limit, today's figures beside them.
        let day = timetable.dayOperation
        #expect(html.contains("<span class=\"value\">\(Format.grouped(timetable.trips.count))</span>"))
        #expect(html.contains("<span class=\"value\">\(Format.grouped(day.blocks))</span>"))
        #expect(html.contains("<span class=\"value\">\(Format.number(day.vehicleHours, places: 1))</span>"))
        #expect(html.contains("<span class=\"value\">90</span>"), "the fleet limit")
        #expect(html.contains("today: \(Format.grouped(current.runs.count)) trips"))
        #expect(html.contains(Markup.escape("today's trips: \(current.fleet)")))

        // Gantt: every planned block is a row (77 < 120), one trip bar per planned trip.
        #expect(timetable.blocks.fleet <= ReportLimits.maximumGanttRows)
        #expect(html.contains("All \(timetable.blocks.fleet) blocks, by first departure."))
        let plannedSet = try #require(data.plannedBlocks)
        let (rows, accepted) = BlockGantt.rows(plannedSet, keep: { _ in true }, limit: 1000)
        #expect(accepted == timetable.blocks.fleet && rows.count == accepted)
        let tripBars = rows.reduce(0) { $0 + $1.segments.filter { $0.kind <= 1 }.count }
        #expect(tripBars == timetable.trips.count)
        // Each row: a grey bar from the block's first departure to its last arrival (the
        // layovers show through it), then its trips, one after another without overlap.
        for (b, row) in rows.enumerated() {
            let background = try #require(row.segments.first)
            let trips = row.segments.dropFirst().filter { $0.kind <= 1 }
            #expect(background.kind == 2, "row \(b)")
            #expect(background.start == trips.first?.start && background.end == trips.map(\.end).max(), "row \(b)")
            #expect(zip(trips, trips.dropFirst()).allSatisfy { $0.end <= $1.start }, "row \(b): trips overlap")
        }

        // Vehicles in service: the step line peaks at the library's busiest instant.
        let peak = plannedSet.inServiceSteps().map(\.y).max() ?? 0
        #expect(Int(peak) == timetable.blocks.inService(trips: timetable.blockTrips, from: Int32.min, to: Int32.max))
        #expect(plannedSet.inServiceSteps().last?.y == 0)
        for f in timetable.periodFleet() {
            #expect(plannedSet.busiest(from: f.period.start, to: f.period.end) == f.blocks, "\(f.period.name)")
        }
    }

    @Test("the sample's stringlines: every trip drawn at its own times, from one end of the route to the other")
    func sampleStringlines() throws {
        let (feed, timetable, current) = try Self.sample()
        let data = TimetableReportData(timetable: timetable, current: current, feed: feed, date: timetable.date)
        let source = data.stringlineSource()
        for routeID in ["1", "RL"] {
            let lines = RouteStringlines(data: data, source: source, routeID: routeID)
            let planned = timetable.trips.filter { $0.routeID == routeID }
            #expect(lines.plannedTrips.count == planned.count, "\(routeID)")
            #expect(lines.currentTrips.count == current.runs.filter { data.tripIndex.route(ofTrip: $0.trip) == data.routeCodes[routeID] }.count)
            for (trip, line) in zip(planned, lines.plannedTrips) {
                #expect(line.points.first?.time == trip.start && line.points.last?.time == trip.end, "\(trip.id)")
                #expect(zip(line.points, line.points.dropFirst()).allSatisfy { $0.time <= $1.time }, "\(trip.id): time goes back")
                #expect(line.direction == trip.direction)
            }
            // Both directions run the whole line, each its own way along the one axis.
            let length = lines.distanceDomain.upperBound * 1000
            for line in lines.plannedTrips + lines.currentTrips {
                guard let first = line.points.first?.metres, let last = line.points.last?.metres else { continue }
                #expect(first >= -100 && last >= -100 && first <= length + 1 && last <= length + 1)
                if line.direction == 0 { #expect(last > first, "\(line.tooltip)") } else { #expect(last < first, "\(line.tooltip)") }
            }
            let full = lines.plannedTrips.filter { abs(($0.points.last?.metres ?? 0) - ($0.points.first?.metres ?? 0)) > 0.9 * lines.distanceDomain.upperBound * 1000 * 0.8 }
            #expect(full.count >= lines.plannedTrips.count / 2, "\(routeID): most trips run end to end")
            #expect(lines.timeDomain.lowerBound <= Double(planned.map(\.start).min() ?? 0))
            #expect(lines.timeDomain.upperBound >= Double(planned.map(\.end).max() ?? 0))
        }
    }

    @Test("--routes: only the routes asked for (by route_id or short name), their blocks only; an unknown route is named")
    func chosenRoutes() async throws {
        let (feed, timetable, current) = try Self.sample()
        let html = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date,
                                            options: .init(routes: ["RL", "7"]))
        try await Self.check(html, name: "sample-routes", routes: 2, planned: true, gantts: 2)
        #expect(html.contains("<h3>Route RL · Riverline Light Rail</h3>") && html.contains("<h3>Route 7 · Airport – Industrial Park</h3>"))
        #expect(!html.contains("<h3>Route 1 · "))
        let serving = Set(timetable.trips.filter { $0.routeID == "RL" || $0.routeID == "7" }.map(\.block))
        #expect(html.contains("The \(serving.count) blocks that serve the routes asked for"))

        #expect(throws: TimetableReportError.self) {
            _ = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date,
                                         options: .init(routes: ["RL", "99", "nope"]))
        }
        do {
            _ = try TimetableHTML.resolveRoutes(["RL", "99", "nope"], feed: feed)
            Issue.record("unknown routes were accepted")
        } catch {
            #expect(error.description.contains("'99', 'nope'"), "\(error.description)")
            #expect(error.code == "unknown_route")
        }
        #expect(try TimetableHTML.resolveRoutes(["RL", "RL", "1"], feed: feed) == ["RL", "1"])
    }

    @Test("a Gantt chart keeps at most the row limit and says how many blocks it left out; a too-large page drops routes")
    func limits() async throws {
        let (feed, timetable, current) = try Self.sample()
        let html = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date,
                                            options: .init(maximumGanttRows: 10))
        #expect(html.contains("the first 10 to leave are drawn, \(timetable.blocks.fleet - 10) more are left out"))
        #expect(html.contains("the first 10 to leave are drawn, \(current.fleet - 10) more are left out"))
        // Squeezed under a small byte limit, the page draws fewer routes and names the others.
        let full = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date)
        let squeezed = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date,
                                                options: .init(maximumBytes: full.utf8.count * 2 / 3))
        #expect(squeezed.utf8.count <= full.utf8.count * 2 / 3)
        #expect(squeezed.contains("Left out to keep the page under"))
        #expect(Self.figures(squeezed, titled: "Route ") < Self.figures(full, titled: "Route "))
        #expect(HTMLChecks.problems(squeezed).isEmpty)
    }

    // MARK: - Real feeds

    @Test("real feeds: a plan from today's service, its timetable and today's blocks", .timeLimit(.minutes(10)),
          arguments: ["cairns-2014", "santa-monica-bbb-2020", "cdmx-2018"])
    func realFeed(name: String) async throws {
        guard let feed = try Self.sharedFeed(name) else { return }
        let date = try Self.busyDate(feed)
        let summary = ServiceSummary(feed: feed, date: date, periods: try Period.parse(NetworkDefaults.periods))
        let options = TimetableOptions(interline: true, phaseDirections: true)
        let timetable = try Timetable.build(feed: feed, plan: ServicePlans.plan(from: summary, scale: 0.8), options: options)
        let current = try CurrentServiceBlocks.build(feed: feed, date: date, options: options)
        let started = Date()
        let html = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: date,
                                            options: .init(source: name))
        print("\(name): rendered in \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        let routes = Set(timetable.trips.map(\.routeID)).count
        try await Self.check(html, name: name, routes: min(routes, ReportLimits.defaultBusiestRoutes), planned: true, gantts: 2)
        let data = TimetableReportData(timetable: timetable, current: current, feed: feed, date: date)
        let busiest = try #require(data.busiestRoutes(1).first)
        let lines = RouteStringlines(data: data, source: data.stringlineSource(), routeID: busiest)
        #expect(lines.plannedTrips.count == timetable.trips.filter { $0.routeID == busiest }.count)
        #expect(!lines.currentTrips.isEmpty)
        if timetable.blocks.fleet > ReportLimits.maximumGanttRows {
            #expect(html.contains("more are left out"))
        }
    }

    @Test("the biggest real feeds: today's service alone (no plan) stays under the size limit", .timeLimit(.minutes(10)),
          arguments: ["vilnius-2016", "hart-2018"])
    func currentServiceOnly(name: String) async throws {
        guard let feed = try Self.sharedFeed(name) else { return }
        let date = try Self.busyDate(feed)
        let current = try CurrentServiceBlocks.build(feed: feed, date: date)
        let started = Date()
        let html = try TimetableHTML.render(timetable: nil, current: current, feed: feed, date: date, options: .init(source: name))
        print("\(name): rendered in \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        let data = TimetableReportData(timetable: nil, current: current, feed: feed, date: date)
        try await Self.check(html, name: "\(name)-current", routes: min(data.currentRouteCount, ReportLimits.defaultBusiestRoutes),
                             planned: false, gantts: 1)
        #expect(html.contains("current service only (no plan)"))
        #expect(html.contains("<span class=\"value\">\(Format.grouped(current.runs.count))</span>"))
        if current.fleet > ReportLimits.maximumGanttRows { #expect(html.contains("more are left out")) }
    }

    // MARK: - End to end

    @Test("transit plan --format json, then transit timetable --report: the page is written; an unknown --routes value fails naming it",
          .timeLimit(.minutes(5)))
    func binary() async throws {
        guard TransitBinary.url != nil else {
            Issue.record("the transit binary was not built next to the tests")
            return
        }
        let folder = try TemporaryFolder("timetable-report")
        defer { folder.remove() }
        let plan = folder.url.appendingPathComponent("plan.json").path
        let report = folder.url.appendingPathComponent("timetable.html").path
        let out = folder.url.appendingPathComponent("planned.zip").path
        let sample = SharedData.samplePath
        let results: [Result<TransitBinary.Result, Failure>] = await withCheckedContinuation { continuation in
            Thread {
                var results: [Result<TransitBinary.Result, Failure>] = []
                let planned = Result { try TransitBinary.run(["plan", sample, "--fleet", "80", "--budget", "100000", "--format", "json"]) }
                    .mapError { Failure(description: "\($0)") }
                results.append(planned)
                if case .success(let p) = planned {
                    do { try p.stdout.write(toFile: plan, atomically: true, encoding: .utf8) } catch {
                        results.append(.failure(Failure(description: "\(error)")))
                    }
                }
                for arguments in [
                    ["timetable", sample, "--plan", plan, "--out", out, "--phase-directions", "--report", report],
                    ["timetable", sample, "--plan", plan, "--out", out + "-2.zip", "--report", report + "-2.html", "--routes", "RL,nope"],
                    ["timetable", sample, "--plan", plan, "--out", out + "-3.zip", "--routes", "RL"],
                ] {
                    results.append(Result { try TransitBinary.run(arguments) }.mapError { Failure(description: "\($0)") })
                }
                continuation.resume(returning: results)
            }.start()
        }
        let runs = try results.map { try $0.get() }
        try #require(runs.count == 4)
        #expect(runs[0].status == 0, "\(runs[0].stderr)")
        #expect(runs[1].status == 0, "\(runs[1].stderr)")
        #expect(runs[1].stderr.contains("wrote \(report): "))
        let html = try String(contentsOfFile: report, encoding: .utf8)
        try await Self.check(html, name: "sample-cli", routes: ReportLimits.defaultBusiestRoutes, planned: true, gantts: 2)
        #expect(html.contains("transit timetable \(sample) --plan \(plan)"))
        // An unknown route stops the run before anything is built or written.
        #expect(runs[2].status == 2)
        #expect(runs[2].stderr.contains("'nope'"), "\(runs[2].stderr)")
        #expect(!FileManager.default.fileExists(atPath: report + "-2.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "-2.zip"))
        // --routes without --report is a usage error.
        #expect(runs[3].status != 0 && runs[3].stderr.contains("--report"), "\(runs[3].stderr)")
    }

    struct Failure: Error, CustomStringConvertible { var description: String }
}
