import GTFS
import TransitNetwork

/// Steps 1-4: reads the rows, groups them by trip and date, walks each group into a profile.
struct RidershipWalker {
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

    /// - Parameter trips: the feed's trip index (the patterns already hold one; not rebuilt here).
    init(feed: Feed, table: Table, periods: [Period], distances: ShapeDistances, directions: TripDirections,
         trips tripIndex: TripIndex, checkLoadCount: Bool) {
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
        tripRow = tripIndex.rows
        tripRoute = tripIndex.routes
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
}
