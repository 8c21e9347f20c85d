// Load profiles of the plan report: passengers along the stops against the places offered.

import Charts
import GTFS
import Planner
import Ridership
import TransitNetwork

/// The load-profile section of the plan report.
enum PlanLoadProfiles {
    /// One route direction in one period: the load past each stop of its main stop sequence.
    struct Profile: Sendable {
        var routeID: String
        var direction: Int
        var period: Int
        /// The stops of the main sequence (the one the most counted trips ran), in order.
        var stops: [Int32]
        /// Passengers on board after each stop, summed over the period's trips (average day).
        var load: [Double]
        /// Boardings and alightings at each stop (average day).
        var boardings: [Double], alightings: [Double]
    }

    /// The routes whose profiles are drawn: those asked for (by `route_id` or label), else the
    /// busiest by boardings in the peak periods (routes with counts only).
    static func routes(_ data: PlanData, feed: Feed, peaks: [Int], options: PlanHTML.Options) -> [String] {
        if !options.routes.isEmpty {
            let planned = Set(data.routeOrder)
            return RouteSelection.routeIDs(options.routes, feed: feed).ids.filter(planned.contains)
        }
        var boardings: [String: Double] = [:]
        for line in data.lines where peaks.contains(line.periodIndex) && !line.keptAsIs && line.boardings > 0 {
            boardings[line.routeID, default: 0] += line.boardings
        }
        let ranked = boardings.keys.sorted { boardings[$0] != boardings[$1] ? (boardings[$0] ?? 0) > (boardings[$1] ?? 0) : $0 < $1 }
        return Array(ranked.prefix(options.busiestRoutes))
    }

