// The network report as one self-contained HTML page.

import Charts
import GTFS
import TransitNetwork

extension NetworkReport {
    /// The `<svg>` figures besides the maps: the trips under way and the span of service.
    public static let chartCount = 2

    /// The most bytes the frequency maps of one page may take together: the per-period maps
    /// are left out when they would pass it (the map of each route's busiest period stays).
    public static let mapBudget = 2_500_000

    /// The periods that get a map of their own beside the busiest-period map: every period
    /// with a departure, when all those maps fit ``mapBudget`` (each about the size of
    /// `busiestMapBytes`), else none.
    public func mapPeriods(busiestMapBytes: Int) -> [Int] {
        let running = periods.indices.filter { p in routes.contains { $0.periodTrips.indices.contains(p) && $0.periodTrips[p] > 0 } }
        guard running.count > 1, busiestMapBytes * (running.count + 1) <= Self.mapBudget else { return [] }
        return running
    }

    /// The number of `<svg>` figures ``rendered()`` writes: one map per entry of
    /// ``mapPeriods(busiestMapBytes:)`` plus the busiest-period map, and ``chartCount`` charts.
    public var figureCount: Int {
        1 + mapPeriods(busiestMapBytes: mapSVG(period: nil).utf8.count).count + Self.chartCount
    }

    /// The whole page: one self-contained HTML document.
    public func rendered() -> String {
        let name = agencyName.isEmpty ? options.source : agencyName
        var page = Page(title: "Network report" + (name.isEmpty ? "" : ": " + name),
                        subtitle: "Service on \(Self.weekdayNames[date.weekday]) \(date.iso8601)"
                            + (options.source.isEmpty ? "" : " · feed \(options.source)"),
                        madeBy: options.command)
        page.extraStyle = FrequencyClass.styleSheet
        page.section("Overview", id: "overview", html: overviewHTML())
        page.section("Frequency map", id: "map", html: mapHTML(switcher: page.nextSwitcherName()))
        page.section("Trips under way", id: "day", html: Page.figure(underWaySVG(), caption:
            "Departures between their first departure and last arrival, every 5 minutes; layovers and deadheads are not counted."))
        page.section("Span of service", id: "span", html: spanHTML())
        page.section("Headways by period", id: "headways", html: headwayHTML())
        return page.rendered()
    }

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    // MARK: Overview

    func overviewHTML() -> String {
        let peak = summary.totals.max { $0.vehicles < $1.vehicles }
        var html = Page.cards([
            ("Service date", "\(Self.weekdayNames[date.weekday].prefix(3)) \(date.iso8601)", nil),
            ("Routes running", Format.grouped(routes.count), "of \(Format.grouped(routeCount)) in routes.txt"),
            ("Stops served", Format.grouped(stopsServed), nil),
            ("Departures", Format.grouped(summary.totalRuns), "trips, frequencies expanded"),
            ("Revenue hours", Format.number(revenueHours, places: 0), "first departure to last arrival, summed"),
            ("Peak vehicles", Format.grouped(summary.peakVehicles),
             peak.flatMap { $0.vehicles > 0 ? "in \($0.period.name), layovers included" : nil }),
        ])
        var facts: [(String, String)] = []
        if !options.source.isEmpty { facts.append(("Feed", options.source)) }
        if !agencyName.isEmpty { facts.append(("Agency", agencyName)) }
        facts.append(("Periods", periods.map(\.name).joined(separator: ", ")))
        facts.append(("Vehicles", "ceil(cycle time / mean headway) per route and direction; the cycle is both directions' median run time plus a layover per direction of max(\(Format.number(options.layoverShare * 100, places: 1)) % of the run time, \(Format.number(Double(options.minimumLayover) / 60, places: 1)) min)"))
        if summary.unassignedRuns > 0 {
            facts.append(("Outside the periods", "\(Format.grouped(summary.unassignedRuns)) of \(Format.grouped(summary.totalRuns)) departures start outside every period and are not counted in headways or vehicles"))
        }
        if summary.runsWithInferredDirection > 0 {
            facts.append(("Directions", "\(Format.grouped(summary.runsWithInferredDirection)) departures have no direction_id; their direction was inferred from the route's geometry"))
        } else if summary.runsWithoutDirection > 0 {
            facts.append(("Directions", "\(Format.grouped(summary.runsWithoutDirection)) departures have no direction_id and count as direction 0"))
        }
        if !unmatchedRoutes.isEmpty { facts.append(("Unknown routes", unmatchedRoutes.joined(separator: ", "))) }
        if !idleRoutes.isEmpty { facts.append(("Routes without service", idleRoutes.joined(separator: ", "))) }
        html += Page.facts(facts)
        if routes.isEmpty {
            html += Page.paragraph("No trip runs on \(date.iso8601): the feed's calendars name no service on that date.", class: "note")
        }
        return html
    }

