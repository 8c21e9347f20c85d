/// A stretch of the day run at one headway: `[start, end)` in seconds since service-day
/// midnight.
public struct HeadwaySegment: Sendable, Hashable {
    /// The first second.
    public var start: Int32
    /// The end (exclusive).
    public var end: Int32
    /// The headway, seconds (> 0).
    public var headway: Int32

    /// Creates a segment.
    public init(start: Int32, end: Int32, headway: Int32) {
        self.start = start
        self.end = end
        self.headway = headway
    }
}

/// One observation of the load at a route direction's maximum load point: a trip passing it
/// at `time` with `load` passengers on board (average day).
public struct LoadSample: Sendable, Hashable {
    /// Seconds since service-day midnight when the trip passes the max load point.
    public var time: Int32
    /// Passengers on board there.
    public var load: Double

    /// Creates a sample.
    public init(time: Int32, load: Double) {
        self.time = time
        self.load = load
    }
}

/// How departure times are placed: even headways with Ceder's average-headway transitions,
/// and Ceder's even-load departures.
///
/// All times are seconds since service-day midnight; results are on whole minutes, strictly
/// increasing.
public enum DepartureRules {
    /// Rounds `t` to the nearest whole minute (halves up).
    @inlinable
    public static func wholeMinute(_ t: Double) -> Int32 {
        Int32((t / 60).rounded(.toNearestOrAwayFromZero)) * 60
    }

    /// Departures at even headways from `first` to `last`.
    ///
    /// **Transitions (Ceder's average-headway rule).** The frequency is the step function
    /// 1 / headway of the segment in force; a departure is made each time its integral since
    /// the previous departure reaches one. Inside a segment this gives exactly its headway;
    /// across a boundary at `b` between headways h₁ and h₂, a vehicle that left at `d < b`
    /// has used (b − d) / h₁ of its interval, and the next leaves at
    /// b + (1 − (b − d) / h₁) · h₂. When the last departure of h₁ falls half a headway before
    /// the boundary, the transition headway is (h₁ + h₂) / 2, the average of the two: no
    /// bunching when the headway grows, no gap when it shrinks. Each departure is rounded to
    /// the whole minute; the exact time carries on to the next.
    ///
    /// **Ends.** `first` is the first departure. The first segment is stretched back to
    /// `first` and the last forward past `last` (service before or after the planned periods
    /// runs at their headway). After a gap between segments (no service planned), the next
    /// departure is at the next segment's start. `last` is kept as the last departure: when
    /// the regular departures stop less than half a headway before it, the latest one moves to
    /// `last`; otherwise `last` is added.
    ///
    /// - Parameters:
    ///   - segments: non-overlapping stretches, any order; empty gives `[first]` or nothing.
    ///   - first, last: the first and last departure (rounded to whole minutes).
    /// - Returns: departures, whole minutes, strictly increasing; empty when `last < first`.
    /// - Complexity: O(departures + segments log segments).
    public static func evenHeadways(segments: [HeadwaySegment], first: Int32, last: Int32) -> [Int32] {
        let first = wholeMinute(Double(first)), last = wholeMinute(Double(last))
        guard last >= first else { return [] }
        var segs = segments.filter { $0.headway > 0 && $0.end > $0.start }.sorted { $0.start < $1.start }
        guard !segs.isEmpty else { return [first] }
        segs[0].start = min(segs[0].start, first)
        segs[segs.count - 1].end = max(segs[segs.count - 1].end, last + 1)
        var out: [Int32] = [first]
        var exact = Double(first)
        var s = 0
        while true {
            // From `exact`, spend one unit of frequency.
            var remaining = 1.0
            var position = exact
            var next: Double? = nil
            while s < segs.count {
                let seg = segs[s]
                if position < Double(seg.start) - 1e-9 {
                    // A gap without planned service: restart at the segment's start.
                    next = Double(seg.start)
                    break
                }
                if position >= Double(seg.end) { s += 1; continue }
                let room = (Double(seg.end) - position) / Double(seg.headway)
                // A departure due exactly at the segment's end belongs to what follows (the
                // next segment's start, or nothing in a gap).
                if remaining < room - 1e-9 {
                    next = position + remaining * Double(seg.headway)
                    break
                }
                remaining = max(0, remaining - room)
                position = Double(seg.end)
                s += 1
            }
            guard let n = next, n <= Double(last) else { break }
            exact = n
            let t = wholeMinute(n)
            if let previous = out.last, t <= previous { continue }
            out.append(t)
        }
        if let end = out.last, end < last {
            let h = Double(headway(at: last, in: segs) ?? segs[segs.count - 1].headway)
            if Double(last - end) >= h / 2 || out.count == 1 {
                out.append(last)
            } else {
                out[out.count - 1] = last
            }
        }
        return out
    }

