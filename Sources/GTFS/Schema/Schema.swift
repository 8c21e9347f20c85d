/// The kinds of identifier a feed defines and references.
///
/// Every identifier of one space is interned once per feed: its *code* (an `Int32`) is a dense
/// index into ``Feed/ids(_:)``, and codes below ``Feed/definedCount(_:)`` are the identifiers
/// that the defining file declares, in the order of their first appearance there.
public enum IDSpace: String, Sendable, CaseIterable, Hashable, Codable {
    case agency, stop, route, trip, service, shape, level, pathway, fare
    /// Fares v2: areas, networks, fare media, fare products, rider categories, leg groups
    /// and timeframe groups.
    case area, network, fareMedia, fareProduct, riderCategory, legGroup, timeframeGroup
    /// GTFS-Flex: booking rules and location groups.
    case bookingRule, locationGroup

    /// The file and column that declare identifiers of this space.
    public var definingFiles: [(file: String, field: String)] {
        switch self {
        case .agency: [("agency.txt", "agency_id")]
        case .stop: [("stops.txt", "stop_id")]
        case .route: [("routes.txt", "route_id")]
        case .trip: [("trips.txt", "trip_id")]
        case .service: [("calendar.txt", "service_id"), ("calendar_dates.txt", "service_id")]
        case .shape: [("shapes.txt", "shape_id")]
        case .level: [("levels.txt", "level_id")]
        case .pathway: [("pathways.txt", "pathway_id")]
        case .fare: [("fare_attributes.txt", "fare_id")]
        case .area: [("areas.txt", "area_id")]
        case .network: [("networks.txt", "network_id"), ("routes.txt", "network_id")]
        case .fareMedia: [("fare_media.txt", "fare_media_id")]
        case .fareProduct: [("fare_products.txt", "fare_product_id")]
        case .riderCategory: [("rider_categories.txt", "rider_category_id")]
        case .legGroup: [("fare_leg_rules.txt", "leg_group_id")]
        case .timeframeGroup: [("timeframes.txt", "timeframe_group_id")]
        case .bookingRule: [("booking_rules.txt", "booking_rule_id")]
        case .locationGroup: [("location_groups.txt", "location_group_id")]
        }
    }

    /// Whether references into this space are reported one by one (`foreign_key_violation`)
    /// when no defining file has rows, as the canonical validator does. For the required
    /// files and shapes, levels and pathways, the missing or empty file is the defect and its
    /// references are not listed; stop_times.txt's stop_id, trips.txt's service_id and the
    /// references into the optional fares and GTFS-Flex files are listed anyway.
    public var referencesCheckedWhenUndefined: Bool {
        switch self {
        case .agency, .route, .trip, .shape, .level, .pathway: false
        case .stop, .service, .fare, .area, .network, .fareMedia, .fareProduct, .riderCategory, .legGroup,
             .timeframeGroup, .bookingRule, .locationGroup: true
        }
    }
}

/// The value type of a field, which decides how it is parsed and stored.
public enum FieldType: Sendable, Hashable {
    /// An identifier of `space`; stored as an interned code.
    case id(IDSpace)
    /// Free text; stored dictionary-encoded.
    case text
    /// A URL (stored as text; checked to have a scheme).
    case url
    /// An e-mail address (stored as text).
    case email
    /// An IANA time zone name such as `Europe/Vilnius` (stored as text).
    case timezone
    /// A colour as six hexadecimal digits (stored as text).
    case color
    /// A whole number within `range`.
    case integer(ClosedRange<Int32>)
    /// A decimal number within `range`.
    case real(ClosedRange<Double>)
    /// A GTFS time `H:MM:SS` or `HH:MM:SS`, stored as seconds since service-day midnight.
    case time
    /// A GTFS date `YYYYMMDD`, stored as a ``GTFSDate``.
    case date
    /// Anything else that is stored as text (language codes, currency codes, phone numbers).
    case code

    /// Whether values of this type are stored as dictionary-encoded strings.
    public var isString: Bool {
        switch self {
        case .id, .text, .url, .email, .timezone, .color, .code: true
        case .integer, .real, .time, .date: false
        }
    }
}

