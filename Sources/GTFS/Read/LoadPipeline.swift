import Synchronization
import ZipArchive

/// Sequential access to one file's bytes: an archive entry being inflated, or a file on disk.
final class ChunkReader: @unchecked Sendable {
    // Used by one thread at a time: the pipeline hands a reader to whichever worker holds the
    // file's `reading` flag (set and cleared under the pipeline's lock).
    private let zip: ZipEntryStream?
    private let fd: Int32
    private let path: String

    init(zip: ZipEntryStream) {
        self.zip = zip
        self.fd = -1
        self.path = zip.entry.path
    }

    init(path: String) throws(GTFSError) {
        self.zip = nil
        self.path = path
        let fd = openForReading(path)
        guard fd >= 0 else { throw .unreadable(path: path, reason: "cannot open the file (\(errnoDescription()))") }
        self.fd = fd
    }

    deinit {
        if fd >= 0 { closeFile(fd) }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(GTFSError) -> Int {
        if let zip {
            do { return try zip.read(into: buffer) } catch { throw .unreadable(path: path, reason: "\(error)") }
        }
        guard let base = buffer.baseAddress else { return 0 }
        let n = readFile(fd, base, buffer.count)
        guard n >= 0 else { throw .unreadable(path: path, reason: "read failed (\(errnoDescription()))") }
        return n
    }
}

/// Reads and parses a feed's typed files on every core, in chunks.
///
/// Each file is read (inflated) a chunk of about 1 MiB at a time, cut at a line end outside
/// quotes; chunks are parsed as independent tasks on any core and merged in order into the
/// file's columns. So a large file never sits in memory whole, inflating one file overlaps
/// with parsing others, and one large `stop_times.txt` still keeps both cores busy.
enum LoadPipeline {
    static let chunkSize = 1 << 19
    /// Parsed-but-unmerged and read-but-unparsed chunks allowed at once (bounds memory).
    static let maxQueued = 3

    final class FileJob: @unchecked Sendable {
        // Every mutable field is read and written under the pipeline's lock, except `reader`
        // and `carry` (only by the worker holding `reading`) and `accumulated` (only by the
        // worker holding `merging`).
        let name: String
        let schema: FileSchema
        let size: Int
        var reader: ChunkReader?
        var carry: [UInt8] = []
        var plan: TableParser.Plan?
        var headerReport: ValidationReport
        var produced = 0
        var readDone = false
        var reading = false
        var finished: ParsedTable?
        var failure: GTFSError?
        var pending: [Int: TableParser.Partial] = [:]
        var merged = 0
        var merging = false
        var accumulated: TableParser.Partial?
        var firstChunkBytes = 0
        var bytesRead = 0

        init(name: String, schema: FileSchema, size: Int, reader: ChunkReader?, maxPerCode: Int) {
            self.name = name
            self.schema = schema
            self.size = size
            self.reader = reader
            self.headerReport = ValidationReport(maxPerCode: maxPerCode)
        }

        var complete: Bool {
            finished != nil || failure != nil || (readDone && !merging && merged == produced)
        }
    }

    struct ParseTask: @unchecked Sendable {
        // The chunk is owned by the task (moved, never shared).
        let job: FileJob
        let index: Int
        let chunk: [UInt8]
        let start: Int
        let firstLine: Int
    }

    struct State: @unchecked Sendable {
        var jobs: [FileJob]
        var queue: [ParseTask] = []
        var unmerged = 0
    }

    /// The state behind a lock, shareable with the worker threads.
    final class SharedState: Sendable {
        let state: Mutex<State>
        init(_ s: State) { state = Mutex(s) }
    }

    enum Action {
        case parse(ParseTask)
        case read(FileJob)
        case wait
        case exit
    }

