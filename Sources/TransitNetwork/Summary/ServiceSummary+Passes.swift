import GTFS
import TransitSupport

/// The runs of a date grouped by route, direction and period, in the order the groups were
/// first met, with the counts of runs outside every period and without a direction.
///
/// A group's index is kept in a flat table by (route code + 1, direction, period); route codes
/// outside the feed's (none in a linked feed) go through a dictionary.
struct RunGroups {
    struct Key: Hashable { var route: Int32; var direction: Int32; var period: Int }
    let routeCount: Int
    let periodCount: Int
    var groupAt: [Int32]
    var otherGroups: [Key: Int] = [:]
    /// Per group, its key and its runs (sorted by start).
    var keys: [Key] = []
    var runs: [[TripRun]] = []
    /// Runs whose first departure is outside every period.
    var unassigned = 0
    /// Runs without a usable `direction_id`; of those, the inferred and the undecided ones.
    var withoutDirection = 0, inferred = 0, undecided = 0

    /// Groups `runs` (sorted by start).
    /// - Complexity: O(runs × periods).
    init(runs: [TripRun], trips: TripIndex, inference: DirectionInference?, periods: [Period], routeCount: Int) {
        self.routeCount = routeCount
        self.periodCount = periods.count
        groupAt = [Int32](repeating: -1, count: (routeCount + 1) * 2 * periods.count)
        let tripCount = trips.count
        for run in runs {
            let t = Int(run.trip)
            if t < tripCount, !trips.hasFileDirection[t] {
                withoutDirection += 1
                if let inference {
                    inferred += 1
                    if inference.method(ofTrip: run.trip) == .undecided { undecided += 1 }
                }
            }
            guard t < tripCount, let p = periods.firstIndex(where: { $0.contains(run.start) }) else {
                unassigned += 1
                continue
            }
            let key = Key(route: trips.routes[t], direction: trips.directions[t], period: p)
            if let g = group(key) {
                self.runs[g].append(run)
            } else {
                let g = keys.count
                if let i = slot(key) { groupAt[i] = Int32(g) } else { otherGroups[key] = g }
                keys.append(key)
                self.runs.append([run])
            }
        }
    }

    /// The flat slot of `key`, if it has one.
    func slot(_ key: Key) -> Int? {
        guard key.route >= -1, Int(key.route) < routeCount, key.direction == 0 || key.direction == 1 else { return nil }
        return ((Int(key.route) + 1) * 2 + Int(key.direction)) * periodCount + key.period
    }

    /// The group of `key`, if it has runs.
    func group(_ key: Key) -> Int? {
        if let i = slot(key) { return groupAt[i] >= 0 ? Int(groupAt[i]) : nil }
        return otherGroups[key]
    }
}

extension ServiceSummary {
    /// The runs of `date` and, when asked for, the direction inference. They are independent:
    /// on a large feed the inference runs on a second thread meanwhile.
    static func runsAndInference(feed: Feed, date: GTFSDate, calendar: ServiceCalendar?, inferDirections: Bool,
                                 directions: DirectionInference?,
                                 patterns: RoutePatterns?) -> (runs: [TripRun], inference: DirectionInference?) {
        let tripCount = feed.ids(.trip).count
        if inferDirections, directions == nil, tripCount >= 2_000, processorCount() > 1 {
            let inferred = SharedSlots<DirectionInference?>(count: 1, initial: nil)
            let departures = SharedSlots<[TripRun]>(count: 1, initial: [])
            runOnThreads(2) { part in
                if part == 1 {
                    inferred[0] = DirectionInference(feed: feed, patterns: patterns)
                } else {
                    departures[0] = Departures.runs(feed: feed, calendar: calendar ?? ServiceCalendar(feed: feed), date: date)
                }
            }
            return (departures[0], inferred[0] ?? DirectionInference(feed: feed, patterns: patterns))
        }
        let runs = Departures.runs(feed: feed, calendar: calendar ?? ServiceCalendar(feed: feed), date: date)
        return (runs, inferDirections ? (directions ?? DirectionInference(feed: feed, patterns: patterns)) : nil)
    }

    /// The first non-empty `route_short_name` of each route code.
    static func routeShortNames(_ feed: Feed) -> [Int32: String] {
        let routes = feed.routes
        var shortNames: [Int32: String] = [:]
        for row in 0..<routes.count where routes.id[row] >= 0 {
            if shortNames[routes.id[row]] == nil, let s = routes.shortName?[row], !s.isEmpty {
                shortNames[routes.id[row]] = s
            }
        }
        return shortNames
    }

