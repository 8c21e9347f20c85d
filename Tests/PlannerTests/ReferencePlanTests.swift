import GTFS
import TransitNetwork
import Planner
import Ridership
import Testing

@Suite("Reference plans: Ceder's methods 2 and 3")
struct ReferencePlanTests {
    /// 07:00-09:00 (2 h) and 09:00-16:00 (7 h).
    static let periods: [Period] = (try? Period.parse("07:00-09:00,09:00-16:00")) ?? []

    static func row(_ route: String = "R", direction: Int = 0, period: Int = 0, maxLoad: Double,
                    passengerKm: Double? = nil, routeKm: Double? = nil) -> RouteDemand {
        RouteDemand(routeID: route, direction: direction, periodIndex: period, period: periods[period].name,
                    boardings: maxLoad * 2, maxLoad: maxLoad, passengerKm: passengerKm, routeKm: routeKm)
    }

    /// c = 70, load factor 0.8 → d0 = 56; policy 60 min → Fm = 1 vehicle an hour.
    static let settings = ReferenceSettings(capacities: ["R": 70], loadFactor: 0.8)

    @Test("method 2: 600 past the max load point in 2 h → 300/h ÷ 56 = 5.36 veh/h → 672 s → 10 min")
    func method2() throws {
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: 600)], method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        let d = try #require(plan.directions.first)
        #expect(abs(d.maxLoadPerHour - 300) < 1e-9)
        #expect(abs(d.desiredOccupancy - 56) < 1e-9)
        #expect(abs(d.frequency - 300.0 / 56) < 1e-9)
        #expect(abs(d.requiredHeadway - 672) < 1e-9)
        #expect(d.headway == 600)
        #expect(d.binding == .maxLoad)
        #expect(d.method == .maxLoadPoint)
        #expect(!d.capacityShortfall)
        #expect(plan.headway(routeID: "R", period: 0)?.headway == 600)
    }

    @Test("method 3: A/L = 2400/8 = 300 per 2 h; max(150/56, 300/70, 1) = 4.29 veh/h → 840 s → 12 min")
    func method3() throws {
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: 600, passengerKm: 2400, routeKm: 8)],
                                     method: .loadProfile, periods: Self.periods, settings: Self.settings)
        let d = try #require(plan.directions.first)
        #expect(abs((d.averageLoadPerHour ?? 0) - 150) < 1e-9)
        #expect(abs(d.frequency - 300.0 / 70) < 1e-9)
        #expect(d.binding == .capacity)
        #expect(abs(d.requiredHeadway - 840) < 1e-9)
        #expect(d.headway == 720)
        #expect(d.method == .loadProfile)
        #expect(!d.fellBack)

        // A heavier profile makes the average-load term bind: A/L = 8000/8 = 1000 per 2 h →
        // 500/h ÷ 56 = 8.93 veh/h → 403 s → 6 min.
        let heavy = try ReferencePlan(demand: [Self.row(maxLoad: 600, passengerKm: 8000, routeKm: 8)],
                                      method: .loadProfile, periods: Self.periods, settings: Self.settings)
        #expect(heavy.directions.first?.binding == .averageLoad)
        #expect(heavy.directions.first?.headway == 360)
    }

    @Test("method 3 without passenger-km falls back to method 2 and says so")
    func fallback() throws {
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: 600, routeKm: 8)], method: .loadProfile,
                                     periods: Self.periods, settings: Self.settings)
        let d = try #require(plan.directions.first)
        #expect(d.fellBack)
        #expect(d.method == .maxLoadPoint)
        #expect(d.headway == 600)
    }

    @Test("rounding down to the allowed headways", arguments: [
        // (max load in 2 h, expected headway s): F = maxLoad / 2 / 56.
        (112.0, 3600),  // 1 veh/h: 3600 s exactly
        (150.0, 1800),  // 1.34/h → 2688 s: 45 min is longer, so 30 min
        (224.0, 1800),  // 2/h → 1800 s exactly
        (1120.0, 360),  // 10/h → 360 s exactly
        (1121.0, 300),  // just over 10/h → 359.7 s → 5 min
        (2240.0, 180),  // 20/h → 180 s exactly
    ])
    func rounding(maxLoad: Double, expected: Int) throws {
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: maxLoad)], method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        let d = try #require(plan.directions.first)
        let allowed = ReferenceSettings.defaultAllowedHeadways
        // The chosen headway is the largest allowed one not longer than 3600 / F.
        #expect(Double(d.headway) <= d.requiredHeadway * (1 + 1e-9))
        #expect(allowed.filter { Double($0) <= d.requiredHeadway * (1 + 1e-9) }.max() == d.headway)
        #expect(d.headway == expected)
    }

    @Test("floating point does not push an exact headway down a step: d0 = 70 × 0.7 = 48.999… still gives 10 min")
    func exactBoundary() throws {
        // 588 in 2 h = 294/h; 294 / (70 × 0.7) = 6.000… veh/h → 600 s.
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: 588)], method: .maxLoadPoint, periods: Self.periods,
                                     settings: ReferenceSettings(capacities: ["R": 70], loadFactor: 0.7))
        #expect(plan.directions.first?.headway == 600)
    }

    @Test("a load beyond the smallest allowed headway is a capacity shortfall at that headway")
    func shortfall() throws {
        // 4000 in 2 h = 2000/h ÷ 56 = 35.7 veh/h → 100.8 s < 3 min.
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: 4000)], method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        let d = try #require(plan.directions.first)
        #expect(d.headway == 180)
        #expect(d.capacityShortfall)
        #expect(plan.routes.first?.capacityShortfall == true)
    }

    @Test("the policy minimum frequency binds on light demand; its headway is rounded down too")
    func policy() throws {
        let light = try ReferencePlan(demand: [Self.row(maxLoad: 20)], method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        #expect(light.directions.first?.binding == .policy)
        #expect(light.directions.first?.headway == 3600)

        var fifty = Self.settings
        fifty.policyHeadways = ["R": 3000]
        let capped = try ReferencePlan(demand: [Self.row(maxLoad: 20)], method: .maxLoadPoint, periods: Self.periods, settings: fifty)
        #expect(abs((capped.directions.first?.frequency ?? 0) - 1.2) < 1e-9)
        #expect(capped.directions.first?.headway == 2700)
    }

    @Test("two directions: the busier one drives the route's single headway")
    func twoDirections() throws {
        let plan = try ReferencePlan(demand: [Self.row(direction: 0, maxLoad: 600), Self.row(direction: 1, maxLoad: 300)],
                                     method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        let r = try #require(plan.headway(routeID: "R", period: 0))
        #expect(r.directions.map(\.headway) == [600, 1200])  // 300/2/56 = 2.68/h → 1344 s → 20 min
        #expect(r.headway == 600)
        #expect(r.drivingDirection == 0)
        #expect(!r.fromPolicy)
    }

    @Test("a route running without demand gets its policy headway")
    func noDemand() throws {
        var s = Self.settings
        s.policyHeadways = ["Q": 1500]
        let plan = try ReferencePlan(demand: [Self.row(maxLoad: 600)], method: .maxLoadPoint, periods: Self.periods, settings: s,
                                     running: [RoutePeriod(routeID: "R", periodIndex: 1), RoutePeriod(routeID: "Q", periodIndex: 0)])
        #expect(plan.routes.count == 3)
        let rMidday = try #require(plan.headway(routeID: "R", period: 1))
        #expect(rMidday.fromPolicy)
        #expect(rMidday.headway == 3600)
        #expect(rMidday.drivingDirection == nil)
        // 25 min policy → 20 min, the largest allowed headway not longer.
        #expect(plan.headway(routeID: "Q", period: 0)?.headway == 1200)
        #expect(plan.routes.map(\.routeID) == ["R", "R", "Q"])
    }

    @Test("bad inputs are typed errors")
    func errors() throws {
        #expect(throws: PlannerError.missingCapacity(routeID: "X")) {
            try ReferencePlan(demand: [Self.row("X", maxLoad: 10)], method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        }
        #expect(throws: PlannerError.self) {
            try ReferencePlan(demand: [], method: .maxLoadPoint, periods: Self.periods,
                              settings: ReferenceSettings(defaultCapacity: 70, loadFactor: 0))
        }
        #expect(throws: PlannerError.self) {
            try ReferencePlan(demand: [], method: .maxLoadPoint, periods: Self.periods,
                              settings: ReferenceSettings(defaultCapacity: 70, allowedHeadways: []))
        }
        var wrongPeriod = Self.row(maxLoad: 10)
        wrongPeriod.period = "06:00-09:00"
        #expect(throws: PlannerError.periodMismatch(routeID: "R", direction: 0, period: "06:00-09:00", known: Self.periods.map(\.name))) {
            try ReferencePlan(demand: [wrongPeriod], method: .maxLoadPoint, periods: Self.periods, settings: Self.settings)
        }
        #expect(throws: PlannerError.duplicateDemand(routeID: "R", direction: 0, period: "07:00-09:00")) {
            try ReferencePlan(demand: [Self.row(maxLoad: 10), Self.row(maxLoad: 20)], method: .maxLoadPoint,
                              periods: Self.periods, settings: Self.settings)
        }
        #expect(PlannerError.missingCapacity(routeID: "X").description.contains("--capacity"))
    }
}
