/// Event sourcing: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let eventSourcing = PatternDefinition(
        id: .eventSourcing,
        title: "Event sourcing",
        rule: "an event log exists: events.log, events.jsonl, event_log/ or events/",
        summary: "Every operation is appended to a log that is never rewritten, so state can be replayed and audited.",
        lookedFor: [
            (.disk, "events.log, events.jsonl or events.ndjson, an event_log/, events/ or journal/ folder, at the root or in a hidden folder at the root"),
            (.code, "a program that appends to an event log or journal (>>, open(…, 'a'), appendFile)"),
        ],
        remediation: "Append one line per send, read and state change to an append-only event log, and rebuild state from it.",
        description: "Record every operation as an immutable event appended to a log (`events.log`), so the system's state can be replayed, audited and repaired. Nothing rewrites or deletes a line of the log.",
        firstMoves: [
            "touch events.log",
            #"printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "message.sent" "$id" >> events.log"#,
        ],
        examples: [
            PatternExample("an events.log beside the inboxes", folders: ["inbox/alice"], files: ["events.log": "2026-11-20T08:00:00Z sent 1\n"], present: true),
            PatternExample("inboxes and no log", folders: ["inbox/alice", "inbox/bob"], present: false),
        ])
}
