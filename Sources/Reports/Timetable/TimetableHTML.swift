// The timetable report: `transit timetable … --report FILE.html`.

public import GTFS
public import Timetable
import Charts
import TransitNetwork

/// Why a timetable report cannot be made.
public enum TimetableReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Routes asked for that the feed does not have (neither a `route_id` nor a
    /// `route_short_name`).
    case unknownRoutes([String], known: [String])

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .unknownRoutes: "unknown_route"
        }
    }

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .unknownRoutes(let names, let known):
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            let some = known.prefix(12).joined(separator: ", ") + (known.count > 12 ? ", …" : "")
            return "--routes: the feed has no route \(list) (give route_id or route_short_name values, comma-separated; the feed's routes: \(some))"
        }
    }
}

/// The timetable report: one self-contained HTML page that shows a planned timetable beside
/// the feed's current service on the same day.
///
/// Sections, in order:
/// - **Headline** cards: trips, vehicle blocks (with the lower bound), vehicle-hours,
///   deadhead hours and kilometres, the fleet limit; today's figures in the notes.
/// - **Stringlines** (Marey diagrams) per route: distance along the route (km) against the
///   time of day, one line per trip, direction 0 and 1 in two colours; today's service beside
///   the plan on the same axes. Distances come from the shapes where the feed has them (see
///   ``TransitNetwork/ShapeDistances``), else from stop to stop. Only the routes asked for, or
///   the ``ReportLimits/defaultBusiestRoutes`` busiest by planned trips on the day.
/// - **Vehicle blocks**: a Gantt chart, one row per vehicle: a grey bar from its first
///   departure to its last arrival (the layovers show through it) under its trips (in the
///   colours of their direction), deadheads and depot drives; at most
///   ``ReportLimits/maximumGanttRows`` rows, by first departure (the others are counted in a
///   note). With ``Options/routes`` only the blocks that serve those routes. Today's trips,
///   blocked by the same scheduler, are a second tab when given.
/// - **Vehicles in service** over the day: planned and current blocks as steps, the plan's
///   vehicles per period and the fleet limit (dashed); a table per period.
///
/// Without a timetable (`timetable: nil`) the page shows the current service alone.
///
/// The page loads nothing (see `Charts.Page`) and stays under ``Options/maximumBytes``
/// (``ReportLimits/maximumBytes``): stringlines are simplified to under half a pixel, and the
/// routes' stringlines are added in order while they fit in the room the rest of the page
/// leaves; the routes that do not fit are named in a note.
public enum TimetableHTML {
    /// What the page shows and how it is labelled.
    public struct Options: Sendable {
        /// The command that made the page, shown in its footer.
        public var command: String
        /// What the subtitle calls the input (the feed's path, the plan's).
        public var source: String
        /// The routes whose stringlines (and blocks) are drawn, by `route_id` or
        /// `route_short_name`; empty for the busiest ``busiestRoutes``.
        public var routes: [String]
        /// How many of the busiest routes get stringlines when ``routes`` is empty.
        public var busiestRoutes: Int
        /// The most rows of a Gantt chart.
        public var maximumGanttRows: Int
        /// The most bytes of the page.
        public var maximumBytes: Int

        /// Options (see the properties).
        public init(command: String = "transit timetable", source: String = "", routes: [String] = [],
                    busiestRoutes: Int = ReportLimits.defaultBusiestRoutes,
                    maximumGanttRows: Int = ReportLimits.maximumGanttRows, maximumBytes: Int = ReportLimits.maximumBytes) {
            self.command = command
            self.source = source
            self.routes = routes
            self.busiestRoutes = max(1, busiestRoutes)
            self.maximumGanttRows = max(1, maximumGanttRows)
            self.maximumBytes = maximumBytes
        }
    }

    /// The colours of direction 0 and 1 (Okabe–Ito blue and orange), in every chart of the page.
    static let directionColors = [Palette.category(0), Palette.category(1)]

