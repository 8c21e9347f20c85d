/// What `transit gtfs inspect` reports about a feed, as a document: rows and columns per
/// table, the files kept unchanged, the agencies, the service dates and the route types.
///
/// Built from a loaded ``Feed`` by ``init(feed:path:subfolder:)``; encodes with snake_case keys
/// in the order declared here.
public struct InspectDocument: Codable, Sendable, Equatable {
    /// The feed path as given.
    public var feed: String
    /// The sub-folder of the archive or directory the files sat in, if any.
    public var subfolder: String?
    /// Rows and columns per typed table, in the writer's order, keyed by the file name
    /// without `.txt` (`stops`).
    public var tables: KeyedValues<TableSize>
    /// Files kept byte for byte, sorted by name.
    public var extraFiles: [ExtraFileSize]
    /// The rows of `agency.txt`, in file order.
    public var agencies: [Agency]
    /// The first and last service dates of the calendars, if they name any.
    public var serviceDateRange: DateRange?
    /// Routes per `route_type`, by type.
    public var routeTypes: [RouteTypeCount]

    enum CodingKeys: String, CodingKey {
        case feed
        case subfolder
        case tables
        case extraFiles = "extra_files"
        case agencies
        case serviceDateRange = "service_date_range"
        case routeTypes = "route_types"
    }

    /// The size of one typed table.
    public struct TableSize: Codable, Sendable, Equatable {
        /// Data rows (the header not counted).
        public var rows: Int
        /// Columns, known and unknown.
        public var columns: Int

        enum CodingKeys: String, CodingKey {
            case rows
            case columns
        }
    }

    /// A file kept unchanged, and its size.
    public struct ExtraFileSize: Codable, Sendable, Equatable {
        /// The path inside the feed.
        public var name: String
        /// Its size in bytes.
        public var bytes: Int

        enum CodingKeys: String, CodingKey {
            case name
            case bytes
        }
    }

    /// One row of `agency.txt`.
    public struct Agency: Codable, Sendable, Equatable {
        /// `agency_id`, when the column is there.
        public var agencyID: String?
        /// `agency_name` (empty when the column is missing).
        public var agencyName: String
        /// `agency_timezone` (empty when the column is missing).
        public var agencyTimezone: String

        enum CodingKeys: String, CodingKey {
            case agencyID = "agency_id"
            case agencyName = "agency_name"
            case agencyTimezone = "agency_timezone"
        }
    }

    /// First and last date, ISO 8601 (`2024-01-31`).
    public struct DateRange: Codable, Sendable, Equatable {
        /// The first date.
        public var start: String
        /// The last date.
        public var end: String

        enum CodingKeys: String, CodingKey {
            case start
            case end
        }
    }

    /// How many routes have one `route_type`.
    public struct RouteTypeCount: Codable, Sendable, Equatable {
        /// The `route_type` value.
        public var routeType: Int
        /// Its name (``InspectDocument/routeTypeName(_:)``).
        public var name: String
        /// Routes of this type.
        public var routes: Int

        enum CodingKeys: String, CodingKey {
            case routeType = "route_type"
            case name
            case routes
        }
    }

    /// The document of `feed`, read from `path` (as the user gave it).
    /// - Complexity: O(routes + agencies + tables).
    public init(feed: Feed, path: String, subfolder: String?) {
        self.feed = path
        self.subfolder = subfolder
        tables = KeyedValues(feed.orderedTables.map { t in
            (t.name.hasSuffix(".txt") ? String(t.name.dropLast(4)) : t.name, TableSize(rows: t.rowCount, columns: t.columns.count))
        })
        extraFiles = feed.extraFiles.map { ExtraFileSize(name: $0.name, bytes: $0.bytes.count) }.sorted { $0.name < $1.name }
        var agencies: [Agency] = []
        if let t = feed.table("agency.txt") {
            let ids = t.strings("agency_id"), names = t.strings("agency_name"), zones = t.strings("agency_timezone")
            for r in 0..<t.rowCount {
                agencies.append(Agency(agencyID: ids?[r], agencyName: names?[r] ?? "", agencyTimezone: zones?[r] ?? ""))
            }
        }
        self.agencies = agencies
        serviceDateRange = feed.serviceDateRange.map { DateRange(start: $0.lowerBound.iso8601, end: $0.upperBound.iso8601) }
        var counts: [Int32: Int] = [:]
        for t in feed.routes.type where t != Column.missingInteger { counts[t, default: 0] += 1 }
        routeTypes = counts.keys.sorted().map {
            RouteTypeCount(routeType: Int($0), name: InspectDocument.routeTypeName($0), routes: counts[$0] ?? 0)
        }
    }

    /// The name of a `route_type`: the basic types by name, the extended ones by their range
    /// (`bus service` for 700–799), `other` for the rest.
    public static func routeTypeName(_ type: Int32) -> String {
        switch type {
        case 0: "tram"
        case 1: "subway"
        case 2: "rail"
        case 3: "bus"
        case 4: "ferry"
        case 5: "cable tram"
        case 6: "aerial lift"
        case 7: "funicular"
        case 11: "trolleybus"
        case 12: "monorail"
        case 100...199: "railway service"
        case 200...299: "coach service"
        case 400...499: "urban railway"
        case 700...799: "bus service"
        case 800...899: "trolleybus service"
        case 900...999: "tram service"
        case 1000...1099: "water transport"
        default: "other"
        }
    }
}
