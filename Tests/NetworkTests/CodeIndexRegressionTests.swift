import GTFS
import Testing
import TestSupport
import TransitNetwork

/// Issue 17: identifier columns hold codes into a per-space pool, -1 for an empty value and
/// codes at or past ``Feed/definedCount(_:)`` for identifiers nothing declares. Every schema
/// file gets a row whose identifiers are empty or dangling, one field at a time and all at
/// once; the feed must load with validation, say what is wrong, and give a network.
@Suite("Identifier codes: empty and dangling identifiers in every file")
struct CodeIndexRegressionTests {
    /// `GTFSSchema.files` as ``CodeIndexFeeds/File``s, with a plausible value per type.
    static let schema: [CodeIndexFeeds.File] = GTFSSchema.files.map { file in
        CodeIndexFeeds.File(name: file.name, fields: file.fields.map { field in
            var space: String?
            var defines = false
            if case .id(let s) = field.type {
                space = s.rawValue
                defines = s.definingFiles.contains { $0.file == file.name && $0.field == field.name }
            }
            return CodeIndexFeeds.Field(name: field.name, space: space, defines: defines,
                                        required: field.presence == .required, sample: sample(field.type))
        })
    }

    /// A value of `type` that parses.
    static func sample(_ type: FieldType) -> String {
        switch type {
        case .id: "X1"
        case .text, .code: "x"
        case .url: "https://a.example"
        case .email: "a@a.example"
        case .timezone: "UTC"
        case .color: "FFFFFF"
        case .integer(let r): String(r.contains(1) ? 1 : r.lowerBound)
        case .real(let r): r.contains(40) ? "40.0" : String(r.lowerBound)
        case .time: "08:30:00"
        case .date: "20260601"
        }
    }

    static let variants = CodeIndexFeeds.variants(schema)
    /// The identifier spaces the base feed declares (references into them can be checked).
    static let declaredSpaces: Set<IDSpace> = [.agency, .stop, .route, .trip, .service, .shape]
    static let date = GTFSDate(year: CodeIndexFeeds.serviceDate.year, month: CodeIndexFeeds.serviceDate.month,
                               day: CodeIndexFeeds.serviceDate.day)

    @Test("the variants cover every identifier column of every schema file")
    func coverage() {
        let idFields = GTFSSchema.files.reduce(0) { n, f in
            n + f.fields.filter { if case .id = $0.type { true } else { false } }.count
        }
        #expect(idFields > 60)
        // Per identifier column: empty and dangling; per file with one: all empty, all dangling.
        let files = GTFSSchema.files.filter { $0.fields.contains { if case .id = $0.type { true } else { false } } }.count
        #expect(Self.variants.count == 2 * idFields + 2 * files)
    }

    @Test("loads with validation, reports the row, and builds every network structure", arguments: variants)
    func variant(_ v: CodeIndexFeeds.Variant) throws {
        let loaded = try FeedReader.load(files: v.files, label: v.label, options: ReadOptions(today: Self.date))
        let findings = loaded.report.findings
        let schema = try #require(GTFSSchema.file(v.file))
        let changed = schema.fields.filter { f in
            guard case .id = f.type else { return false }
            return v.field == nil || v.field == f.name
        }
        for f in changed {
            guard case .id(let space) = f.type else { continue }
            if v.empty, f.presence == .required {
                #expect(findings.contains { $0.code == "missing_required_field" && $0.file == v.file && $0.field == f.name },
                        "\(v.label): the empty required \(f.name) is not reported")
            } else if !v.empty, Self.declaredSpaces.contains(space),
                      // A row naming itself (stop_id and parent_station both "NOPE") declares what it references.
                      !changed.contains(where: { c in space.definingFiles.contains { $0.file == v.file && $0.field == c.name } }) {
                #expect(findings.contains { $0.code == "foreign_key_violation" && $0.file == v.file && $0.field == f.name },
                        "\(v.label): the reference to nothing in \(f.name) is not reported")
            }
        }
        try Self.exerciseNetwork(loaded.feed, date: try #require(Self.date))
    }

    /// Builds everything the network commands build from `feed` and asks them about every stop
    /// and trip code, and about the codes just outside the pools.
    static func exerciseNetwork(_ feed: Feed, date: GTFSDate) throws {
        let index = TripIndex(feed: feed)
        let patterns = RoutePatterns(feed: feed, trips: index)
        let inference = DirectionInference(feed: feed, patterns: patterns)
        let distances = ShapeDistances(feed: feed, patterns: patterns)
        let geometry = ShapeGeometry(feed: feed)
        _ = StopPositions(feed: feed)
        let graph = TransitGraph(feed: feed, patterns: patterns, distances: distances)
        let calendar = ServiceCalendar(feed: feed)
        let running = calendar.runningTrips(on: date)
        let runs = Departures.runs(feed: feed, calendar: calendar, date: date)
        let summary = ServiceSummary(feed: feed, date: date, periods: try Period.parse(NetworkDefaults.periods),
                                     calendar: calendar, directions: inference, patterns: patterns)
        _ = SummaryDocument(summary: summary, feed: "memory")
        _ = GeoJSONDocument(feed: feed, patterns: patterns, geometry: geometry)
        let legs = LegQueries(feed: feed, distances: distances)
        let stopCount = Int32(feed.ids(.stop).count), tripCount = Int32(feed.ids(.trip).count)
        let stops = Array(-1...stopCount)
        for from in stops {
            for to in stops {
                if let path = Dijkstra.path(graph, from: from, to: to) {
                    _ = PathDocument(feed: feed, path: "memory", fromStop: "a", toStop: "b", statistic: .min,
                                     seconds: path.seconds, steps: path.steps)
                }
                _ = legs.matches(boardStop: from, alightStop: to, boardTime: 8 * 3600, tolerance: 3600, candidates: runs)
            }
        }
        for trip in -1...tripCount {
            _ = index.route(ofTrip: trip)
            _ = index.shape(ofTrip: trip)
            _ = inference.direction(ofTrip: trip)
            _ = patterns.pattern(ofTrip: trip)
            _ = distances.metres(ofTrip: trip)
            for stop in stops { _ = legs.leg(trip: trip, board: .stop(stop), alight: stop) }
            _ = legs.leg(trip: trip, board: .sequence(1), alight: 0)
        }
        #expect(running.allSatisfy { $0 >= 0 && $0 < tripCount })
        #expect(graph.nodeCount == Int(stopCount))
    }
}
