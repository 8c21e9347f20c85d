// The carbon report's routes: trips of the ledger resolved to the routes of a feed.

import Carbon
import Charts
import GTFS

/// The ledger's trips grouped by the route each runs on in a feed.
struct RouteCredits {
    /// One route's net totals.
    struct Route {
        var id: String
        var label: String
        var name: String
        var mode: String
        var totals: LedgerDigest.Totals
        var trips: Int
    }

    /// Routes with credits, most CO2e first (ties by route id).
    var routes: [Route]
    /// Trips the feed does not have, and their net totals.
    var unknownTrips: Int
    var unknown: LedgerDigest.Totals

    /// Groups `byTrip` by the routes of `feed`.
    /// - Complexity: O(trips of the feed + trips of the ledger).
    init(byTrip: [String: LedgerDigest.Totals], feed: Feed) {
        let tripCodes = feed.codeMap(.trip)
        let trips = feed.trips
        var routeOfTrip = [Int32](repeating: -1, count: feed.ids(.trip).count)
        for row in 0..<trips.count {
            let t = Int(trips.id[row])
            if t >= 0, t < routeOfTrip.count, routeOfTrip[t] < 0 { routeOfTrip[t] = trips.route[row] }
        }
        let routeIDs = feed.ids(.route)
        let table = feed.routes
        var rowOfRoute: [Int32: Int] = [:]
        for row in 0..<table.count where rowOfRoute[table.id[row]] == nil { rowOfRoute[table.id[row]] = row }
        var sums: [Int32: (LedgerDigest.Totals, Int)] = [:]
        var unknownTrips = 0
        var unknown = LedgerDigest.Totals()
        for (trip, t) in byTrip {
            guard let code = tripCodes[trip], Int(code) < routeOfTrip.count, routeOfTrip[Int(code)] >= 0 else {
                unknownTrips += 1
                unknown += t
                continue
            }
            let r = routeOfTrip[Int(code)]
            let s = sums[r] ?? (LedgerDigest.Totals(), 0)
            sums[r] = (s.0 + t, s.1 + 1)
        }
        var routes: [Route] = []
        for (code, s) in sums where s.0.legs != 0 || s.0.grams != 0 {
            let id = Int(code) < routeIDs.count ? routeIDs[Int(code)] : "?"
            var short: String?, long: String?, mode = "–"
            if let row = rowOfRoute[code] {
                short = table.shortName?[row]
                long = table.longName?[row]
                mode = Mode(routeType: table.type[row])?.rawValue ?? "route type \(table.type[row])"
            }
            let label = short.flatMap { $0.isEmpty ? nil : $0 } ?? long.flatMap { $0.isEmpty ? nil : $0 } ?? id
            routes.append(Route(id: id, label: label, name: long ?? "", mode: mode, totals: s.0, trips: s.1))
        }
        routes.sort { $0.totals.grams != $1.totals.grams ? $0.totals.grams > $1.totals.grams : $0.id < $1.id }
        self.routes = routes
        self.unknownTrips = unknownTrips
        self.unknown = unknown
    }
}

extension CarbonReport {
    static func routes(_ d: LedgerDigest, feed: Feed?, feedName: String?) -> String {
        let transit = d.byTrip.values.reduce(LedgerDigest.Totals(), +)
        guard let feed else {
            return codeNote("""
                The ledger keeps each transit leg's `trip_id`, not its route. Pass `--feed FEED` (the feed the trips were \
                priced against) to group the \(Format.grouped(transit.legs)) transit legs on \(Format.grouped(d.byTrip.count)) \
                trips by route.
                """)
        }
        let credits = RouteCredits(byTrip: d.byTrip, feed: feed)
        var html = Page.paragraph("""
            \(Format.grouped(transit.legs)) transit legs on \(Format.grouped(d.byTrip.count)) trips, \
            grouped by the route of each trip in \(feedName ?? "the feed") (\(Format.grouped(credits.routes.count)) routes with credits). \
            Net of reversals.
            """)
        if credits.unknownTrips > 0 {
            html += Page.paragraph("""
                \(Format.grouped(credits.unknownTrips)) trips (\(Format.grouped(credits.unknown.legs)) legs, \(mass(credits.unknown.grams))) \
                are not in this feed: were they priced against another one?
                """, class: "note")
        }
        let top = Array(credits.routes.prefix(topRoutes))
        let maxGrams = Double(top.first?.totals.grams ?? 0)
        let unit = massUnit(upTo: maxGrams)
        let chart = BarChart(title: "Top \(top.count == 1 ? "route" : "\(top.count) routes") by CO2e avoided",
                             categories: top.map { String($0.label.prefix(16)) },
                             series: [(SeriesStyle(name: "CO2e avoided", color: Palette.category(0)), top.map { Double($0.totals.grams) / unit.grams })],
                             xTitle: "route", yTitle: "CO2e avoided (\(unit.name))", places: unit.places, width: 720, height: 340)
        html += Page.figure(chart.rendered())
        let all = Double(max(1, transit.grams))
        html += Table(caption: "Top \(top.count) of \(credits.routes.count) routes by CO2e avoided",
                      columns: ["rank", "route", "name", "mode", "trips", "legs", "passenger-km", "CO2e avoided", "points", "share of transit CO2e"],
                      rows: top.enumerated().map { i, r in
                          [.int(i + 1), Cell(r.label), Cell(r.name), Cell(r.mode), .int(r.trips), .int(r.totals.legs),
                           .number(Double(r.totals.metres) / 1000, places: 1),
                           Cell(mass(r.totals.grams), sortKey: String(r.totals.grams), numeric: true), .int(r.totals.points),
                           Cell(Format.number(100 * Double(r.totals.grams) / all, places: 1) + " %", sortKey: String(r.totals.grams), numeric: true)]
                      }).rendered()
        return html
    }
}
