import Foundation
import GTFS
import Network
import Testing
import TestSupport
import Timetable

/// Plans made in code from a feed's current service, as the planner makes them: per route and
/// period one allowed headway for both directions (the allowed headway nearest today's mean),
/// vehicles = ceil(longest cycle of the route in the period / headway).
enum PlanFixtures {
    static let allowed: [Int32] = [3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60].map { Int32($0 * 60) }

    static func plan(from summary: ServiceSummary, scale: Double = 1) -> HeadwayPlan {
        struct Key: Hashable { var route: String; var period: Int }
        var rowsByKey: [Key: [ServiceSummary.Row]] = [:]
        for r in summary.rows { rowsByKey[Key(route: r.routeID, period: r.periodIndex), default: []].append(r) }
        var rows: [HeadwayPlan.Row] = []
        for (key, list) in rowsByKey.sorted(by: { ($0.key.route, $0.key.period) < ($1.key.route, $1.key.period) }) {
            guard let now = list.compactMap(\.meanHeadway).min() else { continue }
            let target = now * scale
            let h = allowed.min { abs(Double($0) - target) < abs(Double($1) - target) } ?? 600
            let cycle = list.map(\.cycleTime).max() ?? 0
            let vehicles = max(1, Int((cycle / Double(h)).rounded(.up)))
            for r in list {
                rows.append(HeadwayPlan.Row(routeID: key.route, direction: r.direction, periodIndex: key.period,
                                            headway: h, vehicles: vehicles))
            }
        }
        return HeadwayPlan(date: summary.date, periods: summary.periods, rows: rows)
    }

    /// A fresh temporary path (not created).
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("timetable-tests-\(UUID().uuidString)-\(name)").path
    }
}

/// Runs the built `transit` binary.
enum TransitBinary {
    static let url: URL? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("transit"),
            SharedData.packageRoot.appendingPathComponent(".build/debug/transit"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let url = try #require(url, "the transit binary was not built next to the tests")
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = SharedData.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
