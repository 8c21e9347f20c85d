public import GTFS
public import TransitNetwork
public import Ridership

/// Everything one planning run needs: the loaded feed, where ridership comes from, the periods,
/// limits, reference method, solve options and plan date. ``FrequencyPlanner/plan(_:progress:)``
/// turns it into a ``PlanReport``; `transit plan` only parses its options into one.
public struct PlanRequest: Sendable {
    /// Where the demand comes from.
    public enum Ridership: Sendable, Hashable {
        /// GTFS-ride `board_alight.txt`: the feed's own (`nil`) or this file.
        case boardAlight(path: String?)
        /// A load table CSV (`route_id,direction_id,period,boardings,max_load[,passenger_km]`).
        case loadTable(path: String)
    }

    /// The feed with its load report (ridership files found beside it are read through it).
    public var loaded: LoadedFeed
    /// The feed's name in the report and the plan document (the path the caller gave).
    public var feedName: String
    /// The demand's source.
    public var ridership: Ridership
    /// A GTFS-ride `trip_capacity.txt` to use instead of the feed's own.
    public var tripCapacityPath: String?
    /// The service date whose timetable is current and gives cycle times; `nil`: the first date
    /// counted in the ridership.
    public var date: GTFSDate?
    /// The planning periods, sorted, not overlapping.
    public var periods: [Period]
    /// Fleet, budget, capacity, headways, costs and weights.
    public var limits: PlanningLimits
    /// Ceder's rule for the reference plan.
    public var reference: CederMethod
    /// Gap, time limit and strategy of the solve.
    public var solveOptions: PlanSolveOptions
    /// When set, the whole model is written here (`.lp` or `.mps`) before solving.
    public var writeModelPath: String?

    /// Creates a request.
    public init(loaded: LoadedFeed, feedName: String, ridership: Ridership = .boardAlight(path: nil),
                tripCapacityPath: String? = nil, date: GTFSDate? = nil, periods: [Period],
                limits: PlanningLimits = PlanningLimits(), reference: CederMethod = .loadProfile,
                solveOptions: PlanSolveOptions = PlanSolveOptions(), writeModelPath: String? = nil) {
        self.loaded = loaded
        self.feedName = feedName
        self.ridership = ridership
        self.tripCapacityPath = tripCapacityPath
        self.date = date
        self.periods = periods
        self.limits = limits
        self.reference = reference
        self.solveOptions = solveOptions
        self.writeModelPath = writeModelPath
    }
}

/// What a planning run reports while it works, in order: for a command to print, a service to
/// stream, or nothing.
public enum PlanEvent: Sendable, Hashable {
    /// A step begins or ends (`reading ridership`, a solver log line, …).
    case progress(String)
    /// The ridership was read; these are its issues (every severity, in order).
    case ridershipIssues([RidershipIssue])
    /// Something the user should know that does not stop the run (a route kept as it is, no
    /// reference plan).
    case note(String)
}

/// Why a planning run stopped before a plan: each says what and what to do, with a code.
public enum PlanRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ridership files cannot be read.
    case ridershipUnreadable(reason: String)
    /// The load table cannot be read.
    case loadTableUnreadable(reason: String)
    /// The load table was read but has errors (listed).
    case loadTableInvalid(issues: [RidershipIssue])
    /// The ridership cannot be analysed over the periods.
    case ridershipUnusable(reason: String)
    /// No `date` was given and the ridership names no service date.
    case dateNeeded
    /// The feed runs nothing on the date in the periods.
    case noService(date: GTFSDate)
    /// The demand, capacities and limits do not make a problem.
    case planningInput(reason: String)
    /// The model could not be written to ``PlanRequest/writeModelPath``.
    case modelUnwritable(reason: String)
    /// The solver failed.
    case solverFailed(reason: String)

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .ridershipUnreadable: "ridership_unreadable"
        case .loadTableUnreadable: "load_table_unreadable"
        case .loadTableInvalid: "load_table_invalid"
        case .ridershipUnusable: "ridership_unusable"
        case .dateNeeded: "plan_date_needed"
        case .noService: "no_service_on_date"
        case .planningInput: "planning_input_invalid"
        case .modelUnwritable: "model_unwritable"
        case .solverFailed: "solver_failed"
        }
    }

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .ridershipUnreadable(let reason), .loadTableUnreadable(let reason), .ridershipUnusable(let reason),
             .planningInput(let reason), .modelUnwritable(let reason):
            reason
        case .loadTableInvalid:
            "the load table has errors; fix them and run again"
        case .dateNeeded:
            "--date YYYYMMDD is needed: the ridership names no service date"
        case .noService(let date):
            "the feed runs no service on \(date.iso8601) in the periods; pick another --date"
        case .solverFailed(let reason):
            "the solver failed: \(reason)"
        }
    }
}
