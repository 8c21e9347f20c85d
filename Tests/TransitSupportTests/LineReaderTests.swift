import Foundation
import Testing
import TestSupport
import TransitSupport

@Suite("LineReader")
struct LineReaderTests {
    /// Every line of `text` read with `chunkSize`, as strings, with the reader's line numbers
    /// and final byte count.
    static func lines(_ bytes: [UInt8], chunkSize: Int) throws -> (lines: [String], numbers: [Int], bytesRead: Int) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("lines.txt")
        try FileSystem.writeAtomically(bytes, to: path)
        var reader = try LineReader(path: path, chunkSize: chunkSize)
        var out: [String] = []
        var numbers: [Int] = []
        while let line = reader.next() {
            out.append(String(decoding: line, as: UTF8.self))
            numbers.append(reader.lineNumber)
        }
        #expect(reader.next() == nil)
        return (out, numbers, reader.bytesRead)
    }

    @Test("LF and CRLF line ends, blank lines, and a last line without a newline")
    func lineEnds() throws {
        let text = Array("a,b\nc,d\r\n\r\nlast".utf8)
        for chunk in [1, 2, 3, 5, 1 << 20] {
            let read = try Self.lines(text, chunkSize: chunk)
            #expect(read.lines == ["a,b", "c,d", "", "last"], "chunk \(chunk)")
            #expect(read.numbers == [1, 2, 3, 4])
            #expect(read.bytesRead == text.count)
        }
    }

    @Test("A final newline adds no empty line; a lone CR at the very end is dropped")
    func finalNewline() throws {
        #expect(try Self.lines(Array("x\ny\n".utf8), chunkSize: 4).lines == ["x", "y"])
        #expect(try Self.lines(Array("x\ny\r".utf8), chunkSize: 4).lines == ["x", "y"])
        #expect(try Self.lines([], chunkSize: 4).lines.isEmpty)
        #expect(try Self.lines(Array("\n".utf8), chunkSize: 4).lines == [""])
    }

    @Test("A UTF-8 byte-order mark is skipped at the start only")
    func byteOrderMark() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = bom + Array("id\r\n".utf8) + bom + Array("x".utf8)
        for chunk in [1, 2, 4, 64] {
            let read = try Self.lines(text, chunkSize: chunk)
            #expect(read.lines.first == "id", "chunk \(chunk)")
            #expect(read.lines.count == 2)
            #expect(Array(read.lines[1].utf8) == bom + Array("x".utf8))
        }
    }

    @Test("Lines longer than a chunk, and CRLF split across chunks, come back whole")
    func spanningChunks() throws {
        var text: [UInt8] = []
        var expected: [String] = []
        for i in 0 ..< 300 {
            let line = String(repeating: Character(UnicodeScalar(UInt8(97 + i % 26))), count: i % 37) + "|\(i)"
            expected.append(line)
            text += Array(line.utf8) + (i % 3 == 0 ? [0x0D, 0x0A] : [0x0A])
        }
        for chunk in [7, 16, 64, 1000] {
            let read = try Self.lines(text, chunkSize: chunk)
            #expect(read.lines == expected, "chunk \(chunk)")
            #expect(read.numbers.last == 300)
            #expect(read.bytesRead == text.count)
        }
    }

    @Test("A missing file fails to open with notFound")
    func missingFile() {
        #expect(throws: FileSystemError(.openFailed, path: "/nonexistent/log.csv", operation: "open for reading", errno: ENOENT)) {
            _ = try LineReader(path: "/nonexistent/log.csv")
        }
    }

    @Test("a read that fails ends the lines and is kept in failure, not taken for the end of the file")
    func readFailure() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var reader = try LineReader(path: folder.path)  // opens; read(2) fails with EISDIR
        #expect(reader.next() == nil)
        let failure = reader.failure
        #expect(failure?.errno == EISDIR)
        var file = try LineReader(path: #filePath)
        while file.next() != nil {}
        #expect(file.failure == nil)
        #expect(file.bytesRead > 0)
    }
}
