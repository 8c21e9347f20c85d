// The plan report: `transit plan … --report FILE.html`.

public import Planner
public import Timetable
import Charts
import GTFS
import TransitNetwork

/// The plan report: one self-contained HTML page that shows what a frequency plan changes.
///
/// Sections, in order:
/// - **Headline**: current, reference and optimal vehicle-hours, operating cost, passenger
///   waiting hours and objective; the proof (status, gap); the limits that bind.
/// - **Network map** per period (a switcher): routes drawn from their shapes, width by planned
///   trips per hour, colour by the change in headway against today.
/// - **Vehicles per period**: fleet limit, today, reference, optimal and the timetable's blocks.
/// - **Routes by period**: a sortable table as planners know it from Remix (from–to, every,
///   round-trip run time, layover, vehicles, peak load factor), today beside the plan.
/// - **Load profiles** of the busiest routes in the peak periods, when the ridership has
///   stop-level counts (GTFS-ride `board_alight.txt`).
///
/// The page loads nothing (see `Charts.Page`) and stays under ``ReportLimits/maximumBytes`` on
/// large feeds: maps are simplified to ``ReportLimits/mapTolerance`` pixels and load profiles
/// are limited to the busiest ``ReportLimits/defaultBusiestRoutes`` routes.
public enum PlanHTML {
    /// What the page shows beyond the result.
    public struct Options: Sendable {
        /// The command that made the page, shown in its footer.
        public var command: String
        /// The routes whose load profiles are drawn (`route_id` or `route_short_name`); empty
        /// for the busiest ``busiestRoutes`` in the peak periods.
        public var routes: [String]
        /// How many of the busiest routes get load profiles when ``routes`` is empty.
        public var busiestRoutes: Int

        /// Options (see the properties).
        public init(command: String = "transit plan", routes: [String] = [],
                    busiestRoutes: Int = ReportLimits.defaultBusiestRoutes) {
            self.command = command
            self.routes = routes
            self.busiestRoutes = max(1, busiestRoutes)
        }
    }

    /// The report of a plan as one HTML page.
    ///
    /// - Parameters:
    ///   - result: the operable plan (``OperablePlanner/plan(_:options:progress:)``); a result
    ///     without a plan gives a page that says so, with the reasons.
    ///   - request: the request it was planned from (its feed gives the shapes, stop names and
    ///     today's run times; its ridership source gives the load profiles).
    ///   - options: the footer's command and the load-profile routes.
    /// - Complexity: one pass over the feed (route patterns, today's service summary) and, for
    ///   GTFS-ride ridership, over the counts again; the page grows with routes × periods.
    public static func render(result: OperablePlanner.Result, request: PlanRequest, options: Options = Options()) -> String {
        let feed = request.loaded.feed
        let report = result.report
        var subtitle = "\(report.feedName) · current service \(report.date.iso8601) · \(report.planning.periods.count) periods"
        subtitle += " · " + limitsText(report.planning.limits, fleet: result.limits)
        var page = Page(title: "Frequency plan", subtitle: subtitle, madeBy: options.command)
        guard report.hasPlan else {
            page.section("No plan", id: "no-plan", html: noPlanHTML(result))
            return page.rendered()
        }
        let data = PlanData(result: result, feed: feed)
        page.section("Headline", id: "headline", html: headlineHTML(data))
        let map = PlanMap.html(data, feed: feed, page: &page)
        page.section("Network map", id: "map", html: map)
        page.section("Vehicles per period", id: "vehicles", html: vehiclesHTML(data))
        page.section("Routes by period", id: "routes", html: routeTableHTML(data))
        let loads = PlanLoadProfiles.html(data, request: request, options: options, page: &page)
        page.section("Load profiles", id: "loads", html: loads)
        page.section("Inputs and notes", id: "notes", html: notesHTML(data, request: request))
        return page.rendered()
    }

    // MARK: - Text helpers

    /// "fleet 80 · budget 100,000" or "no fleet or budget limit".
    static func limitsText(_ limits: PlanningLimits, fleet: [Int?]) -> String {
        var parts: [String] = []
        let known = fleet.compactMap { $0 }
        if !known.isEmpty {
            let distinct = Set(known)
            parts.append(distinct.count == 1 && known.count == fleet.count
                         ? "fleet \(Format.grouped(known[0]))"
                         : "fleet " + fleet.map { $0.map(Format.grouped) ?? "–" }.joined(separator: "/"))
        }
        if let b = limits.budget { parts.append("budget \(money(b)) per day") }
        return parts.isEmpty ? "no fleet or budget limit" : parts.joined(separator: " · ")
    }

