import Carbon
import GTFS
import Testing
import TestSupport
import TransitSynthetic

/// Issue 17: identifier codes used as array indices. An empty `stop_id` in `stop_times.txt` has
/// code -1, and the synthetic trip-log generator (`transit carbon generate-log`) looked its
/// boarding and alighting stops up with it (SIGILL, "Index out of range").
@Suite("Identifier codes: trip contexts and synthetic logs over empty and dangling identifiers")
struct CarbonCodeIndexRegressionTests {
    /// One trip T over S1, a stop time with an empty stop_id, S3; running every day of 2026.
    static let emptyStopFeed: [String: [UInt8]] = [
        "agency.txt": Array("agency_name,agency_url,agency_timezone\nA,https://a.example,UTC\n".utf8),
        "stops.txt": Array("stop_id,stop_name,stop_lat,stop_lon\nS1,One,40.0,-93.0\nS2,Two,40.01,-93.0\nS3,Three,40.02,-93.0\n".utf8),
        "routes.txt": Array("route_id,route_short_name,route_type\nR,1,3\n".utf8),
        "trips.txt": Array("route_id,service_id,trip_id\nR,D,T\n".utf8),
        "calendar.txt": Array("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nD,1,1,1,1,1,1,1,20260101,20261231\n".utf8),
        "stop_times.txt": Array("trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,08:00:00,08:00:00,S1,1\nT,08:05:00,08:05:00,,2\nT,08:10:00,08:10:00,S3,3\n".utf8),
    ]

    /// The generated CSV lines of `feed`.
    static func generate(_ feed: Feed, count: Int) -> [String] {
        var lines: [String] = []
        SyntheticTripLog.generate(feed: feed, context: FeedContext(feed: feed), count: count, activeShare: 0.2) { lines.append($0) }
        return lines
    }

    @Test("generate-log skips stop times with an empty stop_id instead of crashing")
    func emptyStopID() throws {
        let feed = try FeedReader.load(files: Self.emptyStopFeed, options: ReadOptions(validate: false)).feed
        let lines = Self.generate(feed, count: 200)
        let header = SyntheticTripLog.header.split(separator: ",").map(String.init)
        #expect(lines.first == SyntheticTripLog.header)
        let board = try #require(header.firstIndex(of: "board_stop_id")), alight = try #require(header.firstIndex(of: "alight_stop_id"))
        let trip = try #require(header.firstIndex(of: "trip_id"))
        let transit = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0[trip] == "T" }
        // Only S1 → S3 avoids the empty stop: every transit record takes it, and there are some.
        #expect(!transit.isEmpty)
        #expect(transit.allSatisfy { $0[board] == "S1" && $0[alight] == "S3" })
    }

    /// `GTFSSchema.files` as ``CodeIndexFeeds/File``s (identifier columns only matter here).
    static let variants = CodeIndexFeeds.variants(GTFSSchema.files.map { file in
        CodeIndexFeeds.File(name: file.name, fields: file.fields.map { field in
            guard case .id(let s) = field.type else {
                let sample = switch field.type {
                case .time: "08:30:00"
                case .date: "20260601"
                case .integer(let r): String(r.contains(1) ? 1 : r.lowerBound)
                case .real(let r): r.contains(40) ? "40.0" : String(r.lowerBound)
                default: "x"
                }
                return CodeIndexFeeds.Field(name: field.name, space: nil, defines: false, required: false, sample: sample)
            }
            let defines = s.definingFiles.contains { $0.file == file.name && $0.field == field.name }
            return CodeIndexFeeds.Field(name: field.name, space: s.rawValue, defines: defines, required: false, sample: "X1")
        })
    })

    @Test("a trip context and a synthetic log build over every empty or dangling identifier", arguments: variants)
    func variant(_ v: CodeIndexFeeds.Variant) throws {
        let feed = try FeedReader.load(files: v.files, label: v.label, options: ReadOptions(validate: false)).feed
        let lines = Self.generate(feed, count: 60)
        #expect(lines.first == SyntheticTripLog.header)
        let stopIDs = Set(feed.ids(.stop))
        let header = SyntheticTripLog.header.split(separator: ",").map(String.init)
        let board = try #require(header.firstIndex(of: "board_stop_id"))
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count > board, !fields[board].isEmpty { #expect(stopIDs.contains(fields[board]), "\(v.label): \(line)") }
        }
    }
}
