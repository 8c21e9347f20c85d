// What the plan report shows, gathered once from the planning result and the feed.

import GTFS
import TransitNetwork
import Planner
import Ridership
import Timetable

/// One route in one period: today's service beside the plan, as the map and the Remix-style
/// table show it. Both directions share the headway and the vehicles (they cycle through both).
struct PlannedRoutePeriod: Sendable {
    /// `route_id`.
    var routeID: String
    /// The route's position in the report's route order.
    var routeOrder: Int
    /// The period's index.
    var periodIndex: Int
    /// The period's name.
    var period: String
    /// The period's length, seconds.
    var periodLength: Int32
    /// Today's mean headway (the shorter direction's), seconds; `nil` when the route runs fewer
    /// than twice in the period today.
    var currentHeadway: Double?
    /// The reference (Ceder) headway, seconds.
    var referenceHeadway: Int32?
    /// The planned headway, seconds.
    var plannedHeadway: Int32
    /// Vehicles today and planned.
    var currentVehicles: Int, plannedVehicles: Int
    /// The cycle time the planner used (both directions plus layovers), seconds.
    var cycleTime: Double
    /// Today's round-trip run time (direction 0 + direction 1, twice the one when only one
    /// runs), seconds; `nil` when the route does not run in the period today.
    var roundTripRunTime: Double?
    /// Boardings in the period (average day), both directions.
    var boardings: Double
    /// The largest max load of the two directions.
    var maxLoad: Double
    /// Vehicle capacity.
    var capacity: Int
    /// Peak load factor today (max load over the places offered at today's headway).
    var currentPeakLoadFactor: Double?
    /// Peak load factor planned.
    var plannedPeakLoadFactor: Double?
    /// No counts: kept at today's service.
    var keptAsIs: Bool

    /// Planned trips per hour in each direction.
    var plannedTripsPerHour: Double { plannedHeadway > 0 ? 3600 / Double(plannedHeadway) : 0 }

    /// The round-trip layover: vehicles × headway − round-trip run time (the time a cycle
    /// leaves at the terminals), seconds.
    func layover(vehicles: Int, headway: Double?) -> Double? {
        guard let run = roundTripRunTime, let headway, headway > 0 else { return nil }
        return Double(vehicles) * headway - run
    }
}

/// The route's names: short name (else `route_id`), long name, and the first and last stop of
/// its main pattern.
struct RouteNames: Sendable {
    var label: String
    var longName: String?
    var fromTo: String?
}

/// Everything the report draws, computed once.
struct PlanData: Sendable {
    var feedName: String
    var date: GTFSDate
    var periods: [Period]
    var report: PlanReport
    var result: OperablePlanner.Result
    var lines: [PlannedRoutePeriod]
    /// Per `route_id`, its names.
    var names: [String: RouteNames]
    /// Route ids in report order (the plan's order).
    var routeOrder: [String]
    /// The model's fleet limits in the last solve, per period.
    var modelLimits: [Int?]
    /// Per period, the blocks in service at the busiest moment of the period (the timetable).
    var blocksInService: [Int?]

    init(result: OperablePlanner.Result, feed: Feed) {
        let report = result.report
        self.result = result
        self.report = report
        feedName = report.feedName
        date = report.date
        periods = report.planning.periods
        let planning = report.planning
        let problem = planning.problem
        modelLimits = problem.periods.map(\.fleet)
        let document = result.document(diagnostics: false)
        blocksInService = problem.periods.indices.map { p in
            guard let op = document.operation, p < op.periods.count else { return nil }
            return op.periods[p].blocksInService
        }

        // Today's run times per route and period, from the same summary the planner read.
        let patterns = RoutePatterns(feed: feed)
        let summary = ServiceSummary(feed: feed, date: report.date, periods: planning.periods, patterns: patterns)
        struct Key: Hashable { var route: String; var period: Int }
        var runs: [Key: [Int32: Double]] = [:]
        for row in summary.rows { runs[Key(route: row.routeID, period: row.periodIndex), default: [:]][row.direction] = row.runTime }

        var order: [String] = []
        var seen = Set<String>()
        for r in problem.routes where !seen.contains(r.id) {
            seen.insert(r.id)
            order.append(r.id)
        }
        routeOrder = order
        let position = Dictionary(order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })

        struct RowKey: Hashable { var route: String; var period: Int }
        var rowsByKey: [RowKey: [FrequencyPlan.Row]] = [:]
        for row in report.plan.rows { rowsByKey[RowKey(route: row.routeID, period: row.periodIndex), default: []].append(row) }

