/// Fault-tolerant wrappers: its id, its rule, what is looked for, what to build when it
/// is missing, and small trees that have it and do not (every test of the
/// definitions runs them).
extension PatternDefinition {
    /// The definition of this pattern.
    package static let faultTolerantWrappers = PatternDefinition(
        id: .faultTolerantWrappers,
        title: "Fault-tolerant wrappers",
        rule: "a script at the root, in scripts/ or in bin/ mentions retry, attempt or backoff",
        summary: "Operations that can fail transiently are retried with backoff instead of failing the workflow.",
        lookedFor: [
            (.code, "a script (*.sh, *.py) at the root, in scripts/ or in bin/ that mentions retry, attempt or backoff; elsewhere, a program with a loop that sleeps between retries"),
        ],
        remediation: "Wrap the commands that can fail transiently in a retry loop with exponential backoff and a final error report.",
        description: "File systems, networks and other agents fail now and then. Run the operations that can fail through a wrapper that retries a bounded number of times with growing pauses, and logs an event when it finally gives up.",
        firstMoves: [
            #"retry() { n=0; until "$@"; do n=$((n+1)); [ "$n" -ge 5 ] && return 1; sleep $((2**n)); done; }"#,
        ],
        examples: [
            PatternExample(
                "a send script that retries with backoff",
                files: ["scripts/send.sh": "#!/bin/sh\nfor attempt in 1 2 3; do\n  cp \"$1\" inbox/\"$2\"/ && break\n  sleep \"$attempt\"  # retry with backoff\ndone\n"],
                present: true),
            PatternExample("a send script that tries once", files: ["scripts/send.sh": "#!/bin/sh\ncp \"$1\" inbox/\"$2\"/\n"], present: false),
        ])
}
