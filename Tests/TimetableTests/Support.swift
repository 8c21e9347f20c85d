import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
import Timetable

/// Plans made in code from a feed's current service, as the planner makes them: per route and
/// period one allowed headway for both directions (the allowed headway nearest today's mean),
/// vehicles = ceil(longest cycle of the route in the period / headway).
enum PlanFixtures {
    static let allowed: [Int32] = [3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60].map { Int32($0 * 60) }

    static func plan(from summary: ServiceSummary, scale: Double = 1) -> HeadwayPlan {
        struct Key: Hashable { var route: String; var period: Int }
        var rowsByKey: [Key: [ServiceSummary.Row]] = [:]
        for r in summary.rows { rowsByKey[Key(route: r.routeID, period: r.periodIndex), default: []].append(r) }
        var rows: [HeadwayPlan.Row] = []
        for (key, list) in rowsByKey.sorted(by: { ($0.key.route, $0.key.period) < ($1.key.route, $1.key.period) }) {
            guard let now = list.compactMap(\.meanHeadway).min() else { continue }
            let target = now * scale
            let h = allowed.min { abs(Double($0) - target) < abs(Double($1) - target) } ?? 600
            let cycle = list.map(\.cycleTime).max() ?? 0
            let vehicles = max(1, Int((cycle / Double(h)).rounded(.up)))
            for r in list {
                rows.append(HeadwayPlan.Row(routeID: key.route, direction: r.direction, periodIndex: key.period,
                                            headway: h, vehicles: vehicles))
            }
        }
        return HeadwayPlan(date: summary.date, periods: summary.periods, rows: rows)
    }

    /// A fresh temporary path (not created).
    static func temporaryPath(_ name: String) -> String {
        TemporaryFolder.uniquePath("timetable-tests") + "-" + name
    }
}