    // MARK: Map

    /// The width of a route's lines: 1 px plus 0.5 px per trip per hour, at most 9 px.
    static func lineWidth(tripsPerHour: Double) -> Double {
        min(9, 1 + 0.5 * max(0, tripsPerHour))
    }

    /// The map of each route's busiest period, and a map per period when they fit
    /// ``mapBudget``, in a switcher.
    func mapHTML(switcher name: String) -> String {
        let busiest = mapSVG(period: nil)
        let shown = mapPeriods(busiestMapBytes: busiest.utf8.count)
        var panels = [(label: "Busiest period", html: Page.figure(busiest, caption: mapCaption()))]
        for p in shown {
            panels.append((label: periods[p].name, html: Page.figure(mapSVG(period: p), caption:
                "Routes in \(periods[p].name): colour by the effective headway in the period, width by the trips per hour of the busier direction; light grey: no departure in the period.")))
        }
        var html = Page.switcher(name: name, panels: panels)
        if shown.isEmpty, periods.count > 1 {
            html += Page.paragraph("One map per period would pass \(Format.number(Double(Self.mapBudget) / 1_000_000, places: 1)) MB on this feed: the table under Headways by period gives each period instead.", class: "note")
        }
        return html
    }

    /// The trips per hour of each route's busier direction in each period, by route code.
    func periodTripsPerHour() -> [Int32: [Double]] {
        var out: [Int32: [Double]] = [:]
        for row in summary.rows {
            let hours = Double(max(1, periods[row.periodIndex].length)) / 3600
            var list = out[row.route] ?? [Double](repeating: 0, count: periods.count)
            list[row.periodIndex] = max(list[row.periodIndex], Double(row.trips) / hours)
            out[row.route] = list
        }
        return out
    }

