public import GTFS

/// The stop times of planned trips, worked out from their templates in the source feed: one
/// template's times shifted, or two templates' times interpolated (see ``PlannedTrip``). The
/// builder (for a trip's last arrival), the export (for `stop_times.txt`) and the timetable
/// report (for its stringlines) all use it, so what is chained, written and drawn agree.
public struct TripTimes: Sendable {
    let index: StopTimeIndex
    /// `stop_times.txt` columns by row: stop code, arrival and departure (-1 where empty).
    let stop: [Int32]
    let arrival: [Int32]
    let departure: [Int32]

    /// The stop times of `feed`, the feed the timetable's trips were built from.
    public init(feed: Feed) {
        index = feed.stopTimeIndex
        let st = feed.stopTimes
        stop = st.stop
        arrival = st.arrival
        departure = st.departure
    }

    /// Whether trips `a` and `b` can be interpolated stop by stop: the same number of
    /// `stop_times.txt` rows, the same stops in the same order, and times at the same rows.
    /// - Complexity: O(stops of the trip).
    func interpolable(_ a: Int32, _ b: Int32) -> Bool {
        let x = index.rows(ofTrip: a), y = index.rows(ofTrip: b)
        guard x.count == y.count, !x.isEmpty else { return false }
        for (r, s) in zip(x, y) {
            let r = Int(r), s = Int(s)
            guard stop[r] == stop[s], (arrival[r] >= 0) == (arrival[s] >= 0),
                  (departure[r] >= 0) == (departure[s] >= 0) else { return false }
        }
        return true
    }

    /// Calls `body(row, arrival, departure)` for each stop of `trip`, in order: `row` is the
    /// `stop_times.txt` row of the (first) template, whose stop, pickup and drop-off types the
    /// stop keeps; the times are seconds since service-day midnight, -1 where the template has
    /// none. A stop without an arrival takes its departure as arrival, and one without a
    /// departure its arrival, as the export writes them.
    ///
    /// With a second template (``PlannedTrip/secondTemplate``), each time is interpolated
    /// between the two templates' (each shifted to the trip's start) by
    /// ``PlannedTrip/weight``, rounded to the nearest second (halves up), and never earlier
    /// than the time before it on the trip.
    /// - Complexity: O(stops of the trip).
    public func forEachStop(of trip: PlannedTrip, _ body: (_ row: Int, _ arrival: Int32, _ departure: Int32) -> Void) {
        let rows = index.rows(ofTrip: trip.template)
        let other = index.rows(ofTrip: trip.secondTemplate)  // empty without one
        guard trip.secondTemplate >= 0, trip.weightDenominator > 0, other.count == rows.count else {
            for r in rows {
                let (a, d) = times(Int(r), shift: trip.shift)
                body(Int(r), a, d)
            }
            return
        }
        let n = Int64(trip.weightNumerator), w = Int64(trip.weightDenominator)
        var floor = Int32.min
        for (r, s) in zip(rows, other) {
            let x = times(Int(r), shift: trip.shift), y = times(Int(s), shift: trip.secondShift)
            var a = x.arrival >= 0 && y.arrival >= 0 ? Self.interpolate(x.arrival, y.arrival, n, w) : x.arrival
            var d = x.departure >= 0 && y.departure >= 0 ? Self.interpolate(x.departure, y.departure, n, w) : x.departure
            if a >= 0 { a = max(a, floor); floor = a }
            if d >= 0 { d = max(d, floor); floor = d }
            body(Int(r), a, d)
        }
    }

    /// The last arrival of `trip` (the arrival, else departure, of its last stop that has a
    /// time), or its start when no stop has one.
    /// - Complexity: O(stops of the trip).
    public func end(of trip: PlannedTrip) -> Int32 {
        var last = trip.start
        forEachStop(of: trip) { _, a, _ in if a >= 0 { last = a } }
        return last
    }

    /// Row `r`'s arrival and departure plus `shift`, each standing in for the other when
    /// empty (-1 when both are).
    private func times(_ r: Int, shift: Int32) -> (arrival: Int32, departure: Int32) {
        let a = arrival[r], d = departure[r]
        let arr = a >= 0 ? a + shift : (d >= 0 ? d + shift : -1)
        return (arr, d >= 0 ? d + shift : arr)
    }

    /// a + (b − a) × n / w rounded to the nearest whole second, halves up; exact in integers.
    static func interpolate(_ a: Int32, _ b: Int32, _ n: Int64, _ w: Int64) -> Int32 {
        let scaled = Int64(a) * (w - n) + Int64(b) * n  // (a + (b − a) n / w) × w
        let num = 2 * scaled + w, den = 2 * w           // round half up: floor((2x + w) / 2w)
        let q = num >= 0 ? num / den : -((-num + den - 1) / den)
        return Int32(clamping: q)
    }
}
