/// Blocks and the calendar spread: `block_trips_with_overlapping_stop_times`,
/// `inconsistent_route_type_for_block_id`, `big_gap_in_service`,
/// `service_extends_far_in_the_future`, `future_calendar`, `future_feed`,
/// `feed_valid_beyond_total_service_window`, `service_window_outside_feed_period`.
extension CanonicalRules {
    // MARK: Blocks

    /// Per block_id, its trips. `inconsistent_route_type_for_block_id`: the trips of a block
    /// belong to routes of several route_types (one notice per block, on its first trip).
    /// `block_trips_with_overlapping_stop_times`: two trips of a block, ordered by first
    /// arrival then last departure, overlap in time (the second starts before the first's last
    /// departure, unless the first's last stop time equals the second's first one, the usual
    /// way of modelling a hand-over) and run on a common service day; one notice per pair, on
    /// the first trip's row.
    static func blocks(_ whole: RecordRules.WholeTables, services: ServiceDays, into report: inout ValidationReport) {
        guard let t = whole.table("trips.txt"), let block = t.strings("block_id") else { return }
        let feed = whole.feed
        let trips = feed.trips
        var rowsOfBlock = [[Int]](repeating: [], count: block.values.count)
        for r in 0..<t.rowCount {
            let b = block.codes[r]
            if b >= 0 && Int(b) < rowsOfBlock.count { rowsOfBlock[Int(b)].append(r) }
        }
        // Route types.
        let routes = feed.routes
        var typeOfRoute = [Int32](repeating: Column.missingInteger, count: feed.ids(.route).count)
        for r in 0..<routes.count where routes.id[r] >= 0 && Int(routes.id[r]) < typeOfRoute.count && typeOfRoute[Int(routes.id[r])] == Column.missingInteger {
            typeOfRoute[Int(routes.id[r])] = routes.type[r]
        }
        if whole.table("routes.txt") != nil {
            for (b, rows) in rowsOfBlock.enumerated() where rows.count > 1 {
                var types: [Int32] = [], routeNames: [String] = []
                for r in rows {
                    let route = trips.route[r]
                    guard route >= 0, Int(route) < typeOfRoute.count, typeOfRoute[Int(route)] != Column.missingInteger else { continue }
                    let type = typeOfRoute[Int(route)]
                    if !types.contains(type) { types.append(type); routeNames.append(name(feed, .route, route)) }
                }
                guard types.count > 1, let first = rows.first else { continue }
                let blockID = block.values[b]
                report.add(Finding(.warning, "inconsistent_route_type_for_block_id", file: t.name, line: line(t, first), field: "block_id", value: blockID,
                                   message: "block '\(blockID)' has trips of routes \(routeNames.joined(separator: ", ")) with route_types \(types.map(String.init).joined(separator: ", ")); one vehicle serves a block, so its routes should share a mode"))
            }
        }
        // Overlapping trips.
        guard let stopTimes = whole.table("stop_times.txt"), stopTimes.rowCount > 0,
              whole.unparsable.isDisjoint(with: ["calendar.txt", "calendar_dates.txt"]) else { return }
        let st = feed.stopTimes
        let index = feed.stopTimeIndex
        var intersections: [Int64: Int?] = [:]
        func commonDay(_ a: Int32, _ b: Int32) -> Int? {
            guard a >= 0, b >= 0, Int(a) < services.dates.count, Int(b) < services.dates.count else { return nil }
            let key = Int64(min(a, b)) << 32 | Int64(max(a, b))
            if let known = intersections[key] { return known }
            let x = services.dates[Int(a)], y = services.dates[Int(b)]
            var i = 0, j = 0
            var found: Int?
            while i < x.count && j < y.count {
                if x[i] == y[j] { found = x[i]; break }
                if x[i] < y[j] { i += 1 } else { j += 1 }
            }
            intersections[key] = found
            return found
        }
        struct Interval { let row: Int; let firstArrival, firstDeparture, lastArrival, lastDeparture: Int32 }
        for (b, rows) in rowsOfBlock.enumerated() where rows.count > 1 {
            var intervals: [Interval] = []
            for r in rows {
                let stRows = index.rows(ofTrip: trips.id[r])
                guard let first = stRows.first, let last = stRows.last else { continue }
                let fa = st.arrival[Int(first)], fd = st.departure[Int(first)], la = st.arrival[Int(last)], ld = st.departure[Int(last)]
                guard fa >= 0, fd >= 0, la >= 0, ld >= 0 else { continue }
                intervals.append(Interval(row: r, firstArrival: fa, firstDeparture: fd, lastArrival: la, lastDeparture: ld))
            }
            intervals.sort { $0.firstArrival != $1.firstArrival ? $0.firstArrival < $1.firstArrival : ($0.lastDeparture != $1.lastDeparture ? $0.lastDeparture < $1.lastDeparture : $0.row < $1.row) }
            for i in 0..<intervals.count {
                let a = intervals[i]
                for j in (i + 1)..<max(i + 1, intervals.count) {
                    let c = intervals[j]
                    if a.lastDeparture <= c.firstArrival { break }
                    if a.lastArrival == c.firstArrival && a.lastDeparture == c.firstDeparture { continue }
                    guard let day = commonDay(trips.service[a.row], trips.service[c.row]) else { continue }
                    let tripA = name(feed, .trip, trips.id[a.row]), tripB = name(feed, .trip, trips.id[c.row])
                    let date = GTFSDate(daysSinceEpoch: day).iso8601
                    report.add(Finding(.error, "block_trips_with_overlapping_stop_times", file: t.name, line: line(t, a.row), field: "block_id",
                                       value: block.values[b],
                                       message: "trips '\(tripA)' and '\(tripB)' (line \(line(t, c.row) ?? 0)) of block '\(block.values[b])' overlap in time and both run on \(date); one vehicle cannot serve both"))
                }
            }
        }
    }

