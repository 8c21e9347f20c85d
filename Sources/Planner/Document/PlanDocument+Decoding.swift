public import GTFS
public import TransitNetwork

/// A plan document that decodes but cannot be used: the field (`date`, `periods[2].period`,
/// `plan[0].headway_s`, `(top level)`) and what it should hold.
public struct PlanDocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable snake_case code: `plan_document_invalid`.
    public static let code = "plan_document_invalid"
    /// The field, as a path into the document.
    public var field: String
    /// What the field should hold.
    public var reason: String

    /// Creates an error.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `field 'F': reason`.
    public var description: String { "field '\(field)': \(reason)" }
}

extension PlanDocument {
    /// Decodes a document, checking `date`, then every period, then the periods' order, then
    /// every row, as described on ``PlanDocument``.
    /// - Throws: ``PlanDocumentError`` for the first field that cannot be used.
    public init(from decoder: any Decoder) throws {
        guard let c = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw PlanDocumentError(field: "(top level)", reason: "expected an object")
        }
        guard let dateText = c.lenient(String.self, .date), Self.date(dateText) != nil else {
            throw PlanDocumentError(field: "date", reason: "expected a date YYYY-MM-DD")
        }
        guard let names = c.lenient([PeriodName].self, .periods), !names.isEmpty else {
            throw PlanDocumentError(field: "periods", reason: "expected a non-empty list of periods")
        }
        var parsed: [Period] = []
        for (i, item) in names.enumerated() { parsed.append(try Self.period(item.period, index: i)) }
        try Self.checkOrder(parsed)
        let periodRows = c.lenient([PeriodRow].self, .periods) ?? []
        guard let rows = c.lenient([Row].self, .plan) else {
            throw PlanDocumentError(field: "plan", reason: "expected a list of rows (was the plan infeasible?)")
        }
        let known = Set(parsed.map(\.name))
        for (i, row) in rows.enumerated() {
            guard !row.routeID.isEmpty else { throw PlanDocumentError(field: "plan[\(i)].route_id", reason: "expected a route_id") }
            guard row.direction == 0 || row.direction == 1 else {
                throw PlanDocumentError(field: "plan[\(i)].direction_id", reason: "expected 0 or 1")
            }
            guard known.contains(row.period) else {
                throw PlanDocumentError(field: "plan[\(i)].period", reason: "expected one of the periods' names")
            }
            guard row.headway > 0, row.headway <= 86_400 else {
                throw PlanDocumentError(field: "plan[\(i)].headway_s", reason: "expected seconds, 1 to 86400")
            }
        }
        self.init(
            feed: c.lenient(String.self, .feed) ?? "", date: dateText, status: c.lenient(String.self, .status) ?? "",
            objective: c.lenient(Double.self, .objective), bound: c.lenient(Double.self, .bound),
            gap: c.lenient(Double.self, .gap), seconds: c.lenient(Double.self, .seconds) ?? 0,
            variables: c.number(.variables) ?? 0, variablesSolved: c.number(.variablesSolved) ?? 0,
            proof: c.lenient(String.self, .proof) ?? "", solveLog: c.lenient([String].self, .solveLog) ?? [],
            limits: c.lenient(Limits.self, .limits) ?? .empty,
            explanation: c.lenient([String].self, .explanation) ?? [],
            violations: c.lenient([String].self, .violations) ?? [],
            warnings: c.lenient([String].self, .warnings) ?? [],
            scenarios: c.lenient(Scenarios.self, .scenarios) ?? .empty, periods: periodRows, plan: rows)
        operation = c.lenient(Operation.self, .operation)
    }

    /// The document's service date, or nil when ``date`` is not `YYYY-MM-DD`.
    public var serviceDate: GTFSDate? { Self.date(date) }

    /// The document's periods, parsed from their names, in document order.
    /// - Throws: ``PlanDocumentError`` naming the first period that is not one `HH:MM-HH:MM`
    ///   range, or `periods` when they overlap or are out of order.
    public func parsedPeriods() throws(PlanDocumentError) -> [Period] {
        var parsed: [Period] = []
        for (i, row) in periods.enumerated() { parsed.append(try Self.period(row.period, index: i)) }
        try Self.checkOrder(parsed)
        return parsed
    }

    static func date(_ text: String) -> GTFSDate? { GTFSDate(text.filter { $0 != "-" }) }

    static func period(_ name: String?, index i: Int) throws(PlanDocumentError) -> Period {
        guard let name else { throw PlanDocumentError(field: "periods[\(i)].period", reason: "expected HH:MM-HH:MM") }
        let parsed: [Period]
        do { parsed = try Period.parse(name) } catch {
            throw PlanDocumentError(field: "periods[\(i)].period", reason: "\(error)")
        }
        guard parsed.count == 1 else {
            throw PlanDocumentError(field: "periods[\(i)].period", reason: "expected one period, got '\(name)'")
        }
        return parsed[0]
    }

    static func checkOrder(_ periods: [Period]) throws(PlanDocumentError) {
        for i in periods.indices.dropFirst() where periods[i].start < periods[i - 1].end {
            throw PlanDocumentError(field: "periods", reason: "periods must be in order and must not overlap ('\(periods[i - 1].name)', '\(periods[i].name)')")
        }
    }

    /// A period's name alone, or nil when it is missing or not text; fails only when the
    /// element is not an object.
    struct PeriodName: Decodable {
        var period: String?
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: PeriodRow.CodingKeys.self)
            period = c.lenient(String.self, .period)
        }
    }
}

