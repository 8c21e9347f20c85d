import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing
import TestSupport

/// A small feed for hand-made tap chains, in UTC, with stops placed in metres north and east
/// of 54° N 25° E.
///
/// | trip | route | calls |
/// |---|---|---|
/// | A-1 | A | A1 (0,0) 08:00, A2 (1000,0) 08:10, A3 (2000,0) 08:20, A4 (3000,0) 08:30 |
/// | A-2 | A | A4 16:50, A3 17:00, A2 17:10, A1 17:20 |
/// | B-1 | B | B1 (2000,200) 08:30, B2 (2000,1500) 08:40, B3 (2000,3000) 08:50 |
/// | B-2 | B | B3 16:30, B2 16:40, B1 16:50 |
/// | L-1 | L | P0 (0,10000) 09:00, P1 (1000,10000) 09:05, P2 (1000,11000) 09:10, P3 (0,11000) 09:15, P1 09:20, P0 09:25 |
/// | L-2 | L | the same from 12:00 |
///
/// B1 is 200 m from A3: the transfer point.
enum ChainFeed {
    static let date = GTFSDate(yyyymmdd: 20260310)
    static var start: Int64 { Int64(date?.daysSinceEpoch ?? 0) * 86_400 }

    static func lat(_ north: Double) -> Double { 54.0 + north / LineFeed.metresPerDegree }
    static func lon(_ east: Double) -> Double { 25.0 + east / (LineFeed.metresPerDegree * cos(54.0 * Double.pi / 180)) }

    static let places: [(String, Double, Double)] = [
        ("A1", 0, 0), ("A2", 1000, 0), ("A3", 2000, 0), ("A4", 3000, 0),
        ("B1", 2000, 200), ("B2", 2000, 1500), ("B3", 2000, 3000),
        ("P0", 0, 10000), ("P1", 1000, 10000), ("P2", 1000, 11000), ("P3", 0, 11000),
    ]

    static func trip(_ id: String, _ calls: [(String, String)]) -> String {
        calls.enumerated().map { "\(id),\($1.1):00,\($1.1):00,\($1.0),\($0 + 1)\n" }.joined()
    }

    static var files: [String: [UInt8]] {
        let stops = "stop_id,stop_name,stop_lat,stop_lon\n"
            + places.map { "\($0.0),\($0.0),\(String(format: "%.9f", lat($0.1))),\(String(format: "%.9f", lon($0.2)))\n" }.joined()
        let loop = ["P0", "P1", "P2", "P3", "P1", "P0"]
        let stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            + trip("A-1", [("A1", "08:00"), ("A2", "08:10"), ("A3", "08:20"), ("A4", "08:30")])
            + trip("A-2", [("A4", "16:50"), ("A3", "17:00"), ("A2", "17:10"), ("A1", "17:20")])
            + trip("B-1", [("B1", "08:30"), ("B2", "08:40"), ("B3", "08:50")])
            + trip("B-2", [("B3", "16:30"), ("B2", "16:40"), ("B1", "16:50")])
            + trip("L-1", Array(zip(loop, ["09:00", "09:05", "09:10", "09:15", "09:20", "09:25"])))
            + trip("L-2", Array(zip(loop, ["12:00", "12:05", "12:10", "12:15", "12:20", "12:25"])))
        let text: [String: String] = [
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nT,Taps,https://example.org,UTC\n",
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nA,T,A,3\nB,T,B,3\nL,T,L,3\n",
            "trips.txt": "route_id,service_id,trip_id,direction_id\nA,WD,A-1,0\nA,WD,A-2,1\nB,WD,B-1,0\nB,WD,B-2,1\nL,WD,L-1,0\nL,WD,L-2,0\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n",
            "stops.txt": stops,
            "stop_times.txt": stopTimes,
        ]
        return text.mapValues { Array($0.utf8) }
    }

    static let feed: Feed? = try? FeedReader.load(files: files, label: "tap-chains", options: ReadOptions(validate: false)).feed

    /// A tap at `clock` (`HH:MM`) of the service date.
    static func tap(_ id: String, _ card: String, _ clock: String, _ route: String, trip: String? = nil, stop: String? = nil,
                    at place: (north: Double, east: Double)? = nil) -> Tap {
        let parts = clock.split(separator: ":").compactMap { Int64($0) }
        let seconds = (parts.first ?? 0) * 3600 + (parts.dropFirst().first ?? 0) * 60
        return Tap(tapID: id, cardID: card, epochSeconds: start + seconds, routeID: route, tripID: trip, stopID: stop,
                   latitude: place.map { lat($0.north) }, longitude: place.map { lon($0.east) })
    }

