public import GTFS
public import Network

/// Options for ``RidershipAnalysis``.
public struct RidershipOptions: Sendable {
    /// The most issues kept per code (all are counted in ``RidershipSummary/issueCounts``).
    public var maxIssuesPerCode: Int
    /// Compare `load_count` (when the file has it) with the load computed from boardings and
    /// alightings, and report the first disagreement of each trip and date.
    public var checkLoadCount: Bool

    /// Creates options (defaults: 1000 issues per code, `load_count` checked).
    public init(maxIssuesPerCode: Int = 1000, checkLoadCount: Bool = true) {
        self.maxIssuesPerCode = maxIssuesPerCode
        self.checkLoadCount = checkLoadCount
    }
}

/// What an analysis read and used.
public struct RidershipSummary: Sendable, Hashable {
    /// The distinct service dates with usable counts, ascending.
    public var dates: [GTFSDate]
    /// Whether some usable rows had no `service_date` (taken as one more, unnamed date).
    public var hasUndatedRecords: Bool
    /// Rows of `board_alight.txt`.
    public var records: Int
    /// Rows whose counts went into a load profile.
    public var recordsUsed: Int
    /// Rows with `record_use` 1 (a cancellation, not counts): skipped by design.
    public var cancellationRecords: Int
    /// Rows not used because of a defect (each reported as an issue).
    public var recordsSkipped: Int
    /// Distinct trips with a load profile.
    public var tripsObserved: Int
    /// Load profiles (trip × service date).
    public var tripDates: Int
    /// Boardings of all profiles, all dates, passengers.
    public var totalBoardings: Int
    /// Boardings on an average observed day (each trip's boardings divided by the number of
    /// dates it was observed), passengers.
    public var averageDayBoardings: Double
    /// Of ``averageDayBoardings``, those at stop events outside every period (in no demand row).
    public var boardingsOutsidePeriods: Double
    /// Issues per code, including those not kept in the list.
    public var issueCounts: [String: Int]
}

/// Ridership turned into load profiles and per-period demand, Ceder's "load at stop *i* in
/// hour *j*", from GTFS-ride `board_alight.txt`.
///
/// How it works (times are seconds since service-day midnight):
///
/// 1. **Rows.** Rows with `record_use` 1 are cancellations, not counts, and are skipped. Every
///    other row must name a declared trip and stop, and a `stop_sequence` at which that trip
///    stops at that stop in `stop_times.txt`; one row per trip, sequence and `service_date`.
///    Rows that break these rules are reported and skipped; an empty `boardings` or
///    `alightings` is reported and read as 0.
/// 2. **Walk.** Per trip and service date, the stops are walked in `stop_sequence` order:
///    load after = load before + boardings − alightings. A negative load is reported and set
///    to 0 (the walk goes on from 0, so one bad count does not poison the rest of the trip);
///    a load left on board after the last stop is reported as a warning. `load_count`, when
///    present, is compared with the computed load (arriving for `load_type` 0, departing
///    otherwise); `current_load` is a percentage of capacity in GTFS-ride and is not checked.
/// 3. **Time and period.** Each stop event happens when the vehicle leaves the stop: the
///    scheduled departure (``TripLoadProfile/times``), and it belongs to the period containing
///    that time, so one trip can add load to two periods (a stop at 08:59 is in 07:00-09:00,
///    the next at 09:02 in 09:00-16:00). Frequency-based trips have no schedule of their own:
///    their counted `service_departure_time` (else `service_arrival_time`) places them, and
///    without either they are reported as unplaceable and not used.
/// 4. **Average day.** Each profile is weighted by 1 / the number of service dates its trip
///    was observed on, so a trip counted on 1 of 3 dates still adds one trip's demand.
/// 5. **Demand** per route, direction (`direction_id`, else ``TripDirections``' inference)
///    and period: boardings Σ w·b; per stop (each visit of a stop counted apart on loops) the
///    summed departing load Σ w·load, whose maximum is ``RouteDemand/maxLoad`` (P_m) at
///    ``RouteDemand/maxLoadStopID``; passenger-km Σ w·load after *i* × segment *i* → *i* + 1
///    (``ShapeDistances``); ``RouteDemand/routeKm`` from ``RouteLengths``; and the distinct
///    trips observed.
///
/// - Complexity: O(r log r) for r rows (sorting them by trip, date and sequence), plus the
///   stops of the observed trips, plus building the network structures not passed in.
public struct RidershipAnalysis: Sendable {
    /// The periods demand is aggregated into, in the order given.
    public let periods: [Period]
    /// Demand rows per route, direction and period with counts, sorted by route (the order of
    /// `routes.txt`), direction, period index.
    public let demand: [RouteDemand]
    /// One load profile per trip and service date, sorted by trip code, then date.
    public let profiles: [TripLoadProfile]
    /// What was read and used.
    public let summary: RidershipSummary
    /// The input's issues and the analysis', sorted by file and line (at most
    /// ``RidershipOptions/maxIssuesPerCode`` per code).
    public let issues: [RidershipIssue]