    /// Per route, direction and peak period, the profile along the main stop sequence.
    static func profiles(_ analysis: RidershipAnalysis, routes: Set<String>, periods: [Int]) -> [Profile] {
        struct Key: Hashable { var route: String; var direction: Int; var period: Int }
        let wanted = Set(periods)
        var relevant: [TripLoadProfile] = []
        for p in analysis.profiles where routes.contains(p.routeID) && p.periods.contains(where: { wanted.contains($0) }) {
            relevant.append(p)
        }
        // The main sequence of each key: the stop list carrying the most weight in the period.
        var weights: [Key: [[Int32]: Double]] = [:]
        for p in relevant {
            for period in Set(p.periods) where wanted.contains(period) {
                weights[Key(route: p.routeID, direction: p.direction, period: period), default: [:]][p.stops, default: 0] += p.weight
            }
        }
        var main: [Key: [Int32]] = [:]
        var slot: [Key: [StopVisit: Int]] = [:]
        for (key, options) in weights {
            guard let best = options.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key.count < $1.key.count })?.key else { continue }
            main[key] = best
            var visits: [Int32: Int] = [:]
            var map: [StopVisit: Int] = [:]
            for (i, s) in best.enumerated() {
                let v = visits[s, default: 0]
                visits[s] = v + 1
                map[StopVisit(stop: s, visit: v)] = i
            }
            slot[key] = map
        }
        var out: [Key: Profile] = [:]
        for (key, stops) in main {
            out[key] = Profile(routeID: key.route, direction: key.direction, period: key.period, stops: stops,
                               load: Array(repeating: 0, count: stops.count), boardings: Array(repeating: 0, count: stops.count),
                               alightings: Array(repeating: 0, count: stops.count))
        }
        for p in relevant {
            var visits: [Int32: Int] = [:]
            for i in p.stops.indices {
                let s = p.stops[i]
                let v = visits[s, default: 0]
                visits[s] = v + 1
                let period = i < p.periods.count ? p.periods[i] : -1
                guard wanted.contains(period) else { continue }
                let key = Key(route: p.routeID, direction: p.direction, period: period)
                guard let j = slot[key]?[StopVisit(stop: s, visit: v)], var profile = out[key] else { continue }
                out[key] = nil
                if i < p.loadAfter.count { profile.load[j] += p.weight * Double(p.loadAfter[i]) }
                if i < p.boardings.count { profile.boardings[j] += p.weight * Double(p.boardings[i]) }
                if i < p.alightings.count { profile.alightings[j] += p.weight * Double(p.alightings[i]) }
                out[key] = profile
            }
        }
        return out.values.sorted { ($0.routeID, $0.direction, $0.period) < ($1.routeID, $1.direction, $1.period) }
    }

    struct StopVisit: Hashable { var stop: Int32; var visit: Int }

    /// The section.
    static func html(_ data: PlanData, request: PlanRequest, options: PlanHTML.Options, page: inout Page) -> String {
        let peaks = data.peakPeriods
        guard !peaks.isEmpty else { return Page.paragraph("No period has planned service.", class: "note") }
        let routes = routes(data, feed: request.loaded.feed, peaks: peaks, options: options)
        let peakNames = peaks.map { data.periods[$0].name }.joined(separator: " and ")
        var intro = "Peak period(s) by planned vehicles: \(peakNames). "
        intro += options.routes.isEmpty
            ? "Routes: the \(routes.count) busiest by boardings in the peak (at most \(options.busiestRoutes); choose others with --report-routes). "
            : "Routes: \(routes.map { data.label($0) }.joined(separator: ", ")) (as asked). "
        guard !routes.isEmpty else {
            return Page.paragraph(intro + "No route with counts runs in the peak.", class: "note")
        }
        // Stop-level counts exist only in GTFS-ride; a load table gives the max load alone.
        var analysis: RidershipAnalysis? = nil
        var why = "the demand came from a load table, which gives the max load per route, direction and period but no counts per stop"
        if case .boardAlight(let path) = request.ridership {
            do {
                let input = try RidershipInput.load(feed: request.loaded.feed, report: request.loaded.report,
                                                    boardAlightPath: path, tripCapacityPath: request.tripCapacityPath)
                analysis = try RidershipAnalysis(input: input, periods: data.periods)
            } catch {
                why = "the counts could not be read again: \(error)"
            }
        }
        guard let analysis else {
            return Page.paragraph(intro + "No load profiles: \(why). Below: the max load against the places offered.", class: "note")
                + maxLoadFallback(data, routes: routes, peaks: peaks, page: &page)
        }
        let profiles = profiles(analysis, routes: Set(routes), periods: peaks)
        let names = stopNames(request.loaded.feed)
        var panels: [(label: String, html: String)] = []
        for p in peaks {
            var figures = ""
            for id in routes {
                for profile in profiles where profile.routeID == id && profile.period == p {
                    figures += chart(profile, data: data, names: names)
                }
            }
            panels.append((data.periods[p].name, figures.isEmpty ? Page.paragraph("No counted trips of these routes in this period.", class: "note")
                                                                  : "<div class=\"figures\">\(figures)</div>\n"))
        }
        var s = Page.paragraph(intro + "Load: passengers on board after each stop of the route's main stop sequence (the one most counted trips ran), summed over the period's trips on an average day (a stop counts in the period its departure falls in, as the planner counts it, so trips that run past the period's end drop out part-way). Dashed: the places offered × the load factor (LF) \(Format.number(data.report.planning.limits.loadFactor, places: 2)), planned (vermilion) and today (grey).", class: "note")
        s += panels.count == 1 ? (panels.first?.html ?? "") : Page.switcher(name: page.nextSwitcherName(), panels: panels)
        return s
    }

    /// Stop names by stop code (the id where a stop has no name).
    static func stopNames(_ feed: Feed) -> [String] {
        var names = feed.ids(.stop)
        let stops = feed.stops
        for row in 0..<stops.count {
            let s = stops.id[row]
            if s >= 0, Int(s) < names.count, let n = stops.name?[row], !n.isEmpty { names[Int(s)] = n }
        }
        return names
    }

    /// One profile's chart, as a figure with its caption.
    static func chart(_ profile: Profile, data: PlanData, names: [String]) -> String {
        let label = data.label(profile.routeID)
        let period = data.periods[profile.period]
        let line = data.lines.first { $0.routeID == profile.routeID && $0.periodIndex == profile.period }
        let lf = data.report.planning.limits.loadFactor
        func name(_ s: Int32) -> String { s >= 0 && Int(s) < names.count ? names[Int(s)] : "?" }
        let n = profile.stops.count
        let points = profile.load.enumerated().map { (x: Double($0.offset), y: $0.element) }
        let tips = profile.stops.indices.map { i in
            "\(name(profile.stops[i])): \(Format.number(profile.load[i], places: 0)) on board after the stop (\(Format.number(profile.boardings[i], places: 0)) board, \(Format.number(profile.alightings[i], places: 0)) alight)"
        }
        var series = [LineSeries(style: SeriesStyle(name: "passengers on board", color: Palette.category(0)), points: points, pointTips: tips,
                                 tooltip: "Route \(label) direction \(profile.direction), \(period.name): load along the stops", width: 2.5, step: true)]
        let span = Double(max(1, n - 1))
        if let line, line.plannedHeadway > 0 {
            let places = Double(period.length) / Double(line.plannedHeadway) * Double(line.capacity) * lf
            series.append(LineSeries(style: SeriesStyle(name: "planned places × LF", color: Palette.limit, dash: "6 4"),
                                     points: [(0, places), (span, places)],
                                     tooltip: "planned: every \(PlanHTML.minutes(Double(line.plannedHeadway))) min × \(line.capacity) places × load factor \(Format.number(lf, places: 2)) = \(Format.number(places, places: 0))"))
        }
        if let line, let h = line.currentHeadway, h > 0 {
            let places = Double(period.length) / h * Double(line.capacity) * lf
            series.append(LineSeries(style: SeriesStyle(name: "today's places × LF", color: "#666666", dash: "2 3"),
                                     points: [(0, places), (span, places)],
                                     tooltip: "today: every \(PlanHTML.minutes(h)) min × \(line.capacity) places × load factor \(Format.number(lf, places: 2)) = \(Format.number(places, places: 0))"))
        }
        let (labels, street) = stopLabels(profile.stops.map(name))
        let chart = LineChart(title: "Load profile: route \(label), direction \(profile.direction), \(period.name)", series: series,
                              xTitle: street.map { "stops in order along \($0) (cross streets)" } ?? "stops of the main sequence, in order",
                              yTitle: "passengers in the period",
                              xLabels: labels.enumerated().map { (x: Double($0.offset), label: $0.element) },
                              width: 620, height: 360)
        let to = profile.stops.last.map(name) ?? "?"
        let from = profile.stops.first.map(name) ?? "?"
        return Page.figure(chart.rendered(), caption: "Route \(label) from \(from) to \(to): \(Format.number(profile.load.max() ?? 0, places: 0)) passengers past the busiest stop in \(period.name).")
    }

    /// Short labels for stop names along an axis (the full names are in the tooltips): when at
    /// least 40 % of the names (and 3) start with the same "Street & ", that street is left out
    /// of them (and returned, for the axis title); then each label is cut to 18 characters.
    static func stopLabels(_ names: [String]) -> (labels: [String], street: String?) {
        var counts: [String: Int] = [:]
        for n in names {
            if let r = n.firstRange(of: " & ") { counts[String(n[..<r.upperBound]), default: 0] += 1 }
        }
        var street: String? = nil
        var labels = names
        if let (prefix, c) = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
           c >= 3, c * 5 >= names.count * 2 {
            street = String(prefix.dropLast(3))
            labels = names.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        }
        return (labels.map { $0.count > 18 ? String($0.prefix(17)) + "…" : $0 }, street)
    }

    /// Without stop-level counts: per peak period, the busiest routes' max load against the
    /// places offered × the load factor.
    static func maxLoadFallback(_ data: PlanData, routes: [String], peaks: [Int], page: inout Page) -> String {
        let lf = data.report.planning.limits.loadFactor
        var panels: [(label: String, html: String)] = []
        for p in peaks {
            let period = data.periods[p]
            var loads: [Double] = [], today: [Double] = [], limits: [Double?] = []
            var categories: [String] = []
            for id in routes {
                guard let line = data.lines.first(where: { $0.routeID == id && $0.periodIndex == p }) else { continue }
                categories.append(data.label(id))
                loads.append(line.maxLoad)
                today.append(line.currentHeadway.map { Double(period.length) / $0 * Double(line.capacity) * lf } ?? 0)
                limits.append(line.plannedHeadway > 0 ? Double(period.length) / Double(line.plannedHeadway) * Double(line.capacity) * lf : nil)
            }
            let chart = BarChart(title: "Max load against places × load factor, \(period.name)", categories: categories,
                                 series: [(SeriesStyle(name: "max load (busier direction)", color: Palette.category(0)), loads),
                                          (SeriesStyle(name: "today's places × load factor", color: "#999999"), today)],
                                 limits: limits, limitName: "planned places × load factor", xTitle: "route",
                                 yTitle: "passengers in the period", width: 860, height: 340)
            panels.append((period.name, Page.figure(chart.rendered())))
        }
        return panels.count == 1 ? (panels.first?.html ?? "") : Page.switcher(name: page.nextSwitcherName(), panels: panels)
    }
}
