// Zip archive bytes → ZipArchive: open, list, extract every entry, and stream every entry with
// ZipEntryStream (as the feed loader reads a zipped feed). Any error thrown is fine; a crash,
// a hang or memory out of proportion to the input is a finding.
import FuzzSupport
import ZipArchive

/// The stream's read buffer, reused input to input.
nonisolated(unsafe) let streamBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 * 1024)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let archive = try? ZipArchive(bytes: inputBytes(data, size), path: "fuzz.zip") else { return 0 }
    for entry in archive.entries {
        _ = archive.entry(named: entry.path)
        let whole = try? archive.extract(entry)
        guard let stream = try? ZipEntryStream(archive: archive, entry: entry) else { continue }
        var total = 0
        while let n = try? stream.read(into: streamBuffer), n > 0 {
            total += n
        }
        // What streaming produced must agree with what extracting produced.
        if let whole, whole.count != total {
            setupFailed("entry '\(entry.path)': extract gave \(whole.count) bytes, the stream \(total)")
        }
    }
    return 0
}
