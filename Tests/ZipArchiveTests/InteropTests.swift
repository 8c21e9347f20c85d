import Foundation
import Testing
import TestSupport
import TransitSupport
import ZipArchive

/// Archives made by Info-ZIP `zip` must read back; archives we write must pass `unzip -t`.
/// Without the tools these tests skip locally and fail under CI (`CI=true`).
@Suite("Interoperability with zip and unzip", .enabled(if: systemZipToolsAvailable || isCI, "zip/unzip not installed"))
struct InteropTests {
    /// Files put into the folder that `zip` archives.
    static let files: [(name: String, data: [UInt8])] = [
        (name: "agency.txt", data: Array("agency_id,agency_name\n1,Vilniaus viešasis transportas\n".utf8)),
        (name: "empty.txt", data: []),
        (name: "sub/random.bin", data: pseudoRandomBytes(count: 200_000, seed: 7)),
        (name: "sub/deeper/stop_times.txt", data: compressibleText(count: 1_000_000)),
        (name: "stotelės.txt", data: Array("ąčęėįšųūž\n".utf8)),
    ]

    func requireTools() throws {
        try #require(systemZipToolsAvailable, "/usr/bin/zip and /usr/bin/unzip are required under CI")
    }

    /// Writes `files` into a new folder and returns it.
    func makeSourceFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("zip-interop")
        for file in Self.files {
            let path = folder.file("src/" + file.name)
            try FileSystem.makeDirectory((path as NSString).deletingLastPathComponent)
            try FileSystem.writeAtomically(file.data, to: path)
        }
        return folder
    }

    func checkContents(_ archive: ZipArchive, prefix: String = "") throws {
        for file in Self.files {
            let entry = try #require(archive.entry(named: prefix + file.name), "entry \(file.name)")
            #expect(try archive.extract(entry) == file.data, "contents of \(file.name)")
        }
    }

    @Test("Archives made by zip read back", arguments: [
        ["-r", "-q"], ["-r", "-q", "-0"], ["-r", "-q", "-9"], ["-r", "-q", "-fz"], ["-r", "-q", "-X", "-D"],
    ])
    func readsZipOutput(options: [String]) throws {
        try requireTools()
        let folder = try makeSourceFolder()
        defer { folder.remove() }
        let made = try runTool("/usr/bin/zip", options + ["../made.zip", "."], in: folder.file("src"))
        #expect(made.status == 0, "\(made.output)")
        let archive = try ZipArchive(path: folder.file("made.zip"))
        try checkContents(archive)
        if options.contains("-0") { #expect(archive.entries.allSatisfy { $0.method == 0 }) }
        for entry in archive.entries { _ = try archive.extract(entry) }
    }

    @Test("A zip streamed into a pipe (data descriptors, flag bit 3) reads back")
    func readsStreamedZip() throws {
        try requireTools()
        let folder = try makeSourceFolder()
        defer { folder.remove() }
        // Through a pipe zip cannot seek back, so it writes sizes in data descriptors.
        let made = try runTool("/bin/sh", ["-c", "/usr/bin/zip -q -r - . | cat > ../streamed.zip"], in: folder.file("src"))
        #expect(made.status == 0, "\(made.output)")
        let archive = try ZipArchive(path: folder.file("streamed.zip"))
        #expect(archive.entries.contains { $0.flags & 0x8 != 0 }, "data descriptors used")
        try checkContents(archive)
    }

    @Test("A zip of stdin (ZIP64 extra fields and end records) reads back")
    func readsZipOfStdin() throws {
        try requireTools()
        let folder = try makeSourceFolder()
        defer { folder.remove() }
        let made = try runTool(
            "/bin/sh", ["-c", "/usr/bin/zip -q - - < sub/deeper/stop_times.txt > ../stdin.zip"], in: folder.file("src"))
        #expect(made.status == 0, "\(made.output)")
        let bytes = try FileSystem.read(folder.file("stdin.zip"))
        #expect(!bytes.offsets(ofSignature: 0x0606_4B50).isEmpty, "ZIP64 end record present")
        let archive = try ZipArchive(bytes: bytes)
        let entry = try #require(archive.entry(named: "-"))
        #expect(try archive.extract(entry) == Self.files[3].data)
    }

    @Test("A long archive comment, even one containing a fake end signature, is skipped")
    func readsCommentedZip() throws {
        try requireTools()
        let folder = try makeSourceFolder()
        defer { folder.remove() }
        let made = try runTool("/usr/bin/zip", ["-q", "-r", "../made.zip", "."], in: folder.file("src"))
        #expect(made.status == 0, "\(made.output)")
        var bytes = try FileSystem.read(folder.file("made.zip"))
        let end = try #require(bytes.lastOffset(ofSignature: Signature.end))
        var comment = Array(repeating: UInt8(ascii: "c"), count: 60_000)
        comment.replaceSubrange(100 ..< 104, with: [0x50, 0x4B, 0x05, 0x06])
        bytes.setLE16(end + 20, UInt16(comment.count))
        bytes += comment
        try checkContents(ZipArchive(bytes: bytes))
    }

    @Test("A password-protected zip is reported as encrypted")
    func encryptedZip() throws {
        try requireTools()
        let folder = try makeSourceFolder()
        defer { folder.remove() }
        let made = try runTool("/usr/bin/zip", ["-q", "-P", "secret", "../secret.zip", "agency.txt"], in: folder.file("src"))
        #expect(made.status == 0, "\(made.output)")
        let archive = try ZipArchive(path: folder.file("secret.zip"))
        let entry = try #require(archive.entry(named: "agency.txt"))
        #expect(entry.isEncrypted)
        #expect(throws: ZipError.encrypted(entry: "agency.txt")) { try archive.extract(entry) }
    }

    @Test("unzip -t accepts what we write, and unzip -p gives back the data")
    func unzipAcceptsOurOutput() throws {
        try requireTools()
        let folder = try TemporaryFolder("zip-interop")
        defer { folder.remove() }
        var entries = RoundTripTests.sampleEntries
        entries.append((path: "stored-level-0-check.txt", data: Array("plain".utf8)))
        let path = folder.file("ours.zip")
        try ZipWriter.write(entries, to: path)
        let test = try runTool("/usr/bin/unzip", ["-t", path], in: folder.path)
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("No errors detected"), "\(test.output)")

        let piped = try runTool(
            "/usr/bin/unzip", ["-p", path, "stop_times.txt"], in: folder.path, stdoutFile: folder.file("out.txt"))
        #expect(piped.status == 0, "\(piped.output)")
        #expect(try FileSystem.read(folder.file("out.txt")) == entries[2].data)

        let extracted = try runTool("/usr/bin/unzip", ["-q", path, "-d", "x"], in: folder.path)
        #expect(extracted.status == 0, "\(extracted.output)")
        for entry in entries where !entry.path.hasSuffix("/") {
            #expect(try FileSystem.read(folder.file("x/" + entry.path)) == entry.data, "unzipped \(entry.path)")
        }
        #expect(FileSystem.isDirectory(folder.file("x/folder/sub/deeper")))
    }

    @Test("unzip -t accepts our ZIP64 archive of 70,000 entries")
    func unzipAcceptsZip64() throws {
        try requireTools()
        let folder = try TemporaryFolder("zip-interop")
        defer { folder.remove() }
        let path = folder.file("many.zip")
        try ZipWriter.write((0 ..< 70_000).map { (path: "f\($0)", data: []) }, to: path)
        let test = try runTool("/usr/bin/unzip", ["-tq", path], in: folder.path)
        #expect(test.status == 0, "\(test.output)")
    }
}
