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
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs `transit` with `arguments` from the package root and waits for it.
    public static func run(_ arguments: [String]) throws -> Result {
        guard let url else { throw Failure.notBuilt }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Parses `text` as a JSON object.
    public static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dictionary = object as? [String: Any] else { throw Failure.notAnObject(text) }
        return dictionary
    }
}