    /// One row per group: trips, headways, median run time, cycle time and vehicles.
    static func rows(_ groups: RunGroups, periods: [Period], routeIDs: [String], shortNames: [Int32: String],
                     layoverShare: Double, minimumLayover: Int32) -> [Row] {
        func median(_ values: [Int32]) -> Double {
            let v = values.sorted()
            guard !v.isEmpty else { return 0 }
            let m = v.count / 2
            return v.count % 2 == 1 ? Double(v[m]) : (Double(v[m - 1]) + Double(v[m])) / 2
        }
        func layover(_ run: Double) -> Double { max(layoverShare * run, Double(minimumLayover)) }

        let medians = groups.runs.map { median($0.map(\.runTime)) }
        var rows: [Row] = []
        rows.reserveCapacity(groups.keys.count)
        for (g, key) in groups.keys.enumerated() {
            let list = groups.runs[g]
            let period = periods[key.period]
            let run = medians[g]
            let other = groups.group(RunGroups.Key(route: key.route, direction: 1 - key.direction, period: key.period)).map { medians[$0] }
            let cycle: Double = if let other {
                run + other + layover(run) + layover(other)
            } else {
                2 * (run + layover(run))
            }
            var meanHeadway: Double? = nil, minHeadway: Int32? = nil, maxHeadway: Int32? = nil
            if list.count >= 2 {
                var lo = Int32.max, hi = Int32.min
                for i in 1..<list.count {
                    let gap = list[i].start - list[i - 1].start
                    lo = min(lo, gap); hi = max(hi, gap)
                }
                minHeadway = lo; maxHeadway = hi
                meanHeadway = Double(list[list.count - 1].start - list[0].start) / Double(list.count - 1)
            }
            let vehicles: Int
            if let h = meanHeadway, h > 0 {
                vehicles = Int((cycle / h).rounded(.up))
            } else if meanHeadway != nil {
                // Several departures at the same minute: each needs its own vehicle.
                vehicles = list.count
            } else {
                vehicles = cycle <= Double(period.length) ? 1 : Int((cycle / Double(max(1, period.length))).rounded(.up))
            }
            let routeID = key.route >= 0 && Int(key.route) < routeIDs.count ? routeIDs[Int(key.route)] : ""
            rows.append(Row(route: key.route, routeID: routeID, routeShortName: shortNames[key.route],
                            direction: key.direction, periodIndex: key.period, period: period.name,
                            trips: list.count, meanHeadway: meanHeadway, minHeadway: minHeadway,
                            maxHeadway: maxHeadway, runTime: run, cycleTime: cycle, vehicles: max(1, vehicles)))
        }
        return rows
    }

    /// `rows` sorted by route (natural order of short name, else id; then id), direction and
    /// period. Each route is ranked once, with each name's scalars taken once, so the row sort
    /// compares integers.
    static func sorted(_ rows: [Row], routeIDs: [String], shortNames: [Int32: String], periodCount: Int) -> [Row] {
        var routeRank: [Int32: Int] = [:]
        let present = Set(rows.map(\.route)).sorted()
        let idOf = present.map { r in r >= 0 && Int(r) < routeIDs.count ? routeIDs[Int(r)] : "" }
        let names = present.indices.map { i in shortNames[present[i]] ?? idOf[i] }
        let nameScalars = names.map { $0.unicodeScalars.map(\.value) }
        let ranked = present.indices.sorted { a, b in
            if names[a] != names[b] { return ServiceSummary.naturalLess(nameScalars[a], nameScalars[b]) }
            if idOf[a] != idOf[b] { return idOf[a] < idOf[b] }
            return present[a] < present[b]
        }
        for (i, r) in ranked.enumerated() { routeRank[present[r]] = i }
        // Route rank, direction and period make each row's key unique.
        let order = rows.indices.map { i in
            ((routeRank[rows[i].route] ?? 0) * 2 + Int(rows[i].direction)) * max(1, periodCount) + rows[i].periodIndex
        }
        return rows.indices.sorted { order[$0] < order[$1] }.map { rows[$0] }
    }

    /// Per period, the trips and the vehicles in service (per route the larger of its
    /// direction rows, summed).
    static func totals(of rows: [Row], periods: [Period]) -> [PeriodTotal] {
        var totals = periods.map { PeriodTotal(period: $0, trips: 0, vehicles: 0) }
        var perRoute: [RunGroups.Key: Int] = [:] // direction fixed at 0: route × period → max vehicles
        for row in rows {
            totals[row.periodIndex].trips += row.trips
            let k = RunGroups.Key(route: row.route, direction: 0, period: row.periodIndex)
            perRoute[k] = max(perRoute[k] ?? 0, row.vehicles)
        }
        for (k, v) in perRoute { totals[k.period].vehicles += v }
        return totals
    }
}
extension ServiceSummary {
    /// Orders names with their digit runs compared as numbers (`2` before `10`, `N5` before
    /// `N12`), other characters as text.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        naturalLess(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value))
    }

    /// The natural order of two names given as their Unicode scalar values: runs of
    /// ASCII digits compare by value (then the shorter run, with fewer leading zeros, first),
    /// other scalars by value; a name that is a prefix of the other comes first.
    static func naturalLess(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        @inline(__always) func digit(_ u: UInt32) -> Bool { u >= 48 && u <= 57 }
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let u = a[i], v = b[j]
            if digit(u) && digit(v) {
                let ps = i, qs = j
                while i < a.count && digit(a[i]) { i += 1 }
                while j < b.count && digit(b[j]) { j += 1 }
                var pz = ps, qz = qs
                while pz < i && a[pz] == 48 { pz += 1 }
                while qz < j && b[qz] == 48 { qz += 1 }
                if i - pz != j - qz { return i - pz < j - qz }
                for k in 0..<(i - pz) where a[pz + k] != b[qz + k] { return a[pz + k] < b[qz + k] }
                if i - ps != j - qs { return i - ps < j - qs }
                continue
            }
            if u != v { return u < v }
            i += 1; j += 1
        }
        return i >= a.count && j < b.count
    }
}
