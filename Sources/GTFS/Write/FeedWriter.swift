import ZipArchive

/// Writes feeds as a directory of `.txt` files or as a `.zip`, atomically: the output appears
/// complete or not at all.
///
/// Files are UTF-8 without a byte-order mark, LF line ends, a final newline; fields are quoted
/// only when RFC 4180 needs it (a comma, quote or line end) or when padding spaces would
/// otherwise be trimmed on reading. Values that did not parse are written back as they were.
public enum FeedWriter {
    /// The CSV text of one table.
    /// - Complexity: O(rows × columns).
    public static func csv(_ table: Table) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(table.rowCount * max(1, table.columns.count) * 8 + 64)
        for (k, c) in table.columns.enumerated() {
            if k > 0 { out.append(0x2C) }
            appendField(c.name, to: &out)
        }
        out.append(0x0A)
        // Render each column through a per-type fast path.
        for r in 0..<table.rowCount {
            for (k, c) in table.columns.enumerated() {
                if k > 0 { out.append(0x2C) }
                if !c.unparsed.isEmpty, let raw = c.unparsed[Int32(r)] {
                    appendField(raw, to: &out)
                    continue
                }
                switch c.data {
                case .strings(let s):
                    let code = s.codes[r]
                    if code >= 0, Int(code) < s.values.count { appendField(s.values[Int(code)], to: &out) }
                case .integers(let v):
                    if v[r] != Column.missingInteger { appendInteger(Int64(v[r]), to: &out) }
                case .smallIntegers(let v):
                    if v[r] != Column.missingSmallInteger { appendInteger(Int64(v[r]), to: &out) }
                case .times(let v):
                    if v[r] >= 0 { appendTime(v[r], to: &out) }
                case .dates(let v):
                    if v[r] >= 0 { appendInteger(Int64(v[r]), to: &out) }
                case .reals(let v):
                    if !v[r].isNaN { out.append(contentsOf: formatReal(v[r]).utf8) }
                }
            }
            out.append(0x0A)
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
        guard parent.isEmpty || BinaryFile.isDirectory(parent) else {
            throw .writeFailed(path: path, reason: "the folder '\(parent)' does not exist")
        }
        do {
            if BinaryFile.exists(temporary) { try BinaryFile.removeTree(temporary) }
            try BinaryFile.makeDirectory(temporary)
            for f in files {
                let target = temporary + "/" + f.path
                if let slash = f.path.lastIndex(of: "/") {
                    try BinaryFile.makeDirectory(temporary + "/" + f.path[..<slash])
                }
                try BinaryFile.writeAtomically(f.data, to: target)
            }
            if BinaryFile.exists(trimmed) {
                guard BinaryFile.isDirectory(trimmed) else {
                    try? BinaryFile.removeTree(temporary)
                    throw GTFSError.writeFailed(path: path, reason: "a file (not a folder) is in the way")
                }
                try BinaryFile.rename(trimmed, backup)
                do {
                    try BinaryFile.rename(temporary, trimmed)
                } catch {
                    try? BinaryFile.rename(backup, trimmed)
                    throw error
                }
                try? BinaryFile.removeTree(backup)
            } else {
                try BinaryFile.rename(temporary, trimmed)
            }
        } catch let e as GTFSError {
            try? BinaryFile.removeTree(temporary)
            throw e
        } catch {
            try? BinaryFile.removeTree(temporary)
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
