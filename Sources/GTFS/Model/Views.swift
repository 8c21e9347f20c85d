// Typed views of the files algorithms use most. Each view copies no data: its arrays share
// storage with the table's columns. A column the file lacks reads as all-empty.

extension Table {
    /// Codes of a string column, or `-1` for every row when the column is absent.
    func codesOrEmpty(_ name: String) -> [Int32] {
        strings(name)?.codes ?? [Int32](repeating: -1, count: rowCount)
    }
    /// Integers of a column, or `fallback` for every row when the column is absent.
    func integersOr(_ name: String, _ fallback: Int32 = Column.missingInteger) -> [Int32] {
        integers(name) ?? [Int32](repeating: fallback, count: rowCount)
    }
    /// Reals of a column, or NaN for every row when the column is absent.
    func realsOrEmpty(_ name: String) -> [Double] {
        reals(name) ?? [Double](repeating: .nan, count: rowCount)
    }
    /// Times of a column, or -1 for every row when the column is absent.
    func timesOrEmpty(_ name: String) -> [Int32] {
        times(name) ?? [Int32](repeating: -1, count: rowCount)
    }
    /// Dates of a column, or -1 for every row when the column is absent.
    func datesOrEmpty(_ name: String) -> [Int32] {
        dates(name) ?? [Int32](repeating: -1, count: rowCount)
    }
    static func empty(_ name: String) -> Table {
        Table(name: name, columns: [], rowCount: 0, lines: [])
    }
}

/// `stops.txt`: positions and hierarchy of stops and stations.
public struct Stops: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Stop code (``IDSpace/stop``) per row.
    public let id: [Int32]
    /// Latitude in degrees, NaN where empty.
    public let lat: [Double]
    /// Longitude in degrees, NaN where empty.
    public let lon: [Double]
    /// Location type (0 stop, 1 station, 2 entrance, 3 node, 4 boarding area); 0 where empty.
    public let locationType: [Int32]
    /// Parent station's stop code, -1 where empty.
    public let parentStation: [Int32]
    /// Stop names.
    public let name: StringColumn?
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        id = t.codesOrEmpty("stop_id")
        lat = t.realsOrEmpty("stop_lat")
        lon = t.realsOrEmpty("stop_lon")
        locationType = (t.integers("location_type") ?? [Int32](repeating: 0, count: t.rowCount)).map { $0 == Column.missingInteger ? 0 : $0 }
        parentStation = t.codesOrEmpty("parent_station")
        name = t.strings("stop_name")
    }
}

/// `routes.txt`.
public struct Routes: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Route code per row.
    public let id: [Int32]
    /// Agency code per row, -1 where empty.
    public let agency: [Int32]
    /// Route type (0 tram … 3 bus … extended types up to 1702).
    public let type: [Int32]
    /// Short names.
    public let shortName: StringColumn?
    /// Long names.
    public let longName: StringColumn?
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        id = t.codesOrEmpty("route_id")
        agency = t.codesOrEmpty("agency_id")
        type = t.integersOr("route_type")
        shortName = t.strings("route_short_name")
        longName = t.strings("route_long_name")
    }
}

/// `trips.txt`.
public struct Trips: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Trip code per row.
    public let id: [Int32]
    /// Route code per row.
    public let route: [Int32]
    /// Service code per row.
    public let service: [Int32]
    /// Direction 0/1, ``Column/missingInteger`` where empty.
    public let direction: [Int32]
    /// Shape code per row, -1 where empty.
    public let shape: [Int32]
    /// Block identifiers.
    public let block: StringColumn?
    /// Head signs.
    public let headsign: StringColumn?
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        id = t.codesOrEmpty("trip_id")
        route = t.codesOrEmpty("route_id")
        service = t.codesOrEmpty("service_id")
        direction = t.integersOr("direction_id")
        shape = t.codesOrEmpty("shape_id")
        block = t.strings("block_id")
        headsign = t.strings("trip_headsign")
    }
}

/// `stop_times.txt`: the largest file of most feeds, as flat columns.
public struct StopTimes: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Trip code per row.
    public let trip: [Int32]
    /// Stop code per row.
    public let stop: [Int32]
    /// `stop_sequence` per row.
    public let sequence: [Int32]
    /// Arrival in seconds since service-day midnight, -1 where empty.
    public let arrival: [Int32]
    /// Departure in seconds since service-day midnight, -1 where empty.
    public let departure: [Int32]
    /// `shape_dist_traveled` in the feed's own unit, or `nil` when the column is absent.
    public let shapeDistTraveled: [Double]?
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        trip = t.codesOrEmpty("trip_id")
        stop = t.codesOrEmpty("stop_id")
        sequence = t.integersOr("stop_sequence")
        arrival = t.timesOrEmpty("arrival_time")
        departure = t.timesOrEmpty("departure_time")
        shapeDistTraveled = t.reals("shape_dist_traveled")
    }
}

/// `shapes.txt`.
public struct Shapes: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Shape code per row.
    public let id: [Int32]
    /// Latitude in degrees.
    public let lat: [Double]
    /// Longitude in degrees.
    public let lon: [Double]
    /// `shape_pt_sequence`.
    public let sequence: [Int32]
    /// `shape_dist_traveled`, or `nil` when the column is absent.
    public let distTraveled: [Double]?
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        id = t.codesOrEmpty("shape_id")
        lat = t.realsOrEmpty("shape_pt_lat")
        lon = t.realsOrEmpty("shape_pt_lon")
        sequence = t.integersOr("shape_pt_sequence")
        distTraveled = t.reals("shape_dist_traveled")
    }
}

