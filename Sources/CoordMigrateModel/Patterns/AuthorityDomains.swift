/// Authority domains: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let authorityDomains = PatternDefinition(
        id: .authorityDomains,
        title: "Authority domains",
        rule: "an agent in the agent configuration declares authority_domains",
        summary: "Each agent declares what it decides on, and acts outside that only by asking.",
        lookedFor: [
            (.config, "authority_domains on an agent in config.yaml/.yml/.json or agents.yaml/.yml/.json at the root; capabilities, permissions or scopes in an agent registry (registry/agents/*, agents/*)"),
        ],
        remediation: "Declare authority_domains for each agent in the agent configuration and refuse actions outside them.",
        description: "Say in the agent configuration which domains each agent decides on (implementation, testing, releases, ...), and have the message tooling reject requests that an agent has no authority over.",
        firstMoves: [
            "# in config.yaml, under each agent:",
            "#   authority_domains: [implementation, testing]",
        ],
        examples: [
            PatternExample("an agent with authority_domains", files: ["config.yaml": "agents:\n  alice:\n    authority_domains: [testing]\n"], present: true),
            PatternExample("agents without them", files: ["config.yaml": "agents:\n  alice: {}\n  bob: {}\n"], present: false),
        ])
}