    /// The frequency map of `period`, or of each route's busiest period when `nil`.
    func mapSVG(period: Int?) -> String {
        let perHour = period == nil ? [:] : periodTripsPerHour()
        func tripsPerHour(_ r: RouteService) -> Double {
            guard let p = period else { return r.busiestTripsPerHour }
            return perHour[r.route].map { $0[p] } ?? 0
        }
        func runs(_ r: RouteService) -> Bool {
            guard let p = period else { return true }
            return r.periodTrips.indices.contains(p) && r.periodTrips[p] > 0
        }
        let order = routes.indices.sorted { a, b in
            // Routes without service first (under the others), then the widest last (on top).
            let ra = runs(routes[a]), rb = runs(routes[b])
            if ra != rb { return !ra }
            let wa = Self.lineWidth(tripsPerHour: tripsPerHour(routes[a])), wb = Self.lineWidth(tripsPerHour: tripsPerHour(routes[b]))
            return wa != wb ? wa < wb : a < b
        }
        var mapLines: [MapLine] = []
        for i in order {
            let r = routes[i]
            let running = runs(r)
            let color: String
            if let p = period {
                color = running ? FrequencyClass(headway: r.periodHeadways.indices.contains(p) ? r.periodHeadways[p] : nil).color : Self.idleColor
            } else {
                color = r.frequency.color
            }
            let width = running ? Self.lineWidth(tripsPerHour: tripsPerHour(r)) : 1
            let tip = period.map { p in running
                ? "Route \(r.label) in \(periods[p].name): \(Format.grouped(r.periodTrips[p])) departures, \(Format.number(tripsPerHour(r), places: 1)) trips/h in the busier direction"
                : "Route \(r.label): no departure in \(periods[p].name)" } ?? routeTooltip(r)
            for points in lines.lines(ofRouteCode: r.route) {
                mapLines.append(MapLine(points: points, color: color, width: width, tooltip: tip))
            }
        }
        var legend = FrequencyClass.allCases.map(\.style)
        if period != nil { legend.append(SeriesStyle(name: "no departure in the period", color: Self.idleColor)) }
        let title = period.map { "Frequency map, \(date.iso8601), \(periods[$0].name)" }
            ?? "Frequency map, \(date.iso8601): headway in each route's busiest period"
        let note = period == nil
            ? "Width: trips/h in the busiest period and direction (1 px + 0.5 px per trip/h)"
            : "Width: trips/h of the busier direction in the period (1 px + 0.5 px per trip/h)"
        return MapChart(title: title, lines: mapLines, legend: legend, note: note,
                        tolerance: ReportLimits.mapTolerance, width: 960, height: 720).rendered()
    }

    /// The colour of a route without a departure in the period a map shows.
    static let idleColor = "#e3e3e3"

    func mapCaption() -> String {
        var shapes = 0, stops = 0
        for r in routes {
            for l in lines.details(ofRouteCode: r.route) {
                if case .shape = l.source { shapes += 1 } else { stops += 1 }
            }
        }
        var text = "Every route running on the date, the most frequent drawn last (on top). \(Format.grouped(shapes)) lines from shapes.txt"
        if stops > 0 { text += ", \(Format.grouped(stops)) through the stops of trips without a shape" }
        return text + "; simplified to \(Format.number(ReportLimits.mapTolerance, places: 2)) px."
    }

    func routeTooltip(_ r: RouteService) -> String {
        var s = "Route \(r.label)"
        if !r.longName.isEmpty, r.longName != r.label { s += " (\(r.longName))" }
        s += ": \(Format.grouped(r.trips)) departures"
        if let p = r.busiestPeriod {
            s += "; busiest \(periods[p].name): \(Format.number(r.busiestTripsPerHour, places: 1)) trips/h"
            if let h = r.busiestHeadway { s += ", every \(Format.minutes(h))" }
        }
        return s
    }

    // MARK: Trips under way

    func underWaySVG() -> String {
        let points = underWay.map { (x: Double($0.time), y: Double($0.trips)) }
        let most = underWay.max { $0.trips < $1.trips }
        let tip = most.map { "Trips under way; most: \(Format.grouped($0.trips)) at \(Format.clock(Int($0.time)))" } ?? "Trips under way"
        return LineChart(title: "Trips under way over the day", series: [
            LineSeries(style: SeriesStyle(name: "trips under way (vehicles in revenue service)", color: Palette.category(0)),
                       points: points, tooltip: tip, step: true),
        ], xTitle: "time of day (service day, HH:MM)", yTitle: "trips under way", xStyle: .clock, width: 960, height: 320).rendered()
    }

    // MARK: Span of service

    /// The Gantt chart's kinds: the frequency classes, then no departure, then outside the periods.
    static var spanKinds: [SeriesStyle] {
        FrequencyClass.allCases.map(\.style) + [
            SeriesStyle(name: "no departure", color: "#e4e4e4"),
            SeriesStyle(name: "outside periods", color: "#c9c0b0"),
        ]
    }

