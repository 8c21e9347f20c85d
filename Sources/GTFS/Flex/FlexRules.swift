/// The GTFS-Flex rules: `locations.geojson` (read here, see ``LocationsFile``), the Flex columns
/// of stop_times.txt (`location_group_id`, `location_id`, the pickup/drop-off windows and
/// booking rule ids), `booking_rules.txt`, `location_groups.txt` and
/// `location_group_stops.txt`. Codes, triggers and severities are the canonical validator's.
///
/// As in the canonical validator, rules about one row skip rows that reading found defective
/// (see ``rowHasError(_:_:)``), and rules that need several files whole skip when one of them
/// is unparsable (or, for `locations.geojson`, unusable). A feed without Flex data costs one
/// pass over stop_times.txt's stop column.
enum FlexRules {
    static let stopTimes = "stop_times.txt"

    static func validate(_ feed: Feed, options: ReadOptions, unparsable: Set<String>, into report: inout ValidationReport) {
        let locations = feed.extraFiles.first { $0.name == LocationsFile.name }
            .map { LocationsFile(bytes: $0.bytes, maxPerCode: options.maxFindingsPerCode) }
        if let locations { report.merge(locations.report) }
        // Ragged rows, which the canonical validator does not read: per-row rules skip them (the
        // other defects of a row are visible in its table, see `rowHasError`).
        var badLines: [String: Set<Int>] = [:]
        for f in report.findings where f.code == "invalid_row_length" {
            if let file = f.file, let line = f.line, unparsable.contains(file) { badLines[file, default: []].insert(line) }
        }
        let whole = Whole(feed: feed, unparsable: unparsable, locations: locations, badLines: badLines)
        stopTimeRows(whole, into: &report)
        bookingRuleIDs(whole, into: &report)
        locationReferences(whole, into: &report)
        geographyIDs(whole, into: &report)
        overlappingZones(whole, into: &report)
        continuousRoutes(whole, into: &report)
        unexpectedStopTimes(whole, into: &report)
        bookingRules(whole, into: &report)
        coordinates(whole, into: &report)
    }

    /// The tables the multi-file rules may use: `nil` for an unparsable one.
    struct Whole {
        let feed: Feed
        let unparsable: Set<String>
        /// `locations.geojson` as read, `nil` when the feed has none.
        let locations: LocationsFile?
        /// Per unparsable file, the lines of its ragged rows.
        let badLines: [String: Set<Int>]

        /// The table `name` when present and parsed whole.
        func table(_ name: String) -> Table? { unparsable.contains(name) ? nil : feed.table(name) }
        /// Whether `name` is absent (an optional file) or parsed whole.
        func usable(_ name: String) -> Bool { !unparsable.contains(name) }
        /// Whether `locations.geojson` is absent or usable.
        var locationsUsable: Bool { locations?.usable ?? true }

        /// Whether row `r` of `t` has a defect from reading (see ``FlexRules/rowHasError(_:_:)``),
        /// or sits on a line reading reported an error on (a ragged row).
        func rowHasError(_ t: Table, _ r: Int) -> Bool {
            if let bad = badLines[t.name], let l = t.line(of: r), bad.contains(l) { return true }
            return FlexRules.rowHasError(t, r)
        }
    }

    static func line(_ t: Table, _ r: Int) -> Int? { FeedValidator.lineOf(t, r) }

    // MARK: Row defects

    /// Whether `t` has every column its schema requires (without one the canonical validator
    /// reads no row of it).
    static func hasRequiredColumns(_ t: Table) -> Bool {
        guard let schema = GTFSSchema.file(t.name) else { return true }
        return schema.fields.allSatisfy { f in
            (f.presence != .required && f.presence != .requiredColumn) || t.column(f.name) != nil
        }
    }

    /// Whether reading found a defect in row `r` of `t`: a value that does not parse, is out of
    /// range or is not of its text form, or an empty required field.
    /// - Complexity: O(columns).
    static func rowHasError(_ t: Table, _ r: Int) -> Bool {
        guard r >= 0, r < t.rowCount else { return true }
        for c in t.columns {
            guard let fs = c.schema else { continue }
            if c.unparsed[Int32(r)] != nil { return true }
            let required = fs.presence == .required
            switch c.data {
            case .strings(let s):
                guard let v = s[r] else {
                    if required { return true }
                    continue
                }
                if TableParser.needsStringCheck(fs.type) {
                    var probe = ValidationReport(maxPerCode: 1)
                    TableParser.checkString(fs, v, file: t.name, line: 0, report: &probe)
                    if probe.errorCount > 0 { return true }
                }
            case .integers(let v):
                if v[r] == Column.missingInteger {
                    if required { return true }
                } else if case .integer(let range) = fs.type, !range.contains(v[r]) {
                    return true
                }
            case .smallIntegers(let v):
                if v[r] == Column.missingSmallInteger {
                    if required { return true }
                } else if case .integer(let range) = fs.type, !range.contains(Int32(v[r])) {
                    return true
                }
            case .reals(let v):
                if v[r].isNaN {
                    if required { return true }
                } else if case .real(let range) = fs.type, !range.contains(v[r]) {
                    return true
                }
            case .times(let v), .dates(let v):
                if v[r] < 0 && required { return true }
            }
        }
        return false
    }

