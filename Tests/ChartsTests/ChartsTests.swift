import Foundation
import TestSupport
import Testing
@testable import Charts

@Suite("Scales and ticks")
struct ScaleTests {
    @Test("a linear scale maps the domain's ends onto the range's, inverted for a y axis")
    func linear() {
        let y = LinearScale(domain: 0...100, range: (300, 20))
        #expect(y(0) == 300)
        #expect(y(100) == 20)
        #expect(y(50) == 160)
    }

    @Test("an empty domain (one value) is widened, so one point sits in the middle and nothing divides by zero")
    func onePoint() {
        let x = LinearScale(domain: 5...5, range: (0, 100))
        #expect(x.domain == 4...6)
        #expect(x(5) == 50)
        let covering = LinearScale.covering([7], range: (0, 10))
        #expect(covering.domain.contains(7) && covering.domain.lowerBound < 7 && covering.domain.upperBound > 7)
        #expect(covering(7).isFinite)
    }

    @Test("nice ticks are 1, 2, 2.5 or 5 × 10^k apart and cover the interval", arguments: [
        (0.0, 97.0, [0.0, 20, 40, 60, 80, 100]),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (-3.0, 12.0, [-5.0, 0, 5, 10, 15]),
        (1_200.0, 1_900.0, [1_200.0, 1_400, 1_600, 1_800, 2_000]),
    ])
    func nice(lo: Double, hi: Double, expected: [Double]) {
        #expect(Ticks.nice(lo...hi, count: 5) == expected)
    }

    @Test("covering starts bars at zero and rounds out to ticks")
    func covering() {
        let s = LinearScale.covering([12, 87, 40], including: 0, range: (200, 0))
        #expect(s.domain == 0...100)
        #expect(s.ticks() == [0, 20, 40, 60, 80, 100])
        let none = LinearScale.covering([Double](), range: (0, 1))
        #expect(none.domain == 0...1)
    }

    @Test("clock ticks fall on whole quarter hours or hours and stay inside the interval")
    func clock() {
        let ticks = Ticks.clock(Double(5 * 3600 + 600)...Double(24 * 3600 + 1200), count: 8)
        #expect(ticks.first == 6 * 3600 && ticks.last == 24 * 3600)
        #expect(ticks.allSatisfy { $0.truncatingRemainder(dividingBy: 3600) == 0 })
        #expect(ticks.count <= 8 && ticks.count >= 4)
        let short = Ticks.clock(Double(7 * 3600)...Double(8 * 3600), count: 6)
        #expect(short == [25_200, 26_100, 27_000, 27_900, 28_800])  // a quarter-hour step: 4 steps fit in 6
        #expect(Format.clock(25 * 3600 + 600) == "25:10")
    }

    @Test("numbers print grouped, rounded and without trailing zeros")
    func numbers() {
        #expect(Format.grouped(1_234_567) == "1,234,567")
        #expect(Format.grouped(-1_000) == "-1,000")
        #expect(Format.number(1234.5, places: 1) == "1,234.5")
        #expect(Format.number(2.0, places: 2) == "2")
        #expect(Format.number(0.125, places: 2) == "0.13")
        #expect(Format.number(-0.04, places: 1) == "0")
        #expect(Format.number(.nan) == "–")
        #expect(Format.coordinate(12.34) == "12.3")
        #expect(Format.coordinate(-0.26) == "-0.3")
        #expect(Format.coordinate(40) == "40")
    }
}

@Suite("Map projection and simplification")
struct MapTests {
    @Test("the projection keeps north up, east right, and the same scale both ways")
    func projection() {
        let a = GeoPoint(lat: 54.68, lon: 25.27), b = GeoPoint(lat: 54.70, lon: 25.30)
        let p = MapProjection(fitting: [a, b], minX: 0, minY: 0, maxX: 400, maxY: 400)
        let pa = p(a), pb = p(b)
        #expect(pb.x > pa.x)  // east is right
        #expect(pb.y < pa.y)  // north is up
        // 0.02° of latitude is 2,224 m; 0.03° of longitude at 54.69° N is about 1,929 m.
        let northPx = pa.y - pb.y, eastPx = pb.x - pa.x
        #expect(abs(northPx / p.pixelsPerMetre - 2_224) < 5)
        #expect(abs(eastPx / p.pixelsPerMetre - 1_929) < 10)
        // Fitted: the taller side fills the 400 px.
        #expect(abs(northPx - 400) < 0.5)
        #expect(pa.x >= 0 && pb.x <= 400)
    }

