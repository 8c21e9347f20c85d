/// The rules about stations inside: pathways between their locations and `stops.stop_access`.
/// Semantics follow MobilityData's canonical validator (`PathwayLoopValidator`,
/// `PathwayEndpointTypeValidator`, `PathwayDanglingGenericNodeValidator`,
/// `PathwayReachableLocationValidator`, `PathwayStopAccessValidator`, `StopAccessValidator`)
/// as gtfs-guru 1.0.0 reports them.
///
/// Like gtfs-guru, these rules skip a file only when it lacks a required column; otherwise they
/// skip only the rows whose numeric fields could not be read (a stop without a readable
/// position, a pathway with an unreadable length, traversal time, stair count, slope or
/// width), which gtfs-guru drops when it loads the file. An unreadable enumeration
/// (`pathway_mode`, `is_bidirectional`, `location_type`) keeps its row: the pathway counts as
/// one-way, the location as of no known type.
///
/// `missing_level_id` (`MissingLevelIdValidator`: a stop at either end of an elevator without
/// a `level_id`) is not reported: gtfs-guru 1.0.0 does not report it by default.
enum StationRules {
    static func validate(_ feed: Feed, options: ReadOptions, unparsable: Set<String>, into report: inout ValidationReport) {
        guard let table = feed.table("stops.txt"), hasRequiredColumns(table) else { return }
        let graph = Graph(feed)
        stopAccess(feed, graph: graph, into: &report)
        guard graph.pathways != nil else { return }
        loops(graph, into: &report)
        endpoints(graph, into: &report)
        pathwaysToStreetAccess(graph, into: &report)
        danglingNodes(graph, into: &report)
        unreachable(graph, into: &report)
    }

    static func line(_ t: Table, _ r: Int) -> Int? { FeedValidator.lineOf(t, r) }

    /// Whether `t` has every column its schema requires. gtfs-guru does not load a file that
    /// lacks one (a `missing_required_column` already), so no rule reads it.
    static func hasRequiredColumns(_ t: Table) -> Bool {
        guard let schema = GTFSSchema.file(t.name) else { return true }
        return schema.fields.allSatisfy { f in
            (f.presence != .required && f.presence != .requiredColumn) || t.column(f.name) != nil
        }
    }

    /// Whether the row has a value in one of `columns` that could not be parsed.
    static func hasUnreadable(_ t: Table, _ columns: [String]) -> [Bool] {
        var out = [Bool](repeating: false, count: t.rowCount)
        for name in columns {
            guard let c = t.column(name) else { continue }
            for r in c.unparsed.keys where r >= 0 && Int(r) < out.count { out[Int(r)] = true }
        }
        return out
    }

    /// The stops, the pathways and the indexes every rule here needs.
    struct Graph {
        let feed: Feed
        let stops: Stops
        /// The number of stop codes (declared and only referenced).
        let codeCount: Int
        /// Per stop row, whether it is read (its position parsed).
        let stopUsable: [Bool]
        /// Per stop row, the location type: 0 where empty, -1 where unreadable (an unknown type).
        let locationType: [Int32]
        /// Per stop code, the first readable row that declares it (-1 when none).
        let rowOfCode: [Int32]
        /// Per stop code, whether a readable stop names it as parent_station.
        let hasChildren: [Bool]
        /// `pathways.txt`, when the feed has it.
        let pathways: Table?
        /// Per pathway row: endpoints (-1 when empty), whether both ways, whether readable.
        let from: [Int32], to: [Int32], both: [Bool], pathwayUsable: [Bool]

