// Threads.swift: the package's one threading model.
//
// Plain POSIX threads, started here: `runOnThreads` for data-parallel loops (the GTFS loader,
// shape distances, the transit graph), `startThread` for one long-lived helper thread (the
// carbon credit producer). Threads share data through `Synchronization.Mutex`/`Atomic`,
// ``Condition`` where a thread must wait, ``SharedSlots`` for per-thread results and
// ``WorkCounter`` to hand out work. Not Dispatch nor Swift concurrency: these threads block
// while they wait, and blocking inside a shared pool can starve that pool when many loads run
// at once (as in a parallel test run).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The number of online processors (at least 1).
package func processorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// This process's id (used to name temporary outputs).
package func processID() -> Int32 { getpid() }

/// Runs `body(0)` on the calling thread and `body(1)…body(count-1)` on new threads, and returns
/// when all have finished; every index in `0..<max(1, count)` runs exactly once.
///
/// When a thread cannot be created, its index runs on the calling thread instead (before
/// `body(0)`), so the work is always done. Writes made by the threads are visible to the caller
/// after the call returns (the joins order them).
package func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    var threads: [pthread_t] = []
    for index in 1 ..< max(1, count) {
        if let thread = spawn(stackSize: nil, { body(index) }) {
            threads.append(thread)
        } else {
            body(index)
        }
    }
    body(0)
    for thread in threads { pthread_join(thread, nil) }
}

/// Starts `body` on a new thread with a `stackSize`-byte stack (1 MiB by default) and returns
/// its handle, which waits for the thread when it goes away (or at ``ThreadHandle/join()``).
///
/// `body` is `sending`: it may capture values that are not `Sendable`, as long as the caller
/// keeps no other access to them. `body` is passed `true`; when no thread can be created it
/// runs on the calling thread before this returns and is passed `false`, so a body that hands
/// work to the caller must not wait for the caller then.
package func startThread(stackSize: Int = 1 << 20, _ body: sending @escaping (_ onOwnThread: Bool) -> Void) -> ThreadHandle {
    let task = ThreadTask { body(true) }
    if let thread = spawn(stackSize: stackSize, task) {
        return ThreadHandle(thread: thread)
    }
    body(false)
    return ThreadHandle(thread: nil)
}

/// A started thread; waits for it (`pthread_join`) when it goes away.
package struct ThreadHandle: ~Copyable {
    private let thread: pthread_t?

    fileprivate init(thread: pthread_t?) { self.thread = thread }

    /// Waits until the thread has finished.
    package consuming func join() {}

    deinit {
        if let thread { pthread_join(thread, nil) }
    }
}

/// A closure on its way to a new thread.
private final class ThreadTask {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Creates a thread running `task`; `nil` when the system refuses.
///
/// The task crosses to the new thread as a raw pointer; callers pass either a `@Sendable`
/// closure or one received as `sending`, so nothing is shared that the compiler did not allow.
private func spawn(stackSize: Int?, _ body: @escaping () -> Void) -> pthread_t? {
    spawn(stackSize: stackSize, ThreadTask(body))
}

private func spawn(stackSize: Int?, _ task: ThreadTask) -> pthread_t? {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if let stackSize { _ = pthread_attr_setstacksize(&attributes, max(stackSize, 1 << 16)) }
    let retained = Unmanaged.passRetained(task)
    var thread = pthread_t()
    let rc = pthread_create(&thread, &attributes, { raw in
        guard let raw else { return nil }
        Unmanaged<ThreadTask>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, retained.toOpaque())
    guard rc == 0 else {
        retained.release()
        return nil
    }
    return thread
}

/// A fixed-size buffer that several threads fill, each slot written by one thread only, and
/// read after ``runOnThreads(_:_:)`` returns.
///
/// Unchecked invariant: a slot is accessed by one thread at a time (threads write
/// disjoint slots), and the slots are read together only after the threads are joined, which
/// orders every write before the reads. `Element: Sendable`, so the values themselves may
/// cross threads.
package final class SharedSlots<Element: Sendable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>
    /// The number of slots.
    package let count: Int

    /// `count` slots, each `initial`.
    package init(count: Int, initial: Element) {
        self.count = count
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(1, count))
        base.initialize(repeating: initial, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Slot `i` (`0 <= i < count`); each slot must be written by one thread at a time.
    package subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// The slots as an array.
    package var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// A counter threads take work items from, one at a time; each item is taken exactly once.
package final class WorkCounter: Sendable {
    private let next = Atomic<Int>(0)

    /// A counter starting at item 0.
    package init() {}

    /// The next item below `limit`, or `nil` when all are taken.
    package func take(below limit: Int) -> Int? {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < limit ? i : nil
    }
}
