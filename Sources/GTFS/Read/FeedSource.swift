import ZipArchive
import TransitSupport

/// Why a feed could not be read at all. Everything less severe is a ``Finding`` in the
/// ``ValidationReport`` instead.
public enum GTFSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case notFound(path: String)
    /// The path is neither a directory nor a readable zip archive.
    case unreadable(path: String, reason: String)
    /// Writing failed; nothing was left half-written.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "\(path): no such file or directory; give the path of a GTFS folder or .zip"
        case .unreadable(let path, let reason):
            "\(path): cannot read the feed: \(reason)"
        case .writeFailed(let path, let reason):
            "\(path): cannot write the feed: \(reason) (nothing was written)"
        }
    }
}

/// Where a feed's files come from: a directory or a zip archive, with the files possibly in
/// one sub-folder, and archive junk (`__MACOSX/`, `._*` resource forks) set aside.
struct FeedSource: Sendable {
    enum Origin: Sendable {
        case directory(String)
        case zip(ZipArchive)
    }

    struct File: Sendable {
        /// The name relative to the feed's root (`stops.txt`, or `docs/x.pdf`).
        var name: String
        /// The size in bytes (inflated).
        var size: UInt64
        /// Where to read it: a path on disk or an entry of the archive.
        var entry: ZipEntry?
        var path: String?
    }

    let path: String
    let origin: Origin
    /// The sub-folder the files sit in, when they are not at the root.
    let subfolder: String?
    let files: [File]
    /// Entries left out as archive junk.
    let ignored: [String]

    /// Opens `path`.
    init(path: String) throws(GTFSError) {
        self.path = path
        guard FileSystem.exists(path) else { throw .notFound(path: path) }
        if FileSystem.isDirectory(path) {
            origin = .directory(path)
            var (root, sub) = (path, String?.none)
            var names = try FeedSource.listFiles(path)
            if !names.contains(where: { $0.hasSuffix(".txt") }) {
                // One sub-folder holding the .txt files?
                let dirs = ((try? FileSystem.listDirectory(path)) ?? []).filter {
                    !FeedSource.isJunk($0) && FileSystem.isDirectory(path + "/" + $0)
                }
                if dirs.count == 1, let d = dirs.first {
                    let inner = try FeedSource.listFiles(path + "/" + d)
                    if inner.contains(where: { $0.hasSuffix(".txt") }) {
                        root = path + "/" + d
                        sub = d
                        names = inner
                    }
                }
            }
            subfolder = sub
            var files: [File] = []
            var ignored: [String] = []
            for n in names {
                if FeedSource.isJunk(n) { ignored.append(n); continue }
                let p = root + "/" + n
                files.append(File(name: n, size: UInt64(FeedSource.fileSize(p)), entry: nil, path: p))
            }
            self.files = files
            self.ignored = ignored
            return
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        origin = .zip(archive)
        var ignored: [String] = []
        var candidates: [ZipEntry] = []
        for e in archive.entries where !e.isDirectory {
            if FeedSource.isJunk(e.path) { ignored.append(e.path); continue }
            candidates.append(e)
        }
        let rootTxt = candidates.contains { !$0.path.contains("/") && $0.path.hasSuffix(".txt") }
        var prefix = ""
        if !rootTxt {
            let folders = Set(candidates.filter { $0.path.hasSuffix(".txt") }.compactMap { e -> String? in
                guard let slash = e.path.firstIndex(of: "/") else { return nil }
                return String(e.path[..<slash])
            })
            if folders.count == 1, let f = folders.first { prefix = f + "/" }
        }
        subfolder = prefix.isEmpty ? nil : String(prefix.dropLast())
        files = candidates.map { e in
            let name = e.path.hasPrefix(prefix) ? String(e.path.dropFirst(prefix.count)) : e.path
            return File(name: name, size: e.uncompressedSize, entry: e, path: nil)
        }
        self.ignored = ignored
    }

    /// Reads one file's bytes (inflating it from the archive).
    func read(_ file: File) throws(GTFSError) -> [UInt8] {
        switch origin {
        case .directory:
            guard let p = file.path else { throw .unreadable(path: path, reason: "\(file.name) has no path") }
            do { return try FileSystem.read(p) } catch { throw .unreadable(path: p, reason: "\(error)") }
        case .zip(let archive):
            guard let e = file.entry else { throw .unreadable(path: path, reason: "\(file.name) has no entry") }
            do { return try archive.extract(e) } catch { throw .unreadable(path: path, reason: "\(error)") }
        }
    }

    /// A sequential reader of one file's bytes (inflating it from the archive as it goes).
    func reader(_ file: File) throws(GTFSError) -> ChunkReader {
        switch origin {
        case .directory:
            guard let p = file.path else { throw .unreadable(path: path, reason: "\(file.name) has no path") }
            return try ChunkReader(path: p)
        case .zip(let archive):
            guard let e = file.entry else { throw .unreadable(path: path, reason: "\(file.name) has no entry") }
            do { return ChunkReader(zip: try ZipEntryStream(archive: archive, entry: e)) } catch {
                throw .unreadable(path: path, reason: "\(error)")
            }
        }
    }

    /// macOS resource forks and Finder/Explorer droppings.
    static func isJunk(_ name: String) -> Bool {
        if name.hasPrefix("__MACOSX/") || name == "__MACOSX" { return true }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return base.hasPrefix("._") || base == ".DS_Store"
    }

    private static func listFiles(_ dir: String) throws(GTFSError) -> [String] {
        let names: [String]
        do { names = try FileSystem.listDirectory(dir) } catch { throw .unreadable(path: dir, reason: "\(error)") }
        return names.filter { !FileSystem.isDirectory(dir + "/" + $0) }
    }

    private static func fileSize(_ path: String) -> Int {
        FileSystem.size(of: path) ?? 0
    }
}