    /// Analyses the counts of `input`.
    ///
    /// - Parameters:
    ///   - input: the feed and its ridership tables.
    ///   - periods: the plan's periods (``Period/parse(_:)``); a stop event in none of them
    ///     is counted in ``RidershipSummary/boardingsOutsidePeriods`` only.
    ///   - patterns, directions, distances: network structures already built for
    ///     `input.feed`, to save rebuilding them.
    /// - Throws: ``RidershipError/noRidership(source:)`` when there is no `board_alight.txt` or
    ///   it has no rows.
    public init(input: RidershipInput, periods: [Period], patterns: RoutePatterns? = nil,
                directions: TripDirections? = nil, distances: ShapeDistances? = nil,
                options: RidershipOptions = RidershipOptions()) throws(RidershipError) {
        guard let table = input.boardAlight else { throw .noRidership(source: nil) }
        guard table.rowCount > 0 else { throw .noRidership(source: input.boardAlightSource) }
        let feed = input.feed
        let patterns = patterns ?? RoutePatterns(feed: feed)
        let directions = directions ?? TripDirections(feed: feed, patterns: patterns)
        let distances = distances ?? ShapeDistances(feed: feed, patterns: patterns)
        var issues = IssueCollector(maxPerCode: options.maxIssuesPerCode)
        issues.add(contentsOf: input.issues)
        self.periods = periods

        var walker = Walker(feed: feed, table: table, periods: periods, distances: distances,
                            directions: directions, checkLoadCount: options.checkLoadCount)
        walker.run(into: &issues)
        let profiles = walker.profiles

        let lengths = RouteLengths(feed: feed, patterns: patterns, distances: distances, directions: directions)
        let aggregate = Aggregation(feed: feed, profiles: profiles, periods: periods, lengths: lengths)
        self.demand = aggregate.demand
        self.profiles = profiles

        var dates = Set<Int32>()
        var undated = false
        var trips = 0
        var lastTrip: Int32 = -1
        var total = 0
        for p in profiles {
            if let d = p.date { dates.insert(d.yyyymmdd) } else { undated = true }
            if p.trip != lastTrip { trips += 1; lastTrip = p.trip }
            total += p.totalBoardings
        }
        self.issues = issues.sorted
        self.summary = RidershipSummary(
            dates: dates.sorted().compactMap { GTFSDate(yyyymmdd: $0) }, hasUndatedRecords: undated,
            records: table.rowCount, recordsUsed: walker.used, cancellationRecords: walker.cancellations,
            recordsSkipped: table.rowCount - walker.used - walker.cancellations,
            tripsObserved: trips, tripDates: profiles.count, totalBoardings: total,
            averageDayBoardings: aggregate.averageDayBoardings, boardingsOutsidePeriods: aggregate.boardingsOutside,
            issueCounts: issues.counts)
    }

    /// The demand row of `routeID`, `direction` and period index `period`, if there were counts.
    /// - Complexity: O(rows).
    public func demand(routeID: String, direction: Int, period: Int) -> RouteDemand? {
        demand.first { $0.routeID == routeID && $0.direction == direction && $0.periodIndex == period }
    }
}

/// Steps 1-4: reads the rows, groups them by trip and date, walks each group into a profile.
private struct Walker {
    let table: Table
    let file: String
    let periods: [Period]
    let distances: ShapeDistances
    let directions: TripDirections
    let checkLoadCount: Bool

