import Synchronization
import TransitSupport

/// The cross-file rules: required files, references, keys, stop sequences and times, shapes,
/// calendars. Codes are the canonical validator's notice codes.
///
/// Each rule is one pass over flat integer columns; the whole set costs a few passes over
/// `stop_times.txt`.
public enum FeedValidator {
    /// Validates `feed`, adding findings to `report`. `present` names the typed files the
    /// source contained (an absent file and an empty one are different defects);
    /// `unparsable` those in which reading found an error (a ragged row, a value of the wrong
    /// type, a missing required column). As in the canonical validator, the rules that need a
    /// file whole (service dates, trip coverage, rider-facing text) skip an unparsable one, so
    /// one defect is not reported again under other codes.
    public static func validate(_ feed: Feed, present: Set<String>, unparsable: Set<String> = [],
                                options: ReadOptions = ReadOptions(), into report: inout ValidationReport) {
        // The geometric rules (the costliest family) run on a thread of their own beside the
        // rest; their findings are merged after the others', so the report never depends on
        // which finished first.
        let geometry = GeometryResult()
        let limit = report.maxPerCode
        let geometryRules: @Sendable () -> Void = {
            var own = ValidationReport(maxPerCode: limit)
            traced("geometry") { GeometryRules.validate(feed, options: options, into: &own) }
            geometry.report.withLock { $0 = own }
        }
        let oneThread = options.threads.map { $0 <= 1 } ?? false
        let handle: ThreadHandle? = oneThread ? nil : startThread(stackSize: 8 << 20) { _ in geometryRules() }
        traced("files") {
            requiredFiles(feed, present: present, into: &report)
            agencies(feed, into: &report)
        }
        traced("references") { foreignKeys(feed, into: &report) }
        traced("keys") { primaryKeys(feed, into: &report) }
        traced("stops") { stops(feed, into: &report) }
        routes(feed, into: &report)
        traced("stop times") { stopTimes(feed, into: &report) }
        traced("shapes") { shapes(feed, into: &report) }
        calendars(feed, options: options, into: &report)
        frequencies(feed, into: &report)
        let services = ServiceDays(feed) // the days of each service, for the date and block rules
        traced("dates") { DateRules.validate(feed, services: services, options: options, unparsable: unparsable, into: &report) }
        traced("records") { RecordRules.validate(feed, unparsable: unparsable, into: &report) }
        traced("canonical") { CanonicalRules.validate(feed, services: services, options: options, unparsable: unparsable, into: &report) }
        traced("stations") { StationRules.validate(feed, options: options, unparsable: unparsable, into: &report) }
        traced("text") { TextRules.validate(feed, options: options, unparsable: unparsable, into: &report) }
        traced("flex") { FlexRules.validate(feed, options: options, unparsable: unparsable, into: &report) }
        traced("fares") { FareRules.validate(feed, options: options, unparsable: unparsable, into: &report) }
        if let handle { handle.join() } else { geometryRules() }
        if let own = geometry.report.withLock({ $0 }) { report.merge(own) }
    }

    /// The geometric rules' report, handed from their thread to the caller.
    final class GeometryResult: Sendable {
        let report = Mutex<ValidationReport?>(nil)
    }

    /// Runs one family of rules, printing its cost as a `TRANSIT_TRACE` line
    /// (`trace: rules <family> N ms`).
    static func traced(_ family: String, _ body: () -> Void) {
        guard traceEnabled else { return body() }
        let t0 = monotonicSeconds()
        body()
        trace("rules \(family) \(Int((monotonicSeconds() - t0) * 1000)) ms")
    }

    static func lineOf(_ t: Table, _ row: Int) -> Int? { t.line(of: row) }

    // MARK: Files

