// Routes named on the command line (`--routes`, `--report-routes`).

public import GTFS

/// Routes named by `route_id` or `route_short_name`, the one rule every report's route option
/// follows.
public enum RouteSelection {
    /// For each of `names`, the route codes (``GTFS/IDSpace/route``) it names: the route whose
    /// `route_id` it is, else every route with it as `route_short_name` (a short name may name
    /// several routes). Names that name no route are listed in `unknown`, in the order given.
    /// - Complexity: O(routes + names).
    public static func resolve(_ names: [String], feed: Feed) -> (codes: [[Int32]], unknown: [String]) {
        let routes = feed.routes
        let ids = feed.ids(.route)
        var byID: [String: Int32] = [:], byShortName: [String: [Int32]] = [:]
        for r in 0..<routes.count {
            let c = routes.id[r]
            guard c >= 0, Int(c) < ids.count, byID[ids[Int(c)]] == nil else { continue }
            byID[ids[Int(c)]] = c
            if let short = routes.shortName?[r], !short.isEmpty { byShortName[short, default: []].append(c) }
        }
        var codes: [[Int32]] = [], unknown: [String] = []
        for name in names {
            let matches = byID[name].map { [$0] } ?? byShortName[name] ?? []
            if matches.isEmpty { unknown.append(name) }
            codes.append(matches)
        }
        return (codes, unknown)
    }

    /// The `route_id`s `names` name (see ``resolve(_:feed:)``), each once, in the order named.
    public static func routeIDs(_ names: [String], feed: Feed) -> (ids: [String], unknown: [String]) {
        let (codes, unknown) = resolve(names, feed: feed)
        let ids = feed.ids(.route)
        var out: [String] = [], seen = Set<Int32>()
        for c in codes.joined() where seen.insert(c).inserted && Int(c) < ids.count { out.append(ids[Int(c)]) }
        return (out, unknown)
    }
}