    // MARK: Service spread

    /// The most days a service's last day may lie after today.
    static let maxFutureExtentDays = 2 * 365
    /// The longest run of days without service a service may have.
    static let maxGapDays = 13
    /// How far the feed_info.txt period may reach beyond the total service window.
    static let feedWindowSlackDays = 14

    /// The calendar spread rules, all info-level except none: see the type's summary.
    static func serviceSpread(_ whole: RecordRules.WholeTables, services: ServiceDays, options: ReadOptions,
                              into report: inout ValidationReport) {
        guard whole.unparsable.isDisjoint(with: ["calendar.txt", "calendar_dates.txt"]) else { return }
        let feed = whole.feed
        let today = options.today?.daysSinceEpoch
        // Per calendar.txt service: gaps, and an end far in the future.
        if let t = feed.table("calendar.txt") {
            let c = feed.calendars
            var done = Set<Int32>()
            for r in 0..<c.count {
                let s = c.service[r]
                guard s >= 0, Int(s) < services.dates.count, done.insert(s).inserted else { continue }
                let days = services.dates[Int(s)]
                let id = name(feed, .service, s)
                for i in days.indices.dropFirst() where days[i] - days[i - 1] - 1 > maxGapDays {
                    let gap = days[i] - days[i - 1] - 1
                    let a = GTFSDate(daysSinceEpoch: days[i - 1]).iso8601, b = GTFSDate(daysSinceEpoch: days[i]).iso8601
                    report.add(Finding(.info, "big_gap_in_service", file: t.name, line: line(t, r), field: "service_id", value: id,
                                       message: "service '\(id)' runs on \(a) and next on \(b), \(gap) days without service; check that no dates are missing"))
                }
                if let today, let last = days.last, last - today > maxFutureExtentDays {
                    let end = GTFSDate(daysSinceEpoch: last).iso8601
                    report.add(Finding(.info, "service_extends_far_in_the_future", file: t.name, line: line(t, r), field: "end_date", value: id,
                                       message: "service '\(id)' runs until \(end), more than two years ahead; check the end_date"))
                }
            }
        }
        // The total service window of the services trips use.
        guard let trips = whole.table("trips.txt") else { return }
        let used = trips.codesOrEmpty("service_id")
        var seen = Set<Int32>()
        var windows: [(service: Int32, first: Int, last: Int)] = []
        for s in used where s >= 0 && Int(s) < services.dates.count && seen.insert(s).inserted {
            guard let first = services.dates[Int(s)].first, let last = services.dates[Int(s)].last else { continue }
            windows.append((s, first, last))
        }
        let start = windows.map(\.first).min(), end = windows.map(\.last).max()
        if let today, let start, start > today {
            report.add(Finding(.info, "future_calendar", file: feed.table("calendar.txt") != nil ? "calendar.txt" : "calendar_dates.txt",
                               value: GTFSDate(daysSinceEpoch: start).iso8601,
                               message: "no service runs before \(GTFSDate(daysSinceEpoch: start).iso8601), after today; the feed only covers the future"))
        }
        guard let info = whole.table("feed_info.txt"), info.rowCount > 0 else { return }
        let feedStart = info.datesOrEmpty("feed_start_date")[0], feedEnd = info.datesOrEmpty("feed_end_date")[0]
        if let today, let a = GTFSDate(yyyymmdd: feedStart), a.daysSinceEpoch > today {
            report.add(Finding(.info, "future_feed", file: info.name, line: line(info, 0), field: "feed_start_date", value: String(feedStart),
                               message: "feed_start_date \(a.iso8601) is after today; the feed only covers the future"))
        }
        guard let a = GTFSDate(yyyymmdd: feedStart), let b = GTFSDate(yyyymmdd: feedEnd), let start, let end else { return }
        let fa = a.daysSinceEpoch, fb = b.daysSinceEpoch
        for w in windows.sorted(by: { $0.service < $1.service }) {
            let before = max(0, fa - w.first), after = max(0, w.last - fb)
            guard before > 0 || after > 0 else { continue }
            let id = name(feed, .service, w.service)
            report.add(Finding(.info, "service_window_outside_feed_period", file: info.name, line: line(info, 0), field: "feed_end_date", value: id,
                               message: "service '\(id)' runs from \(GTFSDate(daysSinceEpoch: w.first).iso8601) to \(GTFSDate(daysSinceEpoch: w.last).iso8601), \(before) days before feed_start_date and \(after) days after feed_end_date; widen the feed's period"))
        }
        if fa < start - feedWindowSlackDays || fb > end + feedWindowSlackDays {
            report.add(Finding(.info, "feed_valid_beyond_total_service_window", file: info.name, line: line(info, 0), field: "feed_end_date",
                               value: "\(a.iso8601)..\(b.iso8601)",
                               message: "the feed is valid from \(a.iso8601) to \(b.iso8601), but service runs only from \(GTFSDate(daysSinceEpoch: start).iso8601) to \(GTFSDate(daysSinceEpoch: end).iso8601); narrow feed_start_date and feed_end_date"))
        }
    }
}

/// ISO 4217 currency codes: the current ones and some recently withdrawn that consumers still
/// accept (HRK, VEF, ZWL, SLL, MRO, STD, CUC).
enum ISO4217 {
    static let codes: Set<String> = Set("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
    CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
    KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRO MRU MUR MVR MWK MXN MXV MYR MZN
    NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
    SLE SLL SOS SRD SSP STD STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW
    UZS VED VEF VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER
    ZAR ZMW ZWG ZWL
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
}
