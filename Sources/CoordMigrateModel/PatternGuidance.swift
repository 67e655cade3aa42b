/// What to build for each missing pattern: the remediation that appears in every
/// format, the step's description, and a first concrete move.
public struct PatternGuidance: Sendable, Hashable {
    /// The pattern the guidance is for.
    public var pattern: PatternID
    /// One line on what to do, used as the JUnit failure message and in the gap list.
    public var remediation: String
    /// What the step builds and why it matters.
    public var description: String
    /// A first command or file to create.
    public var firstMoves: [String]

    /// The guidance for one pattern.
    public static func `for`(_ pattern: PatternID) -> PatternGuidance {
        switch pattern {
        case .collisionFreeMessaging:
            PatternGuidance(
                pattern: pattern,
                remediation: "Name every message with a timestamp, the sender and a UUID so two writers can never pick the same file name.",
                description: "Two agents that write at the same second must never overwrite each other. Give every message an id made of an ISO timestamp, the sender and a random UUID, write it to a temporary name and rename it into place, so readers never see half a message.",
                firstMoves: [
                    #"id="$(date -u +%Y-%m-%dT%H%M%SZ)-${sender}-$(uuidgen | tr 'A-Z' 'a-z')""#,
                    #"tmp="inbox/${recipient}/.${id}.tmp" && printf '%s\n' "$body" > "$tmp" && mv "$tmp" "inbox/${recipient}/${id}.msg""#,
                ])
        case .eventSourcing:
            PatternGuidance(
                pattern: pattern,
                remediation: "Append one line per send, read and state change to an append-only event log, and rebuild state from it.",
                description: "Record every operation as an immutable event appended to a log (`events.log`), so the system's state can be replayed, audited and repaired. Nothing rewrites or deletes a line of the log.",
                firstMoves: [
                    "touch events.log",
                    #"printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "message.sent" "$id" >> events.log"#,
                ])
        case .contentAddressedDAG:
            PatternGuidance(
                pattern: pattern,
                remediation: "Store message bodies under their SHA-256 digest and link replies to the digests they answer.",
                description: "Address each message by the SHA-256 of its content so identical content is stored once, tampering is visible, and replies can point at their parents, forming a directed acyclic graph of the conversation.",
                firstMoves: [
                    #"digest="$(sha256sum < message.msg | cut -d' ' -f1)""#,
                    #"mkdir -p objects && cp message.msg "objects/${digest}.msg""#,
                ])
        case .authorityDomains:
            PatternGuidance(
                pattern: pattern,
                remediation: "Declare authority_domains for each agent in the agent configuration and refuse actions outside them.",
                description: "Say in the agent configuration which domains each agent decides on (implementation, testing, releases, ...), and have the message tooling reject requests that an agent has no authority over.",
                firstMoves: [
                    "# in config.yaml, under each agent:",
                    "#   authority_domains: [implementation, testing]",
                ])
        case .priorityQueue:
            PatternGuidance(
                pattern: pattern,
                remediation: "Add a priority lane (inbox/priority/) that readers drain before the normal inbox.",
                description: "Urgent work must not wait behind a backlog. Add a priority lane (`inbox/priority/`) beside the normal inboxes and make every reader take from it first.",
                firstMoves: ["mkdir -p inbox/priority"])
        case .deferQueue:
            PatternGuidance(
                pattern: pattern,
                remediation: "Add a defer lane (inbox/defer/) for work parked until a time or condition, and a job that releases it.",
                description: "Work that cannot be done yet should be parked, not lost or retried in a loop. Add a defer lane (`inbox/defer/`) where messages wait with a release time, and a periodic job that moves due messages back into the inbox.",
                firstMoves: ["mkdir -p inbox/defer"])
        case .faultTolerantWrappers:
            PatternGuidance(
                pattern: pattern,
                remediation: "Wrap the commands that can fail transiently in a retry loop with exponential backoff and a final error report.",
                description: "File systems, networks and other agents fail now and then. Run the operations that can fail through a wrapper that retries a bounded number of times with growing pauses, and logs an event when it finally gives up.",
                firstMoves: [
                    #"retry() { n=0; until "$@"; do n=$((n+1)); [ "$n" -ge 5 ] && return 1; sleep $((2**n)); done; }"#,
                ])
        case .tlaVerification:
            PatternGuidance(
                pattern: pattern,
                remediation: "Write a TLA+ specification of the message protocol and check its safety properties with TLC.",
                description: "Describe the coordination protocol (send, claim, complete, defer) in TLA+ and let the model checker look for lost messages, double processing and deadlocks before they happen in production.",
                firstMoves: [
                    "mkdir -p specs && touch specs/Coordination.tla",
                    "# check it with TLC: java -jar tla2tools.jar -config specs/Coordination.cfg specs/Coordination.tla",
                ])
        }
    }

    /// Every stored property, as the memberwise initializer takes them.
    package init(pattern: PatternID, remediation: String, description: String, firstMoves: [String]) {
        self.pattern = pattern
        self.remediation = remediation
        self.description = description
        self.firstMoves = firstMoves
    }
}
