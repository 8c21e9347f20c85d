import Foundation
@testable import GTFS
import Testing
import TestSupport

/// The notice catalog: every canonical code once, with the canonical severity, and every code
/// our modules emit documented.
@Suite("NoticeCatalog")
struct NoticeCatalogTests {
    @Test("191 distinct canonical codes, sorted, snake_case, each with a short summary of its own")
    func structure() {
        let codes = NoticeCatalog.canonical.map(\.code)
        #expect(codes.count == 191)
        #expect(Set(codes).count == codes.count)
        #expect(codes == codes.sorted())
        for e in NoticeCatalog.canonical + NoticeCatalog.own {
            #expect(e.code.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(e.code)")
            #expect(!e.summary.isEmpty && e.summary.count <= 160 && e.summary.hasSuffix("."), "\(e.code): \(e.summary)")
            #expect(NoticeCatalog.entry(e.code) != nil)
        }
        #expect(Dictionary(grouping: NoticeCatalog.canonical, by: \.severity).mapValues(\.count) == [.error: 111, .warning: 63, .info: 17])
    }

    @Test("our own codes are distinct and none is canonical; only canonical codes have a rule link")
    func ownCodes() {
        let own = NoticeCatalog.own.map(\.code)
        #expect(Set(own).count == own.count)
        for code in own {
            #expect(!NoticeCatalog.isCanonical(code), "\(code) is canonical; list it there only")
            #expect(NoticeCatalog.ruleURL(code) == nil)
        }
        #expect(NoticeCatalog.ruleURL("duplicate_key") == "https://gtfs-validator.mobilitydata.org/rules.html#duplicate_key-rule")
        #expect(NoticeCatalog.entry("no_such_code") == nil)
    }

    /// Every code written as a literal in `Finding(.severity, "code"` or as a `Finding.Code`
    /// constant anywhere in Sources.
    static func codesInSources() throws -> Set<String> {
        let sources = SharedData.packageRoot.appendingPathComponent("Sources")
        let literal = try Regex(#"Finding\(\.(?:error|warning|info),\s*"([a-z0-9_]+)""#)
        let constant = try Regex(#"static let [A-Za-z0-9]+ = "([a-z0-9_]+)""#)
        var codes: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for m in text.matches(of: literal) { if let s = m.output[1].substring { codes.insert(String(s)) } }
            if text.contains("extension Finding.Code") {
                for m in text.matches(of: constant) { if let s = m.output[1].substring { codes.insert(String(s)) } }
            }
        }
        return codes
    }

    @Test("every code written in Sources has a catalog entry")
    func sourcesDocumented() throws {
        let codes = try Self.codesInSources()
        #expect(codes.count > 30)
        #expect(codes.contains("foreign_key_violation") && codes.contains("invalid_input_encoding"))
        for code in codes.sorted() {
            #expect(NoticeCatalog.entry(code) != nil, "\(code) has no NoticeCatalog entry")
        }
    }

    @Test("every code the validator reports on the sample feed and on broken fixtures is in the catalog")
    func emittedDocumented() throws {
        var reports = [try FeedReader.load(SharedData.samplePath, options: ReadOptions(today: GTFSDate(yyyymmdd: 20_261_207))).report]
        let broken = try FeedFixture([
            "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,X,,99\n",
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,extra\nS1,One,54.1,25.1,\nS2,Two,154.2,25.2,\nS3,,,,\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,07:10:00,,S2,2\n",
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20201231,20200101\n",
            "feed_info.txt": nil,
        ])
        defer { broken.remove() }
        reports.append(try FeedReader.load(broken.path, options: ReadOptions(today: GTFSDate(yyyymmdd: 20_261_207))).report)
        for report in reports {
            for code in report.counts.keys.sorted() {
                let entry = NoticeCatalog.entry(code)
                #expect(entry != nil, "\(code) has no NoticeCatalog entry")
            }
        }
        #expect(reports[1].counts.count >= 5)
    }

    /// gtfs-guru's notice schema, when `.venv-tools` has gtfs-guru: code → severity.
    static let guruSchema: [String: String]? = {
        let python = SharedData.packageRoot.appendingPathComponent(".venv-tools/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python),
              let r = try? ChildProcess.run(python, ["-c", """
                  import gtfs_guru, json
                  print(json.dumps({c: n["severityLevel"].lower() for c, n in gtfs_guru.notice_schema().items()}))
                  """]),
              r.status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String]
        else { return nil }
        return object
    }()

    @Test("the canonical codes and severities are exactly gtfs-guru's", .enabled(if: guruSchema != nil, "gtfs-guru is not installed in .venv-tools"))
    func matchesGuru() throws {
        let schema = try #require(Self.guruSchema)
        #expect(Set(schema.keys) == Set(NoticeCatalog.canonical.map(\.code)))
        for e in NoticeCatalog.canonical {
            #expect(schema[e.code] == e.severity.rawValue, "\(e.code): catalog \(e.severity.rawValue), gtfs-guru \(schema[e.code] ?? "none")")
        }
    }
}
