import GTFS
import TransitNetwork
@testable import Planner
import Ridership
import Testing
import TestSupport

/// The sample feed end to end: ridership → case → plan → checker and explanation.
@Suite("Planning on the sample feed")
struct PlanningCaseTests {
    static func sampleCase(limits: PlanningLimits) throws -> PlanningCase {
        let loaded = try FeedReader.load(SharedData.samplePath)
        let periods = try Period.parse(NetworkDefaults.periods)
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)
        let analysis = try RidershipAnalysis(input: input, periods: periods)
        let day = try #require(GTFSDate("20260310"))
        let summary = ServiceSummary(feed: loaded.feed, date: day, periods: periods)
        let capacities = VehicleCapacities(input: input)
        return try PlanningCase.build(summary: summary, demand: analysis.demand,
                                      capacityByRoute: capacities.byRouteID, limits: limits)
    }

    @Test("invalid limits and routes without a capacity throw PlanningInputError with a code to match on")
    func inputErrorCodes() throws {
        let bad = #expect(throws: PlanningInputError.self) {
            _ = try Self.sampleCase(limits: PlanningLimits(loadFactor: -1))
        }
        #expect(bad?.code == .invalidSetting)
        let loaded = try FeedReader.load(SharedData.samplePath)
        let periods = try Period.parse(NetworkDefaults.periods)
        let input = try RidershipInput.load(feed: loaded.feed, report: loaded.report)
        let analysis = try RidershipAnalysis(input: input, periods: periods)
        let summary = ServiceSummary(feed: loaded.feed, date: try #require(GTFSDate("20260310")), periods: periods)
        let noCapacity = #expect(throws: PlanningInputError.self) {
            _ = try PlanningCase.build(summary: summary, demand: analysis.demand, capacityByRoute: [:], limits: PlanningLimits())
        }
        #expect(noCapacity?.code == .missingCapacity)
        #expect(noCapacity?.description.contains("--capacity") == true)
    }

    @Test("with a fleet of 75 the plan is optimal, meets every limit by the independent checker, and beats today's cost")
    func optimalPlan() throws {
        let planning = try Self.sampleCase(limits: PlanningLimits(fleet: [75]))
        let solution = try FrequencyPlanner.solve(planning.problem)
        #expect(solution.status == .optimal)
        let headways = solution.choice.enumerated().map { planning.problem.groups[$0.offset].options[$0.element].headway }
        #expect(PlanChecker.violations(of: headways, in: planning).isEmpty)
        let plan = FrequencyPlan(case: planning, solution: solution)
        for t in plan.periodTotals { #expect(t.vehicles <= 75) }
        // Every group's vehicles are ceil(cycle / headway).
        for (g, k) in solution.choice.enumerated() where !planning.facts[g].keptAsIs {
            let group = planning.problem.groups[g]
            let o = group.options[k]
            #expect(o.vehicles == Int((group.cycleTime / Double(o.headway)).rounded(.up)))
        }
        #expect(plan.optimal.objective <= plan.current.objective + 1e-6 || !PlanChecker.violations(
            of: planning.facts.map { Int32(($0.currentHeadway ?? 3600).rounded()) }, in: planning).isEmpty)
        // The light rail has no counts: kept as is.
        #expect(planning.facts.contains { $0.routeID == "RL" && $0.keptAsIs })
    }

    @Test("the checker catches a headway that cannot carry the load and a fleet overrun")
    func checkerCatches() throws {
        let planning = try Self.sampleCase(limits: PlanningLimits(fleet: [75]))
        let longest = planning.problem.groups.map { _ in Int32(3600) }
        let violations = PlanChecker.violations(of: longest, in: planning)
        #expect(violations.contains { $0.contains("places at load factor") })
        let shortest = planning.problem.groups.map { _ in Int32(180) }
        #expect(PlanChecker.violations(of: shortest, in: planning).contains { $0.contains("vehicles for a fleet of 75") })
    }

    @Test("a fleet of 60 is infeasible and the explanation names the period, the minimum and the fleet")
    func infeasibleFleet() throws {
        let planning = try Self.sampleCase(limits: PlanningLimits(fleet: [60]))
        let solution = try FrequencyPlanner.solve(planning.problem)
        #expect(solution.status == .infeasible)
        // The minimum by hand: every group at its fewest vehicles.
        var minimum = [Int](repeating: 0, count: planning.periods.count)
        for g in planning.problem.groups { minimum[g.period] += g.options.map(\.vehicles).min() ?? 0 }
        let reasons = InfeasibilityExplanation.reasons(planning)
        for (p, m) in minimum.enumerated() where m > 60 {
            #expect(reasons.contains { $0.hasPrefix("\(planning.periods[p].name) needs at least \(m) vehicles") && $0.contains("the fleet is 60") })
        }
        #expect(minimum.contains { $0 > 60 })
    }

    @Test("a policy maximum shorter than every allowed headway is explained per route-period")
    func infeasiblePolicy() throws {
        let planning = try Self.sampleCase(limits: PlanningLimits(fleet: [], maxHeadwayByRoute: ["3": 120]))
        let solution = try FrequencyPlanner.solve(planning.problem)
        #expect(solution.status == .infeasible)
        let reasons = InfeasibilityExplanation.reasons(planning)
        #expect(reasons.contains { $0.hasPrefix("route 3,") && $0.contains("policy maximum headway 2 min") })
    }

    @Test("a budget below the least service is explained with both amounts")
    func infeasibleBudget() throws {
        let planning = try Self.sampleCase(limits: PlanningLimits(budget: 1000))
        let solution = try FrequencyPlanner.solve(planning.problem)
        #expect(solution.status == .infeasible)
        #expect(InfeasibilityExplanation.reasons(planning).contains { $0.contains("the budget is 1000.00") })
    }
}