    static func requiredFiles(_ feed: Feed, present: Set<String>, into report: inout ValidationReport) {
        for name in GTFSSchema.requiredFiles where !present.contains(name) {
            report.add(Finding(.error, "missing_required_file", file: name,
                               message: "the feed has no \(name), which GTFS requires"))
        }
        if !present.contains("calendar.txt") && !present.contains("calendar_dates.txt") {
            report.add(Finding(.error, "missing_calendar_and_calendar_date_files", file: "calendar.txt",
                               message: "the feed has neither calendar.txt nor calendar_dates.txt, so no trip has service days"))
        }
        if !present.contains("feed_info.txt") {
            report.add(Finding(.warning, "missing_recommended_file", file: "feed_info.txt",
                               message: "the feed has no feed_info.txt; add it to say who publishes the feed and for which dates"))
        }
    }

    // MARK: Agencies

    static func agencies(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("agency.txt"), t.rowCount > 1 else { return }
        let ids = t.codesOrEmpty("agency_id")
        for r in 0..<t.rowCount where ids[r] < 0 {
            report.add(Finding(.error, "missing_required_agency_id", file: t.name, line: lineOf(t, r), field: "agency_id",
                               message: "agency_id is required when the feed has several agencies"))
        }
        if let routes = feed.table("routes.txt") {
            let a = routes.codesOrEmpty("agency_id")
            for r in 0..<routes.rowCount where a[r] < 0 {
                report.add(Finding(.error, "missing_required_agency_id", file: routes.name, line: lineOf(routes, r), field: "agency_id",
                                   message: "agency_id is required when the feed has several agencies"))
            }
        }
    }

    // MARK: References

    static func foreignKeys(_ feed: Feed, into report: inout ValidationReport) {
        for t in feed.orderedTables { foreignKeys(of: t, in: feed, into: &report) }
    }

    /// The references of one table (also used for a table read on its own, see
    /// ``FeedReader/loadTable(_:as:into:options:)``).
    static func foreignKeys(of t: Table, in feed: Feed, into report: inout ValidationReport) {
        for c in t.columns {
            guard case .id(let space)? = c.schema?.type, case .strings(let s) = c.data else { continue }
            if space.definingFiles.contains(where: { $0.file == t.name && $0.field == c.name }) { continue }
            // With no defining file that has rows, the references of some spaces are not
            // reported one by one, as the canonical validator does (see the property).
            if !space.referencesCheckedWhenUndefined, !space.definingFiles.contains(where: { (feed.table($0.file)?.rowCount ?? 0) > 0 }) { continue }
            let limit = Int32(feed.definedCount(space))
            let target = space.definingFiles.map(\.file).joined(separator: " or ")
            for (r, code) in s.codes.enumerated() where code >= limit {
                let v = s[r] ?? ""
                report.add(Finding(.error, "foreign_key_violation", file: t.name, line: lineOf(t, r), field: c.name, value: v,
                                   message: "\(c.name) '\(v)' is not defined in \(target)"))
            }
        }
    }

    // MARK: Keys

