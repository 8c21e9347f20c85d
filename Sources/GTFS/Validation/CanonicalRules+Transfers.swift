#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// transfers.txt: `transfer_with_invalid_stop_location_type`, `transfer_with_invalid_trip_and_route`,
/// `transfer_with_invalid_trip_and_stop`, `transfer_with_suspicious_mid_trip_in_seat`,
/// `transfer_distance_too_large`, `transfer_distance_above_2_km`, and `missing_required_field`
/// for an empty `from_stop_id` or `to_stop_id` where the transfer type needs it.
extension CanonicalRules {
    /// Beyond this distance (km) between the two stops a transfer is reported as a warning.
    static let transferWarningKm = 10.0
    /// Beyond this distance (km), and up to the warning one, as an info.
    static let transferInfoKm = 2.0

    static func transfers(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("transfers.txt"), whole.table("stops.txt") != nil else { return }
        let feed = whole.feed
        let x = feed.transfers, s = feed.stops
        let stopCount = feed.ids(.stop).count
        let rowOfStop = FeedValidator.rowsByCode(s.id, count: stopCount)
        func stopRow(_ code: Int32) -> Int? {
            guard code >= 0, Int(code) < rowOfStop.count, rowOfStop[Int(code)] >= 0 else { return nil }
            return Int(rowOfStop[Int(code)])
        }
        let fromTrip = t.codesOrEmpty("from_trip_id"), toTrip = t.codesOrEmpty("to_trip_id")
        let fromRoute = t.codesOrEmpty("from_route_id"), toRoute = t.codesOrEmpty("to_route_id")
        let trips = feed.trips
        let tripCount = feed.definedCount(.trip)
        var routeOfTrip = [Int32](repeating: -1, count: tripCount)
        for r in 0..<trips.count where trips.id[r] >= 0 && Int(trips.id[r]) < tripCount && routeOfTrip[Int(trips.id[r])] < 0 {
            routeOfTrip[Int(trips.id[r])] = trips.route[r]
        }
        let st = feed.stopTimes, index = feed.stopTimeIndex
        let stopTimesWhole = whole.table("stop_times.txt") != nil
        /// Whether stop time row `row` serves `stop` (itself, or a platform of station `stop`).
        func serves(_ row: Int32, _ stop: Int32) -> Bool {
            let at = st.stop[Int(row)]
            if at == stop { return true }
            guard let r = stopRow(at) else { return false }
            return s.parentStation[r] == stop
        }
        let givenType = t.integersOr("transfer_type")
        for r in 0..<x.count {
            // Types 0–3 join stops, so both stop ids are required; the in-seat types (4, 5) join
            // trips and may leave them empty. A row with an empty type is left alone, as gtfs-guru does.
            if givenType[r] >= 0, givenType[r] <= 3 {
                for (code, field) in [(x.fromStop[r], "from_stop_id"), (x.toStop[r], "to_stop_id")] where code < 0 {
                    report.add(Finding(.error, "missing_required_field", file: t.name, line: line(t, r), field: field,
                                       message: "\(field) is required for transfer_type \(givenType[r]); name the stop or station, or use transfer_type 4 or 5 for an in-seat transfer between trips"))
                }
            }
            let sides: [(stop: Int32, trip: Int32, route: Int32, prefix: String)] = [
                (x.fromStop[r], fromTrip[r], fromRoute[r], "from"), (x.toStop[r], toTrip[r], toRoute[r], "to"),
            ]
            for side in sides {
                let stopField = "\(side.prefix)_stop_id", tripField = "\(side.prefix)_trip_id"
                // Stops and stations; in-seat transfers (types 4 and 5) stops only.
                var validLocation = true
                if let sr = stopRow(side.stop), s.locationType[sr] != 0 && (s.locationType[sr] != 1 || x.type[r] == 4 || x.type[r] == 5) {
                    validLocation = false
                    let id = name(feed, .stop, side.stop)
                    report.add(Finding(.error, "transfer_with_invalid_stop_location_type", file: t.name, line: line(t, r), field: stopField, value: id,
                                       message: "\(stopField) '\(id)' has location_type \(s.locationType[sr]); a transfer must name a stop, or a station when it is not an in-seat transfer"))
                }
                guard side.trip >= 0, Int(side.trip) < tripCount else { continue }
                let tripName = name(feed, .trip, side.trip)
                let expected = routeOfTrip[Int(side.trip)]
                if side.route >= 0, expected >= 0, side.route != expected {
                    let routeField = "\(side.prefix)_route_id"
                    report.add(Finding(.error, "transfer_with_invalid_trip_and_route", file: t.name, line: line(t, r), field: routeField,
                                       value: name(feed, .route, side.route),
                                       message: "\(tripField) '\(tripName)' belongs to route '\(name(feed, .route, expected))', not to \(routeField) '\(name(feed, .route, side.route))'"))
                }
                guard validLocation, stopTimesWhole, side.stop >= 0, stopRow(side.stop) != nil else { continue }
                let rows = index.rows(ofTrip: side.trip)
                guard let first = rows.first, let last = rows.last else { continue }
                let stopName = name(feed, .stop, side.stop)
                if !rows.contains(where: { serves($0, side.stop) }) {
                    report.add(Finding(.error, "transfer_with_invalid_trip_and_stop", file: t.name, line: line(t, r), field: stopField, value: stopName,
                                       message: "\(tripField) '\(tripName)' does not stop at \(stopField) '\(stopName)'"))
                } else if x.type[r] == 4 || x.type[r] == 5 {
                    // An in-seat transfer leaves a trip at its last stop and joins one at its first.
                    let edge = side.prefix == "from" ? last : first
                    if !serves(edge, side.stop) {
                        report.add(Finding(.warning, "transfer_with_suspicious_mid_trip_in_seat", file: t.name, line: line(t, r), field: stopField, value: stopName,
                                           message: "this in-seat transfer uses \(stopField) '\(stopName)', which is not the \(side.prefix == "from" ? "last" : "first") stop of trip '\(tripName)'"))
                    }
                }
            }
            // Distance between the two stops.
            if let a = stopRow(x.fromStop[r]), let b = stopRow(x.toStop[r]),
               !s.lat[a].isNaN, !s.lon[a].isNaN, !s.lat[b].isNaN, !s.lon[b].isNaN {
                let km = Sphere.distance(s.lat[a], s.lon[a], s.lat[b], s.lon[b]) / 1000
                let text = Sphere.format(km, digits: 2)
                if km > transferWarningKm {
                    report.add(Finding(.warning, "transfer_distance_too_large", file: t.name, line: line(t, r), field: "to_stop_id",
                                       value: name(feed, .stop, x.toStop[r]),
                                       message: "the two stops of this transfer are \(text) km apart, more than \(Int(transferWarningKm)) km; check the stop ids"))
                } else if km > transferInfoKm {
                    report.add(Finding(.info, "transfer_distance_above_2_km", file: t.name, line: line(t, r), field: "to_stop_id",
                                       value: name(feed, .stop, x.toStop[r]),
                                       message: "the two stops of this transfer are \(text) km apart, more than \(Int(transferInfoKm)) km"))
                }
            }
        }
    }
}
