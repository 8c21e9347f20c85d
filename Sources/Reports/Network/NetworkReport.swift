// The network report: what service a feed runs on one date, as a map, charts and tables.

import Charts
public import GTFS
public import TransitNetwork

/// The network report of a feed on one service date
/// (`transit network report FEED --date YYYYMMDD --out FILE.html`).
///
/// It shows:
///
/// - **Headline cards**: the routes and stops served, the departures, the revenue hours (first
///   departure to last arrival of every departure, summed) and the peak vehicles of the
///   ``TransitNetwork/ServiceSummary`` (the most vehicles any period needs, layovers included).
/// - **A frequency map**: every route running that day, drawn from its shapes (its stop
///   sequences where it has none, ``RouteLines``), its width by the trips per hour of its
///   busiest period and direction, its colour by the class of its effective headway there
///   (``FrequencyClass``, ``RouteService/periodHeadways``).
/// - **Trips under way over the day**: the departures in revenue service at each moment,
///   sampled every 5 minutes.
/// - **Span of service**: per route, first departure to last arrival, as a Gantt chart split by
///   period and coloured by the headway of each period, and as a sortable table.
/// - **Headways by period**: per route and direction, the mean headway of each period, cells
///   shaded by class; sortable.
///
/// Figures come from the ``TransitNetwork/ServiceSummary`` of the date (periods, directions,
/// headways and vehicles as `transit network summary` computes them) and from the runs of
/// ``TransitNetwork/Departures/runs(feed:calendar:date:)`` (frequency templates expanded).
///
/// Size: the map simplifies every line (Douglas–Peucker at ``ReportLimits/mapTolerance``
/// pixels); the Gantt chart shows at most ``ReportLimits/maximumGanttRows`` routes (the busiest
/// by departures, or those of ``Options/routes``). The page stays well under
/// ``ReportLimits/maximumBytes`` on the largest shared feeds.
public struct NetworkReport: Sendable {
    /// What to report and how.
    public struct Options: Sendable {
        /// The periods of the day (``TransitNetwork/Period/parse(_:)``).
        public var periods: [Period]
        /// The routes the span chart and the tables show, by `route_id` or `route_short_name`;
        /// empty for every route (the Gantt chart then shows the busiest
        /// ``ReportLimits/maximumGanttRows`` when there are more). The map and the headline
        /// cards always cover the whole network.
        public var routes: [String]
        /// The layover per direction as a share of the run time (for vehicles).
        public var layoverShare: Double
        /// The smallest layover per direction, seconds.
        public var minimumLayover: Int32
        /// Whether trips without `direction_id` get an inferred direction.
        public var inferDirections: Bool
        /// The feed as the user named it (for the subtitle).
        public var source: String
        /// The command that made the report (for the footer).
        public var command: String

        /// Options (see the properties); the defaults are those of `transit network summary`.
        public init(periods: [Period], routes: [String] = [], layoverShare: Double = 0.10, minimumLayover: Int32 = 300,
                    inferDirections: Bool = true, source: String = "", command: String = "transit network report") {
            self.periods = periods
            self.routes = routes
            self.layoverShare = layoverShare
            self.minimumLayover = minimumLayover
            self.inferDirections = inferDirections
            self.source = source
            self.command = command
        }
    }

