// Scales: from data values to drawing positions, and the ticks an axis labels.

/// A linear map from a data interval (the domain) to a drawing interval (the range).
///
/// An empty domain (low = high) is widened by one unit each side, so one point still has a
/// place in the middle of the range and no division by zero happens.
public struct LinearScale: Sendable, Hashable {
    /// The data interval, low to high.
    public let domain: ClosedRange<Double>
    /// The drawing positions of the domain's low and high ends (the high end may be smaller:
    /// a y axis grows upward while SVG's y grows downward).
    public let range: (Double, Double)

    /// A scale from `domain` to `range`.
    public init(domain: ClosedRange<Double>, range: (Double, Double)) {
        let lo = domain.lowerBound.isFinite ? domain.lowerBound : 0
        let hi = domain.upperBound.isFinite ? domain.upperBound : lo + 1
        self.domain = lo < hi ? lo...hi : (lo - 1)...(lo + 1)
        self.range = range
    }

    /// A scale whose domain covers `values` (and `including`, e.g. 0 for bars), rounded out
    /// to nice tick values.
    public static func covering(_ values: some Sequence<Double>, including: Double? = nil,
                                range: (Double, Double), tickCount: Int = 5) -> LinearScale {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        if let including { lo = min(lo, including); hi = max(hi, including) }
        if !lo.isFinite { lo = 0; hi = 1 }
        let ticks = Ticks.nice(lo...max(hi, lo), count: tickCount)
        return LinearScale(domain: (ticks.first ?? lo)...(ticks.last ?? hi), range: range)
    }

    /// The drawing position of `value` (values outside the domain map outside the range).
    public func callAsFunction(_ value: Double) -> Double {
        let t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return range.0 + t * (range.1 - range.0)
    }

    /// Nice tick values inside the domain (about `count` of them).
    public func ticks(count: Int = 5) -> [Double] {
        Ticks.nice(domain, count: count).filter { domain.contains($0) }
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range.0 == b.range.0 && a.range.1 == b.range.1
    }

    public func hash(into h: inout Hasher) {
        h.combine(domain.lowerBound)
        h.combine(domain.upperBound)
        h.combine(range.0)
        h.combine(range.1)
    }
}

/// Tick values for axes.
public enum Ticks {
    /// Round values (1, 2 or 5 × a power of ten apart) from at or below the interval's low end
    /// to at or above its high end, about `count` steps. An empty interval gives one value
    /// either side.
    ///
    /// - Complexity: O(count).
    public static func nice(_ interval: ClosedRange<Double>, count: Int = 5) -> [Double] {
        var lo = interval.lowerBound, hi = interval.upperBound
        guard lo.isFinite, hi.isFinite else { return [0, 1] }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let step = niceStep((hi - lo) / Double(max(1, count)))
        let first = (lo / step).rounded(.down)
        let last = (hi / step).rounded(.up)
        guard last - first < 1000 else { return [lo, hi] }
        return stride(from: first, through: last, by: 1).map { ($0 * step).clean }
    }

    /// The nice step (1, 2, 2.5 or 5 × 10^k) nearest above `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let f = raw / power
        let m: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        return m * power
    }

    /// Clock ticks for seconds since midnight: a step of 15 or 30 minutes or 1, 2, 3, 4 or 6
    /// hours, giving about `count` ticks over the interval; the values are whole seconds.
    public static func clock(_ interval: ClosedRange<Double>, count: Int = 8) -> [Double] {
        let span = max(1, interval.upperBound - interval.lowerBound)
        let steps: [Double] = [900, 1800, 3600, 7200, 10800, 14400, 21600]
        let step = steps.first { span / $0 <= Double(max(1, count)) } ?? 21600
        let first = (interval.lowerBound / step).rounded(.up)
        let last = (interval.upperBound / step).rounded(.down)
        guard first <= last else { return [interval.lowerBound] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }
}

extension Double {
    /// The value with the floating-point dust of a multiplication removed (0.30000000000000004 → 0.3).
    var clean: Double { (self * 1e9).rounded() / 1e9 }
}