    /// The `route_id`s that `names` (each a `route_id` or a `route_short_name`) name in `feed`,
    /// in the order given, without repeats.
    /// - Throws: ``TimetableReportError/unknownRoutes(_:known:)`` naming every name that is neither.
    /// - Complexity: O(routes + names).
    public static func resolveRoutes(_ names: [String], feed: Feed) throws(TimetableReportError) -> [String] {
        let (ids, unknown) = RouteSelection.routeIDs(names, feed: feed)
        if !unknown.isEmpty {
            let ids = feed.ids(.route)
            let declared = feed.routes.id.compactMap { c in c >= 0 && Int(c) < ids.count ? ids[Int(c)] : nil }
            throw .unknownRoutes(unknown, known: declared)
        }
        return ids
    }

    /// The report of a timetable (or of the current service alone) as one HTML page.
    ///
    /// - Parameters:
    ///   - timetable: the planned timetable (``Timetable/Timetable/build(feed:plan:options:loads:)``),
    ///     or `nil` for a page of the current service alone.
    ///   - current: today's trips in vehicle blocks (``Timetable/CurrentServiceBlocks``) on the
    ///     same date, for the current Gantt chart and vehicles in service; `nil` to leave them out.
    ///   - feed: the feed the timetable was made from (today's trips, shapes, names).
    ///   - date: the service date (the timetable's).
    ///   - options: routes, limits and labels.
    /// - Throws: ``TimetableReportError/unknownRoutes(_:known:)`` for a route the feed lacks.
    /// - Complexity: one pass over the feed's stop times and shapes (route patterns and
    ///   distances along shapes), plus the chosen routes' trips × stops.
    public static func render(timetable: Timetable?, current: CurrentServiceBlocks?, feed: Feed, date: GTFSDate,
                              options: Options = Options()) throws(TimetableReportError) -> String {
        let asked = try resolveRoutes(options.routes, feed: feed)
        let data = TimetableReportData(timetable: timetable, current: current, feed: feed, date: date)
        let chosen = asked.isEmpty ? data.busiestRoutes(options.busiestRoutes) : asked
        let blockRoutes = asked.isEmpty ? nil : Set(asked)
        // The room the stringlines have: the page without them, and a little for the notes.
        let base = page(data, stringlines: "", blockRoutes: blockRoutes, options: options)
        let room = options.maximumBytes - base.utf8.count - 4_096
        var pieces: [String] = [], shown: [String] = [], dropped: [String] = []
        var used = 0
        if !chosen.isEmpty {
            let source = data.stringlineSource()
            for routeID in chosen {
                guard dropped.isEmpty else { dropped.append(routeID); continue }
                let piece = routeStringlinesHTML(data, source: source, routeID: routeID)
                if used + piece.utf8.count > room { dropped.append(routeID); continue }
                pieces.append(piece)
                shown.append(routeID)
                used += piece.utf8.count
            }
        }
        let intro = stringlinesIntro(data, shown: shown, dropped: dropped, asked: !asked.isEmpty, options: options)
        return page(data, stringlines: intro + pieces.joined(), blockRoutes: blockRoutes, options: options)
    }

    static func page(_ data: TimetableReportData, stringlines: String, blockRoutes: Set<String>?, options: Options) -> String {
        var subtitle = options.source.isEmpty ? "" : options.source + " · "
        subtitle += "service date \(data.date.iso8601)"
        if let t = data.timetable { subtitle += " · \(t.plan.periods.count) periods" } else { subtitle += " · current service only (no plan)" }
        var page = Page(title: data.timetable == nil ? "Current service" : "Timetable", subtitle: subtitle, madeBy: options.command)
        page.section("Headline", id: "headline", html: headlineHTML(data))
        page.section("Stringlines", id: "stringlines", html: stringlines)
        page.section("Vehicle blocks", id: "blocks", html: ganttHTML(data, routes: blockRoutes, options: options, page: &page))
        page.section("Vehicles in service", id: "vehicles", html: vehiclesHTML(data))
        if let notes = notesHTML(data) { page.section("Notes", id: "notes", html: notes) }
        return page.rendered()
    }

    // MARK: - Headline

