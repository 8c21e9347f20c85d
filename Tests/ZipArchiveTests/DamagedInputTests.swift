import Foundation
import Testing
import TestSupport
import TransitSupport
import ZipArchive

/// Bad input must give the right `ZipError` and never crash.
@Suite("Damaged and hostile input")
struct DamagedInputTests {
    static let text = compressibleText(count: 20_000)
    static let stored = Array("stored entry contents, long enough to flip a byte in\n".utf8)

    /// A small archive: one deflated entry, then one stored entry.
    static func sample() throws -> [UInt8] {
        try ZipWriter.archive([(path: "deflated.txt", data: text), (path: "stored.txt", data: stored)])
    }

    /// Parses and extracts everything, returning the first error.
    static func readAll(_ bytes: [UInt8]) -> ZipError? {
        do {
            let archive = try ZipArchive(bytes: bytes)
            for entry in archive.entries { _ = try archive.extract(entry) }
            return nil
        } catch {
            return error
        }
    }

    @Test("An empty file is not a zip")
    func emptyFile() throws {
        #expect(throws: ZipError.notAZip(path: "<memory>")) { try ZipArchive(bytes: []) }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("empty.zip")
        try FileSystem.writeAtomically([], to: path)
        #expect(throws: ZipError.notAZip(path: path)) { try ZipArchive(path: path) }
    }

    @Test("Twenty bytes of text are not a zip")
    func shortText() {
        let bytes = Array("this is not a zip!!\n".utf8)
        #expect(bytes.count == 20)
        #expect(throws: ZipError.notAZip(path: "notes.txt")) { try ZipArchive(bytes: bytes, path: "notes.txt") }
        let longer = Array(String(repeating: "<html>not found</html>\n", count: 5_000).utf8)
        #expect(throws: ZipError.notAZip(path: "<memory>")) { try ZipArchive(bytes: longer) }
    }

    @Test("A missing file is an I/O error naming the path")
    func missingFile() {
        let error = zipError { try ZipArchive(path: "/nonexistent/feed.zip") }
        #expect(error == .io(path: "/nonexistent/feed.zip", operation: "open for reading", errno: ENOENT))
        #expect(error?.description.contains("No such file or directory") == true)
    }

    @Test("Every truncation of an archive is rejected")
    func truncated() throws {
        let bytes = try Self.sample()
        var cuts = Array(stride(from: 0, to: bytes.count, by: 97))
        cuts += (bytes.count - 60 ..< bytes.count)
        for cut in cuts {
            let error = Self.readAll(Array(bytes[..<cut]))
            #expect(error?.isNotAZip == true || error?.isCorrupt == true, "cut at \(cut): \(String(describing: error))")
        }
    }

    @Test("Bytes missing from the middle make the offsets inconsistent")
    func middleRemoved() throws {
        var bytes = try Self.sample()
        bytes.removeSubrange(40 ..< 140)
        let error = Self.readAll(bytes)
        #expect(error?.isCorrupt == true, "\(String(describing: error))")
    }

    @Test("A flipped byte in deflate data fails the checksum or the inflate")
    func flippedDeflateByte() throws {
        let original = try Self.sample()
        let archive = try ZipArchive(bytes: original)
        let entry = try #require(archive.entry(named: "deflated.txt"))
        let dataStart = Int(entry.localHeaderOffset) + 30 + "deflated.txt".utf8.count
        for position in stride(from: dataStart + 5, to: dataStart + Int(entry.compressedSize), by: 37) {
            var bytes = original
            bytes[position] ^= 0x5A
            let damaged = try ZipArchive(bytes: bytes)
            let error = zipError { try damaged.extract(entry) }
            let expected: Bool
            switch error {
            case .checksumMismatch(entry: "deflated.txt", expected: entry.crc32, _)?: expected = true
            case .corrupt?: expected = true
            default: expected = false
            }
            #expect(expected, "flip at \(position): \(String(describing: error))")
        }
    }

