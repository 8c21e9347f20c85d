// The carbon report's figures: per day by mode and source, rejections, distances.

import Carbon
import Charts
import GTFS

extension CarbonReport {
    // MARK: Per day

    /// The colour of each mode, the same in every figure.
    static func color(ofMode mode: String) -> String {
        switch mode {
        case "walk": "#009E73"
        case "bike": "#56B4E9"
        case "bus": "#E69F00"
        case "coach": "#F0E442"
        case "tram": "#CC79A7"
        case "metro": "#0072B2"
        case "rail": "#000000"
        default: "#999999"
        }
    }

    /// The modes in the methodology's order (walk, bike, bus, …), unknown ones last by name.
    static func orderedModes(_ modes: some Sequence<String>) -> [String] {
        let order = Dictionary(uniqueKeysWithValues: Mode.allCases.enumerated().map { ($1.rawValue, $0) })
        return modes.sorted { (order[$0] ?? 99, $0) < (order[$1] ?? 99, $1) }
    }

    /// How the days of the report are grouped on the x axis: per day up to 92 days, per week
    /// (from Monday) up to two years, else per month.
    struct DayBins {
        var labels: [String]
        var unit: String
        var index: @Sendable (Int32) -> Int?

        init(first: GTFSDate, last: GTFSDate) {
            let span = last.daysSinceEpoch - first.daysSinceEpoch + 1
            if span <= 92 {
                labels = (0..<max(0, span)).map { first.adding(days: $0).iso8601 }
                unit = "day"
                let base = first.daysSinceEpoch
                index = { v in GTFSDate(yyyymmdd: v).map { $0.daysSinceEpoch - base } }
            } else if span <= 7 * 104 {
                let monday = first.adding(days: -first.weekday)
                let weeks = (last.daysSinceEpoch - monday.daysSinceEpoch) / 7 + 1
                labels = (0..<weeks).map { monday.adding(days: 7 * $0).iso8601 }
                unit = "week"
                let base = monday.daysSinceEpoch
                index = { v in GTFSDate(yyyymmdd: v).map { ($0.daysSinceEpoch - base) / 7 } }
            } else {
                let m0 = first.year * 12 + first.month - 1, m1 = last.year * 12 + last.month - 1
                labels = (m0...max(m0, m1)).map { m in
                    let month = m % 12 + 1
                    return "\(m / 12)-" + (month < 10 ? "0" : "") + String(month)
                }
                unit = "month"
                index = { v in GTFSDate(yyyymmdd: v).map { $0.year * 12 + $0.month - 1 - m0 } }
            }
        }
    }

    /// The bins of the report's days: the day range asked for, else the days with credits.
    static func dayBins(_ d: LedgerDigest) -> DayBins? {
        let days = d.days
        guard let dataFirst = days.first.flatMap(GTFSDate.init(yyyymmdd:)), let dataLast = days.last.flatMap(GTFSDate.init(yyyymmdd:)) else {
            guard let from = d.from, let to = d.to, to.daysSinceEpoch - from.daysSinceEpoch < 3660 else { return nil }
            return DayBins(first: from, last: to)
        }
        var first = min(d.from ?? dataFirst, dataFirst), last = max(d.to ?? dataLast, dataLast)
        // A range asked for far beyond the data (decades) is drawn over the data only.
        if last.daysSinceEpoch - first.daysSinceEpoch > 3660 { (first, last) = (dataFirst, dataLast) }
        return DayBins(first: first, last: last)
    }

    static func perDay(_ d: LedgerDigest, page: inout Page) -> String {
        guard let bins = dayBins(d) else {
            var html = Page.paragraph("No credits in this report.", class: "note")
            html += byGroup(d, bins: nil, key: "mode")
            html += byGroup(d, bins: nil, key: "source")
            return html
        }
        var html = Page.paragraph("""
            Net of reversals, per \(bins.unit)\(bins.unit == "day" ? "" : " (the days are grouped: the report covers \(bins.labels.count) \(bins.unit)s)"). \
            Hover a bar for its value.
            """, class: "note")
        html += Page.switcher(name: page.nextSwitcherName(), panels: [
            ("By mode", byGroup(d, bins: bins, key: "mode")),
            ("By source (operator)", byGroup(d, bins: bins, key: "source")),
        ])
        return html
    }