    /// Runs every job to completion on `workers` threads.
    static func run(_ jobs: [FileJob], maxPerCode: Int, workers: Int) {
        let shared = SharedState(State(jobs: jobs))
        runOnThreads(max(1, min(workers, jobs.count))) { worker in
            var idle = 0
            var waited = 0.0, reading = 0.0, parsing = 0.0
            defer {
                trace("worker \(worker): read \(Int(reading * 1000)) ms, parse+merge \(Int(parsing * 1000)) ms, waited \(Int(waited * 1000)) ms")
            }
            while true {
                let action: Action = shared.state.withLock { s in
                    if !s.queue.isEmpty { return .parse(s.queue.removeFirst()) }
                    if s.queue.count + s.unmerged < maxQueued,
                       let job = s.jobs.first(where: { !$0.reading && !$0.readDone && $0.failure == nil && $0.finished == nil }) {
                        job.reading = true
                        return .read(job)
                    }
                    if s.jobs.allSatisfy(\.complete) { return .exit }
                    return .wait
                }
                switch action {
                case .exit:
                    return
                case .wait:
                    idle += 1
                    let t = traceEnabled ? monotonicSeconds() : 0
                    pause(microseconds: idle < 100 ? 20 : 200)
                    if traceEnabled { waited += monotonicSeconds() - t }
                case .read(let job):
                    idle = 0
                    let t = traceEnabled ? monotonicSeconds() : 0
                    readChunk(job, state: shared.state, maxPerCode: maxPerCode)
                    if traceEnabled { reading += monotonicSeconds() - t }
                case .parse(let task):
                    idle = 0
                    let t = traceEnabled ? monotonicSeconds() : 0
                    parseChunk(task, state: shared.state, maxPerCode: maxPerCode)
                    if traceEnabled { parsing += monotonicSeconds() - t }
                }
            }
        }
    }

    /// Reads the next chunk of `job` and queues it for parsing.
    static func readChunk(_ job: FileJob, state: borrowing Mutex<State>, maxPerCode: Int) {
        guard let reader = job.reader else {
            state.withLock { _ in job.readDone = true; job.reading = false }
            return
        }
        var buffer = job.carry
        job.carry = []
        var atEnd = false
        var cut = 0
        do throws(GTFSError) {
            // Read until there is at least one complete row (or the end); never ask for much
            // more than the file has left, so small files cost small buffers.
            var want = Swift.min(chunkSize, Swift.max(4096, job.size - job.bytesRead + 1))
            while true {
                let old = buffer.count
                var got = 0
                try buffer.withUnsafeMutableBufferPointerAppending(count: want) { (tail) throws(GTFSError) -> Int in
                    got = try reader.read(into: tail)
                    return got
                }
                job.bytesRead += got
                if got == 0 { atEnd = true }
                if atEnd {
                    cut = buffer.count
                    break
                }
                // Keep reading up to a full chunk before cutting.
                if buffer.count - old < want { want -= buffer.count - old; continue }
                cut = safeCut(buffer)
                if cut > 0 { break }
                want = chunkSize
            }
        } catch {
            state.withLock { _ in job.failure = error; job.reading = false }
            return
        }
        if cut < buffer.count { job.carry = Array(buffer[cut...]) }
        if cut < buffer.count { buffer.removeSubrange(cut...) }
        let index = job.produced
        var start = 0
        var firstLine = 1
        if index == 0 {
            job.firstChunkBytes = buffer.count
            var report = ValidationReport(maxPerCode: maxPerCode)
            let header = buffer.withUnsafeBufferPointer {
                TableParser.parseHeader(name: job.name, bytes: $0, schema: job.schema, report: &report)
            }
            switch header {
            case .done(let table):
                state.withLock { _ in
                    job.finished = table
                    job.readDone = true
                    job.reading = false
                    job.reader = nil
                }
                return
            case .body(let plan, let bodyStart, let line):
                job.plan = plan
                job.headerReport = report
                start = bodyStart
                firstLine = line
            }
        }
        let task = ParseTask(job: job, index: index, chunk: buffer, start: start, firstLine: firstLine)
        state.withLock { s in
            job.produced += 1
            if atEnd {
                job.readDone = true
                job.reader = nil
            }
            job.reading = false
            s.queue.append(task)
        }
    }