    @Test("A flipped byte in stored data fails the checksum")
    func flippedStoredByte() throws {
        var bytes = try Self.sample()
        let entry = try #require(ZipArchive(bytes: bytes).entry(named: "stored.txt"))
        #expect(entry.method == 0)
        let position = Int(entry.localHeaderOffset) + 30 + "stored.txt".utf8.count + 10
        bytes[position] ^= 0x01
        let error = zipError { try ZipArchive(bytes: bytes).extract(entry) }
        guard case let .checksumMismatch(name, expected, actual)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(name == "stored.txt")
        #expect(expected == entry.crc32)
        #expect(actual != expected)
        #expect(error?.description.contains("CRC-32") == true)
    }

    @Test("A central directory offset past the end is corrupt")
    func directoryOffsetPastEnd() throws {
        var bytes = try Self.sample()
        let end = try #require(bytes.lastOffset(ofSignature: Signature.end))
        bytes.setLE32(end + 16, UInt32(bytes.count + 1_000))
        let error = zipError { try ZipArchive(bytes: bytes, path: "feed.zip") }
        guard case let .corrupt(path, detail)? = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(path == "feed.zip")
        #expect(detail.contains("central directory"))

        var huge = try Self.sample()
        huge.setLE32(end + 12, 0xFFFF_FF00)
        #expect(zipError { try ZipArchive(bytes: huge) }?.isCorrupt == true)
    }

    @Test("More entries than the central directory can hold is corrupt")
    func tooManyEntries() throws {
        var bytes = try Self.sample()
        let end = try #require(bytes.lastOffset(ofSignature: Signature.end))
        bytes.setLE16(end + 8, 60_000)
        bytes.setLE16(end + 10, 60_000)
        #expect(zipError { try ZipArchive(bytes: bytes) }?.isCorrupt == true)
        bytes.setLE16(end + 8, 3)
        bytes.setLE16(end + 10, 3)
        #expect(zipError { try ZipArchive(bytes: bytes) }?.isCorrupt == true)
    }

    @Test("An unsupported compression method is reported by name and number")
    func unsupportedMethod() throws {
        var bytes = try Self.sample()
        for offset in bytes.offsets(ofSignature: Signature.central) + bytes.offsets(ofSignature: Signature.local) {
            let methodOffset = bytes.le32(offset) == Signature.central ? offset + 10 : offset + 8
            if bytes[methodOffset] == 8 { bytes.setLE16(methodOffset, 12) }
        }
        let archive = try ZipArchive(bytes: bytes)
        let entry = try #require(archive.entry(named: "deflated.txt"))
        #expect(entry.method == 12)
        #expect(throws: ZipError.unsupportedMethod(entry: "deflated.txt", method: 12)) { try archive.extract(entry) }
        #expect(ZipError.unsupportedMethod(entry: "x", method: 12).description.contains("bzip2"))
        // The other entry is still readable.
        let stored = try #require(archive.entry(named: "stored.txt"))
        #expect(try archive.extract(stored) == Self.stored)
    }

    @Test("The encryption flag is reported as encrypted")
    func encryptedFlag() throws {
        var bytes = try Self.sample()
        let central = try #require(bytes.offsets(ofSignature: Signature.central).first)
        bytes[central + 8] |= 1
        let archive = try ZipArchive(bytes: bytes)
        #expect(throws: ZipError.encrypted(entry: "deflated.txt")) { try archive.extract(archive.entries[0]) }
    }

    @Test("A declared size over 4 GiB is refused before allocating")
    func entryTooLarge() throws {
        let size: UInt64 = 5 << 30
        let bytes = handMadeArchive(
            name: "bomb.bin", data: Array(repeating: 0, count: 16), method: 8, crc: 0,
            uncompressedSize: 0, zip64UncompressedSize: size)
        let archive = try ZipArchive(bytes: bytes)
        let entry = try #require(archive.entries.first)
        #expect(entry.uncompressedSize == size)
        #expect(throws: ZipError.entryTooLarge(entry: "bomb.bin", size: size)) { try archive.extract(entry) }
    }

