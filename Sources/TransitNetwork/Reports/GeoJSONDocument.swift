/// The GeoJSON `FeatureCollection` that `transit network export` writes: every stop with valid
/// coordinates as a Point, then every route pattern as a LineString along its first trip's
/// shape, or through its stops when that has no usable shape. Coordinates are
/// `[longitude, latitude]` in degrees (RFC 7946).
///
/// Built by ``init(feed:patterns:geometry:)``; encodes with snake_case keys in the order
/// declared here.
public struct GeoJSONDocument: Codable, Sendable, Equatable {
    /// Always `FeatureCollection`.
    public var type: String
    /// The stops, then the route patterns.
    public var features: [Feature]

    enum CodingKeys: String, CodingKey {
        case type
        case features
    }

    /// How many features are stops.
    public var stopCount: Int { features.count(where: { if case .stop = $0.properties { true } else { false } }) }

    /// How many features are route patterns.
    public var routePatternCount: Int { features.count - stopCount }

    /// One feature: its geometry and what it is.
    public struct Feature: Codable, Sendable, Equatable {
        /// Always `Feature`.
        public var type: String
        /// Where it is.
        public var geometry: Geometry
        /// What it is.
        public var properties: Properties

        enum CodingKeys: String, CodingKey {
            case type
            case geometry
            case properties
        }

        /// A feature of `geometry` and `properties`.
        public init(geometry: Geometry, properties: Properties) {
            type = "Feature"
            self.geometry = geometry
            self.properties = properties
        }
    }

    /// A Point or a LineString, encoded as `{"type": …, "coordinates": …}`.
    public enum Geometry: Codable, Sendable, Equatable {
        /// One position, `[longitude, latitude]`.
        case point([Double])
        /// Two or more positions.
        case lineString([[Double]])

        enum CodingKeys: String, CodingKey {
            case type
            case coordinates
        }

        /// Encodes the type, then the coordinates.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .point(let position):
                try container.encode("Point", forKey: .type)
                try container.encode(position, forKey: .coordinates)
            case .lineString(let positions):
                try container.encode("LineString", forKey: .type)
                try container.encode(positions, forKey: .coordinates)
            }
        }

        /// Decodes a Point or a LineString.
        /// - Throws: `DecodingError.dataCorrupted` for any other geometry type.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "Point": self = .point(try container.decode([Double].self, forKey: .coordinates))
            case "LineString": self = .lineString(try container.decode([[Double]].self, forKey: .coordinates))
            default:
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unsupported geometry type '\(type)'")
            }
        }
    }

    /// The properties of a stop or of a route pattern, told apart by their `kind`.
    public enum Properties: Codable, Sendable, Equatable {
        /// A stop (`kind` `stop`).
        case stop(StopProperties)
        /// A route pattern (`kind` `route_pattern`).
        case routePattern(RoutePatternProperties)

        private enum KindKey: String, CodingKey { case kind }

        /// Encodes the case's properties, `kind` first.
        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .stop(let p): try p.encode(to: encoder)
            case .routePattern(let p): try p.encode(to: encoder)
            }
        }

        /// Decodes by `kind`.
        /// - Throws: `DecodingError.dataCorrupted` for an unknown kind.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: KindKey.self)
            let kind = try container.decode(String.self, forKey: .kind)
            switch kind {
            case "stop": self = .stop(try StopProperties(from: decoder))
            case "route_pattern": self = .routePattern(try RoutePatternProperties(from: decoder))
            default:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown feature kind '\(kind)'")
            }
        }
    }

    /// What a stop feature says.
    public struct StopProperties: Codable, Sendable, Equatable {
        /// Always `stop`.
        public var kind: String
        /// `stop_id`.
        public var stopID: String
        /// `stop_name`, if any.
        public var stopName: String?
        /// `location_type` (0 when empty).
        public var locationType: Int

        enum CodingKeys: String, CodingKey {
            case kind
            case stopID = "stop_id"
            case stopName = "stop_name"
            case locationType = "location_type"
        }
    }

    /// What a route pattern feature says.
    public struct RoutePatternProperties: Codable, Sendable, Equatable {
        /// Always `route_pattern`.
        public var kind: String
        /// `route_id`.
        public var routeID: String
        /// `route_short_name`, if any.
        public var routeShortName: String?
        /// `route_long_name`, if any.
        public var routeLongName: String?
        /// The pattern's direction.
        public var directionID: Int
        /// The pattern's id in ``RoutePatterns``.
        public var patternID: Int
        /// Trips that run the pattern.
        public var trips: Int
        /// Stops of the pattern.
        public var stops: Int
        /// `route_color` as `#RRGGBB`, if any.
        public var routeColor: String?
        /// `shape` when the line follows the first trip's shape, `stops` when it joins the stops.
        public var geometrySource: String

        enum CodingKeys: String, CodingKey {
            case kind
            case routeID = "route_id"
            case routeShortName = "route_short_name"
            case routeLongName = "route_long_name"
            case directionID = "direction_id"
            case patternID = "pattern_id"
            case trips
            case stops
            case routeColor = "route_color"
            case geometrySource = "geometry_source"
        }
    }
}
