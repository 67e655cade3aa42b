/// Content-addressed DAG: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let contentAddressedDAG = PatternDefinition(
        id: .contentAddressedDAG,
        title: "Content-addressed DAG",
        rule: "a message file name carries a SHA-256 digest (64 hex digits)",
        summary: "Messages are addressed by the SHA-256 of their content, and replies point at their parents.",
        lookedFor: [
            (.disk, "message file names that carry 64 hexadecimal digits"),
            (.code, "a program that deals with messages and computes SHA-256 digests"),
        ],
        remediation: "Store message bodies under their SHA-256 digest and link replies to the digests they answer.",
        description: "Address each message by the SHA-256 of its content so identical content is stored once, tampering is visible, and replies can point at their parents, forming a directed acyclic graph of the conversation.",
        firstMoves: [
            #"digest="$(sha256sum < message.msg | cut -d' ' -f1)""#,
            #"mkdir -p objects && cp message.msg "objects/${digest}.msg""#,
        ],
        examples: [
            PatternExample("a message stored under its SHA-256", files: ["inbox/alice/\(String(repeating: "ab", count: 32)).msg": "hi\n"], present: true),
            PatternExample("messages named by hand", files: ["inbox/alice/hello.msg": "hi\n"], present: false),
        ])
}
