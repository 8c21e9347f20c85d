/// Finds where a chunk of a CSV file may be cut: after the last line end that ends a row.
///
/// It reads quotes exactly as ``CSVScanner`` does, so that every cut falls where the scanner
/// would end a row reading the whole file: a quote opens a quoted field only at the start of a
/// field (after optional padding); inside one, `""` is a quote and a lone `"` closes it; text
/// after the closing quote, and quotes inside an unquoted value (`12" sub`), are literal. (A
/// scanner that toggled on every quote cut inside rows after such a value; found by fuzzing.)
///
/// Incremental: the loader appends bytes to a chunk until it holds a complete row, and each
/// ``advance(_:)`` scans only the bytes added since the last call, carrying the state over. So
/// a row tens of megabytes long (one long value, quoted or not) is scanned once, in time linear
/// in its length, instead of once per appended read.
struct CutScanner {
    /// Where the scan stands in the CSV grammar.
    private enum State {
        /// At the start of a field (a row's, or after a comma), before any byte but padding.
        case fieldStart
        /// In an unquoted value, or in text after a closing quote: quotes are literal.
        case unquoted
        /// Inside a quoted field: line ends and commas are part of the value.
        case quoted
        /// Just after a quote inside a quoted field: `"` again is an escaped quote; anything
        /// else means the field was closed.
        case quoteInQuoted
    }

    /// Bytes before this offset have been scanned.
    private(set) var scanned = 0
    /// The state at `scanned`.
    private var state = State.fieldStart
    /// The best cut found so far (0: none).
    private(set) var cut = 0
    /// Whether a UTF-8 byte-order mark at offset 0 is still to be skipped, as the header's
    /// scanner skips it (else a quote after it would open no field here but one there).
    private var skipsBOM: Bool

    /// A scanner for a chunk; `atFileStart` for a file's first chunk, whose byte-order mark
    /// (if any) is not part of the first field.
    init(atFileStart: Bool = false) {
        skipsBOM = atFileStart
    }

    /// Scans the bytes of `buffer` added since the last call and returns the end of the last
    /// complete row, excluding a final CR (whose LF may come with the next read); 0 when there
    /// is none yet. `buffer` must only have grown since the last call.
    /// - Complexity: O(bytes added since the last call).
    mutating func advance(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 1 else { return cut }
        let n = buffer.count
        if skipsBOM {
            guard n >= 3 else { return cut } // not yet known whether the file starts with one
            scanned = utf8BOMLength(buffer)
            skipsBOM = false
        }
        // The last byte is left for the next call: a CR there may be half of a CRLF.
        let end = n - 1
        guard scanned < end else { return cut }
        if state == .fieldStart || state == .unquoted, memchrByte(base + scanned, 0x22, n - scanned) == nil {
            // No quote in the new bytes: the last line end among them is the cut, and the state
            // at the end follows from the last byte that is not padding.
            var i = end - 1
            while i >= scanned {
                let c = base[i]
                if c == 0x0A || (c == 0x0D && base[i + 1] != 0x0A) { cut = i + 1; break }
                i -= 1
            }
            var j = end - 1
            while j >= scanned, base[j] == 0x20 || base[j] == 0x09 { j -= 1 }
            if j >= scanned { state = base[j] == 0x2C || base[j] == 0x0A || base[j] == 0x0D ? .fieldStart : .unquoted }
            scanned = end
            return cut
        }
        var i = scanned
        var state = self.state
        var cut = self.cut
        while i < end {
            let c = base[i]
            i += 1
            if state == .quoted {
                if c == 0x22 { state = .quoteInQuoted }
                continue
            }
            if state == .quoteInQuoted {
                if c == 0x22 { state = .quoted; continue }
                state = .unquoted // closed: this byte is read as text after the closing quote
            }
            switch c {
            case 0x2C:
                state = .fieldStart
            case 0x0A:
                state = .fieldStart
                cut = i
            case 0x0D:
                state = .fieldStart
                if base[i] != 0x0A { cut = i } // i < n here: a CRLF is cut after its LF
            case 0x22:
                if state == .fieldStart { state = .quoted }
            case 0x20, 0x09:
                break // padding keeps a field's start
            default:
                state = .unquoted
            }
        }
        self.state = state
        self.cut = cut
        scanned = end
        return cut
    }
}

extension LoadPipeline {
    /// The end of the last complete row in `buffer` that is not inside quotes, excluding a
    /// final CR (whose LF may be in the next chunk); 0 when there is none. O(n).
    static func safeCut(_ buffer: [UInt8]) -> Int {
        var scanner = CutScanner()
        return buffer.withUnsafeBufferPointer { scanner.advance($0) }
    }
}

extension LoadPipeline {
    /// Whether `buffer[..<end]` holds anything but a UTF-8 byte-order mark and blank lines
    /// (CR and LF), that is the start of a row. `scanned` is how far earlier calls on the same
    /// growing buffer found only those (start at 0); it is advanced, so a long run of blank
    /// lines is scanned once. O(1) for a usual file, whose first byte starts a row.
    static func holdsRow(_ buffer: [UInt8], before end: Int, scanned: inout Int) -> Bool {
        var i = scanned
        if i == 0 { i = buffer.withUnsafeBufferPointer(utf8BOMLength) }
        let limit = min(end, buffer.count)
        while i < limit {
            if buffer[i] != 0x0D && buffer[i] != 0x0A { return true }
            i += 1
        }
        scanned = max(scanned, i)
        return false
    }
}

/// 3 when `bytes` starts with a UTF-8 byte-order mark, else 0: the one test the header's scanner
/// and the cut search share, so they agree on where the first field starts.
func utf8BOMLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
}

/// Zero bytes to extend a chunk buffer in place: as many as one read asks for.
private let zeroBytes = [UInt8](repeating: 0, count: LoadPipeline.chunkSize)

extension Array where Element == UInt8 {
    /// Appends up to `count` bytes written by `body` (which returns how many it wrote).
    ///
    /// The first append to a buffer writes straight into fresh storage of exactly the size
    /// needed, never zero-filled. When the buffer must grow again (a row longer than a chunk),
    /// its capacity at least doubles, and later appends that fit are written in place: a row
    /// of any length costs amortised O(1) copies per byte, not one copy of the whole buffer
    /// per read.
    mutating func withUnsafeMutableBufferPointerAppending<E: Error>(
        count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) throws(E) -> Int
    ) throws(E) {
        let old = self.count
        var failure: E?
        var written = 0
        if capacity - old >= count, old > 0, count <= zeroBytes.count {
            // Room already (the buffer grew geometrically before): write in place, after
            // extending the count with a block copy (a zero fill element by element is slow
            // in a debug build).
            append(contentsOf: zeroBytes[0..<count])
            withUnsafeMutableBufferPointer { all in
                guard let base = all.baseAddress else { return }
                do throws(E) {
                    written = try body(UnsafeMutableBufferPointer(start: base + old, count: count))
                } catch {
                    failure = error
                }
            }
            removeLast(count - Swift.max(0, Swift.min(written, count)))
            if let failure { throw failure }
            return
        }
        let wanted = old + count
        let grown = [UInt8](unsafeUninitializedCapacity: old == 0 ? wanted : Swift.max(wanted, 2 * old)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            self.withUnsafeBufferPointer { current in
                if let c = current.baseAddress, old > 0 { base.initialize(from: c, count: old) }
            }
            do throws(E) {
                written = try body(UnsafeMutableBufferPointer(start: base + old, count: count))
            } catch {
                failure = error
            }
            initialized = old + Swift.max(0, Swift.min(written, count))
        }
        self = grown
        if let failure { throw failure }
    }
}