/// Whether a file or field must be present.
public enum Presence: Sendable, Hashable {
    /// Must be present (a column: present, with a value in every row).
    case required
    /// A column that must be present, but whose empty value means a default (`transfer_type`:
    /// empty means 0).
    case requiredColumn
    /// Required in some situations that a validation rule checks.
    case conditional
    /// May be absent.
    case optional
}

/// One column of a file as the GTFS reference (or GTFS-ride) defines it.
public struct FieldSchema: Sendable, Hashable {
    /// The column name exactly as it stands in the header.
    public let name: String
    /// How values are parsed and stored.
    public let type: FieldType
    /// Whether the column must be present and non-empty.
    public let presence: Presence

    /// Creates a field description.
    public init(_ name: String, _ type: FieldType, _ presence: Presence = .optional) {
        self.name = name
        self.type = type
        self.presence = presence
    }
}

/// One file of a feed as the GTFS reference (or GTFS-ride) defines it.
public struct FileSchema: Sendable, Hashable {
    /// The file name, e.g. `stop_times.txt`.
    public let name: String
    /// Whether the file must be present.
    public let presence: Presence
    /// The standard columns, in the reference's order (used when writing).
    public let fields: [FieldSchema]
    /// The columns whose values together must be unique.
    public let primaryKey: [String]

    /// The schema of the column `name`, if it is a standard column of this file.
    public func field(_ name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }
}

/// The files this library reads as typed tables: the GTFS Schedule files a planner uses and the
/// GTFS-ride ridership files. Other files of a feed are kept byte for byte.
public enum GTFSSchema {
    static let nonNegative: ClosedRange<Int32> = 0...Int32.max
    static let positive: ClosedRange<Int32> = 1...Int32.max
    static let anyInt: ClosedRange<Int32> = (Int32.min + 1)...Int32.max
    static let anyReal: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
    static let nonNegativeReal: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude
    static let dayFlag: FieldType = .integer(0...1)

    /// Every typed file, in the order the writer emits them.
    public static let files: [FileSchema] = scheduleFiles + faresAndFlexFiles + feedAndRideFiles

