public import Foundation

/// A child process with its standard output and error on pipes: the one process runner of the
/// tests (the `transit` binary, `unzip`, `zip`, Python).
///
/// ``finish()`` reads both pipes to their end at the same time, on two threads, so a child that
/// fills one pipe while the test waits on the other cannot block.
///
/// Its pipes are made close-on-exec (``makePipe()``), not with Foundation's `Pipe`, and every
/// child the tests start is started through ``launch(_:)``, under one lock with the making of
/// pipes. A `Pipe`'s descriptors are inherited by any child another thread starts while they are
/// open: Foundation's `Process` closes in its child only the descriptors open when it looked (up
/// to the highest it found then), so a pipe made a moment later passes into that child. When that
/// child is a long-lived one (a `transit serve` of the live-server tests), it holds the write end,
/// and this runner's read waits for it to exit (`ChildProcessTests` shows it with a bare
/// `posix_spawn`).
public struct ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` and `FileHandle` are not `Sendable`; a value is used by one test at
    // a time, and `finish()` only hands each read end to its own reader thread.

    /// What a finished child printed and how it ended.
    public struct Result: Sendable {
        /// The exit status (the signal number when ``signalled``).
        public var status: Int32
        /// Whether the child ended by an uncaught signal.
        public var signalled: Bool
        /// Standard output (empty when it went to a file).
        public var stdout: String
        /// Standard error.
        public var stderr: String

        /// Standard output followed by standard error, for failure messages.
        public var combined: String { stdout + stderr }
    }

    /// The running process.
    public let process: Process
    /// The read end of the child's standard output (`nil` when it goes to a file).
    public let stdout: FileHandle?
    /// The read end of the child's standard error.
    public let stderr: FileHandle

    /// Starts `executable` with `arguments` in `directory` (default: the package root), its
    /// environment this process's plus `environment`; standard output goes to `stdoutFile`
    /// (created or truncated) when given, else to a pipe.
    /// - Throws: when the executable cannot be started or the file cannot be opened.
    public static func start(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                             environment: [String: String] = [:], stdoutFile: String? = nil) throws -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? SharedData.packageRoot
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        // The child gets the write ends as its standard output and error (posix_spawn's dup2
        // clears close-on-exec on descriptors 1 and 2); this process closes its copies once the
        // child runs, so the reads end when the child (and its own children) close theirs.
        let err = try makePipe()
        process.standardError = err.write
        var out: (read: FileHandle, write: FileHandle)?
        if let stdoutFile {
            _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        } else {
            let pipe = try makePipe()
            process.standardOutput = pipe.write
            out = pipe
        }
        try launch(process)
        try err.write.close()
        try out?.write.close()
        return ChildProcess(process: process, stdout: out?.read, stderr: err.read)
    }

    /// Starts `process` under the lock ``makePipe()`` takes: the one way the tests start a child
    /// (this runner, the live server, Chromium), so no child starts while a pipe exists whose
    /// descriptors are not yet close-on-exec.
    /// - Throws: what `Process.run()` throws.
    public static func launch(_ process: Process) throws {
        spawnLock.lock()
        defer { spawnLock.unlock() }
        try process.run()
    }

    /// A pipe whose two ends are closed on exec, so no child that another thread starts can
    /// inherit them; each handle closes its descriptor when released. (Swift's Glibc module has
    /// no `pipe2`: the flag is set right after `pipe`, under the lock ``launch(_:)`` takes, so no
    /// child the tests start sees the pipe without it.)
    /// - Throws: `POSIXError` when the system refuses a pipe (too many open files).
    public static func makePipe() throws -> (read: FileHandle, write: FileHandle) {
        spawnLock.lock()
        defer { spawnLock.unlock() }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        let read = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        let write = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
        for fd in fds where fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EBADF)
        }
        return (read, write)
    }

    /// Runs `executable` to its end (see ``start(_:_:in:environment:stdoutFile:)``).
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String] = [:], stdoutFile: String? = nil) throws -> Result {
        try start(executable, arguments, in: directory, environment: environment, stdoutFile: stdoutFile).finish()
    }

    /// Runs the executable at `path` to its end.
    public static func run(_ path: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:], stdoutFile: String? = nil) throws -> Result {
        try run(URL(fileURLWithPath: path), arguments, in: directory.map { URL(fileURLWithPath: $0) },
                environment: environment, stdoutFile: stdoutFile)
    }

    /// Reads standard output and error to their ends concurrently, then waits for the child.
    public func finish() -> Result {
        let done = DispatchGroup()
        let outText = ReadBuffer(), errText = ReadBuffer()
        for (handle, buffer) in [(stdout, outText), (stderr, errText)] {
            guard let handle else { continue }
            done.enter()
            let reader = Thread {
                buffer.store(handle.readDataToEndOfFile())
                done.leave()
            }
            reader.start()
        }
        done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      stdout: outText.text, stderr: errText.text)
    }
}

/// Held while a child starts and while a pipe is made (``ChildProcess/launch(_:)``,
/// ``ChildProcess/makePipe()``).
private let spawnLock = NSLock()

/// The bytes one reader thread read, handed to the waiting thread under a lock.
private final class ReadBuffer: @unchecked Sendable {
    // @unchecked: `data` is only touched under `lock`.
    private let lock = NSLock()
    private var data = Data()

    func store(_ bytes: Data) {
        lock.lock()
        data = bytes
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
