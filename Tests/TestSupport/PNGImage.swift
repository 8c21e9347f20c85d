/// A decoded PNG image (8-bit greyscale, RGB, palette, grey + alpha or RGBA; not interlaced):
/// enough to look at the screenshots headless Chromium takes. Inflate is written out here
/// (after zlib's `puff.c`) so the test support needs no C module.
public struct PNGImage: Sendable {
    /// Why a PNG could not be decoded.
    public struct Failure: Error, CustomStringConvertible {
        /// What was wrong.
        public var description: String
    }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// One RGBA value per pixel, row by row: red in the high byte, alpha in the low byte.
    public let pixels: [UInt32]

    /// The RGBA value at column `x`, row `y` (red in the high byte); 0 outside the image.
    public func pixel(x: Int, y: Int) -> UInt32 {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return pixels[y * width + x]
    }

    /// Decodes PNG `bytes`.
    /// - Throws: ``Failure`` on a damaged file or a kind of PNG this decoder does not read
    ///   (16-bit samples, fewer than 8 bits per sample, interlacing).
    public init(bytes: [UInt8]) throws {
        let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
        guard bytes.count > 8, Array(bytes[0..<8]) == signature else { throw Failure(description: "not a PNG file") }
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        var at = 8
        var header: (width: Int, height: Int, depth: Int, colour: Int, interlace: Int)?
        var palette: [UInt32] = []
        var data: [UInt8] = []
        while at + 8 <= bytes.count {
            let length = u32(at)
            let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            let start = at + 8
            guard length >= 0, start + length + 4 <= bytes.count else { throw Failure(description: "chunk \(type) runs past the end") }
            switch type {
            case "IHDR":
                guard length >= 13 else { throw Failure(description: "short IHDR") }
                header = (u32(start), u32(start + 4), Int(bytes[start + 8]), Int(bytes[start + 9]), Int(bytes[start + 12]))
            case "PLTE":
                var i = start
                while i + 2 < start + length {
                    palette.append(UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | 0xFF)
                    i += 3
                }
            case "IDAT":
                data.append(contentsOf: bytes[start..<(start + length)])
            default:
                break
            }
            at = start + length + 4
            if type == "IEND" { break }
        }
        guard let header else { throw Failure(description: "no IHDR chunk") }
        guard header.depth == 8 else { throw Failure(description: "\(header.depth)-bit samples are not supported") }
        guard header.interlace == 0 else { throw Failure(description: "interlaced PNGs are not supported") }
        let channels: Int
        switch header.colour {
        case 0: channels = 1
        case 2: channels = 3
        case 3: channels = 1
        case 4: channels = 2
        case 6: channels = 4
        default: throw Failure(description: "colour type \(header.colour) is not a PNG colour type")
        }
        guard header.width > 0, header.height > 0, header.width <= 1 << 15, header.height <= 1 << 16 else {
            throw Failure(description: "size \(header.width)×\(header.height) is out of range")
        }
        guard data.count > 2, data[0] & 0x0F == 8, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0 else {
            throw Failure(description: "IDAT is not a zlib stream")
        }
        let rowBytes = header.width * channels
        let raw = try Inflate.run(Array(data[2...]), expected: header.height * (rowBytes + 1))
        guard raw.count == header.height * (rowBytes + 1) else {
            throw Failure(description: "image data holds \(raw.count) bytes, expected \(header.height * (rowBytes + 1))")
        }
        let rows = try Self.unfilter(raw, rowBytes: rowBytes, height: header.height, bytesPerPixel: channels)
        var pixels = [UInt32](repeating: 0, count: header.width * header.height)
        for i in 0..<(header.width * header.height) {
            let p = i * channels
            switch header.colour {
            case 0:
                let g = UInt32(rows[p])
                pixels[i] = g << 24 | g << 16 | g << 8 | 0xFF
            case 2:
                pixels[i] = UInt32(rows[p]) << 24 | UInt32(rows[p + 1]) << 16 | UInt32(rows[p + 2]) << 8 | 0xFF
            case 3:
                let index = Int(rows[p])
                pixels[i] = index < palette.count ? palette[index] : 0
            case 4:
                let g = UInt32(rows[p])
                pixels[i] = g << 24 | g << 16 | g << 8 | UInt32(rows[p + 1])
            default:
                pixels[i] = UInt32(rows[p]) << 24 | UInt32(rows[p + 1]) << 16 | UInt32(rows[p + 2]) << 8 | UInt32(rows[p + 3])
            }
        }
        width = header.width
        height = header.height
        self.pixels = pixels
    }