    static func headlineHTML(_ data: TimetableReportData) -> String {
        var cards: [(label: String, value: String, note: String?)] = []
        let currentTrips = data.currentRuns.count
        let now = data.currentBlocks
        if let t = data.timetable, let planned = data.plannedBlocks {
            let day = t.dayOperation
            cards.append(("Planned trips", Format.grouped(t.trips.count), "today: \(Format.grouped(currentTrips)) trips"))
            var blocksNote = "lower bound \(day.lowerBound)"
            if let now { blocksNote += "; today's trips: \(now.blocks.count)" }
            cards.append(("Vehicle blocks", Format.grouped(day.blocks), blocksNote))
            cards.append(("Vehicle-hours", Format.number(day.vehicleHours, places: 1),
                          now.map { "today: \(Format.number($0.vehicleHours, places: 1)) (first departure to last arrival)" }
                              ?? "first departure to last arrival of each block"))
            var deadheadNote = "\(Format.grouped(planned.legs.reduce(0) { $0 + $1.count })) empty runs"
            if let now {
                let d = now.deadheads
                deadheadNote += "; today: \(Format.number(Double(d.seconds) / 3600, places: 1)) h, \(Format.number(Double(d.metres) / 1000, places: 1)) km"
            }
            cards.append(("Deadheads", "\(Format.number(day.deadheadHours, places: 1)) h · \(Format.number(day.deadheadKilometres, places: 0)) km", deadheadNote))
            let limits = t.plan.fleet.compactMap { $0 }
            let busiest = planned.busiest(from: Int32.min, to: Int32.max)
            if let most = limits.max() {
                let range = limits.min() == most ? "\(most)" : "\(limits.min() ?? most)–\(most)"
                cards.append(("Fleet limit", range, "busiest moment: \(busiest) in service"))
            } else {
                cards.append(("Fleet limit", "none", "busiest moment: \(busiest) in service"))
            }
            if day.interlinedBlocks > 0 || day.savedByInterlining != nil {
                cards.append(("Interlined blocks", Format.grouped(day.interlinedBlocks),
                              day.savedByInterlining.map { "saving \($0) vehicles" }))
            }
        } else {
            cards.append(("Trips today", Format.grouped(currentTrips), "\(data.currentRouteCount) routes"))
            if let now {
                cards.append(("Vehicle blocks", Format.grouped(now.blocks.count), data.current.map { "lower bound \($0.lowerBound)" }))
                cards.append(("Vehicle-hours", Format.number(now.vehicleHours, places: 1), "first departure to last arrival of each block"))
                let d = now.deadheads
                cards.append(("Deadheads", "\(Format.number(Double(d.seconds) / 3600, places: 1)) h · \(Format.number(Double(d.metres) / 1000, places: 0)) km", nil))
                if let feedFleet = data.current?.feedFleet {
                    cards.append(("Feed's own blocks", Format.grouped(feedFleet), "distinct block_id values"))
                }
            }
        }
        var html = Page.cards(cards)
        if data.timetable != nil {
            html += Page.paragraph("Vehicle-hours count each block from its first departure to its last arrival, plus depot drives when a depot is set. \"Today\" is the feed's own service on the same date\(now == nil ? "" : ", its trips chained into blocks by the same scheduler and rules as the plan's").", class: "note")
        }
        return html
    }

    // MARK: - Stringlines

    static let directionLegend = [SeriesStyle(name: "direction 0", color: directionColors[0]),
                                  SeriesStyle(name: "direction 1", color: directionColors[1])]

    /// What the stringlines show and which routes were left out.
    static func stringlinesIntro(_ data: TimetableReportData, shown: [String], dropped: [String], asked: Bool, options: Options) -> String {
        var html = ""
        if asked {
            html += Page.paragraph("The routes asked for with --routes.", class: "note")
        } else {
            html += Page.paragraph("The \(shown.count + dropped.count) busiest routes by \(data.timetable == nil ? "trips" : "planned trips") on the day (pick others with --routes). One line per trip: distance along the route against the time of day; a steep line is a fast trip, a flat part a stop or layover, the gap between lines the headway.", class: "note")
        }
        if !dropped.isEmpty {
            let limit = Format.number(Double(options.maximumBytes) / 1_000_000, places: 1)
            html += Page.paragraph("Left out to keep the page under \(limit) MB: \(dropped.count == 1 ? "route" : "routes") \(dropped.map { data.routeShortName($0) }.joined(separator: ", ")). Ask for \(dropped.count == 1 ? "it" : "them") with --routes.", class: "note")
        }
        if shown.isEmpty && dropped.isEmpty {
            html += Page.paragraph("No route runs on \(data.date.iso8601).", class: "note")
        }
        return html
    }

    /// One route's heading, axis note and charts (today's beside the plan's on the same axes).
    static func routeStringlinesHTML(_ data: TimetableReportData, source: StringlineSource, routeID: String) -> String {
        let r = RouteStringlines(data: data, source: source, routeID: routeID)
        var html = "<h3>\(Markup.escape(r.title))</h3>\n"
        html += Page.paragraph("Distance along \(r.axisDescription).", class: "note")
        var current = StringlineChart(title: "\(r.shortTitle): today (\(r.currentTrips.count) trips)", trips: r.currentTrips,
                                      timeDomain: r.timeDomain, distanceDomain: r.distanceDomain,
                                      directionStyles: directionLegend, emptyNote: "no trip of this route today")
        if data.timetable != nil {
            let planned = StringlineChart(title: "\(r.shortTitle): planned (\(r.plannedTrips.count) trips)", trips: r.plannedTrips,
                                          timeDomain: r.timeDomain, distanceDomain: r.distanceDomain,
                                          directionStyles: directionLegend, emptyNote: "the plan runs no trip of this route")
            html += "<div class=\"figures\">" + Page.figure(current.rendered()) + Page.figure(planned.rendered()) + "</div>\n"
        } else {
            current.width = 1000
            current.height = 380
            html += Page.figure(current.rendered())
        }
        return html
    }

    // MARK: - Blocks

    static func ganttHTML(_ data: TimetableReportData, routes: Set<String>?, options: Options, page: inout Page) -> String {
        var panels: [(label: String, html: String)] = []
        for set in [data.plannedBlocks, data.currentBlocks].compactMap({ $0 }) {
            let keep: (Int) -> Bool
            if let routes {
                keep = { b in set.blocks[b].contains { $0 < set.tripRouteID.count && routes.contains(set.tripRouteID[$0]) } }
            } else {
                keep = { _ in true }
            }
            let (rows, accepted) = BlockGantt.rows(set, keep: keep, limit: options.maximumGanttRows)
            let (kinds, drawn) = BlockGantt.presentKinds(rows)
            let title = "Vehicle blocks, \(set.name): one row per vehicle"
            let chart = GanttChart(title: title, rows: drawn, kinds: kinds, width: 1000, rowHeight: 13)
            var html = Page.figure(chart.rendered())
            var note = routes == nil ? "All \(accepted) blocks" : "The \(accepted) blocks that serve the routes asked for"
            note += rows.count < accepted
                ? ": the first \(rows.count) to leave are drawn, \(accepted - rows.count) more are left out\(routes == nil ? " (pick routes with --routes to see theirs)" : "")."
                : ", by first departure."
            html += Page.paragraph(note, class: "note")
            panels.append((set.name.prefix(1).uppercased() + set.name.dropFirst(), html))
        }
        guard !panels.isEmpty else { return Page.paragraph("No vehicle blocks: give a plan, or today's service in blocks.", class: "note") }
        var html = Page.paragraph("Trips in the colours of their direction, layovers grey, deadheads (runs without passengers between terminals) purple, depot drives black. Hover a bar for its times.", class: "note")
        html += Page.switcher(name: page.nextSwitcherName(), panels: panels)
        return html
    }

    // MARK: - Vehicles in service

    static func vehiclesHTML(_ data: TimetableReportData) -> String {
        var series: [LineSeries] = []
        if let planned = data.plannedBlocks {
            series.append(LineSeries(style: SeriesStyle(name: "planned blocks in service", color: Palette.category(0)),
                                     points: planned.inServiceSteps(), tooltip: "planned blocks in service (first departure to last arrival)",
                                     width: 2, step: true))
        }
        if let now = data.currentBlocks {
            series.append(LineSeries(style: SeriesStyle(name: "today's trips in blocks", color: Palette.category(2)),
                                     points: now.inServiceSteps(), tooltip: "today's trips, blocked by the same scheduler",
                                     width: 2, step: true))
        }
        if let t = data.timetable {
            series += periodSteps(t.plan.periods, values: t.plan.plannedVehicles.map { Optional($0) },
                                  style: SeriesStyle(name: "plan: Σ ceil(cycle / headway)", color: Palette.axis, dash: "2 3"),
                                  tooltip: "the plan's vehicles per period")
            series += periodSteps(t.plan.periods, values: t.plan.fleet,
                                  style: SeriesStyle(name: "fleet limit", color: Palette.limit, dash: "7 4"), tooltip: "the fleet limit")
        }
        guard !series.isEmpty else { return Page.paragraph("No blocks to count.", class: "note") }
        let chart = LineChart(title: "Vehicles in service over the day", series: series, xTitle: "time of day (HH:MM)",
                              yTitle: "vehicles", xStyle: .clock, yStyle: .number(places: 0), width: 1000, height: 360)
        var html = Page.figure(chart.rendered(), caption: "A block is in service from its first departure to its last arrival, layovers and deadheads included.")
        if let t = data.timetable, data.plannedBlocks != nil {
            let fleet = t.periodFleet()
            var rows: [[Cell]] = []
            for f in fleet {
                var row: [Cell] = [Cell(f.period.name), Cell.int(f.blocks), Cell.int(f.planned)]
                row.append(Cell.int(f.limit, style: f.withinLimit ? nil : "worse"))
                if let now = data.currentBlocks { row.append(Cell.int(now.busiest(from: f.period.start, to: f.period.end))) }
                row.append(Cell.number(Double(f.deadheadSeconds) / 3600, places: 1))
                row.append(Cell.number(Double(f.deadheadMetres) / 1000, places: 1))
                rows.append(row)
            }
            var columns = ["period", "planned blocks", "plan", "fleet limit"]
            if data.currentBlocks != nil { columns.append("today") }
            columns += ["deadhead h", "deadhead km"]
            let caption = "Vehicles per period: blocks in service at the busiest moment of the period (planned\(data.currentBlocks == nil ? "" : ", and today's trips in blocks")), beside the plan's Σ ceil(cycle / headway) and the fleet limit"
            html += Table(caption: caption, columns: columns, rows: rows).rendered()
        }
        return html
    }

    /// A dashed step line per run of consecutive periods with a value.
    static func periodSteps(_ periods: [Period], values: [Int?], style: SeriesStyle, tooltip: String) -> [LineSeries] {
        var out: [LineSeries] = []
        var points: [(x: Double, y: Double)] = []
        var previousEnd: Int32?
        func flush() {
            if points.count >= 2 {
                out.append(LineSeries(style: style, points: points, tooltip: tooltip, width: 2, step: true, inLegend: out.isEmpty))
            }
            points = []
        }
        for (p, period) in periods.enumerated() {
            guard p < values.count, let v = values[p] else { flush(); previousEnd = nil; continue }
            if let end = previousEnd, end != period.start { flush() }
            points.append((Double(period.start), Double(v)))
            points.append((Double(period.end), Double(v)))
            previousEnd = period.end
        }
        flush()
        return out
    }

    // MARK: - Notes

    static func notesHTML(_ data: TimetableReportData) -> String? {
        var lines: [String] = data.timetable?.notes ?? []
        if let t = data.timetable {
            let problems = t.blockViolations
            if !problems.isEmpty { lines.append("The block check found \(problems.count) problems, e.g. \(problems[0]).") }
            if let shortfall = t.fleetShortfall(limits: t.plan.fleet) { lines.append("The timetable does not fit the fleet: \(shortfall).") }
        }
        guard !lines.isEmpty else { return nil }
        var html = "<ul>"
        for l in lines.prefix(40) { html += "<li>\(Markup.escape(l))</li>" }
        if lines.count > 40 { html += "<li>… \(lines.count - 40) more</li>" }
        return html + "</ul>\n"
    }
}