    /// Runs the inference over `taps`, in order.
    static func infer(_ taps: [Tap], options: TapInferenceOptions = TapInferenceOptions()) throws -> TapInference {
        let feed = try #require(feed)
        let date = try #require(date)
        var inference = TapInference(feed: feed, date: date, serviceDayStart: start, options: options)
        for t in taps { inference.add(t) }
        inference.infer()
        return inference
    }
}

extension TapInference {
    /// The trip id, stop id and `stop_sequence` of tap `i`'s boarding.
    func board(_ i: Int) -> String? {
        let o = outcomes[i]
        guard let c = call(at: o.boardPosition) else { return nil }
        return "\(tripID(o.trip)) \(stopID(c.stop))#\(c.sequence)"
    }

    /// The stop id and `stop_sequence` of tap `i`'s alighting.
    func alight(_ i: Int) -> String? {
        call(at: outcomes[i].alightPosition).map { "\(stopID($0.stop))#\($0.sequence)" }
    }
}

@Suite("Tap chains on a hand-made feed")
struct TapChainTests {
    typealias F = ChainFeed

    /// Out A then B (a transfer at A3/B1), back B then A (a transfer at B1/A3), home.
    static let commute = [
        F.tap("c1", "K", "08:00", "A", stop: "A1"),
        F.tap("c2", "K", "08:28", "B", stop: "B1"),
        F.tap("c3", "K", "16:30", "B", stop: "B3"),
        F.tap("c4", "K", "16:59", "A", stop: "A3"),
    ]

    @Test("a transfer: A to B within 400 m and 10 min is linked; the day's last leg goes home")
    func transfer() throws {
        let inf = try F.infer(Self.commute)
        let o = inf.outcomes
        #expect(inf.board(0) == "A-1 A1#1")
        #expect(inf.alight(0) == "A3#3")
        #expect(o[0].alighting == .nextTap)
        #expect(o[0].reason == nil)
        #expect(o[0].link == .transfer)
        #expect((190...210).contains(o[0].alightMetres))
        #expect(o[1].isTransfer)
        #expect(!o[0].isTransfer)
        #expect(inf.board(1) == "B-1 B1#1")
        #expect(inf.alight(1) == "B3#3")
        #expect(o[1].link == .activity)
        #expect(!o[2].isTransfer)
        #expect(inf.board(2) == "B-2 B3#1")
        #expect(inf.alight(2) == "B1#3")
        #expect(o[2].link == .transfer)
        #expect(o[3].isTransfer)
        #expect(inf.board(3) == "A-2 A3#2")
        #expect(inf.alight(3) == "A1#4")
        #expect(o[3].alighting == .firstTap)
        #expect(o[3].link == .home)
        #expect(inf.summary.transfers == 2)
        #expect(inf.summary.alightings == ["next_tap": 3, "first_tap": 1])
        #expect(inf.summary.cards == 1)
    }

    @Test("a single tap: single_tap, no alighting")
    func singleTap() throws {
        let inf = try F.infer([F.tap("s1", "S", "08:00", "A", stop: "A1")])
        let o = inf.outcomes[0]
        #expect(o.match == .stopTime)
        #expect(inf.board(0) == "A-1 A1#1")
        #expect(o.reason == .singleTap)
        #expect(o.alightPosition == -1 && o.alighting == nil && o.link == nil)
        #expect(inf.summary.unresolved == ["single_tap": 1])
    }

    @Test("a next boarding beyond the walking limit: beyond_walking_limit")
    func beyondWalkingLimit() throws {
        let inf = try F.infer([F.tap("w1", "W", "08:00", "A", stop: "A1"), F.tap("w2", "W", "08:40", "B", stop: "B2")])
        #expect(inf.board(1) == "B-1 B2#2")
        for i in 0..<2 {
            #expect(inf.outcomes[i].reason == .beyondWalkingLimit)
            #expect(inf.outcomes[i].alightPosition == -1 && inf.outcomes[i].link == nil)
        }
    }

    @Test("a loop route whose nearest stop to the next boarding comes twice: the first is chosen")
    func loopRoute() throws {
        let inf = try F.infer([F.tap("l1", "L", "09:00", "L", stop: "P0"), F.tap("l2", "L", "12:05", "L", stop: "P1")])
        #expect(inf.board(0) == "L-1 P0#1")
        #expect(inf.alight(0) == "P1#2")
        #expect(inf.outcomes[0].link == .activity)
        #expect(inf.board(1) == "L-2 P1#2")
        #expect(inf.alight(1) == "P0#6")
        #expect(inf.outcomes[1].link == .home)
    }

