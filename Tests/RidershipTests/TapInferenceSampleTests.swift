import Foundation
import GTFS
import TransitNetwork
import Ridership
import Testing
import TestSupport

/// The sample city's `rider_trip.txt` knows every alighting: hide them, make taps from the
/// boardings, infer, and measure how many alightings come back and how many are right.
@Suite("Tap inference on the sample city's rider trips")
struct TapInferenceSampleTests {
    /// One row of the sample's `rider_trip.txt`.
    struct Leg {
        var rider: String, trip: String, boardStop: String, boardSequence: Int32
        var alightStop: String, alightSequence: Int32, boardTime: Int32
    }

    /// The rows of a CSV file (quotes honoured), header first.
    static func rows(_ path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [[String]] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var fields: [String] = [], field = "", quoted = false
            var chars = Array(line).makeIterator()
            var pending = chars.next()
            while let c = pending {
                pending = chars.next()
                if quoted {
                    if c == "\"" {
                        if pending == "\"" { field.append("\""); pending = chars.next() } else { quoted = false }
                    } else {
                        field.append(c)
                    }
                } else if c == "\"" {
                    quoted = true
                } else if c == "," {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(c)
                }
            }
            fields.append(field)
            out.append(fields)
        }
        return out
    }

    /// The rows as dictionaries keyed by the header.
    static func records(_ name: String) throws -> [[String: String]] {
        let all = try rows(SharedData.samplePath + "/" + name)
        guard let header = all.first else { return [] }
        return all.dropFirst().map { row in
            var d: [String: String] = [:]
            for (k, v) in zip(header, row) { d[k] = v }
            return d
        }
    }

    /// `HH:MM:SS` to seconds.
    static func seconds(_ text: String) -> Int32? {
        let parts = text.split(separator: ":").compactMap { Int32($0) }
        guard parts.count == 3 else { return nil }
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    }

    /// Service-day midnight (noon minus 12 h) of `date` in `zone`, seconds since the epoch.
    static func serviceDayStart(_ date: GTFSDate, zone: String) throws -> Int64 {
        let tz = try #require(TimeZone(identifier: zone))
        let noon = Int64(date.daysSinceEpoch) * 86_400 + 43_200
        return noon - Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(noon)))) - 43_200
    }

    /// What one service date measured.
    struct Measure {
        var taps = 0, knowable = 0, inferred = 0, exact = 0, withinOne = 0
        var wrongTrip: [String] = []
        var countFailures: [String] = []
    }

    static func measure(date: GTFSDate, legs: [Leg], feed: Feed, routeOfTrip: [String: String],
                        stopPlace: [String: (Double, Double)]) throws -> Measure {
        let start = try serviceDayStart(date, zone: "America/Chicago")
        var inference = TapInference(feed: feed, date: date, serviceDayStart: start)
        for (i, leg) in legs.enumerated() {
            let route = try #require(routeOfTrip[leg.trip])
            inference.add(Tap(tapID: "t\(i)", cardID: leg.rider, epochSeconds: start + Int64(leg.boardTime), routeID: route,
                              tripID: i % 2 == 0 ? leg.trip : nil, stopID: leg.boardStop, line: i + 2))
        }
        inference.infer()
        var m = Measure()
        m.taps = legs.count
        // Each rider's legs in time order: the next boarding of each leg (the last: the first).
        var byRider: [String: [Int]] = [:]
        for (i, leg) in legs.enumerated() { byRider[leg.rider, default: []].append(i) }
        var knowable = Set<Int>()
        for (_, list) in byRider where list.count >= 2 {
            let sorted = list.sorted { (legs[$0].boardTime, $0) < (legs[$1].boardTime, $1) }
            for (k, i) in sorted.enumerated() {
                let next = legs[sorted[(k + 1) % sorted.count]]
                guard let a = stopPlace[legs[i].alightStop], let b = stopPlace[next.boardStop] else { continue }
                if Geo.haversine(lat1: a.0, lon1: a.1, lat2: b.0, lon2: b.1) <= 400 { knowable.insert(i) }
            }
        }
        m.knowable = knowable.count
        for (i, leg) in legs.enumerated() {
            let o = inference.outcomes[i]
            if o.trip < 0 || inference.tripID(o.trip) != leg.trip || inference.call(at: o.boardPosition)?.sequence != leg.boardSequence {
                m.wrongTrip.append("\(leg.rider) \(leg.trip)@\(leg.boardSequence): matched \(o.trip >= 0 ? inference.tripID(o.trip) : "-") (\(o.reason?.rawValue ?? "")) seq \(inference.call(at: o.boardPosition)?.sequence ?? -1)")
            }
            guard knowable.contains(i), o.alightPosition >= 0, let alight = inference.call(at: o.alightPosition) else { continue }
            m.inferred += 1
            let sameTrip = inference.tripID(o.trip) == leg.trip
            if sameTrip && alight.sequence == leg.alightSequence { m.exact += 1 }
            // The true alighting's position: walk the trip's calls from the boarding.
            var truth: Int32?
            var p = o.boardPosition
            var last = Int32.min
            while let call = inference.call(at: p), call.sequence > last {
                if call.sequence == leg.alightSequence { truth = p; break }
                last = call.sequence
                p += 1
            }
            if sameTrip, let truth, abs(truth - o.alightPosition) <= 1 { m.withinOne += 1 }
        }
        if inference.tripCounts.isEmpty { m.countFailures.append("no trip counted") }
        for t in inference.tripCounts {
            let boardings = t.boardings.reduce(0, +), alightings = t.alightings.reduce(0, +)
            if t.loads.contains(where: { $0 < 0 }) || t.loads.last != 0 || boardings != alightings {
                m.countFailures.append("\(inference.tripID(t.trip)): boardings \(t.boardings) alightings \(t.alightings) loads \(t.loads)")
            }
        }
        return m
    }

    @Test("each service date: ≥ 90 % of knowable alightings inferred, ≥ 90 % exactly right, ≥ 95 % within one stop; trips right; loads conservative")
    func sampleRiderTrips() throws {
        let loaded = try #require(SampleCity.loaded)
        let agency = try Self.records("agency.txt")
        #expect(agency.first?["agency_timezone"] == "America/Chicago")
        var routeOfTrip: [String: String] = [:]
        for r in try Self.records("trips.txt") { routeOfTrip[r["trip_id"] ?? ""] = r["route_id"] }
        var stopPlace: [String: (Double, Double)] = [:]
        for r in try Self.records("stops.txt") {
            if let la = Double(r["stop_lat"] ?? ""), let lo = Double(r["stop_lon"] ?? "") { stopPlace[r["stop_id"] ?? ""] = (la, lo) }
        }
        var byDate: [Int32: [Leg]] = [:]
        for r in try Self.records("rider_trip.txt") {
            let date = try #require(Int32(r["service_date"] ?? ""))
            let leg = Leg(rider: r["rider_id"] ?? "", trip: r["trip_id"] ?? "", boardStop: r["boarding_stop_id"] ?? "",
                          boardSequence: try #require(Int32(r["boarding_stop_sequence"] ?? "")),
                          alightStop: r["alighting_stop_id"] ?? "", alightSequence: try #require(Int32(r["alighting_stop_sequence"] ?? "")),
                          boardTime: try #require(Self.seconds(r["boarding_time"] ?? "")))
            byDate[date, default: []].append(leg)
        }
        #expect(byDate.count == 3)
        for (yyyymmdd, legs) in byDate.sorted(by: { $0.key < $1.key }) {
            let date = try #require(GTFSDate(yyyymmdd: yyyymmdd))
            let m = try Self.measure(date: date, legs: legs, feed: loaded.feed, routeOfTrip: routeOfTrip, stopPlace: stopPlace)
            let inferredShare = Double(m.inferred) / Double(max(1, m.knowable))
            let exactShare = Double(m.exact) / Double(max(1, m.inferred))
            let withinShare = Double(m.withinOne) / Double(max(1, m.inferred))
            print(String(format: "tap inference %d: %d taps, %d knowable alightings, %d inferred (%.1f%%), %d exactly right (%.1f%%), %d within one stop (%.1f%%)",
                         Int(yyyymmdd), m.taps, m.knowable, m.inferred, inferredShare * 100, m.exact, exactShare * 100, m.withinOne, withinShare * 100))
            #expect(m.knowable > legs.count / 2, "\(yyyymmdd): too few knowable alightings to measure")
            #expect(inferredShare >= 0.90, "\(yyyymmdd): \(m.inferred) of \(m.knowable) knowable alightings inferred")
            #expect(exactShare >= 0.90, "\(yyyymmdd): \(m.exact) of \(m.inferred) exactly right")
            #expect(withinShare >= 0.95, "\(yyyymmdd): \(m.withinOne) of \(m.inferred) within one stop")
            #expect(m.wrongTrip.isEmpty, "\(yyyymmdd): \(m.wrongTrip.count) taps matched to the wrong trip or call: \(m.wrongTrip.prefix(5))")
            #expect(m.countFailures.isEmpty, "\(yyyymmdd): \(m.countFailures.count) trips with bad counts: \(m.countFailures.prefix(3))")
        }
    }
}
