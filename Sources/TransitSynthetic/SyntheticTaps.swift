public import GTFS
import TransitNetwork
public import Ridership

/// A deterministic day of tap-in-only fare data over a real feed, with the ground truth of
/// every tap: for tests and benchmarks of ``Ridership/TapInference``.
///
/// Each rider makes a tour on the date. The first boarding is a random scheduled departure
/// (05:00–19:00 for a multi-leg day) of a trip running on the date; the rider rides 1–15 stops
/// and alights. Then, until the last leg, the rider either transfers (a stop within 250 m of
/// the alighting, another route, departing 2–20 min after the arrival) or does an activity
/// (1–9 h, ending by 21:00 when the arrival allows) and boards again from a stop within 250 m
/// of the alighting (with ``Behaviour/destination``: within 300 m of the destination). The last
/// leg of a multi-leg day is a return: a departure from a stop near the current position whose
/// trip later calls within 300 m of the first boarding stop (the rider alights at its call
/// nearest that stop), after an activity or a transfer wait. When
/// neither bounded search (400 departures each) finds one, the day ends there and is not
/// closed. About 15 % of days are single taps.
///
/// Where riders alight and board next depends on ``Behaviour``: by default
/// (``Behaviour/destination``) they ride to a destination near the alighting and board next
/// at the stop nearest it that serves what they take next.
///
/// A tap's time is the scheduled departure at the boarding stop plus 0–90 s, written in ISO
/// 8601 with the agency's offset at noon of the date. Trips of `frequencies.txt` and trips
/// with a call without times are not used. The same feed, date, riders and seed give the same
/// taps, byte for byte; memory is the feed's index, not the taps.
public enum SyntheticTaps {
    /// Where a rider alights and boards next; each gives trip chaining a different difficulty.
    ///
    /// Trip chaining infers a leg's alighting as the trip's later call nearest the card's next
    /// boarding stop. Every behaviour rides 1–15 calls after the boarding; they differ in how
    /// the next boarding (a transfer, a boarding after an activity or the return) is chosen.
    public enum Behaviour: String, Sendable, Hashable, CaseIterable {
        /// The rider goes to a destination: a point drawn uniformly within 150 m of the
        /// alighting stop, drawn again (up to 40 times, then the stop itself) until the
        /// alighting is the trip's later call nearest it: a rider gets off at the stop nearest
        /// where they are going. The next boarding is, among the stops within 300 m of the
        /// destination with a suitable departure (another route for a transfer), the one
        /// nearest the destination (a random one of its suitable departures): a rider walks to
        /// the closest stop served by what they take next. The realistic case: the alighting
        /// need not be the call nearest the next boarding stop.
        case destination
        /// The next boarding is any stop within 250 m of the alighting for which the alighting
        /// is the trip's later call nearest it: exactly trip chaining's assumption.
        case nearestToNextBoarding = "nearest"
        /// The next boarding is any stop within 250 m of the alighting: the harshest case,
        /// where a neighbouring call is often nearer the next boarding.
        case anyNearby = "any"
    }

    /// The CSV header of the taps.
    public static let header = "tap_id,card_id,tap_time,route_id,trip_id,stop_id,lat,lon"
    /// The CSV header of the ground truth.
    public static let truthHeader = "tap_id,trip_id,boarding_stop_id,boarding_stop_sequence,alighting_stop_id,alighting_stop_sequence"

    /// One generated tap and what really happened.
    public struct Generated: Sendable, Hashable {
        /// The tap as a fare system records it (no `trip_id` or no `stop_id` when withheld).
        public var tap: Tap
        /// The tap time as written, ISO 8601 with the agency's offset.
        public var time: String
        /// The trip really boarded.
        public var tripID: String
        /// The boarding stop and its `stop_sequence` on the trip.
        public var boardingStopID: String, boardingSequence: Int32
        /// The true alighting stop and its `stop_sequence`.
        public var alightingStopID: String, alightingSequence: Int32

        /// The tap as a line of ``SyntheticTaps/header`` (no newline).
        public var csvLine: String {
            let la = tap.latitude.map { SyntheticTaps.degrees($0) } ?? "", lo = tap.longitude.map { SyntheticTaps.degrees($0) } ?? ""
            return [tap.tapID, tap.cardID, time, tap.routeID, tap.tripID ?? "", tap.stopID ?? "", la, lo].map(SyntheticTaps.csv).joined(separator: ",")
        }

        /// The truth as a line of ``SyntheticTaps/truthHeader`` (no newline).
        public var truthLine: String {
            [tap.tapID, tripID, boardingStopID, String(boardingSequence), alightingStopID, String(alightingSequence)]
                .map(SyntheticTaps.csv).joined(separator: ",")
        }
    }

