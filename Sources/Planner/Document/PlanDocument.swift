/// The plan as one document: what `transit plan FEED --format json` writes and what the
/// Timetable module reads back (`transit timetable --plan`, and `transit plan --out` in memory).
///
/// Keys are snake_case and come in the order of the properties below; numbers are rounded as
/// the report shows them (``rounded(_:places:)``): loads and boardings to 0.1, money and hours
/// to 0.01, load factors to 0.001, seconds of solving to 0.001, headways to whole seconds.
///
/// Encoding is the synthesized one (declaration order). Decoding is lenient in the way the
/// timetable reader always was: only `date`, `periods` (their `period`, `fleet`, `vehicles`) and
/// `plan` rows (`route_id`, `direction_id`, `period`, `headway_s`, `vehicles`) are required and
/// checked, in that order, each failure a ``PlanDocumentError`` naming the field; every other
/// field that is missing or of another type decodes to its empty value (`""`, `0`, `[]`, `nil`).
/// A number may be written as an integer, a decimal (truncated toward zero) or a boolean (1, 0).
public struct PlanDocument: Codable, Sendable, Hashable {
    /// The limits the plan was made under, as given.
    public struct Limits: Codable, Sendable, Hashable {
        /// Vehicles available per period (`nil`: no limit).
        public var fleet: [Int?]
        /// Operating budget per day, currency.
        public var budget: Double?
        /// One vehicle capacity for every route, when given.
        public var capacity: Int?
        /// Desired load factor at the max load point.
        public var loadFactor: Double
        /// Allowed headways, seconds, ascending.
        public var headways: [Int]
        /// Operating cost per vehicle-hour, currency.
        public var costPerVehicleHour: Double
        /// Value of passenger waiting time, currency per hour.
        public var valueOfTime: Double
        /// Weight of waiting cost in the objective.
        public var waitWeight: Double
        /// Weight of operating cost in the objective.
        public var costWeight: Double

        enum CodingKeys: String, CodingKey {
            case fleet, budget, capacity
            case loadFactor = "load_factor"
            case headways = "headways_s"
            case costPerVehicleHour = "cost_per_vehicle_hour"
            case valueOfTime = "value_of_time"
            case waitWeight = "wait_weight"
            case costWeight = "cost_weight"
        }

        /// Creates the limits section.
        public init(fleet: [Int?], budget: Double?, capacity: Int?, loadFactor: Double, headways: [Int],
                    costPerVehicleHour: Double, valueOfTime: Double, waitWeight: Double, costWeight: Double) {
            self.fleet = fleet
            self.budget = budget
            self.capacity = capacity
            self.loadFactor = loadFactor
            self.headways = headways
            self.costPerVehicleHour = costPerVehicleHour
            self.valueOfTime = valueOfTime
            self.waitWeight = waitWeight
            self.costWeight = costWeight
        }

        /// The section of a document that has none.
        static let empty = Limits(fleet: [], budget: nil, capacity: nil, loadFactor: 0, headways: [],
                                  costPerVehicleHour: 0, valueOfTime: 0, waitWeight: 0, costWeight: 0)
    }

    /// Day totals of one scenario, rounded to 0.01.
    public struct Scenario: Codable, Sendable, Hashable {
        /// Vehicle-hours in service.
        public var vehicleHours: Double
        /// Operating cost, currency.
        public var operatingCost: Double
        /// Passenger waiting hours.
        public var waitingHours: Double
        /// Waiting cost, currency.
        public var waitingCost: Double
        /// Weighted waiting cost + weighted operating cost.
        public var objective: Double

        enum CodingKeys: String, CodingKey {
            case vehicleHours = "vehicle_hours"
            case operatingCost = "operating_cost"
            case waitingHours = "waiting_hours"
            case waitingCost = "waiting_cost"
            case objective
        }

        /// Creates a scenario's totals (as given: round them with ``PlanDocument/rounded(_:places:)``).
        public init(vehicleHours: Double, operatingCost: Double, waitingHours: Double, waitingCost: Double, objective: Double) {
            self.vehicleHours = vehicleHours
            self.operatingCost = operatingCost
            self.waitingHours = waitingHours
            self.waitingCost = waitingCost
            self.objective = objective
        }

        static let empty = Scenario(vehicleHours: 0, operatingCost: 0, waitingHours: 0, waitingCost: 0, objective: 0)
    }

    /// Today's service, the reference plan (when computed) and the optimal plan.
    public struct Scenarios: Codable, Sendable, Hashable {
        /// Today's service.
        public var current: Scenario
        /// Ceder's reference plan, when one was computed.
        public var reference: Scenario?
        /// The optimal plan.
        public var optimal: Scenario

        /// Creates the section.
        public init(current: Scenario, reference: Scenario?, optimal: Scenario) {
            self.current = current
            self.reference = reference
            self.optimal = optimal
        }

        static let empty = Scenarios(current: .empty, reference: nil, optimal: .empty)
    }

    /// Vehicles in service in one period.
    public struct PeriodRow: Codable, Sendable, Hashable {
        /// The period's name, `HH:MM-HH:MM`.
        public var period: String
        /// Vehicles available, when limited.
        public var fleet: Int?
        /// Vehicles today.
        public var currentVehicles: Int
        /// Vehicles of the reference plan, when computed.
        public var referenceVehicles: Int?
        /// Vehicles of the plan (routes counted once).
        public var vehicles: Int

        enum CodingKeys: String, CodingKey {
            case period, fleet
            case currentVehicles = "current_vehicles"
            case referenceVehicles = "reference_vehicles"
            case vehicles
        }