    /// The schedule files from agency.txt to pathways.txt.
    static let scheduleFiles: [FileSchema] = [
        FileSchema(name: "agency.txt", presence: .required, fields: [
            FieldSchema("agency_id", .id(.agency), .conditional),
            FieldSchema("agency_name", .text, .required),
            FieldSchema("agency_url", .url, .required),
            FieldSchema("agency_timezone", .timezone, .required),
            FieldSchema("agency_lang", .code),
            FieldSchema("agency_phone", .code),
            FieldSchema("agency_fare_url", .url),
            FieldSchema("agency_email", .email),
        ], primaryKey: ["agency_id"]),
        FileSchema(name: "stops.txt", presence: .required, fields: [
            FieldSchema("stop_id", .id(.stop), .required),
            FieldSchema("stop_code", .text),
            FieldSchema("stop_name", .text, .conditional),
            FieldSchema("tts_stop_name", .text),
            FieldSchema("stop_desc", .text),
            FieldSchema("stop_lat", .real(-90...90), .conditional),
            FieldSchema("stop_lon", .real(-180...180), .conditional),
            FieldSchema("zone_id", .code),
            FieldSchema("stop_url", .url),
            FieldSchema("location_type", .integer(0...4)),
            FieldSchema("parent_station", .id(.stop), .conditional),
            FieldSchema("stop_timezone", .timezone),
            FieldSchema("wheelchair_boarding", .integer(0...2)),
            FieldSchema("level_id", .id(.level)),
            FieldSchema("platform_code", .text),
            FieldSchema("stop_access", .integer(0...1)),
        ], primaryKey: ["stop_id"]),
        FileSchema(name: "routes.txt", presence: .required, fields: [
            FieldSchema("route_id", .id(.route), .required),
            FieldSchema("agency_id", .id(.agency), .conditional),
            FieldSchema("route_short_name", .text, .conditional),
            FieldSchema("route_long_name", .text, .conditional),
            FieldSchema("route_desc", .text),
            FieldSchema("route_type", .integer(0...1702), .required),
            FieldSchema("route_url", .url),
            FieldSchema("route_color", .color),
            FieldSchema("route_text_color", .color),
            FieldSchema("route_sort_order", .integer(nonNegative)),
            FieldSchema("continuous_pickup", .integer(0...3)),
            FieldSchema("continuous_drop_off", .integer(0...3)),
            FieldSchema("network_id", .id(.network)),
        ], primaryKey: ["route_id"]),
        FileSchema(name: "trips.txt", presence: .required, fields: [
            FieldSchema("route_id", .id(.route), .required),
            FieldSchema("service_id", .id(.service), .required),
            FieldSchema("trip_id", .id(.trip), .required),
            FieldSchema("trip_headsign", .text),
            FieldSchema("trip_short_name", .text),
            FieldSchema("direction_id", .integer(0...1)),
            FieldSchema("block_id", .code),
            FieldSchema("shape_id", .id(.shape), .conditional),
            FieldSchema("wheelchair_accessible", .integer(0...2)),
            FieldSchema("bikes_allowed", .integer(0...2)),
        ], primaryKey: ["trip_id"]),
        FileSchema(name: "stop_times.txt", presence: .required, fields: [
            FieldSchema("trip_id", .id(.trip), .required),
            FieldSchema("arrival_time", .time, .conditional),
            FieldSchema("departure_time", .time, .conditional),
            FieldSchema("stop_id", .id(.stop), .conditional),
            FieldSchema("stop_sequence", .integer(nonNegative), .required),
            FieldSchema("stop_headsign", .text),
            FieldSchema("pickup_type", .integer(0...3)),
            FieldSchema("drop_off_type", .integer(0...3)),
            FieldSchema("continuous_pickup", .integer(0...3)),
            FieldSchema("continuous_drop_off", .integer(0...3)),
            FieldSchema("shape_dist_traveled", .real(nonNegativeReal)),
            FieldSchema("timepoint", .integer(0...1)),
            // GTFS-Flex.
            FieldSchema("location_group_id", .id(.locationGroup)),
            FieldSchema("location_id", .code),
            FieldSchema("start_pickup_drop_off_window", .time),
            FieldSchema("end_pickup_drop_off_window", .time),
            FieldSchema("pickup_booking_rule_id", .id(.bookingRule)),
            FieldSchema("drop_off_booking_rule_id", .id(.bookingRule)),
        ], primaryKey: ["trip_id", "stop_sequence"]),
        FileSchema(name: "calendar.txt", presence: .conditional, fields: [
            FieldSchema("service_id", .id(.service), .required),
            FieldSchema("monday", dayFlag, .required),
            FieldSchema("tuesday", dayFlag, .required),
            FieldSchema("wednesday", dayFlag, .required),
            FieldSchema("thursday", dayFlag, .required),
            FieldSchema("friday", dayFlag, .required),
            FieldSchema("saturday", dayFlag, .required),
            FieldSchema("sunday", dayFlag, .required),
            FieldSchema("start_date", .date, .required),
            FieldSchema("end_date", .date, .required),
        ], primaryKey: ["service_id"]),
        FileSchema(name: "calendar_dates.txt", presence: .conditional, fields: [
            FieldSchema("service_id", .id(.service), .required),
            FieldSchema("date", .date, .required),
            FieldSchema("exception_type", .integer(1...2), .required),
        ], primaryKey: ["service_id", "date"]),
        FileSchema(name: "shapes.txt", presence: .optional, fields: [
            FieldSchema("shape_id", .id(.shape), .required),
            FieldSchema("shape_pt_lat", .real(-90...90), .required),
            FieldSchema("shape_pt_lon", .real(-180...180), .required),
            FieldSchema("shape_pt_sequence", .integer(nonNegative), .required),
            FieldSchema("shape_dist_traveled", .real(nonNegativeReal)),
        ], primaryKey: ["shape_id", "shape_pt_sequence"]),
        FileSchema(name: "frequencies.txt", presence: .optional, fields: [
            FieldSchema("trip_id", .id(.trip), .required),
            FieldSchema("start_time", .time, .required),
            FieldSchema("end_time", .time, .required),
            FieldSchema("headway_secs", .integer(positive), .required),
            FieldSchema("exact_times", .integer(0...1)),
        ], primaryKey: ["trip_id", "start_time"]),
        FileSchema(name: "transfers.txt", presence: .optional, fields: [
            FieldSchema("from_stop_id", .id(.stop), .conditional),
            FieldSchema("to_stop_id", .id(.stop), .conditional),
            FieldSchema("from_route_id", .id(.route)),
            FieldSchema("to_route_id", .id(.route)),
            FieldSchema("from_trip_id", .id(.trip), .conditional),
            FieldSchema("to_trip_id", .id(.trip), .conditional),
            FieldSchema("transfer_type", .integer(0...5), .requiredColumn),
            FieldSchema("min_transfer_time", .integer(nonNegative)),
        ], primaryKey: ["from_stop_id", "to_stop_id", "from_trip_id", "to_trip_id", "from_route_id", "to_route_id"]),
        FileSchema(name: "levels.txt", presence: .optional, fields: [
            FieldSchema("level_id", .id(.level), .required),
            FieldSchema("level_index", .real(anyReal), .required),
            FieldSchema("level_name", .text),
        ], primaryKey: ["level_id"]),
        FileSchema(name: "pathways.txt", presence: .optional, fields: [
            FieldSchema("pathway_id", .id(.pathway), .required),
            FieldSchema("from_stop_id", .id(.stop), .required),
            FieldSchema("to_stop_id", .id(.stop), .required),
            FieldSchema("pathway_mode", .integer(1...7), .required),
            FieldSchema("is_bidirectional", .integer(0...1), .required),
            FieldSchema("length", .real(nonNegativeReal)),
            FieldSchema("traversal_time", .integer(positive)),
            FieldSchema("stair_count", .integer(anyInt)),
            FieldSchema("max_slope", .real(anyReal)),
            FieldSchema("min_width", .real(nonNegativeReal)),
            FieldSchema("signposted_as", .text),
            FieldSchema("reversed_signposted_as", .text),
        ], primaryKey: ["pathway_id"]),
    ]