    // board_alight.txt columns.
    let trip: [Int32], stop: [Int32], sequence: [Int32], recordUse: [Int32], date: [Int32]
    let boardings: [Int32], alightings: [Int32], loadCount: [Int32]?, loadType: [Int32]
    let arrival: [Int32], departure: [Int32]

    // stop_times.txt and trips.txt.
    let index: StopTimeIndex
    let stSequence: [Int32], stStop: [Int32], stArrival: [Int32], stDeparture: [Int32]
    let tripRow: [Int32]
    let tripRoute: [Int32]
    let isFrequency: [Bool]
    let definedTrips: Int32, definedStops: Int32, definedRoutes: Int32
    let tripIDs: [String], stopIDs: [String], routeIDs: [String]

    var profiles: [TripLoadProfile] = []
    var used = 0
    var cancellations = 0

    init(feed: Feed, table: Table, periods: [Period], distances: ShapeDistances, directions: TripDirections,
         checkLoadCount: Bool) {
        self.table = table
        self.file = table.name
        self.periods = periods
        self.distances = distances
        self.directions = directions
        self.checkLoadCount = checkLoadCount
        trip = table.codesOrEmpty("trip_id")
        stop = table.codesOrEmpty("stop_id")
        sequence = table.integersOrMissing("stop_sequence")
        recordUse = table.integersOrMissing("record_use")
        date = table.datesOrMissing("service_date")
        boardings = table.integersOrMissing("boardings")
        alightings = table.integersOrMissing("alightings")
        loadCount = table.integers("load_count")
        loadType = table.integersOrMissing("load_type")
        arrival = table.timesOrMissing("service_arrival_time")
        departure = table.timesOrMissing("service_departure_time")

        let st = feed.stopTimes
        index = feed.stopTimeIndex
        stSequence = st.sequence
        stStop = st.stop
        stArrival = st.arrival
        stDeparture = st.departure
        tripRow = feed.tripRows()
        let trips = feed.trips
        tripRoute = tripRow.map { $0 >= 0 ? trips.route[Int($0)] : -1 }
        var frequency = [Bool](repeating: false, count: tripRow.count)
        for t in feed.frequencies.trip where t >= 0 && Int(t) < frequency.count { frequency[Int(t)] = true }
        isFrequency = frequency
        definedTrips = Int32(feed.definedCount(.trip))
        definedStops = Int32(feed.definedCount(.stop))
        definedRoutes = Int32(feed.definedCount(.route))
        tripIDs = feed.ids(.trip)
        stopIDs = feed.ids(.stop)
        routeIDs = feed.ids(.route)
    }

    func line(_ row: Int) -> Int? { table.line(of: row) }

    func issue(_ severity: Severity, _ code: String, row: Int?, field: String?, value: String?, _ message: String) -> RidershipIssue {
        RidershipIssue(severity, code, file: file, line: row.flatMap(line), field: field, value: value, message: message)
    }

    mutating func run(into issues: inout IssueCollector) {
        // 1. Keep the rows that can be placed; sort them by trip, date, sequence, row.
        var rows: [Int32] = []
        rows.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            if recordUse[r] == 1 { cancellations += 1; continue }
            let t = trip[r]
            if t < 0 {
                issues.add(issue(.error, RidershipIssue.Code.missingKey, row: r, field: "trip_id", value: "",
                                 "the row has no trip_id; it is skipped"))
                continue
            }
            if t >= definedTrips || Int(t) >= tripRow.count || tripRow[Int(t)] < 0 {
                issues.add(issue(.error, RidershipIssue.Code.unknownTrip, row: r, field: "trip_id", value: tripIDs[Int(t)],
                                 "trip_id '\(tripIDs[Int(t)])' is not in trips.txt; the row is skipped"))
                continue
            }
            let route = tripRoute[Int(t)]
            if route < 0 || route >= definedRoutes {
                issues.add(issue(.error, RidershipIssue.Code.unknownTrip, row: r, field: "trip_id", value: tripIDs[Int(t)],
                                 "trip '\(tripIDs[Int(t)])' has no route declared in routes.txt; the row is skipped"))
                continue
            }
            if sequence[r] == Column.missingInteger {
                issues.add(issue(.error, RidershipIssue.Code.missingKey, row: r, field: "stop_sequence",
                                 value: table.text("stop_sequence", row: r),
                                 "the row has no usable stop_sequence; it is skipped"))
                continue
            }
            if date[r] < 0 {
                issues.add(issue(.warning, RidershipIssue.Code.missingServiceDate, row: r, field: "service_date",
                                 value: table.text("service_date", row: r),
                                 "the row has no usable service_date; the trip's undated rows are taken as one more date"))
            }
            rows.append(Int32(r))
        }
        rows.sort { a, b in
            let x = Int(a), y = Int(b)
            if trip[x] != trip[y] { return trip[x] < trip[y] }
            if date[x] != date[y] { return date[x] < date[y] }
            if sequence[x] != sequence[y] { return sequence[x] < sequence[y] }
            return a < b
        }

