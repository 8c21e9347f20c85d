// The trips of one route as lines of a stringline (Marey) diagram: time against distance along
// one axis of the route, for the feed's current service and for the planned timetable.

import GTFS
import Timetable
import TransitNetwork

/// One trip of a stringline diagram: its stop events as (seconds since service-day midnight,
/// metres along the route's axis), in running order.
struct StringlineTrip: Sendable {
    /// 0 or 1.
    var direction: Int32
    /// Arrival and departure events (a stop with a dwell gives two).
    var points: [(time: Int32, metres: Double)]
    /// What a hover names.
    var tooltip: String
}

/// The distance axis of one route and the placement of each trip's stops on it.
///
/// ## The axis
/// The route's main pattern (the stop sequence most of its trips of the day run, direction 0
/// first) is the axis: 0 km at its first stop, its length at its last, measured along the
/// shapes (``TransitNetwork/ShapeDistances``: `shape_dist_traveled`, else projection onto the
/// shape, else great-circle between stops).
///
/// ## Placing a trip
/// Each stop of a trip is projected onto the axis's stop-to-stop polyline (a local plane in
/// metres), which says where along the axis it lies. The trip's own distances then place every
/// stop: at `offset + d` when it runs the axis's way, `offset − d` when it runs the other way,
/// with the offset and the way chosen as the median (and least spread) over its stops. So a
/// short turn sits where it runs, a reverse trip runs down the chart, and the spacing between
/// stops stays the trip's own measured one. One placement is made per stop sequence.
struct StringlineAxis: Sendable {
    /// Projected positions (metres) of the axis's stops.
    let points: [(x: Double, y: Double)]
    /// Metres along the axis at each of its stops.
    let along: [Double]
    /// The stop codes of the axis, first to last.
    let stops: [Int32]
    /// The direction of the pattern it follows.
    let direction: Int32
    /// The trip whose distances it takes.
    let trip: Int32

    /// The axis's length, metres.
    var length: Double { along.last ?? 0 }

    /// Where a point (projected metres) lies along the axis, and how far from it.
    func locate(_ p: (x: Double, y: Double)) -> (along: Double, distance: Double)? {
        guard points.count >= 2 else { return points.isEmpty ? nil : (0, 0) }
        var best = (along: 0.0, distance: Double.infinity)
        for k in 0..<(points.count - 1) {
            let c = LocalProjection.closest(p: p, a: points[k], b: points[k + 1])
            if c.distance < best.distance {
                best = (along[k] + c.t * (along[k + 1] - along[k]), c.distance)
            }
        }
        return best.distance.isFinite ? best : nil
    }
}

/// What the stringline pass needs from the feed, computed once per report.
struct StringlineSource: Sendable {
    let feed: Feed
    let trips: TripIndex
    let patterns: RoutePatterns
    let distances: ShapeDistances
    let projection: LocalProjection
    /// Per stop code, its projected position (parent station's when it has none), or `nil`.
    let position: [(x: Double, y: Double)?]
    /// `stop_times.txt` columns.
    let stopOfRow: [Int32], arrival: [Int32], departure: [Int32]
    let index: StopTimeIndex
    /// The planned trips' stop times, as the export writes them.
    let tripTimes: TripTimes
    /// `trip_id` per trip code.
    let tripIDs: [String]
    /// `block_id` per trip code, when the feed has the column.
    let feedBlock: [String?]
    /// `stop_name` per stop code (`nil` when empty).
    let stopNames: [String?]

    /// - Parameters:
    ///   - patterns: the feed's route patterns.
    ///   - trips: the feed's trips linked (with inferred directions where the feed has none).
    init(feed: Feed, patterns: RoutePatterns, trips: TripIndex) {
        self.feed = feed
        self.patterns = patterns
        self.trips = trips
        self.distances = ShapeDistances(feed: feed, patterns: patterns)
        let stops = feed.stops
        let n = feed.ids(.stop).count
        let known = StopPositions(feed: feed)
        var names = [String?](repeating: nil, count: n)
        var sumLat = 0.0, count = 0.0
        for r in 0..<stops.count {
            let c = stops.id[r]
            guard c >= 0, Int(c) < n else { continue }
            if Geo.isValid(lat: stops.lat[r], lon: stops.lon[r]) {
                sumLat += stops.lat[r]
                count += 1
            }
            if let name = stops.name?[r], !name.isEmpty { names[Int(c)] = name }
        }
        stopNames = names
        let projection = LocalProjection(referenceLatitude: count > 0 ? sumLat / count : 0)
        self.projection = projection
        var position = [(x: Double, y: Double)?](repeating: nil, count: n)
        for c in 0..<min(n, known.lat.count) where !known.lat[c].isNaN {
            position[c] = projection.project(lat: known.lat[c], lon: known.lon[c])
        }
        self.position = position
        let st = feed.stopTimes
        stopOfRow = st.stop
        arrival = st.arrival
        departure = st.departure
        index = feed.stopTimeIndex
        tripTimes = TripTimes(feed: feed)
        tripIDs = feed.ids(.trip)
        var blocks = [String?](repeating: nil, count: tripIDs.count)
        if let column = feed.trips.block {
            for t in 0..<blocks.count {
                if let row = trips.row(ofTrip: Int32(t)), row < column.codes.count { blocks[t] = column[row] }
            }
        }
        feedBlock = blocks
    }

    /// The stop's name, else its `stop_id`.
    func stopName(_ stop: Int32?) -> String {
        guard let stop, stop >= 0, Int(stop) < stopNames.count else { return "?" }
        if let name = stopNames[Int(stop)] { return name }
        let ids = feed.ids(.stop)
        return Int(stop) < ids.count ? ids[Int(stop)] : "?"
    }