    static func primaryKeys(_ feed: Feed, into report: inout ValidationReport) {
        for schema in GTFSSchema.files where !schema.primaryKey.isEmpty {
            guard let t = feed.table(schema.name) else { continue }
            let keyColumns = schema.primaryKey.compactMap { t.column($0) }
            // Keys with a missing column are checked on what is there only when the key is one column.
            guard !keyColumns.isEmpty, keyColumns.count == schema.primaryKey.count || schema.name == "transfers.txt" else { continue }
            if schema.name == "stop_times.txt" { continue } // checked with the stop-time index
            let keys = keyColumns.map(keyValues)
            func duplicate(_ r: Int, _ first: Int) {
                let v = keyColumns.map { $0.text(row: r) }.joined(separator: ", ")
                report.add(Finding(.error, "duplicate_key", file: t.name, line: lineOf(t, r),
                                   field: schema.primaryKey.joined(separator: ","), value: v,
                                   message: "the key (\(schema.primaryKey.joined(separator: ", "))) = (\(v)) was already used on line \(lineOf(t, first) ?? 0)"))
            }
            if keys.count <= 2, keys.allSatisfy({ $0.allSatisfy { $0 == Int64.min || ($0 >= Int64(Int32.min) && $0 <= Int64(Int32.max)) } }) {
                // One or two 32-bit columns: pack the key into one integer.
                func packed(_ r: Int) -> Int64 {
                    let a = keys[0][r], b = keys.count == 2 ? keys[1][r] : 0
                    return (a == Int64.min ? Int64(Int32.min) : a) << 32 | ((b == Int64.min ? Int64(Int32.min) : b) & 0xFFFF_FFFF)
                }
                // Keys that rise row after row (a file grouped by its first key, as shapes.txt
                // and calendar_dates.txt usually are: codes follow first appearance) cannot repeat.
                var rising = true
                for r in 1..<max(1, t.rowCount) where packed(r) <= packed(r - 1) { rising = false; break }
                if rising && (keys.count == 2 || !keys[0].contains(Int64.min)) { continue }
                var seen: [Int64: Int] = [:]
                seen.reserveCapacity(t.rowCount)
                for r in 0..<t.rowCount {
                    if keys.count == 1 && keys[0][r] == Int64.min { continue } // empty single key: reported elsewhere
                    let key = packed(r)
                    if let first = seen[key] { duplicate(r, first) } else { seen[key] = r }
                }
            } else {
                var seen: [[Int64]: Int] = [:]
                for r in 0..<t.rowCount {
                    let key = keys.map { $0[r] }
                    if let first = seen[key] { duplicate(r, first) } else { seen[key] = r }
                }
            }
        }
    }

    /// A column's values as comparable integers (string codes, numbers, bit patterns).
    static func keyValues(_ c: Column) -> [Int64] {
        switch c.data {
        case .strings(let s): return s.codes.map { $0 < 0 ? Int64.min : Int64($0) }
        case .integers(let v), .times(let v), .dates(let v):
            return v.map { $0 == Column.missingInteger ? Int64.min : Int64($0) }
        case .smallIntegers(let v):
            return v.map { $0 == Column.missingSmallInteger ? Int64.min : Int64($0) }
        case .reals(let v): return v.map { Int64(bitPattern: $0.bitPattern) }
        }
    }

    // MARK: Stops