    /// The headway of the segment containing `t`, if any.
    static func headway(at t: Int32, in segments: [HeadwaySegment]) -> Int32? {
        segments.first { $0.start <= t && t < $0.end }?.headway
    }

    /// Ceder's even-load departures: `count` departures in `[start, end)` placed so that each
    /// carries the same load at the maximum load point.
    ///
    /// The loads give a cumulative load curve: sample *i* (sorted by time) stands for the
    /// passengers who reach the max load point in (tᵢ₋₁, tᵢ], spread evenly over it (for the
    /// first sample, over an interval as long as the gap to the second; one sample alone
    /// spreads over the whole window); before the first and after the last sample the nearest
    /// rate goes on. With L the load in the window and d = L / count the desired load per
    /// departure, departure *k* (1…count) is where the curve reaches (k − ½) · d: the centre
    /// of its share of the load, so no departure sits on the window's ends. Without any load
    /// in the window the departures are even: start + (k − ½) · (end − start) / count.
    ///
    /// With `maxGap`, the load rate gets a floor of (load per departure) / `maxGap`, so that
    /// where almost nobody travels the departures are still about `maxGap` apart (a policy
    /// headway), as Ceder's methods combine the load with a minimum frequency.
    ///
    /// - Returns: departures on whole minutes, strictly increasing (two that round to the
    ///   same minute are kept a minute apart), all in `[start, end)` when the window allows.
    /// - Complexity: O(samples log samples + count).
    public static func evenLoad(start: Int32, end: Int32, count: Int, loads: [LoadSample], maxGap: Int32? = nil) -> [Int32] {
        guard count > 0, end > start else { return [] }
        let samples = loads.filter { $0.load.isFinite && $0.load >= 0 }.sorted { $0.time < $1.time }
        // Piecewise-constant rate: (from, to, passengers per second).
        var pieces: [(from: Double, to: Double, rate: Double)] = []
        if samples.count == 1 {
            pieces.append((Double(start), Double(end), samples[0].load / Double(end - start)))
        } else if samples.count > 1 {
            for i in samples.indices {
                let to = Double(samples[i].time)
                let from = i == 0 ? to - Double(samples[1].time - samples[0].time) : Double(samples[i - 1].time)
                guard to > from else {
                    // Two trips at the same time: add this load to the previous piece.
                    if !pieces.isEmpty {
                        let p = pieces[pieces.count - 1]
                        pieces[pieces.count - 1].rate += samples[i].load / max(1, p.to - p.from)
                    }
                    continue
                }
                pieces.append((from, to, samples[i].load / (to - from)))
            }
        }
        let a = Double(start), b = Double(end)
        // The rate at x, with the end rates carried on beyond the samples.
        func rate(at x: Double) -> Double {
            guard let firstPiece = pieces.first, let lastPiece = pieces.last else { return 0 }
            if x < firstPiece.from { return firstPiece.rate }
            if x >= lastPiece.to { return lastPiece.rate }
            for p in pieces where p.from <= x && x < p.to { return p.rate }
            return 0
        }
        // Breakpoints in the window.
        var cuts: [Double] = [a, b]
        for p in pieces {
            if p.from > a && p.from < b { cuts.append(p.from) }
            if p.to > a && p.to < b { cuts.append(p.to) }
        }
        cuts.sort()
        var steps: [(from: Double, to: Double, rate: Double, before: Double)] = []
        var total = 0.0
        for i in 0..<(cuts.count - 1) where cuts[i + 1] > cuts[i] {
            let r = rate(at: (cuts[i] + cuts[i + 1]) / 2)
            steps.append((cuts[i], cuts[i + 1], r, total))
            total += r * (cuts[i + 1] - cuts[i])
        }
        // A floor under the rate keeps the gaps near `maxGap` where almost nobody travels.
        if let maxGap, maxGap > 0, total > 0 {
            for _ in 0..<3 {
                let floor = total / Double(count) / Double(maxGap)
                total = 0
                for k in steps.indices {
                    steps[k].rate = max(steps[k].rate, floor)
                    steps[k].before = total
                    total += steps[k].rate * (steps[k].to - steps[k].from)
                }
            }
        }
        var exact: [Double] = []
        if total <= 0 {
            for k in 1...count { exact.append(a + (Double(k) - 0.5) * (b - a) / Double(count)) }
        } else {
            let share = total / Double(count)
            var j = 0
            for k in 1...count {
                let target = (Double(k) - 0.5) * share
                while j < steps.count - 1 && steps[j].before + steps[j].rate * (steps[j].to - steps[j].from) < target { j += 1 }
                let st = steps[j]
                exact.append(st.rate > 0 ? st.from + (target - st.before) / st.rate : st.from)
            }
        }
        var out: [Int32] = []
        for x in exact {
            var t = wholeMinute(x)
            if let previous = out.last, t <= previous { t = previous + 60 }
            out.append(t)
        }
        return out
    }
}
