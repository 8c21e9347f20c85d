public import GTFS

/// Options for ``ShapeDistances``.
public struct DistanceOptions: Sendable {
    /// Use `stop_times.shape_dist_traveled` when the feed gives it (default `true`); `false`
    /// forces projection onto the shapes (used to check one against the other).
    public var useShapeDistTraveled: Bool
    /// Use the shapes at all (default `true`); `false` forces great-circle distances.
    public var useShapes: Bool
    /// A stop farther than this from its trip's shape (metres) is reported (default 100).
    public var maxStopToShapeMetres: Double
    /// While projecting, every pass of the shape within this many metres of a stop is a
    /// candidate place for it, besides the six closest passes (default 50).
    public var snapMetres: Double

    /// Creates options (see each property for the defaults).
    public init(useShapeDistTraveled: Bool = true, useShapes: Bool = true,
                maxStopToShapeMetres: Double = 100, snapMetres: Double = 50) {
        self.useShapeDistTraveled = useShapeDistTraveled
        self.useShapes = useShapes
        self.maxStopToShapeMetres = maxStopToShapeMetres
        self.snapMetres = snapMetres
    }
}

/// For every trip, the distance in metres of each of its stops from the trip's first stop,
/// and the method used (``DistanceMethod``).
///
/// Methods, in order of preference, per trip:
/// 1. **`shape_dist_traveled`** when every stop of the trip has a value, the values never
///    decrease, and the unit is known. The unit is detected per shape by comparing the span of
///    `shapes.shape_dist_traveled` with the polyline's length in metres (or, when shapes.txt
///    lacks the column, the longest span of the shape's trips' stop values with the polyline's
///    length; for a trip without a shape, its span with the great-circle length through its
///    stops). The candidate (metres, kilometres, miles, feet) nearest on a log scale, within a
///    factor of 1.5, wins; otherwise the unit is reported unknown and the geometry is used.
/// 2. **Projection** onto the shape polyline: each pass of the shape near a stop (a local
///    minimum of the distance) is a candidate place; the places chosen are those that never
///    go backwards along the shape and keep the stops, in total, closest to it (dynamic
///    programming over the trip's stops). Distances are measured along the great-circle
///    length of the polyline.
/// 3. **Great circle** between consecutive stops when the trip has no usable shape.
///
/// Stops without a position take the position of their parent station; failing that they take
/// the previous stop's distance and are reported. Distances never decrease within a trip.
public struct ShapeDistances: Sendable {
    /// Per trip code, where its stops start in ``metres``; the same offsets as the feed's
    /// ``StopTimeIndex`` (`tripCount + 1` entries).
    public let offsets: [Int32]
    /// Metres from the trip's first stop, for each stop of each trip in `stop_sequence` order.
    public let metres: [Double]
    /// Per trip code, the method used (`nil` for a trip without stop times).
    public let methods: [DistanceMethod?]
    /// Per shape code, the detected unit of its `shape_dist_traveled` (`nil` when the feed has
    /// none for that shape or it could not be matched).
    public let units: [DistanceUnit?]
    /// Per stop code, the distance (metres) from the stop to the nearest point of the shapes
    /// it was projected on (the largest seen), or NaN when never projected.
    public let stopToShapeMetres: [Double]
    /// Data problems found (stops without position, stops far from their shape, times or
    /// distances going backwards, unknown units).
    public let issues: [NetworkIssue]
    /// The shapes used.
    public let geometry: ShapeGeometry

    /// Computes the distances for every trip of `feed`.
    /// - Parameters:
    ///   - patterns: the feed's patterns (computed when `nil`); projections are shared by the
    ///     trips of one pattern and shape.
    /// - Complexity: O(stop_times + shape points) for the feed's own distances; projection
    ///   costs O(stops × shape points) per distinct (pattern, shape) pair (every segment is
    ///   measured for every stop, four segments at a time), the pairs shared by two threads
    ///   when there are many.
    public init(feed: Feed, patterns: RoutePatterns? = nil, options: DistanceOptions = DistanceOptions()) {
        self.init(feed: feed, patterns: patterns, options: options, sharing: true)
    }

