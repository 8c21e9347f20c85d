import Carbon
import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
import TransitSynthetic

/// Transit legs built from a feed's own schedule.
struct FeedLegs {
    let feed: Feed
    let context: FeedContext
    let distances: ShapeDistances
    let calendar: ServiceCalendar

    init(path: String) throws {
        feed = try FeedReader.load(path, options: ReadOptions(validate: false)).feed
        distances = ShapeDistances(feed: feed)
        context = FeedContext(feed: feed, distances: distances)
        calendar = ServiceCalendar(feed: feed)
    }

    /// A date in the feed's range on which `trip` runs.
    func date(of trip: Int32, service: Int32) -> GTFSDate? {
        guard let range = feed.serviceDateRange else { return nil }
        var d = range.lowerBound
        while d <= range.upperBound {
            if calendar.isActive(service: service, on: d) { return d }
            d = d.adding(days: 1)
        }
        return nil
    }

    /// Up to `count` legs (board at the 2nd stop, alight at the second-to-last) of trips that
    /// run on some date and are measured along their shapes, not frequency templates.
    func legs(count: Int) -> [(record: TripRecord, expectedMetres: Int, mode: Mode)] {
        let trips = feed.trips, st = feed.stopTimes, ids = feed.ids(.trip), stopIDs = feed.ids(.stop)
        let frequencyTrips = Set(feed.frequencies.trip)
        var out: [(TripRecord, Int, Mode)] = []
        let step = max(1, trips.count / (count * 3))
        var row = 0
        while row < trips.count && out.count < count {
            defer { row += step }
            let trip = trips.id[row]
            guard !frequencyTrips.contains(trip), let method = distances.method(ofTrip: trip), method != .greatCircle,
                  let date = date(of: trip, service: trips.service[row]) else { continue }
            let rows = feed.stopTimeIndex.rows(ofTrip: trip)
            guard rows.count >= 4 else { continue }
            let b = rows.startIndex + 1, a = rows.endIndex - 2
            let rb = Int(rows[b]), ra = Int(rows[a])
            let dep = st.departure[rb] >= 0 ? st.departure[rb] : st.arrival[rb]
            let arr = st.arrival[ra] >= 0 ? st.arrival[ra] : st.departure[ra]
            guard dep >= 0, arr > dep else { continue }
            let m = distances.metres(ofTrip: trip)
            let metres = m[m.startIndex + (a - rows.startIndex)] - m[m.startIndex + (b - rows.startIndex)]
            guard metres.isFinite, metres > 1000 else { continue }
            let routeRow = feed.routes.id.firstIndex(of: trips.route[row]) ?? 0
            guard let mode = Mode(routeType: feed.routes.type[routeRow]) else { continue }
            let midnight = context.serviceDayStart(date)
            let offset = Int32(TimeZone(identifier: context.timeZoneID)?.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(midnight + 43_200))) ?? 0)
            var r = TripRecord(line: out.count + 2, eventID: "leg-\(row)", source: "afc", riderID: "R\(row % 7)")
            r.tripID = ids[Int(trip)]
            r.boardStopID = stopIDs[Int(st.stop[rb])]
            r.boardSequence = st.sequence[rb]
            r.alightStopID = stopIDs[Int(st.stop[ra])]
            r.alightSequence = st.sequence[ra]
            r.start = Timestamp(epochSeconds: midnight + Int64(dep) + 30, offsetSeconds: offset)
            r.end = Timestamp(epochSeconds: midnight + Int64(arr) + 60, offsetSeconds: offset)
            out.append((r, Int(metres.rounded(.down)), mode))
        }
        return out
    }
}

@Suite("transit legs: distances along the shape, plausibility against the schedule")
struct TransitLegTests {
    static func loose() throws -> Policy { try Fixture.policy(perTrip: 1_000_000, speed: [:]) }

