public import GTFS
public import Ridership

/// The answer of one planning run: the plan, the case it was solved from, and everything a
/// report shows beside it (why no plan exists, broken limits, warnings, ridership issues).
public struct PlanReport: Sendable {
    /// The feed's name, as the request gave it.
    public var feedName: String
    /// The service date whose timetable is current.
    public var date: GTFSDate
    /// The problem with the facts it was built from (limits, periods, warnings).
    public var planning: PlanningCase
    /// The plan: rows, period totals, scenarios and the solve behind them.
    public var plan: FrequencyPlan
    /// Why no plan meets the limits (empty unless the solve proved infeasibility).
    public var explanation: [String]
    /// Limits the chosen plan breaks by the independent ``PlanChecker`` (empty when it keeps
    /// them all, and when there is no plan).
    public var violations: [String]
    /// The ridership's issues, every severity (also reported as ``PlanEvent/ridershipIssues(_:)``).
    public var ridershipIssues: [RidershipIssue]

    /// Creates a report.
    public init(feedName: String, date: GTFSDate, planning: PlanningCase, plan: FrequencyPlan,
                explanation: [String], violations: [String], ridershipIssues: [RidershipIssue]) {
        self.feedName = feedName
        self.date = date
        self.planning = planning
        self.plan = plan
        self.explanation = explanation
        self.violations = violations
        self.ridershipIssues = ridershipIssues
    }

    /// The solve's status.
    public var status: PlanSolution.Status { plan.solution.status }

    /// True when the run found a plan (optimal, or feasible within the time limit).
    public var hasPlan: Bool { status == .optimal || status == .feasible }

    /// The plan document (`transit plan --format json`): with the explanation and violations,
    /// or without them (`diagnostics: false`) as the timetable step reads it.
    public func document(diagnostics: Bool = true) -> PlanDocument {
        PlanDocument(plan: plan, planning: planning, feed: feedName, date: date,
                     explanation: diagnostics ? explanation : [], violations: diagnostics ? violations : [])
    }
}
