import GTFS
import TransitNetwork
import Planner
import Ridership
import Testing
import TestSupport

/// The reference plans on the shipped sample feed's own counts and capacities (the ridership
/// side is tested in RidershipTests).
@Suite("Reference plans on the sample feed")
struct SampleFeedReferencePlanTests {
    /// The sample feed's counts analysed over the default periods, once.
    static let sample: (input: RidershipInput, analysis: RidershipAnalysis)? = {
        guard let loaded = try? FeedReader.load(SharedData.samplePath),
              let input = try? RidershipInput.load(feed: loaded.feed, report: loaded.report),
              let periods = try? Period.parse(NetworkDefaults.periods),
              let analysis = try? RidershipAnalysis(input: input, periods: periods) else { return nil }
        return (input, analysis)
    }()

    @Test("sample feed end to end: Ceder method 2 and 3 plans with the feed's capacities")
    func referencePlan() throws {
        let s = try #require(Self.sample)
        let caps = VehicleCapacities(input: s.input)
        let settings = ReferenceSettings(capacities: caps.byRouteID.mapValues(Double.init), loadFactor: 1)
        let am = try #require(s.analysis.periods.firstIndex { $0.name == "07:00-09:00" })
        for method in CederMethod.allCases {
            let plan = try ReferencePlan(demand: s.analysis.demand, method: method, periods: s.analysis.periods, settings: settings)
            #expect(!plan.directions.contains { $0.fellBack })
            for route in ["1", "2", "3", "4", "5", "6", "7", "8"] {
                let h = try #require(plan.headway(routeID: route, period: am))
                #expect(ReferenceSettings.defaultAllowedHeadways.contains(h.headway))
                #expect(h.directions.count == 2)
                #expect(!h.capacityShortfall)
            }
            // Route 5 is crowded at its 7.5 min peak headway: the plan asks for more service.
            #expect((plan.headway(routeID: "5", period: am)?.headway ?? .max) < 450)
        }
    }
}
