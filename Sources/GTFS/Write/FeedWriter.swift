import ZipArchive
import TransitSupport

/// Writes feeds as a directory of `.txt` files or as a `.zip`, atomically: the output appears
/// complete or not at all.
///
/// Files are UTF-8 without a byte-order mark, LF line ends, a final newline; fields are quoted
/// only when RFC 4180 needs it (a comma, quote or line end) or when padding spaces would
/// otherwise be trimmed on reading. Values that did not parse are written back as they were.
public enum FeedWriter {
    /// The CSV text of one table.
    ///
    /// Each column is first rendered on its own, in a loop of its type (distinct strings are
    /// escaped once, not once per row); the rows are then stitched together.
    /// - Complexity: O(rows × columns).
    public static func csv(_ table: Table) -> [UInt8] {
        let columns = table.columns.map { render($0, rows: table.rowCount) }
        var total = 64
        for c in columns { total += c.bytes.count + table.rowCount }
        for c in table.columns { total += c.name.utf8.count + 1 }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        for (k, c) in table.columns.enumerated() {
            if k > 0 { out.append(0x2C) }
            appendField(c.name, to: &out)
        }
        if table.columns.count == 1, table.columns[0].name.isEmpty { out.append(0x22); out.append(0x22) }
        out.append(0x0A)
        for r in 0..<table.rowCount {
            var empty = true
            for (k, c) in columns.enumerated() {
                if k > 0 { out.append(0x2C) }
                let start = r == 0 ? 0 : Int(c.ends[r - 1]), end = Int(c.ends[r])
                if end > start { out.append(contentsOf: c.bytes[start..<end]); empty = false }
            }
            // A one-column row with an empty value would be a blank line, which readers skip:
            // write it as "" so the row survives.
            if empty && columns.count == 1 { out.append(0x22); out.append(0x22) }
            out.append(0x0A)
        }
        return out
    }

    /// One column's cells as text: cell `r` is `bytes[ends[r-1]..<ends[r]]`.
    struct RenderedColumn {
        var bytes: [UInt8] = []
        var ends: [Int32] = []
    }

    static func render(_ c: Column, rows: Int) -> RenderedColumn {
        var out = RenderedColumn()
        out.ends.reserveCapacity(rows)
        out.bytes.reserveCapacity(rows * 4)
        func end() { out.ends.append(Int32(truncatingIfNeeded: out.bytes.count)) }
        let hasUnparsed = !c.unparsed.isEmpty
        switch c.data {
        case .strings(let s):
            var encoded: [[UInt8]?] = [[UInt8]?](repeating: nil, count: s.values.count)
            for r in 0..<rows {
                if hasUnparsed, let raw = c.unparsed[Int32(r)] { appendField(raw, to: &out.bytes); end(); continue }
                let code = r < s.codes.count ? Int(s.codes[r]) : -1
                if code >= 0, code < s.values.count {
                    if let e = encoded[code] {
                        out.bytes.append(contentsOf: e)
                    } else {
                        var e: [UInt8] = []
                        appendField(s.values[code], to: &e)
                        encoded[code] = e
                        out.bytes.append(contentsOf: e)
                    }
                }
                end()
            }
        case .integers(let v):
            for r in 0..<rows {
                if hasUnparsed, let raw = c.unparsed[Int32(r)] { appendField(raw, to: &out.bytes) }
                else if r < v.count, v[r] != Column.missingInteger { appendInteger(Int64(v[r]), to: &out.bytes) }
                end()
            }
        case .smallIntegers(let v):
            for r in 0..<rows {
                if hasUnparsed, let raw = c.unparsed[Int32(r)] { appendField(raw, to: &out.bytes) }
                else if r < v.count, v[r] != Column.missingSmallInteger { appendInteger(Int64(v[r]), to: &out.bytes) }
                end()
            }
        case .times(let v):
            for r in 0..<rows {
                if hasUnparsed, let raw = c.unparsed[Int32(r)] { appendField(raw, to: &out.bytes) }
                else if r < v.count, v[r] >= 0 { appendTime(v[r], to: &out.bytes) }
                end()
            }
        case .dates(let v):
            for r in 0..<rows {
                if hasUnparsed, let raw = c.unparsed[Int32(r)] { appendField(raw, to: &out.bytes) }
                else if r < v.count, v[r] >= 0 { appendInteger(Int64(v[r]), to: &out.bytes) }
                end()
            }
        case .reals(let v):
            for r in 0..<rows {
                if hasUnparsed, let raw = c.unparsed[Int32(r)] { appendField(raw, to: &out.bytes) }
                else if r < v.count, !v[r].isNaN { out.bytes.append(contentsOf: formatReal(v[r]).utf8) }
                end()
            }
        }
        return out
    }

