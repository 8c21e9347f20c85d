public import GTFS
import TransitSupport

/// A named slice of the service day, `[start, end)` in seconds since service-day midnight.
public struct Period: Sendable, Hashable {
    /// The name, as written: `07:00-09:00`.
    public var name: String
    /// The first second of the period.
    public var start: Int32
    /// The end of the period (exclusive); may pass 24 h (`23:00-29:00`).
    public var end: Int32

    /// Creates a period.
    public init(name: String, start: Int32, end: Int32) {
        self.name = name
        self.start = start
        self.end = end
    }

    /// The length in seconds.
    public var length: Int32 { end - start }

    /// Whether `time` (seconds) falls in `[start, end)`.
    public func contains(_ time: Int32) -> Bool { start <= time && time < end }

    /// Parses comma-separated `HH:MM-HH:MM` periods (``NetworkDefaults/periods`` is an
    /// example). Hours have one to three digits and may pass 24 (`23:00-29:00`); minutes are
    /// two digits below 60; spaces around pieces are ignored. The result is sorted by start.
    ///
    /// - Throws: ``NetworkError/invalidPeriod(piece:reason:)`` for an empty list, a piece that
    ///   does not parse or whose end is not after its start;
    ///   ``NetworkError/overlappingPeriods(_:_:)`` when two periods share time (touching ends,
    ///   `07:00-09:00,09:00-16:00`, are fine).
    public static func parse(_ text: String) throws(NetworkError) -> [Period] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        guard !(pieces.count == 1 && pieces[0].isEmpty) else {
            throw .invalidPeriod(piece: text, reason: "no periods given")
        }
        var out: [Period] = []
        for piece in pieces {
            guard !piece.isEmpty else { throw .invalidPeriod(piece: text, reason: "empty period between commas") }
            let ends = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2 else { throw .invalidPeriod(piece: piece, reason: "expected HH:MM-HH:MM") }
            guard let a = clock(ends[0].trimmingSpaces()) else {
                throw .invalidPeriod(piece: piece, reason: "'\(ends[0])' is not a time HH:MM")
            }
            guard let b = clock(ends[1].trimmingSpaces()) else {
                throw .invalidPeriod(piece: piece, reason: "'\(ends[1])' is not a time HH:MM")
            }
            guard b > a else { throw .invalidPeriod(piece: piece, reason: "the end is not after the start") }
            out.append(Period(name: piece, start: a, end: b))
        }
        out.sort { $0.start < $1.start }
        for i in out.indices.dropFirst() where out[i].start < out[i - 1].end {
            throw .overlappingPeriods(out[i - 1].name, out[i].name)
        }
        return out
    }

    /// `H:MM`, `HH:MM` or `HHH:MM` → seconds.
    private static func clock(_ s: String) -> Int32? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...3).contains(parts[0].count), parts[1].count == 2,
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let h = Int32(parts[0]), let m = Int32(parts[1]), m < 60 else { return nil }
        return h * 3600 + m * 60
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

