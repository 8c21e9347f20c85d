/// More of MobilityData's canonical validator's rules, with its notice codes and semantics:
/// route names (`RouteNameValidator`), agency consistency (`AgencyConsistencyValidator`,
/// `MatchingFeedAndAgencyLangValidator`), URLs shared between agencies, routes and stops,
/// currency codes, identifiers with unusual characters, stations without platforms, trips
/// without stop times, timepoints, frequencies, blocks, and the calendar spread
/// (`ServiceSpreadValidator`, `FeedServiceWindowValidator`).
///
/// Where gtfs-guru 1.0.0 (the reference this package agrees with) differs from the canonical
/// validator, the rule follows gtfs-guru and says so. Text predicates run once per distinct
/// value: string columns are dictionary-encoded.
enum CanonicalRules {
    static func validate(_ feed: Feed, services: ServiceDays, options: ReadOptions, unparsable: Set<String>,
                         into report: inout ValidationReport) {
        let whole = RecordRules.WholeTables(feed: feed, unparsable: unparsable)
        routeNames(whole, into: &report)
        agencies(whole, into: &report)
        urls(whole, into: &report)
        currencies(feed, into: &report)
        identifiers(feed, into: &report)
        stations(whole, into: &report)
        unusedTrips(whole, into: &report)
        timepoints(feed, into: &report)
        overlappingFrequencies(whole, into: &report)
        transfers(whole, into: &report)
        FeedValidator.traced("blocks") { blocks(whole, services: services, into: &report) }
        FeedValidator.traced("service spread") { serviceSpread(whole, services: services, options: options, into: &report) }
    }

    static func line(_ t: Table, _ r: Int) -> Int? { FeedValidator.lineOf(t, r) }

    /// The identifier of `code` in `space`, or "" for an unknown code.
    static func name(_ feed: Feed, _ space: IDSpace, _ code: Int32) -> String {
        let ids = feed.ids(space)
        return code >= 0 && Int(code) < ids.count ? ids[Int(code)] : ""
    }

    // MARK: Routes

    /// The longest `route_short_name` the best practices recommend.
    static let maxShortNameLength = 12

    /// `route_short_name_too_long`, `route_long_name_contains_short_name` (the long name starts
    /// with the short one, ignoring case, followed by nothing, or by an optional white space and
    /// then a white space, `-`, `(` or `)`), `same_name_and_description_for_route` (route_desc
    /// repeats a name, ignoring case; the short name is checked first and one notice is enough).
    static func routeNames(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("routes.txt") else { return }
        let short = t.strings("route_short_name"), long = t.strings("route_long_name"), desc = t.strings("route_desc")
        let ids = whole.feed.routes.id
        for r in 0..<t.rowCount {
            let s = short?[r], l = long?[r]
            let route = name(whole.feed, .route, ids[r])
            if let s, s.count > maxShortNameLength {
                report.add(Finding(.warning, "route_short_name_too_long", file: t.name, line: line(t, r), field: "route_short_name", value: s,
                                   message: "route_short_name '\(s)' has \(s.count) characters; keep it to \(maxShortNameLength) or fewer and put longer text in route_long_name"))
            }
            if let s, let l, longNameRepeats(short: s, long: l) {
                report.add(Finding(.warning, "route_long_name_contains_short_name", file: t.name, line: line(t, r), field: "route_long_name", value: l,
                                   message: "route_long_name '\(l)' starts with route_short_name '\(s)'; apps show both, so drop the short name from the long one"))
            }
            if let d = desc?[r] {
                let lower = d.lowercased()
                let field: String? = s.map { $0.lowercased() == lower } == true ? "route_short_name"
                    : (l.map { $0.lowercased() == lower } == true ? "route_long_name" : nil)
                if let field {
                    report.add(Finding(.warning, "same_name_and_description_for_route", file: t.name, line: line(t, r), field: "route_desc", value: d,
                                       message: "route_desc of route '\(route)' repeats its \(field); describe the route (where it goes, when it runs) or leave route_desc empty"))
                }
            }
        }
    }

