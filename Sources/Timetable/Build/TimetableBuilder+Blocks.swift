import GTFS
import TransitNetwork

extension Timetable {
    /// The blocks of the planned trips (``VehicleScheduler`` with the deadheads and depot of
    /// `options`), their names, and the timetable.
    static func assembleBlocks(feed: Feed, plan: HeadwayPlan, options: TimetableOptions, trips: [PlannedTrip],
                               blockTrips: [BlockTrip], assembly: TripAssembly, notes: [String]) throws(TimetableError) -> Timetable {
        var planned = trips
        let (deadheads, depotDrives) = try vehicleMoves(feed: feed, options: options, terminals: assembly.terminals)
        let blocks = try scheduleBlocks(blockTrips, terminalCount: assembly.terminals.count, deadheads: deadheads,
                                  depot: depotDrives, method: .standard)
        var blockIDs: [String] = []
        var perRoute: [String: Int] = [:]
        for list in blocks.blocks {
            guard let f = list.first else { blockIDs.append("block"); continue }
            if options.interline {
                blockIDs.append("block_\(blockIDs.count + 1)")
            } else {
                let r = planned[f].routeID
                perRoute[r, default: 0] += 1
                blockIDs.append("\(r)_block_\(perRoute[r] ?? 0)")
            }
        }
        for i in planned.indices { planned[i].block = blocks.blockOfTrip[i] }
        let alone = options.interline
            ? try fleetOnOwnRoutes(feed: feed, options: options, trips: planned, blockTrips: blockTrips, terminals: assembly.terminals)
            : nil
        return Timetable(date: plan.date, plan: plan, options: options, trips: planned, blockTrips: blockTrips,
                         blocks: blocks, blockIDs: blockIDs, terminalStops: assembly.terminals.stops, deadheads: deadheads,
                         depotDrives: depotDrives, fleetWithoutInterlining: alone, notes: notes)
    }

    /// The fleet the same trips need when every vehicle stays on its route: terminals split by
    /// route, deadheads only within a route, scheduled as the interlined blocks were.
    static func fleetOnOwnRoutes(feed: Feed, options: TimetableOptions, trips: [PlannedTrip], blockTrips: [BlockTrip],
                                 terminals shared: TerminalNumbering) throws(TimetableError) -> Int {
        var own = options
        own.interline = false
        var terminals = TerminalNumbering(terminals: shared.terminals, interline: false)
        var separate = blockTrips
        for (i, t) in trips.enumerated() where i < separate.count {
            let bt = separate[i]
            guard bt.from >= 0, bt.to >= 0, bt.from < shared.stops.count, bt.to < shared.stops.count else { continue }
            separate[i].from = terminals.terminal(route: t.route, stop: shared.stops[bt.from])
            separate[i].to = terminals.terminal(route: t.route, stop: shared.stops[bt.to])
        }
        let (deadheads, depot) = try vehicleMoves(feed: feed, options: own, terminals: terminals)
        return try scheduleBlocks(separate, terminalCount: terminals.count, deadheads: deadheads, depot: depot, method: .standard).fleet
    }

    /// The empty moves vehicles may make between the numbered `terminals` under `options`: the
    /// deadheads (none without ``TimetableOptions/deadheading``; from the matrix when given,
    /// else estimated from the terminals' positions; between terminals of one route unless
    /// interlining) and the depot drives.
    static func vehicleMoves(feed: Feed, options: TimetableOptions,
                             terminals: TerminalNumbering) throws(TimetableError) -> (deadheads: Deadheads, depot: [DepotDrive?]?) {
        let positions = terminals.terminals.positions
        let terminalPositions = terminals.stops.map { positions[$0] }
        let allowed: (Int, Int) -> Bool = { a, b in terminals.allowsMove(from: a, to: b) }
        var deadheads = Deadheads(terminalCount: terminals.count)
        if options.deadheading {
            if let matrix = options.deadheadMatrix {
                deadheads = try matrixDeadheads(matrix, feed: feed, terminals: terminals, positions: positions, allowed: allowed)
            } else {
                deadheads = Deadheads.estimated(positions: terminalPositions, allowed: allowed, speed: options.deadheadSpeed,
                                                detour: options.deadheadDetour, maximum: options.maximumDeadhead)
            }
        }
        let depot = try depotDrives(options: options, feed: feed, positions: positions, terminals: terminalPositions)
        return (deadheads, depot)
    }

