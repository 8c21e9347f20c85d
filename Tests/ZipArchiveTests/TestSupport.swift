import Foundation
import Testing
import TestSupport
import ZipArchive

/// Output of a finished child process.
struct ProcessResult {
    let status: Int32
    let output: String
}

/// Runs `executable` with `arguments` in `folder` (through the tests' one process runner),
/// its stdout and stderr together in `output`, optionally sending stdout to `stdoutFile` instead.
func runTool(
    _ executable: String, _ arguments: [String], in folder: String, stdoutFile: String? = nil
) throws -> ProcessResult {
    let result = try ChildProcess.run(executable, arguments, in: folder, stdoutFile: stdoutFile)
    return ProcessResult(status: result.status, output: result.combined)
}

/// Whether the tests run under continuous integration (`CI=true`), where missing tools or
/// shared data must fail rather than skip.
let isCI = SharedData.isCI

/// `true` when Info-ZIP's `zip` and `unzip` are installed.
let systemZipToolsAvailable =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip")

/// Compressible CSV-like text of about `count` bytes.
func compressibleText(count: Int) -> [UInt8] {
    var text: [UInt8] = []
    text.reserveCapacity(count + 64)
    text.append(contentsOf: "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n".utf8)
    var row = 0
    while text.count < count {
        let line = "trip_\(row / 40),\(8 + row % 12):\(10 + row % 50):00,\(8 + row % 12):\(10 + row % 50):30,"
            + "stop_\(row % 977),\(row % 40)\n"
        text.append(contentsOf: line.utf8)
        row += 1
    }
    return Array(text.prefix(count))
}

/// Little-endian reads and patches of archive bytes, for building damaged archives.
extension Array where Element == UInt8 {
    func le16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }

    func le32(_ offset: Int) -> UInt32 { UInt32(le16(offset)) | UInt32(le16(offset + 2)) << 16 }

    mutating func setLE16(_ offset: Int, _ value: UInt16) {
        self[offset] = UInt8(truncatingIfNeeded: value)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    mutating func setLE32(_ offset: Int, _ value: UInt32) {
        setLE16(offset, UInt16(truncatingIfNeeded: value))
        setLE16(offset + 2, UInt16(truncatingIfNeeded: value >> 16))
    }

    /// Offset of the last occurrence of the 4-byte little-endian `signature`.
    func lastOffset(ofSignature signature: UInt32) -> Int? {
        guard count >= 4 else { return nil }
        return stride(from: count - 4, through: 0, by: -1).first { le32($0) == signature }
    }

    /// Offsets of every occurrence of the 4-byte little-endian `signature`.
    func offsets(ofSignature signature: UInt32) -> [Int] {
        guard count >= 4 else { return [] }
        return (0 ... count - 4).filter { le32($0) == signature }
    }
}

enum Signature {
    static let local: UInt32 = 0x0403_4B50
    static let central: UInt32 = 0x0201_4B50
    static let end: UInt32 = 0x0605_4B50
}

/// Builds a one-entry archive by hand, for header values the writer never produces.
func handMadeArchive(
    name: String, data: [UInt8], method: UInt16, flags: UInt16 = 0, crc: UInt32,
    uncompressedSize: UInt32, zip64UncompressedSize: UInt64? = nil
) -> [UInt8] {
    let nameBytes = Array(name.utf8)
    var out: [UInt8] = []
    func le16(_ v: UInt16) { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8)) }
    func le32(_ v: UInt32) { le16(UInt16(v & 0xFFFF)); le16(UInt16(v >> 16)) }
    func le64(_ v: UInt64) { le32(UInt32(v & 0xFFFF_FFFF)); le32(UInt32(v >> 32)) }
    le32(Signature.local); le16(20); le16(flags); le16(method); le16(0); le16(0x21)
    le32(crc); le32(UInt32(data.count)); le32(uncompressedSize)
    le16(UInt16(nameBytes.count)); le16(0)
    out += nameBytes
    out += data
    let directory = out.count
    le32(Signature.central); le16(45); le16(45); le16(flags); le16(method); le16(0); le16(0x21)
    le32(crc); le32(UInt32(data.count))
    le32(zip64UncompressedSize == nil ? uncompressedSize : 0xFFFF_FFFF)
    le16(UInt16(nameBytes.count)); le16(zip64UncompressedSize == nil ? 0 : 12); le16(0); le16(0); le16(0)
    le32(0); le32(0)
    out += nameBytes
    if let size = zip64UncompressedSize { le16(1); le16(8); le64(size) }
    let directorySize = out.count - directory
    le32(Signature.end); le16(0); le16(0); le16(1); le16(1)
    le32(UInt32(directorySize)); le32(UInt32(directory)); le16(0)
    return out
}

/// Runs `body` and returns the `ZipError` it threw, or `nil` (recording an issue) when it did not throw.
func zipError<T>(
    _ sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
) -> ZipError? {
    do {
        _ = try body()
        Issue.record("expected a ZipError, but the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as ZipError {
        return error
    } catch {
        Issue.record("expected a ZipError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension ZipError {
    var isCorrupt: Bool { if case .corrupt = self { true } else { false } }
    var isNotAZip: Bool { if case .notAZip = self { true } else { false } }
    var errnoValue: Int32? { if case let .io(_, _, code) = self { code } else { nil } }
}