    /// A whole amount of currency with thousands separators.
    static func money(_ v: Double) -> String { Format.number(v, places: 0) }

    /// A headway in minutes (`7.5`), or `–`.
    static func minutes(_ seconds: Double?) -> String {
        guard let s = seconds, s.isFinite else { return "–" }
        return Format.number(s / 60, places: 1)
    }

    /// The change from `a` to `b` as a signed percentage (`−3.2 %`), or nil when `a` is 0.
    static func percentChange(from a: Double, to b: Double) -> String? {
        guard a != 0, a.isFinite, b.isFinite else { return nil }
        let p = (b - a) / abs(a) * 100
        let text = Format.number(abs(p), places: 1)
        return (p < 0 ? "−" : p > 0 ? "+" : "±") + text + " %"
    }

    // MARK: - No plan

    static func noPlanHTML(_ result: OperablePlanner.Result) -> String {
        let report = result.report
        var s = Page.paragraph("No plan: the solve ended \(report.status.rawValue).")
        if !report.explanation.isEmpty {
            s += "<ul>" + report.explanation.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul>\n"
        }
        if let failure = result.failure { s += Page.paragraph(failure, class: "note") }
        return s
    }

    // MARK: - Headline

    /// The limits that bind, in words, and per period whether the fleet binds.
    struct Binding {
        /// Periods where the model's vehicles reach its limit.
        var modelPeriods: [Int] = []
        /// Periods where the timetable's blocks in service reach the user's fleet.
        var blockPeriods: [Int] = []
        /// The budget's slack, when there is a budget.
        var budgetSlack: Double?
        /// Whether the budget binds: less than one vehicle in the shortest period is left.
        var budgetBinds = false
    }

    static func binding(_ data: PlanData) -> Binding {
        var b = Binding()
        let planned = data.plannedVehicles
        for (p, v) in planned.enumerated() {
            if p < data.modelLimits.count, let l = data.modelLimits[p], v >= l { b.modelPeriods.append(p) }
            if p < data.result.limits.count, let f = data.result.limits[p], p < data.blocksInService.count,
               let blocks = data.blocksInService[p], blocks >= f {
                b.blockPeriods.append(p)
            }
        }
        let limits = data.report.planning.limits
        if let budget = limits.budget {
            let slack = budget - data.report.plan.optimal.operatingCost
            b.budgetSlack = slack
            let shortest = data.periods.map { Double($0.length) / 3600 }.min() ?? 1
            b.budgetBinds = slack < limits.vehicleHourCost * shortest
        }
        return b
    }

