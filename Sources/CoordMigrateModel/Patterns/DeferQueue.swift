/// Defer queue: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let deferQueue = PatternDefinition(
        id: .deferQueue,
        title: "Defer queue",
        rule: "a defer lane exists: inbox/defer/, defer/, defer-queue/ or queue/defer/",
        summary: "Work that cannot be done yet is parked in its own lane and released later.",
        lookedFor: [
            (.disk, "inbox/defer/, defer/, defer-queue/ or queue/defer/; a defer/ or deferred/ folder where messages live"),
            (.code, "a program that moves or writes work into a defer lane"),
        ],
        remediation: "Add a defer lane (inbox/defer/) for work parked until a time or condition, and a job that releases it.",
        description: "Work that cannot be done yet should be parked, not lost or retried in a loop. Add a defer lane (`inbox/defer/`) where messages wait with a release time, and a periodic job that moves due messages back into the inbox.",
        firstMoves: ["mkdir -p inbox/defer"],
        examples: [
            PatternExample("inbox/defer/", folders: ["inbox/alice", "inbox/defer"], present: true),
            PatternExample("plain inboxes", folders: ["inbox/alice", "inbox/bob"], present: false),
        ])
}
