/// The rules about dates: which services have expired, whether the feed covers the coming
/// week, when `feed_info.txt` says it ends, and calendars that can never run.
///
/// Every rule that compares with today uses ``ReadOptions/today`` (`--today`), so a report is
/// repeatable; without it they are skipped. Semantics follow MobilityData's canonical
/// validator (`ExpiredCalendarValidator`, `DateTripsValidator` with `TripCalendarUtil`,
/// `FeedExpirationDateValidator`, `ServiceHasNoActiveDayOfTheWeekValidator`).
enum DateRules {
    static func validate(_ feed: Feed, services: ServiceDays, options: ReadOptions, unparsable: Set<String>,
                         into report: inout ValidationReport) {
        let calendarsWhole = unparsable.isDisjoint(with: ["calendar.txt", "calendar_dates.txt"])
        let tripsWhole = calendarsWhole && unparsable.isDisjoint(with: ["trips.txt", "frequencies.txt"])
        if calendarsWhole { weekdays(feed, services: services, into: &report) }
        if !unparsable.contains("feed_info.txt") { feedInfoDates(feed, into: &report) }
        guard let today = options.today else { return }
        if calendarsWhole { expired(feed, services: services, today: today, into: &report) }
        if tripsWhole { coverage(feed, services: services, today: today, into: &report) }
        if !unparsable.contains("feed_info.txt") { feedExpiration(feed, today: today, into: &report) }
    }

    // MARK: Calendars that never run

    /// `service_has_no_active_day_of_the_week`: a calendar row with all seven days 0.
    /// `service_never_active`: a service with no date at all once calendar_dates.txt is applied.
    static func weekdays(_ feed: Feed, services: ServiceDays, into report: inout ValidationReport) {
        guard let t = feed.table("calendar.txt") else { return }
        let c = feed.calendars
        let ids = feed.ids(.service)
        for r in 0..<c.count {
            let name = c.service[r] >= 0 && Int(c.service[r]) < ids.count ? ids[Int(c.service[r])] : ""
            if c.days.allSatisfy({ r < $0.count && $0[r] != 1 }) {
                report.add(Finding(.warning, "service_has_no_active_day_of_the_week", file: t.name, line: FeedValidator.lineOf(t, r),
                                   field: "service_id", value: name,
                                   message: "service '\(name)' runs on no day of the week; set at least one of monday … sunday to 1, or define it in calendar_dates.txt only"))
            }
            let s = c.service[r]
            if s >= 0, Int(s) < services.dates.count, services.dates[Int(s)].isEmpty, services.firstCalendarRow[Int(s)] == Int32(r) {
                report.add(Finding(.warning, "service_never_active", file: t.name, line: FeedValidator.lineOf(t, r),
                                   field: "service_id", value: name,
                                   message: "service '\(name)' has no day of service at all; trips using it never run"))
            }
        }
    }

    // MARK: Expired services

    /// `expired_calendar`: one per service whose last day of service is before today, on the
    /// service's calendar.txt row (or its first calendar_dates.txt row when it has none).
    static func expired(_ feed: Feed, services: ServiceDays, today: GTFSDate, into report: inout ValidationReport) {
        let now = today.daysSinceEpoch
        let ids = feed.ids(.service)
        let calendar = feed.table("calendar.txt"), exceptions = feed.table("calendar_dates.txt")
        for s in 0..<services.dates.count {
            guard let last = services.dates[s].last, last < now else { continue }
            let name = s < ids.count ? ids[s] : ""
            let lastDay = GTFSDate(daysSinceEpoch: last).iso8601
            if services.firstCalendarRow[s] >= 0, let t = calendar {
                report.add(Finding(.warning, "expired_calendar", file: t.name, line: FeedValidator.lineOf(t, Int(services.firstCalendarRow[s])),
                                   field: "service_id", value: name,
                                   message: "service '\(name)' last runs on \(lastDay), before \(today.iso8601); remove it or publish current dates"))
            } else if services.firstExceptionRow[s] >= 0, let t = exceptions {
                report.add(Finding(.warning, "expired_calendar", file: t.name, line: FeedValidator.lineOf(t, Int(services.firstExceptionRow[s])),
                                   field: "service_id", value: name,
                                   message: "service '\(name)' last runs on \(lastDay), before \(today.iso8601); remove it or publish current dates"))
            }
        }
    }

    // MARK: Coverage of the coming week