    /// One projection of a stop sequence onto a shape.
    struct Projection: Sendable {
        /// The stop codes projected.
        var stops: [Int32]
        /// Metres from the first stop along the shape, per stop.
        var along: [Double]
        /// Each stop's distance from the shape (NaN when unpositioned).
        var offset: [Double]
        /// Where the first stop lies along the shape, metres from its start.
        var start: Double
    }

    /// Computes the distances; with `sharing` off every trip is projected on its own instead
    /// of once per (pattern, shape) (the reference the tests compare the shared results with;
    /// far-stop issues are then reported per trip).
    init(feed: Feed, patterns: RoutePatterns?, options: DistanceOptions, sharing: Bool) {
        let patterns = patterns ?? RoutePatterns(feed: feed)
        let geometry = ShapeGeometry(feed: feed)
        let shapeDistTraveled = options.useShapeDistTraveled ? feed.stopTimes.shapeDistTraveled : nil
        var issues: [NetworkIssue] = []
        let units = Self.detectUnits(feed: feed, geometry: geometry, shapeDistTraveled: shapeDistTraveled, issues: &issues)
        var passes = DistancePasses(feed: feed, patterns: patterns, geometry: geometry, options: options,
                                    sharing: sharing, units: units, shapeDistTraveled: shapeDistTraveled, issues: issues)
        passes.walkTrips()
        let projections = passes.projectKeys()
        passes.finish(with: projections)
        self.offsets = passes.index.offsets
        self.metres = passes.metres
        self.methods = passes.methods
        self.units = units
        self.stopToShapeMetres = passes.stopToShape
        self.issues = passes.issues
        self.geometry = geometry
    }

    /// The name of `code` in `space` for a message (`#code` when out of range).
    static func name(_ feed: Feed, _ space: IDSpace, _ code: Int32) -> String {
        let ids = feed.ids(space)
        return code >= 0 && Int(code) < ids.count ? ids[Int(code)] : "#\(code)"
    }

    /// Cumulative great-circle metres through the positioned stops of `rows`.
    static func greatCircle(rows: StopTimeIndex.Rows, stopCodes: [Int32], lat: [Double], lon: [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(rows.count)
        var total = 0.0
        var pLat = Double.nan, pLon = Double.nan
        for r in rows {
            let s = stopCodes[Int(r)]
            if s >= 0, Int(s) < lat.count, !lat[Int(s)].isNaN {
                if !pLat.isNaN { total += Geo.haversine(lat1: pLat, lon1: pLon, lat2: lat[Int(s)], lon2: lon[Int(s)]) }
                pLat = lat[Int(s)]; pLon = lon[Int(s)]
            }
            out.append(total)
        }
        return out
    }

    /// The distances (metres from the first stop) of trip code `trip`'s stops, in
    /// `stop_sequence` order (empty for an unknown trip).
    /// - Complexity: O(1).
    public func metres(ofTrip trip: Int32) -> ArraySlice<Double> {
        guard trip >= 0, Int(trip) + 1 < offsets.count else { return [] }
        return metres[Int(offsets[Int(trip)])..<Int(offsets[Int(trip) + 1])]
    }

    /// The method used for trip code `trip`, or `nil` when it has no stop times.
    /// - Complexity: O(1).
    public func method(ofTrip trip: Int32) -> DistanceMethod? {
        guard trip >= 0, Int(trip) < methods.count else { return nil }
        return methods[Int(trip)]
    }

    /// How many trips used each method.
    /// - Complexity: O(trips).
    public var methodCounts: [DistanceMethod: Int] {
        var c: [DistanceMethod: Int] = [:]
        for m in methods { if let m { c[m, default: 0] += 1 } }
        return c
    }
}
