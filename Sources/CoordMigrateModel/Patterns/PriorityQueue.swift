/// Priority queue: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let priorityQueue = PatternDefinition(
        id: .priorityQueue,
        title: "Priority queue",
        rule: "a priority lane exists: inbox/priority/, queue/high/, queue/priority/ or priority/",
        summary: "Urgent work has its own lane that readers drain first.",
        lookedFor: [
            (.disk, "inbox/priority/, queue/high/, queue/priority/ or priority/; a priority/ or urgent/ folder where messages live"),
            (.code, "a program that moves or writes work into a priority or urgent lane"),
        ],
        remediation: "Add a priority lane (inbox/priority/) that readers drain before the normal inbox.",
        description: "Urgent work must not wait behind a backlog. Add a priority lane (`inbox/priority/`) beside the normal inboxes and make every reader take from it first.",
        firstMoves: ["mkdir -p inbox/priority"],
        examples: [
            PatternExample("inbox/priority/", folders: ["inbox/alice", "inbox/priority"], present: true),
            PatternExample("plain inboxes", folders: ["inbox/alice", "inbox/bob"], present: false),
        ])
}