    /// What one route runs on the date.
    public struct RouteService: Sendable, Hashable {
        /// The route code (``GTFS/IDSpace/route``).
        public var route: Int32
        /// `route_id`.
        public var routeID: String
        /// The name shown: `route_short_name`, else `route_long_name`, else `route_id`.
        public var label: String
        /// `route_long_name` (empty when none).
        public var longName: String
        /// The mode, from `route_type` (``GTFS/InspectDocument/routeTypeName(_:)``).
        public var mode: String
        /// The departures on the date (frequency templates expanded).
        public var trips: Int
        /// The first departure, seconds since service-day midnight.
        public var firstDeparture: Int32
        /// The last arrival, seconds since service-day midnight.
        public var lastArrival: Int32
        /// The revenue time: first departure to last arrival of each departure, summed, seconds.
        public var revenueSeconds: Int
        /// Per period (in ``NetworkReport/periods`` order), the departures of both directions.
        public var periodTrips: [Int]
        /// Per period, the *effective* headway of the more frequent direction, seconds: per
        /// direction the larger of its mean headway and the time the route runs in the period
        /// (its span cut to the period) divided by its departures there, so a few departures
        /// close together in a long period do not read as frequent service. `nil` when no
        /// direction has two departures in the period. The classes of the map and the span
        /// chart come from it (``NetworkReport/effectiveHeadway(mean:trips:covered:)``).
        public var periodHeadways: [Double?]
        /// The busiest period: the one whose busier direction has the most trips per hour
        /// (ties: the shorter headway, then the earlier period); `nil` when no departure falls in
        /// a period.
        public var busiestPeriod: Int?
        /// The trips per hour of the busier direction in ``busiestPeriod`` (0 without one).
        public var busiestTripsPerHour: Double
        /// The mean headway (the summary's) of that direction in ``busiestPeriod``, seconds.
        public var busiestHeadway: Double?
        /// The class of the effective headway in ``busiestPeriod`` (``periodHeadways``): the
        /// map's colour.
        public var frequency: FrequencyClass
        /// The most vehicles the route needs in any period (the larger direction).
        public var peakVehicles: Int

        /// The span of service (last arrival − first departure), seconds.
        public var span: Int32 { lastArrival - firstDeparture }
    }

    /// The service date.
    public let date: GTFSDate
    /// The options the report was made with (periods sorted by start).
    public let options: Options
    /// The service summary of the date.
    public let summary: ServiceSummary
    /// The periods, sorted by start.
    public var periods: [Period] { summary.periods }
    /// Every route with a departure on the date, in the summary's order (natural order of the
    /// short name, else the id).
    public let routes: [RouteService]
    /// The indices in ``routes`` that the span chart shows, in ``routes`` order.
    public let chartedRoutes: [Int]
    /// The indices in ``routes`` that the tables show (every route unless ``Options/routes``
    /// names some).
    public let tabledRoutes: [Int]
    /// Names in ``Options/routes`` that match no `route_id` or `route_short_name` of the feed.
    public let unmatchedRoutes: [String]
    /// Names in ``Options/routes`` that match a route without departures on the date.
    public let idleRoutes: [String]
    /// The routes of `routes.txt`.
    public let routeCount: Int
    /// The stops (codes) where a running trip stops.
    public let stopsServed: Int
    /// The revenue hours of all departures.
    public let revenueHours: Double
    /// Departures under way every 5 minutes: time (seconds) and count.
    public let underWay: [UnderWay]
    /// The lines drawn on the map.
    public let lines: RouteLines
    /// The feed's first agency name (empty when none).
    public let agencyName: String

    /// A count of departures under way at a time.
    public struct UnderWay: Sendable, Hashable {
        /// Seconds since service-day midnight.
        public var time: Int32
        /// Departures with first departure ≤ time < last arrival.
        public var trips: Int
    }

    /// The sampling step of ``underWay``, seconds.
    public static let underWayStep: Int32 = 300

    /// Computes the report of `feed` on `date`.
    /// - Complexity: O(trips + stop times of the running trips + shape points + runs × log runs).
    public init(feed: Feed, date: GTFSDate, options: Options) {
        self.date = date
        let calendar = ServiceCalendar(feed: feed)
        let patterns = RoutePatterns(feed: feed)
        let summary = ServiceSummary(feed: feed, date: date, periods: options.periods, layoverShare: options.layoverShare,
                                     minimumLayover: options.minimumLayover, calendar: calendar,
                                     inferDirections: options.inferDirections, patterns: patterns)
        self.summary = summary
        var sortedOptions = options
        sortedOptions.periods = summary.periods
        self.options = sortedOptions
        let runs = Departures.runs(feed: feed, calendar: calendar, date: date)
        let index = patterns.tripIndex
        let routeInfo = Self.routeInfo(feed)
        self.routes = Self.distinctLabels(Self.routeServices(summary: summary, runs: runs, index: index, info: routeInfo),
                                          feed: feed, patterns: patterns)
        self.routeCount = feed.routes.count
        self.revenueHours = Double(runs.reduce(0) { $0 + Int($1.runTime) }) / 3600
        self.underWay = Self.underWay(runs)
        self.stopsServed = Self.stopsServed(feed: feed, running: calendar.runningTrips(on: date))
        self.lines = RouteLines.build(feed: feed, date: date, calendar: calendar)
        self.agencyName = feed.table("agency.txt")?.strings("agency_name")?[0] ?? ""
        let selection = Self.select(routes, names: options.routes, feed: feed)
        self.unmatchedRoutes = selection.unmatched
        self.idleRoutes = selection.idle
        self.tabledRoutes = selection.tabled
        self.chartedRoutes = selection.charted
    }

