@testable import GTFS
import Testing

/// Splits `text` into rows of field strings with the scanner, plus the line of each row.
private func scan(_ text: String) -> (rows: [[String]], lines: [Int], defects: [CSVDefect.Kind]) {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { b in
        guard let base = b.baseAddress else { return ([], [], []) }
        var scanner = CSVScanner(base: base, count: b.count)
        let fields = UnsafeMutablePointer<CSVField>.allocate(capacity: 64)
        defer { fields.deallocate() }
        var rows: [[String]] = []
        var lines: [Int] = []
        while let n = scanner.nextRow(into: fields, capacity: 64) {
            rows.append((0..<min(n, 64)).map { scanner.string(fields[$0]) })
            lines.append(scanner.rowLine)
        }
        return (rows, lines, scanner.defects.map(\.kind))
    }
}

@Suite("CSV scanner")
struct CSVScannerTests {
    @Test("LF, CRLF and bare CR line ends, mixed, with and without a final newline")
    func lineEnds() {
        let r = scan("a,b\r\nc,d\re,f\ng,h")
        #expect(r.rows == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(r.lines == [1, 2, 3, 4])
    }

    @Test("blank lines are skipped but counted for line numbers")
    func blankLines() {
        let r = scan("a,b\n\n\r\n\nc,d\n\n")
        #expect(r.rows == [["a", "b"], ["c", "d"]])
        #expect(r.lines == [1, 5])
    }

    @Test("RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes")
    func quoting() {
        let r = scan("\"a,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nnext,row\n")
        #expect(r.rows == [["a,1", "say \"hi\"", "two\nlines"], ["next", "row"]])
        #expect(r.lines == [1, 3])
    }

    @Test("empty fields, quoted or not, and a trailing comma")
    func emptyFields() {
        let r = scan("a,,\"\",b,\n")
        #expect(r.rows == [["a", "", "", "b", ""]])
    }

    @Test("padding spaces around unquoted values and after a closing quote are dropped")
    func padding() {
        let r = scan(" a ,b   ,\"c\" ,  \"d\"\t\n")
        #expect(r.rows == [["a", "b", "c", "d"]])
        #expect(r.defects.isEmpty)
    }

    @Test("a quote inside an unquoted value is kept as text")
    func bareQuotes() {
        let r = scan("a\"b\"c,x\n")
        #expect(r.rows == [["a\"b\"c", "x"]])
    }

    @Test("text after a closing quote is a defect and is kept verbatim")
    func textAfterQuote() {
        let r = scan("\"a\"b\"c\",x\n")
        #expect(r.defects == [.textAfterClosingQuote])
        #expect(r.rows.first?.last == "x")
        #expect(r.rows.first?.first?.hasPrefix("\"a\"b") == true)
    }

    @Test("an unterminated quote is a defect; rows after its line are still read")
    func unterminatedQuote() {
        let r = scan("a,\"open\nb,c\n")
        #expect(r.defects == [.unterminatedQuote])
        #expect(r.rows.count == 2)
        #expect(r.rows.last == ["b", "c"])
    }
}
