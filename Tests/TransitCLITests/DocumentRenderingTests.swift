import Carbon
import GTFS
import Testing
@testable import TransitCLI

/// The library's documents through the CLI's tree encoder: data keys in their order, `nil` as
/// `null`, and keys left out where a document leaves them out.
@Suite("Documents rendered by the CLI")
struct DocumentRenderingTests {
    @Test("KeyedValues keeps its order; optionals are null; FactorsDocument leaves routes out when none are listed")
    func rendering() throws {
        let values = KeyedValues([("b", 1), ("a", 2)])
        #expect(try JSON.encoding(values).render(indent: nil) == #"{"b":1,"a":2}"#)
        var report = ValidationReport()
        report.add(Finding(.error, "i_o_error", message: "m"))
        let text = try JSON.encoding(ValidationDocument(report: report, feed: "f")).render(indent: nil)
        #expect(text == #"{"feed":"f","errors":1,"warnings":0,"counts":{"i_o_error":1},"findings":[{"severity":"error","code":"i_o_error","file":null,"line":null,"field":null,"value":null,"message":"m"}]}"#)
        let factors = try JSON.encoding(FactorsDocument(factors: try FactorSet.ukDESNZ2022, policy: try Policy.standard, routes: [], occupancy: nil))
        guard case .object(let pairs) = factors else { Issue.record("not an object"); return }
        #expect(pairs.map(\.0) == ["factor_set", "methodology_version", "title", "source", "unit", "baseline",
                                   "detour_factor_permille", "factors", "policy"])
    }

    @Test("the validation document's direct JSON writer gives exactly what the tree encoder gives")
    func validationJSON() throws {
        var report = ValidationReport()
        #expect(ValidationDocument(report: report, feed: "empty").renderJSON()
                == (try JSON.encoding(ValidationDocument(report: report, feed: "empty")).render()))
        report.add(Finding(.error, "foreign_key_violation", file: "stop_times.txt", line: 3, field: "stop_id",
                           value: "N\"O\\PE\u{1}", message: "stop_id 'NOPE' is not defined in stops.txt"))
        report.add(Finding(.warning, "expired_calendar", file: "calendar.txt", line: 2, message: "ü – expired\n"))
        report.add(Finding(.info, "unknown_file", file: "x.txt", message: "kept"))
        let document = ValidationDocument(report: report, feed: "/tmp/\"feed\".zip")
        #expect(document.renderJSON() == (try JSON.encoding(document).render()))
        let noInfo = ValidationDocument(report: report, feed: "f", includeInfo: false)
        #expect(noInfo.renderJSON() == (try JSON.encoding(noInfo).render()))
    }
}
