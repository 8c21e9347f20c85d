import Charts
import Foundation
import GTFS
import Planner
@testable import Reports
import Ridership
import Testing
import TestSupport
import Timetable
import TransitNetwork
import TransitSynthetic

/// The plan report (`transit plan … --report FILE.html`) on the sample, on the one real
/// GTFS-ride feed, and on two real networks with made-up demand (a stop-level count file and a
/// load table): well-formed, self-contained, with its figures, under the size limit, and
/// clean in a real browser.
@Suite("PlanHTML", .serialized)
struct PlanReportTests {
    /// Plans `path` as `transit plan` would (blocks built, directions phased).
    static func plan(_ path: String, name: String, ridership: PlanRequest.Ridership = .boardAlight(path: nil),
                     date: GTFSDate? = nil, fleet: [Int?] = [], budget: Double? = nil,
                     capacity: Int? = nil) throws -> (OperablePlanner.Result, PlanRequest) {
        let loaded = try FeedReader.load(path, options: ReadOptions(validate: false))
        var limits = PlanningLimits()
        limits.fleet = fleet
        limits.budget = budget
        limits.capacity = capacity
        let request = PlanRequest(loaded: loaded, feedName: name, ridership: ridership, date: date,
                                  periods: try Period.parse(NetworkDefaults.periods), limits: limits)
        let result = try OperablePlanner.plan(request, options: TimetableOptions(phaseDirections: true))
        return (result, request)
    }

    /// The figures of a page, by the start of their title.
    static func figures(_ html: String, titled prefix: String) -> Int {
        html.components(separatedBy: "class=\"chart\"><title>\(prefix)").count - 1
    }

    /// The checks every plan report passes: parses, loads nothing, has `maps` maps, one
    /// vehicles chart and `loads` load figures (all the page's `<svg>`s), stays under the
    /// limit, and renders in Chromium without console messages and not blank.
    static func check(_ html: String, name: String, maps: Int, loads: Int) async throws {
        #expect(HTMLChecks.problems(html).isEmpty, "\(name): \(HTMLChecks.problems(html))")
        #expect(HTMLChecks.externalReferences(html).isEmpty, "\(name): \(HTMLChecks.externalReferences(html).prefix(5))")
        #expect(html.utf8.count < ReportLimits.maximumBytes, "\(name): \(html.utf8.count) bytes")
        #expect(figures(html, titled: "Network map, ") == maps, "\(name) maps")
        #expect(figures(html, titled: "Vehicles per period") == 1, "\(name) vehicles chart")
        #expect(figures(html, titled: "Load profile: ") + figures(html, titled: "Max load against") == loads, "\(name) load figures")
        #expect(HTMLChecks.svgCount(html) == maps + 1 + loads, "\(name): every <svg> is one of the figures")
        let folder = SharedData.packageRoot.appendingPathComponent(".build/report-screens")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("plan-\(name).html").path
        try html.write(toFile: file, atomically: true, encoding: .utf8)
        guard let outcome = try await Browser.check(htmlPath: file, name: "plan-\(name)") else { return }
        #expect(outcome.consoleErrors.isEmpty, "\(name): \(outcome.consoleErrors)")
        #expect(!outcome.isBlank, "\(name): blank screenshot \(outcome.pngPath)")
    }

    // MARK: - The sample

