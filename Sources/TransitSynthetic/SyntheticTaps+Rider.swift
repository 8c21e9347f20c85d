/// One rider's legs of the day (see ``SyntheticTaps`` and ``SyntheticTaps/Behaviour``).
struct RiderDay {
    struct Leg { var trip: Int32, board: Int32, alight: Int32 }
    enum Outcome { case single, closed, open, empty }

    let index: TapIndex
    var rng: SplitMix64
    let behaviour: SyntheticTaps.Behaviour
    var outcome = Outcome.empty
    /// Destinations drawn, and those that fell back to the alighting stop.
    var destinations = 0, destinationFallbacks = 0
    /// Stops near the current home, marked during a return search.
    var nearHome: [Bool]
    /// Departures examined per search, at most.
    static let searchLimit = 400
    /// ``SyntheticTaps/Behaviour/destination``: the radius of the destination disc around the
    /// alighting stop, the draws of a destination at most, and the walk to the next boarding.
    static let destinationRadius = 150.0, destinationAttempts = 40, destinationReach = 300.0
    /// The other behaviours: the walk from the alighting stop to the next boarding.
    static let nearbyReach = 250.0

    init(index: TapIndex, rng: SplitMix64, behaviour: SyntheticTaps.Behaviour) {
        self.index = index
        self.rng = rng
        self.behaviour = behaviour
        nearHome = [Bool](repeating: false, count: index.lat.count)
    }

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

    /// A random alighting 1–15 calls after `board`.
    mutating func ride(from board: Int) -> Int {
        let end = Int(index.callStart[Int(index.callTrip[board]) + 1])
        return board + 1 + int(min(15, end - board - 1))
    }

    mutating func day() -> [Leg] {
        outcome = .empty
        guard !index.depCall.isEmpty else { return [] }
        let single = rng.unit() < 0.15
        var first = -1
        for _ in 0..<50 {
            let c = Int(index.depCall[int(index.depCall.count)])
            let t = index.callDep[c]
            if single || (t >= 5 * 3600 && t < 19 * 3600) { first = c; break }
        }
        guard first >= 0 else { return [] }
        let u = rng.unit()
        let legCount = single ? 1 : u < 0.55 ? 2 : u < 0.85 ? 3 : 4
        let home = index.callStop[first]
        var legs: [Leg] = []
        var board = first, alight = ride(from: first)
        while true {
            legs.append(Leg(trip: index.callTrip[board], board: Int32(board), alight: Int32(alight)))
            if legs.count == legCount { break }
            // Where the rider walks from: a destination near the alighting, or the alighting stop.
            let goal: TapIndex.Point? = behaviour == .destination ? destination(board: board, alight: alight) : nil
            let next: (board: Int, alight: Int)?
            if legs.count + 1 == legCount {
                let transfer = rng.unit() < 0.3
                next = returnLeg(from: alight, board: board, home: home, transfer: transfer, goal: goal)
                    ?? returnLeg(from: alight, board: board, home: home, transfer: !transfer, goal: goal)
            } else if rng.unit() < 0.4, let c = onward(from: alight, board: board, transfer: true, goal: goal) {
                next = (c, ride(from: c))
            } else if let c = onward(from: alight, board: board, transfer: false, goal: goal) {
                next = (c, ride(from: c))
            } else {
                next = nil
            }
            guard let next else { break }
            board = next.board
            alight = next.alight
        }
        if legCount == 1 {
            outcome = .single
        } else {
            outcome = legs.count == legCount ? .closed : .open
        }
        return legs
    }

    /// Where a rider who alights at call `alight` (boarded at `board`) is going: a point drawn
    /// uniformly in a disc of ``destinationRadius`` around the alighting stop, drawn again
    /// until the alighting is the trip's later call nearest it (a rider gets off at the stop
    /// nearest where they are going); after ``destinationAttempts`` draws, the stop itself.
    mutating func destination(board: Int, alight: Int) -> TapIndex.Point {
        let s = Int(index.callStop[alight])
        let stop = TapIndex.Point(x: index.x[s], y: index.y[s])
        let r = Self.destinationRadius
        destinations += 1
        for _ in 0..<Self.destinationAttempts {
            // Uniform in the disc by rejection from its square (no trigonometry).
            let dx = (rng.unit() * 2 - 1) * r, dy = (rng.unit() * 2 - 1) * r
            guard dx * dx + dy * dy <= r * r else { continue }
            let p = TapIndex.Point(x: stop.x + dx, y: stop.y + dy)
            if index.nearestLater(after: board, to: p)?.call == alight { return p }
        }
        destinationFallbacks += 1
        return stop
    }