    @Test("unusable positions are ignored; one point alone sits in the middle")
    func degenerate() {
        let only = GeoPoint(lat: -16.9, lon: 145.77)
        let p = MapProjection(fitting: [only, GeoPoint(lat: 0, lon: 0), GeoPoint(lat: .nan, lon: 3)], minX: 0, minY: 0, maxX: 200, maxY: 100)
        #expect(p(only) == Point(100, 50))
        #expect(p.pixelsPerMetre.isFinite && p.pixelsPerMetre > 0)
    }

    @Test("Douglas–Peucker keeps the ends and the corners, drops points within the tolerance")
    func douglasPeucker() {
        var line: [Point] = []
        for i in 0...100 { line.append(Point(Double(i), i % 2 == 0 ? 0 : 0.3)) }  // jitter under 0.5 px
        line.append(Point(100, 50))  // a corner
        let simple = Simplify.douglasPeucker(line, tolerance: 0.5)
        #expect(simple == [Point(0, 0), Point(100, 0), Point(100, 50)])
        let strict = Simplify.douglasPeucker(line, tolerance: 0.1)
        #expect(strict.count > 90)
        #expect(Simplify.douglasPeucker([Point(1, 1)], tolerance: 1) == [Point(1, 1)])
        #expect(Simplify.douglasPeucker([], tolerance: 1).isEmpty)
    }

    @Test("a map draws a scale bar of a round length, and a note when there is nothing to draw")
    func mapChart() {
        let line = MapLine(points: [GeoPoint(lat: 54.68, lon: 25.27), GeoPoint(lat: 54.70, lon: 25.30)], color: "#0072B2", width: 3, tooltip: "Route <1> & \"A\"")
        let svg = MapChart(title: "Network", lines: [line]).rendered()
        #expect(svg.contains("<polyline"))
        #expect(svg.contains("<title>Route &lt;1&gt; &amp; &quot;A&quot;</title>"))
        #expect(svg.contains(" m</text>") || svg.contains(" km</text>"))
        #expect(MapChart.roundLength(730) == 500 && MapChart.roundLength(2_100) == 2_000 && MapChart.roundLength(0.2) == 1)
        let empty = MapChart(title: "Nothing", lines: []).rendered()
        #expect(empty.contains("no shapes or stops with coordinates") && !empty.contains("<polyline"))
    }
}

@Suite("SVG and page builder")
struct BuilderTests {
    @Test("names with markup, ampersands and quotes are escaped everywhere they are written")
    func escaping() {
        #expect(Markup.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
        #expect(Markup.escape("x\u{0}y\nz") == "x\u{2400}y\u{240A}z")
        #expect(Markup.escape("abcdef", limit: 3) == "abc…")
        #expect(Markup.escape("a\u{202E}b") == "a[U+202E]b")
        let hostile = "R<script>alert(1)</script> & \"Co\""
        let bars = BarChart(title: hostile, categories: [hostile], series: [(SeriesStyle(name: hostile, color: "#000"), [3])],
                            xTitle: "period", yTitle: "vehicles").rendered()
        #expect(!bars.contains("<script>"))
        #expect(bars.contains("R&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        var page = Page(title: hostile, subtitle: hostile, madeBy: "transit x")
        page.section(hostile, id: "s", html: Page.paragraph(hostile) + Table(caption: hostile, columns: [hostile], rows: [[Cell(hostile)]]).rendered())
        let html = page.rendered()
        #expect(html.components(separatedBy: "<script>").count == 2)  // only the page's own script
        #expect(!html.contains("alert(1)</script>"))
    }