    /// Whether `long` begins with `short` (ignoring case) followed by nothing or a separator.
    static func longNameRepeats(short: String, long: String) -> Bool {
        let s = Array(short.lowercased().unicodeScalars), l = Array(long.lowercased().unicodeScalars)
        guard l.count >= s.count, Array(l[0..<s.count]) == s else { return false }
        // Nothing follows, or (an optional white space and then) a white space, -, ( or ).
        guard s.count < l.count else { return true }
        let next = l[s.count]
        return next.properties.isWhitespace || next == "-" || next == "(" || next == ")"
    }

    // MARK: Agencies

    /// `inconsistent_agency_timezone` (several agencies, one with another agency_timezone than
    /// the first), `inconsistent_agency_lang` (agency_lang, ignoring case, differs from the first
    /// one given) and `feed_info_lang_and_agency_lang_mismatch` (agency_lang differs from
    /// feed_lang, unless feed_lang is `mul`). gtfs-guru reports the last one on the feed_info.txt
    /// row; so do we, naming the agency in the message.
    static func agencies(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("agency.txt"), t.rowCount > 0 else { return }
        let zones = t.strings("agency_timezone"), langs = t.strings("agency_lang"), names = t.strings("agency_name")
        if t.rowCount > 1, let zones, let expected = zones[0] {
            for r in 1..<t.rowCount {
                guard let actual = zones[r], actual != expected else { continue }
                report.add(Finding(.error, "inconsistent_agency_timezone", file: t.name, line: line(t, r), field: "agency_timezone", value: actual,
                                   message: "agency_timezone '\(actual)' differs from '\(expected)' of the first agency; all agencies of a feed must share one time zone"))
            }
        }
        guard let langs else { return }
        var common: String?
        for r in 0..<t.rowCount {
            guard let v = langs[r]?.lowercased() else { continue }
            if let expected = common {
                if v != expected {
                    report.add(Finding(.warning, "inconsistent_agency_lang", file: t.name, line: line(t, r), field: "agency_lang", value: v,
                                       message: "agency_lang '\(v)' differs from '\(expected)' of an earlier agency; give all agencies the same language"))
                }
            } else {
                common = v
            }
        }
        guard let info = whole.table("feed_info.txt"), info.rowCount > 0, let feedLang = info.strings("feed_lang")?[0]?.lowercased(),
              feedLang != "mul" else { return }
        for r in 0..<t.rowCount {
            guard let raw = langs[r], raw.lowercased() != feedLang else { continue }
            let agency = names?[r] ?? ""
            report.add(Finding(.warning, "feed_info_lang_and_agency_lang_mismatch", file: info.name, line: line(info, 0), field: "feed_lang", value: raw,
                               message: "feed_lang '\(feedLang)' differs from agency_lang '\(raw)' of agency '\(agency)' (agency.txt line \(line(t, r) ?? 0)); make them match, or set feed_lang to 'mul' for a multilingual feed"))
        }
    }

    // MARK: URLs

    /// `same_route_and_agency_url`, `same_stop_and_agency_url`, `same_stop_and_route_url`: a
    /// route or stop page that is only the agency's (or the route's) page. Reported, as the
    /// reference does, on the row of the agency (or route) whose URL is repeated, one notice per
    /// repeating route or stop.
    static func urls(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        let feed = whole.feed
        /// The rows of `t` per URL of column `field`.
        func rowsByURL(_ t: Table?, _ field: String) -> [String: [Int]] {
            guard let t, let c = t.strings(field) else { return [:] }
            var m: [String: [Int]] = [:]
            for r in 0..<t.rowCount { if let v = c[r] { m[v, default: []].append(r) } }
            return m
        }
        let agencyTable = whole.table("agency.txt"), routeTable = whole.table("routes.txt"), stopTable = whole.table("stops.txt")
        let agencyURLs = rowsByURL(agencyTable, "agency_url")
        let routeURLs = rowsByURL(routeTable, "route_url")
        let agencyNames = agencyTable?.strings("agency_name")
        if let routes = routeTable, let agencies = agencyTable, let urls = routes.strings("route_url") {
            let ids = feed.routes.id
            for r in 0..<routes.rowCount {
                guard let u = urls[r], let rows = agencyURLs[u] else { continue }
                for a in rows {
                    report.add(Finding(.warning, "same_route_and_agency_url", file: agencies.name, line: line(agencies, a), field: "agency_url", value: u,
                                       message: "route '\(name(feed, .route, ids[r]))' (routes.txt line \(line(routes, r) ?? 0)) has route_url '\(u)', the page of agency '\(agencyNames?[a] ?? "")'; link the route's own page or leave route_url empty"))
                }
            }
        }
        guard let stops = stopTable, let urls = stops.strings("stop_url") else { return }
        let ids = feed.stops.id
        let routeIDs = routeTable?.codesOrEmpty("route_id") ?? []
        for r in 0..<stops.rowCount {
            guard let u = urls[r] else { continue }
            let stop = name(feed, .stop, ids[r])
            if let agencies = agencyTable, let rows = agencyURLs[u] {
                for a in rows {
                    report.add(Finding(.warning, "same_stop_and_agency_url", file: agencies.name, line: line(agencies, a), field: "agency_url", value: u,
                                       message: "stop '\(stop)' (stops.txt line \(line(stops, r) ?? 0)) has stop_url '\(u)', the page of agency '\(agencyNames?[a] ?? "")'; link the stop's own page or leave stop_url empty"))
                }
            }
            if let routes = routeTable, let rows = routeURLs[u] {
                for a in rows {
                    let route = a < routeIDs.count ? name(feed, .route, routeIDs[a]) : ""
                    report.add(Finding(.warning, "same_stop_and_route_url", file: routes.name, line: line(routes, a), field: "route_url", value: u,
                                       message: "stop '\(stop)' (stops.txt line \(line(stops, r) ?? 0)) has stop_url '\(u)', the page of route '\(route)'; link the stop's own page or leave stop_url empty"))
                }
            }
        }
    }

