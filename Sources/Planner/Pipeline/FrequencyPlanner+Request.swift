import GTFS
import TransitNetwork
import Ridership
import Solver

extension FrequencyPlanner {
    /// Runs the whole planning pipeline of a request: route patterns, directions and distances;
    /// ridership (GTFS-ride or a load table) to demand; today's service on the plan date; the
    /// problem (``PlanningCase``); the optional model file; the proof (``solve(_:options:)``);
    /// Ceder's reference plan; the independent check (``PlanChecker``) and, when no plan meets
    /// the limits, the explanation.
    ///
    /// A plan that breaks a limit, or no plan at all, is a report, not an error: see
    /// ``PlanReport/status``, ``PlanReport/violations`` and ``PlanReport/explanation``.
    /// - Parameters:
    ///   - request: the inputs.
    ///   - progress: called in order with each ``PlanEvent``, on the caller's thread.
    /// - Throws: ``PlanRequestError`` when an input cannot be used or the solver fails.
    /// - Complexity: one pass over the feed and the ridership, plus the solve.
    public static func plan(_ request: PlanRequest,
                            progress: (@Sendable (PlanEvent) -> Void)? = nil) throws(PlanRequestError) -> PlanReport {
        try plan(request, inputs: prepare(request, progress: progress), progress: progress)
    }

    /// The part of ``plan(_:progress:)`` that does not depend on the limits: route patterns,
    /// directions and distances; ridership to demand; today's service on the plan date. Solve
    /// several limits over one ``PlanInputs`` with ``plan(_:inputs:progress:)``.
    /// - Throws: ``PlanRequestError`` when an input cannot be used.
    public static func prepare(_ request: PlanRequest,
                               progress: (@Sendable (PlanEvent) -> Void)? = nil) throws(PlanRequestError) -> PlanInputs {
        let report = progress ?? { _ in }
        let gtfs = request.loaded.feed
        let periods = request.periods
        let patterns = RoutePatterns(feed: gtfs)
        let directions = TripDirections(feed: gtfs, patterns: patterns)
        let distances = ShapeDistances(feed: gtfs, patterns: patterns)

        report(.progress("reading ridership"))
        let input: RidershipInput
        do {
            input = try RidershipInput.load(feed: gtfs, report: request.loaded.report, boardAlightPath: request.boardAlightPath,
                                            tripCapacityPath: request.tripCapacityPath)
        } catch { throw .ridershipUnreadable(reason: "\(error)") }
        let measured = try demand(request, input: input, patterns: patterns, directions: directions,
                                  distances: distances, report: report)
        report(.ridershipIssues(measured.issues))

        let day: GTFSDate
        if let d = request.date {
            day = d
        } else if let first = measured.dates.first {
            day = first
        } else {
            throw .dateNeeded
        }
        report(.progress("current service on \(day.iso8601)"))
        let summary = ServiceSummary(feed: gtfs, date: day, periods: periods, patterns: patterns)
        guard !summary.rows.isEmpty else { throw .noService(date: day) }

        return PlanInputs(day: day, demand: measured.demand, ridershipIssues: measured.issues, summary: summary,
                          capacities: VehicleCapacities(input: input).byRouteID, routeTypes: routeTypes(gtfs))
    }

    /// The part of ``plan(_:progress:)`` under the request's limits, over inputs
    /// ``prepare(_:progress:)`` read: the problem, the optional model file, the proof, the
    /// reference plan, the check and the explanation.
    /// - Throws: ``PlanRequestError`` when the problem cannot be built or the solver fails.
    public static func plan(_ request: PlanRequest, inputs: PlanInputs,
                            progress: (@Sendable (PlanEvent) -> Void)? = nil) throws(PlanRequestError) -> PlanReport {
        let report = progress ?? { _ in }
        let day = inputs.day, summary = inputs.summary
        let planning: PlanningCase
        do {
            planning = try PlanningCase.build(summary: summary, demand: inputs.demand, routeTypes: inputs.routeTypes,
                                              capacityByRoute: inputs.capacities, limits: request.limits)
        } catch { throw .planningInput(reason: "\(error)") }
        for w in planning.warnings { report(.note(w)) }

        if let path = request.writeModelPath {
            do { try GLPK.write(FrequencyModel.build(planning.problem).model, to: path) } catch {
                throw .modelUnwritable(reason: "\(error)")
            }
            report(.progress("model written to \(path)"))
        }
        report(.progress("solving \(planning.problem.variableCount) binaries over \(planning.problem.groups.count) route-periods"))
        let solution: PlanSolution
        do { solution = try solve(planning.problem, options: request.solveOptions) } catch {
            throw .solverFailed(reason: "\(error)")
        }
        for line in solution.log { report(.progress(line)) }

        let referenceHeadways = referencePlan(planning: planning, demand: inputs.demand, summary: summary,
                                              capacities: inputs.capacities, request: request, report: report)
        let plan = FrequencyPlan(case: planning, solution: solution, referenceHeadways: referenceHeadways)
        let explanation = solution.status == .infeasible ? InfeasibilityExplanation.reasons(planning) : []
        var violations: [String] = []
        if !solution.choice.isEmpty {
            let chosen = solution.choice.enumerated().map { planning.problem.groups[$0.offset].options[$0.element].headway }
            violations = PlanChecker.violations(of: chosen, in: planning)
        }
        return PlanReport(feedName: request.feedName, date: day, planning: planning, plan: plan,
                          explanation: explanation, violations: violations, ridershipIssues: inputs.ridershipIssues)
    }

