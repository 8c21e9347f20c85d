public import Foundation

/// Runs the built `transit` binary end to end (the CLI and timetable tests share it).
public enum TransitBinary {
    /// Why a run could not start.
    public enum Failure: Error, CustomStringConvertible {
        /// No `transit` executable next to the tests or in `.build/debug`.
        case notBuilt
        /// The output was not a JSON object.
        case notAnObject(String)

        public var description: String {
            switch self {
            case .notBuilt: "the transit binary was not built next to the tests"
            case .notAnObject(let text): "not a JSON object: \(text.prefix(200))"
            }
        }
    }

    /// The package root (the folder holding Package.swift); runs start there.
    public static var packageRoot: URL { SharedData.packageRoot }

    /// The `transit` executable next to the test bundle (SwiftPM builds both in one folder).
    public static let url: URL? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("transit"),
            packageRoot.appendingPathComponent(".build/debug/transit"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// What a run printed and how it ended.
    public typealias Result = ChildProcess.Result

    /// Starts `transit` with `arguments` from the package root, its environment this
    /// process's plus `environment`.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        guard let url else { throw Failure.notBuilt }
        return try ChildProcess.start(url, arguments, in: packageRoot, environment: environment)
    }

    /// Runs `transit` with `arguments` from the package root and waits for it, reading its
    /// standard output and error concurrently.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try start(arguments, environment: environment).finish()
    }

    /// A run's error as text, so it can cross from the thread that waited for it.
    public struct RunError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Runs `transit` like ``run(_:environment:)``, waiting for it on a thread of its own, so
    /// an async test never holds one of the threads Swift concurrency lends the other tests.
    public static func runOffPool(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let outcome: Swift.Result<Result, RunError> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Swift.Result { try run(arguments, environment: environment) }
                    .mapError { RunError(description: "\($0)") })
            }.start()
        }
        return try outcome.get()
    }

    /// Parses `text` as a JSON object.
    public static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dictionary = object as? [String: Any] else { throw Failure.notAnObject(text) }
        return dictionary
    }
}
