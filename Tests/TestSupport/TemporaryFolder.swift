public import Foundation

/// A fresh folder under the system's temporary directory, named `LABEL-UUID`: the one
/// temporary-folder helper of the tests. ``remove()`` deletes it with everything inside.
public struct TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// Creates the folder.
    /// - Throws: when it cannot be created.
    public init(_ label: String = "transit-tests") throws {
        path = TemporaryFolder.uniquePath(label)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The folder as a file URL.
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// The names directly inside the folder, sorted.
    public func contents() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// The names directly inside the folder, or inside its sub-folder `sub`, sorted; throws
    /// when the folder cannot be listed (so a test can tell "gone" from "empty").
    public func names(_ sub: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sub.map(file) ?? path).sorted()
    }

    /// Deletes the folder and everything in it (errors ignored: it is scratch space).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// A fresh path under the temporary directory, `LABEL-UUID`, not created (for a command
    /// that must create its output itself, or a copy's destination).
    public static func uniquePath(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
    }

    /// ``uniquePath(_:)`` as a file URL.
    public static func uniqueURL(_ label: String) -> URL {
        URL(fileURLWithPath: uniquePath(label))
    }
}
