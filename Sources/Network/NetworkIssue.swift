/// A problem in the feed's data found while building network structures: reported, never
/// fatal. The structure is still built, using a fallback for the affected trip or stop.
public struct NetworkIssue: Sendable, Hashable {
    /// A snake_case code, one of the `NetworkIssue.Code` constants.
    public var code: String
    /// What is wrong and what was done about it, in one sentence.
    public var message: String
    /// The trip concerned (``IDSpace/trip`` code), if any.
    public var trip: Int32?
    /// The stop concerned (``IDSpace/stop`` code), if any.
    public var stop: Int32?
    /// The shape concerned (``IDSpace/shape`` code), if any.
    public var shape: Int32?

    /// Creates an issue.
    public init(code: String, message: String, trip: Int32? = nil, stop: Int32? = nil, shape: Int32? = nil) {
        self.code = code
        self.message = message
        self.trip = trip
        self.stop = stop
        self.shape = shape
    }

    /// The issue codes this module reports.
    public enum Code {
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
}
