// What the timetable report reads from the timetable, today's blocks and the feed, gathered once.

import Charts
import GTFS
import Timetable
import TransitNetwork

/// The timetable, today's service and the feed's names, indexed for the report.
struct TimetableReportData: Sendable {
    let timetable: Timetable?
    let current: CurrentServiceBlocks?
    let feed: Feed
    let date: GTFSDate
    /// The feed's route patterns.
    let patterns: RoutePatterns
    /// The feed's trips, with directions inferred (``TransitNetwork/DirectionInference``) for
    /// trips without a `direction_id`.
    let tripIndex: TripIndex
    /// Today's runs (``current``'s when given, else the calendar's for ``date``).
    let currentRuns: [TripRun]
    /// Per route code, the indices of its runs in ``currentRuns``.
    let runsOfRoute: [Int32: [Int]]
    /// Per route code, the indices of its planned trips.
    let plannedOfRoute: [Int32: [Int]]
    let plannedBlocks: BlockSet?
    let currentBlocks: BlockSet?
    let routeIDs: [String]
    let routeCodes: [String: Int32]
    /// Per route code, its `routes.txt` row.
    let routeRow: [Int32: Int]

    init(timetable: Timetable?, current: CurrentServiceBlocks?, feed: Feed, date: GTFSDate) {
        self.timetable = timetable
        self.current = current
        self.feed = feed
        self.date = date
        let patterns = RoutePatterns(feed: feed)
        self.patterns = patterns
        var tripIndex = patterns.tripIndex
        if tripIndex.withoutFileDirection > 0 {
            tripIndex = tripIndex.inferring(DirectionInference(feed: feed, patterns: patterns))
        }
        self.tripIndex = tripIndex
        let runs = current?.runs ?? Departures.runs(feed: feed, calendar: ServiceCalendar(feed: feed), date: date)
        currentRuns = runs
        var byRoute: [Int32: [Int]] = [:]
        for (i, run) in runs.enumerated() {
            if let r = tripIndex.route(ofTrip: run.trip), r >= 0 { byRoute[r, default: []].append(i) }
        }
        runsOfRoute = byRoute
        var planned: [Int32: [Int]] = [:]
        for (i, t) in (timetable?.trips ?? []).enumerated() { planned[t.route, default: []].append(i) }
        plannedOfRoute = planned
        routeIDs = feed.ids(.route)
        routeCodes = feed.codeMap(.route)
        var rows: [Int32: Int] = [:]
        let routes = feed.routes
        for r in 0..<routes.count where rows[routes.id[r]] == nil { rows[routes.id[r]] = r }
        routeRow = rows
        let tripIDs = feed.ids(.trip)
        let ids = routeIDs
        func routeID(_ code: Int32) -> String { code >= 0 && Int(code) < ids.count ? ids[Int(code)] : "?" }
        if let t = timetable {
            plannedBlocks = BlockSet(name: "planned", trips: t.blockTrips, blocks: t.blocks.blocks, legs: t.blocks.legs,
                                     depotDrives: t.depotDrives, labels: t.blockIDs, tripRoute: t.trips.map(\.route),
                                     tripRouteID: t.trips.map(\.routeID), tripDirection: t.trips.map(\.direction),
                                     tripID: t.trips.map(\.id))
        } else {
            plannedBlocks = nil
        }
        if let c = current {
            let routeOfRun = c.runs.map { tripIndex.route(ofTrip: $0.trip) ?? -1 }
            currentBlocks = BlockSet(name: "today's trips", trips: c.trips, blocks: c.blocks.blocks, legs: c.blocks.legs,
                                     depotDrives: c.depotDrives, labels: c.blocks.blocks.indices.map { "today \($0 + 1)" },
                                     tripRoute: routeOfRun, tripRouteID: routeOfRun.map(routeID),
                                     tripDirection: c.runs.map { tripIndex.direction(ofTrip: $0.trip) },
                                     tripID: c.runs.map { $0.trip >= 0 && Int($0.trip) < tripIDs.count ? tripIDs[Int($0.trip)] : "?" })
        } else {
            currentBlocks = nil
        }
    }

    /// The stringline pass's view of the feed (distances along shapes, stop positions).
    func stringlineSource() -> StringlineSource {
        StringlineSource(feed: feed, patterns: patterns, trips: tripIndex)
    }

    /// Routes with at least one run today.
    var currentRouteCount: Int { runsOfRoute.count }

    /// The `route_id`s of the `n` routes with the most planned trips on the day (today's trips
    /// without a timetable; today's trips, then the route order break ties).
    func busiestRoutes(_ n: Int) -> [String] {
        var codes = Set(runsOfRoute.keys)
        if timetable != nil { codes = Set(plannedOfRoute.keys) }
        let ranked = codes.sorted { a, b in
            let pa = plannedOfRoute[a]?.count ?? 0, pb = plannedOfRoute[b]?.count ?? 0
            if pa != pb { return pa > pb }
            let ca = runsOfRoute[a]?.count ?? 0, cb = runsOfRoute[b]?.count ?? 0
            return ca != cb ? ca > cb : a < b
        }
        return ranked.prefix(max(0, n)).compactMap { $0 >= 0 && Int($0) < routeIDs.count ? routeIDs[Int($0)] : nil }
    }

