import Foundation
import Testing
import TestSupport

/// The browser harness itself: Chromium's console messages are caught (script errors and CSP
/// violations too), a white page is blank and a drawn one is not; and the PNG decoder and the
/// console-log parser on known input, without Chromium.
@Suite("Browser harness", .serialized)
struct BrowserHarnessTests {
    static let enabled = Browser.isAvailable || SharedData.isCI

    /// Writes `html` to a temporary file and checks it in the browser at a small window.
    func check(_ html: String, name: String) async throws -> Browser.Outcome? {
        let folder = try TemporaryFolder("browser-harness")
        defer { folder.remove() }
        let path = folder.file("\(name).html")
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        return try await Browser.check(htmlPath: path, name: "harness-\(name)", width: 800, height: 600)
    }

    static func page(head: String = "", body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title>\(head)</head><body>\(body)</body></html>\n"
    }

    static let strictPolicy =
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"

    static let colouredSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">
        <rect x="0" y="0" width="300" height="200" fill="#0072B2"/><rect x="300" y="0" width="300" height="200" fill="#E69F00"/>
        <rect x="0" y="200" width="300" height="200" fill="#009E73"/><circle cx="450" cy="300" r="90" fill="#CC79A7"/>
        </svg>
        """

    @Test("console.error is caught; the message text comes through", .enabled(if: enabled), .timeLimit(.minutes(2)))
    func consoleError() async throws {
        let body = "<p>text</p><script>console.error(\"harness-boom\")</script>"
        guard let outcome = try await check(Self.page(body: body), name: "console-error") else { return }
        #expect(!outcome.consoleErrors.isEmpty)
        #expect(outcome.consoleErrors.contains { $0.contains("harness-boom") }, "\(outcome.consoleErrors)")
    }

    @Test("an uncaught exception is caught", .enabled(if: enabled), .timeLimit(.minutes(2)))
    func uncaughtException() async throws {
        let body = "<p>text</p><script>notAFunctionAnywhere();</script>"
        guard let outcome = try await check(Self.page(body: body), name: "exception") else { return }
        #expect(outcome.consoleErrors.contains { $0.contains("notAFunctionAnywhere") }, "\(outcome.consoleErrors)")
    }

    @Test("an inline script blocked by the Content-Security-Policy counts as an error", .enabled(if: enabled),
          .timeLimit(.minutes(2)))
    func blockedScript() async throws {
        let body = "<p>text</p><script>document.title = \"ran\";</script>"
        guard let outcome = try await check(Self.page(head: Self.strictPolicy, body: body), name: "csp") else { return }
        #expect(outcome.consoleErrors.contains { $0.contains("Content Security Policy") }, "\(outcome.consoleErrors)")
    }

    @Test("a clean page with a coloured SVG: no console messages, not blank", .enabled(if: enabled),
          .timeLimit(.minutes(2)))
    func cleanColouredPage() async throws {
        let body = "<h1>A chart</h1>\(Self.colouredSVG)<p>Some text under it.</p>"
        guard let outcome = try await check(Self.page(head: Self.strictPolicy, body: body), name: "coloured") else { return }
        #expect(outcome.consoleErrors.isEmpty, "\(outcome.consoleErrors)")
        #expect(!outcome.isBlank)
        #expect(outcome.distinctColours >= 5)
        #expect(FileManager.default.fileExists(atPath: outcome.pngPath))
        #expect(outcome.pngPath.hasSuffix(".build/report-screens/harness-coloured.png"))
    }

    @Test("a white page is blank, and so is one with a single dot", .enabled(if: enabled), .timeLimit(.minutes(2)))
    func whitePage() async throws {
        guard let white = try await check(Self.page(body: ""), name: "white") else { return }
        #expect(white.isBlank)
        #expect(white.consoleErrors.isEmpty)
        let dot = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"6\" height=\"6\"><rect width=\"6\" height=\"6\" fill=\"#D55E00\"/></svg>"
        guard let nearlyWhite = try await check(Self.page(body: dot), name: "dot") else { return }
        #expect(nearlyWhite.isBlank)
    }

    @Test("a missing page is an error, not a blank pass", .enabled(if: enabled))
    func missingPage() async throws {
        await #expect(throws: Browser.Failure.self) {
            _ = try await Browser.check(htmlPath: "/nonexistent/report.html", name: "harness-missing")
        }
    }

    @Test("console entries are read from Chromium's log, multi-line messages whole, other lines ignored")
    func parseLog() {
        let log = """
            /usr/bin/chromium: 9: [: 1: unexpected operator
            [1:1:1207/035351.438921:ERROR:dbus/bus.cc:405] Failed to connect to the bus
            [1:1:1207/035352.022637:INFO:CONSOLE:1] "first", source: file:///tmp/a.html (1)
            [1:1:1207/035352.022695:INFO:CONSOLE(12)] "second line one
            line two", source: file:///tmp/a.html (12)
            3018 bytes written to file /tmp/a.png
            [1:1:1207/035352.022814:WARNING:ui/base/idle/idle_linux.cc:111] None of the known services
            """
        let messages = Browser.consoleMessages(in: log)
        #expect(messages == ["\"first\", source: file:///tmp/a.html (1)",
                             "\"second line one\nline two\", source: file:///tmp/a.html (12)"])
        #expect(Browser.consoleMessages(in: "[1:1:1:WARNING:x.cc:1] nothing\n").isEmpty)
    }

    @Test("the PNG decoder reads a stored-block RGB image and a palette image")
    func decodeHandMadePNG() throws {
        // 3×2 RGB, filter "none" then "sub", in one stored deflate block.
        let raw: [UInt8] = [0, 255, 0, 0, 0, 255, 0, 0, 0, 255,
                            1, 10, 20, 30, 1, 1, 1, 2, 2, 2]
        let rgb = try PNGImage(bytes: Self.png(width: 3, height: 2, colourType: 2, raw: raw))
        #expect(rgb.width == 3 && rgb.height == 2)
        #expect(rgb.pixel(x: 0, y: 0) == 0xFF00_00FF)
        #expect(rgb.pixel(x: 2, y: 0) == 0x0000_FFFF)
        #expect(rgb.pixel(x: 1, y: 1) == 0x0B15_1FFF)
        #expect(rgb.pixel(x: 2, y: 1) == 0x0D17_21FF)
        let sample = ColourSample(rgb, step: 1)
        #expect(sample.distinctColours == 6 && !sample.isBlank)

        let palette = try PNGImage(bytes: Self.png(width: 2, height: 1, colourType: 3, raw: [0, 1, 0],
                                                   palette: [255, 255, 255, 0, 0, 0]))
        #expect(palette.pixels == [0x0000_00FF, 0xFFFF_FFFF])
        #expect(throws: PNGImage.Failure.self) { try PNGImage(bytes: [1, 2, 3]) }
    }

    @Test("the PNG decoder reads Chromium's compressed screenshots", .enabled(if: enabled), .timeLimit(.minutes(2)))
    func decodeScreenshot() async throws {
        guard let outcome = try await check(Self.page(body: Self.colouredSVG), name: "decode") else { return }
        let image = try PNGImage(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: outcome.pngPath))))
        #expect(image.width == 800 && image.height == 600)
        // The first rectangle is Okabe–Ito blue, the body margin white.
        #expect(image.pixel(x: 100, y: 100) >> 8 == 0x0072B2)
        #expect(image.pixel(x: 700, y: 550) >> 8 == 0xFFFFFF)
    }

    /// A PNG of `raw` filtered scanlines in one stored (uncompressed) deflate block; the CRCs
    /// and the Adler checksum are zero, which the decoder does not check.
    static func png(width: Int, height: Int, colourType: UInt8, raw: [UInt8], palette: [UInt8] = []) -> [UInt8] {
        func u32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] { u32(data.count) + Array(type.utf8) + data + [0, 0, 0, 0] }
        let n = raw.count
        let zlib: [UInt8] = [0x78, 0x01, 1, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8 & 0xFF)] + raw + [0, 0, 0, 0]
        var bytes: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
        bytes += chunk("IHDR", u32(width) + u32(height) + [8, colourType, 0, 0, 0])
        if !palette.isEmpty { bytes += chunk("PLTE", palette) }
        bytes += chunk("IDAT", zlib)
        bytes += chunk("IEND", [])
        return bytes
    }
}
