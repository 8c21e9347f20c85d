import Synchronization
import TransitSupport
import ZipArchive

/// Why a chunk of a feed file could not be read: the error underneath (the archive's or the
/// file system's), kept whole; ``gtfsError`` is what users see.
struct ChunkReadFailure: Error, Sendable {
    /// What failed underneath.
    enum Underlying: Sendable, Equatable {
        /// Inflating the archive entry failed.
        case zip(ZipError)
        /// Reading the file on disk failed.
        case file(FileSystemError)
    }

    /// The file (or archive entry) being read.
    let path: String
    /// The error underneath.
    let underlying: Underlying

    /// The error the loader reports, with the message it has always printed.
    var gtfsError: GTFSError {
        switch underlying {
        case .zip(let error): .unreadable(path: path, reason: "\(error)")
        case .file(let error): .unreadable(path: path, reason: "read failed (\(error.systemMessage))")
        }
    }
}

/// Sequential access to one file's bytes: an archive entry being inflated, or a file on disk.
///
/// Not `Sendable`: it lives in its job's `input` mutex, used only by the worker that holds the
/// job's `reading` flag.
final class ChunkReader {
    private let zip: ZipEntryStream?
    private var file: ReadableFile?
    private let path: String
    /// A file held in memory, and how much of it has been read.
    private let memory: [UInt8]?
    private var memoryOffset = 0

    init(zip: ZipEntryStream) {
        self.zip = zip
        self.file = nil
        self.memory = nil
        self.path = zip.entry.path
    }

    /// Reads `bytes` (shared, not copied) as if they were a file called `name`.
    init(bytes: [UInt8], name: String) {
        self.zip = nil
        self.file = nil
        self.memory = bytes
        self.path = name
    }

