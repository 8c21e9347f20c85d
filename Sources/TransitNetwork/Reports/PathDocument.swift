public import GTFS

/// What `transit network path` reports, as a document: the fastest path between two stops,
/// its time, and its legs (consecutive rides of one pattern merged into one leg).
///
/// Built from the result of ``Dijkstra/path(_:from:to:statistic:)`` by
/// ``init(feed:path:fromStop:toStop:statistic:seconds:steps:)``; encodes with snake_case keys
/// in the order declared here.
public struct PathDocument: Codable, Sendable, Equatable {
    /// The feed path as given.
    public var feed: String
    /// The `stop_id` the path starts from.
    public var fromStopID: String
    /// The `stop_id` it reaches.
    public var toStopID: String
    /// The run-time statistic charged for rides (`min` or `median`).
    public var statistic: String
    /// The path's time in seconds.
    public var seconds: Int
    /// The same time as `H:MM:SS`.
    public var time: String
    /// The legs in travel order.
    public var legs: [Leg]

    enum CodingKeys: String, CodingKey {
        case feed
        case fromStopID = "from_stop_id"
        case toStopID = "to_stop_id"
        case statistic
        case seconds
        case time
        case legs
    }

    /// One leg: consecutive ride steps on one pattern, or one transfer or walk.
    public struct Leg: Codable, Sendable, Equatable {
        /// `ride`, `transfer` (a `transfers.txt` link) or `walk`.
        public var mode: String
        /// The route ridden (rides only).
        public var routeID: String?
        /// The first stop.
        public var fromStopID: String
        /// The last stop.
        public var toStopID: String
        /// Every stop of the leg, in order (the first and the last included).
        public var stops: [String]
        /// The leg's time in seconds.
        public var seconds: Int

        enum CodingKeys: String, CodingKey {
            case mode
            case routeID = "route_id"
            case fromStopID = "from_stop_id"
            case toStopID = "to_stop_id"
            case stops
            case seconds
        }
    }

    /// The document of a path of `seconds` through `steps` on `feed` (read from `path`),
    /// between the stops the user named `fromStop` and `toStop`.
    /// - Complexity: O(steps).
    public init(feed: Feed, path: String, fromStop: String, toStop: String, statistic: RunTimeStatistic,
                seconds: Int32, steps: [PathStep]) {
        self.feed = path
        fromStopID = fromStop
        toStopID = toStop
        self.statistic = statistic.rawValue
        self.seconds = Int(seconds)
        time = GTFSTime.format(seconds)
        let stopIDs = feed.ids(.stop), routeIDs = feed.ids(.route)
        func id(_ c: Int32) -> String { c >= 0 && Int(c) < stopIDs.count ? stopIDs[Int(c)] : "" }
        var codes: [(mode: String, route: String?, stops: [Int32], seconds: Int32)] = []
        var lastPattern: Int32 = -1
        for step in steps {
            switch step.kind {
            case .ride(_, let route, let pattern):
                if pattern == lastPattern, var leg = codes.popLast() {
                    leg.stops.append(step.to)
                    leg.seconds += step.seconds
                    codes.append(leg)
                } else {
                    codes.append(("ride", route >= 0 && Int(route) < routeIDs.count ? routeIDs[Int(route)] : nil,
                                  [step.from, step.to], step.seconds))
                }
                lastPattern = pattern
            case .transfer(_, let source):
                codes.append((source == .walking ? "walk" : "transfer", nil, [step.from, step.to], step.seconds))
                lastPattern = -1
            }
        }
        legs = codes.map { leg in
            Leg(mode: leg.mode, routeID: leg.route, fromStopID: id(leg.stops.first ?? -1), toStopID: id(leg.stops.last ?? -1),
                stops: leg.stops.map(id), seconds: Int(leg.seconds))
        }
    }
}