    @Test("sample feed: each leg's distance is the shape distance between its stops, from ISO times and from GTFS-ride times")
    func sampleFeed() throws {
        let f = try FeedLegs(path: SharedData.samplePath)
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Self.loose(), feed: f.context)
        let legs = f.legs(count: 40)
        #expect(legs.count >= 20)
        for (record, metres, mode) in legs {
            let leg = try Fixture.priced(pricer, record)
            #expect(leg.metres == metres, "\(record.tripID ?? "")")
            #expect(leg.distanceSource == .shape)
            #expect(leg.mode == mode)
            #expect(leg.grams == Pricer.grams(savingMilligramsPerKm: (170 - (try Fixture.factors().factor(mode)?.gramsPerPassengerKm ?? 0)) * 1000, metres: metres))
        }
        #expect(f.context.timeZoneID == "America/Chicago")
    }

    @Test("the sample feed's rider_trip.txt prices with no rejections but the two legs under the bus minimum")
    func sampleRiderTrips() throws {
        let f = try FeedLegs(path: SharedData.samplePath)
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy(), feed: f.context)
        var reader = try TripLogReader(path: SharedData.samplePath + "/rider_trip.txt")
        var accepted = 0
        var reasons: [RejectionReason: Int] = [:]
        while let item = reader.next() {
            guard case .record(let r) = item else { Issue.record("malformed: \(item)"); continue }
            switch pricer.price(r) {
            case .success(let leg): accepted += 1; #expect(leg.distanceSource == .shape && leg.day == r.serviceDate)
            case .failure(let rej): reasons[rej.reason, default: 0] += 1
            }
        }
        #expect(accepted == 3600)
        #expect(reasons == [.belowMinimumDistance: 2])
    }

    @Test("a real shared feed (cairns-2014): the leg distance equals the shape distance")
    func realFeed() throws {
        guard SharedData.runnable else { return }
        let path = try #require(SharedData.feedPath("cairns-2014"), Comment(rawValue: SharedData.missingMessage))
        let f = try FeedLegs(path: path)
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Self.loose(), feed: f.context)
        let legs = f.legs(count: 30)
        #expect(legs.count >= 10)
        for (record, metres, _) in legs {
            let leg = try Fixture.priced(pricer, record)
            #expect(leg.metres == metres && leg.distanceSource == DistanceSource.shape, "\(record.tripID ?? "")")
        }
    }

    @Test("plausibility on the sample feed: unknown trip or stop, wrong date, alight before board, off schedule, mode mismatch")
    func plausibility() throws {
        let f = try FeedLegs(path: SharedData.samplePath)
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy(), feed: f.context)
        let base = try #require(f.legs(count: 1).first?.record)
        func reason(_ change: (inout TripRecord) -> Void) -> RejectionReason? {
            var r = base
            change(&r)
            if case .failure(let x) = pricer.price(r) { return x.reason }
            return nil
        }
        #expect(reason { _ in } == nil)
        #expect(reason { $0.tripID = "no-such-trip" } == .unknownTrip)
        #expect(reason { $0.boardStopID = "no-such-stop" } == .unknownStop)
        #expect(reason { $0.serviceDate = GTFSDate(yyyymmdd: 20990101) } == .tripNotRunning)
        #expect(reason { r in swap(&r.boardStopID, &r.alightStopID); swap(&r.boardSequence, &r.alightSequence) } == .alightBeforeBoard)
        #expect(reason { r in
            r.start = r.start.map { Timestamp(epochSeconds: $0.epochSeconds + 3600, offsetSeconds: $0.offsetSeconds) }
            r.end = r.end.map { Timestamp(epochSeconds: $0.epochSeconds + 3600, offsetSeconds: $0.offsetSeconds) }
        } == .offSchedule)
        #expect(reason { $0.modeText = "bike" } == .modeMismatch)
        #expect(reason { r in r.end = r.start } == .endBeforeStart)
    }
}

@Suite("synthetic logs")
struct SyntheticLogTests {
    @Test("a generated log over the sample feed is deterministic and credits but for legs under the minimum distance")
    func generated() throws {
        let f = try FeedLegs(path: SharedData.samplePath)
        var a: [String] = [], b: [String] = []
        SyntheticTripLog.generate(feed: f.feed, context: f.context, count: 400, seed: 7) { a.append($0) }
        SyntheticTripLog.generate(feed: f.feed, context: f.context, count: 400, seed: 7) { b.append($0) }
        #expect(a == b && a.count == 401)
        let path = try Fixture.write(a.joined(separator: "\n") + "\n", name: "g.csv")
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Fixture.policy(), feed: f.context)
        var accepted = 0
        var reader = try TripLogReader(path: path)
        while let item = reader.next() {
            guard case .record(let r) = item else { Issue.record("\(item)"); continue }
            switch pricer.price(r) {
            case .success: accepted += 1
            case .failure(let rej): #expect(rej.reason == .belowMinimumDistance, "\(rej)")
            }
        }
        #expect(accepted >= 380)
    }

    @Test("the shipped sample logs are what the generator makes")
    func shippedLogsAreCurrent() throws {
        let f = try FeedLegs(path: SharedData.samplePath)
        for (name, seed, format) in [("trips.csv", UInt64(1), SyntheticTripLog.Format.csv), ("trips.jsonl", 2, .jsonl)] {
            var lines: [String] = []
            SyntheticTripLog.generate(feed: f.feed, context: f.context, count: 500, seed: seed, riders: 120, format: format) { lines.append($0) }
            let shipped = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("gtfs/sample-city-logs/" + name).path, encoding: .utf8)
            #expect(shipped == lines.joined(separator: "\n") + "\n", "re-run scripts/make-sample-city-logs")
        }
    }
}