    /// feed_info.txt and the GTFS-ride files.
    static let feedAndRideFiles: [FileSchema] = [
        FileSchema(name: "feed_info.txt", presence: .optional, fields: [
            FieldSchema("feed_publisher_name", .text, .required),
            FieldSchema("feed_publisher_url", .url, .required),
            FieldSchema("feed_lang", .code, .required),
            FieldSchema("default_lang", .code),
            FieldSchema("feed_start_date", .date),
            FieldSchema("feed_end_date", .date),
            FieldSchema("feed_version", .text),
            FieldSchema("feed_contact_email", .email),
            FieldSchema("feed_contact_url", .url),
        ], primaryKey: []),
        // GTFS-ride (ODOT-PTS/GTFS-ride): ridership beside the schedule.
        FileSchema(name: "board_alight.txt", presence: .optional, fields: [
            FieldSchema("trip_id", .id(.trip), .required),
            FieldSchema("stop_id", .id(.stop), .required),
            FieldSchema("stop_sequence", .integer(nonNegative), .required),
            FieldSchema("record_use", .integer(0...1), .required),
            FieldSchema("schedule_relationship", .integer(0...7)),
            FieldSchema("boardings", .integer(nonNegative)),
            FieldSchema("alightings", .integer(nonNegative)),
            FieldSchema("current_load", .integer(nonNegative)),
            FieldSchema("load_count", .integer(nonNegative)),
            FieldSchema("load_type", .integer(0...1)),
            FieldSchema("rack_down", .integer(0...1)),
            FieldSchema("bike_boardings", .integer(nonNegative)),
            FieldSchema("bike_alightings", .integer(nonNegative)),
            FieldSchema("ramp_used", .integer(0...1)),
            FieldSchema("ramp_boardings", .integer(nonNegative)),
            FieldSchema("ramp_alightings", .integer(nonNegative)),
            FieldSchema("service_date", .date),
            FieldSchema("service_arrival_time", .time),
            FieldSchema("service_departure_time", .time),
            FieldSchema("source", .integer(0...4)),
        ], primaryKey: []),
        FileSchema(name: "trip_capacity.txt", presence: .optional, fields: [
            FieldSchema("agency_id", .id(.agency)),
            FieldSchema("trip_id", .id(.trip)),
            FieldSchema("service_date", .date),
            FieldSchema("vehicle_description", .text),
            FieldSchema("seated_capacity", .integer(nonNegative)),
            FieldSchema("standing_capacity", .integer(nonNegative)),
            FieldSchema("wheelchair_capacity", .integer(nonNegative)),
            FieldSchema("bike_capacity", .integer(nonNegative)),
        ], primaryKey: []),
        FileSchema(name: "rider_trip.txt", presence: .optional, fields: [
            FieldSchema("rider_id", .code, .required),
            FieldSchema("agency_id", .id(.agency)),
            FieldSchema("trip_id", .id(.trip)),
            FieldSchema("boarding_stop_id", .id(.stop)),
            FieldSchema("boarding_stop_sequence", .integer(nonNegative)),
            FieldSchema("alighting_stop_id", .id(.stop)),
            FieldSchema("alighting_stop_sequence", .integer(nonNegative)),
            FieldSchema("service_date", .date),
            FieldSchema("boarding_time", .time),
            FieldSchema("alighting_time", .time),
            FieldSchema("rider_type", .integer(0...14)),
            FieldSchema("rider_type_description", .text),
            FieldSchema("fare_paid", .real(anyReal)),
            FieldSchema("transaction_type", .integer(0...6)),
            FieldSchema("fare_media", .integer(0...10)),
            FieldSchema("accompanying_device", .integer(0...6)),
            FieldSchema("transfer_status", .integer(0...1)),
        ], primaryKey: []),
        FileSchema(name: "ridership.txt", presence: .optional, fields: [
            FieldSchema("total_boardings", .integer(nonNegative), .required),
            FieldSchema("total_alightings", .integer(nonNegative), .required),
            FieldSchema("ridership_start_date", .date),
            FieldSchema("ridership_end_date", .date),
            FieldSchema("ridership_start_time", .time),
            FieldSchema("ridership_end_time", .time),
            FieldSchema("service_id", .id(.service)),
            FieldSchema("monday", dayFlag),
            FieldSchema("tuesday", dayFlag),
            FieldSchema("wednesday", dayFlag),
            FieldSchema("thursday", dayFlag),
            FieldSchema("friday", dayFlag),
            FieldSchema("saturday", dayFlag),
            FieldSchema("sunday", dayFlag),
            FieldSchema("agency_id", .id(.agency)),
            FieldSchema("route_id", .id(.route)),
            FieldSchema("direction_id", .integer(0...1)),
            FieldSchema("trip_id", .id(.trip)),
            FieldSchema("stop_id", .id(.stop)),
        ], primaryKey: []),
        FileSchema(name: "ride_feed_info.txt", presence: .optional, fields: [
            FieldSchema("ride_files", .integer(0...6), .required),
            FieldSchema("ride_start_date", .date),
            FieldSchema("ride_end_date", .date),
            FieldSchema("gtfs_feed_date", .date),
            FieldSchema("default_currency_type", .code),
            FieldSchema("ride_feed_version", .text),
        ], primaryKey: []),
    ]

    /// The schema of `fileName`, or `nil` for a file this library keeps as raw bytes.
    public static func file(_ fileName: String) -> FileSchema? {
        files.first { $0.name == fileName }
    }

    /// The files that a feed must contain.
    public static var requiredFiles: [String] {
        files.filter { $0.presence == .required }.map(\.name)
    }
}
