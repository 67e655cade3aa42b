/// Collision-free messaging: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let collisionFreeMessaging = PatternDefinition(
        id: .collisionFreeMessaging,
        title: "Collision-free messaging",
        rule: "a message file name carries a UUID (8-4-4-4-12 hex digits)",
        summary: "Every message has a name no other writer can produce, so concurrent senders never overwrite each other.",
        lookedFor: [
            (.disk, "message file names (under inbox/, messages/, mailboxes/, queue/, any …/inbox/, and *.msg anywhere) that carry a UUID"),
            (.code, "a program that deals with messages and generates UUIDs (uuidgen, uuid4(), randomUUID())"),
        ],
        remediation: "Name every message with a timestamp, the sender and a UUID so two writers can never pick the same file name.",
        description: "Two agents that write at the same second must never overwrite each other. Give every message an id made of an ISO timestamp, the sender and a random UUID, write it to a temporary name and rename it into place, so readers never see half a message.",
        firstMoves: [
            #"id="$(date -u +%Y-%m-%dT%H%M%SZ)-${sender}-$(uuidgen | tr 'A-Z' 'a-z')""#,
            #"tmp="inbox/${recipient}/.${id}.tmp" && printf '%s\n' "$body" > "$tmp" && mv "$tmp" "inbox/${recipient}/${id}.msg""#,
        ],
        examples: [
            PatternExample("a message named with a UUID", files: ["inbox/alice/2026-11-20T0800Z-bob-550e8400-e29b-41d4-a716-446655440000.msg": "hi\n"], present: true),
            PatternExample("messages named by hand", files: ["inbox/alice/hello.msg": "hi\n", "inbox/bob/reply.msg": "ok\n"], present: false),
        ])
}
