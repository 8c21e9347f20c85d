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
    /// File `file` of the feed at `path` is `size` bytes (uncompressed), more than the `limit`
    /// of ``ReadOptions/maxFileBytes``; nothing of it was read (a zip-bomb guard).
    case fileTooLarge(path: String, file: String, size: UInt64, limit: Int)

    public var description: String {
        switch self {
        case .notFound(let path):
            "\(path): no such file or directory; give the path of a GTFS folder or .zip"
        case .unreadable(let path, let reason):
            "\(path): cannot read the feed: \(reason)"
        case .writeFailed(let path, let reason):
            "\(path): cannot write the feed: \(reason) (nothing was written)"
        case .fileTooLarge(let path, let file, let size, let limit):
            "\(path): \(file) is \(size) bytes uncompressed, more than the \(limit)-byte limit on one feed file "
                + "(a guard against zip bombs); nothing was read. If the file is genuine, raise ReadOptions.maxFileBytes "
                + "(transit: --max-file-bytes or TRANSIT_MAX_FILE_BYTES)"
        }
    }
}

/// Where a feed's files come from: a directory or a zip archive, with the files possibly in
/// one sub-folder, and archive junk (`__MACOSX/`, `._*` resource forks) set aside.
struct FeedSource: Sendable {
    enum Origin: Sendable {
        case directory(String)
        case zip(ZipArchive)
        /// Files held in memory, by name.
        case memory([String: [UInt8]])
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
    /// Names in a folder that are not regular files (FIFOs, sockets, devices), left unread.
    var special: [String] = []

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
            var special: [String] = []
            for n in names {
                if FeedSource.isJunk(n) { ignored.append(n); continue }
                let p = root + "/" + n
                // A FIFO, socket or device (or a link to one, such as /dev/zero) has no size to
                // check against the limit and may never end: it is set aside, never read.
                guard FileSystem.isRegularFile(p) else { special.append(n); continue }
                files.append(File(name: n, size: UInt64(FeedSource.fileSize(p)), entry: nil, path: p))
            }
            self.files = files
            self.ignored = ignored
            self.special = special
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

    /// Files given in memory, by name relative to the feed's root (`stops.txt`). Names that are
    /// archive junk are set aside as they are in archives; nothing is read from disk.
    init(files: [String: [UInt8]], label: String) {
        path = label
        origin = .memory(files)
        subfolder = nil
        var kept: [File] = []
        var ignored: [String] = []
        for name in files.keys.sorted() {
            if FeedSource.isJunk(name) { ignored.append(name); continue }
            kept.append(File(name: name, size: UInt64(files[name]?.count ?? 0), entry: nil, path: nil))
        }
        self.files = kept
        self.ignored = ignored
    }

    /// Throws ``GTFSError/fileTooLarge(path:file:size:limit:)`` when `file` is over `limit` bytes.
    func check(_ file: File, limit: Int) throws(GTFSError) {
        guard file.size <= UInt64(Swift.max(0, limit)) else {
            throw .fileTooLarge(path: path, file: file.name, size: file.size, limit: limit)
        }
    }

    /// Reads one file's bytes (inflating it from the archive), refusing one over `limit` bytes.
    func read(_ file: File, limit: Int) throws(GTFSError) -> [UInt8] {
        try check(file, limit: limit)
        switch origin {
        case .memory(let files):
            guard let bytes = files[file.name] else { throw .unreadable(path: path, reason: "\(file.name) is not in memory") }
            return bytes
        case .directory:
            guard let p = file.path else { throw .unreadable(path: path, reason: "\(file.name) has no path") }
            do { return try FileSystem.read(p) } catch { throw .unreadable(path: p, reason: "\(error)") }
        case .zip(let archive):
            guard let e = file.entry else { throw .unreadable(path: path, reason: "\(file.name) has no entry") }
            do { return try archive.extract(e, maxSize: UInt64(Swift.max(0, limit))) } catch { throw .unreadable(path: path, reason: "\(error)") }
        }
    }

    /// A sequential reader of one file's bytes (inflating it from the archive as it goes),
    /// refusing one over `limit` bytes.
    func reader(_ file: File, limit: Int) throws(GTFSError) -> ChunkReader {
        try check(file, limit: limit)
        switch origin {
        case .memory(let files):
            guard let bytes = files[file.name] else { throw .unreadable(path: path, reason: "\(file.name) is not in memory") }
            return ChunkReader(bytes: bytes, name: file.name)
        case .directory:
            guard let p = file.path else { throw .unreadable(path: path, reason: "\(file.name) has no path") }
            return try ChunkReader(path: p)
        case .zip(let archive):
            guard let e = file.entry else { throw .unreadable(path: path, reason: "\(file.name) has no entry") }
            do { return ChunkReader(zip: try ZipEntryStream(archive: archive, entry: e, maxSize: UInt64(Swift.max(0, limit)))) } catch {
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
