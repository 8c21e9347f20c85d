@testable import CarbonService
import Foundation
import TestSupport
import Testing

/// The committed OpenAPI document is what the server serves and describes exactly its routes.
@Suite struct OpenAPITests {
    static var committed: String {
        (try? String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("Sources/CarbonService/openapi.json").path, encoding: .utf8)) ?? ""
    }

    @Test func theEmbeddedDocumentIsTheCommittedFile() throws {
        // Re-run scripts/embed-openapi after editing openapi.json. The embedded text is the
        // file's JSON minified, so the two are compared as JSON values.
        let embedded = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? NSDictionary)
        let committed = try #require(try JSONSerialization.jsonObject(with: Data(Self.committed.utf8)) as? NSDictionary)
        #expect(embedded.isEqual(committed))
        #expect(!OpenAPIDocument.json.contains("\n"))
    }

    @Test func theDocumentsPathsAreTheServersRoutes() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, item) in paths {
            for method in item.keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                operations.insert(method.uppercased() + " " + path)
            }
        }
        #expect(operations == Set(CarbonRoutes.table))
    }
}