    /// `rows` with only the kinds they use (so the legend stays on one line), renumbered.
    static func usedKinds(_ rows: [(label: String, segments: [GanttSegment])]) -> (rows: [(label: String, segments: [GanttSegment])], kinds: [SeriesStyle]) {
        let all = spanKinds
        var used = Set<Int>()
        for r in rows { for s in r.segments { used.insert(s.kind) } }
        let kept = all.indices.filter { used.contains($0) || $0 < FrequencyClass.allCases.count }
        var newIndex: [Int: Int] = [:]
        for (n, k) in kept.enumerated() { newIndex[k] = n }
        let renumbered = rows.map { r in
            (label: r.label, segments: r.segments.map { s in
                GanttSegment(start: s.start, end: s.end, kind: newIndex[s.kind] ?? s.kind, tooltip: s.tooltip)
            })
        }
        return (renumbered, kept.map { all[$0] })
    }

    /// The span of route `r` cut at the period boundaries, each piece coloured by the class of
    /// the route's headway in its period.
    func spanSegments(_ r: RouteService) -> [GanttSegment] {
        let first = r.firstDeparture, last = max(r.lastArrival, r.firstDeparture + 60)
        var cuts: [Int32] = [first, last]
        for p in periods {
            if p.start > first && p.start < last { cuts.append(p.start) }
            if p.end > first && p.end < last { cuts.append(p.end) }
        }
        cuts = Array(Set(cuts)).sorted()
        let spanText = "span \(Format.clock(Int(r.firstDeparture)))–\(Format.clock(Int(r.lastArrival)))"
        var out: [GanttSegment] = []
        for (a, b) in zip(cuts, cuts.dropFirst()) {
            let middle = a + (b - a) / 2
            let kind: Int
            var tip = "Route \(r.label), \(Format.clock(Int(a)))–\(Format.clock(Int(b)))"
            if let p = periods.firstIndex(where: { $0.contains(middle) }) {
                let trips = r.periodTrips[p]
                if trips == 0 {
                    kind = FrequencyClass.allCases.count
                    tip += " (\(periods[p].name)): no departure"
                } else {
                    let h = r.periodHeadways[p]
                    kind = FrequencyClass(headway: h).rawValue
                    tip += " (\(periods[p].name)): \(Format.grouped(trips)) departures"
                    tip += h.map { ", about every \(Format.minutes($0)) (more frequent direction)" } ?? ", fewer than 2 in each direction"
                }
            } else {
                kind = FrequencyClass.allCases.count + 1
                tip += ": outside the periods"
            }
            out.append(GanttSegment(start: Int(a), end: Int(b), kind: kind, tooltip: tip + "; " + spanText))
        }
        return out
    }

    func spanHTML() -> String {
        var html = ""
        let (rows, kinds) = Self.usedKinds(chartedRoutes.map { i in (label: Self.short(routes[i].label, 24), segments: spanSegments(routes[i])) })
        let shown = "\(Format.grouped(chartedRoutes.count)) of \(Format.grouped(routes.count)) routes"
        let title = chartedRoutes.count == routes.count
            ? "Span of service per route, coloured by the headway of each period"
            : "Span of service, \(options.routes.isEmpty ? "the busiest " : "")\(shown), coloured by headway"
        html += Page.figure(GanttChart(title: title, rows: rows, kinds: kinds, width: 960, rowHeight: 14).rendered(),
                            caption: "Each bar runs from the route's first departure to its last arrival on the date; the colour of each period is the class of the effective headway of the more frequent direction (see Headways by period)."
                                + (chartedRoutes.count < routes.count && options.routes.isEmpty
                                   ? " Only the busiest \(ReportLimits.maximumGanttRows) routes are drawn; the table below lists them all." : ""))
        let modes = Set(tabledRoutes.map { routes[$0].mode })
        var tableRows: [[Cell]] = []
        for i in tabledRoutes {
            let r = routes[i]
            tableRows.append([Cell(r.label), Cell(r.longName)] + (modes.count > 1 ? [Cell(r.mode)] : []) + [
                Cell.int(r.trips),
                Cell(Format.clock(Int(r.firstDeparture)), sortKey: String(r.firstDeparture), numeric: true),
                Cell(Format.clock(Int(r.lastArrival)), sortKey: String(r.lastArrival), numeric: true),
                Cell.number(Double(r.span) / 3600, places: 1),
                Cell(r.busiestPeriod.map { periods[$0].name } ?? "–"),
                Cell.number(r.busiestPeriod == nil ? nil : r.busiestTripsPerHour, places: 1),
                headwayCell(r.busiestHeadway, trips: r.busiestPeriod == nil ? 0 : 1, frequency: r.frequency),
                Cell.int(r.peakVehicles),
            ])
        }
        html += Table(caption: "Span of service and busiest period per route (\(Format.grouped(tabledRoutes.count)) routes): trips per hour and mean headway of the busier direction in the busiest period; click a heading to sort.",
                      columns: ["Route", "Name"] + (modes.count > 1 ? ["Mode"] : []) + ["Trips", "First dep.", "Last arr.", "Span (h)",
                                "Busiest period", "Trips/h", "Headway (min)", "Peak vehicles"],
                      rows: tableRows).rendered()
        return html
    }

