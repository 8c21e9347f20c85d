extension Shapes {
    /// The rows of shapes.txt that `include` accepts, grouped by shape code (codes below
    /// `shapeCount`) and stably sorted by `shape_pt_sequence` within each shape (file order
    /// among equal sequences): a counting sort, then a sort of each shape only when its points
    /// are not already in order.
    /// - Returns: `offsets` (per shape code where its rows start; `shapeCount + 1` entries) and
    ///   `order` (the row numbers).
    /// - Complexity: O(n log k) for n rows and at most k rows per shape; O(n) when sorted.
    package func rowsBySequence(shapeCount: Int, including include: (Int) -> Bool) -> (offsets: [Int32], order: [Int32]) {
        let count = max(0, shapeCount)
        var offsets = [Int32](repeating: 0, count: count + 1)
        for (r, c) in id.enumerated() where c >= 0 && Int(c) < count && include(r) { offsets[Int(c) + 1] += 1 }
        for i in 0..<count { offsets[i + 1] += offsets[i] }
        var cursor = offsets
        var rows = [Int32](repeating: 0, count: Int(offsets[count]))
        for (r, c) in id.enumerated() where c >= 0 && Int(c) < count && include(r) {
            rows[Int(cursor[Int(c)])] = Int32(r)
            cursor[Int(c)] += 1
        }
        let seq = sequence
        for shape in 0..<count {
            let a = Int(offsets[shape]), b = Int(offsets[shape + 1])
            guard b - a > 1 else { continue }
            var sorted = true
            for i in (a + 1)..<b where seq[Int(rows[i - 1])] > seq[Int(rows[i])] { sorted = false; break }
            if !sorted {
                let part = rows[a..<b].sorted { x, y in seq[Int(x)] != seq[Int(y)] ? seq[Int(x)] < seq[Int(y)] : x < y }
                rows.replaceSubrange(a..<b, with: part)
            }
        }
        return (offsets, rows)
    }
}
