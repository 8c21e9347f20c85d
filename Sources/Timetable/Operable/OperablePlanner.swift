import GTFS
public import Planner

/// A plan that can be operated: the planner's optimum, re-solved with tighter period limits
/// until the timetable built from it fits the fleet.
///
/// ## Why the plan and the blocks differ
/// The planner counts a route's vehicles in a period as ceil(cycle / headway). The timetable
/// needs more at period changes (vehicles of the busier period are still out), because both
/// directions keep today's first and last departures, and where terminals are shared or
/// deadheads pay the blocks may need fewer.
///
/// ## The loop
/// 1. Solve the plan under the model's period limits (at first, the user's).
/// 2. Build the timetable and its blocks (``Timetable/build(feed:plan:options:loads:)``).
/// 3. If it fits the user's limits (``Timetable/fits(limits:)``), stop.
/// 4. Otherwise, for each period whose blocks in service exceed its limit by e while its plan
///    uses at least its limit minus e, the model's limit for it becomes the plan's vehicles
///    there minus e. When no period is that near its limit (the excess is blocks kept out by a
///    busier period, or the day's block count), the period where the plan uses the most
///    vehicles is cut by the excess instead. Re-solve.
///
/// Each cut lowers a period's model limit below what the last plan used, so the loop ends:
/// with a plan that fits, or with a model that has no plan (the explanation says why). The plan
/// is proven optimal for the model it solves, the last one, whose limits the report gives.
///
/// Measured on the shipped sample (see the Timetable documentation article): counting the
/// transitions in the model instead would need the departure times, which only the timetable
/// fixes; the loop needs one to three solves there.
public enum OperablePlanner {
    /// One solve of the loop.
    public struct Round: Sendable, Hashable {
        /// The model's fleet limit per period in this round.
        public var modelLimits: [Int?]
        /// The plan's vehicles per period (ceil(cycle / headway) summed), when a plan was found.
        public var modelVehicles: [Int]
        /// The blocks' vehicles in service at the busiest instant per period, when built.
        public var blockVehicles: [Int]
        /// The day's vehicle blocks, when built.
        public var blocks: Int?
        /// Why the timetable did not fit (`nil` when it did, or when there was no plan).
        public var shortfall: String?
    }

    /// The outcome.
    public struct Result: Sendable {
        /// The last planning run (its plan fits when ``timetable`` is set and ``fits``).
        public var report: PlanReport
        /// The timetable of the last plan, when there was one.
        public var timetable: Timetable?
        /// The rounds, in order.
        public var rounds: [Round]
        /// The user's limits per period.
        public var limits: [Int?]
        /// Whether ``timetable`` fits ``limits``.
        public var fits: Bool
        /// Why no operable plan was found (`nil` when one was).
        public var failure: String?
    }

    /// The most solves before giving up.
    public static let maximumRounds = 12