    /// Opens the file at `path`.
    /// - Throws: ``GTFSError/unreadable(path:reason:)`` when it cannot be opened.
    init(path: String) throws(GTFSError) {
        self.zip = nil
        self.memory = nil
        self.path = path
        do {
            self.file = try ReadableFile(path: path)
        } catch {
            throw .unreadable(path: path, reason: "cannot open the file (\(error.systemMessage))")
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(ChunkReadFailure) -> Int {
        if let memory {
            let count = Swift.min(buffer.count, memory.count - memoryOffset)
            guard count > 0, let target = buffer.baseAddress else { return 0 }
            memory.withUnsafeBufferPointer { source in
                if let start = source.baseAddress { target.initialize(from: start + memoryOffset, count: count) }
            }
            memoryOffset += count
            return count
        }
        if let zip {
            do { return try zip.read(into: buffer) } catch { throw ChunkReadFailure(path: path, underlying: .zip(error)) }
        }
        do {
            return try file?.read(into: UnsafeMutableRawBufferPointer(buffer)) ?? 0
        } catch {
            throw ChunkReadFailure(path: path, underlying: .file(error))
        }
    }
}

/// Reads and parses a feed's typed files on every core, in chunks.
///
/// Each file is read (inflated) a chunk at a time (512 KiB unless ``ReadOptions/chunkBytes``
/// says otherwise), cut at a line end outside quotes; chunks are parsed as independent tasks
/// on any core and merged in order into the file's columns. So a large file never sits in
/// memory whole, inflating one file overlaps with parsing others, and one large
/// `stop_times.txt` still keeps both cores busy. A worker with nothing to do waits on the
/// pipeline's condition until another worker changes the state.
enum LoadPipeline {
    /// The default chunk size (``ReadOptions/defaultChunkBytes``).
    static let chunkSize = ReadOptions.defaultChunkBytes
    /// Parsed-but-unmerged and read-but-unparsed chunks allowed at once (bounds memory).
    static let maxQueued = 3

    /// One typed file to read and parse.
    ///
    /// `Sendable` as the compiler sees it: its scheduling flags live in the pipeline's shared
    /// state; its reading side and its merged result sit behind their own mutexes, each locked
    /// only by the worker holding the job's `reading` or `merging` flag, so never contended.
    final class FileJob: Sendable {
        let name: String
        let schema: FileSchema
        let size: Int
        /// How many bytes a chunk holds before it is cut (at least 1).
        let chunkBytes: Int
        fileprivate let input: Mutex<Input>
        fileprivate let output: Mutex<Output>

        init(name: String, schema: FileSchema, size: Int, reader: sending ChunkReader?, maxPerCode: Int,
             chunkBytes: Int = LoadPipeline.chunkSize) {
            self.name = name
            self.schema = schema
            self.size = size
            self.chunkBytes = Swift.max(1, chunkBytes)
            self.input = Mutex(Input(reader: reader))
            self.output = Mutex(Output(headerReport: ValidationReport(maxPerCode: maxPerCode)))
        }

        /// Why the file could not be read, with the error underneath; `nil` when it was read.
        var readFailure: ChunkReadFailure? { output.withLock { $0.failure } }

        /// Why the file could not be read, as the loader reports it; `nil` when it was read.
        var failure: GTFSError? { readFailure?.gtfsError }
    }

    /// The reading side of a job.
    fileprivate struct Input {
        var reader: ChunkReader?
        /// The bytes after the last cut, the start of the next chunk.
        var carry: [UInt8] = []
        var bytesRead = 0
        /// Chunks handed to the parsers so far.
        var chunks = 0
        /// The header's plan, once the first chunk is read.
        var plan: TableParser.Plan?
    }

    /// What a job produces: the header, then the merged columns.
    fileprivate struct Output {
        var plan: TableParser.Plan?
        var headerReport: ValidationReport
        /// The table, when the header alone decided it (no body to parse).
        var finished: ParsedTable?
        var failure: ChunkReadFailure?
        var accumulated: TableParser.Partial?
        var firstChunkBytes = 0
    }

    /// A job's scheduling flags, in the shared state.
    struct Status: Sendable {
        var produced = 0
        var readDone = false
        var reading = false
        var stopped = false
        var pending: [Int: TableParser.Partial] = [:]
        var merged = 0
        var merging = false

        var readable: Bool { !reading && !readDone && !stopped }
        var complete: Bool { stopped || (readDone && !merging && merged == produced) }
    }

    /// One chunk to parse; it owns its bytes.
    struct ParseTask: Sendable {
        let job: Int
        let index: Int
        let chunk: [UInt8]
        let start: Int
        let firstLine: Int
        let plan: TableParser.Plan
    }

    /// What the workers share, behind the pipeline's condition.
    struct State: Sendable {
        var status: [Status]
        var queue: [ParseTask] = []
        var unmerged = 0
    }

    enum Action {
        case parse(ParseTask)
        case read(Int)
        case exit
    }

    /// Runs every job to completion on `workers` threads.
    static func run(_ jobs: [FileJob], maxPerCode: Int, workers: Int) {
        let shared = Condition(State(status: jobs.map { _ in Status() }))
        runOnThreads(max(1, min(workers, jobs.count))) { worker in
            var waited = 0.0, reading = 0.0, parsing = 0.0
            defer {
                trace("worker \(worker): read \(Int(reading * 1000)) ms, parse+merge \(Int(parsing * 1000)) ms, waited \(Int(waited * 1000)) ms")
            }
            while true {
                let t0 = traceEnabled ? monotonicSeconds() : 0
                let action = shared.wait(until: nextAction)
                if traceEnabled { waited += monotonicSeconds() - t0 }
                switch action {
                case .exit:
                    return
                case .read(let j):
                    let t = traceEnabled ? monotonicSeconds() : 0
                    readChunk(jobs[j], index: j, state: shared, maxPerCode: maxPerCode)
                    if traceEnabled { reading += monotonicSeconds() - t }
                case .parse(let task):
                    let t = traceEnabled ? monotonicSeconds() : 0
                    parseChunk(task, job: jobs[task.job], state: shared, maxPerCode: maxPerCode)
                    if traceEnabled { parsing += monotonicSeconds() - t }
                }
            }
        }
    }

    /// The next thing for a worker to do, taken from the state; `nil` to wait.
    static func nextAction(_ s: inout State) -> Action? {
        if !s.queue.isEmpty { return .parse(s.queue.removeFirst()) }
        if s.queue.count + s.unmerged < maxQueued, let j = s.status.firstIndex(where: \.readable) {
            s.status[j].reading = true
            return .read(j)
        }
        if s.status.allSatisfy(\.complete) { return .exit }
        return nil
    }

    /// What reading one chunk gave.
    private enum ReadOutcome: Sendable {
        case noReader
        case failed(ChunkReadFailure)
        case headerOnly(ParsedTable)
        case chunk(ParseTask, atEnd: Bool, header: (TableParser.Plan, ValidationReport, Int)?)
    }

    /// Reads the next chunk of job `j` and queues it for parsing.
    static func readChunk(_ job: FileJob, index j: Int, state: Condition<State>, maxPerCode: Int) {
        let outcome: ReadOutcome = job.input.withLock { input in
            readChunk(job, index: j, input: &input, maxPerCode: maxPerCode)
        }
        switch outcome {
        case .noReader:
            state.update { s in s.status[j].readDone = true; s.status[j].reading = false }
        case .failed(let failure):
            job.output.withLock { $0.failure = failure }
            state.update { s in s.status[j].stopped = true; s.status[j].reading = false }
        case .headerOnly(let table):
            job.output.withLock { $0.finished = table }
            state.update { s in
                s.status[j].stopped = true
                s.status[j].readDone = true
                s.status[j].reading = false
            }
        case .chunk(let task, let atEnd, let header):
            if let (plan, report, bytes) = header {
                job.output.withLock { out in
                    out.plan = plan
                    out.headerReport = report
                    out.firstChunkBytes = bytes
                }
            }
            state.update { s in
                s.status[j].produced += 1
                if atEnd { s.status[j].readDone = true }
                s.status[j].reading = false
                s.queue.append(task)
            }
        }
    }

    /// Reads the next chunk (under the job's input lock) and parses the header of the first.
    private static func readChunk(_ job: FileJob, index j: Int, input: inout Input, maxPerCode: Int) -> ReadOutcome {
        guard let reader = input.reader else { return .noReader }
        var buffer = input.carry
        input.carry = []
        var atEnd = false
        var cut = 0
        // Remembers how far the cut search got, so a row longer than a chunk is scanned once.
        var cutter = CutScanner(atFileStart: input.chunks == 0)
        var blankPrefix = 0 // of the first chunk: bytes known to be a byte-order mark or blank lines
        do throws(ChunkReadFailure) {
            // Read until there is at least one complete row (or the end); never ask for much
            // more than the file has left, so small files cost small buffers.
            var want = Swift.min(job.chunkBytes, Swift.max(4096, job.size - input.bytesRead + 1))
            while true {
                let old = buffer.count
                var got = 0
                try buffer.withUnsafeMutableBufferPointerAppending(count: want) { (tail) throws(ChunkReadFailure) -> Int in
                    got = try reader.read(into: tail)
                    return got
                }
                input.bytesRead += got
                if got == 0 { atEnd = true }
                if atEnd {
                    cut = buffer.count
                    break
                }
                // Keep reading up to a full chunk before cutting.
                if buffer.count - old < want { want -= buffer.count - old; continue }
                cut = buffer.withUnsafeBufferPointer { cutter.advance($0) }
                // The first chunk must hold the header: blank lines before it (a whole chunk of
                // them) would otherwise make the file look headerless.
                if cut > 0, input.chunks > 0 || holdsRow(buffer, before: cut, scanned: &blankPrefix) { break }
                want = job.chunkBytes
            }
        } catch {
            input.reader = nil
            return .failed(error)
        }
        if cut < buffer.count { input.carry = Array(buffer[cut...]) }
        if cut < buffer.count { buffer.removeSubrange(cut...) }
        let index = input.chunks
        var start = 0
        var firstLine = 1
        var header: (TableParser.Plan, ValidationReport, Int)?
        let plan: TableParser.Plan
        if index == 0 {
            var report = ValidationReport(maxPerCode: maxPerCode)
            let parsed = buffer.withUnsafeBufferPointer {
                TableParser.parseHeader(name: job.name, bytes: $0, schema: job.schema, report: &report)
            }
            switch parsed {
            case .done(let table):
                input.reader = nil
                return .headerOnly(table)
            case .body(let bodyPlan, let bodyStart, let line):
                plan = bodyPlan
                header = (bodyPlan, report, buffer.count)
                start = bodyStart
                firstLine = line
            }
        } else {
            guard let known = input.plan else { return .noReader }
            plan = known
        }
        if index == 0 { input.plan = plan }
        input.chunks += 1
        if atEnd { input.reader = nil }
        return .chunk(ParseTask(job: j, index: index, chunk: buffer, start: start, firstLine: firstLine, plan: plan),
                      atEnd: atEnd, header: header)
    }

    /// Parses one chunk, then merges every chunk of its job that is next in order.
    static func parseChunk(_ task: ParseTask, job: FileJob, state: Condition<State>, maxPerCode: Int) {
        let plan = task.plan
        let j = task.job
        let part: TableParser.Partial = task.chunk.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else {
                return TableParser.Partial(plan, maxPerCode: maxPerCode, estimate: 0)
            }
            let rows = max(16, (b.count - task.start) / max(8, plan.width * 5))
            return TableParser.parseBody(base, range: (task.start, b.count), plan: plan, firstLine: task.firstLine,
                                         maxPerCode: maxPerCode, estimate: rows)
        }
        let becameMerger: Bool = state.withLock { s in
            s.status[j].pending[task.index] = part
            s.unmerged += 1
            if s.status[j].merging { return false }
            s.status[j].merging = true
            return true
        }
        guard becameMerger else { return }
        // Lock order: a job's output, then the shared state (never the other way round).
        job.output.withLock { out in
            while true {
                let next: TableParser.Partial? = state.update { s in
                    if let p = s.status[j].pending.removeValue(forKey: s.status[j].merged) { return p }
                    s.status[j].merging = false
                    return nil
                }
                guard let next else { return }
                if let acc = out.accumulated {
                    TableParser.merge(next, into: acc, plan: plan)
                } else {
                    out.accumulated = next
                    // Reserve the whole file's rows once, estimated from the first chunk; not when
                    // the file has already ended (a declared size that lies must not allocate).
                    let more = state.withLock { !$0.status[j].readDone }
                    if more, job.size > out.firstChunkBytes, out.firstChunkBytes > 0, next.rows > 0 {
                        let estimate = Double(next.rows) * Double(job.size) / Double(out.firstChunkBytes) * 1.04 + 64
                        TableParser.reserve(next, rows: Int(estimate), plan: plan)
                    }
                }
                state.update { s in
                    s.status[j].merged += 1
                    s.unmerged -= 1
                }
            }
        }
    }

    /// The parsed table of a job after ``run(_:maxPerCode:workers:)``.
    static func result(_ job: FileJob) -> ParsedTable? {
        job.output.withLock { out -> ParsedTable? in
            if let t = out.finished { return t }
            guard let plan = out.plan else { return nil }
            return TableParser.finish(plan: plan, accumulated: out.accumulated, report: out.headerReport)
        }
    }
}
