import ArgumentParser
import Carbon
import GTFS
import TransitNetwork
import Foundation

/// `transit carbon factors`: the methodology in force, and with `--occupancy-from-ridership`
/// each route's factor derived from its measured occupancy.
struct CarbonFactors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "The emission factors, baseline and policy in force, with versions and sources.",
        discussion: """
            With --feed FEED --occupancy-from-ridership, also each route with GTFS-ride counts: \
            its factor per vehicle-km, the occupancy measured from the counts (passenger-km ÷ \
            vehicle-km of the counted trips), and the resulting factor per passenger-km with \
            its source (mode, mode_stated_occupancy, route_factors or measured_occupancy). \
            --route-factors routes are listed too. --format csv prints the route rows when \
            there are any, else the mode factors.
            """)

    @OptionGroup var policyOption: PolicyOption

    @Option(help: "The GTFS feed (folder or .zip) whose counts --occupancy-from-ridership measures.")
    var feed: String?

    @OptionGroup var factorOptions: FactorOptions

    @OptionGroup var output: FormatOption

    func validate() throws {
        try factorOptions.check(feed: feed)
        if feed != nil && !factorOptions.occupancyFromRidership {
            throw ValidationError("--feed is used with --occupancy-from-ridership")
        }
    }

    func run() throws {
        let set = try factorOptions.factorSet()
        let rules = try policyOption.load()
        let routeFactors = try factorOptions.routeFactorTable()
        var occupancy: MeasuredOccupancy?
        if let feed {
            let loaded = try loadFeed(feed, validate: false)
            occupancy = try factorOptions.measuredOccupancy(loaded: loaded, distances: ShapeDistances(feed: loaded.feed))
        }
        let table = RouteFactorTable(factors: set, routeFactors: routeFactors, occupancy: occupancy)
        if occupancy != nil { factorOptions.noteUnchanged(table) }
        let routes = FactorsDocument.listedRoutes(table, routeFactors: routeFactors)
        let baselineMg = set.baselineMilligramsPerKm
        switch output.format {
        case .json:
            print(try JSON.encoding(FactorsDocument(factors: set, policy: rules, routes: routes, occupancy: occupancy)).render())
        case .csv:
            if routes.isEmpty && occupancy == nil {
                var t = TextTable(["mode", "grams_per_passenger_km", "milligrams_per_passenger_km", "grams_per_vehicle_km", "occupancy", "year", "source"])
                for f in set.factors {
                    t.add([f.mode.rawValue, "\(f.gramsPerPassengerKm)", "\(f.milligramsPerPassengerKm)",
                           f.gramsPerVehicleKm.map(String.init) ?? "", f.occupancy.map { "\($0)" } ?? "", "\(f.year)", f.source])
                }
                print(t.csv(), terminator: "")
            } else {
                var t = TextTable(Self.routeColumns)
                for r in routes { t.add(routeCells(r, baselineMg: baselineMg)) }
                print(t.csv(), terminator: "")
            }
        case .table:
            print("\(set.title)\nversion \(set.version); baseline \(set.baseline.rawValue) (\(grams(baselineMg)) g/pkm)\nsource: \(set.source)\n")
            let perVehicle = set.factors.contains { $0.isPerVehicleKm }
            var t = TextTable(["mode", "g CO2e/pkm", "saving g/km", "min m", "speed km/h", "mode-day cap g"] + (perVehicle ? ["g/vkm", "occupancy"] : []) + ["source"],
                              numeric: perVehicle ? [1, 2, 3, 5, 6, 7] : [1, 2, 3, 5])
            for f in set.factors {
                let green = f.mode.isGreen
                let speed = rules.speed(f.mode).map { "\(Int($0.min))-\(Int($0.max))" } ?? ""
                let cap = rules.caps.perModeDayGrams[f.mode.rawValue].map(String.init) ?? ""
                var cells = [f.mode.rawValue, grams(f.milligramsPerPassengerKm), green ? grams(max(0, baselineMg - f.milligramsPerPassengerKm)) : "-",
                             green ? "\(rules.minDistance(f.mode))" : "-", speed, cap]
                if perVehicle { cells += [f.gramsPerVehicleKm.map(String.init) ?? "", f.occupancy.map { decimal($0, 3) } ?? ""] }
                t.add(cells + [f.source])
            }
            print(t.render())
            print("policy \(rules.version): \(rules.gramsPerPoint) g per point; caps \(rules.caps.perTripGrams) g per trip, \(rules.caps.perRiderDayGrams) g per rider-day; schedule tolerance \(rules.scheduleToleranceSeconds) s; points \(rules.pointsValidDays.map { "valid \($0) days" } ?? "never expire")")
            print("saving = floor(max(0, baseline - mode) x km) grams; points = floor(grams / \(rules.gramsPerPoint)) per entry")
            let boarding = rules.boardingOnlyRule
            print("legs without an alighting stop: " + (boarding.rule == .reject ? "rejected (no_alighting); no distance is guessed"
                : "credited per boarding, " + boarding.grams.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) g" }.joined(separator: ", ")
                    + " (other modes: rejected as no_alighting)"))
            if !routes.isEmpty || occupancy != nil {
                let from = occupancy.map { $0.source == "feed" ? "the feed's board_alight.txt" : $0.source }
                print("\nper-route factors" + (from.map { "; occupancy measured from \($0)" } ?? ""))
                var r = TextTable(["route", "mode", "g/vkm", "occupancy", "passenger-km", "vehicle-km", "trips", "g CO2e/pkm", "saving g/km", "factor source"],
                                  numeric: [2, 3, 4, 5, 6, 7, 8])
                for f in routes {
                    let m = f.measured
                    r.add([f.routeID, f.mode?.rawValue ?? "", f.gramsPerVehicleKm.map { decimal($0, 1) } ?? "-",
                           m?.occupancy.map { decimal($0, 3) } ?? "-", m.map { decimal($0.passengerKm, 1) } ?? "-",
                           m.map { decimal($0.vehicleKm, 1) } ?? "-", m.map { "\($0.observedTrips)" } ?? "-",
                           grams(f.milligramsPerPassengerKm), grams(max(0, baselineMg - f.milligramsPerPassengerKm)), f.source.rawValue])
                }
                print(r.render(), terminator: "")
                print("occupancy = passenger-km / vehicle-km of the counted trips (all trips and dates alike); measured_occupancy: g CO2e/pkm = g/vkm / occupancy")
            }
        }
    }

    static let routeColumns = ["route_id", "mode", "factor_source", "grams_per_vehicle_km", "occupancy_used", "measured_occupancy",
                               "passenger_km", "vehicle_km", "observed_trips", "milligrams_per_passenger_km",
                               "grams_per_passenger_km", "saving_milligrams_per_km"]

    func routeCells(_ r: ResolvedRouteFactor, baselineMg: Int) -> [String] {
        let m = r.measured
        return [r.routeID, r.mode?.rawValue ?? "", r.source.rawValue, r.gramsPerVehicleKm.map(plain) ?? "",
                r.occupancy.map(plain) ?? "", m?.occupancy.map(plain) ?? "", m.map { plain($0.passengerKm) } ?? "",
                m.map { plain($0.vehicleKm) } ?? "", m.map { "\($0.observedTrips)" } ?? "", "\(r.milligramsPerPassengerKm)",
                grams(r.milligramsPerPassengerKm), "\(max(0, baselineMg - r.milligramsPerPassengerKm))"]
    }
}

/// Milligrams as grams: a whole number when exact, else three decimals.
private func grams(_ milligrams: Int) -> String {
    milligrams % 1000 == 0 ? "\(milligrams / 1000)" : decimal(Double(milligrams) / 1000, 3)
}

/// `value` as JSON writes it: whole numbers without a decimal point.
private func plain(_ value: Double) -> String {
    JSON.double(value).render(indent: nil)
}

/// `value` with `digits` decimals.
private func decimal(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