    static func headlineHTML(_ data: PlanData) -> String {
        let plan = data.report.plan
        let cur = plan.current, opt = plan.optimal, ref = plan.reference
        func note(_ now: Double, _ reference: Double?, _ format: (Double) -> String) -> String {
            var s = "today \(format(now))"
            if let reference { s += " · reference \(format(reference))" }
            return s
        }
        func change(_ now: Double, _ planned: Double) -> String {
            percentChange(from: now, to: planned).map { " (\($0) against today)" } ?? ""
        }
        let hours: (Double) -> String = { Format.number($0, places: 0) }
        let solution = plan.solution
        var proof = solution.status.rawValue
        if let g = solution.gap { proof += ", gap " + (g == 0 ? "0" : Format.number(g * 100, places: 4) + " %") }
        let seconds = solution.seconds < 0.01 ? "under 0.01 s" : "in " + Format.number(solution.seconds, places: 2) + " s"
        let binding = binding(data)
        let periodNames = data.periods.map(\.name)
        var limitsValue: String
        var limitsNote: String
        if binding.modelPeriods.isEmpty && !binding.budgetBinds {
            limitsValue = "none bind"
            limitsNote = "the plan is limited by the allowed headways and loads alone"
        } else {
            var parts: [String] = []
            if !binding.modelPeriods.isEmpty { parts.append("fleet in \(binding.modelPeriods.count) period(s)") }
            if binding.budgetBinds { parts.append("budget") }
            limitsValue = parts.joined(separator: " + ")
            limitsNote = binding.modelPeriods.map { periodNames[$0] }.joined(separator: ", ")
            if limitsNote.isEmpty { limitsNote = "budget: \(money(binding.budgetSlack ?? 0)) left" }
        }
        var s = Page.cards([
            ("Objective per day (optimal)", money(opt.objective), note(cur.objective, ref?.objective, money) + change(cur.objective, opt.objective)),
            ("Vehicle-hours per day", hours(opt.vehicleHours), note(cur.vehicleHours, ref?.vehicleHours, hours) + change(cur.vehicleHours, opt.vehicleHours)),
            ("Operating cost per day", money(opt.operatingCost), note(cur.operatingCost, ref?.operatingCost, money) + change(cur.operatingCost, opt.operatingCost)),
            ("Passenger waiting hours per day", hours(opt.waitingHours), note(cur.waitingHours, ref?.waitingHours, hours) + change(cur.waitingHours, opt.waitingHours)),
            ("Proof", proof, "proved by \(solution.proof) \(seconds); \(data.result.rounds.count) solve(s)"),
            ("Limits that bind", limitsValue, limitsNote),
        ])
        if !data.result.fits {
            s += Page.paragraph("The timetable of this plan does not fit the fleet: \(data.result.failure ?? "the blocks need more vehicles").",
                                class: "note")
        }
        var rows: [[Cell]] = []
        func add(_ name: String, _ sc: FrequencyPlan.Scenario?) {
            guard let sc else { return }
            func cell(_ v: Double, _ base: Double, places: Int) -> Cell {
                var c = Cell.number(v, places: places)
                if name == "optimal" {
                    c.style = v < base - 1e-6 ? "better" : v > base + 1e-6 ? "worse" : nil
                }
                return c
            }
            rows.append([Cell(name), cell(sc.vehicleHours, cur.vehicleHours, places: 0), cell(sc.operatingCost, cur.operatingCost, places: 0),
                         cell(sc.waitingHours, cur.waitingHours, places: 0), cell(sc.waitingCost, cur.waitingCost, places: 0),
                         cell(sc.objective, cur.objective, places: 0)])
        }
        add("current", cur)
        add("reference", ref)
        add("optimal", opt)
        s += Table(caption: "Per average day. Reference: Ceder's rule, rounded down to an allowed headway. Optimal cells in purple are lower (better) than today, orange higher.",
                   columns: ["scenario", "vehicle-hours", "operating cost", "waiting hours", "waiting cost", "objective"],
                   rows: rows, sortable: false).rendered()

        // The limits, period by period.
        var limitRows: [[Cell]] = []
        let totals = data.report.plan.periodTotals
        for (p, total) in totals.enumerated() {
            let user = p < data.result.limits.count ? data.result.limits[p] : nil
            let model = p < data.modelLimits.count ? data.modelLimits[p] : nil
            let blocks = p < data.blocksInService.count ? data.blocksInService[p] : nil
            var binds: [String] = []
            if binding.modelPeriods.contains(p) { binds.append("plan at the model limit") }
            if binding.blockPeriods.contains(p) { binds.append("blocks at the fleet") }
            limitRows.append([Cell(total.period), Cell.int(user), Cell.int(model), Cell.int(total.vehicles), Cell.int(blocks),
                              Cell(binds.isEmpty ? "no" : binds.joined(separator: "; "), style: binds.isEmpty ? nil : "worse")])
        }
        if let budget = data.report.planning.limits.budget {
            limitRows.append([Cell("budget per day"), Cell.number(budget, places: 0), Cell("–", numeric: true),
                              Cell.number(opt.operatingCost, places: 0), Cell("–", numeric: true),
                              Cell(binding.budgetBinds ? "binds: \(money(binding.budgetSlack ?? 0)) left, less than one vehicle in the shortest period"
                                   : "no: \(money(binding.budgetSlack ?? 0)) left", style: binding.budgetBinds ? "worse" : nil)])
        }
        s += Table(caption: "Limits. Model limit: the fleet the last solve used (lower than the fleet where the timetable needed room at period changes). Plan: Σ ceil(cycle / headway). Blocks: vehicle blocks of the plan's timetable in service at the busiest moment of the period.",
                   columns: ["limit", "fleet / budget", "model limit", "plan", "blocks", "binds"], rows: limitRows, sortable: false).rendered()
        return s
    }

