import Synchronization
import Testing
import TransitSupport

@Suite("Threads")
struct ThreadTests {
    @Test("runOnThreads runs every index exactly once", arguments: [0, 1, 2, 3, 8, 33])
    func everyIndexOnce(count: Int) {
        let runs = Mutex<[Int: Int]>([:])
        runOnThreads(count) { index in
            runs.withLock { $0[index, default: 0] += 1 }
        }
        let seen = runs.withLock { $0 }
        let expected = Dictionary(uniqueKeysWithValues: (0 ..< max(1, count)).map { ($0, 1) })
        #expect(seen == expected)
    }

    @Test("runOnThreads returns only after every thread's writes are done")
    func joinsBeforeReturning() {
        let slots = SharedSlots<Int>(count: 4, initial: 0)
        runOnThreads(4) { index in
            var sum = 0
            for i in 0 ..< 200_000 { sum &+= i ^ index }
            slots[index] = sum
        }
        for index in 0 ..< 4 {
            var sum = 0
            for i in 0 ..< 200_000 { sum &+= i ^ index }
            #expect(slots[index] == sum)
        }
        #expect(slots.array.count == 4)
    }

    @Test("WorkCounter hands out each item exactly once across threads")
    func workCounter() {
        let counter = WorkCounter()
        let taken = SharedSlots<[Int]>(count: 3, initial: [])
        runOnThreads(3) { worker in
            var mine: [Int] = []
            while let item = counter.take(below: 1_000) { mine.append(item) }
            taken[worker] = mine
        }
        #expect(taken.array.flatMap { $0 }.sorted() == Array(0 ..< 1_000))
        #expect(counter.take(below: 1_000) == nil)
    }

    @Test("startThread runs its body on another thread, and join waits for it")
    func startAndJoin() {
        let result = Mutex<(sum: Int, ownThread: Bool)>((0, false))
        let handle = startThread { onOwnThread in
            var sum = 0
            for i in 1 ... 1_000 { sum += i }
            result.withLock { $0 = (sum, onOwnThread) }
        }
        handle.join()
        let (sum, ownThread) = result.withLock { $0 }
        #expect(sum == 500_500)
        #expect(ownThread)
    }

    @Test("startThread takes a non-Sendable value along (sending) and hands results back")
    func sendingBody() {
        final class Tally { var count = 0 }
        let tally = Tally()  // not Sendable: only the new thread touches it from here on
        let total = Atomic<Int>(0)
        let handle = startThread { _ in
            for _ in 0 ..< 100 { tally.count += 1 }
            total.store(tally.count, ordering: .releasing)
        }
        handle.join()
        let counted = total.load(ordering: .acquiring)
        #expect(counted == 100)
    }

    @Test("processorCount is at least 1")
    func processors() {
        #expect(processorCount() >= 1)
    }
}

@Suite("Condition")
struct ConditionTests {
    @Test("A waiter blocked in wait(until:) wakes when another thread updates the state")
    func wakesWaiter() {
        let condition = Condition<Int?>(nil)
        let started = Condition(false)
        let handle = startThread { _ in
            started.update { $0 = true }
            let value = condition.wait { $0 }
            condition.update { $0 = value * 2 + 1 }
        }
        // The helper is waiting (or about to): hand it a value.
        started.wait { $0 ? () : nil }
        condition.update { $0 = 20 }
        // 20 is taken only by the helper, which answers 41.
        let answer = condition.wait { $0 == 41 ? 41 : nil }
        handle.join()
        #expect(answer == 41)
    }

    @Test("A bounded hand-over between two threads keeps every item, in order")
    func producerConsumer() {
        struct Queue: Sendable { var items: [Int] = []; var done = false }
        let queue = Condition(Queue())
        let handle = startThread { _ in
            for i in 0 ..< 10_000 {
                _ = queue.wait { q -> Bool? in
                    guard q.items.count < 2 else { return nil }
                    q.items.append(i)
                    return true
                }
            }
            queue.update { $0.done = true }
        }
        var received: [Int] = []
        while true {
            let batch: [Int]? = queue.wait { q -> [Int]?? in
                if !q.items.isEmpty {
                    defer { q.items = [] }
                    return .some(q.items)
                }
                return q.done ? .some(nil) : nil
            }
            guard let batch else { break }
            received += batch
        }
        handle.join()
        #expect(received == Array(0 ..< 10_000))
    }

    @Test("withLock reads and changes the state")
    func withLock() {
        let condition = Condition(1)
        condition.withLock { $0 += 2 }
        #expect(condition.withLock { $0 } == 3)
    }
}
