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
}