    /// Undoes the per-row PNG filters (none, sub, up, average, Paeth) of `raw`.
    private static func unfilter(_ raw: [UInt8], rowBytes: Int, height: Int, bytesPerPixel bpp: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rowBytes * height)
        try raw.withUnsafeBufferPointer { source in
            try out.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let filter = source[y * (rowBytes + 1)]
                    let s = y * (rowBytes + 1) + 1
                    let t = y * rowBytes
                    for x in 0..<rowBytes {
                        let a = x >= bpp ? Int(target[t + x - bpp]) : 0
                        let b = y > 0 ? Int(target[t + x - rowBytes]) : 0
                        let c = (x >= bpp && y > 0) ? Int(target[t + x - rowBytes - bpp]) : 0
                        let predictor: Int
                        switch filter {
                        case 0: predictor = 0
                        case 1: predictor = a
                        case 2: predictor = b
                        case 3: predictor = (a + b) / 2
                        case 4:
                            let p = a + b - c
                            let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                            predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                        default: throw Failure(description: "row \(y) has unknown filter \(filter)")
                        }
                        target[t + x] = UInt8(truncatingIfNeeded: Int(source[s + x]) + predictor)
                    }
                }
            }
        }
        return out
    }
}

/// How varied an image's colours are on a regular grid of samples: what tells a blank
/// screenshot from a drawn one.
public struct ColourSample: Sendable, Equatable {
    /// How many different RGBA values the samples hold.
    public var distinctColours: Int
    /// The share (0…1) of samples that have the most common colour.
    public var dominantShare: Double
    /// How many pixels were sampled.
    public var samples: Int

    /// A blank image: fewer than 3 colours, or one colour on at least 99.5 % of the samples.
    public var isBlank: Bool { distinctColours < 3 || dominantShare >= 0.995 }

    /// Samples every `step`-th pixel of every `step`-th row of `image`.
    public init(_ image: PNGImage, step: Int = 4) {
        let step = max(1, step)
        var counts: [UInt32: Int] = [:]
        var samples = 0
        var y = 0
        while y < image.height {
            var x = 0
            while x < image.width {
                counts[image.pixels[y * image.width + x], default: 0] += 1
                samples += 1
                x += step
            }
            y += step
        }
        self.samples = samples
        distinctColours = counts.count
        dominantShare = samples == 0 ? 1 : Double(counts.values.max() ?? 0) / Double(samples)
    }
}

/// Raw DEFLATE (RFC 1951) decoding, after Mark Adler's `puff.c`: stored, fixed and dynamic
/// Huffman blocks. Slow next to zlib but plenty for a screenshot.
enum Inflate {
    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                     35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                      3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                       257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                       8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// A canonical Huffman code: how many codes of each length, and the symbols in code order.
    private struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        /// A code with no symbols (a fallback never used: the fixed codes always build).
        static let empty = Huffman()

        private init() { symbol = [] }

