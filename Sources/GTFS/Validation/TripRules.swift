/// Per-trip remarks made while ``FeedValidator`` walks each trip's stop times once: trips whose
/// stop times are not together and in order in the file (`unsorted_stop_times`), and trips
/// whose headsign names a stop they pass before their last one (another stop of the same name
/// may end the trip, as at a terminus with several platforms)
/// (`trip_headsign_matches_intermediate_stop`). Both are of severity info.
struct TripRules {
    let trips: Table?
    /// Per trip code, its trips.txt row (-1 when none).
    let tripRow: [Int32]
    /// Per trip code, the key of its headsign among the stop names (-1 when it names no stop).
    let headsignKey: [Int32]
    /// Per stop code, the key of its name (-1 when it has none).
    let stopNameKey: [Int32]

    init(_ feed: Feed) {
        trips = feed.table("trips.txt")
        let tripCount = feed.ids(.trip).count
        var rowOf = [Int32](repeating: -1, count: tripCount)
        var keyOf = [Int32](repeating: -1, count: tripCount)
        var nameKey = [Int32](repeating: -1, count: feed.ids(.stop).count)
        let stops = feed.stops
        var keys: [String: Int32] = [:]
        if let names = stops.name {
            for r in 0..<stops.count {
                let s = stops.id[r]
                guard s >= 0, Int(s) < nameKey.count, let n = names[r], !n.isEmpty else { continue }
                let normalized = n.lowercased()
                let k = keys[normalized] ?? Int32(keys.count)
                keys[normalized] = k
                nameKey[Int(s)] = k
            }
        }
        if let t = trips {
            let ids = t.codesOrEmpty("trip_id")
            let headsigns = t.strings("trip_headsign")
            for r in 0..<t.rowCount {
                let trip = ids[r]
                guard trip >= 0, Int(trip) < tripCount, rowOf[Int(trip)] < 0 else { continue }
                rowOf[Int(trip)] = Int32(r)
                if let h = headsigns?[r], !h.isEmpty, let k = keys[h.lowercased()] { keyOf[Int(trip)] = k }
            }
        }
        tripRow = rowOf
        headsignKey = keyOf
        stopNameKey = nameKey
    }

    /// Checks trip `trip`, whose stop-time rows in stop_sequence order are `rows`.
    func check(trip: Int32, name: String, rows: StopTimeIndex.Rows, stopTimes st: StopTimes, table: Table,
               into report: inout ValidationReport) {
        guard let first = rows.first, let last = rows.last else { return }
        // Together and in order: consecutive rows with rising stop_sequence.
        var lowest = first, highest = first, ordered = true
        var previous: Int32 = -1
        for r in rows {
            lowest = min(lowest, r); highest = max(highest, r)
            if previous >= 0, r != previous + 1 || st.sequence[Int(r)] <= st.sequence[Int(previous)] { ordered = false }
            previous = r
        }
        if !ordered {
            report.add(Finding(.info, "unsorted_stop_times", file: table.name, line: FeedValidator.lineOf(table, Int(lowest)),
                               field: "trip_id", value: name,
                               message: "the stop times of trip '\(name)' (lines \(FeedValidator.lineOf(table, Int(lowest)) ?? 0)–\(FeedValidator.lineOf(table, Int(highest)) ?? 0)) are not together in stop_sequence order; sorting them makes the feed faster to read"))
        }
        // Headsign naming a stop before the last one (and not the last one itself).
        guard trip >= 0, Int(trip) < headsignKey.count, headsignKey[Int(trip)] >= 0, let trips else { return }
        let key = headsignKey[Int(trip)]
        func nameKey(_ r: Int32) -> Int32 {
            let s = st.stop[Int(r)]
            return s >= 0 && Int(s) < stopNameKey.count ? stopNameKey[Int(s)] : -1
        }
        let lastStop = st.stop[Int(last)]
        for r in rows.dropLast() where nameKey(r) == key && st.stop[Int(r)] != lastStop {
            report.add(Finding(.info, "trip_headsign_matches_intermediate_stop", file: trips.name,
                               line: FeedValidator.lineOf(trips, Int(tripRow[Int(trip)])), field: "trip_headsign", value: name,
                               message: "trip '\(name)' is signed for a stop it passes (stop_sequence \(st.sequence[Int(r)])), not the one it ends at; sign it for its destination"))
            return
        }
    }
}