    /// The time window of the next boarding after arriving at call `alight`.
    mutating func window(after alight: Int, transfer: Bool) -> (Int32, Int32) {
        let a = index.callArr[alight]
        if transfer { return (a + 120, a + 1200) }
        // 1-9 h, but ending by 21:00 when the arrival allows (service thins out at night).
        let span = max(0, min(8 * 3600, 20 * 3600 - a))
        let start = a + 3600 + Int32(int(Int(span) + 1))
        return (start, start + 1800)
    }

    /// Whether boarding next at stop `s` is consistent with the rider alighting at `alight`
    /// (boarded at `board`): with ``SyntheticTaps/Behaviour/nearestToNextBoarding``, the
    /// alighting is the trip's later call nearest `s`.
    func fits(_ s: Int32, board: Int, alight: Int) -> Bool {
        guard behaviour == .nearestToNextBoarding else { return true }
        return index.nearestLater(after: board, to: index.point(s))?.call == alight
    }

    /// The stops the rider may walk to, each with its departures in `from..<to` that `accept`
    /// takes, then picks one (`nil` when none). Toward a `goal`: the stop within
    /// ``destinationReach`` of it nearest it that has one, and a random one of that stop's.
    /// Otherwise: a random one over the stops within ``nearbyReach`` of the alighting that
    /// ``fits(_:board:alight:)``. At most ``searchLimit`` departures are examined, and
    /// `accept` stops the search once it has taken `enough`.
    mutating func pick<T>(from alight: Int, board: Int, goal: TapIndex.Point?, window: (Int32, Int32), enough: Int = .max,
                          accept: (Int32) -> T?) -> T? {
        var candidates: [T] = []
        var examined = 0
        if let goal {
            search: for s in index.stops(nearestTo: goal, within: Self.destinationReach) {
                for c in index.departures(at: s, from: window.0, to: window.1) {
                    examined += 1
                    if examined > Self.searchLimit { break search }
                    if let t = accept(c) { candidates.append(t) }
                    if candidates.count >= enough { break }
                }
                if !candidates.isEmpty { break }
            }
        } else {
            search: for s in index.stops(near: index.callStop[alight], within: Self.nearbyReach) where fits(s, board: board, alight: alight) {
                for c in index.departures(at: s, from: window.0, to: window.1) {
                    examined += 1
                    if examined > Self.searchLimit { break search }
                    if let t = accept(c) { candidates.append(t) }
                    if candidates.count >= enough { break search }
                }
            }
        }
        return candidates.isEmpty ? nil : candidates[int(candidates.count)]
    }

    /// A departure for the next (not last) leg: a transfer to another route or a boarding
    /// after an activity.
    mutating func onward(from alight: Int, board: Int, transfer: Bool, goal: TapIndex.Point?) -> Int? {
        let w = window(after: alight, transfer: transfer)
        let route = index.tripRoute[Int(index.callTrip[alight])]
        let tripRoute = index.tripRoute, callTrip = index.callTrip
        return pick(from: alight, board: board, goal: goal, window: w) { c in
            !transfer || tripRoute[Int(callTrip[Int(c)])] != route ? Int(c) : nil
        }
    }

    /// The return leg: a departure whose trip later calls within 300 m of `home`; the rider
    /// alights at its call nearest `home`. Up to 8 candidates are kept.
    mutating func returnLeg(from alight: Int, board: Int, home: Int32, transfer: Bool, goal: TapIndex.Point?) -> (board: Int, alight: Int)? {
        let (from, _) = window(after: alight, transfer: transfer)
        let to = from + (transfer ? 1080 : 3 * 3600)
        let marked = index.stops(near: home, within: 300)
        for s in marked { nearHome[Int(s)] = true }
        let found: (board: Int, alight: Int)?
        do {
            let near = nearHome, index = index, homePoint = index.point(home)
            found = pick(from: alight, board: board, goal: goal, window: (from, to), enough: 8) { c in
                // Only trips that call near home are measured.
                let end = Int(index.callStart[Int(index.callTrip[Int(c)]) + 1])
                guard (Int(c) + 1..<end).contains(where: { near[Int(index.callStop[$0])] }),
                      let n = index.nearestLater(after: Int(c), to: homePoint), n.metres <= 300 else { return nil }
                return (board: Int(c), alight: n.call)
            }
        }
        // Unmarked after `near` is gone, so the flags are written in place.
        for s in marked { nearHome[Int(s)] = false }
        return found
    }
}