        init(_ feed: Feed) {
            self.feed = feed
            stops = feed.stops
            codeCount = feed.ids(.stop).count
            stopUsable = hasUnreadable(stops.table, ["stop_lat", "stop_lon"]).map { !$0 }
            var types = stops.locationType
            if let unreadable = stops.table.column("location_type")?.unparsed {
                for r in unreadable.keys where r >= 0 && Int(r) < types.count { types[Int(r)] = -1 }
            }
            locationType = types
            var rows = [Int32](repeating: -1, count: codeCount)
            var children = [Bool](repeating: false, count: codeCount)
            for r in 0..<stops.count where stopUsable[r] {
                let c = stops.id[r]
                if c >= 0, Int(c) < codeCount, rows[Int(c)] < 0 { rows[Int(c)] = Int32(r) }
                let p = stops.parentStation[r]
                if p >= 0, Int(p) < codeCount { children[Int(p)] = true }
            }
            rowOfCode = rows
            hasChildren = children
            let t = feed.table("pathways.txt").flatMap { hasRequiredColumns($0) ? $0 : nil }
            pathways = t
            let n = t?.rowCount ?? 0
            from = t?.codesOrEmpty("from_stop_id") ?? []
            to = t?.codesOrEmpty("to_stop_id") ?? []
            both = (t?.integersOr("is_bidirectional") ?? []).map { $0 == 1 }
            pathwayUsable = t.map { hasUnreadable($0, ["length", "traversal_time", "stair_count", "max_slope", "min_width"]).map { !$0 } }
                ?? [Bool](repeating: true, count: n)
        }

        /// Whether `code` is a stop code within the pool.
        func valid(_ code: Int32) -> Bool { code >= 0 && Int(code) < codeCount }

        /// The row declaring stop `code`, if a readable one does.
        func row(_ code: Int32) -> Int? {
            guard valid(code) else { return nil }
            let r = rowOfCode[Int(code)]
            return r >= 0 ? Int(r) : nil
        }

        /// The location type of stop `code`, if the feed declares it.
        func type(_ code: Int32) -> Int32? { row(code).map { locationType[$0] } }

        /// The station (location_type 1) that `code` is in: itself, or the first station up its
        /// chain of parent stations. `nil` when the chain ends (or loops) before one.
        func station(of code: Int32) -> Int32? {
            var c = code
            for _ in 0..<16 {
                guard let r = row(c) else { return nil }
                if locationType[r] == 1 { return c }
                c = stops.parentStation[r]
            }
            return nil
        }

        /// The text of stop `code`.
        func name(_ code: Int32) -> String {
            let ids = feed.ids(.stop)
            return code >= 0 && Int(code) < ids.count ? ids[Int(code)] : ""
        }
    }

    // MARK: stop_access

    /// `stop_access_specified_for_stop_with_no_parent_station`, `stop_access_specified_for_incorrect_location`:
    /// stop_access is meaningful only on a stop (location_type 0) inside a station.
    static func stopAccess(_ feed: Feed, graph g: Graph, into report: inout ValidationReport) {
        let t = g.stops.table
        guard let access = t.integers("stop_access") else { return }
        // An empty value, or one outside 0-1 (already a finding of its own), says nothing.
        for r in 0..<t.rowCount where g.stopUsable[r] && (access[r] == 0 || access[r] == 1) {
            let stop = g.name(g.stops.id[r])
            let value = String(access[r])
            let type = g.locationType[r]
            if type != 0 {
                report.add(Finding(.error, "stop_access_specified_for_incorrect_location", file: t.name, line: line(t, r),
                                   field: "stop_access", value: value,
                                   message: "location '\(stop)' has \(type < 0 ? "an unreadable location_type" : "location_type \(type)"); stop_access applies only to stops (location_type 0), so leave it empty here"))
            } else if g.stops.parentStation[r] < 0 {
                report.add(Finding(.error, "stop_access_specified_for_stop_with_no_parent_station", file: t.name, line: line(t, r),
                                   field: "stop_access", value: value,
                                   message: "stop '\(stop)' has stop_access but no parent_station; give it its station or leave stop_access empty"))
            }
        }
    }

    // MARK: Pathway rows

    /// `pathway_loop`: a pathway from a location to that same location.
    static func loops(_ g: Graph, into report: inout ValidationReport) {
        guard let t = g.pathways else { return }
        for r in 0..<t.rowCount where g.pathwayUsable[r] && g.from[r] >= 0 && g.from[r] == g.to[r] {
            let stop = g.name(g.from[r])
            report.add(Finding(.warning, "pathway_loop", file: t.name, line: line(t, r), field: "to_stop_id", value: stop,
                               message: "the pathway starts and ends at '\(stop)'; it should link two different locations"))
        }
    }

