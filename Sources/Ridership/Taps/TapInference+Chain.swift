import GTFS
import TransitNetwork
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TapInference {
    /// Chains each card's taps of the day and infers alighting stops, links and transfers,
    /// then counts boardings, alightings and loads (see ``tripCounts``). Call it once, after
    /// the last ``add(_:)``.
    ///
    /// - Complexity: O(taps × calls after each boarding) plus O(calls of the counted trips ×
    ///   stops of each trip) for the expansion.
    public mutating func infer() {
        let n = outcomes.count
        let cardCount = cardCodes.count
        summary.cards = cardCount
        // Counting sort by card, then time within a card.
        var start = [Int32](repeating: 0, count: cardCount + 1)
        for c in card { start[Int(c) + 1] += 1 }
        for i in 0..<cardCount { start[i + 1] += start[i] }
        var fill = start
        var order = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let c = Int(card[i])
            order[Int(fill[c])] = Int32(i)
            fill[c] += 1
        }
        var day: [Int32] = []
        for c in 0..<cardCount {
            day.removeAll(keepingCapacity: true)
            for k in Int(start[c])..<Int(start[c + 1]) { day.append(order[k]) }
            day.sort { a, b in
                let ta = outcomes[Int(a)].serviceTime, tb = outcomes[Int(b)].serviceTime
                return ta != tb ? ta < tb : a < b
            }
            dropDuplicates(&day)
            day.removeAll { outcomes[Int($0)].reason == .outsideServiceDay }
            chain(day)
        }
        countTrips()
    }

    /// Removes a card's repeated `tap_id`s from its day (the first is kept), marking them
    /// ``TapReason/duplicateTap``.
    mutating func dropDuplicates(_ day: inout [Int32]) {
        guard day.count > 1 else { return }
        var seen = Set<UInt64>()
        var kept: [Int32] = []
        kept.reserveCapacity(day.count)
        for i in day {
            if seen.insert(tapHash[Int(i)]).inserted {
                kept.append(i)
                continue
            }
            var o = outcomes[Int(i)]
            if let m = o.match { summary.matched[m.rawValue, default: 0] -= 1 } else if let r = o.reason { summary.unmatched[r.rawValue, default: 0] -= 1 }
            summary.rejected[TapReason.duplicateTap.rawValue, default: 0] += 1
            o = TapOutcome()
            o.serviceTime = outcomes[Int(i)].serviceTime
            o.reason = .duplicateTap
            outcomes[Int(i)] = o
        }
        day = kept
    }

    /// Infers the alighting of each matched tap of one card's day (taps in time order).
    mutating func chain(_ day: [Int32]) {
        for (k, i) in day.enumerated() {
            guard outcomes[Int(i)].match != nil else { continue }
            let next: Int32?, wraps: Bool
            if day.count == 1 {
                resolve(i, .singleTap)
                continue
            } else if k + 1 < day.count {
                next = day[k + 1]
                wraps = false
            } else if options.chainLastToFirst {
                next = day[0]
                wraps = true
            } else {
                next = nil
                wraps = false
            }
            guard let next else { resolve(i, .noNextTap); continue }
            infer(i, next: next, wraps: wraps)
        }
    }

    mutating func resolve(_ i: Int32, _ reason: TapReason) {
        outcomes[Int(i)].reason = reason
        summary.unresolved[reason.rawValue, default: 0] += 1
    }

    /// Infers tap `i`'s alighting from the boarding of tap `next`.
    mutating func infer(_ i: Int32, next: Int32, wraps: Bool) {
        let o = outcomes[Int(i)], nextOutcome = outcomes[Int(next)]
        let bLat = Double(lat[Int(next)]), bLon = Double(lon[Int(next)])
        guard !bLat.isNaN, !bLon.isNaN else { resolve(i, .nextTapUnplaced); return }
        let span = schedule.span(ofTrip: o.trip)
        let board = Int(o.boardPosition)
        guard board + 1 < span.upperBound else { resolve(i, .lastStop); return }
        if !wraps, nextOutcome.trip == o.trip, nextOutcome.boardPosition >= 0, nextOutcome.boardPosition <= o.boardPosition {
            resolve(i, .nextBoardingEarlier)
            return
        }
        let boardRow = Int(schedule.rowAt(o.boardPosition))
        let delay = o.serviceTime - (schedule.departureTime(boardRow) ?? o.serviceTime)
        let deadline = Int64(nextOutcome.serviceTime) + Int64(options.timeSlack)
        // Candidates are compared by the equirectangular distance (within 0.1 % of the
        // great-circle one over walking distances, and no trigonometry per stop); the chosen
        // stop's distance is then measured exactly.
        let degree = Geo.earthRadius * Double.pi / 180
        let xScale = cos(bLat * Double.pi / 180)
        var nearest: (p: Int, squared: Double, arrival: Int32)?
        var feasible = false
        for p in (board + 1)..<span.upperBound {
            let row = Int(schedule.rowAt(Int32(p)))
            let arrival = (schedule.arrivalTime(row) ?? o.serviceTime) + delay
            if !wraps, Int64(arrival) > deadline { break }
            feasible = true
            let (sl, so) = schedule.place(ofStop: schedule.stop[row])
            guard !sl.isNaN else { continue }
            var dLon = abs(so - bLon)
            if dLon > 180 { dLon = 360 - dLon }
            let x = dLon * xScale, y = sl - bLat
            let squared = x * x + y * y
            if nearest == nil || squared < nearest?.squared ?? .infinity { nearest = (p, squared, arrival) }
        }
        guard feasible else { resolve(i, .nextBoardingEarlier); return }
        guard let chosen = nearest, chosen.squared.squareRoot() * degree <= options.walkingLimit * 1.01 else { resolve(i, .beyondWalkingLimit); return }
        let (cl, co) = schedule.place(ofStop: schedule.stop[Int(schedule.rowAt(Int32(chosen.p)))])
        let metres = Geo.haversine(lat1: cl, lon1: co, lat2: bLat, lon2: bLon)
        guard metres <= options.walkingLimit else { resolve(i, .beyondWalkingLimit); return }
        let best = (p: chosen.p, metres: metres, arrival: chosen.arrival)
        var out = o
        out.alightPosition = Int32(best.p)
        out.alighting = wraps ? .firstTap : .nextTap
        out.alightMetres = Int32(best.metres.rounded())
        out.reason = nil
        let link: TapLink
        if wraps {
            link = .home
        } else {
            let gap = Int64(nextOutcome.serviceTime) - Int64(best.arrival)
            let sameRoute = nextOutcome.trip >= 0 && schedule.tripRoute[Int(nextOutcome.trip)] == schedule.tripRoute[Int(o.trip)]
            link = gap <= Int64(options.transferLimit) && !sameRoute ? .transfer : .activity
        }
        out.link = link
        outcomes[Int(i)] = out
        if link == .transfer { outcomes[Int(next)].isTransfer = true }
        summary.alightings[out.alighting?.rawValue ?? "", default: 0] += 1
        summary.links[link.rawValue, default: 0] += 1
    }
}