        // 2-3. Walk each trip and date.
        var start = 0
        while start < rows.count {
            let first = Int(rows[start])
            var end = start + 1
            while end < rows.count, trip[Int(rows[end])] == trip[first], date[Int(rows[end])] == date[first] { end += 1 }
            if let p = walk(trip: trip[first], rows: rows[start..<end], issues: &issues) { profiles.append(p) }
            start = end
        }

        // 4. Weights: 1 / dates observed per trip (profiles are grouped by trip).
        var i = 0
        while i < profiles.count {
            var j = i + 1
            while j < profiles.count, profiles[j].trip == profiles[i].trip { j += 1 }
            let w = 1.0 / Double(j - i)
            for k in i..<j { profiles[k].weight = w }
            i = j
        }
    }

    /// The position of `seq` in a trip's stop-time rows (sorted by sequence), by binary search.
    func position(of seq: Int32, in stRows: StopTimeIndex.Rows) -> Int? {
        var lo = stRows.startIndex, hi = stRows.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            let v = stSequence[Int(stRows[mid])]
            if v == seq { return mid - stRows.startIndex }
            if v < seq { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Walks the rows of one trip and date (sorted by sequence) into a profile; `nil` when
    /// none of them is usable.
    mutating func walk(trip t: Int32, rows: ArraySlice<Int32>, issues: inout IssueCollector) -> TripLoadProfile? {
        let stRows = index.rows(ofTrip: t)
        let k = stRows.count
        let tripID = tripIDs[Int(t)]
        var b = [Int32](repeating: 0, count: k)
        var a = [Int32](repeating: 0, count: k)
        var counted = [Bool](repeating: false, count: k)
        var sourceRow = [Int32](repeating: -1, count: k)
        var serviceTime = [Int32](repeating: -1, count: k)
        var accepted = 0
        var previousSeq = Int32.min
        var previousRow = -1
        for r32 in rows {
            let r = Int(r32)
            let seq = sequence[r]
            if seq == previousSeq {
                issues.add(issue(.error, RidershipIssue.Code.duplicateRecord, row: r, field: "stop_sequence", value: String(seq),
                                 "trip '\(tripID)' has a second row for stop_sequence \(seq)\(dateText(r)) (first on line \(line(previousRow).map(String.init) ?? "?")); this one is skipped"))
                continue
            }
            previousSeq = seq
            previousRow = r
            let s = stop[r]
            if s < 0 || s >= definedStops {
                let v = s < 0 ? "" : stopIDs[Int(s)]
                issues.add(issue(.error, s < 0 ? RidershipIssue.Code.missingKey : RidershipIssue.Code.unknownStop,
                                 row: r, field: "stop_id", value: v,
                                 s < 0 ? "the row has no stop_id; it is skipped" : "stop_id '\(v)' is not in stops.txt; the row is skipped"))
                continue
            }
            guard let i = position(of: seq, in: stRows) else {
                issues.add(issue(.error, RidershipIssue.Code.stopNotInTrip, row: r, field: "stop_sequence", value: String(seq),
                                 "trip '\(tripID)' has no stop_sequence \(seq) in stop_times.txt; the row is skipped"))
                continue
            }
            let scheduled = stStop[Int(stRows[stRows.startIndex + i])]
            if scheduled != s {
                let name = scheduled >= 0 && Int(scheduled) < stopIDs.count ? stopIDs[Int(scheduled)] : "?"
                issues.add(issue(.error, RidershipIssue.Code.stopNotInTrip, row: r, field: "stop_id", value: stopIDs[Int(s)],
                                 "trip '\(tripID)' stops at '\(name)', not '\(stopIDs[Int(s)])', at stop_sequence \(seq); the row is skipped"))
                continue
            }
            var bv = boardings[r], av = alightings[r]
            if bv == Column.missingInteger {
                issues.add(issue(.error, RidershipIssue.Code.missingCount, row: r, field: "boardings", value: table.text("boardings", row: r),
                                 "boardings is empty or not a count; it is read as 0"))
                bv = 0
            }
            if av == Column.missingInteger {
                issues.add(issue(.error, RidershipIssue.Code.missingCount, row: r, field: "alightings", value: table.text("alightings", row: r),
                                 "alightings is empty or not a count; it is read as 0"))
                av = 0
            }
            b[i] = bv
            a[i] = av
            counted[i] = true
            sourceRow[i] = r32
            serviceTime[i] = departure[r] >= 0 ? departure[r] : arrival[r]
            accepted += 1
        }
        guard accepted > 0, let firstRow = rows.first.map(Int.init) else { return nil }

        // Times of the stop events.
        let metresSlice = distances.metres(ofTrip: t)
        let metres: [Double] = metresSlice.count == k ? Array(metresSlice) : (0..<k).map(Double.init)
        let template = scheduledTimes(stRows, metres: metres)
        let times: [Int32]
        if isFrequency[Int(t)] {
            guard let shifted = frequencyTimes(template: template, service: serviceTime) else {
                issues.add(issue(.error, RidershipIssue.Code.unplaceableTrip, row: firstRow, field: "service_arrival_time", value: "",
                                 "trip '\(tripID)' is frequency-based and its rows\(dateText(firstRow)) give no service_departure_time or service_arrival_time, so its stop events cannot be put in periods; its \(accepted) rows are not used"))
                return nil
            }
            times = shifted
        } else {
            guard let scheduled = template else {
                issues.add(issue(.error, RidershipIssue.Code.unplaceableTrip, row: firstRow, field: "trip_id", value: tripID,
                                 "trip '\(tripID)' has no times in stop_times.txt, so its stop events cannot be put in periods; its \(accepted) rows are not used"))
                return nil
            }
            times = scheduled
        }
        used += accepted

        // Walk the loads.
        var load: Int32 = 0
        var loadAfter = [Int32](repeating: 0, count: k)
        var clamped = false
        var mismatches = 0
        var firstMismatch: (row: Int, expected: Int32, given: Int32)?
        var lastCounted = firstRow
        for i in 0..<k {
            let before = load
            var after = before &+ b[i] &- a[i]
            let r = Int(sourceRow[i])
            if r >= 0 { lastCounted = r }
            if after < 0 {
                issues.add(issue(.error, RidershipIssue.Code.negativeLoad, row: r >= 0 ? r : nil, field: "alightings", value: String(a[i]),
                                 "trip '\(tripID)'\(dateText(r >= 0 ? r : firstRow)): \(before) on board + \(b[i]) boarding − \(a[i]) alighting at stop_sequence \(stSequence[Int(stRows[stRows.startIndex + i])]) leaves \(after); the load is taken as 0 from here"))
                after = 0
                clamped = true
            }
            loadAfter[i] = after
            load = after
            if checkLoadCount, r >= 0, let lc = loadCount?[r], lc != Column.missingInteger {
                let expected = loadType[r] == 0 ? before : after
                if lc != expected {
                    mismatches += 1
                    if firstMismatch == nil { firstMismatch = (r, expected, lc) }
                }
            }
        }
        if let m = firstMismatch {
            issues.add(issue(.warning, RidershipIssue.Code.loadCountMismatch, row: m.row, field: "load_count", value: String(m.given),
                             "trip '\(tripID)'\(dateText(m.row)): load_count \(m.given) but boardings and alightings give \(m.expected) (\(mismatches) of \(accepted) rows disagree); the computed load is used"))
        }
        if load != 0 {
            issues.add(issue(.warning, RidershipIssue.Code.tripEndsWithLoad, row: lastCounted, field: "alightings", value: table.text("alightings", row: lastCounted),
                             "trip '\(tripID)'\(dateText(firstRow)) ends with \(load) passengers on board: the counts do not balance (boardings exceed alightings)"))
        }

        let route = tripRoute[Int(t)]
        let d = date[firstRow]
        return TripLoadProfile(
            tripID: tripID, trip: t, routeID: routeIDs[Int(route)], route: route,
            direction: Int(directions.direction(ofTrip: t)), date: d >= 0 ? GTFSDate(yyyymmdd: d) : nil,
            stopIDs: stRows.map { stStop[Int($0)] >= 0 ? stopIDs[Int(stStop[Int($0)])] : "" },
            stops: stRows.map { stStop[Int($0)] }, sequences: stRows.map { stSequence[Int($0)] },
            times: times, periods: times.map { periodIndex(of: $0) },
            boardings: b, alightings: a, loadAfter: loadAfter, metres: metres, counted: counted,
            clamped: clamped, weight: 1)
    }

    func dateText(_ row: Int) -> String {
        let d = date[row]
        return d >= 0 ? " on \(GTFSDate(yyyymmdd: d)?.description ?? String(d))" : ""
    }

    /// The index of the first period containing `time`, or -1.
    func periodIndex(of time: Int32) -> Int {
        guard time >= 0 else { return -1 }
        for (i, p) in periods.enumerated() where p.contains(time) { return i }
        return -1
    }

    /// The scheduled time of each stop: departure, else arrival, else interpolated by distance
    /// between the timed stops around it (the nearest timed stop's time before the first or
    /// after the last); `nil` when no stop has a time.
    func scheduledTimes(_ stRows: StopTimeIndex.Rows, metres: [Double]) -> [Int32]? {
        let k = stRows.count
        var times = [Int32](repeating: -1, count: k)
        var timed: [Int] = []
        for i in 0..<k {
            let r = Int(stRows[stRows.startIndex + i])
            let v = stDeparture[r] >= 0 ? stDeparture[r] : stArrival[r]
            if v >= 0 { times[i] = v; timed.append(i) }
        }
        guard let firstTimed = timed.first, let lastTimed = timed.last else { return k == 0 ? [] : nil }
        for i in 0..<firstTimed { times[i] = times[firstTimed] }
        for i in (lastTimed + 1)..<max(lastTimed + 1, k) { times[i] = times[lastTimed] }
        for (x, y) in zip(timed, timed.dropFirst()) where y > x + 1 {
            let span = metres[y] - metres[x]
            for i in (x + 1)..<y {
                let f = span > 0 ? (metres[i] - metres[x]) / span : Double(i - x) / Double(y - x)
                times[i] = times[x] + Int32((Double(times[y] - times[x]) * f).rounded())
            }
        }
        return times
    }

    /// Times of a frequency-based trip's stops: the counted service time where a row gives
    /// one, else the template's time shifted by the nearest counted stop's (the previous one,
    /// else the next); `nil` when no row gives a time.
    func frequencyTimes(template: [Int32]?, service: [Int32]) -> [Int32]? {
        let k = service.count
        guard service.contains(where: { $0 >= 0 }) else { return nil }
        var times = service
        var anchor = -1
        let firstAnchor = service.firstIndex { $0 >= 0 } ?? 0
        for i in 0..<k {
            if service[i] >= 0 { anchor = i; continue }
            let j = anchor >= 0 ? anchor : firstAnchor
            if let template, template[i] >= 0, template[j] >= 0 {
                times[i] = service[j] + (template[i] - template[j])
            } else {
                times[i] = service[j]
            }
        }
        return times
    }
}

/// Step 5: per route, direction and period, the demand of an average day.
private struct Aggregation {
    var demand: [RouteDemand] = []
    var averageDayBoardings = 0.0
    var boardingsOutside = 0.0

    struct CellKey: Hashable { var routeDirection: Int32; var period: Int32 }
    struct SlotKey: Hashable { var cell: Int32; var stop: Int32; var visit: Int32 }
    struct Cell {
        var key: CellKey
        var boardings = 0.0
        var passengerKm = 0.0
        var trips = 0
        var lastTrip: Int32 = -1
    }

    init(feed: Feed, profiles: [TripLoadProfile], periods: [Period], lengths: RouteLengths) {
        var cellOf: [CellKey: Int32] = [:]
        var cells: [Cell] = []
        var slotOf: [SlotKey: Int32] = [:]
        var slotCell: [Int32] = []
        var slotStop: [Int32] = []
        var slotLoad: [Double] = []
        var visits = [Int32](repeating: 0, count: feed.ids(.stop).count)
        for p in profiles {
            let w = p.weight
            let routeDirection = p.route * 2 + Int32(p.direction)
            let k = p.stops.count
            for i in 0..<k {
                let s = p.stops[i]
                var visit: Int32 = 0
                if s >= 0, Int(s) < visits.count { visit = visits[Int(s)]; visits[Int(s)] += 1 }
                averageDayBoardings += w * Double(p.boardings[i])
                let period = p.periods[i]
                guard period >= 0 else {
                    boardingsOutside += w * Double(p.boardings[i])
                    continue
                }
                let key = CellKey(routeDirection: routeDirection, period: Int32(period))
                let c: Int32
                if let known = cellOf[key] {
                    c = known
                } else {
                    c = Int32(cells.count)
                    cellOf[key] = c
                    cells.append(Cell(key: key))
                }
                cells[Int(c)].boardings += w * Double(p.boardings[i])
                if i + 1 < k {
                    cells[Int(c)].passengerKm += w * Double(p.loadAfter[i]) * max(0, p.metres[i + 1] - p.metres[i]) / 1000
                }
                if cells[Int(c)].lastTrip != p.trip {
                    cells[Int(c)].trips += 1
                    cells[Int(c)].lastTrip = p.trip
                }
                let slotKey = SlotKey(cell: c, stop: s, visit: visit)
                if let slot = slotOf[slotKey] {
                    slotLoad[Int(slot)] += w * Double(p.loadAfter[i])
                } else {
                    slotOf[slotKey] = Int32(slotLoad.count)
                    slotCell.append(c)
                    slotStop.append(s)
                    slotLoad.append(w * Double(p.loadAfter[i]))
                }
            }
            for s in p.stops where s >= 0 && Int(s) < visits.count { visits[Int(s)] = 0 }
        }
        // The maximum load point of each cell: the first slot (in the order met) with the largest load.
        var best = [Int32](repeating: -1, count: cells.count)
        for slot in 0..<slotLoad.count {
            let c = Int(slotCell[slot])
            if best[c] < 0 || slotLoad[slot] > slotLoad[Int(best[c])] { best[c] = Int32(slot) }
        }
        let routeIDs = feed.ids(.route)
        let stopIDs = feed.ids(.stop)
        var rows: [RouteDemand] = []
        rows.reserveCapacity(cells.count)
        for (c, cell) in cells.enumerated() {
            let route = cell.key.routeDirection / 2
            let direction = Int(cell.key.routeDirection % 2)
            let period = Int(cell.key.period)
            let slot = Int(best[c])
            let stop = slot >= 0 ? slotStop[slot] : -1
            rows.append(RouteDemand(
                routeID: routeIDs[Int(route)], direction: direction, periodIndex: period, period: periods[period].name,
                boardings: cell.boardings, maxLoad: slot >= 0 ? slotLoad[slot] : 0,
                maxLoadStopID: stop >= 0 && Int(stop) < stopIDs.count ? stopIDs[Int(stop)] : nil,
                passengerKm: cell.passengerKm, routeKm: lengths.kilometres(route: route, direction: direction),
                observedTrips: cell.trips))
        }
        let keys = cells.map(\.key)
        let order = rows.indices.sorted { x, y in
            let a = keys[x], b = keys[y]
            if a.routeDirection != b.routeDirection { return a.routeDirection < b.routeDirection }
            return a.period < b.period
        }
        demand = order.map { rows[$0] }
    }
}