    /// `pathway_to_wrong_location_type` (an end is a station) and
    /// `pathway_to_platform_with_boarding_areas` (an end is a platform that has boarding
    /// areas), checked for from_stop_id, then to_stop_id.
    static func endpoints(_ g: Graph, into report: inout ValidationReport) {
        guard let t = g.pathways else { return }
        for r in 0..<t.rowCount where g.pathwayUsable[r] {
            for (field, code) in [("from_stop_id", g.from[r]), ("to_stop_id", g.to[r])] {
                guard let type = g.type(code) else { continue }
                let stop = g.name(code)
                if type == 1 {
                    report.add(Finding(.error, "pathway_to_wrong_location_type", file: t.name, line: line(t, r), field: field, value: stop,
                                       message: "\(field) '\(stop)' is a station; pathways link platforms, entrances, generic nodes and boarding areas, so use one of the station's locations"))
                } else if type == 0, g.valid(code), g.hasChildren[Int(code)] {
                    report.add(Finding(.error, "pathway_to_platform_with_boarding_areas", file: t.name, line: line(t, r), field: field, value: stop,
                                       message: "\(field) '\(stop)' is a platform with boarding areas; link the pathway to one of its boarding areas instead"))
                }
            }
        }
    }

    /// `pathway_to_stop_with_access_outside_of_station_pathways`: a pathway ends at a stop with
    /// stop_access 1 (reached from the street, not through the station). One finding per end.
    static func pathwaysToStreetAccess(_ g: Graph, into report: inout ValidationReport) {
        guard let t = g.pathways, let access = g.stops.table.integers("stop_access") else { return }
        var street = [Bool](repeating: false, count: g.codeCount)
        for r in 0..<g.stops.count where g.stopUsable[r] && access[r] == 1 && g.valid(g.stops.id[r]) {
            street[Int(g.stops.id[r])] = true
        }
        for r in 0..<t.rowCount where g.pathwayUsable[r] {
            for (field, code) in [("from_stop_id", g.from[r]), ("to_stop_id", g.to[r])] {
                guard g.valid(code), street[Int(code)] else { continue }
                if field == "to_stop_id" && code == g.from[r] { continue } // one finding per stop
                let stop = g.name(code)
                report.add(Finding(.error, "pathway_to_stop_with_access_outside_of_station_pathways", file: t.name, line: line(t, r),
                                   field: field, value: stop,
                                   message: "\(field) '\(stop)' has stop_access 1 (reached straight from the street); remove the pathway or set its stop_access to 0"))
            }
        }
    }

    // MARK: The pathway graph

    /// `pathway_dangling_generic_node`: a generic node (location_type 3) whose pathways all
    /// lead to one and the same location, whatever their direction.
    static func danglingNodes(_ g: Graph, into report: inout ValidationReport) {
        var neighbour = [Int32](repeating: -1, count: g.codeCount)
        var several = [Bool](repeating: false, count: g.codeCount)
        func link(_ a: Int32, _ b: Int32) {
            guard g.valid(a) else { return }
            let i = Int(a)
            if neighbour[i] < 0 { neighbour[i] = b } else if neighbour[i] != b { several[i] = true }
        }
        for r in 0..<g.from.count where g.pathwayUsable[r] && g.valid(g.from[r]) && g.valid(g.to[r]) {
            link(g.from[r], g.to[r])
            link(g.to[r], g.from[r])
        }
        let t = g.stops.table
        for r in 0..<g.stops.count where g.stopUsable[r] && g.locationType[r] == 3 {
            let c = g.stops.id[r]
            guard g.valid(c), neighbour[Int(c)] >= 0, !several[Int(c)] else { continue }
            let stop = g.name(c)
            report.add(Finding(.warning, "pathway_dangling_generic_node", file: t.name, line: line(t, r), field: "stop_id", value: stop,
                               message: "generic node '\(stop)' is linked to a single location ('\(g.name(neighbour[Int(c)]))'), so no route passes through it; link it on or remove it"))
        }
    }