    // MARK: Headways

    /// A table cell for a mean headway in minutes, shaded by `frequency` (the class of the
    /// effective headway); a single departure reads "1 trip".
    func headwayCell(_ headway: Double?, trips: Int, frequency: FrequencyClass) -> Cell {
        if let h = headway {
            return Cell(Format.number(h / 60, places: 1), sortKey: String(Int(h.rounded())), numeric: true,
                        style: frequency.cssClass)
        }
        if trips > 0 { return Cell("1 trip", sortKey: "999999", numeric: true, style: FrequencyClass.rare.cssClass) }
        return Cell("–", sortKey: "", numeric: true)
    }

    func headwayHTML() -> String {
        let wanted = Set(tabledRoutes.map { routes[$0].route })
        let labels = Dictionary(routes.map { ($0.route, $0.label) }, uniquingKeysWith: { a, _ in a })
        // Rows of the summary grouped by route and direction, in the summary's order.
        var keys: [(route: Int32, direction: Int32)] = []
        var cells: [String: [ServiceSummary.Row?]] = [:]
        for row in summary.rows where wanted.contains(row.route) && row.periodIndex >= 0 && row.periodIndex < periods.count {
            let key = "\(row.route)/\(row.direction)"
            if cells[key] == nil {
                keys.append((row.route, row.direction))
                cells[key] = [ServiceSummary.Row?](repeating: nil, count: periods.count)
            }
            cells[key]?[row.periodIndex] = row
        }
        var rows: [[Cell]] = []
        for k in keys {
            let line = cells["\(k.route)/\(k.direction)"] ?? []
            var row = [Cell(labels[k.route] ?? ""), Cell(String(k.direction), numeric: true),
                       Cell.int(line.reduce(0) { $0 + ($1?.trips ?? 0) })]
            for p in periods.indices {
                let r = p < line.count ? line[p] : nil
                row.append(headwayCell(r?.meanHeadway, trips: r?.trips ?? 0, frequency: FrequencyClass(headway: r.flatMap(effectiveHeadway))))
            }
            rows.append(row)
        }
        var html = Page.paragraph("Mean headway in minutes per route, direction and period: the mean gap between consecutive departures in the period, as “transit network summary” prints it. "
                                  + "The shading is the class of the effective headway: the larger of the mean headway and the time the route runs in the period divided by its departures, "
                                  + "so a few departures close together in a long period do not read as frequent service. Classes: "
                                  + FrequencyClass.allCases.map(\.name).joined(separator: ", ") + ".", class: "note")
        html += Table(caption: "Mean headway (minutes) by period; click a heading to sort.",
                      columns: ["Route", "Dir", "Departures"] + periods.map(\.name), rows: rows).rendered()
        return html
    }

    /// `text` cut to `limit` characters with an ellipsis.
    static func short(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