/// `calendar.txt`.
public struct Calendars: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Service code per row.
    public let service: [Int32]
    /// Per weekday (0 = Monday … 6 = Sunday), the 0/1 flags per row.
    public let days: [[Int32]]
    /// First day of service, `YYYYMMDD`, -1 where invalid.
    public let startDate: [Int32]
    /// Last day of service, `YYYYMMDD`, -1 where invalid.
    public let endDate: [Int32]
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        service = t.codesOrEmpty("service_id")
        days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { t.integersOr($0, 0) }
        startDate = t.datesOrEmpty("start_date")
        endDate = t.datesOrEmpty("end_date")
    }
}

/// `calendar_dates.txt`.
public struct CalendarDates: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Service code per row.
    public let service: [Int32]
    /// The date, `YYYYMMDD`.
    public let date: [Int32]
    /// 1 = service added on that date, 2 = removed.
    public let exceptionType: [Int32]
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        service = t.codesOrEmpty("service_id")
        date = t.datesOrEmpty("date")
        exceptionType = t.integersOr("exception_type")
    }
}

/// `frequencies.txt`.
public struct Frequencies: Sendable {
    /// The table behind the view.
    public let table: Table
    /// Trip code (the template trip) per row.
    public let trip: [Int32]
    /// Start of the window, seconds since service-day midnight.
    public let start: [Int32]
    /// End of the window (exclusive), seconds since service-day midnight.
    public let end: [Int32]
    /// Headway in seconds.
    public let headway: [Int32]
    /// 1 when departures are exactly scheduled, 0 (or empty) when only the headway is promised.
    public let exactTimes: [Int32]
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        trip = t.codesOrEmpty("trip_id")
        start = t.timesOrEmpty("start_time")
        end = t.timesOrEmpty("end_time")
        headway = t.integersOr("headway_secs")
        exactTimes = t.integersOr("exact_times", 0).map { $0 == Column.missingInteger ? 0 : $0 }
    }
}

/// `transfers.txt`.
public struct Transfers: Sendable {
    /// The table behind the view.
    public let table: Table
    /// From stop code, -1 where empty.
    public let fromStop: [Int32]
    /// To stop code, -1 where empty.
    public let toStop: [Int32]
    /// Transfer type 0-5.
    public let type: [Int32]
    /// Minimum transfer time in seconds, ``Column/missingInteger`` where empty.
    public let minTransferTime: [Int32]
    /// The number of rows.
    public var count: Int { table.rowCount }

    init(_ t: Table) {
        table = t
        fromStop = t.codesOrEmpty("from_stop_id")
        toStop = t.codesOrEmpty("to_stop_id")
        type = t.integersOr("transfer_type", 0)
        minTransferTime = t.integersOr("min_transfer_time")
    }
}

extension Feed {
    /// `stops.txt` (empty when absent).
    public var stops: Stops { Stops(tables["stops.txt"] ?? .empty("stops.txt")) }
    /// `routes.txt` (empty when absent).
    public var routes: Routes { Routes(tables["routes.txt"] ?? .empty("routes.txt")) }
    /// `trips.txt` (empty when absent).
    public var trips: Trips { Trips(tables["trips.txt"] ?? .empty("trips.txt")) }
    /// `stop_times.txt` (empty when absent).
    public var stopTimes: StopTimes { StopTimes(tables["stop_times.txt"] ?? .empty("stop_times.txt")) }
    /// `shapes.txt` (empty when absent).
    public var shapes: Shapes { Shapes(tables["shapes.txt"] ?? .empty("shapes.txt")) }
    /// `calendar.txt` (empty when absent).
    public var calendars: Calendars { Calendars(tables["calendar.txt"] ?? .empty("calendar.txt")) }
    /// `calendar_dates.txt` (empty when absent).
    public var calendarDates: CalendarDates { CalendarDates(tables["calendar_dates.txt"] ?? .empty("calendar_dates.txt")) }
    /// `frequencies.txt` (empty when absent).
    public var frequencies: Frequencies { Frequencies(tables["frequencies.txt"] ?? .empty("frequencies.txt")) }
    /// `transfers.txt` (empty when absent).
    public var transfers: Transfers { Transfers(tables["transfers.txt"] ?? .empty("transfers.txt")) }

    /// The first and last dates on which the feed's calendars run any service, or `nil` when it
    /// has none.
    public var serviceDateRange: ClosedRange<GTFSDate>? {
        var lo = Int32.max, hi = Int32.min
        let c = calendars
        for i in 0..<c.count where c.startDate[i] > 0 && c.endDate[i] > 0 {
            lo = min(lo, c.startDate[i]); hi = max(hi, c.endDate[i])
        }
        let d = calendarDates
        for i in 0..<d.count where d.date[i] > 0 && d.exceptionType[i] == 1 {
            lo = min(lo, d.date[i]); hi = max(hi, d.date[i])
        }
        guard lo <= hi, let a = GTFSDate(yyyymmdd: lo), let b = GTFSDate(yyyymmdd: hi) else { return nil }
        return a...b
    }
}
