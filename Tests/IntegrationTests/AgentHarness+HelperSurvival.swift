import Testing

extension AgentHarness {
    /// Starts an agent, runs `body` on it (hostile input for the helper), and expects the helper to
    /// have survived it: the same process afterwards, and the agent still serving the controller.
    /// The agent is stopped afterwards, also when `body` throws.
    static func expectingHelperSurvives(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: (AgentHarness) throws -> Void
    ) throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let helperPID = try #require(agent.pid(of: "amphora-helper serve"), sourceLocation: sourceLocation)
        try body(agent)
        #expect(agent.pid(of: "amphora-helper serve") == helperPID, "the helper must not have restarted", sourceLocation: sourceLocation)
        #expect(try agent.request("GET", "/1.0/info").status == 200, sourceLocation: sourceLocation)
    }
}