    // MARK: Currencies

    /// `invalid_currency`: fare_attributes.txt's currency_type is not an ISO 4217 code
    /// (upper case, as the standard writes them).
    static func currencies(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("fare_attributes.txt"), let c = t.strings("currency_type") else { return }
        let bad = c.values.map { !ISO4217.codes.contains($0) }
        guard bad.contains(true) else { return }
        for (r, code) in c.codes.enumerated() where code >= 0 && Int(code) < bad.count && bad[Int(code)] {
            let v = c.values[Int(code)]
            report.add(Finding(.error, "invalid_currency", file: t.name, line: line(t, r), field: "currency_type", value: v,
                               message: "currency_type '\(v)' is not an ISO 4217 currency code such as USD or EUR"))
        }
    }

    // MARK: Identifiers

    /// Columns whose values are identifiers although this library stores them as plain codes.
    static let identifierColumns: Set<String> = ["block_id", "zone_id", "origin_id", "destination_id", "contains_id", "network_id"]

    /// `non_ascii_or_non_printable_char`: an identifier with a character outside printable
    /// ASCII (space to `~`); such identifiers are easily mistyped or mangled by tools.
    static func identifiers(_ feed: Feed, into report: inout ValidationReport) {
        for t in feed.orderedTables {
            for c in t.columns {
                let isID: Bool
                if case .id? = c.schema?.type { isID = true } else { isID = identifierColumns.contains(c.name) }
                guard isID, case .strings(let s) = c.data else { continue }
                let bad = s.values.map { v in v.utf8.contains { $0 < 0x20 || $0 > 0x7E } }
                guard bad.contains(true) else { continue }
                for (r, code) in s.codes.enumerated() where code >= 0 && Int(code) < bad.count && bad[Int(code)] {
                    let v = s.values[Int(code)]
                    report.add(Finding(.warning, "non_ascii_or_non_printable_char", file: t.name, line: line(t, r), field: c.name, value: v,
                                       message: "\(c.name) '\(v)' has a character that is not printable ASCII; use letters, digits and common punctuation in identifiers"))
                }
            }
        }
    }

    // MARK: Stations