    func tripID(_ trip: Int32) -> String {
        trip >= 0 && Int(trip) < tripIDs.count ? tripIDs[Int(trip)] : "#\(trip)"
    }

    /// The axis of a route whose day runs use `tripUses` (trip code → how many runs use it):
    /// the direction-0 stop sequence run most (the longest on a tie), else direction 1's.
    func axis(tripUses: [Int32: Int]) -> StringlineAxis? {
        var usesOfPattern: [Int32: (uses: Int, trip: Int32)] = [:]
        for (trip, uses) in tripUses {
            guard trip >= 0, Int(trip) < patterns.patternOfTrip.count else { continue }
            let p = patterns.patternOfTrip[Int(trip)]
            guard p >= 0 else { continue }
            let known = usesOfPattern[p]
            usesOfPattern[p] = ((known?.uses ?? 0) + uses, min(known?.trip ?? trip, trip))
        }
        func rank(_ p: Int32) -> (Int, Int, Double) {
            let trip = usesOfPattern[p]?.trip ?? -1
            return (trips.direction(ofTrip: trip) == 0 ? 1 : 0, usesOfPattern[p]?.uses ?? 0, distances.metres(ofTrip: trip).last ?? 0)
        }
        guard let best = usesOfPattern.keys.max(by: { a, b in
            let x = rank(a), y = rank(b)
            return x != y ? x < y : a > b
        }), let trip = usesOfPattern[best]?.trip else { return nil }
        let stops = patterns.patterns[Int(best)].stops
        let along = Array(distances.metres(ofTrip: trip))
        guard along.count == stops.count else { return nil }
        var points: [(x: Double, y: Double)] = [], kept: [Double] = [], keptStops: [Int32] = []
        for (s, d) in zip(stops, along) {
            guard s >= 0, Int(s) < position.count, let p = position[Int(s)] else { continue }
            points.append(p)
            kept.append(d)
            keptStops.append(s)
        }
        guard !points.isEmpty else { return nil }
        return StringlineAxis(points: points, along: kept, stops: keptStops, direction: trips.direction(ofTrip: trip), trip: trip)
    }

    /// How trip `trip`'s own distances map onto `axis`: position = offset + sign × distance.
    func placement(of trip: Int32, on axis: StringlineAxis, direction: Int32, axisDirection: Int32) -> (offset: Double, sign: Double) {
        let rows = index.rows(ofTrip: trip)
        let own = distances.metres(ofTrip: trip)
        var forward: [Double] = [], backward: [Double] = []
        if own.count == rows.count {
            for (r, d) in zip(rows, own) {
                let s = stopOfRow[Int(r)]
                guard s >= 0, Int(s) < position.count, let p = position[Int(s)], let at = axis.locate(p) else { continue }
                forward.append(at.along - d)
                backward.append(at.along + d)
            }
        }
        guard !forward.isEmpty else {
            return direction == axisDirection ? (0, 1) : (axis.length, -1)
        }
        let f = Self.medianSpread(forward), b = Self.medianSpread(backward)
        // The way with the smaller spread; a tie (one stop) follows the direction.
        if abs(f.spread - b.spread) < 1e-6 {
            return direction == axisDirection ? (f.median, 1) : (b.median, -1)
        }
        return f.spread < b.spread ? (f.median, 1) : (b.median, -1)
    }

    static func medianSpread(_ values: [Double]) -> (median: Double, spread: Double) {
        let sorted = values.sorted()
        let m = sorted[sorted.count / 2]
        let deviations = sorted.map { abs($0 - m) }.sorted()
        return (m, deviations[deviations.count / 2] + deviations.reduce(0, +) / Double(deviations.count) * 1e-3)
    }

    /// The stop events of a trip of the feed run `offset` seconds after its own times.
    func events(trip: Int32, offset: Int32, placement: (offset: Double, sign: Double)) -> [(time: Int32, metres: Double)] {
        let rows = index.rows(ofTrip: trip)
        let own = distances.metres(ofTrip: trip)
        var out: [(time: Int32, metres: Double)] = []
        out.reserveCapacity(rows.count * 2)
        var k = own.startIndex
        for r in rows {
            let d = k < own.endIndex ? own[k] : (out.isEmpty ? 0 : own.last ?? 0)
            k += 1
            let at = placement.offset + placement.sign * d
            let a = arrival[Int(r)], dep = departure[Int(r)]
            if a >= 0 { out.append((a + offset, at)) }
            if dep >= 0, dep != a { out.append((dep + offset, at)) }
        }
        return out
    }

    /// The stop events of a planned trip: its template's stops at the template's distances,
    /// at the planned times the export writes (``Timetable/TripTimes``: the template's shifted,
    /// or interpolated towards the second template's).
    func events(planned trip: PlannedTrip, placement: (offset: Double, sign: Double)) -> [(time: Int32, metres: Double)] {
        let own = distances.metres(ofTrip: trip.template)
        var out: [(time: Int32, metres: Double)] = []
        out.reserveCapacity(own.count * 2)
        var k = own.startIndex
        tripTimes.forEachStop(of: trip) { _, a, dep in
            let d = k < own.endIndex ? own[k] : (own.last ?? 0)
            k += 1
            let at = placement.offset + placement.sign * d
            if a >= 0 { out.append((a, at)) }
            if dep >= 0, dep != a { out.append((dep, at)) }
        }
        return out
    }
}
