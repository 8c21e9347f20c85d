import GTFS
import TransitNetwork

/// The scheduled calls of one service date, indexed for matching taps: per route and stop,
/// the calls of the route's running trips sorted by departure.
///
/// Trips defined by `frequencies.txt` are left out (their calls have no fixed times).
struct TapSchedule: Sendable {
    /// Calls, as positions in the feed's stop-time index, per `route << 32 | stop` key;
    /// each list sorted by departure.
    var calls: [Int64: [Int32]] = [:]
    /// The stops each route's running trips call at (route code → stop codes).
    var routeStops: [Int32: [Int32]] = [:]
    /// Whether each trip runs on the date (and is matched at all).
    var running: [Bool]
    /// Each stop's position (its parent station's when it has none).
    let positions: StopPositions
    /// Stop-time index rows (positions → rows of `stop_times.txt`).
    let index: StopTimeIndex
    /// stop_times columns.
    let stop: [Int32], sequence: [Int32], arrival: [Int32], departure: [Int32]
    /// trips columns.
    let tripRoute: [Int32], tripDirection: [Int32]
    /// The parent station of each stop, or -1.
    let parent: [Int32]
    /// The latest scheduled departure of the date (0 when nothing runs).
    var lastDeparture: Int32 = 0
    /// The trip of each index position of a running trip, else -1.
    var tripAt: [Int32]

    init(feed: Feed, date: GTFSDate) {
        let st = feed.stopTimes, trips = feed.trips
        index = feed.stopTimeIndex
        stop = st.stop
        sequence = st.sequence
        arrival = st.arrival
        departure = st.departure
        tripRoute = trips.route
        tripDirection = trips.direction
        positions = StopPositions(feed: feed)
        parent = positions.parent
        running = [Bool](repeating: false, count: trips.count)
        tripAt = [Int32](repeating: -1, count: st.count)
        var frequencyTrip = Set<Int32>()
        for t in feed.frequencies.trip where t >= 0 { frequencyTrip.insert(t) }
        var stopsOf: [Int32: Set<Int32>] = [:]
        for trip in ServiceCalendar(feed: feed).runningTrips(on: date) where !frequencyTrip.contains(trip) {
            guard trip >= 0, Int(trip) < tripRoute.count else { continue }
            let route = tripRoute[Int(trip)]
            guard route >= 0 else { continue }
            running[Int(trip)] = true
            let rows = index.rows(ofTrip: trip)
            for p in rows.indices {
                tripAt[p] = trip
                let row = Int(rows[p])
                let s = stop[row]
                // Nobody boards at the last call: a tap there is the next trip's.
                guard s >= 0, p + 1 < rows.endIndex, let d = departureTime(row) else { continue }
                lastDeparture = max(lastDeparture, d)
                calls[Self.key(route, s), default: []].append(Int32(p))
                stopsOf[route, default: []].insert(s)
                if Int(s) < parent.count, parent[Int(s)] >= 0 {
                    calls[Self.key(route, parent[Int(s)]), default: []].append(Int32(p))
                }
            }
        }
        for (k, list) in calls {
            calls[k] = list.sorted { a, b in
                let da = departureTime(Int(rowAt(a))) ?? 0, db = departureTime(Int(rowAt(b))) ?? 0
                return da != db ? da < db : a < b
            }
        }
        for (r, s) in stopsOf { routeStops[r] = s.sorted() }
    }

    static func key(_ route: Int32, _ stop: Int32) -> Int64 { Int64(route) << 32 | Int64(UInt32(bitPattern: stop)) }

    /// The stop-time row at index position `p`.
    func rowAt(_ p: Int32) -> Int32 { index.isFileOrder ? p : index.order[Int(p)] }

    /// The departure (else arrival) time of a row, or nil when both are empty.
    func departureTime(_ row: Int) -> Int32? {
        if departure[row] != Column.missingInteger { return departure[row] }
        if arrival[row] != Column.missingInteger { return arrival[row] }
        return nil
    }

    /// The arrival (else departure) time of a row, or nil when both are empty.
    func arrivalTime(_ row: Int) -> Int32? {
        if arrival[row] != Column.missingInteger { return arrival[row] }
        if departure[row] != Column.missingInteger { return departure[row] }
        return nil
    }

    /// The index positions of trip `trip`'s calls.
    func span(ofTrip trip: Int32) -> Range<Int> {
        let r = index.rows(ofTrip: trip)
        return r.startIndex..<r.endIndex
    }

    /// The latitude and longitude of stop `s` (NaN when unknown).
    func place(ofStop s: Int32) -> (Double, Double) {
        guard s >= 0, Int(s) < positions.lat.count else { return (.nan, .nan) }
        return (positions.lat[Int(s)], positions.lon[Int(s)])
    }

    /// Whether the call at position `p` is at stop `s` or a child of station `s`.
    func calls(at p: Int, stop s: Int32) -> Bool {
        let here = stop[Int(rowAt(Int32(p)))]
        return here == s || (here >= 0 && Int(here) < parent.count && parent[Int(here)] == s)
    }

    /// The call of `list` (sorted by departure) whose departure is nearest `time`, with the
    /// gap in seconds.
    func nearest(in list: [Int32], to time: Int32) -> (position: Int32, gap: Int32)? {
        guard !list.isEmpty else { return nil }
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (departureTime(Int(rowAt(list[mid]))) ?? 0) < time { lo = mid + 1 } else { hi = mid }
        }
        var best: (Int32, Int32)?
        for i in [lo - 1, lo] where i >= 0 && i < list.count {
            let d = departureTime(Int(rowAt(list[i]))) ?? 0
            let gap = abs(d - time)
            if best == nil || gap < best?.1 ?? .max { best = (list[i], gap) }
        }
        return best.map { (position: $0.0, gap: $0.1) }
    }
}