        var lines: [PlannedRoutePeriod] = []
        let choice = report.plan.solution.choice
        for (g, group) in problem.groups.enumerated() where g < planning.facts.count && g < choice.count {
            let f = planning.facts[g]
            guard choice[g] >= 0, choice[g] < group.options.count else { continue }
            let option = group.options[choice[g]]
            let rows = rowsByKey[RowKey(route: f.routeID, period: group.period)] ?? []
            let length = f.period.length
            let maxLoad = f.demand.values.map(\.maxLoad).max() ?? 0
            var currentLF: Double? = nil
            if !f.demand.isEmpty, let h = f.currentHeadway, h > 0 {
                let places = Double(length) / h * Double(f.capacity)
                if places > 0 { currentLF = maxLoad / places }
            }
            let plannedLF = rows.compactMap(\.peakLoadFactor).max()
            var runTime: Double? = nil
            if let byDirection = runs[Key(route: f.routeID, period: group.period)], !byDirection.isEmpty {
                let sum = byDirection.values.reduce(0, +)
                runTime = byDirection.count == 1 ? 2 * sum : sum
            }
            lines.append(PlannedRoutePeriod(
                routeID: f.routeID, routeOrder: position[f.routeID] ?? order.count, periodIndex: group.period,
                period: f.period.name, periodLength: length, currentHeadway: f.currentHeadway,
                referenceHeadway: rows.first?.referenceHeadway, plannedHeadway: option.headway,
                currentVehicles: f.currentVehicles, plannedVehicles: option.vehicles, cycleTime: group.cycleTime,
                roundTripRunTime: runTime, boardings: group.boardings, maxLoad: maxLoad, capacity: f.capacity,
                currentPeakLoadFactor: currentLF, plannedPeakLoadFactor: plannedLF, keptAsIs: f.keptAsIs))
        }
        lines.sort { ($0.routeOrder, $0.periodIndex) < ($1.routeOrder, $1.periodIndex) }
        self.lines = lines
        names = Self.routeNames(feed: feed, patterns: patterns, routes: Set(order))
    }

    /// Names of the routes in `routes`: short name (else id), long name, and "first – last"
    /// stop of the pattern with the most trips (direction 0 first).
    static func routeNames(feed: Feed, patterns: RoutePatterns, routes: Set<String>) -> [String: RouteNames] {
        let r = feed.routes
        let routeIDs = feed.ids(.route)
        let stops = feed.stops
        var stopRow: [Int32: Int] = [:]
        for row in 0..<stops.count where stopRow[stops.id[row]] == nil { stopRow[stops.id[row]] = row }
        func stopName(_ code: Int32) -> String {
            if let row = stopRow[code], let name = stops.name?[row], !name.isEmpty { return name }
            let ids = feed.ids(.stop)
            return code >= 0 && Int(code) < ids.count ? ids[Int(code)] : "?"
        }
        var out: [String: RouteNames] = [:]
        for row in 0..<r.count {
            let code = r.id[row]
            guard code >= 0, Int(code) < routeIDs.count else { continue }
            let id = routeIDs[Int(code)]
            guard routes.contains(id), out[id] == nil else { continue }
            let short = r.shortName?[row].flatMap { $0.isEmpty ? nil : $0 }
            let long = r.longName?[row].flatMap { $0.isEmpty ? nil : $0 }
            let list = patterns.patterns(ofRoute: code)
            let main = list.filter { $0.direction == 0 }.max { $0.trips.count < $1.trips.count }
                ?? list.max { $0.trips.count < $1.trips.count }
            var fromTo: String? = nil
            if let main, let first = main.stops.first, let last = main.stops.last {
                fromTo = "\(stopName(first)) – \(stopName(last))"
            }
            out[id] = RouteNames(label: short ?? long ?? id, longName: short == nil ? nil : long, fromTo: fromTo)
        }
        for id in routes where out[id] == nil { out[id] = RouteNames(label: id, longName: nil, fromTo: nil) }
        return out
    }

    /// The route's label (short name, else long name, else id).
    func label(_ routeID: String) -> String { names[routeID]?.label ?? routeID }

    /// The plan's vehicles per period.
    var plannedVehicles: [Int] { report.plan.periodTotals.map(\.vehicles) }

    /// The peak periods: those whose planned vehicles come within 10 % of the largest (at most
    /// two, the busiest first by vehicles, then in time order).
    var peakPeriods: [Int] {
        let v = plannedVehicles
        guard let most = v.max(), most > 0 else { return v.isEmpty ? [] : [0] }
        let near = v.indices.filter { Double(v[$0]) >= 0.9 * Double(most) }
        let top = near.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(2)
        return top.sorted()
    }
}