    /// What a generation produced.
    public struct Counts: Sendable, Hashable {
        /// Taps emitted.
        public var taps = 0
        /// Days of one tap.
        public var singleTapDays = 0
        /// Multi-leg days whose last leg returns near the first boarding.
        public var closedDays = 0
        /// Multi-leg days ended without a return.
        public var openDays = 0
        /// Riders with no tap (the date has no usable service).
        public var emptyDays = 0
        /// Trips running on the date that were used to generate taps from.
        public var tripsUsed = 0
        /// Destinations drawn (``Behaviour/destination``: one per leg followed by another).
        public var destinations = 0
        /// Destinations that fell back to the alighting stop, no draw having the alighting
        /// as the trip's later call nearest it.
        public var destinationFallbacks = 0

        /// No taps yet.
        public init() {}
    }

    /// Generates one day of `riders` riders' taps on `date` and calls `emit` with each, in
    /// card order and, within a card, in time order.
    /// - Parameters:
    ///   - serviceDayStart: service-day midnight of `date` in the agency's time zone, seconds
    ///     since the epoch (noon minus 12 h); the written offset is the one at noon.
    ///   - withoutTripShare: share of taps (0…1) written without `trip_id`.
    ///   - positionShare: share of taps (0…1) written with the vehicle's position (the stop's,
    ///     plus up to 10 m of noise) instead of `stop_id`.
    ///   - behaviour: how riders choose where they alight and board next (see ``Behaviour``).
    /// - Returns: what was generated.
    /// - Complexity: O(feed) to index, then about O(legs × (nearby departures + trip length)).
    @discardableResult
    public static func generate(feed: Feed, date: GTFSDate, serviceDayStart: Int64, riders: Int, seed: UInt64 = 1,
                                withoutTripShare: Double = 0.5, positionShare: Double = 0, behaviour: Behaviour = .destination,
                                emit: (Generated) -> Void) -> Counts {
        let index = TapIndex(feed: feed, date: date)
        var counts = Counts()
        counts.tripsUsed = index.tripCode.count
        // The stream starts at the seed's mixed value, so nearby seeds do not give shifted
        // copies of one stream (which rejection sampling can bring back into step).
        var mixer = SplitMix64(seed: seed)
        var rider = RiderDay(index: index, rng: SplitMix64(seed: mixer.next()), behaviour: behaviour)
        let offset = Int(Int64(date.daysSinceEpoch) * 86_400 - serviceDayStart)
        let tripIDs = feed.ids(.trip), stopIDs = feed.ids(.stop), routeIDs = feed.ids(.route)
        var tapNumber = 0
        for r in 0..<max(0, riders) {
            let legs = rider.day()
            switch rider.outcome {
            case .single: counts.singleTapDays += 1
            case .closed: counts.closedDays += 1
            case .open: counts.openDays += 1
            case .empty: counts.emptyDays += 1
            }
            let card = "C" + pad(r + 1, 7)
            for leg in legs {
                tapNumber += 1
                let trip = Int(index.tripCode[Int(leg.trip)])
                let b = Int(leg.board), a = Int(leg.alight)
                let stop = Int(index.callStop[b])
                let epoch = serviceDayStart + Int64(index.callDep[b]) + Int64(rider.rng.next() % 91)
                let time = SyntheticTripLog.iso(epoch, offset)
                let noTrip = rider.rng.unit() < withoutTripShare
                let byPosition = rider.rng.unit() < positionShare
                var tap = Tap(tapID: "T" + pad(tapNumber, 8), cardID: card, epochSeconds: epoch,
                              routeID: routeIDs[Int(index.tripRoute[Int(leg.trip)])], tripID: noTrip ? nil : tripIDs[trip],
                              stopID: byPosition ? nil : stopIDs[stop], line: tapNumber + 1)
                if byPosition {
                    // Up to ~10 m of GPS noise, rounded as written (6 decimals).
                    let dLat = (rider.rng.unit() - 0.5) * 2 * 7 / 111_195
                    let dLon = (rider.rng.unit() - 0.5) * 2 * 7 / (111_195 * max(0.1, cosDegrees(index.lat[stop])))
                    tap.latitude = Double(degrees(index.lat[stop] + dLat))
                    tap.longitude = Double(degrees(index.lon[stop] + dLon))
                }
                emit(Generated(tap: tap, time: time, tripID: tripIDs[trip], boardingStopID: stopIDs[stop], boardingSequence: index.callSeq[b],
                               alightingStopID: stopIDs[Int(index.callStop[a])], alightingSequence: index.callSeq[a]))
                counts.taps += 1
            }
        }
        counts.destinations = rider.destinations
        counts.destinationFallbacks = rider.destinationFallbacks
        return counts
    }

