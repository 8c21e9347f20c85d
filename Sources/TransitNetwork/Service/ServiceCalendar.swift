public import GTFS

/// Which services, and so which trips, run on a given service date.
///
/// Built once from a feed's `calendar.txt` and `calendar_dates.txt`:
///
/// - A `calendar.txt` row makes its service run on the weekdays flagged `1`, from `start_date`
///   to `end_date` inclusive. A row whose dates are missing or invalid never runs (the
///   validator reports it). When a service has several rows (a `duplicate_key` defect), it runs
///   on a day when any of them says so.
/// - A `calendar_dates.txt` row then overrides that for one date: `exception_type` 1 adds the
///   service, 2 removes it. A feed without `calendar.txt` (WMATA, Metro-North) is described by
///   these additions alone. When a service is both added and removed on the same date
///   (contradictory data), the removal wins. Rows with an invalid date or another exception
///   type are ignored.
///
/// Service codes are `Int32` indices into `feed.ids(.service)`; trip codes index
/// `feed.ids(.trip)`. The value is immutable and `Sendable`: share it between tasks freely.
public struct ServiceCalendar: Sendable {
    /// One `calendar.txt` row that can run: weekday bit mask (bit 0 = Monday) and its range.
    struct Pattern: Sendable {
        var service: Int32
        var weekdays: UInt8
        var start: Int32
        var end: Int32
    }

    /// The number of service codes (the size of ``activeServices(on:)``).
    public let serviceCount: Int
    /// The usable `calendar.txt` rows.
    let patterns: [Pattern]
    /// Per service code, the indices of its rows in ``patterns``.
    let patternsOfService: [[Int32]]
    /// Per date (`YYYYMMDD`), the exceptions: service code and whether it is added.
    let exceptions: [Int32: [(service: Int32, added: Bool)]]
    /// Per `trips.txt` row, its trip code and its service code (-1 when empty).
    let tripCodes: [Int32]
    let tripServices: [Int32]

    /// Builds the calendar of `feed`.
    /// - Complexity: O(calendar rows + calendar_dates rows + trips rows).
    public init(feed: Feed) {
        let serviceCount = feed.ids(.service).count
        self.serviceCount = serviceCount
        let c = feed.calendars
        var patterns: [Pattern] = []
        var byService = [[Int32]](repeating: [], count: serviceCount)
        for row in 0..<c.count {
            let s = c.service[row]
            guard s >= 0, Int(s) < serviceCount,
                  GTFSDate(yyyymmdd: c.startDate[row]) != nil, GTFSDate(yyyymmdd: c.endDate[row]) != nil,
                  c.startDate[row] <= c.endDate[row] else { continue }
            var mask: UInt8 = 0
            for day in 0..<min(7, c.days.count) where c.days[day][row] == 1 { mask |= 1 << UInt8(day) }
            guard mask != 0 else { continue }
            byService[Int(s)].append(Int32(patterns.count))
            patterns.append(Pattern(service: s, weekdays: mask, start: c.startDate[row], end: c.endDate[row]))
        }
        self.patterns = patterns
        self.patternsOfService = byService

        let d = feed.calendarDates
        var exceptions: [Int32: [(service: Int32, added: Bool)]] = [:]
        for row in 0..<d.count {
            let s = d.service[row], type = d.exceptionType[row]
            guard s >= 0, Int(s) < serviceCount, type == 1 || type == 2,
                  GTFSDate(yyyymmdd: d.date[row]) != nil else { continue }
            exceptions[d.date[row], default: []].append((s, type == 1))
        }
        self.exceptions = exceptions

        let t = feed.trips
        self.tripCodes = t.id
        self.tripServices = t.service
    }

    /// Whether service code `service` runs on `date`; `false` for an unknown code.
    /// - Complexity: O(rows of that service + exceptions on that date).
    public func isActive(service: Int32, on date: GTFSDate) -> Bool {
        guard service >= 0, Int(service) < serviceCount else { return false }
        var removed = false, added = false
        for e in exceptions[date.yyyymmdd] ?? [] where e.service == service {
            if e.added { added = true } else { removed = true }
        }
        if removed { return false }
        if added { return true }
        return runsByCalendar(Int(service), date)
    }

    /// Per service code (index), whether it runs on `date`. The array has one entry per
    /// identifier of `feed.ids(.service)`.
    /// - Complexity: O(services + calendar rows + exceptions on that date).
    public func activeServices(on date: GTFSDate) -> [Bool] {
        var active = [Bool](repeating: false, count: serviceCount)
        let bit = UInt8(1) << UInt8(date.weekday)
        let day = date.yyyymmdd
        for p in patterns where p.weekdays & bit != 0 && p.start <= day && day <= p.end {
            active[Int(p.service)] = true
        }
        if let list = exceptions[day] {
            for e in list where e.added { active[Int(e.service)] = true }
            for e in list where !e.added { active[Int(e.service)] = false } // removal wins
        }
        return active
    }

    /// The codes of the trips whose service runs on `date`, ascending and without repeats.
    /// Trips with an empty or unknown `service_id` never run.
    /// - Complexity: O(trips) plus a sort when `trips.txt` is not in code order.
    public func runningTrips(on date: GTFSDate) -> [Int32] {
        let active = activeServices(on: date)
        var out: [Int32] = []
        var sorted = true
        for row in 0..<tripCodes.count {
            let s = tripServices[row], t = tripCodes[row]
            guard t >= 0, s >= 0, Int(s) < active.count, active[Int(s)] else { continue }
            if let last = out.last, t <= last {
                if t == last { continue }
                sorted = false
            }
            out.append(t)
        }
        if !sorted {
            out.sort()
            var unique: [Int32] = []
            unique.reserveCapacity(out.count)
            for t in out where unique.last != t { unique.append(t) }
            out = unique
        }
        return out
    }

    /// Whether the service's `calendar.txt` rows alone make it run on `date`.
    private func runsByCalendar(_ service: Int, _ date: GTFSDate) -> Bool {
        let bit = UInt8(1) << UInt8(date.weekday)
        let day = date.yyyymmdd
        for i in patternsOfService[service] {
            let p = patterns[Int(i)]
            if p.weekdays & bit != 0 && p.start <= day && day <= p.end { return true }
        }
        return false
    }
}
