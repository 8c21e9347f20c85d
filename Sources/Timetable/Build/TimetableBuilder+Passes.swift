import GTFS
import TransitNetwork

extension Timetable {
    /// A route code and direction: the key the builder groups runs and plan rows by.
    struct RouteKey: Hashable { var route: Int32; var direction: Int32 }

    /// Per trip code, its route code and direction (`direction_id`, else the inferred one).
    struct TripKeys {
        /// The feed's trips, with the inferred direction of those without a `direction_id`.
        let trips: TripIndex

        /// The routes and directions of `feed`'s trips (the first row of each trip code).
        /// - Complexity: O(trips) plus the direction inference when some trip needs it.
        init(feed: Feed, patterns: RoutePatterns) {
            let index = patterns.tripIndex
            let inference = index.withoutFileDirection > 0 ? DirectionInference(feed: feed, patterns: patterns) : nil
            trips = index.inferring(inference)
        }

        /// The runs of `date` by route direction, each in the order of the day's runs.
        func runsByKey(feed: Feed, date: GTFSDate) -> [RouteKey: [TripRun]] {
            let calendar = ServiceCalendar(feed: feed)
            let runs = Departures.runs(feed: feed, calendar: calendar, date: date)
            var runsByKey: [RouteKey: [TripRun]] = [:]
            for run in runs where Int(run.trip) < trips.count {
                runsByKey[RouteKey(route: trips.routes[Int(run.trip)], direction: trips.directions[Int(run.trip)]), default: []].append(run)
            }
            return runsByKey
        }
    }

    /// The plan's rows by route direction: per period the (smallest) headway, and the route
    /// directions in order of `route_id`, then direction.
    struct PlannedSegments {
        var order: [RouteKey] = []
        var headways: [RouteKey: [Int: Int32]] = [:]

        init(plan: HeadwayPlan, routeCodes: [String: Int32], routeIDs: [String]) {
            for r in plan.rows {
                guard let code = routeCodes[r.routeID], r.periodIndex >= 0, r.periodIndex < plan.periods.count else { continue }
                let key = RouteKey(route: code, direction: r.direction)
                if headways[key] == nil { order.append(key) }
                headways[key, default: [:]][r.periodIndex] = min(headways[key]?[r.periodIndex] ?? Int32.max, r.headway)
            }
            order.sort { a, b in
                let x = routeIDs[Int(a.route)], y = routeIDs[Int(b.route)]
                return x != y ? x < y : a.direction < b.direction
            }
        }

        /// The headway segments of `key`, in period order.
        func segments(of key: RouteKey, plan: HeadwayPlan) -> [HeadwaySegment] {
            (headways[key] ?? [:]).sorted { $0.key < $1.key }.map {
                HeadwaySegment(start: plan.periods[$0.key].start, end: plan.periods[$0.key].end, headway: $0.value)
            }
        }
    }

    /// The departures of one route direction before they become trips.
    struct Draft {
        var key: RouteKey
        var routeID: String
        /// The runs whose stop times the trips copy, and their starts (ascending).
        var templates: [TripRun]
        var starts: [Int32]
        /// The departure times.
        var times: [Int32]
        /// The median planned headway.
        var headway: Int32
    }

    /// What the builder makes of one route direction of the plan.
    enum DraftOutcome {
        case draft(Draft)
        /// Left out, with a note saying why.
        case note(String)
        /// Left out silently (no segment or no stop times).
        case skipped
    }

    /// The draft of route direction `key`: its templates (the runs of the main pattern that
    /// day, else any trip of it) and its departures (even headways, or even loads).
    static func makeDraft(_ key: RouteKey, feed: Feed, plan: HeadwayPlan, segments segs: [HeadwaySegment],
                          runs current: [TripRun], patterns: RoutePatterns, keys: TripKeys, options: TimetableOptions,
                          loads: [RouteDirection: [LoadSample]]) -> DraftOutcome {
        let routeID = feed.ids(.route)[Int(key.route)]
        guard let firstSeg = segs.first, let lastSeg = segs.last else { return .skipped }
        let index = feed.stopTimeIndex
        let trips = keys.trips
        var count: [Int32: Int] = [:]
        for run in current { count[patterns.patternOfTrip[Int(run.trip)], default: 0] += 1 }
        var templates: [TripRun] = []
        if let main = count.filter({ $0.key >= 0 }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key {
            templates = current.filter { patterns.patternOfTrip[Int($0.trip)] == main }
        } else {
            let candidates = patterns.patterns(ofRoute: key.route).filter { p in
                p.trips.contains { trips.direction(ofTrip: $0) == key.direction }
            }
            let st = feed.stopTimes
            if let best = candidates.max(by: { $0.trips.count < $1.trips.count }),
               let trip = best.trips.first(where: { trips.direction(ofTrip: $0) == key.direction }),
               let span = Departures.span(of: trip, index: index, arrival: st.arrival, departure: st.departure) {
                templates = [TripRun(trip: trip, start: span.first, end: span.last, offset: 0)]
            }
        }
        guard !templates.isEmpty else {
            return .note("route \(routeID) direction \(key.direction): no trip in the feed to take stop times from; left out")
        }

        // First and last departures: today's, unless today runs outside the planned periods.
        var first = current.first?.start ?? firstSeg.start
        var last = current.map(\.start).max() ?? (lastSeg.end - lastSeg.headway)
        if first >= firstSeg.end { first = firstSeg.start }
        if last < lastSeg.start { last = max(first, lastSeg.end - lastSeg.headway) }
        var times = DepartureRules.evenHeadways(segments: segs, first: first, last: last)
        if options.evenLoad, let samples = loads[RouteDirection(routeID: routeID, direction: key.direction)], !samples.isEmpty {
            times = evenLoadTimes(times, segments: segs, samples: samples)
        }

        guard !index.rows(ofTrip: templates[0].trip).isEmpty else { return .skipped }
        let headways = segs.map(\.headway).sorted()
        return .draft(Draft(key: key, routeID: routeID, templates: templates, starts: templates.map(\.start),
                            times: times, headway: headways[headways.count / 2]))
    }
}