    @Test("charts with no data still draw their title, axes frame and a note")
    func empty() {
        let bars = BarChart(title: "Vehicles", categories: [], series: [], xTitle: "period", yTitle: "vehicles").rendered()
        #expect(bars.hasPrefix("<svg") && bars.contains("no data") && bars.contains("<title>Vehicles</title>"))
        let lines = LineChart(title: "Load", series: [], xTitle: "stop", yTitle: "passengers").rendered()
        #expect(lines.contains("no data"))
        let gantt = GanttChart(title: "Blocks", rows: [], kinds: [SeriesStyle(name: "trip", color: "#000")]).rendered()
        #expect(gantt.contains("no data"))
        #expect(Histogram.counts([1, 2], edges: [0]).isEmpty)
    }

    @Test("one point: a line chart marks it with a dot, a bar chart with one bar")
    func onePoint() {
        let line = LineChart(title: "One", series: [LineSeries(style: SeriesStyle(name: "s", color: "#000"), points: [(x: 3600, y: 5)])],
                             xTitle: "time", yTitle: "n", xStyle: .clock).rendered()
        #expect(line.contains("<circle") && !line.contains("no data"))
        let bar = BarChart(title: "One", categories: ["AM"], series: [(SeriesStyle(name: "now", color: "#000"), [4])],
                           xTitle: "period", yTitle: "vehicles").rendered()
        let marks = bar.components(separatedBy: "<g class=\"bars\">").last ?? ""
        #expect(marks.components(separatedBy: "<rect").count - 1 == 1)
        #expect(bar.contains("<title>AM: now 4</title>"))
    }

    @Test("bar heights follow the scale; stacked bars pile up; limits draw as dashed lines")
    func bars() {
        let chart = BarChart(title: "T", categories: ["a", "b"],
                             series: [(SeriesStyle(name: "x", color: "#111"), [10, 20]), (SeriesStyle(name: "y", color: "#222"), [30, 40])],
                             stacked: true, limits: [50, nil], xTitle: "c", yTitle: "v", width: 400, height: 300)
        let svg = chart.rendered()
        // y from 0 to 60 over the plot height 300-52-48 = 200 px: 10 → 33.3 px, 30 → 100 px.
        #expect(svg.contains("height=\"33.3\"") && svg.contains("height=\"100\""))
        #expect(svg.contains("stroke-dasharray=\"5 3\"") && svg.contains("a: limit 50"))
        #expect(Histogram.counts([-1, 0, 0.5, 1, 1.5, 2, 9], edges: [0, 1, 2]) == [3, 4])
    }

    @Test("a Gantt chart draws one rectangle per segment with its tooltip, and rows top to bottom")
    func gantt() {
        let kinds = [SeriesStyle(name: "trip", color: "#0072B2"), SeriesStyle(name: "deadhead", color: "#D55E00")]
        let rows = [(label: "block 1", segments: [GanttSegment(start: 21_600, end: 23_400, kind: 0, tooltip: "trip T1"),
                                                    GanttSegment(start: 23_400, end: 24_000, kind: 1, tooltip: "deadhead")]),
                    (label: "block 2", segments: [GanttSegment(start: 25_000, end: 26_000, kind: 0, tooltip: "trip T2")])]
        let svg = GanttChart(title: "Blocks", rows: rows, kinds: kinds).rendered()
        #expect(svg.contains("<title>trip T1</title>") && svg.contains("<title>deadhead</title>"))
        #expect(svg.contains(">06:00</text>") || svg.contains(">06:30</text>"))
        #expect(svg.range(of: "block 1")?.lowerBound ?? svg.endIndex < svg.range(of: "block 2")?.lowerBound ?? svg.startIndex)
    }

    @Test("the switcher works without script: radio inputs and panels, the first checked")
    func switcher() {
        let html = Page.switcher(name: "p", panels: [(label: "AM", html: "<p>a</p>"), (label: "PM", html: "<p>b</p>")])
        #expect(html.contains("type=\"radio\" name=\"p\" id=\"p-0\" class=\"sw0\" checked"))
        #expect(html.contains("<div class=\"panel p1\"><h3 class=\"panel-title\">PM</h3><p>b</p></div>"))
        #expect(Page.switcher(name: "q", panels: [(label: "only", html: "<p>x</p>")]) == "<p>x</p>")
        #expect(Page.styleSheet.contains(".switcher > .sw1:checked ~ .p1"))
    }
}