    /// Demand per route, direction and period, the observed dates and the ridership's issues.
    static func demand(_ request: PlanRequest, input: RidershipInput, patterns: RoutePatterns,
                       directions: TripDirections, distances: ShapeDistances,
                       report: @Sendable (PlanEvent) -> Void) throws(PlanRequestError)
        -> (demand: [RouteDemand], dates: [GTFSDate], issues: [RidershipIssue]) {
        let gtfs = request.loaded.feed
        if case .loadTable(let path) = request.ridership {
            let lengths = RouteLengths(feed: gtfs, patterns: patterns, distances: distances, directions: directions)
            let table: LoadTable
            do { table = try LoadTable.read(path, periods: request.periods, feed: gtfs, lengths: lengths) } catch {
                throw .loadTableUnreadable(reason: "\(error)")
            }
            if table.hasErrors { throw .loadTableInvalid(issues: table.issues) }
            return (table.demand, [], table.issues)
        }
        let analysis: RidershipAnalysis
        do {
            analysis = try RidershipAnalysis(input: input, periods: request.periods, patterns: patterns,
                                             directions: directions, distances: distances)
        } catch { throw .ridershipUnusable(reason: "\(error)") }
        let s = analysis.summary
        report(.progress("ridership: \(s.recordsUsed) of \(s.records) records used over \(s.dates.count) date(s), \(analysis.issues.count) issue(s)"))
        return (analysis.demand, s.dates, analysis.issues)
    }

    /// `route_type` per `route_id`.
    static func routeTypes(_ gtfs: Feed) -> [String: Int] {
        var routeTypes: [String: Int] = [:]
        let routeIDs = gtfs.ids(.route)
        for row in 0..<gtfs.routes.count {
            let id = gtfs.routes.id[row]
            if id >= 0, Int(id) < routeIDs.count { routeTypes[routeIDs[Int(id)]] = Int(gtfs.routes.type[row]) }
        }
        return routeTypes
    }

    /// Ceder's reference headway per group (kept routes keep their current headway); nil, with
    /// a note, when no reference plan can be made.
    static func referencePlan(planning: PlanningCase, demand: [RouteDemand], summary: ServiceSummary,
                              capacities: [String: Int], request: PlanRequest,
                              report: @Sendable (PlanEvent) -> Void) -> [Int32?]? {
        let limits = request.limits, periods = request.periods
        var policy: [String: Int] = [:]
        for f in planning.facts { if let m = f.policyMaximum { policy[f.routeID] = Int(m) } }
        // A capacity for every route overrides trip_capacity.txt, as in the model.
        let settings = ReferenceSettings(
            capacities: limits.capacity == nil ? capacities.mapValues(Double.init) : [:],
            defaultCapacity: limits.capacity.map(Double.init),
            loadFactor: limits.loadFactor, allowedHeadways: limits.headways.map(Int.init),
            policyHeadway: Int(limits.headways.max() ?? 3600), policyHeadways: policy)
        let reference: ReferencePlan
        do {
            reference = try ReferencePlan(demand: demand, method: request.reference, periods: periods,
                                          settings: settings, running: RoutePeriod.running(in: summary, periods: periods))
        } catch {
            report(.note("no reference plan: \(error)"))
            return nil
        }
        return planning.problem.groups.enumerated().map { g, group in
            let f = planning.facts[g]
            if f.keptAsIs { return group.options.first?.headway }
            return reference.headway(routeID: f.routeID, period: group.period).map { Int32($0.headway) }
        }
    }
}

extension PlanRequest {
    /// The `board_alight.txt` path to read instead of the feed's own (nil for a load table).
    var boardAlightPath: String? {
        if case .boardAlight(let path) = ridership { return path }
        return nil
    }
}
