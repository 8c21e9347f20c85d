import Foundation
import Testing
import TestSupport
import ZipArchive

@Suite("Writing and reading back")
struct RoundTripTests {
    static let allByteValues: [UInt8] = (0 ..< 40).flatMap { _ in (0 ... 255).map { UInt8($0) } }
    static let sampleEntries: [(path: String, data: [UInt8])] = [
        (path: "empty.txt", data: []),
        (path: "bytes/all-values.bin", data: allByteValues),
        (path: "stop_times.txt", data: compressibleText(count: 5_000_000)),
        (path: "random.bin", data: pseudoRandomBytes(count: 100_000, seed: 42)),
        (path: "Vilnius/Žvėrynas – stotelės.txt", data: Array("šaltinis,ąžuolas,日本語\n".utf8)),
        (path: "folder/", data: []),
        (path: "folder/sub/deeper/file.csv", data: Array("a,b\n1,2\n".utf8)),
    ]

    @Test("Entries written to a file read back identically, in order")
    func roundTripThroughFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("round.zip")
        try ZipWriter.write(Self.sampleEntries, to: path)

        let archive = try ZipArchive(path: path)
        #expect(archive.path == path)
        #expect(archive.entries.map(\.path) == Self.sampleEntries.map(\.path))
        for (entry, original) in zip(archive.entries, Self.sampleEntries) {
            #expect(entry.uncompressedSize == UInt64(original.data.count))
            #expect(entry.isDirectory == original.path.hasSuffix("/"))
            #expect(!entry.isEncrypted)
            #expect(entry.flags & 0x0800 != 0, "names are flagged as UTF-8")
            let data = try archive.extract(entry)
            #expect(data == original.data, "contents of \(entry.path)")
        }
    }

    @Test("Deflates what shrinks and stores the rest")
    func compressionChoice() throws {
        let archive = try ZipArchive(bytes: ZipWriter.archive(Self.sampleEntries))
        func method(_ name: String) -> UInt16? { archive.entry(named: name)?.method }
        #expect(method("empty.txt") == 0)
        #expect(method("folder/") == 0)
        #expect(method("random.bin") == 0)
        #expect(method("stop_times.txt") == 8)
        #expect(method("bytes/all-values.bin") == 8)
        let big = try #require(archive.entry(named: "stop_times.txt"))
        #expect(big.compressedSize * 5 < big.uncompressedSize)
        let random = try #require(archive.entry(named: "random.bin"))
        #expect(random.compressedSize == random.uncompressedSize)
    }

    @Test("Level 0 stores every entry", arguments: [Int32(0), -3])
    func levelZeroStores(level: Int32) throws {
        let archive = try ZipArchive(bytes: ZipWriter.archive(Self.sampleEntries, level: level))
        #expect(archive.entries.allSatisfy { $0.method == 0 })
        for (entry, original) in zip(archive.entries, Self.sampleEntries) {
            #expect(try archive.extract(entry) == original.data)
        }
    }

    @Test("Every level 1...9 round-trips", arguments: Array(Int32(1) ... 9))
    func levels(level: Int32) throws {
        let entries = [(path: "t.txt", data: compressibleText(count: 200_000))]
        let archive = try ZipArchive(bytes: ZipWriter.archive(entries, level: level))
        let entry = try #require(archive.entries.first)
        #expect(entry.method == 8)
        #expect(try archive.extract(entry) == entries[0].data)
    }

    @Test("The same input gives the same bytes, stamped 1980-01-01 00:00")
    func deterministic() throws {
        let first = try ZipWriter.archive(Self.sampleEntries)
        let second = try ZipWriter.archive(Self.sampleEntries)
        #expect(first == second)
        // Local header: modification time at 10, date at 12.
        #expect(first.le16(10) == 0)
        #expect(first.le16(12) == 0x21)
        #expect(first.le16(4) == 20, "version needed 2.0")
    }

    @Test("An archive with no entries is valid")
    func emptyArchive() throws {
        let bytes = try ZipWriter.archive([])
        #expect(bytes.count == 22)
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.isEmpty)
        #expect(archive.entry(named: "x") == nil)
    }

    @Test("entry(named:) finds exact names, the first of duplicates, and nil otherwise")
    func lookup() throws {
        let archive = try ZipArchive(bytes: ZipWriter.archive([
            (path: "a.txt", data: [1]), (path: "dir/a.txt", data: [2]), (path: "a.txt", data: [3]),
        ]))
        let first = try #require(archive.entry(named: "a.txt"))
        #expect(try archive.extract(first) == [1])
        #expect(try archive.entry(named: "dir/a.txt").map { try archive.extract($0) } == [2])
        #expect(archive.entry(named: "A.txt") == nil)
        #expect(archive.entry(named: "dir") == nil)
        #expect(archive.entries.count == 3)
    }

    @Test("65,535 entries or more use ZIP64 end records and read back")
    func manyEntries() throws {
        let entries = (0 ..< 70_000).map { (path: "e/\($0)", data: $0 % 1000 == 0 ? [UInt8(truncatingIfNeeded: $0 / 1000)] : []) }
        let bytes = try ZipWriter.archive(entries)
        #expect(bytes.offsets(ofSignature: 0x0606_4B50).count == 1, "one ZIP64 end record")
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.count == 70_000)
        #expect(archive.entries.last?.path == "e/69999")
        let sample = try #require(archive.entry(named: "e/5000"))
        #expect(try archive.extract(sample) == [5])
    }

    @Test("Names that are not UTF-8 are decoded as code page 437, one character per byte")
    func legacyNames() throws {
        var bytes = try ZipWriter.archive([(path: "XY.txt", data: Array("x".utf8))])
        for offset in (0 ..< bytes.count - 1) where bytes[offset] == UInt8(ascii: "X") && bytes[offset + 1] == UInt8(ascii: "Y") {
            bytes[offset] = 0x80  // Ç
            bytes[offset + 1] = 0xE1  // ß
        }
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.path) == ["Çß.txt"])
        #expect(try archive.extract(archive.entries[0]) == Array("x".utf8))
    }

    @Test("Distinct entries extract concurrently from many tasks")
    func concurrentExtraction() async throws {
        let entries = (0 ..< 24).map { index in
            (path: "part\(index).txt", data: compressibleText(count: 50_000 + index * 1_000))
        }
        let archive = try ZipArchive(bytes: ZipWriter.archive(entries))
        let results = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, entry) in archive.entries.enumerated() {
                group.addTask { (index, try archive.extract(entry)) }
            }
            var collected: [Int: [UInt8]] = [:]
            for try await (index, data) in group { collected[index] = data }
            return collected
        }
        #expect(results.count == entries.count)
        for (index, entry) in entries.enumerated() {
            #expect(results[index] == entry.data)
        }
    }

    @Test("An entry name over 65,535 bytes is refused with a clear error")
    func longName() {
        let name = String(repeating: "n", count: 70_000)
        let error = zipError { try ZipWriter.archive([(path: name, data: [])]) }
        #expect(error?.errnoValue == ENAMETOOLONG)
        #expect(error?.description.contains("65,535") == true)
    }
}
