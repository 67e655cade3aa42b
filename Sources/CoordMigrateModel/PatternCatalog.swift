/// What each pattern is and what is looked for, by kind of evidence: the text
/// behind `coord-migrate patterns` and `--explain`.
public struct PatternDescription: Sendable, Hashable {
    /// The pattern described.
    public var pattern: PatternID
    /// What the pattern is, in a sentence or two.
    public var summary: String
    /// What is looked for, for each kind of evidence that counts.
    public var lookedFor: [(kind: EvidenceKind, what: String)]

    /// Two descriptions are equal when they describe the same pattern.
    public static func == (lhs: PatternDescription, rhs: PatternDescription) -> Bool { lhs.pattern == rhs.pattern }
    /// Hashes the pattern alone, as `==` compares it.
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// The evidence kinds that count for this pattern.
    public var evidenceKinds: [EvidenceKind] { lookedFor.map(\.kind) }

    /// Every stored property, as the memberwise initializer takes them.
    package init(pattern: PatternID, summary: String, lookedFor: [(kind: EvidenceKind, what: String)]) {
        self.pattern = pattern
        self.summary = summary
        self.lookedFor = lookedFor
    }
}

/// What each of the eight patterns is and what is looked for: the text behind
/// `coord-migrate patterns` and `--explain`.
public enum PatternCatalog {
    /// The eight descriptions, in ``PatternID`` order.
    public static let all: [PatternDescription] = PatternID.allCases.map(describe)

    /// The description of one pattern.
    public static func describe(_ pattern: PatternID) -> PatternDescription {
        switch pattern {
        case .collisionFreeMessaging:
            PatternDescription(
                pattern: pattern,
                summary: "Every message has a name no other writer can produce, so concurrent senders never overwrite each other.",
                lookedFor: [
                    (.disk, "message file names (under inbox/, messages/, mailboxes/, queue/, any …/inbox/, and *.msg anywhere) that carry a UUID"),
                    (.code, "a program that deals with messages and generates UUIDs (uuidgen, uuid4(), randomUUID())"),
                ])
        case .eventSourcing:
            PatternDescription(
                pattern: pattern,
                summary: "Every operation is appended to a log that is never rewritten, so state can be replayed and audited.",
                lookedFor: [
                    (.disk, "events.log, events.jsonl or events.ndjson, an event_log/, events/ or journal/ folder, at the root or in a hidden folder at the root"),
                    (.code, "a program that appends to an event log or journal (>>, open(…, 'a'), appendFile)"),
                ])
        case .contentAddressedDAG:
            PatternDescription(
                pattern: pattern,
                summary: "Messages are addressed by the SHA-256 of their content, and replies point at their parents.",
                lookedFor: [
                    (.disk, "message file names that carry 64 hexadecimal digits"),
                    (.code, "a program that deals with messages and computes SHA-256 digests"),
                ])
        case .authorityDomains:
            PatternDescription(
                pattern: pattern,
                summary: "Each agent declares what it decides on, and acts outside that only by asking.",
                lookedFor: [
                    (.config, "authority_domains on an agent in config.yaml/.yml/.json or agents.yaml/.yml/.json at the root; capabilities, permissions or scopes in an agent registry (registry/agents/*, agents/*)"),
                ])
        case .priorityQueue:
            PatternDescription(
                pattern: pattern,
                summary: "Urgent work has its own lane that readers drain first.",
                lookedFor: [
                    (.disk, "inbox/priority/, queue/high/, queue/priority/ or priority/; a priority/ or urgent/ folder where messages live"),
                    (.code, "a program that moves or writes work into a priority or urgent lane"),
                ])
        case .deferQueue:
            PatternDescription(
                pattern: pattern,
                summary: "Work that cannot be done yet is parked in its own lane and released later.",
                lookedFor: [
                    (.disk, "inbox/defer/, defer/, defer-queue/ or queue/defer/; a defer/ or deferred/ folder where messages live"),
                    (.code, "a program that moves or writes work into a defer lane"),
                ])
        case .faultTolerantWrappers:
            PatternDescription(
                pattern: pattern,
                summary: "Operations that can fail transiently are retried with backoff instead of failing the workflow.",
                lookedFor: [
                    (.code, "a script (*.sh, *.py) at the root, in scripts/ or in bin/ that mentions retry, attempt or backoff; elsewhere, a program with a loop that sleeps between retries"),
                ])
        case .tlaVerification:
            PatternDescription(
                pattern: pattern,
                summary: "The coordination protocol is specified in TLA+ and model-checked.",
                lookedFor: [(.disk, "a *.tla file anywhere in the tree")])
        }
    }
}
