// The plan's network map: one per period, routes coloured by the change in headway.

import Charts
import GTFS
import TransitNetwork

/// The network map section of the plan report.
enum PlanMap {
    /// The colour classes of the map and their legend words (``PlanHTML/changeStep(current:planned:)``).
    static let classes: [(step: Int, name: String)] = [
        (3, "headway halved or better"), (2, "shorter headway"), (0, "unchanged"),
        (-2, "longer headway"), (-3, "headway doubled or more"),
    ]

    /// Routes that run no plan in the period: thin, dark grey context.
    static let contextColor = "#8c8c8c"

    /// The line width for `tripsPerHour` planned trips per hour in each direction: 1.2 px plus
    /// 0.7 px per trip an hour, at most 10 px.
    static func width(tripsPerHour: Double) -> Double {
        min(10, 1.2 + 0.7 * max(0, tripsPerHour))
    }

    /// The section: a period switcher with one map per period.
    static func html(_ data: PlanData, feed: Feed, page: inout Page) -> String {
        let routeLines = RouteLines.build(feed: feed, date: data.date)
        var byRoute: [String: [[GeoPoint]]] = [:]
        for id in routeLines.routeIDs { byRoute[id] = routeLines.lines(ofRoute: id) }
        // Routes in the plan but without geometry on the date still get a try without the date.
        let missing = data.routeOrder.filter { byRoute[$0] == nil }
        if !missing.isEmpty {
            let all = RouteLines.build(feed: feed)
            for id in missing { let l = all.lines(ofRoute: id); if !l.isEmpty { byRoute[id] = l } }
        }
        let drawable = data.routeOrder.filter { byRoute[$0] != nil }
        guard !drawable.isEmpty else {
            return Page.paragraph("No map: the feed has neither shapes nor stop positions for the planned routes.", class: "note")
        }
        var legend = classes.map { SeriesStyle(name: $0.name, color: Palette.change($0.step)) }
        legend.append(SeriesStyle(name: "no service", color: contextColor))
        var panels: [(label: String, html: String)] = []
        for (p, period) in data.periods.enumerated() {
            var planned: [String: PlannedRoutePeriod] = [:]
            for line in data.lines where line.periodIndex == p { planned[line.routeID] = line }
            var context: [MapLine] = []
            var lines: [(width: Double, line: MapLine)] = []
            for id in drawable {
                let shapes = byRoute[id] ?? []
                let label = data.label(id)
                guard let l = planned[id] else {
                    for s in shapes {
                        context.append(MapLine(points: s, color: contextColor, width: 0.8, tooltip: "Route \(label), \(period.name): no service planned"))
                    }
                    continue
                }
                let step = PlanHTML.changeStep(current: l.currentHeadway, planned: l.plannedHeadway)
                let w = width(tripsPerHour: l.plannedTripsPerHour)
                var tip = "Route \(label)"
                if let ft = data.names[id]?.fromTo { tip += " (\(ft))" }
                tip += ", \(period.name): every \(PlanHTML.minutes(l.currentHeadway)) → \(PlanHTML.minutes(Double(l.plannedHeadway))) min, "
                tip += "\(Format.number(l.plannedTripsPerHour, places: 1)) trips/h each way, vehicles \(l.currentVehicles) → \(l.plannedVehicles)"
                if l.keptAsIs { tip += " (no counts: kept as today)" }
                for s in shapes { lines.append((w, MapLine(points: s, color: Palette.change(step), width: w, tooltip: tip))) }
            }
            // Context first, then the widest lines, so thin ones stay on top and visible.
            let ordered = context + lines.sorted { $0.width > $1.width }.map(\.line)
            let tphs = data.lines.filter { $0.periodIndex == p }.map(\.plannedTripsPerHour)
            let lo = tphs.min() ?? 0, hi = tphs.max() ?? 0
            let note = "Width: planned trips per hour each way, \(Format.number(lo, places: 1)) to \(Format.number(hi, places: 1))"
            let chart = MapChart(title: "Network map, \(period.name): change in headway", lines: ordered, legend: legend, note: note,
                                 tolerance: ReportLimits.mapTolerance, width: 900, height: 640)
            panels.append((period.name, Page.figure(chart.rendered())))
        }
        let name = page.nextSwitcherName()
        var s = Page.paragraph("Pick a period. Colour: the planned headway against today's (a route that runs at most once in the period today counts as halved or better; grey: no service planned in the period); width: planned trips per hour in each direction (1.2 px + 0.7 px per trip an hour, at most 10 px). Routes are drawn from the feed's shapes (stop to stop where a trip has none), projected to the city's plane and simplified to \(Format.number(ReportLimits.mapTolerance, places: 2)) px. Hover a route for its figures.", class: "note")
        if panels.count > ReportLimits.maximumSwitcherPanels {
            s += Page.paragraph("Maps of the first \(ReportLimits.maximumSwitcherPanels) of \(panels.count) periods.", class: "note")
        }
        s += Page.switcher(name: name, panels: Array(panels.prefix(ReportLimits.maximumSwitcherPanels)))
        return s
    }
}
