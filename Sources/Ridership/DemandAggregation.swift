import GTFS
import TransitNetwork

/// Step 5: per route, direction and period, the demand of an average day.
struct DemandAggregation {
    var demand: [RouteDemand] = []
    var averageDayBoardings = 0.0
    var boardingsOutside = 0.0

    struct CellKey: Hashable { var routeDirection: Int32; var period: Int32 }
    struct SlotKey: Hashable { var cell: Int32; var stop: Int32; var visit: Int32 }
    struct Cell {
        var key: CellKey
        var boardings = 0.0
        var passengerKm = 0.0
        var trips = 0
        var lastTrip: Int32 = -1
    }

    init(feed: Feed, profiles: [TripLoadProfile], periods: [Period], lengths: RouteLengths) {
        var cellOf: [CellKey: Int32] = [:]
        var cells: [Cell] = []
        var slotOf: [SlotKey: Int32] = [:]
        var slotCell: [Int32] = []
        var slotStop: [Int32] = []
        var slotLoad: [Double] = []
        var visits = [Int32](repeating: 0, count: feed.ids(.stop).count)
        for p in profiles {
            let w = p.weight
            let routeDirection = p.route * 2 + Int32(p.direction)
            let k = p.stops.count
            for i in 0..<k {
                let s = p.stops[i]
                var visit: Int32 = 0
                if s >= 0, Int(s) < visits.count { visit = visits[Int(s)]; visits[Int(s)] += 1 }
                averageDayBoardings += w * Double(p.boardings[i])
                let period = p.periods[i]
                guard period >= 0 else {
                    boardingsOutside += w * Double(p.boardings[i])
                    continue
                }
                let key = CellKey(routeDirection: routeDirection, period: Int32(period))
                let c: Int32
                if let known = cellOf[key] {
                    c = known
                } else {
                    c = Int32(cells.count)
                    cellOf[key] = c
                    cells.append(Cell(key: key))
                }
                cells[Int(c)].boardings += w * Double(p.boardings[i])
                if i + 1 < k {
                    cells[Int(c)].passengerKm += w * Double(p.loadAfter[i]) * max(0, p.metres[i + 1] - p.metres[i]) / 1000
                }
                if cells[Int(c)].lastTrip != p.trip {
                    cells[Int(c)].trips += 1
                    cells[Int(c)].lastTrip = p.trip
                }
                let slotKey = SlotKey(cell: c, stop: s, visit: visit)
                if let slot = slotOf[slotKey] {
                    slotLoad[Int(slot)] += w * Double(p.loadAfter[i])
                } else {
                    slotOf[slotKey] = Int32(slotLoad.count)
                    slotCell.append(c)
                    slotStop.append(s)
                    slotLoad.append(w * Double(p.loadAfter[i]))
                }
            }
            for s in p.stops where s >= 0 && Int(s) < visits.count { visits[Int(s)] = 0 }
        }
        // The maximum load point of each cell: the first slot (in the order met) with the largest load.
        var best = [Int32](repeating: -1, count: cells.count)
        for slot in 0..<slotLoad.count {
            let c = Int(slotCell[slot])
            if best[c] < 0 || slotLoad[slot] > slotLoad[Int(best[c])] { best[c] = Int32(slot) }
        }
        let routeIDs = feed.ids(.route)
        let stopIDs = feed.ids(.stop)
        var rows: [RouteDemand] = []
        rows.reserveCapacity(cells.count)
        for (c, cell) in cells.enumerated() {
            let route = cell.key.routeDirection / 2
            let direction = Int(cell.key.routeDirection % 2)
            let period = Int(cell.key.period)
            let slot = Int(best[c])
            let stop = slot >= 0 ? slotStop[slot] : -1
            rows.append(RouteDemand(
                routeID: routeIDs[Int(route)], direction: direction, periodIndex: period, period: periods[period].name,
                boardings: cell.boardings, maxLoad: slot >= 0 ? slotLoad[slot] : 0,
                maxLoadStopID: stop >= 0 && Int(stop) < stopIDs.count ? stopIDs[Int(stop)] : nil,
                passengerKm: cell.passengerKm, routeKm: lengths.kilometres(route: route, direction: direction),
                observedTrips: cell.trips))
        }
        let keys = cells.map(\.key)
        let order = rows.indices.sorted { x, y in
            let a = keys[x], b = keys[y]
            if a.routeDirection != b.routeDirection { return a.routeDirection < b.routeDirection }
            return a.period < b.period
        }
        demand = order.map { rows[$0] }
    }
}
