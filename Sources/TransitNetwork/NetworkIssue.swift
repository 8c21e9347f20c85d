public import GTFS

/// A problem in the feed's data found while building network structures: a
/// ``GTFS/Finding`` of severity warning that names the trip, stop or shape concerned by
/// interned code (``GTFS/Finding/trip``, ``GTFS/Finding/stop``, ``GTFS/Finding/shape``)
/// instead of a file and line. Reported, never fatal: the structure is still built, using a
/// fallback for the affected trip or stop.
public typealias NetworkIssue = Finding

extension Finding {
    /// Creates a network issue: a warning with a ``Finding/Code`` constant of this module,
    /// naming the trip, stop and shape concerned by their ``GTFS/IDSpace`` codes.
    public init(code: String, message: String, trip: Int32? = nil, stop: Int32? = nil, shape: Int32? = nil) {
        self.init(.warning, code, message: message, trip: trip, stop: stop, shape: shape)
    }
}

/// The issue codes the network module reports.
extension Finding.Code {
    /// A stop used by a trip has no usable latitude/longitude (nor a parent station's).
    public static let stopWithoutPosition = "stop_without_position"
    /// A stop lies more than the allowed distance (default 100 m) from its trip's shape.
    public static let stopTooFarFromShape = "stop_too_far_from_shape"
    /// A trip's arrival/departure times decrease from one stop to the next.
    public static let stopTimesGoBackwards = "stop_times_go_backwards"
    /// A trip's `shape_dist_traveled` decreases; the geometry was used instead.
    public static let decreasingShapeDistTraveled = "decreasing_shape_dist_traveled"
    /// The unit of `shape_dist_traveled` could not be matched to the geometry.
    public static let unknownDistanceUnit = "unknown_shape_dist_traveled_unit"
}
