#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Synchronization

/// The number of online processors (at least 1).
func networkProcessorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Runs `body(0)` on the calling thread and `body(1)…body(count-1)` on new threads, and
/// returns when all have finished.
///
/// Plain threads, not Dispatch's `concurrentPerform` nor Swift concurrency: callers block
/// while they wait, and blocking inside a shared pool can starve it when many builds run at
/// once (as in a parallel test run). A thread that cannot be created runs its share here.
func runOnNetworkThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) { self.body = body; self.index = index }
    }
    var threads: [pthread_t] = []
    for i in 1..<max(1, count) {
        let box = Unmanaged.passRetained(Box(body, i))
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body(box.index)
            return nil
        }, box.toOpaque())
        if rc == 0 {
            threads.append(thread)
        } else {
            let b = box.takeRetainedValue()
            b.body(b.index)
        }
    }
    body(0)
    for t in threads { pthread_join(t, nil) }
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