    /// "10 · Downtown – Airport" (short and long name, whichever the feed has), else the `route_id`.
    func routeName(_ routeID: String) -> String {
        guard let code = routeCodes[routeID], let row = routeRow[code] else { return routeID }
        let routes = feed.routes
        let short = routes.shortName?[row] ?? "", long = routes.longName?[row] ?? ""
        switch (short.isEmpty, long.isEmpty) {
        case (false, false): return "\(short) · \(long)"
        case (false, true): return short
        case (true, false): return long
        case (true, true): return routeID
        }
    }

    /// The short name, else the `route_id`.
    func routeShortName(_ routeID: String) -> String {
        guard let code = routeCodes[routeID], let row = routeRow[code], let short = feed.routes.shortName?[row], !short.isEmpty else {
            return routeID
        }
        return short
    }
}

/// The stringlines of one route: today's and the planned trips on one pair of axes.
struct RouteStringlines: Sendable {
    var title: String
    var shortTitle: String
    var currentTrips: [StringlineTrip] = []
    var plannedTrips: [StringlineTrip] = []
    var timeDomain: ClosedRange<Double> = 0...86_400
    var distanceDomain: ClosedRange<Double> = 0...1
    var axisDescription: String

    init(data: TimetableReportData, source: StringlineSource, routeID: String) {
        let name = data.routeName(routeID)
        title = name == routeID ? "Route \(routeID)" : "Route \(name)" + (data.routeShortName(routeID) == routeID ? "" : " (\(routeID))")
        shortTitle = "Route \(data.routeShortName(routeID))"
        axisDescription = "the route"
        guard let code = data.routeCodes[routeID] else { return }
        let runs = data.runsOfRoute[code] ?? []
        let planned = data.plannedOfRoute[code] ?? []
        var uses: [Int32: Int] = [:]
        for i in runs { uses[data.currentRuns[i].trip, default: 0] += 1 }
        if let t = data.timetable { for i in planned { uses[t.trips[i].template, default: 0] += 1 } }
        guard let axis = source.axis(tripUses: uses) else {
            axisDescription = "the route (its stops have no positions, so no distances)"
            return
        }
        var cache: [Int64: (offset: Double, sign: Double)] = [:]
        func placement(_ trip: Int32, direction: Int32) -> (offset: Double, sign: Double) {
            let pattern = trip >= 0 && Int(trip) < source.patterns.patternOfTrip.count ? source.patterns.patternOfTrip[Int(trip)] : -1
            let key = pattern >= 0 ? Int64(pattern) : -1 - Int64(trip)
            if let known = cache[key] { return known }
            let p = source.placement(of: trip, on: axis, direction: direction, axisDirection: axis.direction)
            cache[key] = p
            return p
        }
        for i in runs {
            let run = data.currentRuns[i]
            let direction = data.tripIndex.direction(ofTrip: run.trip)
            let events = source.events(trip: run.trip, offset: run.offset, placement: placement(run.trip, direction: direction))
            guard !events.isEmpty else { continue }
            var tip = "trip \(source.tripID(run.trip))"
            if run.offset != 0 { tip += " (frequency run)" }
            if run.trip >= 0, Int(run.trip) < source.feedBlock.count, let block = source.feedBlock[Int(run.trip)] { tip += ", block \(block)" }
            tip += ", direction \(direction), \(Format.clock(Int(run.start)))–\(Format.clock(Int(run.end)))"
            currentTrips.append(StringlineTrip(direction: direction, points: events, tooltip: tip))
        }
        if let t = data.timetable {
            for i in planned {
                let trip = t.trips[i]
                let events = source.events(planned: trip, placement: placement(trip.template, direction: trip.direction))
                guard !events.isEmpty else { continue }
                var tip = "planned trip \(trip.id)"
                if trip.block >= 0 && trip.block < t.blockIDs.count { tip += ", block \(t.blockIDs[trip.block])" }
                tip += ", direction \(trip.direction), \(Format.clock(Int(trip.start)))–\(Format.clock(Int(trip.end)))"
                plannedTrips.append(StringlineTrip(direction: trip.direction, points: events, tooltip: tip))
            }
        }
        // Axes shared by both charts.
        var lo = Double.infinity, hi = -Double.infinity, near = 0.0, far = axis.length
        for trip in currentTrips + plannedTrips {
            for p in trip.points {
                lo = min(lo, Double(p.time)); hi = max(hi, Double(p.time))
                near = min(near, p.metres); far = max(far, p.metres)
            }
        }
        if lo.isFinite {
            let step = 1800.0
            timeDomain = ((lo / step).rounded(.down) * step)...max((hi / step).rounded(.up) * step, (lo / step).rounded(.down) * step + step)
        }
        let ticks = Ticks.nice((near / 1000)...max(far / 1000, near / 1000 + 0.1), count: 6)
        distanceDomain = (ticks.first ?? 0)...(ticks.last ?? 1)
        let from = source.stopName(axis.stops.first), to = source.stopName(axis.stops.last)
        let method: String
        switch source.distances.method(ofTrip: axis.trip) {
        case .shapeDistTraveled: method = "measured with the feed's shape_dist_traveled"
        case .shapeProjection: method = "measured along its shape"
        case .greatCircle, nil: method = "measured in straight lines from stop to stop (no usable shape)"
        }
        axisDescription = "the route's main stop sequence (direction \(axis.direction)), from \(from) (\(Format.number(axis.along.first.map { $0 / 1000 } ?? 0, places: 1)) km) to \(to) (\(Format.number(axis.length / 1000, places: 1)) km), \(method); other sequences are placed where their stops lie along it"
    }
}