    // MARK: stop_times.txt, row by row

    /// One row's Flex fields.
    struct StopTimeColumns {
        let t: Table
        let stop: [Int32], group: [Int32], location: [Int32]
        let arrival: [Int32], departure: [Int32], start: [Int32], end: [Int32]
        let pickup: [Int32], dropOff: [Int32], pickupRule: [Int32], dropOffRule: [Int32]
        let hasWindowColumn: Bool

        init(_ t: Table) {
            self.t = t
            stop = t.codesOrEmpty("stop_id")
            group = t.codesOrEmpty("location_group_id")
            location = t.codesOrEmpty("location_id")
            arrival = t.timesOrEmpty("arrival_time")
            departure = t.timesOrEmpty("departure_time")
            start = t.timesOrEmpty("start_pickup_drop_off_window")
            end = t.timesOrEmpty("end_pickup_drop_off_window")
            pickup = t.integersOr("pickup_type")
            dropOff = t.integersOr("drop_off_type")
            pickupRule = t.codesOrEmpty("pickup_booking_rule_id")
            dropOffRule = t.codesOrEmpty("drop_off_booking_rule_id")
            hasWindowColumn = t.column("start_pickup_drop_off_window") != nil || t.column("end_pickup_drop_off_window") != nil
        }

        /// `pickup_type` / `drop_off_type` with the default (0) for an empty field.
        func pickupType(_ r: Int) -> Int32 { pickup[r] == Column.missingInteger ? 0 : pickup[r] }
        func dropOffType(_ r: Int) -> Int32 { dropOff[r] == Column.missingInteger ? 0 : dropOff[r] }
        func hasWindow(_ r: Int) -> Bool { start[r] >= 0 || end[r] >= 0 }
    }

    /// The canonical single-row rules of stop_times.txt: which of `stop_id`,
    /// `location_group_id`, `location_id` is given (`missing_required_field`,
    /// `forbidden_geography_id`), `forbidden_shape_dist_traveled`, the pickup/drop-off window
    /// (`forbidden_arrival_or_departure_time`, `missing_pickup_or_drop_off_window`,
    /// `invalid_pickup_drop_off_window`) and the pickup and drop-off types it allows
    /// (`forbidden_pickup_type`, `forbidden_drop_off_type`).
    static func stopTimeRows(_ whole: Whole, into report: inout ValidationReport) {
        let feed = whole.feed
        guard let t = feed.table(stopTimes), hasRequiredColumns(t) else { return }
        let hasGeography = ["stop_id", "location_group_id", "location_id"].contains { t.column($0) != nil }
        let hasFlex = t.column("location_group_id") != nil || t.column("location_id") != nil
        let hasWindowColumn = t.column("start_pickup_drop_off_window") != nil || t.column("end_pickup_drop_off_window") != nil
        if !hasFlex && !hasWindowColumn {
            // Plain GTFS: only an empty stop_id is a defect here.
            guard let stop = t.strings("stop_id")?.codes else { return }
            for r in 0..<t.rowCount where stop[r] < 0 && !whole.rowHasError(t, r) {
                report.add(Finding(.error, "missing_required_field", file: t.name, line: line(t, r), field: "stop_id",
                                   message: "the required field 'stop_id' is empty; a stop time needs a stop (or, with GTFS-Flex, a location group or location)"))
            }
            return
        }
        let c = StopTimeColumns(t)
        let distances = t.column("shape_dist_traveled") != nil && hasFlex ? t.realsOrEmpty("shape_dist_traveled") : nil
        let stopNames = feed.ids(.stop), groupNames = feed.ids(.locationGroup)
        let locationNames = t.strings("location_id")?.values ?? []
        func name(_ names: [String], _ code: Int32) -> String { code >= 0 && Int(code) < names.count ? names[Int(code)] : "" }
        for r in 0..<t.rowCount {
            let given = (c.stop[r] >= 0 ? 1 : 0) + (c.group[r] >= 0 ? 1 : 0) + (c.location[r] >= 0 ? 1 : 0)
            let distance = distances?[r] ?? .nan
            let flexRow = given != 1 || (c.stop[r] < 0 && !distance.isNaN) || c.hasWindow(r)
            guard flexRow, !whole.rowHasError(t, r) else { continue }
            let at = line(t, r)
            if hasGeography && given == 0 {
                report.add(Finding(.error, "missing_required_field", file: t.name, line: at, field: "stop_id",
                                   message: "the stop time gives none of stop_id, location_group_id and location_id; give exactly one"))
            } else if hasGeography && given > 1 {
                let named = [("stop_id", name(stopNames, c.stop[r])), ("location_group_id", name(groupNames, c.group[r])),
                             ("location_id", name(locationNames, c.location[r]))].filter { !$0.1.isEmpty }
                report.add(Finding(.error, "forbidden_geography_id", file: t.name, line: at,
                                   field: named.map(\.0).joined(separator: ","), value: named.map(\.1).joined(separator: ", "),
                                   message: "the stop time gives \(named.map { "\($0.0) '\($0.1)'" }.joined(separator: " and ")); keep only one of stop_id, location_group_id and location_id"))
            }
            if c.stop[r] < 0, c.group[r] >= 0 || c.location[r] >= 0, !distance.isNaN {
                report.add(Finding(.error, "forbidden_shape_dist_traveled", file: t.name, line: at, field: "shape_dist_traveled",
                                   value: formatReal(distance),
                                   message: "shape_dist_traveled is given for a location group or GeoJSON location; give it only for stops, or leave it empty"))
            }
            guard c.hasWindow(r) else { continue }
            windowRules(c, r, at: at, into: &report)
        }
    }

