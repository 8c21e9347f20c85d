import GTFS
import Testing

/// Merging reports (a file's chunks, then the files of a feed) keeps the order the findings
/// were found in: the printed report must not depend on hash order, which changes from one run
/// of the process to the next.
@Suite("ValidationReport.merge")
struct ReportMergeTests {
    static func finding(_ code: String, line: Int, _ message: String) -> Finding {
        Finding(.error, code, file: "stops.txt", line: line, message: message)
    }

    @Test("findings of different codes keep their found order, not grouped by code")
    func foundOrder() {
        var part = ValidationReport()
        part.add(Self.finding("invalid_row_length", line: 9, "a"))
        part.add(Self.finding("invalid_character", line: 9, "b"))
        part.add(Self.finding("invalid_row_length", line: 9, "c"))
        part.add(Self.finding("missing_required_field", line: 9, "d"))
        var merged = ValidationReport()
        merged.add(Self.finding("invalid_character", line: 2, "first"))
        merged.merge(part)
        #expect(merged.findings.map(\.message) == ["first", "a", "b", "c", "d"])
        #expect(merged.sorted.map(\.message) == ["first", "a", "b", "c", "d"])
        #expect(merged.counts == ["invalid_row_length": 2, "invalid_character": 2, "missing_required_field": 1])
        #expect(merged.errorCount == 5)
    }

    @Test("the per-code cap counts what is already there and keeps the earliest of the merged part")
    func capAcrossMerge() {
        var part = ValidationReport(maxPerCode: 3)
        for i in 1...3 { part.add(Self.finding("x", line: i, "x\(i)")) }
        part.add(Self.finding("y", line: 4, "y1"))
        part.add(Self.finding("x", line: 5, "x4 (only counted)"))
        var merged = ValidationReport(maxPerCode: 3)
        merged.add(Self.finding("x", line: 1, "x0"))
        merged.merge(part)
        #expect(merged.findings.map(\.message) == ["x0", "x1", "x2", "y1"])
        #expect(merged.counts["x"] == 5)
        #expect(merged.counts["y"] == 1)
    }
}