    static func stops(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("stops.txt") else { return }
        let s = feed.stops
        let rowOfCode = rowsByCode(s.id, count: feed.ids(.stop).count)
        let names = t.codesOrEmpty("stop_name")
        for r in 0..<s.count {
            let lt = s.locationType[r]
            if lt <= 2 {
                // As the canonical validator: one stop_without_location per row, and missing_stop_name.
                let noLat = s.lat[r].isNaN && t.column("stop_lat")?.unparsed[Int32(r)] == nil
                let noLon = s.lon[r].isNaN && t.column("stop_lon")?.unparsed[Int32(r)] == nil
                if noLat || noLon {
                    report.add(Finding(.error, "stop_without_location", file: t.name, line: lineOf(t, r), field: noLat ? "stop_lat" : "stop_lon",
                                       message: "stop_lat and stop_lon are required for stops, stations and entrances"))
                }
                if names[r] < 0 {
                    report.add(Finding(.error, "missing_stop_name", file: t.name, line: lineOf(t, r), field: "stop_name",
                                       message: "stop_name is required for stops, stations and entrances"))
                }
            }
            let parent = s.parentStation[r]
            if lt == 1, parent >= 0 {
                report.add(Finding(.error, "station_with_parent_station", file: t.name, line: lineOf(t, r), field: "parent_station",
                                   message: "a station (location_type 1) cannot have a parent_station"))
            } else if parent >= 0, Int(parent) < rowOfCode.count, rowOfCode[Int(parent)] >= 0 {
                let pt = s.locationType[Int(rowOfCode[Int(parent)])]
                let expected: Int32 = lt == 4 ? 0 : 1
                if lt != 1, pt != expected {
                    report.add(Finding(.error, "wrong_parent_location_type", file: t.name, line: lineOf(t, r), field: "parent_station",
                                       value: feed.ids(.stop)[Int(parent)],
                                       message: "parent_station '\(feed.ids(.stop)[Int(parent)])' has location_type \(pt); it should be \(expected)"))
                }
            } else if parent < 0, lt == 2 || lt == 3 || lt == 4 {
                report.add(Finding(.error, "location_without_parent_station", file: t.name, line: lineOf(t, r), field: "parent_station",
                                   message: "parent_station is required for location_type \(lt)"))
            }
        }
        // Stops no trip serves.
        let st = feed.stopTimes
        var used = [Bool](repeating: false, count: feed.ids(.stop).count)
        for c in st.stop where c >= 0 && Int(c) < used.count { used[Int(c)] = true }
        FlexRules.markGroupMembers(feed, &used) // stops of location groups that trips serve
        // A station counts as used when one of its platforms is.
        for r in 0..<s.count where s.parentStation[r] >= 0 && Int(s.parentStation[r]) < used.count
            && s.id[r] >= 0 && Int(s.id[r]) < used.count && used[Int(s.id[r])] {
            used[Int(s.parentStation[r])] = true
        }
        if st.count > 0 {
            for r in 0..<s.count where s.locationType[r] == 0 && s.id[r] >= 0 && !used[Int(s.id[r])] {
                report.add(Finding(.warning, "stop_without_stop_time", file: t.name, line: lineOf(t, r), field: "stop_id",
                                   value: feed.ids(.stop)[Int(s.id[r])],
                                   message: "stop '\(feed.ids(.stop)[Int(s.id[r])])' is served by no trip"))
            }
        }
    }

    /// For each code, the first row that declares it (-1 when none does).
    static func rowsByCode(_ ids: [Int32], count: Int) -> [Int32] {
        var rows = [Int32](repeating: -1, count: count)
        for (r, c) in ids.enumerated() where c >= 0 && Int(c) < count && rows[Int(c)] < 0 { rows[Int(c)] = Int32(r) }
        return rows
    }

    // MARK: Routes

    static func routes(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("routes.txt") else { return }
        let short = t.codesOrEmpty("route_short_name"), long = t.codesOrEmpty("route_long_name")
        for r in 0..<t.rowCount where short[r] < 0 && long[r] < 0 {
            report.add(Finding(.error, "route_both_short_and_long_name_missing", file: t.name, line: lineOf(t, r),
                               field: "route_short_name",
                               message: "give the route a route_short_name or a route_long_name"))
        }
    }

    // MARK: Stop times