    /// Every file of the feed with its bytes, in writing order.
    public static func files(_ feed: Feed) -> [(path: String, data: [UInt8])] {
        var files: [(path: String, data: [UInt8])] = feed.orderedTables.map { ($0.name, csv($0)) }
        for e in feed.extraFiles.sorted(by: { $0.name < $1.name }) { files.append((e.name, e.bytes)) }
        return files
    }

    /// Writes `feed` to `path`: a `.zip` archive when the path ends in `.zip`, else a directory.
    /// An existing output is replaced only once the new one is complete.
    /// - Throws: ``GTFSError/writeFailed(path:reason:)``; nothing is left half-written.
    public static func write(_ feed: Feed, to path: String) throws(GTFSError) {
        let files = files(feed)
        if path.lowercased().hasSuffix(".zip") {
            do { try ZipWriter.write(files, to: path) } catch { throw .writeFailed(path: path, reason: "\(error)") }
            return
        }
        try writeDirectory(files, to: path)
    }

    static func writeDirectory(_ files: [(path: String, data: [UInt8])], to path: String) throws(GTFSError) {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let temporary = trimmed + ".partial-\(processID())"
        let backup = trimmed + ".previous-\(processID())"
        // The parent folder must exist: a mistyped path should fail, not create folders.
        let parent = trimmed.lastIndex(of: "/").map { String(trimmed[..<$0]) } ?? "."
        guard parent.isEmpty || FileSystem.isDirectory(parent) else {
            throw .writeFailed(path: path, reason: "the folder '\(parent)' does not exist")
        }
        do {
            if FileSystem.exists(temporary) { try FileSystem.removeTree(temporary) }
            try FileSystem.makeDirectory(temporary)
            for f in files {
                let target = temporary + "/" + f.path
                if let slash = f.path.lastIndex(of: "/") {
                    try FileSystem.makeDirectory(temporary + "/" + f.path[..<slash])
                }
                try FileSystem.writeAtomically(f.data, to: target)
            }
            if FileSystem.exists(trimmed) {
                guard FileSystem.isDirectory(trimmed) else {
                    try? FileSystem.removeTree(temporary)
                    throw GTFSError.writeFailed(path: path, reason: "a file (not a folder) is in the way")
                }
                try FileSystem.rename(trimmed, backup)
                do {
                    try FileSystem.rename(temporary, trimmed)
                } catch {
                    try? FileSystem.rename(backup, trimmed)
                    throw error
                }
                try? FileSystem.removeTree(backup)
            } else {
                try FileSystem.rename(temporary, trimmed)
            }
        } catch let e as GTFSError {
            try? FileSystem.removeTree(temporary)
            throw e
        } catch {
            try? FileSystem.removeTree(temporary)
            throw .writeFailed(path: path, reason: "\(error)")
        }
    }

    static func appendField(_ s: String, to out: inout [UInt8]) {
        var needsQuotes = false
        var first = true
        var lastByte: UInt8 = 0
        for b in s.utf8 {
            if b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needsQuotes = true; break }
            if first, b == 0x20 || b == 0x09 { needsQuotes = true; break }
            first = false
            lastByte = b
        }
        if !needsQuotes, lastByte == 0x20 || lastByte == 0x09 { needsQuotes = true }
        if !needsQuotes {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(0x22)
        for b in s.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        var v = v
        if v < 0 { out.append(0x2D); v = -v }
        if v < 10 { out.append(0x30 + UInt8(v)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 && n < 20 {
                buf[n] = 0x30 + UInt8(v % 10)
                v /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }

    static func appendTime(_ seconds: Int32, to out: inout [UInt8]) {
        let h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60
        if h < 10 { out.append(0x30) }
        appendInteger(Int64(h), to: &out)
        out.append(0x3A)
        out.append(0x30 + UInt8(m / 10)); out.append(0x30 + UInt8(m % 10))
        out.append(0x3A)
        out.append(0x30 + UInt8(s / 10)); out.append(0x30 + UInt8(s % 10))
    }
}