    /// The window and type rules of one stop time that has a pickup/drop-off window.
    static func windowRules(_ c: StopTimeColumns, _ r: Int, at: Int?, into report: inout ValidationReport) {
        let t = c.t
        let window = "\(GTFSTime.format(c.start[r]))–\(GTFSTime.format(c.end[r]))"
        if c.arrival[r] >= 0 || c.departure[r] >= 0 {
            let field = c.arrival[r] >= 0 ? "arrival_time" : "departure_time"
            report.add(Finding(.error, "forbidden_arrival_or_departure_time", file: t.name, line: at, field: field,
                               value: GTFSTime.format(c.arrival[r] >= 0 ? c.arrival[r] : c.departure[r]),
                               message: "a stop time with a pickup/drop-off window cannot have arrival_time or departure_time; remove the times or the window"))
        }
        if c.start[r] < 0 || c.end[r] < 0 {
            let field = c.start[r] < 0 ? "start_pickup_drop_off_window" : "end_pickup_drop_off_window"
            report.add(Finding(.error, "missing_pickup_or_drop_off_window", file: t.name, line: at, field: field,
                               message: "\(field) is empty while the other end of the window is given; give both"))
        } else if c.start[r] >= c.end[r] {
            report.add(Finding(.error, "invalid_pickup_drop_off_window", file: t.name, line: at, field: "end_pickup_drop_off_window",
                               value: GTFSTime.format(c.end[r]),
                               message: "the window \(window) does not end after it starts; end_pickup_drop_off_window must be later than start_pickup_drop_off_window"))
        }
        let pickup = c.pickupType(r), dropOff = c.dropOffType(r)
        if pickup == 0 || pickup == 3 {
            report.add(Finding(.error, "forbidden_pickup_type", file: t.name, line: at, field: "pickup_type", value: String(pickup),
                               message: "pickup_type \(pickup) (\(pickup == 0 ? "regularly scheduled" : "arranged with the driver")) is not allowed with a pickup/drop-off window; use 1 (none) or 2 (phone the agency)"))
        }
        if dropOff == 0 {
            report.add(Finding(.error, "forbidden_drop_off_type", file: t.name, line: at, field: "drop_off_type", value: "0",
                               message: "drop_off_type 0 (regularly scheduled) is not allowed with a pickup/drop-off window; use 1, 2 or 3"))
        }
    }

    /// `missing_pickup_drop_off_booking_rule_id`: `pickup_type` 2 with a window start but no
    /// `pickup_booking_rule_id`, or `drop_off_type` 2 with a window end but no
    /// `drop_off_booking_rule_id` (one finding each).
    static func bookingRuleIDs(_ whole: Whole, into report: inout ValidationReport) {
        guard let t = whole.table(stopTimes), whole.usable("booking_rules.txt"), hasRequiredColumns(t),
              t.column("start_pickup_drop_off_window") != nil || t.column("end_pickup_drop_off_window") != nil else { return }
        let c = StopTimeColumns(t)
        for r in 0..<t.rowCount where c.hasWindow(r) {
            if c.pickup[r] == 2 && c.start[r] >= 0 && c.pickupRule[r] < 0 {
                report.add(Finding(.warning, "missing_pickup_drop_off_booking_rule_id", file: t.name, line: line(t, r), field: "pickup_booking_rule_id",
                                   message: "pickup_type 2 asks riders to book, but no pickup_booking_rule_id says how; add one"))
            }
            if c.dropOff[r] == 2 && c.end[r] >= 0 && c.dropOffRule[r] < 0 {
                report.add(Finding(.warning, "missing_pickup_drop_off_booking_rule_id", file: t.name, line: line(t, r), field: "drop_off_booking_rule_id",
                                   message: "drop_off_type 2 asks riders to book, but no drop_off_booking_rule_id says how; add one"))
            }
        }
    }
}
