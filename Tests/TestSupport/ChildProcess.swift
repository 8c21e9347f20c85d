public import Foundation

/// A child process with its standard output and error on pipes: the one process runner of the
/// tests (the `transit` binary, `unzip`, `zip`, Python).
///
/// ``finish()`` reads both pipes to their end at the same time, on two threads, so a child that
/// fills one pipe while the test waits on the other cannot block.
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
        let err = Pipe()
        process.standardError = err
        var out: Pipe?
        if let stdoutFile {
            _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        } else {
            let pipe = Pipe()
            process.standardOutput = pipe
            out = pipe
        }
        try process.run()
        return ChildProcess(process: process, stdout: out?.fileHandleForReading, stderr: err.fileHandleForReading)
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
