import Foundation
import Testing
import TestSupport
import ZipArchive

/// The ceiling on an entry's inflated size, and sizes that lie, checked before anything is
/// allocated or inflated. Archives are built at run time.
@Suite("Limits: the inflated-size ceiling and sizes that lie")
struct LimitTests {
    /// A one-entry archive whose entry, `size` line feeds, deflates about a thousandfold.
    static func bomb(size: Int) throws -> [UInt8] {
        try ZipWriter.archive([("bomb.txt", [UInt8](repeating: 0x0A, count: size))], level: 9)
    }

    /// Reads the whole entry through a stream into a 64 KiB buffer; returns the bytes produced.
    static func stream(_ archive: ZipArchive, _ entry: ZipEntry, maxSize: UInt64 = ZipArchive.maxEntryBytes) throws -> Int {
        let stream = try ZipEntryStream(archive: archive, entry: entry, maxSize: maxSize)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var total = 0
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try stream.read(into: $0) }
            #expect(n <= buffer.count)
            if n == 0 { break }
            total += n
        }
        return total
    }

    @Test("a 1000x zip bomb streams through a fixed buffer, and is refused past a lowered ceiling")
    func thousandfoldBomb() throws {
        let size = 32 << 20
        let archive = try ZipArchive(bytes: try Self.bomb(size: size), path: "bomb.zip")
        let entry = try #require(archive.entries.first)
        #expect(entry.uncompressedSize / entry.compressedSize >= 900)
        #expect(try Self.stream(archive, entry) == size)

        let limit: UInt64 = 1 << 20
        let expected = ZipError.entryOverLimit(entry: "bomb.txt", size: UInt64(size), limit: limit)
        #expect(throws: expected) { try ZipEntryStream(archive: archive, entry: entry, maxSize: limit) }
        #expect(throws: expected) { try archive.extract(entry, maxSize: limit) }
        #expect(expected.code == .entryOverLimit)
        for fragment in ["bomb.txt", "\(size)", "\(limit)", "raise the ceiling"] {
            #expect(expected.description.contains(fragment), "\(expected.description)")
        }
        // Exactly at the ceiling is allowed.
        #expect(try archive.extract(entry, maxSize: UInt64(size)).count == size)
    }

    @Test("a declared size smaller than the data: the stream never produces more than declared")
    func declaredTooSmall() throws {
        var bytes = try Self.bomb(size: 4 << 20)
        let central = try #require(bytes.offsets(ofSignature: Signature.central).first)
        let declared = 1 << 20
        bytes.setLE32(central + 24, UInt32(declared))
        let archive = try ZipArchive(bytes: bytes)
        let stream = try ZipEntryStream(archive: archive, entry: archive.entries[0], maxSize: UInt64(declared))
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var produced = 0
        var failure: ZipError?
        do {
            while true {
                let n = try buffer.withUnsafeMutableBufferPointer { try stream.read(into: $0) }
                if n == 0 { break }
                produced += n
            }
        } catch let error as ZipError {
            failure = error
        }
        #expect(failure?.isCorrupt == true, "\(String(describing: failure))")
        #expect(produced <= declared)
    }

    @Test("a declared size larger than the data is corrupt at its end, and no entry is trusted past deflate's ratio")
    func declaredTooLarge() throws {
        var bytes = try Self.bomb(size: 1 << 20)
        let central = try #require(bytes.offsets(ofSignature: Signature.central).first)
        bytes.setLE32(central + 24, UInt32((1 << 20) + 1000))
        let archive = try ZipArchive(bytes: bytes)
        let error = zipError { try Self.stream(archive, archive.entries[0]) }
        #expect(error?.isCorrupt == true, "\(String(describing: error))")

        // 2 compressed bytes cannot inflate to 3 GB: refused when the stream is opened.
        let impossible = handMadeArchive(name: "bomb.bin", data: [0x03, 0x00], method: 8, crc: 0, uncompressedSize: 3_000_000_000)
        let lying = try ZipArchive(bytes: impossible)
        let opened = zipError { try ZipEntryStream(archive: lying, entry: lying.entries[0]) }
        #expect(opened?.isCorrupt == true, "\(String(describing: opened))")
    }

    @Test("an end record claiming 65,535 entries, or a ZIP64 one claiming 2^60, is refused before allocating")
    func hugeEntryCounts() throws {
        var bytes = try Self.bomb(size: 1000)
        let end = try #require(bytes.lastOffset(ofSignature: Signature.end))
        bytes.setLE16(end + 8, 0xFFFF)
        bytes.setLE16(end + 10, 0xFFFF)
        #expect(zipError { try ZipArchive(bytes: bytes) }?.isCorrupt == true)

        let zip64 = handMadeArchive(name: "a.txt", data: [0x03, 0x00], method: 8, crc: 0, uncompressedSize: 0,
                                    zip64UncompressedSize: 1 << 60)
        let archive = try ZipArchive(bytes: zip64)
        let error = zipError { try archive.extract(archive.entries[0]) }
        #expect(error == .entryTooLarge(entry: "a.txt", size: 1 << 60))
    }
}
