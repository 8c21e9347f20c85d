import GTFS
import Planner

/// The plan as CSV and text (its JSON is the library's `PlanDocument`).
enum PlanOutput {
    /// Rows: seconds (csv) or minutes (text).
    static func rowsTable(_ plan: FrequencyPlan, minutes: Bool) -> TextTable {
        func hw(_ v: Double?) -> String {
            guard let v else { return "" }
            if !minutes { return String(Int(v.rounded())) }
            let tenths = Int((v / 6).rounded())
            return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        }
        func f(_ v: Double, _ places: Int) -> String {
            var scale = 1.0
            for _ in 0..<places { scale *= 10 }
            let r = (v * scale).rounded() / scale
            return places == 0 ? String(Int(r)) : String(r)
        }
        let header = minutes
            ? ["route", "dir", "period", "board", "maxload", "cap", "now", "veh", "ref", "opt", "veh", "peak lf", "wait h"]
            : ["route_id", "route_short_name", "direction_id", "period", "boardings", "max_load", "capacity",
               "current_headway_s", "current_vehicles", "reference_headway_s", "headway_s", "vehicles",
               "peak_load_factor", "waiting_hours", "kept_as_is"]
        var table = TextTable(header, numeric: minutes ? Set(3...12) : [])
        for r in plan.rows {
            var cells = [String(r.direction), r.period, f(r.boardings, minutes ? 0 : 1), f(r.maxLoad, minutes ? 0 : 1),
                         String(r.capacity), hw(r.currentHeadway), String(r.currentVehicles),
                         hw(r.referenceHeadway.map { Double($0) }),
                         hw(Double(r.headway)) + (minutes && r.keptAsIs ? "*" : ""), String(r.vehicles),
                         r.peakLoadFactor.map { f($0, 2) } ?? "", f(r.waitingHours, minutes ? 1 : 2)]
            if minutes {
                cells.insert(r.routeShortName ?? r.routeID, at: 0)
            } else {
                cells.insert(contentsOf: [r.routeID, r.routeShortName ?? ""], at: 0)
                cells.append(r.keptAsIs ? "1" : "0")
            }
            table.add(cells)
        }
        return table
    }

    static func text(_ plan: FrequencyPlan, feed: String, date: GTFSDate, explanation: [String]) -> String {
        let s = plan.solution
        var out = "Feed: \(feed)\nCurrent service: \(date.iso8601)\n"
        out += "Status: \(s.status.rawValue)"
        if let o = s.objective { out += ", objective \(money(o))" }
        if let b = s.bound { out += ", bound \(money(b))" }
        if let g = s.gap { out += ", gap \(g == 0 ? "0" : String(format6(g)))" }
        out += " in \(format6(s.seconds)) s; proof: \(s.proof); \(s.variablesSolved) of \(s.variables) options left after reduced-cost fixing\n"
        for r in explanation { out += "Infeasible: \(r)\n" }
        guard !plan.rows.isEmpty, !s.choice.isEmpty else { return out }
        out += "Headways in minutes: now = today's mean, ref = Ceder reference, opt = optimal (* kept as is: no counts)\n\n"
        out += rowsTable(plan, minutes: true).render()
        out += "\n"
        var totals = TextTable(["period", "fleet", "now", "ref", "opt"], numeric: [1, 2, 3, 4])
        for t in plan.periodTotals {
            totals.add([t.period, t.fleet.map(String.init) ?? "-", String(t.currentVehicles),
                        t.referenceVehicles.map(String.init) ?? "", String(t.vehicles)])
        }
        out += "Vehicles in service\n" + totals.render() + "\n"
        var day = TextTable(["per day", "vehicle-h", "operating", "waiting h", "waiting cost", "objective"], numeric: [1, 2, 3, 4, 5])
        func add(_ name: String, _ sc: FrequencyPlan.Scenario?) {
            guard let sc else { return }
            day.add([name, String(Int(sc.vehicleHours.rounded())), money(sc.operatingCost), String(Int(sc.waitingHours.rounded())),
                     money(sc.waitingCost), money(sc.objective)])
        }
        add("current", plan.current)
        add("reference", plan.reference)
        add("optimal", plan.optimal)
        out += day.render()
        return out
    }

    /// The plan as vehicle blocks: per period the model's count beside the blocks', then the day.
    static func operationText(_ operation: PlanDocument.Operation?) -> String {
        guard let op = operation else { return "" }
        var out = "\nOperation: the plan's timetable as vehicle blocks"
        out += op.solves > 1 ? " (\(op.solves) solves: periods were tightened until the blocks fit)\n" : "\n"
        var table = TextTable(["period", "fleet", "model limit", "model", "blocks", "deadhead h", "deadhead km", "interlined"],
                              numeric: [1, 2, 3, 4, 5, 6, 7])
        for p in op.periods {
            let exceeded = p.fleet.flatMap { f in p.blocksInService.map { $0 > f } } == true
            table.add([p.period, p.fleet.map(String.init) ?? "-", p.modelLimit.map(String.init) ?? "-", String(p.modelVehicles),
                       p.blocksInService.map { String($0) + (exceeded ? " EXCEEDED" : "") } ?? "-",
                       p.deadheadHours.map { String($0) } ?? "-", p.deadheadKm.map { String($0) } ?? "-",
                       p.interlinedBlocks.map(String.init) ?? "-"])
        }
        out += "model = the plan's Σ ceil(cycle/headway); blocks = vehicle blocks in service at the busiest moment\n"
        out += table.render()
        if let blocks = op.blocks {
            out += "Day: \(blocks) vehicle blocks (lower bound \(op.lowerBound ?? 0)), \(op.interlinedBlocks ?? 0) interlined"
            if let saved = op.savedByInterlining { out += " (saving \(saved) against vehicles staying on their routes)" }
            out += "; "
            out += "\(op.vehicleHours ?? 0) vehicle-hours in service, operating cost \(money(op.operatingCost ?? 0)); "
            out += "deadheads \(op.deadheadHours ?? 0) h, \(op.deadheadKm ?? 0) km"
            if let depot = op.depotHours, depot > 0 { out += "; depot drives \(depot) h" }
            out += "\n"
        }
        out += op.fits ? "The timetable fits the fleet.\n" : "No operable plan: \(op.failure ?? "the blocks do not fit the fleet")\n"
        return out
    }

    static func money(_ v: Double) -> String {
        let n = Int(v.rounded())
        let digits = String(abs(n))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return (n < 0 ? "-" : "") + grouped
    }

    static func format6(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 0.001 { return String((v * 1000).rounded() / 1000) }
        var e = 0
        var m = v
        while abs(m) < 1 { m *= 10; e -= 1 }
        return "\((m * 100).rounded() / 100)e\(e)"
    }
}
