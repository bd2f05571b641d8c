import FrontRequestParsing
import HTTPTypes
import IPCProtocol
import Testing

@testable import FrontAPI

/// The route fuzz target matches against ``FrontRequestParsing/AgentRoutePatterns``: it must be the
/// front's own table, route for route and in the same order (the first match wins).
@Suite struct RoutePatternCatalogueTests {
    @Test("AgentRoutePatterns.all is exactly the table the front builds")
    func catalogueIsTheTable() throws {
        let harness = try RouteHarness { _ in .actionDone(details: "") }
        let built = harness.responder.table.routes.map { "\($0.method.rawValue) \($0.pattern)" }
        let catalogue = AgentRoutePatterns.all.map { "\($0.method) \($0.pattern)" }
        #expect(built == catalogue)
    }
}