    @Test("a tap no trip matches: no_trip_match, and the previous tap still chains to its stop")
    func noTripMatch() throws {
        let inf = try F.infer([F.tap("n1", "N", "08:00", "A", stop: "A1"), F.tap("n2", "N", "12:00", "B", stop: "B1")])
        let o = inf.outcomes
        #expect(o[1].match == nil && o[1].trip == -1)
        #expect(o[1].reason == .noTripMatch)
        #expect(o[1].alightPosition == -1)
        #expect(inf.alight(0) == "A3#3")
        #expect(o[0].alighting == .nextTap)
        #expect(o[0].link == .activity)
        #expect(!o[1].isTransfer)
        #expect(inf.summary.unmatched == ["no_trip_match": 1])
    }

    @Test("a tap after the day's last departure is another day's: outside_service_day, left out of the chain")
    func outsideServiceDay() throws {
        let inf = try F.infer([F.tap("o1", "O", "08:00", "A", stop: "A1"), F.tap("o2", "O", "22:00", "B", stop: "B1")])
        let o = inf.outcomes
        #expect(o[1].reason == .outsideServiceDay && o[1].trip == -1)
        #expect(o[0].reason == .singleTap && o[0].alightPosition == -1)
        #expect(inf.summary.unmatched == ["outside_service_day": 1])
        #expect(inf.summary.unresolved == ["single_tap": 1])
    }

    @Test("match methods: trip_id, stop and time, GPS position and time")
    func matchMethods() throws {
        let inf = try F.infer([
            F.tap("m1", "M1", "08:10", "A", trip: "A-1", stop: "A2"),
            F.tap("m2", "M2", "08:11", "A", stop: "A2"),
            F.tap("m3", "M3", "08:10", "A", at: (1050, 20)),
            F.tap("m4", "M4", "17:00", "A", trip: "A-2", at: (2030, 0)),
            F.tap("m5", "M5", "08:10", "A", at: (1500, 0)),
        ])
        let o = inf.outcomes
        #expect(o[0].match == .tripID && inf.board(0) == "A-1 A2#2")
        #expect(o[1].match == .stopTime && inf.board(1) == "A-1 A2#2")
        #expect(o[2].match == .positionTime && inf.board(2) == "A-1 A2#2")
        #expect(o[3].match == .tripID && inf.board(3) == "A-2 A3#2")
        #expect(o[4].match == nil && o[4].reason == .noStopNearPosition)
        #expect(inf.summary.matched == ["trip_id": 2, "stop_time": 1, "position_time": 1])
    }

    @Test("a next boarding earlier on the same trip: next_boarding_earlier")
    func nextBoardingEarlier() throws {
        let inf = try F.infer([F.tap("e1", "E", "08:20", "A", trip: "A-1", stop: "A3"),
                               F.tap("e2", "E", "08:21", "A", trip: "A-1", stop: "A2")])
        #expect(inf.board(0) == "A-1 A3#3")
        #expect(inf.board(1) == "A-1 A2#2")
        #expect(inf.outcomes[0].reason == .nextBoardingEarlier)
        #expect(inf.outcomes[0].alightPosition == -1)
        #expect(inf.alight(1) == "A3#3")
        #expect(inf.outcomes[1].link == .home)
    }

    @Test("a card's repeated tap_id: duplicate_tap, left out of the chain; an unknown route or stop")
    func duplicateAndUnknown() throws {
        let inf = try F.infer([
            F.tap("d1", "D", "08:00", "A", stop: "A1"),
            F.tap("d1", "D", "08:10", "A", stop: "A2"),
            F.tap("d1", "D2", "08:10", "A", stop: "A2"),
            F.tap("u1", "U", "08:00", "Z", stop: "A1"),
            F.tap("u2", "U2", "08:00", "A", stop: "nowhere"),
        ])
        let o = inf.outcomes
        #expect(o[0].reason == .singleTap)
        #expect(o[1].reason == .duplicateTap && o[1].match == nil && o[1].trip == -1)
        #expect(o[2].reason == .singleTap, "the same tap_id on another card is not a duplicate")
        #expect(o[3].reason == .unknownRoute && o[3].match == nil)
        #expect(o[4].reason == .unknownStop && o[4].match == nil)
        #expect(inf.summary.rejected == ["duplicate_tap": 1])
        #expect(inf.summary.matchedTotal == 2)
        #expect(inf.summary.unmatched == ["unknown_route": 1, "unknown_stop": 1])
    }