    static func cosDegrees(_ d: Double) -> Double { Geo.haversine(lat1: d, lon1: 0, lat2: d, lon2: 1) / Geo.haversine(lat1: 0, lon1: 0, lat2: 0, lon2: 1) }

    /// Degrees with 6 decimals (about 0.1 m), without Foundation.
    static func degrees(_ v: Double) -> String {
        let micro = Int64((v * 1_000_000).rounded())
        let sign = micro < 0 ? "-" : ""
        let a = abs(micro)
        return sign + String(a / 1_000_000) + "." + pad(Int(a % 1_000_000), 6)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func csv(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : s
    }
}

/// The running trips of one date, their calls, each stop's departures sorted by time and a
/// grid of stops, for fast generation.
struct TapIndex {
    /// Per used trip (local index): the trip and route codes, and where its calls start.
    var tripCode: [Int32] = [], tripRoute: [Int32] = [], callStart: [Int32] = [0]
    /// Per call (trips' calls in sequence order): stop code, stop_sequence, arrival, departure.
    var callStop: [Int32] = [], callSeq: [Int32] = [], callArr: [Int32] = [], callDep: [Int32] = []
    /// The local trip of each call.
    var callTrip: [Int32] = []
    /// Per stop code, its departures (calls other than a trip's last) sorted by time.
    var depStart: [Int32] = [], depCall: [Int32] = []
    /// Stop positions (NaN when unknown).
    let lat: [Double], lon: [Double]
    /// Stop positions in metres on an equirectangular projection at the served stops' mean
    /// latitude (within 0.1 % of great-circle distances over walking distances, and no
    /// trigonometry per comparison).
    var x: [Double] = [], y: [Double] = []
    /// Stops with departures or arrivals, by grid cell.
    var cells: [Int64: [Int32]] = [:]
    let metresPerDegreeLon: Double
    static let cell = 250.0, metresPerDegree = 111_195.0

    init(feed: Feed, date: GTFSDate) {
        let positions = StopPositions(feed: feed)
        lat = positions.lat
        lon = positions.lon
        let st = feed.stopTimes, trips = feed.trips, index = feed.stopTimeIndex
        var frequencyTrip = Set<Int32>()
        for t in feed.frequencies.trip where t >= 0 { frequencyTrip.insert(t) }
        let stopCount = lat.count, routeCount = feed.ids(.route).count, tripCount = min(trips.count, feed.ids(.trip).count)
        var served = [Bool](repeating: false, count: stopCount)
        var depCount = [Int32](repeating: 0, count: stopCount + 1)
        for trip in ServiceCalendar(feed: feed).runningTrips(on: date).sorted() where !frequencyTrip.contains(trip) {
            guard trip >= 0, Int(trip) < tripCount, trips.route[Int(trip)] >= 0, Int(trips.route[Int(trip)]) < routeCount else { continue }
            let rows = index.rows(ofTrip: trip)
            guard rows.count >= 2 else { continue }
            var usable = true, previous = Int32.min
            for row in rows {
                let r = Int(row), s = st.stop[r]
                let arr = Self.time(st.arrival[r]) ?? Self.time(st.departure[r]), dep = Self.time(st.departure[r]) ?? arr
                guard s >= 0, Int(s) < stopCount, !lat[Int(s)].isNaN, let arr, let dep, arr >= previous, dep >= arr else { usable = false; break }
                previous = dep
            }
            guard usable else { continue }
            let local = Int32(tripCode.count)
            tripCode.append(trip)
            tripRoute.append(trips.route[Int(trip)])
            for (k, row) in rows.enumerated() {
                let r = Int(row), s = st.stop[r]
                let arr = Self.time(st.arrival[r]) ?? Self.time(st.departure[r]) ?? 0
                callStop.append(s)
                callSeq.append(st.sequence[r])
                callArr.append(arr)
                callDep.append(Self.time(st.departure[r]) ?? arr)
                callTrip.append(local)
                served[Int(s)] = true
                if k + 1 < rows.count { depCount[Int(s) + 1] += 1 }
            }
            callStart.append(Int32(callStop.count))
        }
        for s in 0..<stopCount { depCount[s + 1] += depCount[s] }
        depStart = depCount
        var fill = depCount
        depCall = [Int32](repeating: 0, count: Int(depCount[stopCount]))
        for t in 0..<tripCode.count {
            for c in Int(callStart[t])..<(Int(callStart[t + 1]) - 1) {
                let s = Int(callStop[c])
                depCall[Int(fill[s])] = Int32(c)
                fill[s] += 1
            }
        }
        let dep = callDep
        for s in 0..<stopCount where depStart[s + 1] - depStart[s] > 1 {
            depCall[Int(depStart[s])..<Int(depStart[s + 1])].sort { a, b in dep[Int(a)] != dep[Int(b)] ? dep[Int(a)] < dep[Int(b)] : a < b }
        }
        var sumLat = 0.0, n = 0.0
        for s in 0..<stopCount where served[s] { sumLat += lat[s]; n += 1 }
        let mid = n > 0 ? sumLat / n : 0
        metresPerDegreeLon = Self.metresPerDegree * max(0.05, SyntheticTaps.cosDegrees(mid))
        x = lon.map { $0 * metresPerDegreeLon }
        y = lat.map { $0 * Self.metresPerDegree }
        for s in 0..<stopCount where served[s] { cells[key(lat[s], lon[s]), default: []].append(Int32(s)) }
    }

