/// TLA+ verification: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let tlaVerification = PatternDefinition(
        id: .tlaVerification,
        title: "TLA+ verification",
        rule: "a TLA+ specification (a *.tla file with a MODULE header) exists anywhere in the tree",
        summary: "The coordination protocol is specified in TLA+ and model-checked.",
        lookedFor: [(.disk, "a *.tla file anywhere in the tree whose text has a ---- MODULE Name ---- header (an empty .tla file does not count)")],
        remediation: "Write a TLA+ specification of the message protocol and check its safety properties with TLC.",
        description: "Describe the coordination protocol (send, claim, complete, defer) in TLA+ and let the model checker look for lost messages, double processing and deadlocks before they happen in production.",
        firstMoves: [
            "mkdir -p specs",
            "printf '%s\\n' '---- MODULE Coordination ----' 'EXTENDS Naturals' 'VARIABLE delivered' 'Init == delivered = 0' 'Next == UNCHANGED delivered' 'CountNeverNegative == delivered >= 0' '====' > specs/Coordination.tla",
            "printf '%s\\n' 'INIT Init' 'NEXT Next' 'INVARIANT CountNeverNegative' > specs/Coordination.cfg",
            "# then model the real protocol (send, claim, complete, defer) and check it with TLC:",
            "# java -jar tla2tools.jar -config specs/Coordination.cfg specs/Coordination.tla",
        ],
        examples: [
            PatternExample("a TLA+ module", files: ["specs/Coordination.tla": "---- MODULE Coordination ----\nVARIABLE inbox\n====\n"], present: true),
            PatternExample("no specification", folders: ["inbox/alice"], present: false),
            PatternExample("an empty .tla file, as touch makes it", files: ["specs/Coordination.tla": ""], present: false),
            PatternExample("a .tla file without a MODULE header", files: ["notes.tla": "VARIABLE inbox\n"], present: false),
        ])
}