    /// Per route code: `route_id`, short name, long name, mode (first `routes.txt` row).
    struct RouteInfo {
        var id: String
        var shortName: String
        var longName: String
        var mode: String
    }

    static func routeInfo(_ feed: Feed) -> [Int32: RouteInfo] {
        let r = feed.routes
        let ids = feed.ids(.route)
        var out: [Int32: RouteInfo] = [:]
        for row in 0..<r.count {
            let code = r.id[row]
            guard code >= 0, Int(code) < ids.count, out[code] == nil else { continue }
            out[code] = RouteInfo(id: ids[Int(code)], shortName: r.shortName?[row] ?? "", longName: r.longName?[row] ?? "",
                                  mode: r.type[row] == Column.missingInteger ? "" : InspectDocument.routeTypeName(r.type[row]))
        }
        return out
    }

    /// The effective headway of one direction in a period: the larger of its mean headway
    /// and `covered` divided by its departures; `nil` with fewer than two departures.
    /// `covered` is the time the route runs in the period: the period cut to the route's span,
    /// but at least an hour (or the whole period when shorter), so that two departures just
    /// before a period ends do not make a frequent service.
    public static func effectiveHeadway(mean: Double?, trips: Int, covered: Int32) -> Double? {
        guard trips >= 2, let mean else { return nil }
        return max(mean, Double(max(0, covered)) / Double(trips))
    }

    /// The time route `r` runs in `period`, seconds: the period within the route's span, at
    /// least an hour or the whole period when it is shorter.
    static func covered(_ period: Period, _ r: RouteService) -> Int32 {
        let within = max(0, min(period.end, r.lastArrival) - max(period.start, r.firstDeparture))
        return max(within, min(3600, period.length))
    }

    /// The effective headway of summary row `row` (``effectiveHeadway(mean:trips:covered:)``).
    func effectiveHeadway(_ row: ServiceSummary.Row) -> Double? {
        guard row.periodIndex >= 0, row.periodIndex < periods.count,
              let r = routes.first(where: { $0.route == row.route }) else { return nil }
        return Self.effectiveHeadway(mean: row.meanHeadway, trips: row.trips, covered: Self.covered(periods[row.periodIndex], r))
    }

