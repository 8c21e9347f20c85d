import GTFS

/// The `stop_times.txt` rows of each trip, read from a ``StopTimeIndex`` without a call per
/// row: the GTFS module's `StopTimeIndex.Rows` subscript is not inlinable across modules, and
/// the network passes read every row of the feed.
///
/// Positions `positions(ofTrip:)` index the index's order; `row(at:)` turns one into a row
/// number of `stop_times.txt`.
struct TripRows {
    /// Per trip code, where its positions start; `tripCount + 1` entries.
    let offsets: [Int32]
    /// Position → row, empty when the file's order is the index order.
    let order: [Int32]
    /// Whether positions are row numbers (the file's order is the index order).
    let identity: Bool

    /// The rows of `index`.
    init(_ index: StopTimeIndex) {
        offsets = index.offsets
        order = index.order
        identity = index.isFileOrder
    }

    /// The number of trip codes.
    var tripCount: Int { max(0, offsets.count - 1) }

    /// The positions of trip code `trip` (empty for an unknown code).
    /// - Complexity: O(1).
    @inline(__always)
    func positions(ofTrip trip: Int) -> Range<Int> {
        guard trip >= 0, trip + 1 < offsets.count else { return 0..<0 }
        return Int(offsets[trip])..<Int(offsets[trip + 1])
    }

    /// The `stop_times.txt` row at `position`.
    /// - Complexity: O(1).
    @inline(__always)
    func row(at position: Int) -> Int { identity ? position : Int(order[position]) }
}
