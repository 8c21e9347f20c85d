/// Feeds for the identifier-code audit of issue 17: every identifier column of every schema file
/// left empty (code -1) or naming an identifier nothing declares (a code at or past the defining
/// file's count), one variant per file and per field, each on top of a small valid feed.
///
/// TestSupport does not depend on GTFS, so a test target describes the schema
/// (``CodeIndexFeeds/File``) from `GTFSSchema.files` and gets the variants as file bytes, ready
/// for `FeedReader.load(files:)`.
public enum CodeIndexFeeds {
    /// One column of a schema file.
    public struct Field: Sendable {
        /// The column name.
        public let name: String
        /// The identifier space (`IDSpace.rawValue`) of an identifier column; `nil` otherwise.
        public let space: String?
        /// Whether the column declares the space's identifiers (`stop_id` of `stops.txt`).
        public let defines: Bool
        /// Whether the column must hold a value in every row.
        public let required: Bool
        /// A plausible value for a non-identifier column.
        public let sample: String

        /// Creates a field description.
        public init(name: String, space: String?, defines: Bool, required: Bool, sample: String) {
            self.name = name
            self.space = space
            self.defines = defines
            self.required = required
            self.sample = sample
        }
    }

    /// One schema file.
    public struct File: Sendable {
        /// The file name, e.g. `stops.txt`.
        public let name: String
        /// Its columns, in the reference's order.
        public let fields: [Field]

        /// Creates a file description.
        public init(name: String, fields: [Field]) {
            self.name = name
            self.fields = fields
        }
    }

    /// One feed to load.
    public struct Variant: Sendable, CustomStringConvertible {
        /// What was done, e.g. `stop_times.txt: stop_id empty`.
        public let label: String
        /// The file that got the extra row.
        public let file: String
        /// The field changed, or `nil` when every identifier field of the row was.
        public let field: String?
        /// Whether the identifiers were left empty (else they name nothing declared).
        public let empty: Bool
        /// The feed's files.
        public let files: [String: [UInt8]]

        public var description: String { label }
    }

    /// The value every dangling identifier gets: declared nowhere.
    public static let dangling = "NOPE"

    /// The valid feed every variant starts from: a station with one platform, two more stops,
    /// one route, two trips (one per direction) on one shape, a calendar for 2026.
    public static let base: [String: [[String]]] = [
        "agency.txt": [["agency_id", "agency_name", "agency_url", "agency_timezone"],
                       ["A", "Agency", "https://a.example", "UTC"]],
        "stops.txt": [["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station"],
                      ["ST", "Station", "40.0", "-93.0", "1", ""],
                      ["S1", "One", "40.0", "-93.0", "0", "ST"],
                      ["S2", "Two", "40.01", "-93.0", "0", ""],
                      ["S3", "Three", "40.02", "-93.0", "0", ""]],
        "routes.txt": [["route_id", "agency_id", "route_short_name", "route_type"], ["R", "A", "1", "3"]],
        "trips.txt": [["route_id", "service_id", "trip_id", "shape_id", "direction_id", "block_id"],
                      ["R", "D", "T", "SH", "0", "B"], ["R", "D", "T2", "SH", "1", "B"]],
        "stop_times.txt": [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
                           ["T", "08:00:00", "08:00:00", "S1", "1"], ["T", "08:05:00", "08:05:00", "S2", "2"],
                           ["T", "08:10:00", "08:10:00", "S3", "3"], ["T2", "09:00:00", "09:00:00", "S3", "1"],
                           ["T2", "09:05:00", "09:05:00", "S2", "2"], ["T2", "09:10:00", "09:10:00", "S1", "3"]],
        "calendar.txt": [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                          "start_date", "end_date"],
                         ["D", "1", "1", "1", "1", "1", "1", "1", "20260101", "20261231"]],
        "shapes.txt": [["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"],
                       ["SH", "40.0", "-93.0", "1"], ["SH", "40.01", "-93.0", "2"], ["SH", "40.02", "-93.0", "3"]],
    ]

    /// A date on which the base feed's trips run (a Wednesday).
    public static let serviceDate = (year: 2026, month: 6, day: 3)

    /// The identifier a reference to `space` names in the base feed (one nothing declares for
    /// the spaces the base feed has no file of).
    static func existingID(_ space: String) -> String {
        switch space {
        case "agency": "A"
        case "stop": "S1"
        case "route": "R"
        case "trip": "T"
        case "service": "D"
        case "shape": "SH"
        default: "X1"
        }
    }

    /// The base feed as bytes.
    public static var baseFiles: [String: [UInt8]] {
        base.mapValues { bytes($0) }
    }

    /// Every variant for `files`: per file with identifier columns, one extra row with all of
    /// them empty, one with all of them dangling, and one per column and way.
    public static func variants(_ files: [File]) -> [Variant] {
        var out: [Variant] = []
        for file in files {
            let idFields = file.fields.filter { $0.space != nil }
            guard !idFields.isEmpty else { continue }
            for empty in [true, false] {
                let what = empty ? "empty" : "dangling"
                out.append(variant(file, changing: Set(idFields.map(\.name)), empty: empty,
                                   label: "\(file.name): every identifier \(what)", field: nil))
                for f in idFields {
                    out.append(variant(file, changing: [f.name], empty: empty,
                                       label: "\(file.name): \(f.name) \(what)", field: f.name))
                }
            }
        }
        return out
    }

    /// The base feed with one row added to `file` (the file created when the base has none):
    /// the `changing` fields empty or dangling, the other fields plausible.
    static func variant(_ file: File, changing: Set<String>, empty: Bool, label: String, field: String?) -> Variant {
        var tables = base
        var rows = tables[file.name] ?? [file.fields.map(\.name)]
        // Add any schema column the base file lacks (empty in the base rows).
        for f in file.fields where !rows[0].contains(f.name) {
            rows[0].append(f.name)
            for i in 1..<rows.count { rows[i].append("") }
        }
        let header = rows[0]
        var row: [String] = []
        for name in header {
            guard let f = file.fields.first(where: { $0.name == name }) else { row.append(""); continue }
            if changing.contains(name) {
                row.append(empty ? "" : dangling)
            } else if let space = f.space {
                row.append(f.defines ? "NEW" : existingID(space))
            } else {
                row.append(f.sample)
            }
        }
        rows.append(row)
        tables[file.name] = rows
        return Variant(label: label, file: file.name, field: field, empty: empty, files: tables.mapValues { bytes($0) })
    }

    /// CSV bytes of `rows` (no value here needs quoting).
    static func bytes(_ rows: [[String]]) -> [UInt8] {
        Array(rows.map { $0.joined(separator: ",") + "\n" }.joined().utf8)
    }
}