    static func stopTimes(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("stop_times.txt") else { return }
        let st = feed.stopTimes
        let index = feed.stopTimeIndex
        let tripIDs = feed.ids(.trip)
        let dist = st.shapeDistTraveled
        let tripCount = feed.definedCount(.trip)
        let arrivalColumn = t.column("arrival_time"), departureColumn = t.column("departure_time")
        func line(_ r: Int32) -> Int { lineOf(t, Int(r)) ?? 0 }
        func hasArrival(_ r: Int32) -> Bool { st.arrival[Int(r)] >= 0 || arrivalColumn?.unparsed[r] != nil }
        func hasDeparture(_ r: Int32) -> Bool { st.departure[Int(r)] >= 0 || departureColumn?.unparsed[r] != nil }
        // GTFS-Flex: a stop time with a pickup/drop-off window has no times by design.
        let windowStart = t.times("start_pickup_drop_off_window"), windowEnd = t.times("end_pickup_drop_off_window")
        func hasWindow(_ r: Int32) -> Bool { (windowStart?[Int(r)] ?? -1) >= 0 || (windowEnd?[Int(r)] ?? -1) >= 0 }

        for r in 0..<Int32(st.count) where hasArrival(r) != hasDeparture(r) {
            let field = hasArrival(r) ? "departure_time" : "arrival_time"
            report.add(Finding(.error, "stop_time_with_only_arrival_or_departure_time", file: t.name, line: line(r), field: field,
                               message: "give both arrival_time and departure_time, or neither"))
        }
        var perTrip = TripRules(feed)
        for trip in 0..<Int32(tripCount) {
            let rows = index.rows(ofTrip: trip)
            guard let first = rows.first, let last = rows.last else { continue }
            let name = tripIDs[Int(trip)]
            perTrip.check(trip: trip, name: name, rows: rows, stopTimes: st, table: t, into: &report)
            if rows.count < 2 {
                report.add(Finding(.warning, "unusable_trip", file: t.name, line: line(first), field: "trip_id", value: name,
                                   message: "trip '\(name)' has only one stop time; a trip needs at least two stops"))
            }
            for edge in Set([first, last]) where !(hasArrival(edge) && hasDeparture(edge)) && !hasWindow(edge) {
                report.add(Finding(.error, "missing_trip_edge", file: t.name, line: line(edge), field: hasArrival(edge) ? "departure_time" : "arrival_time",
                                   value: name,
                                   message: "the \(edge == first ? "first" : "last") stop of trip '\(name)' needs both arrival_time and departure_time"))
            }
            var previous: Int32 = -1
            var lastTimed: Int32 = -1
            var lastDist = -Double.infinity
            for r in rows {
                let seq = st.sequence[Int(r)]
                if previous >= 0, st.sequence[Int(previous)] == seq, seq != Column.missingInteger {
                    report.add(Finding(.error, "duplicate_key", file: t.name, line: line(r), field: "trip_id,stop_sequence",
                                       value: "\(name), \(seq)",
                                       message: "trip '\(name)' has stop_sequence \(seq) twice (also line \(line(previous)))"))
                }
                let a = st.arrival[Int(r)], d = st.departure[Int(r)]
                if a >= 0, d >= 0, d < a {
                    report.add(Finding(.error, "stop_time_with_departure_before_arrival_time", file: t.name, line: line(r), field: "departure_time",
                                       value: GTFSTime.format(d),
                                       message: "departure \(GTFSTime.format(d)) is before arrival \(GTFSTime.format(a))"))
                }
                if a >= 0, lastTimed >= 0 {
                    let pd = st.departure[Int(lastTimed)] >= 0 ? st.departure[Int(lastTimed)] : st.arrival[Int(lastTimed)]
                    if a < pd {
                        report.add(Finding(.error, "stop_time_with_arrival_before_previous_departure_time", file: t.name, line: line(r),
                                           field: "arrival_time", value: GTFSTime.format(a),
                                           message: "trip '\(name)' arrives at \(GTFSTime.format(a)), before it left the previous stop at \(GTFSTime.format(pd)) (line \(line(lastTimed))): times go backwards"))
                    }
                }
                if a >= 0 || d >= 0 { lastTimed = r }
                if let dist {
                    let v = dist[Int(r)]
                    if !v.isNaN {
                        if v < lastDist {
                            report.add(Finding(.error, "decreasing_or_equal_stop_time_distance", file: t.name, line: line(r),
                                               field: "shape_dist_traveled", value: formatReal(v),
                                               message: "shape_dist_traveled \(formatReal(v)) is less than at the previous stop (\(formatReal(lastDist)))"))
                        }
                        lastDist = v
                    }
                }
                previous = r
            }
        }
        perTrip.shapeDistances(feed, stopTimes: st, into: &report)
        // Trips with no stop times at all.
        if let trips = feed.table("trips.txt") {
            let ids = trips.codesOrEmpty("trip_id")
            for r in 0..<trips.rowCount where ids[r] >= 0 && index.rows(ofTrip: ids[r]).isEmpty {
                report.add(Finding(.warning, "unusable_trip", file: trips.name, line: lineOf(trips, r), field: "trip_id",
                                   value: tripIDs[Int(ids[r])],
                                   message: "trip '\(tripIDs[Int(ids[r])])' has no stop times"))
            }
        }
    }