    /// `trip_coverage_not_active_for_next7_days`: the span of days on which most trips run
    /// (trip count at least 75 % of a robust maximum) starts after today or ends within 7 days.
    static func coverage(_ feed: Feed, services: ServiceDays, today: GTFSDate, into report: inout ValidationReport) {
        guard let window = majorityWindow(feed, services: services) else { return }
        let now = today.daysSinceEpoch
        guard window.lowerBound > now || window.upperBound < now + 7 else { return }
        let a = GTFSDate(daysSinceEpoch: window.lowerBound), b = GTFSDate(daysSinceEpoch: window.upperBound)
        report.add(Finding(.warning, "trip_coverage_not_active_for_next7_days", file: "trips.txt",
                           value: "\(a.yyyymmdd)-\(b.yyyymmdd)",
                           message: "most trips run from \(a.iso8601) to \(b.iso8601), which does not cover the 7 days from \(today.iso8601); publish a feed with current service"))
    }

    /// The first and last day (days since 1970-01-01) on which the number of trips reaches
    /// 75 % of the robust maximum: the count at index max(0.9 n, n − 30) of the sorted daily
    /// counts (canonical `TripCalendarUtil.computeMajorityServiceCoverage`). Frequency-based
    /// trips count once per headway in each window.
    static func majorityWindow(_ feed: Feed, services: ServiceDays) -> ClosedRange<Int>? {
        let trips = feed.trips
        guard trips.count > 0 else { return nil }
        // Trips per template: 1, or the departures its frequencies.txt windows make.
        let tripCount = feed.definedCount(.trip)
        var perTrip = [Int](repeating: 1, count: tripCount)
        let f = feed.frequencies
        var hasFrequency = [Bool](repeating: false, count: tripCount)
        for r in 0..<f.count {
            let t = Int(f.trip[r])
            guard t >= 0, t < tripCount else { continue }
            if !hasFrequency[t] { hasFrequency[t] = true; perTrip[t] = 0 }
            var n = 1
            if f.headway[r] > 0, f.headway[r] != Column.missingInteger, f.start[r] >= 0, f.end[r] >= 0 {
                n += max(0, Int(f.end[r]) - Int(f.start[r]) - 1) / Int(f.headway[r])
            }
            perTrip[t] += n
        }
        var perService = [Int](repeating: 0, count: services.dates.count)
        for r in 0..<trips.count {
            let s = Int(trips.service[r]), t = Int(trips.id[r])
            guard s >= 0, s < perService.count else { continue }
            perService[s] += t >= 0 && t < tripCount ? perTrip[t] : 1
        }
        var byDay: [Int: Int] = [:]
        for s in 0..<perService.count where perService[s] > 0 {
            for d in services.dates[s] { byDay[d, default: 0] += perService[s] }
        }
        guard !byDay.isEmpty else { return nil }
        let days = byDay.keys.sorted()
        let counts = byDay.values.sorted()
        let index = min(counts.count - 1, max(Int(Double(counts.count) * 0.9), counts.count - 30))
        let threshold = Int(0.75 * Double(counts[index]))
        var start = days[0], end = days[days.count - 1]
        if let first = days.first(where: { byDay[$0, default: 0] >= threshold }) { start = first }
        if let last = days.last(where: { byDay[$0, default: 0] >= threshold }) { end = last }
        return start...max(start, end)
    }

    // MARK: feed_info.txt

    /// `feed_expiration_date7_days` / `feed_expiration_date30_days`: feed_end_date is less than
    /// 7 days away (or past), or at most 30 days away.
    static func feedExpiration(_ feed: Feed, today: GTFSDate, into report: inout ValidationReport) {
        guard let t = feed.table("feed_info.txt"), let ends = t.dates("feed_end_date") else { return }
        let now = today.daysSinceEpoch
        for r in 0..<t.rowCount {
            guard ends[r] > 0, let end = GTFSDate(yyyymmdd: ends[r]) else { continue }
            let days = end.daysSinceEpoch
            let code: String
            if days < now + 7 {
                code = "feed_expiration_date7_days"
            } else if days <= now + 30 {
                code = "feed_expiration_date30_days"
            } else {
                continue
            }
            report.add(Finding(.warning, code, file: t.name, line: FeedValidator.lineOf(t, r), field: "feed_end_date",
                               value: String(ends[r]),
                               message: "the feed ends on \(end.iso8601), \(days - now) days after \(today.iso8601); publish a feed valid for at least the next \(code.hasSuffix("7_days") ? 7 : 30) days"))
        }
    }

