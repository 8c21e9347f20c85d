import TransitSupport
import ArgumentParser
import GTFS
import TransitNetwork

/// `transit network export FEED --geojson OUT.geojson`: stops and route patterns for a map.
struct NetworkExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the feed's stops and route patterns as GeoJSON, ready for a map viewer.",
        discussion: """
            Stops are Points (stop_id, stop_name, location_type). Each route pattern (a distinct \
            stop sequence of a route and direction) is a LineString along its first trip's shape, \
            or through its stops when it has none (route_id, route_short_name, route_long_name, \
            direction_id, pattern_id, trips, stops, route_color, geometry_source). The file is \
            written to a temporary file beside it and renamed into place.
            """
    )

    @OptionGroup var input: FeedArgument

    @Option(help: "Where to write the GeoJSON FeatureCollection.")
    var geojson: String

    func run() throws {
        let loaded = try input.load()
        let f = loaded.feed
        let patterns = RoutePatterns(feed: f)
        let geometry = ShapeGeometry(feed: f)
        let collection = GeoJSONDocument(feed: f, patterns: patterns, geometry: geometry)
        let text = try JSON.encoding(collection).render(indent: nil) + "\n"
        do {
            try FileSystem.writeAtomically(Array(text.utf8), to: geojson)
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode.failure
        }
        writeToStandardError("wrote \(geojson): \(collection.stopCount) stops, \(collection.routePatternCount) route patterns\n")
    }
}
