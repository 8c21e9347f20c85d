import GTFS
import TransitNetwork

/// Boardings, alightings and loads along one trip, from taps.
public struct TapTripCounts: Sendable, Hashable {
    /// The trip's code.
    public var trip: Int32
    /// The trip's calls, as positions in the feed's stop-time index, in `stop_sequence` order.
    public var positions: Range<Int>
    /// Boardings at each call: every matched tap (all measured).
    public var boardings: [Int32]
    /// Alightings inferred from chained taps at each call (measured).
    public var measuredAlightings: [Int32]
    /// Alightings of unresolved boardings, scaled from the resolved taps of the same route,
    /// direction and period, at each call.
    public var scaledAlightings: [Int32]
    /// The load on leaving each call: never negative, and zero after the last.
    public var loads: [Int32]
    /// Of ``loads``, the riders whose alighting is scaled (unresolved boardings not yet
    /// alighted): where it is above 0, the load is partly modelled.
    public var scaledLoads: [Int32] = []

    /// All alightings at each call.
    public var alightings: [Int32] { zip(measuredAlightings, scaledAlightings).map { $0 + $1 } }

    /// Makes room for `count` calls in every column.
    mutating func reserve(_ count: Int) {
        boardings.reserveCapacity(count)
        measuredAlightings.reserveCapacity(count)
        scaledAlightings.reserveCapacity(count)
        loads.reserveCapacity(count)
        scaledLoads.reserveCapacity(count)
    }
}

/// Counts kept by ``TapInference/infer()``.
struct TapCountState: Sendable {
    var trips: [TapTripCounts] = []
}

extension TapInference {
    struct GroupKey: Hashable {
        var route: Int32, direction: Int32, period: Int32
    }

    struct ODKey: Hashable {
        var group: GroupKey, board: Int32, alight: Int32
    }

    struct StopKey: Hashable {
        var group: GroupKey, stop: Int32
    }

    /// The expansion group of the call at position `p` of `trip`: route, direction, and the
    /// period of its scheduled departure.
    func group(trip: Int32, position p: Int32, anyPeriod: Bool = false) -> GroupKey {
        let row = Int(schedule.rowAt(p))
        let time = schedule.departureTime(row) ?? 0
        var period = Int32(options.periods.count)
        if !anyPeriod, let i = options.periods.firstIndex(where: { $0.contains(time) }) { period = Int32(i) }
        return GroupKey(route: schedule.tripRoute[Int(trip)], direction: max(-1, schedule.tripDirection[Int(trip)]),
                        period: anyPeriod ? -1 : period)
    }

    /// Counts every running trip of the routes that have matched taps.
    mutating func countTrips() {
        let positionsCount = schedule.tripAt.count
        var board = [Int32](repeating: 0, count: positionsCount)
        var measured = board, unresolved = board
        var od: [ODKey: Int32] = [:], groupAlight: [StopKey: Int32] = [:], routeAlight: [StopKey: Int32] = [:]
        var routes = Set<Int32>()
        for o in outcomes where o.match != nil && o.trip >= 0 {
            routes.insert(schedule.tripRoute[Int(o.trip)])
            if o.alightPosition >= 0 {
                board[Int(o.boardPosition)] += 1
                measured[Int(o.alightPosition)] += 1
                let g = group(trip: o.trip, position: o.boardPosition)
                let bs = schedule.stop[Int(schedule.rowAt(o.boardPosition))], ast = schedule.stop[Int(schedule.rowAt(o.alightPosition))]
                od[ODKey(group: g, board: bs, alight: ast), default: 0] += 1
                groupAlight[StopKey(group: g, stop: ast), default: 0] += 1
                routeAlight[StopKey(group: group(trip: o.trip, position: o.boardPosition, anyPeriod: true), stop: ast), default: 0] += 1
            } else if o.reason != .lastStop {
                board[Int(o.boardPosition)] += 1
                unresolved[Int(o.boardPosition)] += 1
            }
        }
        var result: [TapTripCounts] = []
        for trip in 0..<schedule.running.count where schedule.running[trip] && routes.contains(schedule.tripRoute[trip]) {
            let span = schedule.span(ofTrip: Int32(trip))
            guard !span.isEmpty else { continue }
            var scaledFraction = [Double](repeating: 0, count: span.count)
            for p in span where unresolved[p] > 0 {
                let u = Double(unresolved[p])
                let g = group(trip: Int32(trip), position: Int32(p))
                let gAny = group(trip: Int32(trip), position: Int32(p), anyPeriod: true)
                let bs = schedule.stop[Int(schedule.rowAt(Int32(p)))]
                let later = (p + 1)..<span.upperBound
                let stops = later.map { schedule.stop[Int(schedule.rowAt(Int32($0)))] }
                var weights = stops.map { Double(od[ODKey(group: g, board: bs, alight: $0)] ?? 0) }
                var basis = "same_boarding_stop"
                if weights.reduce(0, +) == 0 { weights = stops.map { Double(groupAlight[StopKey(group: g, stop: $0)] ?? 0) }; basis = "group_alightings" }
                if weights.reduce(0, +) == 0 { weights = stops.map { Double(routeAlight[StopKey(group: gAny, stop: $0)] ?? 0) }; basis = "route_direction" }
                if weights.reduce(0, +) == 0 { weights = stops.map { _ in 1 }; basis = "uniform" }
                summary.scaledBy[basis, default: 0] += Int(unresolved[p])
                let total = weights.reduce(0, +)
                for (k, w) in weights.enumerated() where w > 0 {
                    scaledFraction[p + 1 + k - span.lowerBound] += u * w / total
                }
            }
            // Round the running total so each prefix stays within the boardings before it.
            var cumulative = 0.0, rounded: Int32 = 0, load: Int32 = 0, scaledLoad: Int32 = 0
            var counts = TapTripCounts(trip: Int32(trip), positions: span, boardings: [], measuredAlightings: [], scaledAlightings: [], loads: [])
            counts.reserve(span.count)
            for p in span {
                cumulative += scaledFraction[p - span.lowerBound]
                let r = Int32(cumulative.rounded())
                let scaled = r - rounded
                rounded = r
                counts.boardings.append(board[p])
                counts.measuredAlightings.append(measured[p])
                counts.scaledAlightings.append(scaled)
                load += board[p] - measured[p] - scaled
                scaledLoad += unresolved[p] - scaled
                counts.loads.append(load)
                counts.scaledLoads.append(scaledLoad)
            }
            result.append(counts)
        }
        summary.tripsCounted = result.count
        counts.trips = result
    }

    /// Boardings, alightings and loads of every running trip of the routes with matched taps,
    /// by trip code; filled by ``infer()``.
    public var tripCounts: [TapTripCounts] { counts.trips }
}
