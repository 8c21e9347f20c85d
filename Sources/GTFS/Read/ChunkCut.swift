/// Finds where a chunk of a CSV file may be cut: after the last line end outside quotes.
///
/// Incremental: the loader appends bytes to a chunk until it holds a complete row, and each
/// ``advance(_:)`` scans only the bytes added since the last call, carrying the quote state
/// over. So a row tens of megabytes long (one long value, quoted or not) is scanned once, in
/// time linear in its length, instead of once per appended read.
struct CutScanner {
    /// Bytes before this offset have been scanned.
    private(set) var scanned = 0
    /// Whether `scanned` lies inside a quoted field (every `"` toggles, as RFC 4180's `""` does twice).
    private var inside = false
    /// The best cut found so far (0: none).
    private(set) var cut = 0

    /// Scans the bytes of `buffer` added since the last call and returns the end of the last
    /// complete row outside quotes, excluding a final CR (whose LF may come with the next read);
    /// 0 when there is none yet. `buffer` must only have grown since the last call.
    /// - Complexity: O(bytes added since the last call).
    mutating func advance(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 1 else { return cut }
        let n = buffer.count
        // The last byte is left for the next call: a CR there may be half of a CRLF.
        let end = n - 1
        guard scanned < end else { return cut }
        if !inside, memchrByte(base + scanned, 0x22, n - scanned) == nil {
            // No quote in the new bytes: the last line end among them is the cut.
            var i = end - 1
            while i >= scanned {
                let c = base[i]
                if c == 0x0A || (c == 0x0D && base[i + 1] != 0x0A) { cut = i + 1; break }
                i -= 1
            }
            scanned = end
            return cut
        }
        // Quotes: walk forward tracking whether we are inside a quoted field.
        var i = scanned
        var inside = self.inside
        var cut = self.cut
        while i < end {
            let c = base[i]
            if c == 0x22 {
                inside.toggle()
            } else if !inside, c == 0x0A || (c == 0x0D && base[i + 1] != 0x0A) {
                cut = i + 1
            }
            i += 1
        }
        self.inside = inside
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
