import Foundation
import Testing
import TestSupport
import TransitSupport
import ZipArchive

/// The archive's side of atomic writing and whole-file reading (the file-system helpers
/// themselves are tested in TransitSupportTests).
@Suite("ZipArchive files")
struct AtomicWriteTests {
    @Test("ZipWriter.write replaces atomically too, and fails cleanly into a missing folder")
    func zipWriterAtomic() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("out.zip")
        try ZipWriter.write([(path: "a", data: [1])], to: path)
        try ZipWriter.write([(path: "b", data: [2])], to: path)
        #expect(try ZipArchive(path: path).entries.map(\.path) == ["b"])
        #expect(zipError { try ZipWriter.write([(path: "a", data: [1])], to: folder.file("missing/out.zip")) } != nil)
        #expect(try FileSystem.listDirectory(folder.path) == ["out.zip"])
    }

    @Test("A failed write is a ZipError.io with the file system's path, operation and errno")
    func writeErrorMapsToZipError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("no/such/folder/out.zip")
        let error = zipError { try ZipWriter.write([(path: "a", data: [1])], to: path) }
        #expect(error == .io(path: path, operation: "create a temporary file in the folder of", errno: ENOENT))
        #expect(error?.description.contains(path) == true)
    }

    @Test("Reading a folder as an archive is a ZipError.io with EISDIR")
    func readFolderMapsToZipError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(zipError { try ZipArchive(path: folder.path) } == .io(path: folder.path, operation: "read", errno: EISDIR))
    }
}
