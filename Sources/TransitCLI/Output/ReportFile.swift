import ArgumentParser
import Reports
import TransitSupport

/// How every `--report`/`--out FILE.html` of the CLI writes its page: atomically (a temporary
/// file beside it, then a rename, so a failed run leaves no partial page), then one line on
/// standard error with the path and size, and a warning past ``ReportLimits/maximumBytes``.
enum ReportFile {
    /// Writes `html` to `path`; `facts` (e.g. "9 routes, 1,241 departures") follow the size.
    /// - Throws: `ExitCode(2)` when the file cannot be written (the error says why).
    static func write(_ html: String, to path: String, facts: String? = nil) throws {
        let bytes = Array(html.utf8)
        do { try FileSystem.writeAtomically(bytes, to: path) } catch {
            writeToStandardError("error: cannot write the report to \(path): \(error)\n")
            throw ExitCode(2)
        }
        writeToStandardError("wrote \(path): \(size(bytes.count))\(facts.map { ", " + $0 } ?? "")\n")
        if bytes.count > ReportLimits.maximumBytes {
            writeToStandardError("warning: the report is larger than \(size(ReportLimits.maximumBytes))\n")
        }
    }

    /// A byte count as whole kB (rounded up) or MB to one decimal.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 {
            let tenths = (bytes + 50_000) / 100_000
            return "\(tenths / 10).\(tenths % 10) MB"
        }
        return "\((bytes + 999) / 1000) kB"
    }

    /// The command line as typed, for a report's footer.
    static var commandLine: String { (["transit"] + CommandLine.arguments.dropFirst()).joined(separator: " ") }
}
