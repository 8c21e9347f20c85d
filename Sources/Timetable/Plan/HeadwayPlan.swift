public import Foundation
public import GTFS
public import TransitNetwork
public import Planner

/// The headways to run: per route, direction and period the planned headway and the vehicles
/// the planner counted (ceil(cycle / headway)), with the fleet limit per period.
///
/// Read it from the JSON of `transit plan FEED --format json` (a `PlanDocument`) with
/// ``load(_:)`` or ``parse(_:path:)``, take it from a document made in memory with
/// ``init(document:path:)``, or build it in code.
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

    /// Parses the JSON of `transit plan --format json`, a ``PlanDocument``: `date`
    /// (`YYYY-MM-DD`), `periods` (`period`, `fleet`, `vehicles`) and `plan` rows (`route_id`,
    /// `direction_id`, `period`, `headway_s`, `vehicles`). Other fields are ignored.
    /// - Parameter path: named in messages.
    /// - Throws: ``TimetableError/planUnreadable(path:reason:)`` when the bytes are not JSON,
    ///   ``TimetableError/planInvalid(path:field:reason:)`` when a field is missing or wrong.
    public static func parse(_ data: Data, path: String) throws(TimetableError) -> HeadwayPlan {
        let document: PlanDocument
        do { document = try JSONDecoder().decode(PlanDocument.self, from: data) } catch {
            // Bytes that are not JSON are said in Foundation's words for JSON, as they always were.
            do { _ = try JSONSerialization.jsonObject(with: data) } catch {
                throw .planUnreadable(path: path, reason: "not JSON (\(error.localizedDescription))")
            }
            if let problem = error as? PlanDocumentError {
                throw .planInvalid(path: path, field: problem.field, reason: problem.reason)
            }
            throw .planUnreadable(path: path, reason: "\(error)")
        }
        return try HeadwayPlan(document: document, path: path)
    }

    /// The headways of a plan document (decoded, or made in memory by the planner).
    /// - Parameter path: named in messages.
    /// - Throws: ``TimetableError/planInvalid(path:field:reason:)`` when the date, a period or a
    ///   row cannot be used (never for a document the planner made or ``parse(_:path:)`` decoded).
    /// - Complexity: O(periods + rows).
    public init(document: PlanDocument, path: String) throws(TimetableError) {
        guard let date = document.serviceDate else {
            throw .planInvalid(path: path, field: "date", reason: "expected a date YYYY-MM-DD")
        }
        let periods: [Period]
        do { periods = try document.parsedPeriods() } catch {
            throw .planInvalid(path: path, field: error.field, reason: error.reason)
        }
        guard !periods.isEmpty else {
            throw .planInvalid(path: path, field: "periods", reason: "expected a non-empty list of periods")
        }
        var index: [String: Int] = [:]
        for (i, p) in periods.enumerated() { index[p.name] = i }
        var rows: [Row] = []
        rows.reserveCapacity(document.plan.count)
        for (i, item) in document.plan.enumerated() {
            guard let p = index[item.period] else {
                throw .planInvalid(path: path, field: "plan[\(i)].period", reason: "expected one of the periods' names")
            }
            guard !item.routeID.isEmpty, item.direction == 0 || item.direction == 1, item.headway > 0, item.headway <= 86_400 else {
                throw .planInvalid(path: path, field: "plan[\(i)]", reason: "expected a route_id, direction 0 or 1 and a headway of 1 to 86400 s")
            }
            rows.append(Row(routeID: item.routeID, direction: Int32(item.direction), periodIndex: p,
                            headway: Int32(item.headway), vehicles: item.vehicles))
        }
        self.init(date: date, periods: periods, fleet: document.periods.map(\.fleet),
                  plannedVehicles: document.periods.map(\.vehicles), rows: rows)
    }
}
