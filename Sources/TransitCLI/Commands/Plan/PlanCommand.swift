import TransitSupport
import ArgumentParser
import GTFS
import Network
import Planner
import Ridership
import Solver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `transit plan FEED --fleet N`: optimal headways per route and period from ridership, proven
/// with GLPK, beside today's service and the classical (Ceder) reference plan.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Choose the headway of every route in every period: ridership + limits -> proven optimal plan (GLPK).",
        discussion: """
            Ridership comes from GTFS-ride board_alight.txt (the feed's own, or --ridership \
            FILE) or from a load table (--load-table FILE with route_id,direction_id,period,\
            boardings,max_load[,passenger_km], totals per period on an average day).

            The model picks one allowed headway per route and period (both directions share \
            it: vehicles cycle through both). A headway is allowed when it is no longer than \
            the policy maximum and (period / headway) x capacity x load factor carries the max \
            load of each direction. Vehicles = ceil(cycle time / headway), with the cycle time \
            from today's service (transit network summary). Objective per average day: value \
            of time x boardings x headway / 2 (waiting) + cost per vehicle-hour x vehicles x \
            period hours (operating), each with a weight. Limits: vehicles per period <= fleet; \
            operating cost <= budget.

            Routes with no ridership counts keep today's service; their vehicles count against \
            the fleet. The reference plan is Ceder's method (max load point or load profile) \
            rounded down to an allowed headway.

            Exit status: 0 with a plan, 1 when no plan meets the limits (the reasons are \
            printed), 2 when an input cannot be read.
            """
    )

    @Argument(help: "The feed: a GTFS folder or .zip (not needed with --synthetic).")
    var feed: String?

    @Option(help: "A GTFS-ride board_alight.txt to use instead of the feed's own.")
    var ridership: String?

    @Option(help: "A GTFS-ride trip_capacity.txt to use instead of the feed's own.")
    var tripCapacity: String?

    @Option(help: "A load table CSV (route_id,direction_id,period,boardings,max_load[,passenger_km]) instead of board_alight.txt.")
    var loadTable: String?

    @Option(help: "The service date whose timetable is 'current' and gives cycle times, YYYYMMDD (default: the first date counted in the ridership).")
    var date: String?

    @Option(help: "Comma-separated periods HH:MM-HH:MM; ends may pass 24:00.")
    var periods: String = NetworkDefaults.periods

    @Option(help: "Vehicles available: one number for every period, or one per period (comma-separated). Default: no limit.")
    var fleet: String?

    @Option(help: "Operating budget per day (currency). Default: no limit.")
    var budget: Double?

    @Option(help: "Vehicle capacity, seated + standing, for every route (default: trip_capacity.txt).")
    var capacity: Int?

    @Option(help: "Desired load factor at the max load point.")
    var loadFactor: Double = PlanningDefaults.loadFactor

    @Option(help: "Allowed headways in minutes, comma-separated.")
    var headways: String = "3,4,5,6,8,10,12,15,20,30,45,60"

    @Option(help: "Policy maximum headway in minutes for every route.")
    var maxHeadway: Double?

    @Option(parsing: .singleValue, help: "Policy maximum headway for one route, ROUTE_ID=MINUTES (repeatable).")
    var routeMaxHeadway: [String] = []

    @Option(parsing: .singleValue, help: "Policy maximum headway for a route_type, TYPE=MINUTES (repeatable; 3 = bus).")
    var typeMaxHeadway: [String] = []

    @Option(help: "Operating cost per vehicle-hour (currency).")
    var costPerHour: Double = PlanningDefaults.vehicleHourCost

    @Option(help: "Value of passenger waiting time (currency per hour).")
    var valueOfTime: Double = PlanningDefaults.valueOfTime

    @Option(help: "Weight of waiting cost in the objective.")
    var waitWeight: Double = 1

    @Option(help: "Weight of operating cost in the objective.")
    var costWeight: Double = 1

    @Option(help: "Reference method: max-load (Ceder 2) or load-profile (Ceder 3).")
    var reference: ReferenceChoice = .loadProfile

    @Option(help: "Stop after this many seconds with the best plan found so far.")
    var timeLimit: Double?

    @Option(help: "Relative optimality gap to prove.")
    var gap: Double = PlanningDefaults.relativeGap

    @Option(help: "structured (Lagrangian bound + reduced-cost fixing + GLPK) or plain (GLPK's branch and bound alone).")
    var strategy: StrategyChoice = .structured

    @Option(help: "Write the whole model to FILE (.lp: CPLEX LP, .mps: free MPS) before solving.")
    var writeModel: String?

    @Option(help: "Also turn the plan into a timetable and write it as GTFS to DIR or FILE.zip (runs `transit timetable FEED --plan … --out OUT --phase-directions` on the plan).")
    var out: String?

    @Option(help: "Solve a generated city-scale problem with this many routes instead of a feed (benchmarks, solver comparisons).")
    var synthetic: Int?

    @Option(help: "Seed of the generated problem.")
    var seed: UInt64 = 1

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    enum ReferenceChoice: String, ExpressibleByArgument, CaseIterable {
        case maxLoad = "max-load", loadProfile = "load-profile"
        var method: CederMethod { self == .maxLoad ? .maxLoadPoint : .loadProfile }
    }
    enum StrategyChoice: String, ExpressibleByArgument, CaseIterable {
        case structured, plain
        var value: SolveStrategy { self == .plain ? .plain : .structured }
    }

    func validate() throws {
        if synthetic == nil, feed == nil { throw ValidationError("give the FEED (or --synthetic N)") }
        if let n = synthetic, !(1...100_000).contains(n) { throw ValidationError("--synthetic must be 1 to 100000 routes") }
        if ridership != nil, loadTable != nil { throw ValidationError("give --ridership or --load-table, not both") }
        guard gap.isFinite, gap >= 0, gap < 1 else { throw ValidationError("--gap must be in [0, 1)") }
        if let t = timeLimit, !(t.isFinite && t > 0) { throw ValidationError("--time-limit must be a positive number of seconds") }
        if let path = writeModel, !(path.hasSuffix(".lp") || path.hasSuffix(".mps")) {
            throw ValidationError("--write-model FILE must end in .lp or .mps")
        }
        _ = try limits(periodCount: nil)
    }

    /// Minutes text → seconds.
    static func minutes(_ text: Substring, option: String) throws -> Int32 {
        guard let m = Double(text.trimmingCharacters()), m.isFinite, m > 0, m <= 1440 else {
            throw ValidationError("\(option): '\(text)' is not a number of minutes (0 < m <= 1440)")
        }
        return Int32((m * 60).rounded())
    }

    /// The limits from the options (`periodCount` checks the fleet list when known).
    func limits(periodCount: Int?) throws -> PlanningLimits {
        var l = PlanningLimits()
        if let fleet {
            l.fleet = try fleet.split(separator: ",", omittingEmptySubsequences: false).map {
                guard let n = Int($0.trimmingCharacters()), n >= 0 else { throw ValidationError("--fleet: '\($0)' is not a whole number >= 0") }
                return n
            }
        }
        l.capacity = capacity
        l.loadFactor = loadFactor
        l.headways = try headways.split(separator: ",", omittingEmptySubsequences: false).map { try Self.minutes($0, option: "--headways") }
        l.maxHeadway = try maxHeadway.map { try Self.minutes(Substring(String($0)), option: "--max-headway") }
        for item in routeMaxHeadway {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--route-max-headway: '\(item)' is not ROUTE_ID=MINUTES") }
            l.maxHeadwayByRoute[String(parts[0])] = try Self.minutes(parts[1], option: "--route-max-headway")
        }
        for item in typeMaxHeadway {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let t = Int(parts[0]) else { throw ValidationError("--type-max-headway: '\(item)' is not TYPE=MINUTES") }
            l.maxHeadwayByRouteType[t] = try Self.minutes(parts[1], option: "--type-max-headway")
        }
        l.budget = budget
        l.vehicleHourCost = costPerHour
        l.valueOfTime = valueOfTime
        l.waitingWeight = waitWeight
        l.operatingWeight = costWeight
        let problems = l.problems(periodCount: periodCount ?? (l.fleet.count > 1 ? l.fleet.count : 1))
            .filter { periodCount != nil || !$0.hasPrefix("the fleet gives") }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "; ")) }
        return l
    }

    func run() throws {
        let options = PlanSolveOptions(relativeGap: gap, timeLimit: timeLimit, strategy: strategy.value)
        if let routes = synthetic {
            try runSynthetic(routes: routes, options: options)
            return
        }
        guard let feedPath = feed else { throw ValidationError("give the FEED") }
        let parsedPeriods: [Period]
        do { parsedPeriods = try Period.parse(periods) } catch { throw ValidationError("--periods: \(error)") }
        let limits = try limits(periodCount: parsedPeriods.count)

        progress("loading \(feedPath)")
        let loaded = try loadFeed(feedPath, validate: false)
        let gtfs = loaded.feed
        let patterns = RoutePatterns(feed: gtfs)
        let directions = TripDirections(feed: gtfs, patterns: patterns)
        let distances = ShapeDistances(feed: gtfs, patterns: patterns)

        // Ridership → demand.
        progress("reading ridership")
        let input = try inputOrExit {
            try RidershipInput.load(feed: gtfs, report: loaded.report, boardAlightPath: ridership,
                                    tripCapacityPath: tripCapacity)
        }
        var demand: [RouteDemand]
        var observedDates: [GTFSDate] = []
        var ridershipIssues: [RidershipIssue] = []
        if let loadTable {
            let lengths = RouteLengths(feed: gtfs, patterns: patterns, distances: distances, directions: directions)
            let table = try inputOrExit { try LoadTable.read(loadTable, periods: parsedPeriods, feed: gtfs, lengths: lengths) }
            ridershipIssues = table.issues
            if table.hasErrors {
                for issue in table.issues { writeToStandardError("\(issue)\n") }
                writeToStandardError("error: the load table has errors; fix them and run again\n")
                throw ExitCode(2)
            }
            demand = table.demand
        } else {
            let analysis = try inputOrExit {
                try RidershipAnalysis(input: input, periods: parsedPeriods, patterns: patterns,
                                      directions: directions, distances: distances)
            }
            demand = analysis.demand
            observedDates = analysis.summary.dates
            ridershipIssues = analysis.issues
            progress("ridership: \(analysis.summary.recordsUsed) of \(analysis.summary.records) records used over \(analysis.summary.dates.count) date(s), \(analysis.issues.count) issue(s)")
        }
        for issue in ridershipIssues.prefix(20) where issue.severity != .info { writeToStandardError("\(issue)\n") }
        if ridershipIssues.count > 20 { writeToStandardError("… \(ridershipIssues.count - 20) more ridership issues\n") }

        // Current service on the plan date.
        let day: GTFSDate
        if let d = try parseDateOption(date, name: "date") {
            day = d
        } else if let first = observedDates.first {
            day = first
        } else {
            throw ValidationError("--date YYYYMMDD is needed: the ridership names no service date")
        }
        progress("current service on \(day.iso8601)")
        let summary = ServiceSummary(feed: gtfs, date: day, periods: parsedPeriods, patterns: patterns)
        guard !summary.rows.isEmpty else {
            writeToStandardError("error: the feed runs no service on \(day.iso8601) in the periods; pick another --date\n")
            throw ExitCode(2)
        }

        var routeTypes: [String: Int] = [:]
        let routeIDs = gtfs.ids(.route)
        for row in 0..<gtfs.routes.count {
            let id = gtfs.routes.id[row]
            if id >= 0, Int(id) < routeIDs.count { routeTypes[routeIDs[Int(id)]] = Int(gtfs.routes.type[row]) }
        }
        let capacities = VehicleCapacities(input: input)
        let planning = try inputOrExit {
            try PlanningCase.build(summary: summary, demand: demand, routeTypes: routeTypes,
                                   capacityByRoute: capacities.byRouteID, limits: limits)
        }
        for w in planning.warnings { writeToStandardError("note: \(w)\n") }

        if let path = writeModel {
            try inputOrExit { try GLPK.write(FrequencyModel.build(planning.problem).model, to: path) }
            progress("model written to \(path)")
        }
        progress("solving \(planning.problem.variableCount) binaries over \(planning.problem.groups.count) route-periods")
        let solution: PlanSolution
        do { solution = try FrequencyPlanner.solve(planning.problem, options: options) } catch {
            writeToStandardError("error: the solver failed: \(error)\n")
            throw ExitCode(2)
        }
        for line in solution.log { progress(line) }

        let referenceHeadways = referencePlan(planning: planning, demand: demand, summary: summary,
                                              capacities: capacities.byRouteID, limits: limits, periods: parsedPeriods)
        let plan = FrequencyPlan(case: planning, solution: solution, referenceHeadways: referenceHeadways)
        let explanation = solution.status == .infeasible ? InfeasibilityExplanation.reasons(planning) : []
        var violations: [String] = []
        if !solution.choice.isEmpty {
            let chosen = solution.choice.enumerated().map { planning.problem.groups[$0.offset].options[$0.element].headway }
            violations = PlanChecker.violations(of: chosen, in: planning)
        }
        switch format {
        case .json: print(PlanOutput.json(plan, planning: planning, feed: feedPath, date: day, explanation: explanation, violations: violations).render())
        case .csv: print(PlanOutput.rowsTable(plan, minutes: false).csv(), terminator: "")
        case .table: print(PlanOutput.text(plan, planning: planning, feed: feedPath, date: day, explanation: explanation), terminator: "")
        }
        if !violations.isEmpty {
            for v in violations { writeToStandardError("error: the plan breaks a limit: \(v)\n") }
            throw ExitCode(3)
        }
        if let out, solution.status == .optimal || solution.status == .feasible {
            try writeTimetable(plan: plan, planning: planning, feed: feedPath, date: day, out: out)
        }
        switch solution.status {
        case .optimal, .feasible: return
        case .infeasible:
            for r in explanation { writeToStandardError("infeasible: \(r)\n") }
            throw ExitCode(1)
        case .noSolution:
            writeToStandardError("error: no plan found within the time limit\n")
            throw ExitCode(1)
        }
    }

    /// The second step of `--out`: the plan's JSON to a temporary file, then `transit timetable`.
    func writeTimetable(plan: FrequencyPlan, planning: PlanningCase, feed: String, date: GTFSDate, out: String) throws {
        let json = PlanOutput.json(plan, planning: planning, feed: feed, date: date, explanation: [], violations: []).render()
        let path = "\(out).plan-\(getpid()).json"
        guard let handle = fopen(path, "w") else {
            writeToStandardError("error: cannot write \(path) beside \(out)\n")
            throw ExitCode(2)
        }
        fputs(json, handle)
        fclose(handle)
        defer { unlink(path) }
        progress("timetable for the plan → \(out)")
        let timetable = try TimetableCommand.parse([feed, "--plan", path, "--out", out, "--phase-directions"])
        try timetable.run()
    }

    /// Ceder's reference headway per group (kept routes keep their current headway).
    func referencePlan(planning: PlanningCase, demand: [RouteDemand], summary: ServiceSummary,
                       capacities: [String: Int], limits: PlanningLimits, periods: [Period]) -> [Int32?]? {
        var policy: [String: Int] = [:]
        for f in planning.facts { if let m = f.policyMaximum { policy[f.routeID] = Int(m) } }
        // --capacity overrides trip_capacity.txt for every route, as in the model.
        let settings = ReferenceSettings(
            capacities: limits.capacity == nil ? capacities.mapValues(Double.init) : [:],
            defaultCapacity: limits.capacity.map(Double.init),
            loadFactor: limits.loadFactor, allowedHeadways: limits.headways.map(Int.init),
            policyHeadway: Int(limits.headways.max() ?? 3600), policyHeadways: policy)
        let reference: ReferencePlan
        do {
            reference = try ReferencePlan(demand: demand, method: self.reference.method, periods: periods,
                                          settings: settings, running: RoutePeriod.running(in: summary, periods: periods))
        } catch {
            writeToStandardError("note: no reference plan: \(error)\n")
            return nil
        }
        return planning.problem.groups.enumerated().map { g, group in
            let f = planning.facts[g]
            if f.keptAsIs { return group.options.first?.headway }
            return reference.headway(routeID: f.routeID, period: group.period).map { Int32($0.headway) }
        }
    }

    func runSynthetic(routes: Int, options: PlanSolveOptions) throws {
        let problem = SyntheticProblem.make(routes: routes, seed: seed)
        if let path = writeModel {
            try inputOrExit { try GLPK.write(FrequencyModel.build(problem).model, to: path) }
            progress("model written to \(path)")
        }
        progress("solving a generated problem: \(routes) routes, \(problem.variableCount) binaries")
        let solution: PlanSolution
        do { solution = try FrequencyPlanner.solve(problem, options: options) } catch {
            writeToStandardError("error: the solver failed: \(error)\n")
            throw ExitCode(2)
        }
        for line in solution.log { progress(line) }
        var vehicles = [Int](repeating: 0, count: problem.periods.count)
        for (g, k) in solution.choice.enumerated() { vehicles[problem.groups[g].period] += problem.groups[g].options[k].vehicles }
        let json = JSON.object([
            ("synthetic_routes", .int(routes)),
            ("seed", .int(Int(seed))),
            ("status", .string(solution.status.rawValue)),
            ("objective", solution.objective.map(JSON.double) ?? .null),
            ("bound", solution.bound.map(JSON.double) ?? .null),
            ("gap", solution.gap.map(JSON.double) ?? .null),
            ("seconds", .double(solution.seconds)),
            ("strategy", .string(options.strategy.rawValue)),
            ("variables", .int(solution.variables)),
            ("variables_solved", .int(solution.variablesSolved)),
            ("proof", .string(solution.proof)),
            ("periods", .array(problem.periods.indices.map { p in
                .object([("period", .string(problem.periods[p].name)), ("fleet", .optional(problem.periods[p].fleet)),
                         ("vehicles", .int(vehicles[p]))])
            })),
            ("budget", problem.budget.map(JSON.double) ?? .null),
        ])
        print(json.render())
        if solution.status == .infeasible || solution.status == .noSolution { throw ExitCode(1) }
    }

    /// Runs `body`; an error there is an input the command cannot use: printed, exit status 2.
    func inputOrExit<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
    }

    func progress(_ text: String) {
        writeToStandardError("plan: \(text)\n")
    }
}

extension StringProtocol {
    /// The text without surrounding spaces.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
