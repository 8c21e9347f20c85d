import GTFS
import TransitNetwork

extension RidershipWalker {
    /// The index of the first period containing `time`, or -1.
    func periodIndex(of time: Int32) -> Int {
        guard time >= 0 else { return -1 }
        for (i, p) in periods.enumerated() where p.contains(time) { return i }
        return -1
    }

    /// The scheduled time of each stop: departure, else arrival, else interpolated by distance
    /// between the timed stops around it (the nearest timed stop's time before the first or
    /// after the last); `nil` when no stop has a time.
    func scheduledTimes(_ stRows: StopTimeIndex.Rows, metres: [Double]) -> [Int32]? {
        let k = stRows.count
        var times = [Int32](repeating: -1, count: k)
        var timed: [Int] = []
        for i in 0..<k {
            let r = Int(stRows[stRows.startIndex + i])
            let v = stDeparture[r] >= 0 ? stDeparture[r] : stArrival[r]
            if v >= 0 { times[i] = v; timed.append(i) }
        }
        guard let firstTimed = timed.first, let lastTimed = timed.last else { return k == 0 ? [] : nil }
        for i in 0..<firstTimed { times[i] = times[firstTimed] }
        for i in (lastTimed + 1)..<max(lastTimed + 1, k) { times[i] = times[lastTimed] }
        for (x, y) in zip(timed, timed.dropFirst()) where y > x + 1 {
            let span = metres[y] - metres[x]
            for i in (x + 1)..<y {
                let f = span > 0 ? (metres[i] - metres[x]) / span : Double(i - x) / Double(y - x)
                times[i] = times[x] + Int32((Double(times[y] - times[x]) * f).rounded())
            }
        }
        return times
    }

    /// Times of a frequency-based trip's stops: the counted service time where a row gives
    /// one, else the template's time shifted by the nearest counted stop's (the previous one,
    /// else the next); `nil` when no row gives a time.
    func frequencyTimes(template: [Int32]?, service: [Int32]) -> [Int32]? {
        let k = service.count
        guard service.contains(where: { $0 >= 0 }) else { return nil }
        var times = service
        var anchor = -1
        let firstAnchor = service.firstIndex { $0 >= 0 } ?? 0
        for i in 0..<k {
            if service[i] >= 0 { anchor = i; continue }
            let j = anchor >= 0 ? anchor : firstAnchor
            if let template, template[i] >= 0, template[j] >= 0 {
                times[i] = service[j] + (template[i] - template[j])
            } else {
                times[i] = service[j]
            }
        }
        return times
    }
}
