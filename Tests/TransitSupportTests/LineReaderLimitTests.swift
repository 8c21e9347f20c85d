import Foundation
import Testing
import TestSupport
import TransitSupport

@Suite("LineReader: lines over the limit")
struct LineReaderLimitTests {
    /// Every line of `bytes` with the length the reader reports for a cut one.
    static func lines(_ bytes: [UInt8], chunkSize: Int, maxLineBytes: Int) throws -> [(text: String, length: Int?, number: Int)] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("lines.txt")
        try FileSystem.writeAtomically(bytes, to: path)
        var reader = try LineReader(path: path, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
        var out: [(String, Int?, Int)] = []
        while let line = reader.next() { out.append((String(decoding: line, as: UTF8.self), reader.lastLineLength, reader.lineNumber)) }
        return out
    }

    @Test("a 4 MiB line comes back cut to the limit with its whole length; the lines around it are whole")
    func longLine() throws {
        let long = [UInt8](repeating: 0x6C, count: 4 << 20)
        let text = Array("first\n".utf8) + long + Array("\r\nlast\n".utf8)
        for chunk in [4096, 1 << 20] {
            let read = try Self.lines(text, chunkSize: chunk, maxLineBytes: 1000)
            #expect(read.map(\.text) == ["first", String(repeating: "l", count: 1000), "last"], "chunk \(chunk)")
            #expect(read.map(\.length) == [nil, 4 << 20, nil])
            #expect(read.map(\.number) == [1, 2, 3])
        }
    }

    @Test("a line over the limit that fits in one chunk is cut too, with or without its newline and carriage return")
    func longLineInsideOneChunk() throws {
        let text = Array("ok\n".utf8) + [UInt8](repeating: 0x61, count: 70_000) + Array("\r\nnext\n".utf8) + [UInt8](repeating: 0x62, count: 9)
        let read = try Self.lines(text, chunkSize: 1 << 20, maxLineBytes: 8)
        #expect(read.map(\.text) == ["ok", "aaaaaaaa", "next", "bbbbbbbb"])
        #expect(read.map(\.length) == [nil, 70_000, nil, 9])
        #expect(read.map(\.number) == [1, 2, 3, 4])
    }

    @Test("a cut last line without a newline, and lines exactly at the limit")
    func edges() throws {
        let read = try Self.lines(Array("abcd\nabcde\nabcdefgh".utf8), chunkSize: 3, maxLineBytes: 5)
        #expect(read.map(\.text) == ["abcd", "abcde", "abcde"])
        #expect(read.map(\.length) == [nil, nil, 8])
    }
}
