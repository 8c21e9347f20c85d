import ArgumentParser
import GTFS

extension GTFSCommand {
    /// `transit gtfs inspect FEED`: what a feed holds.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a feed holds: rows per table, agencies, service dates, route types.",
            discussion: "Loads every table, typed and indexed, as the other commands do."
        )

        @Argument(help: "The feed: a GTFS folder or .zip.")
        var feed: String

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func validate() throws {
            if format == .csv { throw ValidationError("inspect prints table or json") }
        }

        func run() throws {
            let loaded = try loadFeed(feed, validate: false)
            let summary = FeedSummary(loaded.feed)
            switch format {
            case .json: print(summary.json(path: feed, subfolder: loaded.subfolder).render())
            case .table, .csv: print(summary.text(path: feed), terminator: "")
            }
        }
    }
}

/// The facts `inspect` prints.
struct FeedSummary {
    struct RouteType { var type: Int32; var routes: Int }
    var rows: [(file: String, rows: Int, columns: Int)]
    var extraFiles: [(name: String, bytes: Int)]
    var agencies: [(id: String?, name: String, timezone: String)]
    var range: ClosedRange<GTFSDate>?
    var routeTypes: [RouteType]

    init(_ feed: Feed) {
        rows = feed.orderedTables.map { ($0.name, $0.rowCount, $0.columns.count) }
        extraFiles = feed.extraFiles.map { ($0.name, $0.bytes.count) }.sorted { $0.name < $1.name }
        var agencies: [(id: String?, name: String, timezone: String)] = []
        if let t = feed.table("agency.txt") {
            let ids = t.strings("agency_id"), names = t.strings("agency_name"), tz = t.strings("agency_timezone")
            for r in 0..<t.rowCount {
                agencies.append((ids?[r], names?[r] ?? "", tz?[r] ?? ""))
            }
        }
        self.agencies = agencies
        range = feed.serviceDateRange
        var counts: [Int32: Int] = [:]
        for t in feed.routes.type where t != Column.missingInteger { counts[t, default: 0] += 1 }
        routeTypes = counts.keys.sorted().map { RouteType(type: $0, routes: counts[$0] ?? 0) }
    }

    static func routeTypeName(_ t: Int32) -> String {
        switch t {
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

    func json(path: String, subfolder: String?) -> JSON {
        var tables: [(String, JSON)] = []
        for r in rows {
            let key = r.file.hasSuffix(".txt") ? String(r.file.dropLast(4)) : r.file
            tables.append((key, .object([("rows", .int(r.rows)), ("columns", .int(r.columns))])))
        }
        return .object([
            ("feed", .string(path)),
            ("subfolder", .optional(subfolder)),
            ("tables", .object(tables)),
            ("extra_files", .array(extraFiles.map { .object([("name", .string($0.name)), ("bytes", .int($0.bytes))]) })),
            ("agencies", .array(agencies.map {
                .object([("agency_id", .optional($0.id)), ("agency_name", .string($0.name)), ("agency_timezone", .string($0.timezone))])
            })),
            ("service_date_range", range.map {
                .object([("start", .string($0.lowerBound.iso8601)), ("end", .string($0.upperBound.iso8601))])
            } ?? .null),
            ("route_types", .array(routeTypes.map {
                .object([("route_type", .int(Int($0.type))), ("name", .string(FeedSummary.routeTypeName($0.type))), ("routes", .int($0.routes))])
            })),
        ])
    }

    func text(path: String) -> String {
        var out = "Feed: \(path)\n"
        for a in agencies {
            out += "Agency: \(a.name)" + (a.id.map { " [\($0)]" } ?? "") + " (\(a.timezone))\n"
        }
        if let range {
            out += "Service: \(range.lowerBound.iso8601) to \(range.upperBound.iso8601)\n"
        } else {
            out += "Service: no dates\n"
        }
        if !routeTypes.isEmpty {
            out += "Route types: " + routeTypes.map { "\($0.routes) \(FeedSummary.routeTypeName($0.type)) (\($0.type))" }.joined(separator: ", ") + "\n"
        }
        out += "\n"
        var table = TextTable(["table", "rows", "columns"], numeric: [1, 2])
        for r in rows { table.add([r.file, String(r.rows), String(r.columns)]) }
        out += table.render()
        if !extraFiles.isEmpty {
            out += "\nKept unchanged: " + extraFiles.map { "\($0.name) (\($0.bytes) bytes)" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}