    /// Parses one chunk, then merges every chunk that is next in order.
    static func parseChunk(_ task: ParseTask, state: borrowing Mutex<State>, maxPerCode: Int) {
        let job = task.job
        guard let plan = job.plan else { return }
        let part: TableParser.Partial = task.chunk.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else {
                return TableParser.Partial(plan, maxPerCode: maxPerCode, estimate: 0)
            }
            let rows = max(16, (b.count - task.start) / max(8, plan.width * 5))
            return TableParser.parseBody(base, range: (task.start, b.count), plan: plan, firstLine: task.firstLine,
                                         maxPerCode: maxPerCode, estimate: rows)
        }
        let becameMerger: Bool = state.withLock { s in
            job.pending[task.index] = part
            s.unmerged += 1
            if job.merging { return false }
            job.merging = true
            return true
        }
        guard becameMerger else { return }
        while true {
            let next: TableParser.Partial? = state.withLock { s -> TableParser.Partial? in
                if let p = job.pending.removeValue(forKey: job.merged) {
                    return p
                }
                job.merging = false
                return nil
            }
            guard let next else { return }
            if let acc = job.accumulated {
                TableParser.merge(next, into: acc, plan: plan)
            } else {
                job.accumulated = next
                // Reserve the whole file's rows once, estimated from the first chunk.
                if job.size > job.firstChunkBytes, job.firstChunkBytes > 0, next.rows > 0 {
                    let estimate = Double(next.rows) * Double(job.size) / Double(job.firstChunkBytes) * 1.04 + 64
                    TableParser.reserve(next, rows: Int(estimate), plan: plan)
                }
            }
            state.withLock { s in
                job.merged += 1
                s.unmerged -= 1
            }
        }
    }

    /// The end of the last complete row in `buffer` that is not inside quotes, excluding a
    /// final CR (whose LF may be in the next chunk); 0 when there is none.
    static func safeCut(_ buffer: [UInt8]) -> Int {
        buffer.withUnsafeBufferPointer { b -> Int in
            guard let base = b.baseAddress, b.count > 1 else { return 0 }
            let n = b.count
            if memchrByte(base, 0x22, n) == nil {
                var i = n - 2
                while i >= 0 {
                    let c = base[i]
                    if c == 0x0A || (c == 0x0D && base[i + 1] != 0x0A) { return i + 1 }
                    i -= 1
                }
                return 0
            }
            // Quotes present: walk forward tracking whether we are inside a quoted field.
            var inside = false
            var cut = 0
            var i = 0
            while i < n - 1 {
                let c = base[i]
                if c == 0x22 {
                    inside.toggle()
                } else if !inside, c == 0x0A || (c == 0x0D && base[i + 1] != 0x0A) {
                    cut = i + 1
                }
                i += 1
            }
            return cut
        }
    }

    /// The parsed table of a job after ``run(_:maxPerCode:workers:)``.
    static func result(_ job: FileJob) -> ParsedTable? {
        if let t = job.finished { return t }
        guard let plan = job.plan else { return nil }
        return TableParser.finish(plan: plan, accumulated: job.accumulated, report: job.headerReport)
    }
}

extension Array where Element == UInt8 {
    /// Appends up to `count` bytes written by `body` (which returns how many it wrote).
    /// The new bytes are never zero-filled first: `body` writes straight into fresh storage.
    mutating func withUnsafeMutableBufferPointerAppending(
        count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) throws(GTFSError) -> Int
    ) throws(GTFSError) {
        let old = self.count
        var failure: GTFSError?
        let grown = [UInt8](unsafeUninitializedCapacity: old + count) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            self.withUnsafeBufferPointer { current in
                if let c = current.baseAddress, old > 0 { base.initialize(from: c, count: old) }
            }
            var written = 0
            do throws(GTFSError) {
                written = try body(UnsafeMutableBufferPointer(start: base + old, count: count))
            } catch {
                failure = error
            }
            initialized = old + Swift.max(0, Swift.min(written, count))
        }
        self = grown
        if let failure { throw failure }
    }
}