    /// Plans, builds the timetable, and tightens the model until they agree (see
    /// ``OperablePlanner``).
    /// - Parameters:
    ///   - request: the planning request; its fleet limits are the user's.
    ///   - options: how the timetable is built.
    ///   - progress: planning events, and the loop's own notes as ``PlanEvent/progress(_:)``.
    /// - Throws: ``PlanRequestError`` when planning cannot run; a timetable that cannot be built
    ///   ends the loop with ``Result/failure`` set.
    public static func plan(_ request: PlanRequest, options: TimetableOptions,
                            progress: (@Sendable (PlanEvent) -> Void)? = nil) throws(PlanRequestError) -> Result {
        let report = progress ?? { _ in }
        let periodCount = request.periods.count
        let user: [Int?] = request.limits.fleet.count == 1 && periodCount > 1
            ? Array(repeating: request.limits.fleet[0], count: periodCount)
            : request.limits.fleet
        let limits = (0..<periodCount).map { $0 < user.count ? user[$0] : nil }
        var model = limits
        var rounds: [Round] = []
        var current = request
        // Ridership and today's service are read once; each round only solves.
        let inputs = try FrequencyPlanner.prepare(request, progress: progress)
        while true {
            current.limits.fleet = model
            let planned = try FrequencyPlanner.plan(current, inputs: inputs, progress: rounds.isEmpty ? progress : nil)
            var round = Round(modelLimits: model, modelVehicles: planned.plan.periodTotals.map(\.vehicles), blockVehicles: [],
                              blocks: nil, shortfall: nil)
            guard planned.hasPlan else {
                rounds.append(round)
                let why = rounds.count == 1 ? "no plan meets the limits"
                    : "no plan meets the limits once the periods are tightened so the blocks fit (model limits \(describe(model)))"
                return Result(report: planned, timetable: nil, rounds: rounds, limits: limits, fits: false, failure: why)
            }
            let headways: HeadwayPlan
            let timetable: Timetable
            do {
                var h = try HeadwayPlan(document: planned.document(diagnostics: false), path: "the plan")
                h.fleet = limits
                headways = h
                timetable = try Timetable.build(feed: request.loaded.feed, plan: headways, options: options)
            } catch {
                rounds.append(round)
                return Result(report: planned, timetable: nil, rounds: rounds, limits: limits, fits: false,
                              failure: "the timetable could not be built: \(error)")
            }
            let fleet = timetable.periodFleet(limits: limits)
            round.blockVehicles = fleet.map(\.blocks)
            round.blocks = timetable.blocks.fleet
            round.shortfall = timetable.fleetShortfall(limits: limits, fleet: fleet)
            rounds.append(round)
            guard let shortfall = round.shortfall else {
                if rounds.count > 1 { report(.progress("operable after \(rounds.count) solves: model limits \(describe(model))")) }
                return Result(report: planned, timetable: timetable, rounds: rounds, limits: limits, fits: true, failure: nil)
            }
            guard rounds.count < maximumRounds else {
                return Result(report: planned, timetable: timetable, rounds: rounds, limits: limits, fits: false,
                              failure: "no operable plan after \(maximumRounds) solves (\(shortfall))")
            }
            // Cuts: a period whose plan uses nearly its limit drives the excess; blocks kept out
            // by a busier period do not shrink when a quiet period is cut, so the busiest
            // period is cut when no exceeding period is near its limit.
            var cut = false
            for (p, f) in fleet.enumerated() where !f.withinLimit {
                let limit = f.limit ?? f.blocks, excess = f.blocks - limit
                let used = p < round.modelVehicles.count ? round.modelVehicles[p] : 0
                guard used + excess >= limit else { continue }
                model[p] = max(0, min(model[p] ?? Int.max, used - excess))
                cut = true
            }
            if !cut, let busiest = round.modelVehicles.indices.max(by: { round.modelVehicles[$0] < round.modelVehicles[$1] }) {
                let most = limits.compactMap({ $0 }).max() ?? timetable.blocks.fleet
                let over = fleet.map { $0.blocks - ($0.limit ?? $0.blocks) }.max() ?? 0
                let excess = max(1, timetable.blocks.fleet - most, over)
                model[busiest] = max(0, min(model[busiest] ?? Int.max, round.modelVehicles[busiest] - excess))
            }
            report(.progress("the blocks do not fit (\(shortfall)); solving again with model limits \(describe(model))"))
        }
    }

    static func describe(_ limits: [Int?]) -> String {
        limits.map { $0.map(String.init) ?? "-" }.joined(separator: ",")
    }
}

extension OperablePlanner.Result {
    /// The plan document of the last solve with its ``PlanDocument/operation`` section; its
    /// periods' `fleet` are the user's limits, the model's are the operation's `model_limit`.
    public func document(diagnostics: Bool = true) -> PlanDocument {
        var document = report.document(diagnostics: diagnostics)
        // The user's limits (the timetable step checks against them); the model's tightened
        // ones are in the operation section.
        for p in document.periods.indices where p < limits.count { document.periods[p].fleet = limits[p] }
        if document.limits.fleet.count == limits.count { document.limits.fleet = limits }
        let last = rounds.last
        let fleet = timetable?.periodFleet(limits: limits)
        let periods = report.plan.periodTotals.enumerated().map { p, total in
            let f = fleet.flatMap { p < $0.count ? $0[p] : nil }
            return PlanDocument.Operation.Period(
                period: total.period, fleet: p < limits.count ? limits[p] : nil,
                modelLimit: last.flatMap { p < $0.modelLimits.count ? $0.modelLimits[p] : nil },
                modelVehicles: total.vehicles, blocksInService: f?.blocks, activeBlocks: f?.activeBlocks,
                deadheadHours: f.map { PlanDocument.rounded(Double($0.deadheadSeconds) / 3600, places: 2) },
                deadheadKm: f.map { PlanDocument.rounded(Double($0.deadheadMetres) / 1000, places: 1) },
                interlinedBlocks: f?.interlinedBlocks)
        }
        let day = timetable?.dayOperation
        let rate = report.planning.limits.vehicleHourCost
        document.operation = PlanDocument.Operation(
            fits: fits, failure: failure, solves: rounds.count, blocks: day?.blocks, lowerBound: day?.lowerBound,
            interlinedBlocks: day?.interlinedBlocks, savedByInterlining: day?.savedByInterlining,
            vehicleHours: day.map { PlanDocument.rounded($0.vehicleHours, places: 2) },
            operatingCost: day.map { PlanDocument.rounded($0.vehicleHours * rate, places: 2) },
            deadheadHours: day.map { PlanDocument.rounded($0.deadheadHours, places: 2) },
            deadheadKm: day.map { PlanDocument.rounded($0.deadheadKilometres, places: 1) },
            depotHours: day.map { PlanDocument.rounded($0.depotHours, places: 2) }, periods: periods)
        return document
    }
}
