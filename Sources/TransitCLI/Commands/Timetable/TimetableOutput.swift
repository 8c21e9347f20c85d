import ArgumentParser
import GTFS
import Reports
import TransitNetwork
import TransitSupport
import Timetable

/// Where and how `transit timetable --report` writes its HTML page.
struct TimetableReportRequest: Sendable {
    /// The HTML file.
    var path: String
    /// `--routes`: route_id or route_short_name values (empty: the busiest).
    var routes: [String]
    /// What the page's subtitle calls the input.
    var source: String
}

/// The timetable as text, CSV and the HTML report.
enum TimetableOutput {
    /// Writes the HTML report of `timetable` (with today's trips in blocks by the same rules
    /// beside it) atomically to `report.path`.
    /// - Throws: `ExitCode(2)` when a route is unknown or the file cannot be written.
    static func writeReport(_ report: TimetableReportRequest, timetable: Timetable, request: TimetableRequest) throws {
        let feed = request.loaded.feed
        TimetableCommand.printEvent(.progress("scheduling today's trips on \(timetable.date.iso8601) for the report"))
        var current: CurrentServiceBlocks?
        do { current = try CurrentServiceBlocks.build(feed: feed, date: timetable.date, options: request.options) } catch {
            TimetableCommand.printEvent(.note("the report leaves out today's blocks: \(error)"))
        }
        let command = ReportFile.commandLine
        let html: String
        do {
            html = try TimetableHTML.render(timetable: timetable, current: current, feed: feed, date: timetable.date,
                                            options: TimetableHTML.Options(command: command, source: report.source, routes: report.routes))
        } catch {
            writeToStandardError("error: \(error)\n")
            throw ExitCode(2)
        }
        try ReportFile.write(html, to: report.path, facts: "\(timetable.trips.count) trips in \(timetable.blocks.fleet) blocks")
    }

    static func clock(_ t: Int32) -> String {
        let h = t / 3600, m = (t / 60) % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    static func seconds(_ t: Int32) -> String {
        clock(t) + ":" + (t % 60 < 10 ? "0\(t % 60)" : "\(t % 60)")
    }

    /// Whole minutes, or minutes and seconds for a headway off the minute.
    static func minutes(_ seconds: Int32) -> String {
        seconds % 60 == 0 ? String(seconds / 60) : "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + String(seconds % 60)
    }

    /// Per route and direction, departures per period; then the fleet.
    static func text(_ timetable: Timetable, fleet: [Timetable.PeriodFleet]) -> String {
        var out = "Timetable for \(timetable.date.iso8601): \(timetable.trips.count) trips\n"
        let periods = timetable.plan.periods
        var headway: [String: Int32] = [:]
        for r in timetable.plan.rows { headway["\(r.routeID)|\(r.direction)|\(r.periodIndex)"] = r.headway }
        var i = 0
        let trips = timetable.trips
        while i < trips.count {
            var j = i
            while j < trips.count && trips[j].route == trips[i].route && trips[j].direction == trips[i].direction { j += 1 }
            let runs = (i..<j).map { trips[$0].end - trips[$0].start }
            out += "\nRoute \(trips[i].routeID) direction \(trips[i].direction): \(j - i) departures, "
            out += "run time \((runs.min() ?? 0) / 60)-\((runs.max() ?? 0) / 60) min\n"
            var byPeriod: [Int: [Int32]] = [:]
            for k in i..<j { byPeriod[trips[k].periodIndex, default: []].append(trips[k].start) }
            for p in byPeriod.keys.sorted() {
                let name = p >= 0 && p < periods.count ? periods[p].name : "outside periods"
                let planned = headway["\(trips[i].routeID)|\(trips[i].direction)|\(p)"]
                let h = planned.map { timetable.options.evenLoad ? " (planned every \(minutes($0)) min, even load)" : " every \(minutes($0)) min" } ?? ""
                out += "  \(name)\(h):"
                for (n, t) in (byPeriod[p] ?? []).enumerated() {
                    out += (n > 0 && n % 12 == 0 ? "\n   " : " ") + clock(t)
                }
                out += "\n"
            }
            i = j
        }
        out += "\n" + fleetText(timetable, fleet: fleet)
        return out
    }

    /// The fleet: blocks beside their bounds, and per period against the plan and the limit.
    static func fleetText(_ timetable: Timetable, fleet: [Timetable.PeriodFleet]) -> String {
        let b = timetable.blocks
        let day = timetable.dayOperation
        var out = "Vehicle blocks: \(b.fleet) (lower bound \(b.lowerBound); deficit-function fleet without deadheads \(b.minimumFleet)"
        if let saved = day.savedByInterlining {
            out += "; vehicles may change route: \(saved) fewer than the \(b.fleet + saved) staying on their routes need)\n"
        } else {
            out += "; vehicles stay on their route)\n"
        }
        out += "Day: \(day.vehicleHours.formatted2) vehicle-hours in service, \(day.interlinedBlocks) interlined blocks, "
        out += "deadheads \(day.deadheadHours.formatted2) h and \(day.deadheadKilometres.formatted2) km"
        if timetable.depotDrives != nil { out += ", depot drives \(day.depotHours.formatted2) h and \(day.depotKilometres.formatted2) km" }
        out += "\n"
        out += "blocks = vehicle blocks in service at the busiest moment (first departure to last arrival); plan = Σ ceil(cycle/headway)\n"
        var table = TextTable(["period", "blocks", "plan", "difference", "deadhead h", "deadhead km", "interlined", "fleet limit"],
                              numeric: [1, 2, 3, 4, 5, 6, 7])
        for f in fleet {
            table.add([f.period.name, String(f.blocks), String(f.planned), (f.difference > 0 ? "+" : "") + String(f.difference),
                       (Double(f.deadheadSeconds) / 3600).formatted2, (Double(f.deadheadMetres) / 1000).formatted2,
                       String(f.interlinedBlocks), f.limit.map { String($0) + (f.withinLimit ? "" : " EXCEEDED") } ?? "-"])
        }
        out += table.render()
        let differences = timetable.routeFleetDifferences()
        if !differences.isEmpty {
            out += "Routes where the blocks and the plan's ceil(cycle/headway) differ:\n"
            for d in differences.prefix(30) {
                let name = timetable.plan.periods[d.periodIndex].name
                out += "  route \(d.routeID) \(name): blocks \(d.blocks), plan \(d.planned) (\(d.blocks > d.planned ? "+" : "")\(d.blocks - d.planned))\n"
            }
            if differences.count > 30 { out += "  … \(differences.count - 30) more\n" }
        }
        return out
    }

    /// One row per trip.
    static func csv(_ timetable: Timetable) -> String {
        var table = TextTable(["route_id", "direction_id", "period", "trip_id", "block_id", "departure", "arrival"])
        let periods = timetable.plan.periods
        for t in timetable.trips {
            table.add([t.routeID, String(t.direction), t.periodIndex >= 0 ? periods[t.periodIndex].name : "",
                       t.id, t.block >= 0 ? timetable.blockIDs[t.block] : "", seconds(t.start), seconds(t.end)])
        }
        return table.csv()
    }
}

extension Double {
    /// Two decimals, half away from zero.
    var formatted2: String {
        let hundredths = Int((self * 100).rounded())
        let whole = hundredths / 100, rest = abs(hundredths % 100)
        return "\(hundredths < 0 && whole == 0 ? "-" : "")\(whole).\(rest < 10 ? "0" : "")\(rest)"
    }
}
