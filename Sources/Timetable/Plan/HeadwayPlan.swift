public import Foundation
public import GTFS
public import Network

/// The headways to run: per route, direction and period the planned headway and the vehicles
/// the planner counted (ceil(cycle / headway)), with the fleet limit per period.
///
/// Read it from the JSON of `transit plan FEED --format json` with ``load(_:)`` or
/// ``parse(_:path:)``, or build it in code.
public struct HeadwayPlan: Sendable, Hashable {
    /// One route direction in one period.
    public struct Row: Sendable, Hashable {
        /// `route_id`.
        public var routeID: String
        /// `direction_id`, 0 or 1.
        public var direction: Int32
        /// The period's index in ``HeadwayPlan/periods``.
        public var periodIndex: Int
        /// The headway to run, seconds.
        public var headway: Int32
        /// The vehicles the planner counted for the route in the period, ceil(cycle / headway).
        public var vehicles: Int

        /// Creates a row.
        public init(routeID: String, direction: Int32, periodIndex: Int, headway: Int32, vehicles: Int) {
            self.routeID = routeID
            self.direction = direction
            self.periodIndex = periodIndex
            self.headway = headway
            self.vehicles = vehicles
        }
    }

    /// The service date the plan was made for (its current timetable gives first and last
    /// departures and run times).
    public var date: GTFSDate
    /// The periods, sorted by start.
    public var periods: [Period]
    /// Per period (in ``periods`` order), the vehicles available, when limited.
    public var fleet: [Int?]
    /// Per period, the vehicles the plan uses (routes counted once).
    public var plannedVehicles: [Int]
    /// The rows.
    public var rows: [Row]

    /// Creates a plan.
    public init(date: GTFSDate, periods: [Period], fleet: [Int?]? = nil, plannedVehicles: [Int]? = nil, rows: [Row]) {
        self.date = date
        self.periods = periods
        self.fleet = fleet ?? Array(repeating: nil, count: periods.count)
        if let plannedVehicles {
            self.plannedVehicles = plannedVehicles
        } else {
            var perRoute: [String: [Int]] = [:]
            for r in rows where r.periodIndex >= 0 && r.periodIndex < periods.count {
                var v = perRoute[r.routeID] ?? Array(repeating: 0, count: periods.count)
                v[r.periodIndex] = max(v[r.periodIndex], r.vehicles)
                perRoute[r.routeID] = v
            }
            var totals = Array(repeating: 0, count: periods.count)
            for v in perRoute.values { for p in v.indices { totals[p] += v[p] } }
            self.plannedVehicles = totals
        }
        self.rows = rows
    }

    /// Reads the plan JSON at `path`.
    /// - Throws: ``TimetableError/planUnreadable(path:reason:)`` or
    ///   ``TimetableError/planInvalid(path:field:reason:)``.
    public static func load(_ path: String) throws(TimetableError) -> HeadwayPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .planUnreadable(path: path, reason: "no such file, or it cannot be read")
        }
        return try parse(data, path: path)
    }

    /// Parses the JSON of `transit plan --format json`: `date` (`YYYY-MM-DD`), `periods`
    /// (`period`, `fleet`, `vehicles`) and `plan` rows (`route_id`, `direction_id`, `period`,
    /// `headway_s`, `vehicles`). Other fields are ignored.
    /// - Parameter path: named in messages.
    /// - Throws: ``TimetableError/planUnreadable(path:reason:)`` when the bytes are not JSON,
    ///   ``TimetableError/planInvalid(path:field:reason:)`` when a field is missing or wrong.
    public static func parse(_ data: Data, path: String) throws(TimetableError) -> HeadwayPlan {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .planUnreadable(path: path, reason: "not JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else {
            throw .planInvalid(path: path, field: "(top level)", reason: "expected an object")
        }
        guard let dateText = root["date"] as? String,
              let date = GTFSDate(dateText.replacingOccurrences(of: "-", with: "")) else {
            throw .planInvalid(path: path, field: "date", reason: "expected a date YYYY-MM-DD")
        }
        guard let periodList = root["periods"] as? [[String: Any]], !periodList.isEmpty else {
            throw .planInvalid(path: path, field: "periods", reason: "expected a non-empty list of periods")
        }
        var periods: [Period] = []
        var fleet: [Int?] = []
        var planned: [Int] = []
        for (i, item) in periodList.enumerated() {
            guard let name = item["period"] as? String else {
                throw .planInvalid(path: path, field: "periods[\(i)].period", reason: "expected HH:MM-HH:MM")
            }
            let parsed: [Period]
            do { parsed = try Period.parse(name) } catch {
                throw .planInvalid(path: path, field: "periods[\(i)].period", reason: "\(error)")
            }
            guard parsed.count == 1 else {
                throw .planInvalid(path: path, field: "periods[\(i)].period", reason: "expected one period, got '\(name)'")
            }
            periods.append(parsed[0])
            fleet.append((item["fleet"] as? NSNumber)?.intValue)
            planned.append((item["vehicles"] as? NSNumber)?.intValue ?? 0)
        }
        for i in periods.indices.dropFirst() where periods[i].start < periods[i - 1].end {
            throw .planInvalid(path: path, field: "periods", reason: "periods must be in order and must not overlap ('\(periods[i - 1].name)', '\(periods[i].name)')")
        }
        var index: [String: Int] = [:]
        for (i, p) in periods.enumerated() { index[p.name] = i }
        guard let rowList = root["plan"] as? [[String: Any]] else {
            throw .planInvalid(path: path, field: "plan", reason: "expected a list of rows (was the plan infeasible?)")
        }
        var rows: [Row] = []
        for (i, item) in rowList.enumerated() {
            guard let route = item["route_id"] as? String, !route.isEmpty else {
                throw .planInvalid(path: path, field: "plan[\(i)].route_id", reason: "expected a route_id")
            }
            guard let d = (item["direction_id"] as? NSNumber)?.intValue, d == 0 || d == 1 else {
                throw .planInvalid(path: path, field: "plan[\(i)].direction_id", reason: "expected 0 or 1")
            }
            guard let name = item["period"] as? String, let p = index[name] else {
                throw .planInvalid(path: path, field: "plan[\(i)].period", reason: "expected one of the periods' names")
            }
            guard let h = (item["headway_s"] as? NSNumber)?.intValue, h > 0, h <= 86_400 else {
                throw .planInvalid(path: path, field: "plan[\(i)].headway_s", reason: "expected seconds, 1 to 86400")
            }
            let v = (item["vehicles"] as? NSNumber)?.intValue ?? 0
            rows.append(Row(routeID: route, direction: Int32(d), periodIndex: p, headway: Int32(h), vehicles: v))
        }
        return HeadwayPlan(date: date, periods: periods, fleet: fleet, plannedVehicles: planned, rows: rows)
    }
}
