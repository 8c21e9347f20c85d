public import Ridership

/// Load samples at the maximum load point, from counted trips, for even-load departures.
public enum LoadSamples {
    /// Per route direction, one sample per counted trip and date: when it passes the route
    /// direction's max load point and its load there, weighted for the average day.
    ///
    /// The max load point is the stop with the largest total weighted load (after the stop)
    /// over the direction's profiles. A profile that does not pass it gives its own largest
    /// load, at the time of that stop.
    /// - Complexity: O(stops of all profiles).
    public static func atMaxLoadPoint(_ profiles: [TripLoadProfile]) -> [RouteDirection: [LoadSample]] {
        var totals: [RouteDirection: [Int32: Double]] = [:]
        for p in profiles {
            let key = RouteDirection(routeID: p.routeID, direction: Int32(p.direction))
            var t = totals[key] ?? [:]
            for (i, s) in p.stops.enumerated() where i < p.loadAfter.count {
                t[s, default: 0] += p.weight * Double(p.loadAfter[i])
            }
            totals[key] = t
        }
        var point: [RouteDirection: Int32] = [:]
        for (key, t) in totals {
            if let best = t.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) { point[key] = best.key }
        }
        var out: [RouteDirection: [LoadSample]] = [:]
        for p in profiles {
            let key = RouteDirection(routeID: p.routeID, direction: Int32(p.direction))
            var i = point[key].flatMap { p.stops.firstIndex(of: $0) }
            if i == nil, let m = p.loadAfter.indices.max(by: { p.loadAfter[$0] < p.loadAfter[$1] }) { i = m }
            guard let i, i < p.times.count, i < p.loadAfter.count, p.times[i] >= 0 else { continue }
            out[key, default: []].append(LoadSample(time: p.times[i], load: p.weight * Double(p.loadAfter[i])))
        }
        for key in out.keys { out[key]?.sort { $0.time < $1.time } }
        return out
    }
}
