import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens an HTML file in headless Chromium, as a person would, and reports what went wrong:
/// the messages the page wrote to the console (script errors, Content-Security-Policy
/// violations) and whether the screenshot is blank.
///
/// Chromium is `$TRANSIT_CHROMIUM`, else `chromium` or `chromium-browser` on `PATH`
/// (`bash scripts/setup` installs Debian's `chromium`). Without it ``check(htmlPath:name:width:height:)``
/// returns `nil` (the caller skips), except under CI, where it throws.
///
/// Chromium runs on a thread of its own (never on Swift concurrency's threads), one page at a
/// time, and is killed after ``timeoutSeconds``. Screenshots go to
/// `.build/report-screens/NAME.png` under the package root.
public enum Browser {
    /// What one page looked like.
    public struct Outcome: Sendable {
        /// The screenshot, `.build/report-screens/NAME.png`.
        public var pngPath: String
        /// Every message the page wrote to the console, uncaught exceptions and CSP violations
        /// included. Chromium logs a page's console messages all at one level (INFO), so
        /// `console.log` counts as well: a report has nothing to log.
        public var consoleErrors: [String]
        /// Whether the screenshot is blank (see ``ColourSample/isBlank``).
        public var isBlank: Bool
        /// How many different colours a grid of samples of the screenshot holds.
        public var distinctColours: Int
        /// The share (0…1) of the samples that have the most common colour.
        public var dominantShare: Double
    }

    /// Why a page could not be checked.
    public enum Failure: Error, CustomStringConvertible {
        /// No Chromium, under CI.
        case notInstalled
        /// `$TRANSIT_CHROMIUM` names no executable.
        case notExecutable(String)
        /// The HTML file is not there.
        case missingPage(String)
        /// Chromium ran longer than ``Browser/timeoutSeconds``.
        case timedOut(seconds: Int, log: String)
        /// Chromium wrote no screenshot.
        case noScreenshot(status: Int32, log: String)

        public var description: String {
            switch self {
            case .notInstalled:
                "chromium is not installed (CI=true, so this fails): run bash scripts/setup, or set TRANSIT_CHROMIUM"
            case .notExecutable(let path): "TRANSIT_CHROMIUM=\(path) is not an executable"
            case .missingPage(let path): "no HTML file at \(path)"
            case .timedOut(let seconds, let log): "chromium did not finish within \(seconds) s; its log ends:\n\(log)"
            case .noScreenshot(let status, let log): "chromium (exit \(status)) wrote no screenshot; its log ends:\n\(log)"
            }
        }
    }

    /// How long one page may take before Chromium is killed.
    public static let timeoutSeconds = 60

    /// Chromium's path: `$TRANSIT_CHROMIUM`, else `chromium` or `chromium-browser` on `PATH`;
    /// `nil` when there is none.
    /// - Throws: ``Failure/notExecutable(_:)`` when `$TRANSIT_CHROMIUM` is set to a
    ///   non-executable path.
    public static func executable() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["TRANSIT_CHROMIUM"], !explicit.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: explicit) else { throw Failure.notExecutable(explicit) }
            return explicit
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for folder in folders {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Whether a Chromium is there (for `.enabled(if:)` traits; under CI tests should run
    /// anyway and fail in ``check(htmlPath:name:width:height:)``).
    public static var isAvailable: Bool { ((try? executable()) ?? nil) != nil }

    /// Opens `htmlPath` in headless Chromium in a `width`×`height` window, saves the
    /// screenshot as `.build/report-screens/NAME.png` and reports console messages and
    /// blankness.
    /// - Returns: `nil` when Chromium is not installed (outside CI).
    /// - Throws: ``Failure`` when Chromium is missing under CI, times out or writes no
    ///   screenshot; ``PNGImage/Failure`` when the screenshot cannot be decoded.
    public static func check(htmlPath: String, name: String, width: Int = 1280, height: Int = 2400) async throws -> Outcome? {
        guard let chromium = try executable() else {
            if SharedData.isCI { throw Failure.notInstalled }
            return nil
        }
        let page = URL(fileURLWithPath: htmlPath).standardizedFileURL
        guard FileManager.default.fileExists(atPath: page.path) else { throw Failure.missingPage(page.path) }
        let folder = SharedData.packageRoot.appendingPathComponent(".build/report-screens")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let png = folder.appendingPathComponent("\(name).png").path
        let result: Result<Outcome, any Error> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Result {
                    try run(chromium, page: page, png: png, width: width, height: height)
                })
            }.start()
        }
        return try result.get()
    }

    /// ``check(htmlPath:name:width:height:)`` under another name.
    public static func render(htmlPath: String, name: String, width: Int = 1280, height: Int = 2400) async throws -> Outcome? {
        try await check(htmlPath: htmlPath, name: name, width: width, height: height)
    }

    /// The console messages in Chromium's standard error (`--enable-logging=stderr`): each
    /// `[pid:tid:time:LEVEL:CONSOLE…] "message", source: URL (line)` entry, the message with
    /// its source, continuation lines (a multi-line message) included.
    public static func consoleMessages(in log: String) -> [String] {
        var messages: [String] = []
        var current: String?
        // Whether an entry is whole: it ends with `", source: URL (line)`.
        func isWhole(_ entry: String) -> Bool {
            guard let source = entry.range(of: "\", source: ", options: .backwards) else { return false }
            return entry[source.upperBound...].hasSuffix(")")
        }
        for line in log.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                if let current { messages.append(current) }
                current = nil
                if line[..<close].contains(":CONSOLE") {
                    current = String(line[line.index(after: close)...]).trimmingCharacters(in: .whitespaces)
                }
            } else if let entry = current {
                if isWhole(entry) {
                    messages.append(entry)
                    current = nil
                } else {
                    current = entry + "\n" + line
                }
            }
        }
        if let current { messages.append(current) }
        return messages
    }

    /// One page at a time: Chromium is heavy and the machine small.
    private static let oneAtATime = NSLock()

    /// Runs Chromium to its end (on the calling thread, which must not be one of Swift
    /// concurrency's) and looks at the screenshot.
    private static func run(_ chromium: String, page: URL, png: String, width: Int, height: Int) throws -> Outcome {
        oneAtATime.lock()
        defer { oneAtATime.unlock() }
        let scratch = try TemporaryFolder("transit-chromium")
        defer { scratch.remove() }
        try? FileManager.default.removeItem(atPath: png)
        let logPath = scratch.file("chromium.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0",
            "--user-data-dir=\(scratch.file("profile"))",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--screenshot=\(png)", "--window-size=\(width),\(height)",
            page.absoluteString,
        ]
        // Standard output and error to a file, not a pipe: a helper process that outlives
        // Chromium cannot hold a pipe open and stall the reader.
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try ChildProcess.launch(process)
        let deadline = Date().addingTimeInterval(TimeInterval(timeoutSeconds))
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            let grace = Date().addingTimeInterval(3)
            while process.isRunning && Date() < grace { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw Failure.timedOut(seconds: timeoutSeconds, log: tail(logPath))
        }
        process.waitUntilExit()
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard let bytes = FileManager.default.contents(atPath: png), !bytes.isEmpty else {
            throw Failure.noScreenshot(status: process.terminationStatus, log: tail(logPath))
        }
        let sample = ColourSample(try PNGImage(bytes: [UInt8](bytes)))
        return Outcome(pngPath: png, consoleErrors: consoleMessages(in: text), isBlank: sample.isBlank,
                       distinctColours: sample.distinctColours, dominantShare: sample.dominantShare)
    }

    /// The last lines of the log at `path`, for failure messages.
    private static func tail(_ path: String, lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