    // MARK: - Vehicles

    static func vehiclesHTML(_ data: PlanData) -> String {
        let totals = data.report.plan.periodTotals
        let names = totals.map(\.period)
        var series: [(style: SeriesStyle, values: [Double])] = [
            (SeriesStyle(name: "today", color: "#999999"), totals.map { Double($0.currentVehicles) }),
        ]
        if totals.contains(where: { $0.referenceVehicles != nil }) {
            series.append((SeriesStyle(name: "reference", color: Palette.category(1)), totals.map { Double($0.referenceVehicles ?? 0) }))
        }
        series.append((SeriesStyle(name: "optimal", color: Palette.category(0)), totals.map { Double($0.vehicles) }))
        if data.blocksInService.contains(where: { $0 != nil }) {
            series.append((SeriesStyle(name: "blocks in service", color: Palette.category(2)), data.blocksInService.map { Double($0 ?? 0) }))
        }
        let limits: [Double?] = totals.indices.map { p in
            p < data.result.limits.count ? data.result.limits[p].map(Double.init) : nil
        }
        let most = (series.flatMap(\.values) + limits.compactMap { $0 }).max() ?? 0
        let chart = BarChart(title: "Vehicles per period", categories: names, series: series, limits: limits,
                             limitName: "fleet limit", xTitle: "period (service day, HH:MM)", yTitle: "vehicles in service",
                             places: most < 5 ? 1 : 0, width: 860, height: 340)
        return Page.figure(chart.rendered(),
                           caption: "Today: vehicles today's timetable needs (ceil(cycle / headway) per route). Reference and optimal: the same count for those plans. Blocks: the plan's timetable as vehicle blocks, at the busiest moment of the period (vehicles of the busier period still out count there). Dashed: the fleet.")
    }

    // MARK: - Routes by period

    /// The class of the change in headway from `current` to `planned`: +3 halved or better,
    /// +2 shorter, 0 within 3 %, −2 longer, −3 doubled or more; +3 for service that runs at
    /// most once today.
    static func changeStep(current: Double?, planned: Int32) -> Int {
        guard let c = current, c > 0 else { return 3 }
        let r = Double(planned) / c
        if r <= 0.5 { return 3 }
        if r < 0.97 { return 2 }
        if r <= 1.03 { return 0 }
        if r < 2 { return -2 }
        return -3
    }

    /// Text that does not wrap inside a table cell: non-breaking hyphens and spaces.
    static func unbroken(_ text: String) -> String {
        String(text.map { $0 == "-" ? "\u{2011}" : $0 == " " ? "\u{00A0}" : $0 })
    }

