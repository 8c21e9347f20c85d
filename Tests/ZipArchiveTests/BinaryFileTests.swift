import Foundation
import Testing
import TestSupport
import ZipArchive

@Suite("BinaryFile")
struct BinaryFileTests {
    @Test("writeAtomically creates a 0644 file and read returns its bytes")
    func writeThenRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("data.bin")
        let data = pseudoRandomBytes(count: 5_000_123, seed: 1)
        try BinaryFile.writeAtomically(data, to: path)
        #expect(try BinaryFile.read(path) == data)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        #expect(try BinaryFile.listDirectory(folder.path) == ["data.bin"])
    }

    @Test("writeAtomically replaces an existing file and leaves no temporary file")
    func replacesExisting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.zip")
        try BinaryFile.writeAtomically(Array("old contents that are longer".utf8), to: path)
        try BinaryFile.writeAtomically(Array("new".utf8), to: path)
        #expect(try BinaryFile.read(path) == Array("new".utf8))
        try BinaryFile.writeAtomically([], to: path)
        #expect(try BinaryFile.read(path).isEmpty)
        #expect(try BinaryFile.listDirectory(folder.path) == ["feed.zip"])
    }

    @Test("writeAtomically into a missing folder fails with ENOENT and leaves nothing behind")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("no/such/folder/out.zip")
        let error = zipError { try BinaryFile.writeAtomically([1, 2, 3], to: path) }
        #expect(error?.errnoValue == ENOENT)
        #expect(error?.description.contains(path) == true)
        #expect(try BinaryFile.listDirectory(folder.path).isEmpty)
    }

    @Test("A failed rename over a folder removes the temporary file")
    func renameOverFolderFails() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = folder.file("taken")
        try BinaryFile.makeDirectory(target + "/inside")
        let error = zipError { try BinaryFile.writeAtomically([1, 2, 3], to: target) }
        #expect(error?.errnoValue != nil)
        #expect(try BinaryFile.listDirectory(folder.path) == ["taken"])
        #expect(try BinaryFile.listDirectory(target) == ["inside"])
    }

    @Test("ZipWriter.write replaces atomically too, and fails cleanly into a missing folder")
    func zipWriterAtomic() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("out.zip")
        try ZipWriter.write([(path: "a", data: [1])], to: path)
        try ZipWriter.write([(path: "b", data: [2])], to: path)
        #expect(try ZipArchive(path: path).entries.map(\.path) == ["b"])
        #expect(zipError { try ZipWriter.write([(path: "a", data: [1])], to: folder.file("missing/out.zip")) } != nil)
        #expect(try BinaryFile.listDirectory(folder.path) == ["out.zip"])
    }

    @Test("read reports missing files and folders as I/O errors")
    func readErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = folder.file("missing.bin")
        #expect(throws: ZipError.io(path: missing, operation: "open for reading", errno: ENOENT)) {
            try BinaryFile.read(missing)
        }
        #expect(zipError { try BinaryFile.read(folder.path) }?.errnoValue == EISDIR)
    }

    @Test("read handles files whose size fstat does not know")
    func readProcFile() throws {
        let bytes = try BinaryFile.read("/proc/self/status")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Name:"))
    }

    @Test("Folder helpers: makeDirectory, exists, isDirectory, listDirectory, rename, removeTree")
    func folderHelpers() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let deep = folder.file("a/b/c")
        try BinaryFile.makeDirectory(deep)
        try BinaryFile.makeDirectory(deep)  // already there
        #expect(BinaryFile.isDirectory(deep))
        #expect(BinaryFile.exists(deep))
        for name in ["zeta.txt", "alpha.txt", "Mid.txt"] {
            try BinaryFile.writeAtomically(Array(name.utf8), to: deep + "/" + name)
        }
        #expect(try BinaryFile.listDirectory(deep) == ["Mid.txt", "alpha.txt", "zeta.txt"])
        #expect(BinaryFile.exists(deep + "/alpha.txt"))
        #expect(!BinaryFile.isDirectory(deep + "/alpha.txt"))
        #expect(!BinaryFile.exists(deep + "/nothing"))

        try BinaryFile.rename(deep + "/alpha.txt", deep + "/beta.txt")
        #expect(try BinaryFile.read(deep + "/beta.txt") == Array("alpha.txt".utf8))
        #expect(zipError { try BinaryFile.rename(deep + "/alpha.txt", deep + "/x") }?.errnoValue == ENOENT)

        // A file in the way of makeDirectory.
        #expect(zipError { try BinaryFile.makeDirectory(deep + "/beta.txt/sub") } != nil)
        #expect(zipError { try BinaryFile.listDirectory(deep + "/nothing") }?.errnoValue == ENOENT)

        // removeTree does not follow symbolic links out of the tree.
        let outside = folder.file("outside")
        try BinaryFile.makeDirectory(outside)
        try BinaryFile.writeAtomically([1], to: outside + "/keep.txt")
        try FileManager.default.createSymbolicLink(atPath: folder.file("a/link"), withDestinationPath: outside)
        try BinaryFile.removeTree(folder.file("a"))
        #expect(!BinaryFile.exists(folder.file("a")))
        #expect(BinaryFile.exists(outside + "/keep.txt"))
        try BinaryFile.removeTree(folder.file("a"))  // already gone: not an error
        #expect(zipError { try BinaryFile.removeTree("/") }?.errnoValue == EINVAL)
        #expect(zipError { try BinaryFile.removeTree("") }?.errnoValue == EINVAL)
    }
}