    @Test("thresholds: walking limit, transfer limit, no chaining of the last tap to the first, match tolerance")
    func options() throws {
        var walking = TapInferenceOptions()
        walking.walkingLimit = 150
        let w = try F.infer(Self.commute, options: walking)
        #expect(w.outcomes[0].reason == .beyondWalkingLimit)
        #expect(w.outcomes[2].reason == .beyondWalkingLimit)
        #expect(w.alight(1) == "B3#3")
        #expect(!w.outcomes[1].isTransfer && !w.outcomes[3].isTransfer)

        var transfer = TapInferenceOptions()
        transfer.transferLimit = 300
        let t = try F.infer(Self.commute, options: transfer)
        #expect(t.alight(0) == "A3#3" && t.outcomes[0].link == .activity)
        #expect(t.alight(2) == "B1#3" && t.outcomes[2].link == .activity)
        #expect(!t.outcomes[1].isTransfer && !t.outcomes[3].isTransfer)
        #expect(t.summary.transfers == 0)

        var open = TapInferenceOptions()
        open.chainLastToFirst = false
        let n = try F.infer(Self.commute, options: open)
        #expect(n.outcomes[3].reason == .noNextTap && n.outcomes[3].alightPosition == -1)
        #expect(n.outcomes[0].link == .transfer && n.alight(0) == "A3#3")

        var tight = TapInferenceOptions()
        tight.matchTolerance = 180
        let late = [F.tap("x1", "X", "08:04", "A", stop: "A1")]
        #expect(try F.infer(late, options: tight).outcomes[0].reason == .noTripMatch)
        #expect(try F.infer(late).outcomes[0].match == .stopTime)
    }

    @Test("expansion: unresolved boardings alight as the resolved taps boarding at the same stop; loads conservative")
    func expansion() throws {
        var taps: [Tap] = []
        for k in 1...3 {
            taps.append(F.tap("r\(k)a", "R\(k)", "08:00", "A", stop: "A1"))
            taps.append(F.tap("r\(k)b", "R\(k)", "08:28", "B", stop: "B1"))
        }
        taps.append(F.tap("r4a", "R4", "08:00", "A", stop: "A1"))
        taps.append(F.tap("r4b", "R4", "16:50", "A", stop: "A4"))
        for k in 1...4 { taps.append(F.tap("s\(k)", "S\(k)", "08:00", "A", stop: "A1")) }
        let inf = try F.infer(taps)
        #expect(inf.alight(6) == "A4#4")
        let counts = Dictionary(uniqueKeysWithValues: inf.tripCounts.map { (inf.tripID($0.trip), $0) })
        #expect(Set(counts.keys) == ["A-1", "A-2", "B-1", "B-2"])
        let a = try #require(counts["A-1"])
        #expect(a.boardings == [8, 0, 0, 0])
        #expect(a.measuredAlightings == [0, 0, 3, 1])
        #expect(a.scaledAlightings == [0, 0, 3, 1])
        #expect(a.loads == [8, 8, 2, 0])
        #expect(a.scaledLoads == [4, 4, 1, 0], "the four unresolved riders aboard until their scaled alightings")
        #expect(inf.summary.scaledBy["same_boarding_stop"] == 4)
        // B-1: three boardings with no resolved tap of route B: spread evenly, still conservative.
        let b = try #require(counts["B-1"])
        #expect(b.boardings == [3, 0, 0])
        #expect(b.measuredAlightings == [0, 0, 0])
        #expect(inf.summary.scaledBy["uniform"] == 3)
        for t in inf.tripCounts {
            #expect(t.loads.allSatisfy { $0 >= 0 }, "\(inf.tripID(t.trip)): \(t.loads)")
            #expect(t.loads.last == 0, "\(inf.tripID(t.trip)): \(t.loads)")
            #expect(zip(t.scaledLoads, t.loads).allSatisfy { $0 >= 0 && $0 <= $1 }, "\(inf.tripID(t.trip)): \(t.scaledLoads) within \(t.loads)")
            #expect(t.boardings.reduce(0, +) == t.alightings.reduce(0, +), "\(inf.tripID(t.trip))")
            #expect(t.scaledAlightings.first == 0 && t.measuredAlightings.first == 0, "nobody alights where the trip starts")
        }
        #expect(inf.tripCounts.map { $0.boardings.reduce(0, +) }.reduce(0, +) == inf.summary.matchedTotal)
    }
}
