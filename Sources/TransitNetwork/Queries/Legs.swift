public import GTFS

/// Where a rider boarded a trip.
public enum BoardPoint: Sendable, Equatable {
    /// At this stop code (its first visit in the trip).
    case stop(Int32)
    /// At this `stop_sequence` value.
    case sequence(Int32)
}

/// A rider's in-vehicle leg on one trip, measured on the schedule.
public struct LegMeasurement: Sendable, Equatable {
    /// The trip code.
    public let trip: Int32
    /// The position of the boarding stop in the trip (0-based, `stop_sequence` order).
    public let boardIndex: Int
    /// The position of the alighting stop in the trip.
    public let alightIndex: Int
    /// The stop codes from boarding to alighting, both included.
    public let stops: [Int32]
    /// In-vehicle distance in metres (from ``ShapeDistances``).
    public let metres: Double
    /// Scheduled time from departure at the boarding stop to arrival at the alighting stop, in
    /// seconds (either time standing in for the other when empty), or -1 when the trip has no
    /// times there.
    public let scheduledSeconds: Int32
    /// How the distance was obtained.
    public let method: DistanceMethod
    /// The scheduled departure from the boarding stop (seconds since service-day midnight,
    /// plus the run's offset for a frequency-based run), or -1.
    public let departure: Int32

    /// How many stops the rider rode past or to: `alightIndex − boardIndex`.
    public var stopsPassed: Int { alightIndex - boardIndex }
}

/// A scheduled run matching a tap-in/tap-out pair.
public struct TapMatch: Sendable, Equatable {
    /// The run (trip code and, for a frequency-based trip, the offset from its template).
    public let run: TripRun
    /// The leg on that run.
    public let leg: LegMeasurement
    /// Scheduled departure minus tap-in time, seconds.
    public let delta: Int32
}

/// Leg queries: distance, time and stops of a rider's leg, and the trips matching taps.
///
/// Holds the feed's stop-time columns and the trips' distances; immutable and `Sendable`.
public struct LegQueries: Sendable {
    let index: StopTimeIndex
    let stop: [Int32]
    let sequence: [Int32]
    let arrival: [Int32]
    let departure: [Int32]
    /// The distances legs are measured with.
    public let distances: ShapeDistances

    /// Creates the queries for `feed`, computing the distances when not given.
    /// - Complexity: O(1) with `distances`, else that of ``ShapeDistances/init(feed:patterns:options:)``.
    public init(feed: Feed, distances: ShapeDistances? = nil) {
        let st = feed.stopTimes
        index = feed.stopTimeIndex
        stop = st.stop
        sequence = st.sequence
        arrival = st.arrival
        departure = st.departure
        self.distances = distances ?? ShapeDistances(feed: feed)
    }

    /// The leg on trip code `trip` from `board` to the first visit of stop code `alight`
    /// after it, or `nil` when the trip does not serve them in that order.
    /// - Parameter offset: seconds added to the scheduled times (a frequency run's offset).
    /// - Complexity: O(stops of the trip).
    public func leg(trip: Int32, board: BoardPoint, alight: Int32, offset: Int32 = 0) -> LegMeasurement? {
        let rows = index.rows(ofTrip: trip)
        guard !rows.isEmpty, let method = distances.method(ofTrip: trip) else { return nil }
        var b = -1
        for (i, r) in rows.enumerated() {
            switch board {
            case .stop(let s): if stop[Int(r)] == s { b = i }
            case .sequence(let q): if sequence[Int(r)] == q { b = i }
            }
            if b >= 0 { break }
        }
        guard b >= 0 else { return nil }
        var a = -1
        for i in (b + 1)..<max(b + 1, rows.count) where stop[Int(rows[rows.startIndex + i])] == alight { a = i; break }
        guard a > b else { return nil }
        return measure(trip: trip, rows: rows, board: b, alight: a, method: method, offset: offset)
    }

    func measure(trip: Int32, rows: StopTimeIndex.Rows, board b: Int, alight a: Int,
                 method: DistanceMethod, offset: Int32) -> LegMeasurement {
        let rb = Int(rows[rows.startIndex + b]), ra = Int(rows[rows.startIndex + a])
        let dep = departure[rb] >= 0 ? departure[rb] : arrival[rb]
        let arr = arrival[ra] >= 0 ? arrival[ra] : departure[ra]
        let m = distances.metres(ofTrip: trip)
        let metres = m.count == rows.count ? m[m.startIndex + a] - m[m.startIndex + b] : .nan
        var stops: [Int32] = []
        stops.reserveCapacity(a - b + 1)
        for i in b...a { stops.append(stop[Int(rows[rows.startIndex + i])]) }
        return LegMeasurement(trip: trip, boardIndex: b, alightIndex: a, stops: stops, metres: metres,
                              scheduledSeconds: dep >= 0 && arr >= dep ? arr - dep : -1,
                              method: method, departure: dep >= 0 ? dep + offset : -1)
    }

    /// The runs among `candidates` that leave stop code `boardStop` within `tolerance`
    /// seconds of `boardTime` and later call at `alightStop`, nearest in time first.
    ///
    /// The date filter is the caller's: pass the runs of one service date (see
    /// ``matches(boardStop:alightStop:boardTime:tolerance:feed:calendar:date:)``).
    /// - Complexity: O(stops of the candidate trips).
    public func matches(boardStop: Int32, alightStop: Int32, boardTime: Int32, tolerance: Int32,
                        candidates: [TripRun]) -> [TapMatch] {
        var out: [TapMatch] = []
        for run in candidates {
            let rows = index.rows(ofTrip: run.trip)
            guard let method = distances.method(ofTrip: run.trip) else { continue }
            var i = 0
            while i < rows.count {
                let r = Int(rows[rows.startIndex + i])
                if stop[r] == boardStop {
                    let t = departure[r] >= 0 ? departure[r] : arrival[r]
                    if t >= 0, abs(t + run.offset - boardTime) <= tolerance {
                        var a = -1
                        for j in (i + 1)..<rows.count where stop[Int(rows[rows.startIndex + j])] == alightStop { a = j; break }
                        if a > i {
                            let leg = measure(trip: run.trip, rows: rows, board: i, alight: a, method: method, offset: run.offset)
                            out.append(TapMatch(run: run, leg: leg, delta: t + run.offset - boardTime))
                            break
                        }
                    }
                }
                i += 1
            }
        }
        out.sort { abs($0.delta) != abs($1.delta) ? abs($0.delta) < abs($1.delta) : $0.run.trip < $1.run.trip }
        return out
    }

    /// The runs on service date `date` (``Departures/runs(feed:calendar:date:)``: calendar and
    /// exceptions applied, frequency-based trips expanded) that match a tap-in at `boardStop`
    /// at `boardTime` (± `tolerance` s) and a tap-out at `alightStop`, nearest in time first.
    /// - Complexity: O(trips + stop times of the running trips).
    public func matches(boardStop: Int32, alightStop: Int32, boardTime: Int32, tolerance: Int32,
                        feed: Feed, calendar: ServiceCalendar, date: GTFSDate) -> [TapMatch] {
        matches(boardStop: boardStop, alightStop: alightStop, boardTime: boardTime, tolerance: tolerance,
                candidates: Departures.runs(feed: feed, calendar: calendar, date: date))
    }
}
