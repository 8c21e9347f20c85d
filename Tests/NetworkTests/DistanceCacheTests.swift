import GTFS
@testable import TransitNetwork
import Testing

/// Compares two results value by value (NaN equal to NaN).
private func sameValues(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in x == y || (x.isNaN && y.isNaN) }
}

/// Checks that projecting once per (pattern, shape) and sharing the result gives every trip
/// exactly what projecting it on its own gives.
private func expectSharedEqualsPerTrip(_ feed: Feed, options: DistanceOptions, sourceLocation: SourceLocation = #_sourceLocation) {
    let patterns = RoutePatterns(feed: feed)
    let shared = ShapeDistances(feed: feed, patterns: patterns, options: options)
    let perTrip = ShapeDistances(feed: feed, patterns: patterns, options: options, sharing: false)
    #expect(shared.offsets == perTrip.offsets, sourceLocation: sourceLocation)
    #expect(shared.methods == perTrip.methods, sourceLocation: sourceLocation)
    #expect(shared.units == perTrip.units, sourceLocation: sourceLocation)
    #expect(sameValues(shared.stopToShapeMetres, perTrip.stopToShapeMetres), sourceLocation: sourceLocation)
    var differing: [String] = []
    for t in 0..<feed.ids(.trip).count where shared.metres(ofTrip: Int32(t)) != perTrip.metres(ofTrip: Int32(t)) {
        differing.append(feed.ids(.trip)[t])
    }
    #expect(differing.isEmpty, "trips whose shared distances differ: \(differing.prefix(5))", sourceLocation: sourceLocation)
    // Issues other than far stops (reported once per projection) are the same, in order.
    let far = NetworkIssue.Code.stopTooFarFromShape
    #expect(shared.issues.filter { $0.code != far }.map(\.message) == perTrip.issues.filter { $0.code != far }.map(\.message),
            sourceLocation: sourceLocation)
    // Every far stop reported per trip is reported once shared (same stop and shape).
    let sharedFar = Set(shared.issues.filter { $0.code == far }.map { "\($0.stop ?? -1)/\($0.shape ?? -1)" })
    let perTripFar = Set(perTrip.issues.filter { $0.code == far }.map { "\($0.stop ?? -1)/\($0.shape ?? -1)" })
    #expect(sharedFar == perTripFar, sourceLocation: sourceLocation)
}

@Suite("Distances: one projection per (pattern, shape), shared by its trips")
struct DistanceCacheTests {
    @Test("sample feed: every trip's distances equal those computed trip by trip")
    func sampleSharedEqualsPerTrip() throws {
        let feed = try #require(GraphFeeds.sample)
        // The feed's own shape_dist_traveled (per trip), then projection for every trip.
        expectSharedEqualsPerTrip(feed, options: DistanceOptions())
        let forced = DistanceOptions(useShapeDistTraveled: false)
        expectSharedEqualsPerTrip(feed, options: forced)
        let d = ShapeDistances(feed: feed, options: forced)
        #expect(d.methodCounts[.shapeProjection] == feed.trips.count)
        // The trips of one pattern and shape share their distances exactly.
        let patterns = RoutePatterns(feed: feed)
        for p in patterns.patterns where p.trips.count > 1 {
            let first = d.metres(ofTrip: p.trips[0])
            for t in p.trips.dropFirst() where feed.trips.shape[Int(patterns.tripRow[Int(t)])] == feed.trips.shape[Int(patterns.tripRow[Int(p.trips[0])])] {
                #expect(d.metres(ofTrip: t) == first)
            }
        }
    }

    @Test("the shared projection matches ShapeDistances.project run on each trip's own stops")
    func sampleMatchesDirectProjection() throws {
        let feed = try #require(GraphFeeds.sample)
        let d = ShapeDistances(feed: feed, options: DistanceOptions(useShapeDistTraveled: false))
        let stopCount = feed.ids(.stop).count
        var lat = [Double](repeating: .nan, count: stopCount), lon = lat
        for r in 0..<feed.stops.count where Geo.isValid(lat: feed.stops.lat[r], lon: feed.stops.lon[r]) {
            lat[Int(feed.stops.id[r])] = feed.stops.lat[r]; lon[Int(feed.stops.id[r])] = feed.stops.lon[r]
        }
        var checked = 0
        for row in 0..<feed.trips.count {
            let t = feed.trips.id[row]
            let stops = feed.stopTimeIndex.rows(ofTrip: t).map { feed.stopTimes.stop[Int($0)] }
            guard d.method(ofTrip: t) == .shapeProjection else { continue }
            let direct = ShapeDistances.project(stops: stops, lat: lat, lon: lon, geometry: d.geometry,
                                                shape: feed.trips.shape[row], snap: DistanceOptions().snapMetres)
            #expect(Array(d.metres(ofTrip: t)) == direct.along, "trip \(feed.ids(.trip)[Int(t)])")
            checked += 1
        }
        #expect(checked == feed.trips.count)
    }

    @Test("vilnius-2016 (projection for every trip): shared equals trip by trip", .enabled(if: GraphFeeds.runnable))
    func vilniusSharedEqualsPerTrip() throws {
        guard let feed = try GraphFeeds.shared("vilnius-2016") else { return }
        expectSharedEqualsPerTrip(feed, options: DistanceOptions())
    }
}
