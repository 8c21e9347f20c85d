import Foundation
import Testing
import TestSupport
import TransitSupport

@Suite("FileSystem: whole-file reads, atomic writes, folders")
struct FileSystemTests {
    @Test("writeAtomically creates a 0644 file and read returns its bytes")
    func writeThenRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("data.bin")
        let data = pseudoRandomBytes(count: 5_000_123, seed: 1)
        try FileSystem.writeAtomically(data, to: path)
        #expect(try FileSystem.read(path) == data)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        #expect(try FileSystem.listDirectory(folder.path) == ["data.bin"])
    }

    @Test("writeAtomically replaces an existing file and leaves no temporary file")
    func replacesExisting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.zip")
        try FileSystem.writeAtomically(Array("old contents that are longer".utf8), to: path)
        try FileSystem.writeAtomically(Array("new".utf8), to: path)
        #expect(try FileSystem.read(path) == Array("new".utf8))
        try FileSystem.writeAtomically([], to: path)
        #expect(try FileSystem.read(path).isEmpty)
        #expect(try FileSystem.listDirectory(folder.path) == ["feed.zip"])
    }

    @Test("writeAtomically into a missing folder fails with ENOENT and leaves nothing behind")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("no/such/folder/out.zip")
        let error = fileSystemError { try FileSystem.writeAtomically([1, 2, 3], to: path) }
        #expect(error?.errno == ENOENT)
        #expect(error?.code == .notFound)
        #expect(error?.description.contains(path) == true)
        #expect(try FileSystem.listDirectory(folder.path).isEmpty)
    }

    @Test("A failed rename over a folder removes the temporary file and keeps the folder")
    func renameOverFolderFails() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = folder.file("taken")
        try FileSystem.makeDirectory(target + "/inside")
        let error = fileSystemError { try FileSystem.writeAtomically([1, 2, 3], to: target) }
        #expect(error?.errno != nil)
        #expect(error?.operation == "replace")
        #expect(try folder.names() == ["taken"])
        #expect(try FileSystem.listDirectory(target) == ["inside"])
    }

    @Test("read reports missing files and folders with their codes")
    func readErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = folder.file("missing.bin")
        #expect(throws: FileSystemError(.openFailed, path: missing, operation: "open for reading", errno: ENOENT)) {
            try FileSystem.read(missing)
        }
        #expect(fileSystemError { try FileSystem.read(missing) }?.code == .notFound)
        let folderError = fileSystemError { try FileSystem.read(folder.path) }
        #expect(folderError?.errno == EISDIR)
        #expect(folderError?.code == .isDirectory)
        #expect(folderError?.description == "Could not read '\(folder.path)': Is a directory (errno \(EISDIR)). "
            + "The path names a directory; give a file path instead.")
    }

    @Test("read handles files whose size fstat does not know")
    func readProcFile() throws {
        let bytes = try FileSystem.read("/proc/self/status")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Name:"))
    }

    @Test("Folder helpers: makeDirectory, exists, isDirectory, size, listDirectory, rename, removeTree")
    func folderHelpers() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let deep = folder.file("a/b/c")
        try FileSystem.makeDirectory(deep)
        try FileSystem.makeDirectory(deep)  // already there
        #expect(FileSystem.isDirectory(deep))
        #expect(FileSystem.exists(deep))
        for name in ["zeta.txt", "alpha.txt", "Mid.txt"] {
            try FileSystem.writeAtomically(Array(name.utf8), to: deep + "/" + name)
        }
        #expect(try FileSystem.listDirectory(deep) == ["Mid.txt", "alpha.txt", "zeta.txt"])
        #expect(FileSystem.exists(deep + "/alpha.txt"))
        #expect(!FileSystem.isDirectory(deep + "/alpha.txt"))
        #expect(!FileSystem.exists(deep + "/nothing"))
        #expect(FileSystem.size(of: deep + "/alpha.txt") == 9)
        #expect(FileSystem.size(of: deep + "/nothing") == nil)

        try FileSystem.rename(deep + "/alpha.txt", deep + "/beta.txt")
        #expect(try FileSystem.read(deep + "/beta.txt") == Array("alpha.txt".utf8))
        #expect(fileSystemError { try FileSystem.rename(deep + "/alpha.txt", deep + "/x") }?.errno == ENOENT)

        // A file in the way of makeDirectory.
        #expect(fileSystemError { try FileSystem.makeDirectory(deep + "/beta.txt/sub") } != nil)
        #expect(fileSystemError { try FileSystem.listDirectory(deep + "/nothing") }?.errno == ENOENT)

        // removeTree does not follow symbolic links out of the tree.
        let outside = folder.file("outside")
        try FileSystem.makeDirectory(outside)
        try FileSystem.writeAtomically([1], to: outside + "/keep.txt")
        try FileManager.default.createSymbolicLink(atPath: folder.file("a/link"), withDestinationPath: outside)
        try FileSystem.removeTree(folder.file("a"))
        #expect(!FileSystem.exists(folder.file("a")))
        #expect(FileSystem.exists(outside + "/keep.txt"))
        try FileSystem.removeTree(folder.file("a"))  // already gone: not an error
        #expect(fileSystemError { try FileSystem.removeTree("/") }?.errno == EINVAL)
        #expect(fileSystemError { try FileSystem.removeTree("") }?.errno == EINVAL)
    }

    @Test("temporaryPath is beside the target, hidden, tagged and different each time")
    func temporaryPaths() {
        let a = FileSystem.temporaryPath(beside: "/x/y/model.lp", tag: "tmp")
        let b = FileSystem.temporaryPath(beside: "/x/y/model.lp", tag: "tmp")
        #expect(a.hasPrefix("/x/y/.model.lp.tmp-\(getpid())-"))
        #expect(a != b)
        #expect(FileSystem.temporaryPath(beside: "model.lp", tag: "glpk").hasPrefix(".model.lp.glpk-"))
    }
}