    /// `value` with exactly two decimals (`0.80`).
    static func fixed2(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let hundredths = Int((abs(value) * 100).rounded())
        let rest = hundredths % 100
        return (value < 0 && hundredths > 0 ? "-" : "") + String(hundredths / 100) + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// "now → planned" for a table cell.
    static func change(_ now: String, _ planned: String) -> String {
        unbroken(now == planned ? planned : "\(now) → \(planned)")
    }

    static func routeTableHTML(_ data: PlanData) -> String {
        let lf = data.report.planning.limits.loadFactor
        var rows: [[Cell]] = []
        for line in data.lines {
            let names = data.names[line.routeID]
            let now = line.currentHeadway
            let planned = Double(line.plannedHeadway)
            var hwStyle: String? = nil
            if let now { hwStyle = planned < now - 30 ? "better" : planned > now + 30 ? "worse" : nil } else { hwStyle = "better" }
            if line.keptAsIs { hwStyle = nil }
            let layoverNow = line.layover(vehicles: line.currentVehicles, headway: now)
            let layoverPlanned = line.layover(vehicles: line.plannedVehicles, headway: planned)
            var lfStyle: String? = nil
            if let p = line.plannedPeakLoadFactor {
                if p > lf + 1e-9 { lfStyle = "worse" } else if let c = line.currentPeakLoadFactor {
                    lfStyle = p < c - 0.02 ? "better" : p > c + 0.02 ? "worse" : nil
                }
            }
            func lfText(_ v: Double?) -> String { v.map(fixed2) ?? "–" }
            var route = Cell(data.label(line.routeID), sortKey: String(line.routeOrder) + "|" + data.label(line.routeID))
            if line.keptAsIs { route.text += " *" }
            rows.append([
                route,
                Cell(names?.fromTo ?? "–"),
                Cell(unbroken(line.period), sortKey: String(line.periodIndex)),
                Cell(change(minutes(now), minutes(planned)), sortKey: String(planned), numeric: true, style: hwStyle),
                Cell(minutes(line.referenceHeadway.map(Double.init)), sortKey: line.referenceHeadway.map { String($0) } ?? "", numeric: true),
                Cell(minutes(line.roundTripRunTime), sortKey: line.roundTripRunTime.map { String($0) } ?? "", numeric: true),
                Cell(change(minutes(layoverNow), minutes(layoverPlanned)), sortKey: layoverPlanned.map { String($0) } ?? "", numeric: true),
                Cell(change(String(line.currentVehicles), String(line.plannedVehicles)), sortKey: String(line.plannedVehicles), numeric: true),
                Cell(change(lfText(line.currentPeakLoadFactor), lfText(line.plannedPeakLoadFactor)),
                     sortKey: line.plannedPeakLoadFactor.map { String($0) } ?? "", numeric: true, style: lfStyle),
                Cell.number(line.boardings, places: 0),
            ])
        }
        var s = Page.paragraph("Today → planned, per route and period; a click on a heading sorts (by the planned value). "
            + "Every: the headway in minutes (today's mean gap); ref: Ceder's reference headway. "
            + "Run time: today's round trip, both directions (medians of the period's trips). "
            + "Layover: vehicles × headway − round-trip run time, minutes per round trip. "
            + "Peak load factor: the max load over the places offered (target \(Format.number(lf, places: 2))). "
            + "Purple: better for riders (shorter headway, less crowded); orange: worse. * no counts: kept as today.", class: "note")
        s += Table(caption: "Routes by period: today → planned; every, ref, run time and layover in minutes",
                   columns: ["route", "from – to", "period", "every", "ref", "run time", "layover",
                             "vehicles", "peak LF", "boardings"],
                   rows: rows).rendered()
        return s
    }

    // MARK: - Notes

    static func notesHTML(_ data: PlanData, request: PlanRequest) -> String {
        let limits = data.report.planning.limits
        var facts: [(String, String)] = [
            ("Feed", data.feedName),
            ("Current service", data.date.iso8601),
            ("Periods", data.periods.map(\.name).joined(separator: ", ")),
            ("Ridership", {
                switch request.ridership {
                case .boardAlight(let path): return path.map { "GTFS-ride board_alight.txt: \($0)" } ?? "GTFS-ride board_alight.txt of the feed"
                case .loadTable(let path): return "load table: \(path)"
                }
            }()),
            ("Capacity", limits.capacity.map { "\($0) for every route" } ?? "trip_capacity.txt per route"),
            ("Load factor", Format.number(limits.loadFactor, places: 2)),
            ("Allowed headways (min)", limits.headways.sorted().map { Format.number(Double($0) / 60, places: 1) }.joined(separator: ", ")),
            ("Cost per vehicle-hour", money(limits.vehicleHourCost)),
            ("Value of waiting time per hour", money(limits.valueOfTime)),
            ("Weights (waiting, operating)", "\(Format.number(limits.waitingWeight, places: 2)), \(Format.number(limits.operatingWeight, places: 2))"),
            ("Solver", "\(data.report.plan.solution.variablesSolved) of \(data.report.plan.solution.variables) options left after reduced-cost fixing"),
        ]
        if let op = data.result.document(diagnostics: false).operation, let blocks = op.blocks {
            var text = "\(blocks) vehicle blocks"
            if let vh = op.vehicleHours { text += ", \(Format.number(vh, places: 0)) vehicle-hours in service" }
            if let dh = op.deadheadKm { text += ", \(Format.number(dh, places: 1)) km of deadheads" }
            text += op.fits ? "; fits the fleet" : "; does not fit the fleet"
            facts.append(("Timetable", text))
        }
        var s = Page.facts(facts)
        let warnings = data.report.planning.warnings
        if !warnings.isEmpty {
            s += "<ul class=\"note\">" + warnings.prefix(20).map { "<li>\(Markup.escape($0))</li>" }.joined()
            if warnings.count > 20 { s += "<li>… and \(warnings.count - 20) more</li>" }
            s += "</ul>\n"
        }
        return s
    }
}
