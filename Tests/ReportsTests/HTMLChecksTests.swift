import Charts
import Testing

/// The shared HTML checks on small good and bad pages.
@Suite("HTML checks")
struct HTMLChecksTests {
    static func page(_ body: String, head: String = "<title>t</title>") -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\(head)</head>\n<body>\n\(body)\n</body>\n</html>\n"
    }

    static let good = page("""
        <!-- a comment with <b> and </i> in it -->
        <h1 class="x">Title &amp; more</h1>
        <p>One<br>two<img alt='a "quoted" alt' width=3></p>
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>T</title><rect x="1" y="1" width="2" height="2"/><linearGradient id="g"></linearGradient></svg>
        <input type="radio" name="s" id="s-0" checked><label for="s-0">A</label>
        <a href="#section">jump</a>
        <script>if (1 < 2 && "</p>".length) { console.log("<div>"); }</script>
        <style>a > b { color: red; }</style>
        """)

    @Test("a good page has no problems, no external references, one SVG")
    func goodPage() {
        #expect(HTMLChecks.problems(Self.good) == [])
        #expect(HTMLChecks.externalReferences(Self.good) == [])
        #expect(HTMLChecks.svgCount(Self.good) == 1)
    }

    @Test("a page made with Charts.Page passes")
    func chartsPage() {
        var page = Page(title: "A <report>", subtitle: "sub & title", madeBy: "transit test")
        var svg = SVG(width: 200, height: 100, title: "Figure")
        svg.rect(x: 0, y: 0, width: 10, height: 10, fill: "#0072B2", tooltip: "a <bar> & more")
        svg.rect(x: 20, y: 0, width: 10, height: 10, fill: "#E69F00")
        page.section("One", id: "one", html: Page.figure(svg.rendered(), caption: "caption"))
        page.section("Two", id: "two", html: Page.paragraph("a < b"))
        page.section("Three", id: "three", html: Page.facts([("k", "v")]))
        let html = page.rendered()
        #expect(HTMLChecks.problems(html) == [])
        #expect(HTMLChecks.externalReferences(html) == [])
        #expect(HTMLChecks.svgCount(html) == 1)
    }

    @Test("structural faults are found", arguments: [
        ("<p>unclosed", "closes <p> too"),
        ("<div><span></div></span>", "closes <span> too"),
        ("</em>", "no open <em>"),
        ("<p class=\"a>text</p>", "quote"),
        ("<p class=a\"b>x</p>", "unquoted value"),
        ("<p class=\"a\"id=\"b\">x</p>", "no space after"),
        ("<p class=\"a\" class=\"b\">x</p>", "twice"),
        ("<div/>", "self-closes"),
        ("a < b", "starts no tag"),
        ("<!-- open comment", "unclosed comment"),
        ("<script>var x = 1;", "<script> is never closed"),
        ("</br>", "void element"),
    ])
    func faults(body: String, expected: String) {
        let problems = HTMLChecks.problems(Self.page(body))
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    @Test("the doctype and one html, head and body are required")
    func skeleton() {
        let noDoctype = HTMLChecks.problems("<html><head><title>t</title></head><body></body></html>")
        #expect(noDoctype.contains { $0.contains("DOCTYPE") })
        let twoBodies = HTMLChecks.problems(Self.page("</body><body>"))
        #expect(twoBodies.contains { $0.contains("2 <body> elements") })
        let noHead = HTMLChecks.problems("<!DOCTYPE html><html><body></body></html>")
        #expect(noHead.contains { $0.contains("0 <head> elements") })
        #expect(HTMLChecks.problems("<!doctype html>\n<html><head></head><body></body></html>") == [])
        let unclosed = HTMLChecks.problems("<!DOCTYPE html><html><head></head><body><div>")
        #expect(unclosed.contains { $0.contains("<div> is never closed") }, "\(unclosed)")
    }

    @Test("problems carry line numbers and are capped")
    func lineNumbersAndCap() {
        let problems = HTMLChecks.problems(Self.page("<p>\n</em>"))
        #expect(problems.contains { $0.hasPrefix("line 7: </em>") }, "\(problems)")
        let many = HTMLChecks.problems(Self.page(String(repeating: "</em>\n", count: 100)))
        #expect(many.count <= 25)
        #expect(many.last?.contains("more") == true)
    }

    @Test("external references are found", arguments: [
        ("<img src=\"chart.png\">", "src="),
        ("<a href=\"https://example.org/x\">x</a>", "https://example.org/x"),
        ("<p>see http://example.org</p>", "http://example.org"),
        ("<style>body { background: url(bg.png) }</style>", "url(bg.png"),
        ("<style>@import \"x.css\";</style>", "@import"),
        ("<link rel=\"stylesheet\" href=\"x.css\">", "<link"),
        ("<a href=\"other.html\">x</a>", "href=\"other.html"),
        ("<a href=\"//cdn.example/x\">x</a>", "href=\"//cdn.example/x"),
        ("<script src='x.js'></script>", "src='x.js"),
    ])
    func external(body: String, expected: String) {
        let found = HTMLChecks.externalReferences(Self.page(body))
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test("namespaces, fragments and http-equiv are not external")
    func notExternal() {
        let body = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use href="#a"/></svg>
            <a href="#top">top</a><p data-src="x">data-src-like text: srcset? no. source words.</p>
            """
        let html = Self.page(body, head: "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">")
        #expect(HTMLChecks.externalReferences(html) == [])
    }

    @Test("svgCount counts <svg elements only")
    func svgCount() {
        #expect(HTMLChecks.svgCount(Self.page("")) == 0)
        #expect(HTMLChecks.svgCount(Self.page("<svg></svg><SVG width=\"1\"></SVG><svgx></svgx><p>&lt;svg</p>")) == 2)
    }
}