@Suite("Page")
struct PageTests {
    @Test("the CSP hash is the SHA-256 of the page's inline script", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func scriptHash() throws {
        let file = TemporaryFolder.uniqueURL("transit-page-script")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(Page.sortScript.utf8).write(to: file)
        let digest = try ChildProcess.run("/bin/sh", ["-c", "openssl dgst -sha256 -binary < '\(file.path)' | base64"])
        #expect(Page.scriptHash == "sha256-" + digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(Page.contentSecurityPolicy.contains(Page.scriptHash) && Page.contentSecurityPolicy.hasPrefix("default-src 'none'"))
    }

    @Test("a page is one self-contained document: doctype, CSP, inline style, sections in order, a contents list")
    func page() {
        var page = Page(title: "Plan", subtitle: "gtfs/sample-city", madeBy: "transit plan --report")
        page.section("Headline", id: "headline", html: Page.cards([(label: "vehicles", value: "42", note: nil)]))
        page.section("Map", id: "map", html: Page.figure(MapChart(title: "m", lines: []).rendered(), caption: "the network"))
        page.section("Table", id: "table", html: Table(caption: "c", columns: ["a"], rows: []).rendered())
        let html = page.rendered()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\""))
        #expect(html.contains("<a href=\"#map\">Map</a>"))
        #expect(html.range(of: "id=\"headline\"")?.lowerBound ?? html.endIndex < html.range(of: "id=\"table\"")?.lowerBound ?? html.startIndex)
        #expect(html.contains("<td colspan=\"1\">none</td>"))
        #expect(!html.contains("https://") && !html.contains("src="))
    }
}

@Suite("Axes and legends")
struct AxisTests {
    @Test("tick labels get the decimals they need to differ: counts up to 2 tick at 0.5 and read 0.5, 1, 1.5")
    func distinguishing() {
        #expect(Axes.distinguishing(.number(places: 0), ticks: [0, 0.5, 1, 1.5, 2]) == .number(places: 1))
        #expect(Axes.distinguishing(.number(places: 0), ticks: [0, 20, 40]) == .number(places: 0))
        #expect(Axes.distinguishing(.clock, ticks: [0, 900]) == .clock)
        let svg = BarChart(title: "Few", categories: ["a"], series: [(SeriesStyle(name: "n", color: "#000"), [2])], xTitle: "x", yTitle: "y").rendered()
        #expect(svg.contains(">0.5</text>") && svg.contains(">1.5</text>"))
    }

    @Test("a legend wraps into rows, and a map leaves room for every row above its frame")
    func legendRows() {
        let items = (0..<10).map { SeriesStyle(name: "a long legend entry \($0)", color: Palette.category($0)) }
        #expect(Legend.rows(items, x: 0, maxX: 400) >= 4)
        #expect(Legend.rows([], x: 0, maxX: 400) == 0)
        let line = MapLine(points: [GeoPoint(lat: 1, lon: 1), GeoPoint(lat: 1.01, lon: 1.01)], color: "#000", width: 2, tooltip: "r")
        let map = MapChart(title: "m", lines: [line], legend: items, note: "width: trips per hour", width: 400, height: 400).rendered()
        // The map's background starts below the legend's last row and the note.
        let rect = map.components(separatedBy: "fill=\"#fbfbf8\"")[0].components(separatedBy: "<rect ").last ?? ""
        let y = Double(rect.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" }) ?? 0
        #expect(y >= 34 + 4 * Legend.height + 16)
    }
}

@Suite("Line groups")
struct LineGroupTests {
    @Test("lines in a line group carry only their points and tooltip; the group carries the stroke")
    func lineGroup() {
        var svg = SVG(width: 100, height: 100, title: "g")
        svg.beginLineGroup(class: "trips", stroke: "#0072B2", width: 1.1, opacity: 0.9)
        svg.polyline([Point(0, 0), Point(10, 10.26)], tooltip: "trip <1>")
        svg.polyline([Point(5, 5)], tooltip: "too short")
        svg.endGroup()
        let text = svg.rendered()
        #expect(text.contains("<g class=\"trips\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"1.1\" stroke-opacity=\"0.9\""))
        #expect(text.contains("<polyline points=\"0,0 10,10.3\"><title>trip &lt;1&gt;</title></polyline>"))
        #expect(!text.contains("too short"))
    }
}