        /// Creates a period row.
        public init(period: String, fleet: Int?, currentVehicles: Int, referenceVehicles: Int?, vehicles: Int) {
            self.period = period
            self.fleet = fleet
            self.currentVehicles = currentVehicles
            self.referenceVehicles = referenceVehicles
            self.vehicles = vehicles
        }
    }

    /// One route direction in one period.
    public struct Row: Codable, Sendable, Hashable {
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`, when the feed has one.
        public var routeShortName: String?
        /// `direction_id`, 0 or 1.
        public var direction: Int
        /// The period's name.
        public var period: String
        /// Boardings in the period (average day), to 0.1.
        public var boardings: Double
        /// The load at the max load point, to 0.1.
        public var maxLoad: Double
        /// Vehicle capacity.
        public var capacity: Int
        /// Today's mean headway, whole seconds, when the route runs at least twice.
        public var currentHeadway: Int?
        /// Vehicles today.
        public var currentVehicles: Int
        /// The reference plan's headway, seconds, when computed.
        public var referenceHeadway: Int?
        /// The planned headway, seconds.
        public var headway: Int
        /// The vehicles the plan counts for the route in the period, ceil(cycle / headway).
        public var vehicles: Int
        /// Peak load over offered places, to 0.001, when the route has counts.
        public var peakLoadFactor: Double?
        /// Passenger waiting hours, to 0.01.
        public var waitingHours: Double
        /// True when the route had no counts and keeps its current service.
        public var keptAsIs: Bool

        enum CodingKeys: String, CodingKey {
            case routeID = "route_id"
            case routeShortName = "route_short_name"
            case direction = "direction_id"
            case period, boardings
            case maxLoad = "max_load"
            case capacity
            case currentHeadway = "current_headway_s"
            case currentVehicles = "current_vehicles"
            case referenceHeadway = "reference_headway_s"
            case headway = "headway_s"
            case vehicles
            case peakLoadFactor = "peak_load_factor"
            case waitingHours = "waiting_hours"
            case keptAsIs = "kept_as_is"
        }

        /// Creates a row (numbers as given: round them with ``PlanDocument/rounded(_:places:)``).
        public init(routeID: String, routeShortName: String?, direction: Int, period: String, boardings: Double,
                    maxLoad: Double, capacity: Int, currentHeadway: Int?, currentVehicles: Int,
                    referenceHeadway: Int?, headway: Int, vehicles: Int, peakLoadFactor: Double?,
                    waitingHours: Double, keptAsIs: Bool) {
            self.routeID = routeID
            self.routeShortName = routeShortName
            self.direction = direction
            self.period = period
            self.boardings = boardings
            self.maxLoad = maxLoad
            self.capacity = capacity
            self.currentHeadway = currentHeadway
            self.currentVehicles = currentVehicles
            self.referenceHeadway = referenceHeadway
            self.headway = headway
            self.vehicles = vehicles
            self.peakLoadFactor = peakLoadFactor
            self.waitingHours = waitingHours
            self.keptAsIs = keptAsIs
        }
    }

    /// The feed, as named by the caller.
    public var feed: String
    /// The service date whose timetable is current, `YYYY-MM-DD`.
    public var date: String
    /// The solve's status (`optimal`, `feasible`, `infeasible`, `no_solution`).
    public var status: String
    /// The plan's objective, when there is a plan.
    public var objective: Double?
    /// The proven lower bound, when known.
    public var bound: Double?
    /// The relative gap between objective and bound, when both are known.
    public var gap: Double?
    /// Solving time, seconds, to 0.001.
    public var seconds: Double
    /// Binary variables of the model.
    public var variables: Int
    /// Variables left after reduced-cost fixing.
    public var variablesSolved: Int
    /// How optimality was proven.
    public var proof: String
    /// The solver's progress lines.
    public var solveLog: [String]
    /// The limits.
    public var limits: Limits
    /// Why no plan meets the limits (empty when there is one).
    public var explanation: [String]
    /// Limits the plan breaks by the independent check (empty when none).
    public var violations: [String]
    /// Warnings met while building the problem.
    public var warnings: [String]
    /// Day totals per scenario.
    public var scenarios: Scenarios
    /// Vehicles per period.
    public var periods: [PeriodRow]
    /// The plan's rows, by period, route and direction.
    public var plan: [Row]
    /// How the plan runs as vehicle blocks, when a timetable was built from it (`transit plan`
    /// always builds one); `nil` otherwise.
    public var operation: Operation?

    enum CodingKeys: String, CodingKey {
        case feed, date, status, objective, bound, gap, seconds, variables
        case variablesSolved = "variables_solved"
        case proof
        case solveLog = "solve_log"
        case limits, explanation, violations, warnings, scenarios, periods, plan, operation
    }

    /// Creates a document from its parts.
    public init(feed: String, date: String, status: String, objective: Double?, bound: Double?, gap: Double?,
                seconds: Double, variables: Int, variablesSolved: Int, proof: String, solveLog: [String],
                limits: Limits, explanation: [String], violations: [String], warnings: [String],
                scenarios: Scenarios, periods: [PeriodRow], plan: [Row]) {
        self.feed = feed
        self.date = date
        self.status = status
        self.objective = objective
        self.bound = bound
        self.gap = gap
        self.seconds = seconds
        self.variables = variables
        self.variablesSolved = variablesSolved
        self.proof = proof
        self.solveLog = solveLog
        self.limits = limits
        self.explanation = explanation
        self.violations = violations
        self.warnings = warnings
        self.scenarios = scenarios
        self.periods = periods
        self.plan = plan
    }

    /// `value` rounded to `places` decimals, half away from zero: the rounding of every
    /// document number.
    public static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