/// What service a feed runs on one date: per route, direction and period the trips, headways,
/// run time, cycle time and vehicles needed; per period the vehicles in service.
///
/// How it is computed (all times in seconds since service-day midnight):
///
/// - **Departures** are the runs of ``Departures/runs(feed:calendar:date:)``: running trips
///   once, frequency templates expanded. A run belongs to the period that contains its first
///   departure; runs outside every period are counted in ``unassignedRuns`` only.
/// - **Direction**: a trip's `direction_id` 0 or 1 is used as given. A trip that leaves it empty
///   (or invalid) gets the direction ``DirectionInference`` infers from the geometry of its
///   route's trips (``runsWithInferredDirection`` counts those departures, and
///   ``runsWithUndecidedDirection`` those for which no test decided, read as 0). With
///   `inferDirections: false` such trips are direction 0, as before: a feed that leaves it
///   empty everywhere (Vilnius 2016) then gets both directions in one row, the headway about
///   halved and the vehicles about doubled. ``runsWithoutDirection`` counts the departures
///   whose trip has no usable `direction_id`, either way.
/// - **Headways** are the gaps between consecutive departures of the same route and direction
///   within the period. The mean headway is the mean of those gaps, (last − first) / (trips − 1),
///   not the period length divided by the trips (which would count the empty time before the
///   first and after the last departure). With fewer than two departures there is no headway.
/// - **Run time** is the median over the period's runs of first departure → last arrival (the
///   mean of the two middle values for an even count).
/// - **Cycle time** of a route in a period is the run time of direction 0 plus that of
///   direction 1 (twice the one run time when only one direction runs), plus a terminal
///   layover per direction of max(`layoverShare` × its run time, `minimumLayover`).
/// - **Vehicles** of a row: ceil(cycle time / mean headway). With a single departure in the
///   period there is no headway; the row then needs 1 vehicle when the cycle fits in the
///   period, else ceil(cycle time / period length) (the vehicles that run the cycle back to
///   back over the period).
/// - **Vehicles in service** per period: both directions of a route describe the same vehicles
///   going round, so a route counts the larger of its two rows, and the period total is the
///   sum over routes. The peak fleet is the largest period total.
///
/// Rows are sorted by route (short name, else id, numbers in numeric order), direction, then
/// period start.
public struct ServiceSummary: Sendable {
    /// One route × direction × period.
    public struct Row: Sendable, Hashable {
        /// The route code (``IDSpace/route``).
        public var route: Int32
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`, when the route has one.
        public var routeShortName: String?
        /// 0 or 1 (inferred for an empty `direction_id`, see ``DirectionInference``).
        public var direction: Int32
        /// The period's index in ``ServiceSummary/periods``.
        public var periodIndex: Int
        /// The period's name, `07:00-09:00`.
        public var period: String
        /// The departures in the period.
        public var trips: Int
        /// The mean gap between consecutive departures, seconds; `nil` with < 2 departures.
        public var meanHeadway: Double?
        /// The smallest gap, seconds; `nil` with < 2 departures.
        public var minHeadway: Int32?
        /// The largest gap, seconds; `nil` with < 2 departures.
        public var maxHeadway: Int32?
        /// The median run time (first departure to last arrival), seconds.
        public var runTime: Double
        /// The route's cycle time in the period (both directions plus layovers), seconds.
        public var cycleTime: Double
        /// The vehicles this direction's frequency needs over the cycle.
        public var vehicles: Int
    }

    /// The vehicles in service in one period.
    public struct PeriodTotal: Sendable, Hashable {
        /// The period.
        public var period: Period
        /// The departures in the period, all routes and directions.
        public var trips: Int
        /// The vehicles in service: per route the larger of its direction rows, summed.
        public var vehicles: Int
    }

    /// The service date.
    public let date: GTFSDate
    /// The periods, sorted by start.
    public let periods: [Period]
    /// The layover share of the run time (0.10 = 10%).
    public let layoverShare: Double
    /// The minimum layover per direction, seconds.
    public let minimumLayover: Int32
    /// The rows, sorted by route, direction, period.
    public let rows: [Row]
    /// Per period (in ``periods`` order), the totals.
    public let totals: [PeriodTotal]
    /// All runs on the date (including those outside every period).
    public let totalRuns: Int
    /// The runs whose first departure is outside every period.
    public let unassignedRuns: Int
    /// The runs whose trip has an empty (or invalid) `direction_id`.
    public let runsWithoutDirection: Int
    /// The runs whose direction was inferred (``DirectionInference``); 0 when inference is off.
    public let runsWithInferredDirection: Int
    /// Of ``runsWithInferredDirection``, those no inference test decided (direction 0).
    public let runsWithUndecidedDirection: Int

    /// The peak fleet: the largest ``PeriodTotal/vehicles`` (0 without periods).
    public var peakVehicles: Int { totals.map(\.vehicles).max() ?? 0 }

    /// Computes the summary of `feed` on `date`.
    ///
    /// - Parameters:
    ///   - periods: from ``Period/parse(_:)``; overlapping periods would count a run once, in
    ///     the first that contains it.
    ///   - layoverShare: the layover per direction as a share of its run time.
    ///   - minimumLayover: the smallest layover per direction, seconds.
    ///   - calendar: a calendar already built for `feed`, to save rebuilding it.
    ///   - inferDirections: whether trips without `direction_id` get an inferred direction
    ///     (else direction 0).
    ///   - directions: an inference already made for `feed`, to save redoing it.
    ///   - patterns: route patterns already built for `feed` (for the inference), to save
    ///     rebuilding them.
    /// - Complexity: O(trips + stop times of the running trips and of the trips without
    ///   `direction_id` + runs × log runs).
    public init(feed: Feed, date: GTFSDate, periods: [Period], layoverShare: Double = 0.10,
                minimumLayover: Int32 = 300, calendar: ServiceCalendar? = nil,
                inferDirections: Bool = true, directions: DirectionInference? = nil,
                patterns: RoutePatterns? = nil) {
        let periods = periods.sorted { $0.start < $1.start }
        self.date = date
        self.periods = periods
        self.layoverShare = layoverShare
        self.minimumLayover = minimumLayover
        let tripCount = feed.ids(.trip).count
        // The departures and the direction inference are independent: on a large feed the
        // inference runs on a second thread meanwhile.
        let runs: [TripRun]
        let inference: DirectionInference?
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
            runs = departures[0]
            inference = inferred[0] ?? DirectionInference(feed: feed, patterns: patterns)
        } else {
            runs = Departures.runs(feed: feed, calendar: calendar ?? ServiceCalendar(feed: feed), date: date)
            inference = inferDirections ? (directions ?? DirectionInference(feed: feed, patterns: patterns)) : nil
        }
        totalRuns = runs.count

        // Trip code → route code and direction.
        let trips = feed.trips
        var tripRoute = [Int32](repeating: -1, count: tripCount)
        var tripDirection = [Int32](repeating: 0, count: tripCount)
        var tripHasDirection = [Bool](repeating: false, count: tripCount)
        for row in 0..<trips.count {
            let t = trips.id[row]
            guard t >= 0, Int(t) < tripCount, tripRoute[Int(t)] < 0 else { continue }
            tripRoute[Int(t)] = trips.route[row]
            let file = DirectionInference.fileDirection(trips.direction[row])
            tripHasDirection[Int(t)] = file != nil
            tripDirection[Int(t)] = file ?? inference?.direction(ofTrip: t) ?? 0
        }

        // Group the runs (already sorted by start) by route, direction, period. A group's
        // index is kept in a flat table by (route code + 1, direction, period); route codes
        // outside the feed's (none in a linked feed) go through a dictionary.
        struct Key: Hashable { var route: Int32; var direction: Int32; var period: Int }
        let routeIDs = feed.ids(.route)
        let periodCount = periods.count
        let slots = (routeIDs.count + 1) * 2 * periodCount
        var groupAt = [Int32](repeating: -1, count: slots)
        var otherGroups: [Key: Int] = [:]
        var groupKeys: [Key] = []
        var groupRuns: [[TripRun]] = []
        /// The flat slot of `key`, if it has one.
        func slot(_ key: Key) -> Int? {
            guard key.route >= -1, Int(key.route) < routeIDs.count, key.direction == 0 || key.direction == 1 else { return nil }
            return ((Int(key.route) + 1) * 2 + Int(key.direction)) * periodCount + key.period
        }
        /// The group of `key`, if it has runs.
        func group(_ key: Key) -> Int? {
            if let i = slot(key) { return groupAt[i] >= 0 ? Int(groupAt[i]) : nil }
            return otherGroups[key]
        }
        var unassigned = 0, withoutDirection = 0, inferredRuns = 0, undecidedRuns = 0
        for run in runs {
            let t = Int(run.trip)
            if t < tripCount, !tripHasDirection[t] {
                withoutDirection += 1
                if let inference {
                    inferredRuns += 1
                    if inference.method(ofTrip: run.trip) == .undecided { undecidedRuns += 1 }
                }
            }
            guard t < tripCount, let p = periods.firstIndex(where: { $0.contains(run.start) }) else {
                unassigned += 1
                continue
            }
            let key = Key(route: tripRoute[t], direction: tripDirection[t], period: p)
            if let g = group(key) {
                groupRuns[g].append(run)
            } else {
                let g = groupKeys.count
                if let i = slot(key) { groupAt[i] = Int32(g) } else { otherGroups[key] = g }
                groupKeys.append(key)
                groupRuns.append([run])
            }
        }
        unassignedRuns = unassigned
        runsWithoutDirection = withoutDirection
        runsWithInferredDirection = inferredRuns
        runsWithUndecidedDirection = undecidedRuns

        // Route names.
        let routes = feed.routes
        var shortNames: [Int32: String] = [:]
        for row in 0..<routes.count where routes.id[row] >= 0 {
            if shortNames[routes.id[row]] == nil, let s = routes.shortName?[row], !s.isEmpty {
                shortNames[routes.id[row]] = s
            }
        }

        func median(_ values: [Int32]) -> Double {
            let v = values.sorted()
            guard !v.isEmpty else { return 0 }
            let m = v.count / 2
            return v.count % 2 == 1 ? Double(v[m]) : (Double(v[m - 1]) + Double(v[m])) / 2
        }
        func layover(_ run: Double) -> Double { max(layoverShare * run, Double(minimumLayover)) }

        let medians = groupRuns.map { median($0.map(\.runTime)) }

        var rows: [Row] = []
        rows.reserveCapacity(groupKeys.count)
        for (g, key) in groupKeys.enumerated() {
            let list = groupRuns[g]
            let period = periods[key.period]
            let run = medians[g]
            let other = group(Key(route: key.route, direction: 1 - key.direction, period: key.period)).map { medians[$0] }
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
        // Rank the routes once (natural order of short name, else id; then id), with each
        // name's scalars taken once, so the row sort compares integers.
        var routeRank: [Int32: Int] = [:]
        let present = Set(groupKeys.map(\.route)).sorted()
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
        rows = rows.indices.sorted { order[$0] < order[$1] }.map { rows[$0] }
        self.rows = rows

        var totals = periods.map { PeriodTotal(period: $0, trips: 0, vehicles: 0) }
        var perRoute: [Key: Int] = [:] // direction fixed at 0: route × period → max vehicles
        for row in rows {
            totals[row.periodIndex].trips += row.trips
            let k = Key(route: row.route, direction: 0, period: row.periodIndex)
            perRoute[k] = max(perRoute[k] ?? 0, row.vehicles)
        }
        for (k, v) in perRoute { totals[k.period].vehicles += v }
        self.totals = totals
    }

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
