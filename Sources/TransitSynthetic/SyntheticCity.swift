public import GTFS
import TransitNetwork
import Planner
public import Timetable

/// A generated city for benchmarks and tests: a GTFS feed with today's timetable and a headway
/// plan for it, deterministic for a seed, built from the planner's city-scale instance
/// (``SyntheticProblem``).
///
/// Each route of the instance becomes a straight line of `stopsPerRoute` stops about 400 m
/// apart (direction 1 on its own stops 20 m across the street, so the terminals pair up by
/// distance), running today every 30 minutes from 05:00 to 23:30 each way with a run time that
/// makes the instance's cycle time with the planner's layover rule (a minute slower in the
/// peaks 07-09 and 16-19). The plan takes, per route and
/// period, the headway option with the least waiting plus operating cost, for both directions.
public enum SyntheticCity {
    /// The service date of the generated timetable (a Tuesday).
    public static let date = GTFSDate(daysSinceEpoch: 20_522) // 2026-03-10

    /// The feed's files (CSV) and the plan.
    /// - Complexity: O(routes × stops per route × trips per route).
    public static func make(routes: Int, stopsPerRoute: Int = 25, seed: UInt64 = 1) -> (files: [(path: String, data: [UInt8])], plan: HeadwayPlan) {
        let problem = SyntheticProblem.make(routes: routes, seed: seed)
        var periods: [Period] = []
        for p in problem.periods {
            if let parsed = try? Period.parse(p.name), parsed.count == 1 { periods.append(parsed[0]) }
        }
        var cycle = [Double](repeating: 1800, count: routes)
        var rows: [HeadwayPlan.Row] = []
        for g in problem.groups where g.route < routes && g.period < periods.count {
            cycle[g.route] = g.cycleTime
            guard let best = g.options.min(by: { $0.waitingCost + $0.operatingCost < $1.waitingCost + $1.operatingCost }) else { continue }
            for d in [Int32(0), 1] {
                rows.append(HeadwayPlan.Row(routeID: problem.routes[g.route].id, direction: d, periodIndex: g.period,
                                            headway: best.headway, vehicles: best.vehicles))
            }
        }
        let plan = HeadwayPlan(date: date, periods: periods, fleet: problem.periods.map(\.fleet), rows: rows)

        let agency = "agency_id,agency_name,agency_url,agency_timezone,agency_lang\nA,Synthetic City Transit,https://example.org/,Europe/Vilnius,en\n"
        var stops = "stop_id,stop_name,stop_lat,stop_lon\n"
        var routeText = "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        var trips = "route_id,service_id,trip_id,direction_id\n"
        var times: [UInt8] = Array("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n".utf8)
        times.reserveCapacity(routes * 2 * 38 * stopsPerRoute * 40)
        let calendar = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20260101,20261231\n"
        func clock(_ t: Int) -> String {
            let h = t / 3600, m = (t / 60) % 60, s = t % 60
            return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m) + ":" + (s < 10 ? "0" : "") + String(s)
        }
        for r in 0..<routes {
            let id = problem.routes[r].id
            routeText += "\(id),A,\(r + 1),Line \(r + 1),3\n"
            let lat0 = 54.60 + Double(r / 25) * 0.012, lon0 = 25.20 + Double(r % 25) * 0.02
            for k in 0..<stopsPerRoute {
                let lon = lon0 + Double(k) * 0.0006
                stops += "\(id)_0_\(k),Stop \(r + 1)/\(k + 1),\(lat0),\(lon)\n"
                stops += "\(id)_1_\(k),Stop \(r + 1)/\(k + 1) opposite,\(lat0 + 0.00018),\(lon)\n"
            }
            // One direction's run plus its layover, max(5 min, 10 %), is half the cycle.
            let half = cycle[r] / 2
            let run = max(Double(stopsPerRoute - 1) * 60, half >= 3300 ? half / 1.1 : half - 300)
            var start = 5 * 3600
            while start <= 23 * 3600 + 1800 {
                // A minute slower in the peaks, so run times vary over the day.
                let peak = (7 * 3600..<9 * 3600).contains(start) || (16 * 3600..<19 * 3600).contains(start)
                let length = run + (peak ? 60 : 0)
                for d in 0..<2 {
                    let trip = "\(id)_\(d)_\(start / 60)"
                    trips += "\(id),WK,\(trip),\(d)\n"
                    for k in 0..<stopsPerRoute {
                        let t = start + Int((length * Double(k) / Double(stopsPerRoute - 1)).rounded())
                        let stop = d == 0 ? k : stopsPerRoute - 1 - k
                        times.append(contentsOf: "\(trip),\(clock(t)),\(clock(t)),\(id)_\(d)_\(stop),\(k + 1)\n".utf8)
                    }
                }
                start += 1800
            }
        }
        let files: [(path: String, data: [UInt8])] = [
            ("agency.txt", Array(agency.utf8)), ("stops.txt", Array(stops.utf8)), ("routes.txt", Array(routeText.utf8)),
            ("trips.txt", Array(trips.utf8)), ("stop_times.txt", times), ("calendar.txt", Array(calendar.utf8)),
        ]
        return (files, plan)
    }
}