    /// ``VehicleScheduler/schedule(trips:terminalCount:deadheads:depot:method:)``, its failure
    /// as a ``TimetableError``.
    static func scheduleBlocks(_ trips: [BlockTrip], terminalCount: Int, deadheads: Deadheads, depot: [DepotDrive?]?,
                         method: SchedulingMethod) throws(TimetableError) -> VehicleBlocks {
        do {
            return try VehicleScheduler.schedule(trips: trips, terminalCount: terminalCount, deadheads: deadheads,
                                                 depot: depot, method: method)
        } catch {
            throw .scheduling(error)
        }
    }

    /// Per terminal, the drive from the depot of `options` (the same back), estimated like a
    /// deadhead; `nil` without a depot.
    static func depotDrives(options: TimetableOptions, feed: Feed, positions: StopPositions,
                            terminals: [(lat: Double, lon: Double)?]) throws(TimetableError) -> [DepotDrive?]? {
        guard let depot = options.depot else { return nil }
        let at: (lat: Double, lon: Double)?
        switch depot {
        case .position(let lat, let lon): at = (lat, lon)
        case .stop(let id):
            guard let code = feed.codeMap(.stop)[id] else { throw .unknownDepot(stopID: id) }
            at = positions[code]
        }
        return terminals.map { p in
            guard let at, let p else { return nil }
            let drive = Deadheads.drive(straight: Geo.haversine(lat1: at.lat, lon1: at.lon, lat2: p.lat, lon2: p.lon),
                                        speed: options.deadheadSpeed, detour: options.deadheadDetour)
            return DepotDrive(seconds: drive.seconds, metres: drive.metres)
        }
    }

    /// The matrix's rows as moves between terminals: a row's stops stand for every terminal of
    /// their clusters; a row naming a stop the feed lacks is an error, one whose stops are at no
    /// terminal of the timetable is not used.
    static func matrixDeadheads(_ matrix: DeadheadMatrix, feed: Feed, terminals: TerminalNumbering, positions: StopPositions,
                                allowed: (Int, Int) -> Bool) throws(TimetableError) -> Deadheads {
        let stopCodes = feed.codeMap(.stop)
        var terminalsOfCluster: [Int32: [Int]] = [:]
        for (t, c) in terminals.clusters.enumerated() where c >= 0 { terminalsOfCluster[c, default: []].append(t) }
        var links = [[Deadheads.Link]](repeating: [], count: terminals.count)
        for e in matrix.entries {
            guard let a = stopCodes[e.from] else {
                throw .deadheadMatrixInvalid(path: matrix.path, line: e.line, field: "from_stop_id", value: e.from, reason: "no such stop in the feed")
            }
            guard let b = stopCodes[e.to] else {
                throw .deadheadMatrixInvalid(path: matrix.path, line: e.line, field: "to_stop_id", value: e.to, reason: "no such stop in the feed")
            }
            var metres = e.metres ?? 0
            if e.metres == nil, let p = positions[a], let q = positions[b] {
                metres = Int32(clamping: Int(Geo.haversine(lat1: p.lat, lon1: p.lon, lat2: q.lat, lon2: q.lon).rounded()))
            }
            for x in terminalsOfCluster[terminals.terminals.cluster(of: a)] ?? [] {
                for y in terminalsOfCluster[terminals.terminals.cluster(of: b)] ?? [] where x != y && allowed(x, y) {
                    links[x].append(Deadheads.Link(to: y, seconds: e.seconds, metres: metres))
                }
            }
        }
        return Deadheads(links: links)
    }
}