    @Test("A declared size that deflate could never produce is refused before allocating")
    func impossibleRatio() throws {
        let bytes = handMadeArchive(
            name: "bomb.bin", data: [0x03, 0x00], method: 8, crc: 0, uncompressedSize: 3_000_000_000)
        let archive = try ZipArchive(bytes: bytes)
        let error = zipError { try archive.extract(archive.entries[0]) }
        #expect(error?.isCorrupt == true, "\(String(describing: error))")
    }

    @Test("Deflate data that inflates to more or fewer bytes than declared is corrupt", arguments: [-1, 1, -500])
    func declaredSizeMismatch(delta: Int) throws {
        var bytes = try Self.sample()
        let central = try #require(bytes.offsets(ofSignature: Signature.central).first)
        bytes.setLE32(central + 24, UInt32(Self.text.count + delta))
        let archive = try ZipArchive(bytes: bytes)
        let error = zipError { try archive.extract(archive.entries[0]) }
        #expect(error?.isCorrupt == true, "\(String(describing: error))")
    }

    @Test("Stored data whose two sizes disagree is corrupt")
    func storedSizeMismatch() throws {
        var bytes = try Self.sample()
        let central = try #require(bytes.offsets(ofSignature: Signature.central).last)
        bytes.setLE32(central + 24, UInt32(Self.stored.count - 1))
        let archive = try ZipArchive(bytes: bytes)
        #expect(zipError { try archive.extract(archive.entries[1]) }?.isCorrupt == true)
    }

    @Test("A bad local header signature or lengths are corrupt")
    func badLocalHeader() throws {
        var noSignature = try Self.sample()
        noSignature[0] = 0
        var archive = try ZipArchive(bytes: noSignature)
        #expect(zipError { try archive.extract(archive.entries[0]) }?.isCorrupt == true)

        var longName = try Self.sample()
        let second = try #require(longName.offsets(ofSignature: Signature.local).last)
        longName.setLE16(second + 26, 0xFFFF)
        longName.setLE16(second + 28, 0xFFFF)
        archive = try ZipArchive(bytes: longName)
        #expect(zipError { try archive.extract(archive.entries[1]) }?.isCorrupt == true)
    }

    @Test("A local header offset outside the file is corrupt")
    func localOffsetOutside() throws {
        var bytes = try Self.sample()
        let central = try #require(bytes.offsets(ofSignature: Signature.central).last)
        bytes.setLE32(central + 42, UInt32(bytes.count - 10))
        #expect(zipError { try ZipArchive(bytes: bytes) }?.isCorrupt == true)
    }

    @Test("Any single damaged byte gives a result or a ZipError, never a crash")
    func everyByteFlipped() throws {
        let original = try ZipWriter.archive([
            (path: "a.txt", data: compressibleText(count: 300)), (path: "b/", data: []), (path: "c", data: [1, 2, 3]),
        ])
        var failures = 0
        for position in original.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = original
                bytes[position] ^= mask
                if Self.readAll(bytes) != nil { failures += 1 }
            }
        }
        #expect(failures > 0)
    }

    @Test("Every error description names the file or entry and says what to do")
    func descriptions() {
        let errors: [(ZipError, String)] = [
            (.io(path: "/data/feed.zip", operation: "open for reading", errno: EACCES), "/data/feed.zip"),
            (.notAZip(path: "feed.zip"), "feed.zip"),
            (.corrupt(path: "feed.zip", detail: "entry 'x': bad"), "entry 'x': bad"),
            (.unsupportedMethod(entry: "stops.txt", method: 14), "LZMA"),
            (.encrypted(entry: "stops.txt"), "stops.txt"),
            (.checksumMismatch(entry: "stops.txt", expected: 0xDEAD_BEEF, actual: 1), "0xdeadbeef"),
            (.entryTooLarge(entry: "huge.txt", size: 5 << 30), "5368709120"),
        ]
        for (error, fragment) in errors {
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(error.description.count > 60, "\(error.description)")
        }
        #expect(ZipError.io(path: "p", operation: "read", errno: EACCES).description.contains("Permission denied"))
        #expect(ZipError.checksumMismatch(entry: "s", expected: 1, actual: 2).description.contains("0x00000002"))
    }
}