@Suite("AtomicFileWriter")
struct AtomicFileWriterTests {
    @Test("The target keeps its old contents until commit, then has all the new ones")
    func replacesOnlyWhenComplete() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("log.csv")
        try FileSystem.writeAtomically(Array("old\n".utf8), to: path)
        let writer = try AtomicFileWriter(path: path)
        let line = String(repeating: "x", count: 999) + "\n"
        for _ in 0 ..< 200 { writer.write(line) }  // 200 kB: past the 64 KiB buffer
        #expect(try FileSystem.read(path) == Array("old\n".utf8))
        #expect(try folder.names().count == 2)
        #expect(writer.temporaryPath.hasPrefix(folder.path + "/.log.csv.tmp-"))
        try writer.commit()
        #expect(try FileSystem.read(path) == Array(String(repeating: line, count: 200).utf8))
        #expect(try folder.names() == ["log.csv"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
    }

    @Test("Dropped without commit, the temporary file is removed and the target untouched")
    func abandonedWriteLeavesNothing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("out.csv")
        try FileSystem.writeAtomically(Array("keep".utf8), to: path)
        do {
            let writer = try AtomicFileWriter(path: path)
            writer.write("partial")
            #expect(try folder.names().count == 2)
        }
        #expect(try folder.names() == ["out.csv"])
        #expect(try FileSystem.read(path) == Array("keep".utf8))
    }

    @Test("A commit that cannot rename fails, removes the temporary file and keeps what is there")
    func failedCommitRemovesTemporary() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = folder.file("taken")
        try FileSystem.makeDirectory(target + "/inside")
        let writer = try AtomicFileWriter(path: target)
        writer.write("text")
        let error = fileSystemError { try writer.commit() }
        #expect(error?.path == target)
        #expect(error?.operation == "replace")
        #expect(try folder.names() == ["taken"])
        #expect(try folder.names("taken") == ["inside"])
    }

    @Test("Creating in a missing folder fails with notFound and creates nothing")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let error = fileSystemError { try AtomicFileWriter(path: folder.file("missing/out.csv")) }
        #expect(error?.code == .notFound)
        #expect(error?.systemMessage == "No such file or directory")
        #expect(try folder.names().isEmpty)
    }
}
