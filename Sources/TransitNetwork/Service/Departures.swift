public import GTFS

/// One vehicle journey that actually runs on a service date: a trip of `trips.txt`, or one
/// departure of a frequency-based template trip.
///
/// Times are seconds since service-day midnight (they may pass 24 h). The stop times of the
/// run are the template's `stop_times.txt` times plus ``offset``.
public struct TripRun: Sendable, Hashable {
    /// The trip code (``IDSpace/trip``) of the trip, or of the template for a frequency run.
    public var trip: Int32
    /// The first departure: the departure (else arrival) time of the first stop that has one.
    public var start: Int32
    /// The last arrival: the arrival (else departure) time of the last stop that has one.
    public var end: Int32
    /// What to add to the template's stop times; 0 for a plain trip.
    public var offset: Int32

    /// Creates a run.
    public init(trip: Int32, start: Int32, end: Int32, offset: Int32) {
        self.trip = trip
        self.start = start
        self.end = end
        self.offset = offset
    }

    /// The run time, first departure to last arrival, in seconds.
    public var runTime: Int32 { end - start }
}

/// Every departure of a service date (see ``runs(feed:calendar:date:)``).
public enum Departures {
    /// The first departure and last arrival of trip code `trip` from its stop times, or `nil`
    /// when no stop has a time (such a trip cannot be placed in the day and is left out).
    /// - Complexity: O(stops of the trip) in the worst case; usually O(1).
    public static func span(of trip: Int32, index: StopTimeIndex, arrival: [Int32], departure: [Int32]) -> (first: Int32, last: Int32)? {
        let rows = index.rows(ofTrip: trip)
        var first: Int32?
        for r in rows {
            let d = departure[Int(r)] >= 0 ? departure[Int(r)] : arrival[Int(r)]
            if d >= 0 { first = d; break }
        }
        guard let first else { return nil }
        var last = first
        for r in rows.reversed() {
            let a = arrival[Int(r)] >= 0 ? arrival[Int(r)] : departure[Int(r)]
            if a >= 0 { last = a; break }
        }
        return (first, max(first, last))
    }

    /// Every run on `date`, sorted by start time, then trip code.
    ///
    /// - A trip that runs on `date` (``ServiceCalendar/runningTrips(on:)``) and has no
    ///   `frequencies.txt` row runs once, at its own times.
    /// - A trip with `frequencies.txt` rows is a template: each row with a valid window and a
    ///   positive headway gives departures at `start_time + k × headway_secs` while before
    ///   `end_time` (exclusive), that is ceil((end − start) / headway) of them; the template's
    ///   first departure is shifted to each. `exact_times` 0 and 1 are treated alike: for
    ///   `exact_times` 0 the feed only promises the headway, and these nominal times are the
    ///   usual reading. A template whose rows are all unusable (empty times, end ≤ start,
    ///   headway ≤ 0) runs once at its own times.
    /// - Trips whose stop times have no time at all are left out.
    ///
    /// - Complexity: O(trips + stop times of the running trips + runs).
    public static func runs(feed: Feed, calendar: ServiceCalendar, date: GTFSDate) -> [TripRun] {
        let running = calendar.runningTrips(on: date)
        let st = feed.stopTimes
        let index = feed.stopTimeIndex
        let arrival = st.arrival, departure = st.departure
        let f = feed.frequencies
        let tripCount = feed.ids(.trip).count
        // Frequency rows per template trip code.
        var windows: [Int32: [Int]] = [:]
        for row in 0..<f.count {
            let t = f.trip[row]
            guard t >= 0, Int(t) < tripCount else { continue }
            windows[t, default: []].append(row)
        }
        var out: [TripRun] = []
        out.reserveCapacity(running.count)
        for trip in running {
            guard let (first, last) = span(of: trip, index: index, arrival: arrival, departure: departure) else { continue }
            let length = last - first
            var expanded = false
            for row in windows[trip] ?? [] {
                let start = f.start[row], end = f.end[row], headway = f.headway[row]
                guard start >= 0, end > start, headway > 0, headway != Column.missingInteger else { continue }
                expanded = true
                var t = start
                while t < end {
                    out.append(TripRun(trip: trip, start: t, end: t + length, offset: t - first))
                    t += headway
                }
            }
            if !expanded {
                out.append(TripRun(trip: trip, start: first, end: last, offset: 0))
            }
        }
        out.sort { $0.start != $1.start ? $0.start < $1.start : ($0.trip != $1.trip ? $0.trip < $1.trip : $0.offset < $1.offset) }
        return out
    }
}