    /// Two figures side by side: CO2e and points per day, stacked by mode or by source.
    static func byGroup(_ d: LedgerDigest, bins: DayBins?, key: String) -> String {
        let table = key == "mode" ? d.byDayAndMode : d.byDayAndSource
        let overall = key == "mode" ? d.byMode : d.bySource
        var names: [String]
        var colors: [String: String] = [:]
        var other: Set<String> = []
        if key == "mode" {
            names = orderedModes(overall.keys)
            for n in names { colors[n] = color(ofMode: n) }
        } else {
            let ranked = overall.sorted { $0.value.grams != $1.value.grams ? $0.value.grams > $1.value.grams : $0.key < $1.key }.map(\.key)
            if ranked.count > namedSources + 1 {
                names = Array(ranked.prefix(namedSources))
                other = Set(ranked.dropFirst(namedSources))
                names.append("other sources (\(other.count))")
            } else {
                names = ranked
            }
            for (i, n) in names.enumerated() { colors[n] = i < namedSources ? Palette.category(i) : "#999999" }
        }
        let count = bins?.labels.count ?? 0
        var grams = [[Double]](repeating: [Double](repeating: 0, count: count), count: names.count)
        var points = grams
        let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        if let bins {
            for (day, row) in table {
                guard let c = bins.index(day), c >= 0, c < count else { continue }
                for (name, t) in row {
                    guard let s = other.contains(name) ? names.count - 1 : position[name] else { continue }
                    grams[s][c] += Double(t.grams)
                    points[s][c] += Double(t.points)
                }
            }
        }
        var maxStack = 0.0
        for c in 0..<count { maxStack = max(maxStack, grams.reduce(0) { $0 + max(0, $1[c]) }) }
        let unit = massUnit(upTo: maxStack)
        let per = bins?.unit ?? "day"
        let by = key == "mode" ? "mode" : "source"
        let xTitle = per == "day" ? "service day" : per == "week" ? "week from Monday (service days)" : "month (service days)"
        let co2 = BarChart(title: "CO2e avoided per \(per), by \(by)", categories: bins?.labels ?? [],
                           series: names.indices.map { (SeriesStyle(name: names[$0], color: colors[names[$0]] ?? "#999999"), grams[$0].map { $0 / unit.grams }) },
                           stacked: true, xTitle: xTitle, yTitle: "CO2e avoided (\(unit.name))", places: unit.places, width: 620, height: 340)
        let pts = BarChart(title: "Points per \(per), by \(by)", categories: bins?.labels ?? [],
                           series: names.indices.map { (SeriesStyle(name: names[$0], color: colors[names[$0]] ?? "#999999"), points[$0]) },
                           stacked: true, xTitle: xTitle, yTitle: "points", places: 0, width: 620, height: 340)
        return "<div class=\"figures\">" + Page.figure(co2.rendered()) + Page.figure(pts.rendered()) + "</div>\n"
    }

    // MARK: Rejections

    static func rejections(_ tally: RejectionTally?, digest d: LedgerDigest) -> String {
        guard let tally else {
            return codeNote("""
                No rejection files were given. The ledger never stores a rejected record (data minimisation), so \
                rejections are counted from the files `transit carbon credit LOG --rejections FILE` writes: pass them \
                with `--rejections FILE` (once per file) to count them here.
                """)
        }
        var html = Page.paragraph("""
            \(Format.grouped(tally.total)) rejected records in \(tally.files.count) file\(tally.files.count == 1 ? "" : "s"), \
            against \(Format.grouped(d.credited.legs)) credits in the ledger\(d.from != nil || d.to != nil ? " over these days" : ""). \
            Rejection files carry no service day: they are counted whole\(d.from != nil || d.to != nil ? ", whatever the day range" : "").
            """)
        html += Page.facts(tally.files.map { ($0.path, "\(Format.grouped($0.count)) rejected") })
        let reasons = tally.reasons
        guard !reasons.isEmpty else { return html + Page.paragraph("No record was rejected.", class: "note") }
        let chart = BarChart(title: "Rejected records by reason", categories: reasons.map(\.code),
                             series: [(SeriesStyle(name: "records rejected", color: Palette.category(3)), reasons.map { Double($0.count) })],
                             xTitle: "reason", yTitle: "records", places: 0,
                             width: max(420, min(820, 140 + 70 * Double(reasons.count))), height: reasons.count > 5 ? 380 : 320)
        html += Page.figure(chart.rendered())
        let total = Double(max(1, tally.total))
        html += Table(caption: "Rejections by reason, most first (the example is the first record rejected for it)",
                      columns: ["reason", "meaning", "records", "share", "example", "where"],
                      rows: reasons.map { r in
                          [Cell(r.code), Cell(RejectionTally.meaning(of: r.code) ?? "–"), .int(r.count),
                           Cell(Format.number(100 * Double(r.count) / total, places: 1) + " %", sortKey: String(r.count), numeric: true),
                           Cell(r.example), Cell(r.exampleAt)]
                      }).rendered()
        return html
    }

