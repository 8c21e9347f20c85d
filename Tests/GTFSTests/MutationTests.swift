import Foundation
@testable import GTFS
import Testing
import ZipArchive

/// Bad input never crashes and never loses data: hundreds of randomly damaged feeds (bytes
/// inserted, deleted and replaced, quotes unbalanced, NULs, invalid UTF-8, stray line ends)
/// must load, and whatever was read must survive a write and a second read unchanged.
@Suite("Damaged feeds")
struct MutationTests {
    /// A small deterministic generator (SplitMix64), so every failure is reproducible by seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let nasty: [[UInt8]] = [[0x2C], [0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0x00], [0xFF], [0xC3], [0x20],
                                   [0x3A], [0x2D], [0x22, 0x22], [0xEF, 0xBB, 0xBF], [0x39, 0x39, 0x3A, 0x39, 0x39]]

    static func mutate(_ bytes: [UInt8], _ g: inout Generator) -> [UInt8] {
        var b = bytes
        for _ in 0..<(1 + g.below(4)) {
            let at = g.below(b.count + 1)
            switch g.below(4) {
            case 0: b.insert(contentsOf: nasty[g.below(nasty.count)], at: at)
            case 1: if at < b.count { b.removeSubrange(at..<min(b.count, at + 1 + g.below(6))) }
            case 2: if at < b.count { b[at] = nasty[g.below(nasty.count)][0] }
            default:
                // Duplicate a line (duplicate keys) or drop the tail (truncation).
                if g.below(2) == 0, let nl = b[at...].firstIndex(of: 0x0A) { b.insert(contentsOf: b[..<nl].suffix(40), at: nl) } else { b.removeSubrange(at...) }
            }
        }
        return b
    }

    /// Where two feeds first differ, briefly (the full dump is unreadable).
    static func difference(_ a: Feed, _ b: Feed) -> String {
        for name in Set(a.tables.keys).union(b.tables.keys).sorted() {
            guard let x = a.tables[name], let y = b.tables[name] else { return "\(name) present in one feed only" }
            if x == y { continue }
            if x.rowCount != y.rowCount { return "\(name): \(x.rowCount) rows read, \(y.rowCount) after writing" }
            if x.columns.map(\.name) != y.columns.map(\.name) { return "\(name): columns \(x.columns.map(\.name)) vs \(y.columns.map(\.name))" }
            for (cx, cy) in zip(x.columns, y.columns) where cx != cy {
                for r in 0..<x.rowCount where cx.text(row: r) != cy.text(row: r) {
                    return "\(name) column '\(cx.name)' row \(r): '\(cx.text(row: r))' vs '\(cy.text(row: r))'"
                }
                return "\(name) column '\(cx.name)': same text, different storage (\(cx.unparsed) vs \(cy.unparsed))"
            }
        }
        return "extra files differ"
    }

    @Test("damaged feeds load, and a write and re-read gives back exactly what was read", arguments: 0..<16)
    func damaged(batch: Int) throws {
        var g = Generator(state: UInt64(batch) &* 7919 &+ 17)
        let files = ["stops.txt", "stop_times.txt", "trips.txt", "calendar.txt", "routes.txt", "agency.txt"]
        for iteration in 0..<60 {
            let f = try FeedFixture()
            defer { f.remove() }
            for _ in 0..<(1 + g.below(3)) {
                let name = files[g.below(files.count)]
                let original = Array((FeedFixture.base[name] ?? "").utf8)
                try f.write(name, bytes: Self.mutate(original, &g))
            }
            let seed = "batch \(batch) iteration \(iteration)"
            let first = try FeedReader.load(f.path)
            #expect(first.report.counts.values.allSatisfy { $0 > 0 }, "\(seed)")
            let out = f.directory.appendingPathComponent("out.zip").path
            try FeedWriter.write(first.feed, to: out)
            let second = try FeedReader.load(out)
            #expect(second.feed == first.feed, "\(seed): \(Self.difference(first.feed, second.feed))")
        }
    }
}