        init(lengths: [Int]) throws {
            symbol = [Int](repeating: 0, count: lengths.count)
            for length in lengths { count[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left = left * 2 - count[length]
                guard left >= 0 else { throw PNGImage.Failure(description: "over-subscribed Huffman code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + count[length] }
            for (value, length) in lengths.enumerated() where length != 0 {
                symbol[offsets[length]] = value
                offsets[length] += 1
            }
        }
    }

    /// The bit reader and the output.
    private struct State {
        var input: [UInt8]
        var position = 0
        var bitBuffer = 0
        var bitCount = 0
        var output: [UInt8]

        mutating func bits(_ need: Int) throws -> Int {
            var value = bitBuffer
            while bitCount < need {
                guard position < input.count else { throw PNGImage.Failure(description: "deflate stream ends early") }
                value |= Int(input[position]) << bitCount
                position += 1
                bitCount += 8
            }
            bitBuffer = value >> need
            bitCount -= need
            return value & ((1 << need) - 1)
        }

        mutating func decode(_ code: Huffman) throws -> Int {
            var bits = 0, first = 0, index = 0
            for length in 1..<16 {
                bits |= try self.bits(1)
                let count = code.count[length]
                if bits - count < first { return code.symbol[index + (bits - first)] }
                index += count
                first = (first + count) << 1
                bits <<= 1
            }
            throw PNGImage.Failure(description: "invalid Huffman code")
        }
    }

    /// Inflates the raw deflate stream `input` (`expected` is a capacity hint).
    static func run(_ input: [UInt8], expected: Int) throws -> [UInt8] {
        var state = State(input: input, output: [])
        state.output.reserveCapacity(expected)
        var last = 0
        repeat {
            last = try state.bits(1)
            switch try state.bits(2) {
            case 0: try stored(&state)
            case 1: try codes(&state, fixedLength, fixedDistance)
            case 2:
                let (length, distance) = try dynamic(&state)
                try codes(&state, length, distance)
            default: throw PNGImage.Failure(description: "invalid deflate block type")
            }
        } while last == 0
        return state.output
    }

    private static func stored(_ state: inout State) throws {
        state.bitBuffer = 0
        state.bitCount = 0
        guard state.position + 4 <= state.input.count else { throw PNGImage.Failure(description: "stored block ends early") }
        let p = state.position
        let length = Int(state.input[p]) | Int(state.input[p + 1]) << 8
        let check = Int(state.input[p + 2]) | Int(state.input[p + 3]) << 8
        guard length == (~check & 0xFFFF) else { throw PNGImage.Failure(description: "stored block length check fails") }
        guard p + 4 + length <= state.input.count else { throw PNGImage.Failure(description: "stored block ends early") }
        state.output.append(contentsOf: state.input[(p + 4)..<(p + 4 + length)])
        state.position = p + 4 + length
    }

    private static let fixedLength: Huffman = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return (try? Huffman(lengths: lengths)) ?? Huffman.empty
    }()

    private static let fixedDistance: Huffman = (try? Huffman(lengths: [Int](repeating: 5, count: 30))) ?? Huffman.empty

    private static func dynamic(_ state: inout State) throws -> (Huffman, Huffman) {
        let lengthCount = try state.bits(5) + 257
        let distanceCount = try state.bits(5) + 1
        let codeCount = try state.bits(4) + 4
        guard lengthCount <= 286, distanceCount <= 30 else { throw PNGImage.Failure(description: "bad dynamic block counts") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[codeLengthOrder[i]] = try state.bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < lengthCount + distanceCount {
            let symbol = try state.decode(lengthCode)
            if symbol < 16 {
                lengths.append(symbol)
                continue
            }
            var value = 0, repeats = 0
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw PNGImage.Failure(description: "repeat with no previous length") }
                value = previous
                repeats = 3 + (try state.bits(2))
            case 17: repeats = 3 + (try state.bits(3))
            default: repeats = 11 + (try state.bits(7))
            }
            guard lengths.count + repeats <= lengthCount + distanceCount else { throw PNGImage.Failure(description: "too many lengths") }
            lengths.append(contentsOf: repeatElement(value, count: repeats))
        }
        guard lengths[256] != 0 else { throw PNGImage.Failure(description: "no end-of-block code") }
        return (try Huffman(lengths: Array(lengths[0..<lengthCount])),
                try Huffman(lengths: Array(lengths[lengthCount...])))
    }

    private static func codes(_ state: inout State, _ length: Huffman, _ distance: Huffman) throws {
        while true {
            let symbol = try state.decode(length)
            if symbol < 256 {
                state.output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw PNGImage.Failure(description: "bad length symbol") }
                let count = lengthBase[index] + (try state.bits(lengthExtra[index]))
                let d = try state.decode(distance)
                guard d < 30 else { throw PNGImage.Failure(description: "bad distance symbol") }
                let back = distanceBase[d] + (try state.bits(distanceExtra[d]))
                guard back <= state.output.count else { throw PNGImage.Failure(description: "distance too far back") }
                let from = state.output.count - back
                for i in 0..<count { state.output.append(state.output[from + i]) }
            }
        }
    }
}