    /// The routes with departures, from the runs and the summary rows.
    static func routeServices(summary: ServiceSummary, runs: [TripRun], index: TripIndex, info: [Int32: RouteInfo]) -> [RouteService] {
        let periods = summary.periods
        var byRoute: [Int32: RouteService] = [:]
        var order: [Int32] = []
        func blank(_ route: Int32) -> RouteService {
            let i = info[route]
            let id = i?.id ?? ""
            let label = (i?.shortName).flatMap { $0.isEmpty ? nil : $0 } ?? (i?.longName).flatMap { $0.isEmpty ? nil : $0 } ?? id
            return RouteService(route: route, routeID: id, label: label, longName: i?.longName ?? "", mode: i?.mode ?? "",
                                trips: 0, firstDeparture: .max, lastArrival: .min, revenueSeconds: 0,
                                periodTrips: [Int](repeating: 0, count: periods.count),
                                periodHeadways: [Double?](repeating: nil, count: periods.count),
                                busiestPeriod: nil, busiestTripsPerHour: 0, busiestHeadway: nil, frequency: .rare, peakVehicles: 0)
        }
        for run in runs {
            guard let route = index.route(ofTrip: run.trip), route >= 0 else { continue }
            var s = byRoute[route] ?? blank(route)
            s.trips += 1
            s.firstDeparture = min(s.firstDeparture, run.start)
            s.lastArrival = max(s.lastArrival, run.end)
            s.revenueSeconds += Int(run.runTime)
            byRoute[route] = s
        }
        // The summary's order first (natural order of names), then any route it does not list.
        var seen = Set<Int32>()
        var vehicles: [Int32: [Int]] = [:]
        var busiestEffective: [Int32: Double] = [:]
        for row in summary.rows where byRoute[row.route] != nil {
            if seen.insert(row.route).inserted { order.append(row.route) }
            guard var s = byRoute[row.route], row.periodIndex >= 0, row.periodIndex < periods.count else { continue }
            let p = row.periodIndex
            s.periodTrips[p] += row.trips
            let effective = effectiveHeadway(mean: row.meanHeadway, trips: row.trips, covered: covered(periods[p], s))
            if let h = effective { s.periodHeadways[p] = min(s.periodHeadways[p] ?? h, h) }
            let tph = Double(row.trips) / (Double(max(1, periods[p].length)) / 3600)
            let better: Bool
            if let b = s.busiestPeriod {
                let headway = effective ?? .infinity, known = busiestEffective[row.route] ?? .infinity
                better = tph > s.busiestTripsPerHour + 1e-9
                    || (abs(tph - s.busiestTripsPerHour) <= 1e-9 && (headway < known || (headway == known && p < b)))
            } else {
                better = row.trips > 0
            }
            if better {
                s.busiestPeriod = p
                s.busiestTripsPerHour = tph
                s.busiestHeadway = row.meanHeadway
                busiestEffective[row.route] = effective
            }
            var v = vehicles[row.route] ?? [Int](repeating: 0, count: periods.count)
            v[p] = max(v[p], row.vehicles)
            vehicles[row.route] = v
            byRoute[row.route] = s
        }
        let rest = byRoute.keys.filter { !seen.contains($0) }.sorted { (byRoute[$0]?.label ?? "", $0) < (byRoute[$1]?.label ?? "", $1) }
        order.append(contentsOf: rest)
        return order.compactMap { code in
            guard var s = byRoute[code] else { return nil }
            s.frequency = FrequencyClass(headway: s.busiestPeriod.flatMap { s.periodHeadways[$0] })
            s.peakVehicles = vehicles[code]?.max() ?? 0
            return s
        }
    }

    /// `routes` with labels made distinct where two routes share one (Vilnius has bus 1 and
    /// trolleybus 1; Renfe calls hundreds of routes "AVE"): the short name and then the long
    /// name, else the mode, else the terminals of the route's busiest stop sequence, else the
    /// `route_id`.
    static func distinctLabels(_ routes: [RouteService], feed: Feed, patterns: RoutePatterns) -> [RouteService] {
        var groups: [String: [Int]] = [:]
        for (i, r) in routes.enumerated() { groups[r.label, default: []].append(i) }
        guard groups.values.contains(where: { $0.count > 1 }) else { return routes }
        var out = routes
        var terminals: [Int32: String]?
        func distinct(_ members: [Int], _ suffix: (RouteService) -> String) -> Bool {
            let values = members.map { suffix(out[$0]) }
            return !values.contains("") && Set(values).count == values.count
        }
        for (label, members) in groups where members.count > 1 {
            let suffix: (RouteService) -> String
            if distinct(members, { $0.longName == label ? "" : $0.longName }) {
                suffix = { $0.longName }
            } else if distinct(members, \.mode) {
                suffix = { $0.mode }
            } else {
                let names = terminals ?? routeTerminals(feed: feed, patterns: patterns)
                terminals = names
                suffix = distinct(members, { names[$0.route] ?? "" }) ? { names[$0.route] ?? $0.routeID } : { r in
                    (names[r.route].map { $0 + " " } ?? "") + "[" + r.routeID + "]"
                }
            }
            for i in members { out[i].label = label + " " + suffix(out[i]) }
        }
        return out
    }