    @Test("the sample with --fleet 80 --budget 100000: headline, binding budget, maps, vehicles, routes table, load profiles")
    func sample() async throws {
        let (result, request) = try Self.plan(SharedData.samplePath, name: "gtfs/sample-city", fleet: [80], budget: 100_000)
        let report = result.report
        #expect(report.hasPlan && result.fits)
        let html = PlanHTML.render(result: result, request: request, options: PlanHTML.Options(command: "transit plan gtfs/sample-city --fleet 80 --budget 100000 --report plan.html"))
        let data = PlanData(result: result, feed: request.loaded.feed)

        // Headline: the three scenarios' figures and the proof.
        let plan = report.plan
        for v in [plan.current.objective, plan.optimal.objective, plan.current.vehicleHours, plan.optimal.waitingHours] {
            #expect(html.contains(Format.number(v, places: 0)), "\(v)")
        }
        if let ref = plan.reference { #expect(html.contains(Format.number(ref.objective, places: 0))) }
        #expect(html.contains("<span class=\"value\">\(report.status.rawValue)"))
        // The budget binds on the sample (the plan uses nearly all of it); the fleet does not.
        let binding = PlanHTML.binding(data)
        #expect(binding.budgetBinds)
        #expect(plan.optimal.operatingCost <= 100_000 && 100_000 - plan.optimal.operatingCost < 240)
        #expect(binding.modelPeriods.isEmpty || binding.modelPeriods.allSatisfy { data.plannedVehicles[$0] >= (data.modelLimits[$0] ?? .max) })
        #expect(html.contains("binds: "))

        // One table row per route and period the model chose a headway for, from–to from stop names.
        #expect(data.lines.count == report.planning.problem.groups.count)
        #expect(data.names["1"]?.fromTo?.contains(" – ") == true)
        #expect(html.contains(Markup.escape(data.names["1"]?.fromTo ?? "?")))
        // Round trip run time and layover: layover = vehicles × headway − run time ≥ the model's layover.
        for line in data.lines where !line.keptAsIs {
            let run = try #require(line.roundTripRunTime, "route \(line.routeID) \(line.period) runs today")
            #expect(run > 0 && run < line.cycleTime)
            let layover = try #require(line.layover(vehicles: line.plannedVehicles, headway: Double(line.plannedHeadway)))
            #expect(layover >= line.cycleTime - run - 1e-6, "route \(line.routeID) \(line.period)")
        }
        // Maps: legend words and a line per route; the colour of a route whose headway halves.
        for words in ["shorter headway", "unchanged", "longer headway", "no service"] { #expect(html.contains(words)) }

        // Peaks by planned vehicles: the morning and the afternoon.
        #expect(data.peakPeriods.map { data.periods[$0].name } == ["07:00-09:00", "16:00-19:00"])
        // Load profiles: the 8 counted routes, both directions, both peaks.
        let loads = Self.figures(html, titled: "Load profile: ")
        #expect(loads == 8 * 2 * 2)
        // The load at the busiest stop matches the planner's max load of that route, direction and period.
        let analysis = try RidershipAnalysis(input: RidershipInput.load(feed: request.loaded.feed), periods: data.periods)
        let profiles = PlanLoadProfiles.profiles(analysis, routes: ["1"], periods: data.peakPeriods)
        #expect(profiles.count == 4)
        for p in profiles {
            let demand = try #require(analysis.demand(routeID: p.routeID, direction: p.direction, period: p.period))
            #expect(abs((p.load.max() ?? 0) - demand.maxLoad) < 1e-6, "route 1 dir \(p.direction) period \(p.period)")
        }
        try await Self.check(html, name: "sample", maps: data.periods.count, loads: loads)
    }

    @Test("--report-routes picks the load-profile routes by route_id or short name")
    func chosenRoutes() throws {
        let (result, request) = try Self.plan(SharedData.samplePath, name: "sample", fleet: [80], budget: 100_000)
        let html = PlanHTML.render(result: result, request: request, options: PlanHTML.Options(routes: ["5", "nope"]))
        #expect(Self.figures(html, titled: "Load profile: route 5, ") == 4)
        #expect(Self.figures(html, titled: "Load profile: ") == 4)
        #expect(html.contains("Routes: 5 (as asked)"))
    }

    @Test("change classes: halved, shorter, unchanged, longer, doubled, new")
    func changeClasses() {
        #expect(PlanHTML.changeStep(current: 1200, planned: 600) == 3)
        #expect(PlanHTML.changeStep(current: 1200, planned: 900) == 2)
        #expect(PlanHTML.changeStep(current: 1200, planned: 1200) == 0)
        #expect(PlanHTML.changeStep(current: 1190, planned: 1200) == 0)
        #expect(PlanHTML.changeStep(current: 600, planned: 900) == -2)
        #expect(PlanHTML.changeStep(current: 600, planned: 1200) == -3)
        #expect(PlanHTML.changeStep(current: nil, planned: 1200) == 3)
        #expect(PlanMap.width(tripsPerHour: 0) == 1.2)
        #expect(abs(PlanMap.width(tripsPerHour: 6) - 5.4) < 1e-9)
        #expect(PlanMap.width(tripsPerHour: 60) == 10)
    }

    @Test("a result without a plan gives a page that says why")
    func noPlan() throws {
        let (result, request) = try Self.plan(SharedData.samplePath, name: "sample", fleet: [3])
        #expect(!result.report.hasPlan)
        let html = PlanHTML.render(result: result, request: request)
        #expect(HTMLChecks.problems(html).isEmpty)
        #expect(html.contains("No plan: the solve ended infeasible"))
        #expect(HTMLChecks.svgCount(html) == 0)
    }

    // MARK: - Real feeds

    /// The shared feed `name`, or nil (recording an issue under CI) when absent.
    static func sharedFeed(_ name: String) -> String? {
        guard let path = SharedData.feedPath(name), FileManager.default.fileExists(atPath: path) else {
            if SharedData.isCI { Issue.record(Comment(rawValue: SharedData.missingMessage)) }
            return nil
        }
        return path
    }

    @Test("gtfs-ride-sample: the one real GTFS-ride feed, its own counts and capacities")
    func rideSample() async throws {
        guard let path = Self.sharedFeed("gtfs-ride-sample") else { return }
        let (result, request) = try Self.plan(path, name: "gtfs-ride-sample")
        #expect(result.report.hasPlan)
        let html = PlanHTML.render(result: result, request: request)
        let data = PlanData(result: result, feed: request.loaded.feed)
        let loads = Self.figures(html, titled: "Load profile: ")
        #expect(loads >= 1)
        try await Self.check(html, name: "gtfs-ride-sample", maps: data.periods.count, loads: loads)
    }

    /// The busiest weekday in the feed's first three weeks.
    static func busyDate(_ feed: Feed) throws -> GTFSDate {
        try #require(ServicePlans.busiestWeekday(feed))
    }

    /// Made-up stop-level counts for every trip running on `date`: a morning and an evening
    /// peak, riders boarding towards the start of a trip and alighting towards its end.
    static func syntheticBoardAlight(_ feed: Feed, date: GTFSDate) -> String {
        var out = "trip_id,stop_id,stop_sequence,record_use,boardings,alightings,service_date\n"
        let tripIDs = feed.ids(.trip), stopIDs = feed.ids(.stop)
        let st = feed.stopTimes
        for t in ServiceCalendar(feed: feed).runningTrips(on: date) {
            let rows = Array(feed.stopTimeIndex.rows(ofTrip: t))
            guard rows.count >= 2, Int(t) < tripIDs.count else { continue }
            let first = Int(rows[0])
            let start = st.departure[first] >= 0 ? st.departure[first] : st.arrival[first]
            let hour = Double(max(0, start)) / 3600
            let scale = 0.4 + 2.5 * exp(-pow(hour - 8, 2)) + 2 * exp(-pow(hour - 17.5, 2))
            let n = rows.count
            var load = 0
            for (i, r) in rows.enumerated() {
                let row = Int(r)
                let s = st.stop[row]
                guard s >= 0, Int(s) < stopIDs.count else { continue }
                let share = Double(i) / Double(n - 1)
                var board = i == n - 1 ? 0 : Int((scale * 8 * (1 - share)).rounded())
                var alight = i == 0 ? 0 : Int((scale * 8 * share).rounded())
                if i == n - 1 { alight = load; board = 0 }
                alight = min(alight, load)
                load += board - alight
                out += "\(tripIDs[Int(t)]),\(stopIDs[Int(s)]),\(st.sequence[row]),0,\(board),\(alight),\(date)\n"
            }
        }
        return out
    }

    @Test("cairns-2014: a real network with made-up stop-level counts gets load profiles")
    func cairns() async throws {
        guard let path = Self.sharedFeed("cairns-2014") else { return }
        let feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
        let date = try Self.busyDate(feed)
        let scratch = try TemporaryFolder("plan-report-cairns")
        defer { scratch.remove() }
        let counts = scratch.file("board_alight.txt")
        try Self.syntheticBoardAlight(feed, date: date).write(toFile: counts, atomically: true, encoding: .utf8)
        let (result, request) = try Self.plan(path, name: "cairns-2014", ridership: .boardAlight(path: counts), date: date,
                                              capacity: 60)
        #expect(result.report.hasPlan)
        let html = PlanHTML.render(result: result, request: request)
        let data = PlanData(result: result, feed: request.loaded.feed)
        let loads = Self.figures(html, titled: "Load profile: ")
        // The busiest 8 routes, up to 2 directions, in the 1 or 2 peak periods.
        #expect(loads >= 8 && loads <= 8 * 2 * data.peakPeriods.count, "\(loads)")
        #expect(data.lines.allSatisfy { $0.keptAsIs || $0.roundTripRunTime != nil || $0.currentHeadway == nil })
        try await Self.check(html, name: "cairns-2014", maps: data.periods.count, loads: loads)
    }

    /// A load table for the routes running on `date`: per route, direction and period,
    /// passengers at 40 % of today's places.
    static func loadTable(_ feed: Feed, date: GTFSDate, periods: [Period], capacity: Int) -> String {
        var out = "route_id,direction_id,period,boardings,max_load\n"
        for row in ServiceSummary(feed: feed, date: date, periods: periods).rows where row.trips > 0 {
            let places = Double(row.trips * capacity)
            out += "\"\(row.routeID)\",\(row.direction),\(row.period),\(Int(places * 1.2)),\(Int(places * 0.4))\n"
        }
        return out
    }

    @Test("vilnius-2016, the largest shared feed: a load table, so max-load bars instead of profiles, and under 5 MB")
    func vilnius() async throws {
        guard let path = Self.sharedFeed("vilnius-2016") else { return }
        let feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
        let date = try Self.busyDate(feed)
        let periods = try Period.parse(NetworkDefaults.periods)
        let scratch = try TemporaryFolder("plan-report-vilnius")
        defer { scratch.remove() }
        let table = scratch.file("loads.csv")
        try Self.loadTable(feed, date: date, periods: periods, capacity: 80).write(toFile: table, atomically: true, encoding: .utf8)
        let (result, request) = try Self.plan(path, name: "vilnius-2016", ridership: .loadTable(path: table), date: date,
                                              capacity: 80)
        #expect(result.report.hasPlan)
        let html = PlanHTML.render(result: result, request: request)
        let data = PlanData(result: result, feed: request.loaded.feed)
        #expect(html.contains("No load profiles: the demand came from a load table"))
        #expect(Self.figures(html, titled: "Load profile: ") == 0)
        try await Self.check(html, name: "vilnius-2016", maps: data.periods.count, loads: data.peakPeriods.count)
    }

    // MARK: - The command

    /// Runs the binary on a thread of its own (never on the cooperative pool).
    static func run(_ arguments: [String]) async throws -> TransitBinary.Result {
        let result: Result<TransitBinary.Result, any Error> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try TransitBinary.run(arguments) }) }.start()
        }
        return try result.get()
    }

    @Test("transit plan --report writes the page atomically and says so; an unwritable path exits 2")
    func command() async throws {
        let scratch = try TemporaryFolder("plan-report-cli")
        defer { scratch.remove() }
        let out = scratch.file("plan.html")
        let r = try await Self.run(["plan", "gtfs/sample-city", "--fleet", "80", "--budget", "100000", "--format", "csv",
                                    "--report", out, "--report-routes", "1,2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("report → \(out)"))
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(HTMLChecks.problems(html).isEmpty)
        #expect(html.contains("transit plan gtfs/sample-city --fleet 80 --budget 100000"))
        #expect(Self.figures(html, titled: "Load profile: ") == 8)
        #expect(try scratch.names().filter { $0 != "plan.html" }.isEmpty, "no temporary file is left")

        let bad = try await Self.run(["plan", "gtfs/sample-city", "--fleet", "80", "--report", scratch.file("missing/plan.html")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("error: cannot write the report to"))
        let usage = try await Self.run(["plan", "gtfs/sample-city", "--report-routes", "1"])
        #expect(usage.status != 0 && usage.stderr.contains("--report-routes needs --report"))
    }
}

extension PlanReportTests {
    @Test("stop labels: a street most names share is left out; long names are cut; two decimals")
    func labels() {
        let names = ["6th Street North & Willow Avenue", "6th Street North & Elm", "Transit Center", "6th Street North & Main Avenue",
                     "6th Street North & A Very Long Cross Street Name"]
        let (labels, street) = PlanLoadProfiles.stopLabels(names)
        #expect(street == "6th Street North")
        #expect(labels == ["Willow Avenue", "Elm", "Transit Center", "Main Avenue", "A Very Long Cross…"])
        let plain = PlanLoadProfiles.stopLabels(["A & B", "C & D", "E"])
        #expect(plain.street == nil && plain.labels == ["A & B", "C & D", "E"])
        #expect(PlanHTML.fixed2(0.8) == "0.80" && PlanHTML.fixed2(1) == "1.00" && PlanHTML.fixed2(0.076) == "0.08")
    }
}
