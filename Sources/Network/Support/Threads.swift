import GTFS
import Synchronization

/// The number of online processors (at least 1): the GTFS module's, shared in the package.
func networkProcessorCount() -> Int { processorCount() }

/// Runs `body(0)` here and `body(1)…body(count-1)` on plain threads (the GTFS module's runner,
/// shared in the package), returning when all have finished.
func runOnNetworkThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    runOnThreads(count, body)
}

/// A fixed-size buffer that several threads fill, each slot written by one thread only, and
/// read after ``runOnNetworkThreads(_:_:)`` returns (its joins order the writes first).
final class SharedSlots<Element>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>
    /// The number of slots.
    let count: Int

    /// `count` slots, each `initial`.
    init(count: Int, initial: Element) {
        self.count = count
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(1, count))
        base.initialize(repeating: initial, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Slot `i` (`0 <= i < count`); each slot must be written by one thread at a time.
    subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// The slots as an array.
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// A counter threads take work items from, one at a time.
final class WorkCounter: Sendable {
    private let next = Atomic<Int>(0)

    /// The next item below `limit`, or `nil` when all are taken.
    func take(below limit: Int) -> Int? {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < limit ? i : nil
    }
}