    /// `missing_feed_info_date`: one of feed_start_date and feed_end_date without the other;
    /// `start_and_end_range_out_of_order`: the end before the start.
    static func feedInfoDates(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("feed_info.txt") else { return }
        let starts = t.datesOrEmpty("feed_start_date"), ends = t.datesOrEmpty("feed_end_date")
        let startColumn = t.column("feed_start_date"), endColumn = t.column("feed_end_date")
        for r in 0..<t.rowCount {
            let hasStart = starts[r] > 0 || startColumn?.unparsed[Int32(r)] != nil
            let hasEnd = ends[r] > 0 || endColumn?.unparsed[Int32(r)] != nil
            if hasStart != hasEnd {
                let missing = hasStart ? "feed_end_date" : "feed_start_date"
                report.add(Finding(.warning, "missing_feed_info_date", file: t.name, line: FeedValidator.lineOf(t, r), field: missing,
                                   message: "feed_info.txt gives one of feed_start_date and feed_end_date; give both or neither"))
            }
            if starts[r] > 0, ends[r] > 0, ends[r] < starts[r] {
                report.add(Finding(.error, "start_and_end_range_out_of_order", file: t.name, line: FeedValidator.lineOf(t, r),
                                   field: "feed_end_date", value: String(ends[r]),
                                   message: "feed_end_date \(ends[r]) is before feed_start_date \(starts[r])"))
            }
        }
    }
}

/// The days each service runs: calendar.txt's weekdays between its dates, plus the dates
/// calendar_dates.txt adds, minus those it removes. Days are counted from 1970-01-01.
struct ServiceDays {
    /// Per service code, its days in ascending order.
    var dates: [[Int]]
    /// Per service code, its first calendar.txt row (-1 when it has none).
    var firstCalendarRow: [Int32]
    /// Per service code, its first calendar_dates.txt row (-1 when it has none).
    var firstExceptionRow: [Int32]

    /// The longest calendar.txt range expanded, in days (100 years): a hostile range such as
    /// 00010101–99991231 costs no more than this.
    static let maximumSpan = 36_600

    init(_ feed: Feed) {
        let n = feed.definedCount(.service)
        firstCalendarRow = [Int32](repeating: -1, count: n)
        firstExceptionRow = [Int32](repeating: -1, count: n)
        // Exceptions first: per service, the days added and removed.
        var added = [[Int]](repeating: [], count: n), removed = [Set<Int>](repeating: [], count: n)
        let x = feed.calendarDates
        for r in 0..<x.count {
            let s = Int(x.service[r])
            guard s >= 0, s < n else { continue }
            if firstExceptionRow[s] < 0 { firstExceptionRow[s] = Int32(r) }
            guard let day = GTFSDate(yyyymmdd: x.date[r]) else { continue }
            switch x.exceptionType[r] {
            case 1: added[s].append(day.daysSinceEpoch)
            case 2: removed[s].insert(day.daysSinceEpoch)
            default: break
            }
        }
        let c = feed.calendars
        var result = [[Int]](repeating: [], count: n)
        for r in 0..<c.count {
            let s = Int(c.service[r])
            guard s >= 0, s < n, firstCalendarRow[s] < 0 else { continue }
            firstCalendarRow[s] = Int32(r)
            guard let a = GTFSDate(yyyymmdd: c.startDate[r]), let b = GTFSDate(yyyymmdd: c.endDate[r]) else { continue }
            let first = a.daysSinceEpoch, last = min(b.daysSinceEpoch, first + Self.maximumSpan)
            guard first <= last else { continue }
            let flags = (0..<7).map { r < c.days[$0].count && c.days[$0][r] == 1 }
            guard flags.contains(true) else { continue }
            var days: [Int] = []
            for d in first...last {
                // 1970-01-01 was a Thursday: weekday index 3 with Monday = 0.
                if flags[((d % 7) + 7 + 3) % 7] { days.append(d) }
            }
            result[s] = days
        }
        for s in 0..<n where !added[s].isEmpty || !removed[s].isEmpty {
            var days = result[s]
            if !added[s].isEmpty { days = Array(Set(days).union(added[s])).sorted() }
            if !removed[s].isEmpty { days.removeAll { removed[s].contains($0) } }
            result[s] = days
        }
        dates = result
    }
}