    static func time(_ v: Int32) -> Int32? { v == Column.missingInteger || v < 0 ? nil : v }

    func cellXY(_ la: Double, _ lo: Double) -> (Int64, Int64) {
        (Int64((lo * metresPerDegreeLon / Self.cell).rounded(.down)), Int64((la * Self.metresPerDegree / Self.cell).rounded(.down)))
    }

    func key(_ la: Double, _ lo: Double) -> Int64 {
        let (x, y) = cellXY(la, lo)
        return x << 32 | (y & 0xFFFF_FFFF)
    }

    /// Stops with service within `metres` of stop `s` (itself included), in a fixed order.
    func stops(near s: Int32, within metres: Double) -> [Int32] {
        let la = lat[Int(s)], lo = lon[Int(s)]
        let (x, y) = cellXY(la, lo)
        let reach = Int64((metres / Self.cell).rounded(.up))
        var out: [Int32] = []
        for dy in -reach...reach {
            for dx in -reach...reach {
                for t in cells[(x + dx) << 32 | ((y + dy) & 0xFFFF_FFFF)] ?? [] where squared(s, t) <= metres * metres { out.append(t) }
            }
        }
        return out
    }

    /// Metres between stops `a` and `b`, squared.
    func squared(_ a: Int32, _ b: Int32) -> Double {
        let dx = x[Int(a)] - x[Int(b)], dy = y[Int(a)] - y[Int(b)]
        return dx * dx + dy * dy
    }

    /// The departures of stop `s` from `from` (inclusive) to `to` (exclusive), as call indices.
    func departures(at s: Int32, from: Int32, to: Int32) -> ArraySlice<Int32> {
        var lo = Int(depStart[Int(s)]), hi = Int(depStart[Int(s) + 1])
        let end = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if callDep[Int(depCall[mid])] < from { lo = mid + 1 } else { hi = mid }
        }
        var upper = lo
        while upper < end, callDep[Int(depCall[upper])] < to { upper += 1 }
        return depCall[lo..<upper]
    }

    /// A point in the projected metres of ``x`` and ``y``.
    struct Point { var x: Double, y: Double }

    /// Stop `s`'s projected position.
    func point(_ s: Int32) -> Point { Point(x: x[Int(s)], y: y[Int(s)]) }

    /// Stops with service within `metres` of `p`, nearest first (ties by stop code).
    func stops(nearestTo p: Point, within metres: Double) -> [Int32] {
        let cx = Int64((p.x / Self.cell).rounded(.down)), cy = Int64((p.y / Self.cell).rounded(.down))
        let reach = Int64((metres / Self.cell).rounded(.up))
        var out: [(stop: Int32, squared: Double)] = []
        for dy in -reach...reach {
            for dx in -reach...reach {
                for t in cells[(cx + dx) << 32 | ((cy + dy) & 0xFFFF_FFFF)] ?? [] {
                    let ex = x[Int(t)] - p.x, ey = y[Int(t)] - p.y, d = ex * ex + ey * ey
                    if d <= metres * metres { out.append((t, d)) }
                }
            }
        }
        out.sort { $0.squared != $1.squared ? $0.squared < $1.squared : $0.stop < $1.stop }
        return out.map(\.stop)
    }

    /// The first call after `board` on its trip whose stop is nearest point `target`.
    func nearestLater(after board: Int, to target: Point) -> (call: Int, metres: Double)? {
        let end = Int(callStart[Int(callTrip[board]) + 1])
        var best = -1, least = Double.infinity
        for c in (board + 1)..<end {
            let s = Int(callStop[c])
            let dx = x[s] - target.x, dy = y[s] - target.y, d = dx * dx + dy * dy
            if d < least { best = c; least = d }
        }
        return best < 0 ? nil : (call: best, metres: least.squareRoot())
    }
}
