public import GTFS
import TransitNetwork
import Foundation


/// A route direction: the key of load samples for even-load departures.
public struct RouteDirection: Sendable, Hashable {
    /// `route_id`.
    public var routeID: String
    /// 0 or 1.
    public var direction: Int32

    /// Creates a key.
    public init(routeID: String, direction: Int32) {
        self.routeID = routeID
        self.direction = direction
    }
}

extension Timetable {
    /// Builds the timetable of `plan` on `feed` (see ``Timetable`` for the rules).
    ///
    /// - Parameters:
    ///   - feed: the feed the plan was made for; its timetable on ``HeadwayPlan/date`` gives
    ///     first and last departures and run times.
    ///   - loads: per route direction, the loads at its max load point (for
    ///     ``TimetableOptions/evenLoad``; route directions without samples keep even headways).
    /// - Throws: ``TimetableError/unknownRoute(routeID:)`` when the plan names a route the feed
    ///   lacks.
    /// - Complexity: O(trips + stop times of the feed + planned departures × log runs).
    public static func build(feed: Feed, plan: HeadwayPlan, options: TimetableOptions = TimetableOptions(),
                             loads: [RouteDirection: [LoadSample]] = [:]) throws(TimetableError) -> Timetable {
        let routeCodes = feed.codeMap(.route)
        for r in plan.rows where routeCodes[r.routeID] == nil { throw .unknownRoute(routeID: r.routeID) }
        let patterns = RoutePatterns(feed: feed)
        let keys = TripKeys(feed: feed, patterns: patterns)
        let runsByKey = keys.runsByKey(feed: feed, date: plan.date)
        let planned = PlannedSegments(plan: plan, routeCodes: routeCodes, routeIDs: feed.ids(.route))
        var (drafts, notes) = ([Draft](), [String]())
        for key in planned.order {
            switch makeDraft(key, feed: feed, plan: plan, segments: planned.segments(of: key, plan: plan),
                             runs: runsByKey[key] ?? [], patterns: patterns, keys: keys, options: options, loads: loads) {
            case .draft(let d): drafts.append(d)
            case .note(let n): notes.append(n)
            case .skipped: break
            }
        }
        var assembly = TripAssembly(feed: feed, drafts: drafts, options: options)
        if options.phaseDirections { assembly.phaseDirections(&drafts) }
        let (trips, blockTrips) = assembly.plannedTrips(drafts, periods: plan.periods)
        return try assembleBlocks(feed: feed, plan: plan, options: options, trips: trips, blockTrips: blockTrips,
                                  assembly: assembly, notes: notes)
    }

    /// Replaces the even-headway departures inside each segment by as many even-load ones
    /// (gaps kept near twice the planned headway at most where the load is thin), keeping the
    /// day's first and last departure.
    static func evenLoadTimes(_ times: [Int32], segments: [HeadwaySegment], samples: [LoadSample]) -> [Int32] {
        guard let first = times.first, let last = times.last else { return times }
        var out: [Int32] = []
        var i = 0
        for seg in segments {
            while i < times.count && times[i] < seg.start { out.append(times[i]); i += 1 }
            var inside = 0
            while i + inside < times.count && times[i + inside] < seg.end { inside += 1 }
            if inside > 0 {
                // The day's first and last departures stay; the others of the segment are
                // placed by load between them.
                let pinFirst = seg.start <= first && first < seg.end
                let pinLast = seg.start <= last && last < seg.end && last != first
                let free = inside - (pinFirst ? 1 : 0) - (pinLast ? 1 : 0)
                let a = max(seg.start, first), b = min(seg.end, last + 1)
                if pinFirst { out.append(first) }
                if free > 0 {
                    out.append(contentsOf: DepartureRules.evenLoad(start: a, end: pinLast ? last : b, count: free,
                                                                   loads: samples, maxGap: 2 * seg.headway))
                }
                if pinLast { out.append(last) }
            }
            i += inside
        }
        out.append(contentsOf: times[i...])
        out.sort()
        if !out.isEmpty { out[0] = first; out[out.count - 1] = last }
        var clean: [Int32] = []
        for t in out where t >= first && t <= last && t > (clean.last ?? Int32.min) { clean.append(t) }
        if clean.last != last { clean.append(last) }
        return clean
    }

    /// The index in sorted `values` nearest to `t` (the earlier on a tie).
    static func nearest(_ values: [Int32], to t: Int32) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        if lo == values.count { return values.count - 1 }
        if lo > 0 && t - values[lo - 1] <= values[lo] - t { return lo - 1 }
        return lo
    }

    /// `HHMM` of a time (hours may pass 24).
    static func hhmm(_ t: Int32) -> String {
        let h = t / 3600, m = (t / 60) % 60
        return (h < 10 ? "0\(h)" : "\(h)") + (m < 10 ? "0\(m)" : "\(m)")
    }
}
