import TransitSupport
import ArgumentParser
import GTFS
import TransitNetwork
import Planner
import Ridership
import Solver
import Timetable
import TransitSynthetic
import Reports

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

    @Option(name: .customLong("max-file-bytes"), help: ArgumentHelp(maxFileBytesHelp))
    var maxFileBytes: Int?

    @Option(help: "A GTFS-ride board_alight.txt to use instead of the feed's own.")
    var ridership: String?

    @Option(help: "A GTFS-ride trip_capacity.txt to use instead of the feed's own.")
    var tripCapacity: String?

    @Option(help: "A load table CSV (route_id,direction_id,period,boardings,max_load[,passenger_km]) instead of board_alight.txt.")
    var loadTable: String?

    @Option(help: "The service date whose timetable is 'current' and gives cycle times, YYYYMMDD (default: the first date counted in the ridership).")
    var date: String?

    @OptionGroup var periods: PeriodsOption

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

    @Option(help: "Also write the plan's timetable (the blocks that fit the fleet) as GTFS to DIR or FILE.zip, as `transit timetable FEED --plan … --out OUT --phase-directions` would.")
    var out: String?

    @Option(help: "Also write the plan report to FILE.html: a self-contained page with the headline figures, a network map per period, vehicles per period, the routes table and load profiles.")
    var report: String?

    @Option(help: "The routes whose load profiles the report draws, route_id or route_short_name, comma-separated (default: the busiest in the peak).")
    var reportRoutes: String?

    @OptionGroup(title: "Vehicle blocks") var blocks: BlockOptions

    @Option(help: "Solve a generated city-scale problem with this many routes instead of a feed (benchmarks, solver comparisons).")
    var synthetic: Int?

    @Option(help: "Seed of the generated problem.")
    var seed: UInt64 = 1

    @OptionGroup var output: FormatOption

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
        if report != nil, synthetic != nil { throw ValidationError("--report needs a FEED, not --synthetic") }
        if reportRoutes != nil, report == nil { throw ValidationError("--report-routes needs --report FILE.html") }
        if let path = report, path.isEmpty { throw ValidationError("--report needs a file name") }
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
        let parsedPeriods = try periods.parsed()
        let limits = try limits(periodCount: parsedPeriods.count)

        progress("loading \(feedPath)")
        let loaded = try loadFeed(feedPath, validate: false, maxFileBytes: maxFileBytes)
        let request = PlanRequest(
            loaded: loaded, feedName: feedPath,
            ridership: loadTable.map { .loadTable(path: $0) } ?? .boardAlight(path: ridership),
            tripCapacityPath: tripCapacity, date: try parseDateOption(date, name: "date"), periods: parsedPeriods,
            limits: limits, reference: reference.method, solveOptions: options, writeModelPath: writeModel)
        let timetableOptions: TimetableOptions
        do { timetableOptions = try blocks.apply(to: TimetableOptions(phaseDirections: true), routes: loaded.feed.routes.count) } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
        let result: OperablePlanner.Result
        do { result = try OperablePlanner.plan(request, options: timetableOptions, progress: Self.printEvent) } catch {
            try Self.fail(error)
        }
        let report = result.report
        let plan = report.plan
        switch output.format {
        case .json: print(try JSON.encoding(result.document()).render())
        case .csv: print(PlanOutput.rowsTable(plan, minutes: false).csv(), terminator: "")
        case .table:
            print(PlanOutput.text(plan, feed: feedPath, date: report.date, explanation: report.explanation), terminator: "")
            print(PlanOutput.operationText(result.document().operation), terminator: "")
        }
        if let path = self.report {
            if report.hasPlan {
                try writeReport(result, request: request, to: path)
            } else {
                writeToStandardError("note: no report written to \(path): there is no plan\n")
            }
        }
        if !report.violations.isEmpty {
            for v in report.violations { writeToStandardError("error: the plan breaks a limit: \(v)\n") }
            throw ExitCode(3)
        }
        switch report.status {
        case .optimal, .feasible: break
        case .infeasible:
            for r in report.explanation { writeToStandardError("infeasible: \(r)\n") }
            if result.rounds.count > 1, let failure = result.failure { writeToStandardError("infeasible: \(failure)\n") }
            throw ExitCode(1)
        case .noSolution:
            writeToStandardError("error: no plan found within the time limit\n")
            throw ExitCode(1)
        }
        guard result.fits, let timetable = result.timetable else {
            writeToStandardError("error: no operable plan: \(result.failure ?? "the blocks do not fit the fleet")\n")
            throw ExitCode(1)
        }
        if let out {
            progress("timetable for the plan → \(out)")
            let problems = timetable.blockViolations
            if !problems.isEmpty {
                for p in problems.prefix(20) { writeToStandardError("error: block check: \(p)\n") }
                throw ExitCode(2)
            }
            do { try TimetableExport.write(timetable, source: loaded.feed, to: out) } catch {
                writeToStandardError("error: \(error)\n")
                throw ExitCode(2)
            }
            progress("\(timetable.trips.count) trips in \(timetable.blocks.fleet) blocks written to \(out)")
        }
    }

    /// Writes the plan report to `path` atomically; a failure is an exit with status 2.
    func writeReport(_ result: OperablePlanner.Result, request: PlanRequest, to path: String) throws {
        progress("report → \(path)")
        let routes = reportRoutes.map { $0.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty } } ?? []
        let html = PlanHTML.render(result: result, request: request, options: PlanHTML.Options(command: ReportFile.commandLine, routes: routes))
        try ReportFile.write(html, to: path)
    }

    /// Prints a planning event as the command always has.
    @Sendable static func printEvent(_ event: PlanEvent) {
        switch event {
        case .progress(let text):
            writeToStandardError("plan: \(text)\n")
        case .note(let text):
            writeToStandardError("note: \(text)\n")
        case .ridershipIssues(let issues):
            for issue in issues.prefix(20) where issue.severity != .info { writeToStandardError("\(issue)\n") }
            if issues.count > 20 { writeToStandardError("… \(issues.count - 20) more ridership issues\n") }
        }
    }

    /// Prints why planning stopped and exits: 2 for an input that cannot be used, a usage
    /// error when the plan date is needed.
    static func fail(_ error: PlanRequestError) throws -> Never {
        switch error {
        case .dateNeeded:
            throw ValidationError(error.description)
        case .loadTableInvalid(let issues):
            for issue in issues { writeToStandardError("\(issue)\n") }
        default:
            break
        }
        writeToStandardError("error: \(error)\n")
        throw ExitCode(2)
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
        let document = SyntheticPlanDocument(problem: problem, solution: solution, routes: routes, seed: seed,
                                             strategy: options.strategy)
        print(try JSON.encoding(document).render())
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
        Self.printEvent(.progress(text))
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