    // MARK: Distances

    /// The bin width (km) of the distance histogram: the smallest of 0.1, 0.2, 0.5, 1, 2, 5 ×
    /// 10^k km that puts the 98th percentile within about 12 bins.
    static func distanceStep(percentileKm: Double) -> Double {
        let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        return steps.first { percentileKm / $0 <= 12 } ?? 1000
    }

    static func distances(_ d: LedgerDigest) -> String {
        var all: [Int: Int] = [:]
        for (_, classes) in d.distanceClasses { for (k, n) in classes where n > 0 { all[k, default: 0] += n } }
        let legs = all.values.reduce(0, +)
        let modes = orderedModes(d.distanceClasses.keys.filter { d.distanceClasses[$0]?.values.contains { $0 > 0 } ?? false })
        guard legs > 0 else {
            let empty = BarChart(title: "Leg distances", categories: [], series: [], xTitle: "leg distance (km)", yTitle: "legs")
            return Page.figure(empty.rendered()) + Page.paragraph("No credited legs in this report.", class: "note")
        }
        // The 98th percentile, in 100 m classes.
        var seen = 0, p98 = 0
        for k in all.keys.sorted() {
            seen += all[k] ?? 0
            if Double(seen) >= 0.98 * Double(legs) { p98 = k; break }
        }
        let step = distanceStep(percentileKm: Double(p98 + 1) / 10)
        let classesPerBin = max(1, Int((step * 10).rounded()))
        let bins = max(1, (p98 + classesPerBin) / classesPerBin)
        let maxClass = all.keys.max() ?? 0
        let overflow = maxClass >= bins * classesPerBin
        let places = step < 1 ? 1 : 0
        var labels = (0..<bins).map { i in
            Format.number(Double(i) * step, places: places) + "–" + Format.number(Double(i + 1) * step, places: places)
        }
        if overflow { labels.append("≥ " + Format.number(Double(bins) * step, places: places)) }
        var series: [(style: SeriesStyle, values: [Double])] = []
        for mode in modes {
            var values = [Double](repeating: 0, count: labels.count)
            for (k, n) in d.distanceClasses[mode] ?? [:] where n > 0 {
                values[min(labels.count - 1, k / classesPerBin)] += Double(n)
            }
            series.append((SeriesStyle(name: mode, color: color(ofMode: mode)), values))
        }
        let chart = BarChart(title: "Leg distances, by mode", categories: labels, series: series, stacked: true,
                             xTitle: "leg distance (km)", yTitle: "legs", places: 0, width: 820, height: 340)
        var html = Page.figure(chart.rendered(), caption: """
            Credited legs net of reversals, in bins of \(Format.number(step, places: 1)) km from the start; \
            \(overflow ? "the last bin holds every leg from \(Format.number(Double(bins) * step, places: places)) km on (at most 2 % of the legs)." : "no leg is longer.")
            """)
        let byMode = d.byMode
        html += Table(caption: "Distance per mode", columns: ["mode", "legs", "passenger-km", "mean leg (km)", "CO2e avoided", "g CO2e per km"],
                      rows: modes.map { m in
                          let t = byMode[m] ?? LedgerDigest.Totals()
                          let km = Double(t.metres) / 1000
                          return [Cell(m), .int(t.legs), .number(km, places: 1), .number(t.legs > 0 ? km / Double(t.legs) : nil, places: 2),
                                  Cell(mass(t.grams), sortKey: String(t.grams), numeric: true), .number(km > 0 ? Double(t.grams) / km : nil, places: 1)]
                      }).rendered()
        return html
    }
}