    // MARK: Shapes

    static func shapes(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("shapes.txt") else { return }
        let s = feed.shapes
        let ids = feed.ids(.shape)
        if let dist = s.distTraveled {
            // Points of one shape are usually contiguous and ordered; check in sequence order.
            var order = Array(0..<Int32(s.count))
            var ordered = true
            for i in 1..<max(1, s.count) {
                let a = Int(order[i - 1]), b = Int(order[i])
                if s.id[a] > s.id[b] || (s.id[a] == s.id[b] && s.sequence[a] > s.sequence[b]) { ordered = false; break }
            }
            if !ordered {
                order.sort { a, b in
                    s.id[Int(a)] != s.id[Int(b)] ? s.id[Int(a)] < s.id[Int(b)] : s.sequence[Int(a)] < s.sequence[Int(b)]
                }
            }
            var last = -Double.infinity
            var lastShape: Int32 = -2
            for r in order {
                let ri = Int(r)
                if s.id[ri] != lastShape { lastShape = s.id[ri]; last = -Double.infinity }
                let v = dist[ri]
                guard !v.isNaN else { continue }
                if v < last {
                    let name = s.id[ri] >= 0 ? ids[Int(s.id[ri])] : ""
                    report.add(Finding(.error, "decreasing_shape_distance", file: t.name, line: lineOf(t, ri), field: "shape_dist_traveled",
                                       value: formatReal(v),
                                       message: "shape '\(name)' goes back from \(formatReal(last)) to \(formatReal(v))"))
                }
                last = v
            }
        }
        var used = [Bool](repeating: false, count: ids.count)
        for c in feed.trips.shape where c >= 0 && Int(c) < used.count { used[Int(c)] = true }
        var reported = Set<Int32>()
        for r in 0..<s.count where s.id[r] >= 0 && !used[Int(s.id[r])] && !reported.contains(s.id[r]) {
            reported.insert(s.id[r])
            report.add(Finding(.warning, "unused_shape", file: t.name, line: lineOf(t, r), field: "shape_id", value: ids[Int(s.id[r])],
                               message: "shape '\(ids[Int(s.id[r])])' is used by no trip"))
        }
    }

    // MARK: Calendars

    static func calendars(_ feed: Feed, options: ReadOptions, into report: inout ValidationReport) {
        if let t = feed.table("calendar.txt") {
            let c = feed.calendars
            for r in 0..<c.count where c.startDate[r] > 0 && c.endDate[r] > 0 && c.startDate[r] > c.endDate[r] {
                report.add(Finding(.error, "start_and_end_range_out_of_order", file: t.name, line: lineOf(t, r), field: "end_date",
                                   value: String(c.endDate[r]),
                                   message: "end_date \(c.endDate[r]) is before start_date \(c.startDate[r])"))
            }
        }
    }

    // MARK: Frequencies

    static func frequencies(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("frequencies.txt") else { return }
        let f = feed.frequencies
        for r in 0..<f.count where f.start[r] >= 0 && f.end[r] >= 0 && f.end[r] == f.start[r] {
            report.add(Finding(.error, "start_and_end_range_equal", file: t.name, line: lineOf(t, r), field: "end_time",
                               value: GTFSTime.format(f.end[r]),
                               message: "start_time and end_time are both \(GTFSTime.format(f.end[r])); model a single departure as an ordinary trip"))
        }
        for r in 0..<f.count where f.start[r] >= 0 && f.end[r] >= 0 && f.end[r] < f.start[r] {
            report.add(Finding(.error, "start_and_end_time_out_of_order", file: t.name, line: lineOf(t, r), field: "end_time",
                               value: GTFSTime.format(f.end[r]),
                               message: "end_time \(GTFSTime.format(f.end[r])) is not after start_time \(GTFSTime.format(f.start[r]))"))
        }
    }
}
