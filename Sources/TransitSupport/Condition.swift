// Condition.swift: state behind a lock that threads can wait on.
//
// `Synchronization.Mutex` cannot block a thread until the state changes, so where a thread
// must wait (the GTFS loader's idle workers, the carbon credit hand-over) the state sits in a
// `Condition`: a pthread mutex and condition variable around a `Sendable` value.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `Sendable` value guarded by a mutex, with a condition variable to wait for it to change.
///
/// Unchecked invariant: `state` is read and written only between
/// `pthread_mutex_lock` and `pthread_mutex_unlock` of `mutex` (every access goes through
/// ``withLock(_:)``, ``update(_:)`` or ``wait(until:)``), and `State: Sendable`, so values
/// taken out of it may cross threads. The mutex and condition variable live at fixed addresses
/// (allocated once, freed in `deinit`), as pthreads requires.
package final class Condition<State: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var state: State

    /// Guards `state`.
    package init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        changed = .allocate(capacity: 1)
        changed.initialize(to: pthread_cond_t())
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` on the state under the lock; wakes nobody.
    package func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Runs `body` on the state under the lock, then wakes every waiter to look again.
    package func update<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Waits until `ready` returns a value, and returns it.
    ///
    /// `ready` runs under the lock, first at once and then after each wake-up (an ``update(_:)``
    /// by another thread, or a spurious one); it may change the state (to take what it found),
    /// and when it returns a value every other waiter is woken to look again, since taking
    /// usually changes what they wait for. No wake-up is lost: the test and the wait are atomic.
    package func wait<R>(until ready: (inout State) -> R?) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let result = ready(&state) {
                pthread_cond_broadcast(changed)
                return result
            }
            pthread_cond_wait(changed, mutex)
        }
    }
}