    /// `pathway_unreachable_location`: in a station with pathways, a platform (without boarding
    /// areas), boarding area or generic node that no path leads to from an entrance, or from
    /// which no path leads to an entrance. Breadth-first searches from every entrance, along the
    /// pathways and against them (a bidirectional pathway counts both ways).
    static func unreachable(_ g: Graph, into report: inout ValidationReport) {
        let n = g.codeCount
        var edges: [(Int32, Int32, Bool)] = []
        var stationHasPathways = [Bool](repeating: false, count: n)
        for r in 0..<g.from.count where g.pathwayUsable[r] {
            let a = g.from[r], b = g.to[r]
            for c in [a, b] where g.valid(c) {
                if let s = g.station(of: c), g.valid(s) { stationHasPathways[Int(s)] = true }
            }
            if g.valid(a) && g.valid(b) { edges.append((a, b, g.both[r])) }
        }
        guard stationHasPathways.contains(true) else { return }
        // Adjacency in compressed rows: out[a] = pathways from a, into[b] = pathways to b.
        let out = Adjacency(edges, count: n)
        let into = Adjacency(edges.map { ($0.1, $0.0, $0.2) }, count: n)
        var entrances: [Int32] = []
        for r in 0..<g.stops.count where g.stopUsable[r] && g.locationType[r] == 2 && g.valid(g.stops.id[r]) {
            entrances.append(g.stops.id[r])
        }
        // From entrances: along every pathway, against bidirectional ones.
        let reached = search(from: entrances, count: n, forward: out, backward: into)
        // To exits: against every pathway, along bidirectional ones.
        let exits = search(from: entrances, count: n, forward: into, backward: out)
        let t = g.stops.table
        for r in 0..<g.stops.count where g.stopUsable[r] {
            let c = g.stops.id[r], type = g.locationType[r]
            guard g.valid(c), type == 3 || type == 4 || (type == 0 && !g.hasChildren[Int(c)]) else { continue }
            guard let s = g.station(of: c), g.valid(s), stationHasPathways[Int(s)] else { continue }
            let fromEntrance = reached[Int(c)], toExit = exits[Int(c)]
            guard !(fromEntrance && toExit) else { continue }
            let stop = g.name(c)
            let what = !fromEntrance && !toExit ? "cannot be reached from an entrance, nor lead to an exit"
                : !fromEntrance ? "cannot be reached from any entrance" : "has no way out to an exit"
            report.add(Finding(.error, "pathway_unreachable_location", file: t.name, line: line(t, r), field: "stop_id", value: stop,
                               message: "location '\(stop)' of station '\(g.name(s))' \(what) through pathways.txt; add the missing pathways or check their direction"))
        }
    }

    /// Edges grouped by their first end: `targets(of: a)` are the (other end, both ways) pairs.
    struct Adjacency {
        let offsets: [Int]
        let ends: [(Int32, Bool)]

        init(_ edges: [(Int32, Int32, Bool)], count: Int) {
            var offsets = [Int](repeating: 0, count: count + 1)
            for e in edges where e.0 >= 0 && Int(e.0) < count { offsets[Int(e.0) + 1] += 1 }
            for i in 0..<count { offsets[i + 1] += offsets[i] }
            var cursor = offsets
            var ends = [(Int32, Bool)](repeating: (-1, false), count: offsets[count])
            for e in edges where e.0 >= 0 && Int(e.0) < count {
                ends[cursor[Int(e.0)]] = (e.1, e.2)
                cursor[Int(e.0)] += 1
            }
            self.offsets = offsets
            self.ends = ends
        }

        func targets(of a: Int32) -> ArraySlice<(Int32, Bool)> {
            guard a >= 0, Int(a) + 1 < offsets.count else { return [] }
            return ends[offsets[Int(a)]..<offsets[Int(a) + 1]]
        }
    }

    /// The codes a breadth-first search from `seeds` visits (the seeds included), following
    /// every edge of `forward` and the bidirectional edges of `backward`.
    static func search(from seeds: [Int32], count: Int, forward: Adjacency, backward: Adjacency) -> [Bool] {
        var seen = [Bool](repeating: false, count: count)
        var queue: [Int32] = []
        for s in seeds where s >= 0 && Int(s) < count && !seen[Int(s)] {
            seen[Int(s)] = true
            queue.append(s)
        }
        var head = 0
        while head < queue.count {
            let c = queue[head]
            head += 1
            for (next, _) in forward.targets(of: c) where next >= 0 && Int(next) < count && !seen[Int(next)] {
                seen[Int(next)] = true
                queue.append(next)
            }
            for (next, both) in backward.targets(of: c) where both && next >= 0 && Int(next) < count && !seen[Int(next)] {
                seen[Int(next)] = true
                queue.append(next)
            }
        }
        return seen
    }
}