    /// Per route code, "first stop – last stop" of its stop sequence with the most trips.
    static func routeTerminals(feed: Feed, patterns: RoutePatterns) -> [Int32: String] {
        let stops = feed.stops
        var nameOfStop: [Int32: String] = [:]
        for row in 0..<stops.count where nameOfStop[stops.id[row]] == nil {
            nameOfStop[stops.id[row]] = stops.name?[row] ?? ""
        }
        var best: [Int32: RoutePattern] = [:]
        for p in patterns.patterns where p.trips.count > (best[p.route]?.trips.count ?? 0) { best[p.route] = p }
        var out: [Int32: String] = [:]
        for (route, p) in best {
            guard let a = p.stops.first, let b = p.stops.last else { continue }
            out[route] = (nameOfStop[a] ?? "?") + " – " + (nameOfStop[b] ?? "?")
        }
        return out
    }

    /// Departures under way every ``underWayStep`` seconds, from the first departure to the last
    /// arrival (a difference array over the samples).
    static func underWay(_ runs: [TripRun]) -> [UnderWay] {
        guard let lo = runs.map(\.start).min(), let hi = runs.map(\.end).max() else { return [] }
        let step = underWayStep
        let t0 = (lo / step) * step
        let count = Int((hi - t0) / step) + 2
        var diff = [Int](repeating: 0, count: count + 1)
        // Sample k (time t0 + k·step) counts a run when start ≤ t < end.
        func firstSample(atOrAfter t: Int32) -> Int { Int((t - t0 + step - 1) / step) }
        for r in runs {
            let a = firstSample(atOrAfter: r.start), b = firstSample(atOrAfter: r.end)
            guard b > a, a >= 0, b <= count else { continue }
            diff[a] += 1
            diff[b] -= 1
        }
        var out: [UnderWay] = []
        out.reserveCapacity(count)
        var running = 0
        for k in 0..<count {
            running += diff[k]
            out.append(UnderWay(time: t0 + Int32(k) * step, trips: running))
        }
        return out
    }

    /// The distinct stop codes of the running trips' stop times.
    static func stopsServed(feed: Feed, running: [Int32]) -> Int {
        let stops = feed.stopTimes.stop
        var seen = [Bool](repeating: false, count: feed.ids(.stop).count)
        var n = 0
        for t in running {
            for r in feed.stopTimeIndex.rows(ofTrip: t) where Int(r) < stops.count {
                let s = stops[Int(r)]
                guard s >= 0, Int(s) < seen.count, !seen[Int(s)] else { continue }
                seen[Int(s)] = true
                n += 1
            }
        }
        return n
    }

    /// Which routes the chart and tables show.
    static func select(_ routes: [RouteService], names: [String], feed: Feed)
        -> (charted: [Int], tabled: [Int], unmatched: [String], idle: [String]) {
        let all = Array(routes.indices)
        guard !names.isEmpty else {
            guard routes.count > ReportLimits.maximumGanttRows else { return (all, all, [], []) }
            let busiest = Set(all.sorted { routes[$0].trips != routes[$1].trips ? routes[$0].trips > routes[$1].trips : $0 < $1 }
                .prefix(ReportLimits.maximumGanttRows))
            return (all.filter { busiest.contains($0) }, all, [], [])
        }
        var wanted = Set<Int32>()
        var idle: [String] = []
        let running = Set(routes.map(\.route))
        let (named, unmatched) = RouteSelection.resolve(names, feed: feed)
        for (name, codes) in zip(names, named) where !codes.isEmpty {
            if !codes.contains(where: running.contains) { idle.append(name) }
            wanted.formUnion(codes)
        }
        let chosen = all.filter { wanted.contains(routes[$0].route) }
        return (Array(chosen.prefix(ReportLimits.maximumGanttRows)), chosen, unmatched, idle)
    }
}
