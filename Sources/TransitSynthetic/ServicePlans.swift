public import GTFS
public import Timetable
public import TransitNetwork

/// Plans made in code from a feed's current service, as the planner would make them, for tests
/// and benchmarks that need a plan for a real feed without its ridership.
public enum ServicePlans {
    /// The planner's default allowed headways, seconds: 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45 and 60 minutes.
    public static let allowedHeadways: [Int32] = [3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60].map { Int32($0 * 60) }

    /// Per route and period, one allowed headway for both directions: the one nearest today's
    /// shortest mean headway × `scale`; vehicles = ceil(longest cycle of the route in the period
    /// / headway), at least 1. Routes that run less than twice in a period are left out of it.
    ///
    /// - Parameters:
    ///   - summary: today's service summary on the plan's date.
    ///   - scale: below 1 for more frequent service than today, above 1 for less.
    ///   - fleet: the fleet limit of every period, or `nil` for none.
    /// - Complexity: O(rows of the summary × allowed headways).
    public static func plan(from summary: ServiceSummary, scale: Double = 1, fleet: Int? = nil) -> HeadwayPlan {
        struct Key: Hashable { var route: String; var period: Int }
        var rowsByKey: [Key: [ServiceSummary.Row]] = [:]
        for r in summary.rows { rowsByKey[Key(route: r.routeID, period: r.periodIndex), default: []].append(r) }
        var rows: [HeadwayPlan.Row] = []
        for (key, list) in rowsByKey.sorted(by: { ($0.key.route, $0.key.period) < ($1.key.route, $1.key.period) }) {
            guard let now = list.compactMap(\.meanHeadway).min() else { continue }
            let target = now * scale
            let h = allowedHeadways.min { abs(Double($0) - target) < abs(Double($1) - target) } ?? 600
            let cycle = list.map(\.cycleTime).max() ?? 0
            let vehicles = max(1, Int((cycle / Double(h)).rounded(.up)))
            for r in list {
                rows.append(HeadwayPlan.Row(routeID: key.route, direction: r.direction, periodIndex: key.period,
                                            headway: h, vehicles: vehicles))
            }
        }
        return HeadwayPlan(date: summary.date, periods: summary.periods, fleet: summary.periods.map { _ in fleet }, rows: rows)
    }

    /// The weekday (Monday to Friday) with the most trips running in the first `days` days of
    /// the feed's service dates (the first such day on a tie), or `nil` when the feed names no
    /// service dates or none of those days is a weekday.
    /// - Complexity: O(days × services).
    public static func busiestWeekday(_ feed: Feed, within days: Int = 21) -> GTFSDate? {
        guard let range = feed.serviceDateRange else { return nil }
        let calendar = ServiceCalendar(feed: feed)
        var best: GTFSDate?, most = -1
        var d = range.lowerBound
        for _ in 0..<max(1, days) where d <= range.upperBound {
            let n = calendar.runningTrips(on: d).count
            if d.weekday < 5 && n > most { best = d; most = n }
            d = d.adding(days: 1)
        }
        return best
    }
}
