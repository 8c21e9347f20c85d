import GTFS
import TransitNetwork

extension RidershipWalker {
    /// The counted rows of one trip and date, by stop position in the trip.
    struct TripCounts {
        /// Boardings and alightings per stop (0 where not counted).
        var boardings: [Int32]
        var alightings: [Int32]
        /// Whether a row counted the stop.
        var counted: [Bool]
        /// The `board_alight.txt` row per stop, -1 where none.
        var sourceRow: [Int32]
        /// The row's `service_departure_time`, else `service_arrival_time`, per stop (-1 for none).
        var serviceTime: [Int32]
        /// The rows accepted.
        var accepted = 0

        init(stops k: Int) {
            boardings = [Int32](repeating: 0, count: k)
            alightings = [Int32](repeating: 0, count: k)
            counted = [Bool](repeating: false, count: k)
            sourceRow = [Int32](repeating: -1, count: k)
            serviceTime = [Int32](repeating: -1, count: k)
        }
    }

    /// Walks the rows of one trip and date (sorted by sequence) into a profile; `nil` when
    /// none of them is usable.
    mutating func walk(trip t: Int32, rows: ArraySlice<Int32>, issues: inout IssueCollector) -> TripLoadProfile? {
        let stRows = index.rows(ofTrip: t)
        let k = stRows.count
        let tripID = tripIDs[Int(t)]
        let counts = collect(trip: t, rows: rows, stRows: stRows, issues: &issues)
        let accepted = counts.accepted
        guard accepted > 0, let firstRow = rows.first.map(Int.init) else { return nil }

        // Times of the stop events.
        let metresSlice = distances.metres(ofTrip: t)
        let metres: [Double] = metresSlice.count == k ? Array(metresSlice) : (0..<k).map(Double.init)
        guard let times = eventTimes(trip: t, stRows: stRows, metres: metres, counts: counts, firstRow: firstRow,
                                     issues: &issues) else { return nil }
        used += accepted

        let (loadAfter, clamped) = walkLoads(tripID: tripID, stRows: stRows, counts: counts, firstRow: firstRow, issues: &issues)
        let route = tripRoute[Int(t)]
        let d = date[firstRow]
        return TripLoadProfile(
            tripID: tripID, trip: t, routeID: routeIDs[Int(route)], route: route,
            direction: Int(directions.direction(ofTrip: t)), date: d >= 0 ? GTFSDate(yyyymmdd: d) : nil,
            stopIDs: stRows.map { stStop[Int($0)] >= 0 ? stopIDs[Int(stStop[Int($0)])] : "" },
            stops: stRows.map { stStop[Int($0)] }, sequences: stRows.map { stSequence[Int($0)] },
            times: times, periods: times.map { periodIndex(of: $0) },
            boardings: counts.boardings, alightings: counts.alightings, loadAfter: loadAfter, metres: metres,
            counted: counts.counted, clamped: clamped, weight: 1)
    }

    /// Places the rows of one trip and date on the trip's stops, reporting and skipping the
    /// rows that repeat a sequence, name an unknown stop or a stop the trip does not make there.
    func collect(trip t: Int32, rows: ArraySlice<Int32>, stRows: StopTimeIndex.Rows,
                 issues: inout IssueCollector) -> TripCounts {
        let tripID = tripIDs[Int(t)]
        var counts = TripCounts(stops: stRows.count)
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
            counts.boardings[i] = bv
            counts.alightings[i] = av
            counts.counted[i] = true
            counts.sourceRow[i] = r32
            counts.serviceTime[i] = departure[r] >= 0 ? departure[r] : arrival[r]
            counts.accepted += 1
        }
        return counts
    }

    /// The time of each stop event of trip `t`: the schedule's, or for a frequency-based trip
    /// the counted service times; `nil` (reported) when the trip cannot be placed in time.
    func eventTimes(trip t: Int32, stRows: StopTimeIndex.Rows, metres: [Double], counts: TripCounts, firstRow: Int,
                    issues: inout IssueCollector) -> [Int32]? {
        let tripID = tripIDs[Int(t)]
        let template = scheduledTimes(stRows, metres: metres)
        if isFrequency[Int(t)] {
            guard let shifted = frequencyTimes(template: template, service: counts.serviceTime) else {
                issues.add(issue(.error, RidershipIssue.Code.unplaceableTrip, row: firstRow, field: "service_arrival_time", value: "",
                                 "trip '\(tripID)' is frequency-based and its rows\(dateText(firstRow)) give no service_departure_time or service_arrival_time, so its stop events cannot be put in periods; its \(counts.accepted) rows are not used"))
                return nil
            }
            return shifted
        }
        guard let scheduled = template else {
            issues.add(issue(.error, RidershipIssue.Code.unplaceableTrip, row: firstRow, field: "trip_id", value: tripID,
                             "trip '\(tripID)' has no times in stop_times.txt, so its stop events cannot be put in periods; its \(counts.accepted) rows are not used"))
            return nil
        }
        return scheduled
    }

    /// The load after each stop (load before + boardings − alightings, a negative load
    /// reported and taken as 0), and whether any was; reports the first `load_count`
    /// disagreement and a load left on board at the end.
    func walkLoads(tripID: String, stRows: StopTimeIndex.Rows, counts: TripCounts, firstRow: Int,
                   issues: inout IssueCollector) -> (loadAfter: [Int32], clamped: Bool) {
        let k = stRows.count
        let b = counts.boardings, a = counts.alightings
        var load: Int32 = 0
        var loadAfter = [Int32](repeating: 0, count: k)
        var clamped = false
        var mismatches = 0
        var firstMismatch: (row: Int, expected: Int32, given: Int32)?
        var lastCounted = firstRow
        for i in 0..<k {
            let before = load
            var after = before &+ b[i] &- a[i]
            let r = Int(counts.sourceRow[i])
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
                             "trip '\(tripID)'\(dateText(m.row)): load_count \(m.given) but boardings and alightings give \(m.expected) (\(mismatches) of \(counts.accepted) rows disagree); the computed load is used"))
        }
        if load != 0 {
            issues.add(issue(.warning, RidershipIssue.Code.tripEndsWithLoad, row: lastCounted, field: "alightings", value: table.text("alightings", row: lastCounted),
                             "trip '\(tripID)'\(dateText(firstRow)) ends with \(load) passengers on board: the counts do not balance (boardings exceed alightings)"))
        }
        return (loadAfter, clamped)
    }

    /// ` on YYYY-MM-DD` for a row with a service date, else empty.
    func dateText(_ row: Int) -> String {
        let d = date[row]
        return d >= 0 ? " on \(GTFSDate(yyyymmdd: d)?.description ?? String(d))" : ""
    }
}
