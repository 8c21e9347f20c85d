import TransitSupport
import ArgumentParser
import Carbon
import GTFS
import TransitNetwork
import Ridership
import Foundation

/// Where the emission factors come from: the factor set, per-route OTP factors, and occupancy
/// measured from ridership. Shared by `carbon credit` and `carbon factors`.
struct FactorOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A factor-set JSON file (default: the shipped UK DESNZ 2022 set).",
        discussion: "Each factor is grams_per_passenger_km, or grams_per_vehicle_km with occupancy (mean passengers per vehicle).",
        valueName: "file"))
    var factors: String?

    @Option(help: ArgumentHelp(
        "Per-route factors in OpenTripPlanner's format: route_id,avg_co2_per_vehicle_per_km,avg_passenger_count.",
        valueName: "file"))
    var routeFactors: String?

    @Flag(help: ArgumentHelp(
        "Divide factors given per vehicle-km by each route's occupancy measured from GTFS-ride counts (needs --feed).",
        discussion: "Occupancy = passenger-km ÷ vehicle-km over the counted trips of board_alight.txt, distances along the shapes. It replaces the stated occupancy of a --route-factors route or of a --factors mode given per vehicle-km. Factors given per passenger-km are used unchanged."))
    var occupancyFromRidership = false

    @Option(help: ArgumentHelp(
        "The board_alight.txt to measure occupancy from (default: the feed's own). Used with --occupancy-from-ridership.",
        valueName: "file"))
    var ridership: String?

    /// Checks the combination of options; `feed` is the command's `--feed`.
    func check(feed: String?) throws {
        if ridership != nil && !occupancyFromRidership {
            throw ValidationError("--ridership is used with --occupancy-from-ridership")
        }
        if occupancyFromRidership && feed == nil {
            throw ValidationError("--occupancy-from-ridership needs --feed FEED (the feed the counts belong to)")
        }
    }

    /// The factor set: `--factors`, else the shipped one.
    func factorSet() throws -> FactorSet {
        try carbonRun { () throws(CarbonError) in
            if let factors { return try FactorSet.load(path: factors) }
            return try FactorSet.ukDESNZ2022
        }
    }

    /// The `--route-factors` table, when given.
    func routeFactorTable() throws -> RouteFactors? {
        guard let routeFactors else { return nil }
        guard let data = FileManager.default.contents(atPath: routeFactors) else {
            throw ValidationError("--route-factors: cannot read \(routeFactors)")
        }
        return try carbonRun { () throws(CarbonError) in try RouteFactors.parse(String(decoding: data, as: UTF8.self), file: routeFactors) }
    }

    /// The occupancy measured from the counts, when `--occupancy-from-ridership` is given;
    /// what reading the counts found goes to standard error.
    func measuredOccupancy(loaded: LoadedFeed, distances: ShapeDistances) throws -> MeasuredOccupancy? {
        guard occupancyFromRidership else { return nil }
        let input: RidershipInput
        do {
            input = try RidershipInput.load(feed: loaded.feed, report: loaded.report, boardAlightPath: ridership)
        } catch {
            writeToStandardError("error: \(error.description)\n")
            throw ExitCode.failure
        }
        let measured = try carbonRun { () throws(CarbonError) in try MeasuredOccupancy.measure(input: input, distances: distances) }
        let shown = measured.issues.filter { $0.severity != .info }
        for issue in shown.prefix(20) { writeToStandardError("\(issue)\n") }
        if shown.count > 20 { writeToStandardError("… \(shown.count - 20) more ridership issues\n") }
        let trips = measured.routes.reduce(0) { $0 + $1.observedTrips }
        let source = measured.source == "feed" ? "the feed's board_alight.txt" : measured.source
        writeToStandardError("occupancy: measured on \(measured.routes.count) route(s) from \(trips) counted trip(s) in \(source)\n")
        let unusable = measured.routes.filter { $0.occupancy == nil }.map(\.routeID)
        if !unusable.isEmpty {
            writeToStandardError("note: route(s) \(unusable.joined(separator: ", ")) have counts but no passenger-km or vehicle-km; their stated occupancy is used\n")
        }
        return measured
    }

    /// Says on standard error which measured routes keep a factor per passenger-km (the
    /// measurement does not change them).
    func noteUnchanged(_ table: RouteFactorTable) {
        let unchanged = table.measuredRoutes.filter { $0.source == .mode }
        guard !unchanged.isEmpty else { return }
        let modes = Set(unchanged.compactMap { $0.mode?.rawValue }).sorted().joined(separator: ", ")
        writeToStandardError("note: \(unchanged.count) measured route(s) (\(modes)) keep the factor set's factor per passenger-km, which already includes its publisher's occupancy; give a per-vehicle-km factor with --factors or --route-factors to use the measured occupancy\n")
    }

    /// The pricer `carbon credit` and `serve` credit with: the factor set, the route factors,
    /// and with a feed its distances and (when asked) its measured occupancy.
    func pricer(feed: String?, policy: Policy) throws -> Pricer {
        let factors = try factorSet()
        let routes = try routeFactorTable()
        var context: FeedContext?
        var occupancy: MeasuredOccupancy?
        if let feed {
            let loaded = try loadFeed(feed, validate: false)
            let distances = ShapeDistances(feed: loaded.feed)
            occupancy = try measuredOccupancy(loaded: loaded, distances: distances)
            context = FeedContext(feed: loaded.feed, distances: distances)
        }
        let pricer = Pricer(factors: factors, policy: policy, routeFactors: routes, occupancy: occupancy, feed: context)
        if occupancy != nil { noteUnchanged(pricer.table) }
        return pricer
    }
}