    /// `unused_station` (info): a station (location_type 1) that no location names as its
    /// parent_station. `platform_without_parent_station` (info): a stop with a platform_code
    /// but no parent_station.
    static func stations(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("stops.txt") else { return }
        let s = whole.feed.stops
        let n = whole.feed.ids(.stop).count
        var isParent = [Bool](repeating: false, count: n)
        for p in s.parentStation where p >= 0 && Int(p) < n { isParent[Int(p)] = true }
        let platformCodes = t.codesOrEmpty("platform_code")
        for r in 0..<s.count {
            let id = s.id[r]
            if s.locationType[r] == 1, id >= 0, Int(id) < n, !isParent[Int(id)] {
                let stop = name(whole.feed, .stop, id)
                report.add(Finding(.info, "unused_station", file: t.name, line: line(t, r), field: "stop_id", value: stop,
                                   message: "station '\(stop)' is the parent_station of no stop; add its platforms or remove it"))
            }
            if s.locationType[r] == 0, s.parentStation[r] < 0, platformCodes[r] >= 0 {
                let stop = name(whole.feed, .stop, id)
                report.add(Finding(.info, "platform_without_parent_station", file: t.name, line: line(t, r), field: "parent_station", value: stop,
                                   message: "stop '\(stop)' has a platform_code but no parent_station; name the station it belongs to"))
            }
        }
    }

    // MARK: Trips

    /// `unused_trip`: a trip that no stop_times.txt row uses.
    static func unusedTrips(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("trips.txt"), whole.table("stop_times.txt") != nil else { return }
        let ids = t.codesOrEmpty("trip_id")
        let index = whole.feed.stopTimeIndex
        for r in 0..<t.rowCount where ids[r] >= 0 && index.rows(ofTrip: ids[r]).isEmpty {
            let trip = name(whole.feed, .trip, ids[r])
            report.add(Finding(.warning, "unused_trip", file: t.name, line: line(t, r), field: "trip_id", value: trip,
                               message: "trip '\(trip)' is used by no row of stop_times.txt; give it stop times or remove it"))
        }
    }

    /// When stop_times.txt has a timepoint column: `missing_timepoint_value` (a row with a time
    /// but no timepoint) and `stop_time_timepoint_without_times` (timepoint 1 without arrival
    /// or departure time; one notice per missing field).
    static func timepoints(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("stop_times.txt"), let tp = t.column("timepoint") else { return }
        let st = feed.stopTimes
        let values = t.integersOr("timepoint")
        let arrivalColumn = t.column("arrival_time"), departureColumn = t.column("departure_time")
        for r in 0..<t.rowCount {
            let hasArrival = st.arrival[r] >= 0 || arrivalColumn?.unparsed[Int32(r)] != nil
            let hasDeparture = st.departure[r] >= 0 || departureColumn?.unparsed[Int32(r)] != nil
            let v = values[r]
            if v == Column.missingInteger, tp.unparsed[Int32(r)] == nil, hasArrival || hasDeparture {
                report.add(Finding(.warning, "missing_timepoint_value", file: t.name, line: line(t, r), field: "timepoint",
                                   message: "this stop time has a time but no timepoint; set timepoint to 1 for exact times or 0 for approximate ones"))
            }
            if v == 1 {
                for (has, field) in [(hasArrival, "arrival_time"), (hasDeparture, "departure_time")] where !has {
                    report.add(Finding(.error, "stop_time_timepoint_without_times", file: t.name, line: line(t, r), field: field,
                                       message: "timepoint is 1 but \(field) is empty; give the time or set timepoint to 0"))
                }
            }
        }
    }

    /// `overlapping_frequency`: two frequencies.txt windows of one trip overlap (in start-time
    /// order, a window starts before the previous one ends).
    static func overlappingFrequencies(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("frequencies.txt") else { return }
        let f = whole.feed.frequencies
        var byTrip: [Int32: [Int]] = [:]
        for r in 0..<f.count where f.trip[r] >= 0 && f.start[r] >= 0 && f.end[r] >= 0 { byTrip[f.trip[r], default: []].append(r) }
        for (trip, rows) in byTrip.sorted(by: { $0.key < $1.key }) where rows.count > 1 {
            let sorted = rows.sorted { f.start[$0] != f.start[$1] ? f.start[$0] < f.start[$1] : $0 < $1 }
            for i in 1..<sorted.count {
                let prev = sorted[i - 1], curr = sorted[i]
                guard f.start[curr] < f.end[prev] else { continue }
                report.add(Finding(.error, "overlapping_frequency", file: t.name, line: line(t, curr), field: "start_time",
                                   value: GTFSTime.format(f.start[curr]),
                                   message: "trip '\(name(whole.feed, .trip, trip))' has a window starting at \(GTFSTime.format(f.start[curr])), before the window of line \(line(t, prev) ?? 0) ends at \(GTFSTime.format(f.end[prev])); windows of one trip must not overlap"))
            }
        }
    }
}