extension PlanDocument.PeriodRow {
    /// Decodes a period row leniently (the name is checked by ``PlanDocument``'s decoder).
    /// - Throws: a `DecodingError` only when the element is not an object.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(period: c.lenient(String.self, .period) ?? "", fleet: c.number(.fleet),
                  currentVehicles: c.number(.currentVehicles) ?? 0, referenceVehicles: c.number(.referenceVehicles),
                  vehicles: c.number(.vehicles) ?? 0)
    }
}

extension PlanDocument.Row {
    /// Decodes a row leniently: a missing or mistyped field takes a value that
    /// ``PlanDocument``'s decoder then rejects (`""` route, direction -1, headway 0) or its
    /// empty value.
    /// - Throws: a `DecodingError` only when the element is not an object.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(routeID: c.lenient(String.self, .routeID) ?? "", routeShortName: c.lenient(String.self, .routeShortName),
                  direction: c.number(.direction) ?? -1, period: c.lenient(String.self, .period) ?? "",
                  boardings: c.lenient(Double.self, .boardings) ?? 0, maxLoad: c.lenient(Double.self, .maxLoad) ?? 0,
                  capacity: c.number(.capacity) ?? 0, currentHeadway: c.number(.currentHeadway),
                  currentVehicles: c.number(.currentVehicles) ?? 0, referenceHeadway: c.number(.referenceHeadway),
                  headway: c.number(.headway) ?? 0, vehicles: c.number(.vehicles) ?? 0,
                  peakLoadFactor: c.lenient(Double.self, .peakLoadFactor),
                  waitingHours: c.lenient(Double.self, .waitingHours) ?? 0,
                  keptAsIs: c.lenient(Bool.self, .keptAsIs) ?? false)
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or nil when it is missing, `null` or of another type.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// A whole number at `key` the way `NSNumber.intValue` reads JSON: an integer as is, a
    /// decimal truncated toward zero (`Int.min` when out of range), `true`/`false` as 1/0;
    /// nil when missing or not a number.
    func number(_ key: Key) -> Int? {
        if let i = lenient(Int.self, key) { return i }
        if let d = lenient(Double.self, key) {
            return Int(exactly: d.rounded(.towardZero)) ?? Int.min
        }
        if let b = lenient(Bool.self, key) { return b ? 1 : 0 }
        return nil
    }
}
