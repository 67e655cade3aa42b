public import CoordMigrateModel
public import CoordMigrateScan
public import Foundation

/// Something that looks at the tree during the single walk and reports findings.
///
/// Every detector, built-in or registered by a user, sees every entry of the same
/// walk through ``visit(_:context:)``; none walks the tree again. After the walk
/// and the built-in phases, ``finish(context:)`` runs once per detector, in
/// registration order, with the built-in facts and pattern findings readable.
///
/// ```swift
/// final class LockFileDetector: Detector {
///     private var locks = 0
///     func visit(_ entry: ScanEntry, context: DetectionContext) {
///         if entry.kind == .file && entry.name.hasSuffix(".lock") { locks += 1 }
///     }
///     func finish(context: DetectionContext) {
///         context.addCustomFinding(PatternFinding(
///             id: "lock-files", title: "Lock files", present: locks > 0,
///             summary: "\(locks) lock files", remediation: "Use atomic renames instead."))
///     }
/// }
/// DetectorRegistry.register { LockFileDetector() }
/// ```
public protocol Detector: AnyObject {
    /// Called for every entry of the walk, in walk order (which is not sorted).
    /// The entry is valid only during this call.
    func visit(_ entry: ScanEntry, context: DetectionContext)
    /// Called once after the walk.
    func finish(context: DetectionContext)
}

/// The registration point for detectors that run in every analysis, beside the built-ins.
public enum DetectorRegistry {
    /// Makes a fresh detector. It is called once per analysis, so no state is shared between runs.
    public typealias Factory = @Sendable () -> any Detector

    private static let lock = NSLock()
    nonisolated(unsafe) private static var factories: [Factory] = []

    /// Adds a detector to every analysis started after this call.
    public static func register(_ factory: @escaping Factory) {
        lock.withLock { factories.append(factory) }
    }

    /// Removes every registered detector (the built-ins stay).
    public static func removeAll() {
        lock.withLock { factories.removeAll() }
    }

    /// Fresh instances of the registered detectors (the built-ins run in their own phases).
    package static func makeDetectors() -> [any Detector] {
        let registered = lock.withLock { factories }
        return registered.map { $0() }
    }
}

/// What a detector sees of an analysis: its inputs, and, once the built-in phases
/// have run (by the time ``Detector/finish(context:)`` is called), the facts they
/// decided and the findings for the eight patterns. A detector adds its own
/// findings, evidence and warnings; it cannot change what the built-ins decided.
public final class DetectionContext {
    package let inputs: DetectionInputs

    /// The analysed directory, absolute.
    public var root: String { inputs.root }
    /// The report time: message ages are measured against it.
    public var now: Date { inputs.now }
    /// The platform the report names.
    public var platform: String { inputs.platform }
    /// The numbers behind the score (scale thresholds are used during detection).
    public var policy: ScoringPolicy { inputs.policy }
    /// Pattern ids not to check, with the reason.
    public var skippedPatterns: [String: String] { inputs.skippedPatterns }

    /// The built-in phases' facts; their defaults until the phases have run.
    private var facts = SystemFacts()

    /// How the system moves messages (file-based, database, api or none).
    public var messageSystemType: MessageSystemType { facts.messageSystemType }
    /// The database type the agent configuration declares (`unspecified` when it names none); nil without one.
    public var databaseType: String? { facts.databaseType }
    /// What was measured, read-only, in the system's database; nil when no database was read.
    public private(set) var database: DatabaseMeasurement?
    /// True when an event log was found: on disk, as an event table, or in code that appends to one.
    public var hasEventLog: Bool { facts.hasEventLog }
    /// True when per-agent inboxes were found: folders under `inbox/`, another mailbox layout, or code that writes per agent.
    public var hasInboxStructure: Bool { facts.hasInboxStructure }
    /// True when an agent configuration file at the root or an agent registry was found.
    public var hasAgentConfig: Bool { facts.hasAgentConfig }
    /// Agents the agent configuration declares, when it declares any.
    public var configuredAgents: Int? { facts.configuredAgents }
    /// Agents that declare `authority_domains`, sorted.
    public var agentsWithAuthorityDomains: [String] { facts.agentsWithAuthorityDomains }
    /// Agents: the inbox folders, else the agents the configuration declares, else the database's senders and recipients.
    public var estimatedAgents: Int { facts.estimatedAgents }
    /// A third of ``estimatedAgents`` (rounded down), at least 1.
    public var estimatedUsers: Int { facts.estimatedUsers }
    /// Message files of the last 7 days divided by 7, else all divided by 30; the database's rate without message files.
    public var estimatedMessagesPerDay: Int { facts.estimatedMessagesPerDay }
    /// Message files counted under the inboxes.
    public var messageFiles: Int { facts.messageFiles }
    /// Of ``messageFiles``, those modified in the 7 days before ``now`` (none dated after it).
    public var recentMessageFiles: Int { facts.recentMessageFiles }
    /// The scale the policy gives for ``estimatedUsers`` and ``estimatedMessagesPerDay``.
    public var estimatedScale: Scale { facts.estimatedScale }

    /// Agent configuration documents, by path, for rules that look up keys.
    package private(set) var configDocuments: [ConfigDocument] = []
    private var patternFindings: [PatternID: PatternFinding] = [:]
    /// The findings added with ``addCustomFinding(_:)``, in the order they were added.
    public private(set) var customFindings: [PatternFinding] = []
    /// The evidence recorded by every detector so far, in the order it was added (the
    /// result sorts it).
    public private(set) var evidence: [Evidence] = []
    /// The warnings added with ``addWarning(_:)``; the result puts the walk's own first.
    public private(set) var warnings: [ScanWarning] = []

    /// A context for `root` at `now`, with the seed's policy and nothing skipped (for detectors tested on their own).
    public convenience init(root: String, now: Date, platform: String = DetectionContext.hostPlatform) {
        self.init(DetectionInputs(root: root, now: now, platform: platform, policy: .seed, skippedPatterns: [:]))
    }

    package init(_ inputs: DetectionInputs) {
        self.inputs = inputs
    }

    /// The finding for a built-in pattern, once the built-in phases have run.
    public func finding(for pattern: PatternID) -> PatternFinding? { patternFindings[pattern] }

    /// Records a finding of a custom detector. It is listed apart from the eight
    /// patterns and does not change the score.
    public func addCustomFinding(_ finding: PatternFinding) {
        customFindings.append(finding)
    }

    /// Records several evidence items; each one's `subject` names what it supports (a
    /// custom detector's finding id, say).
    public func addEvidence(_ items: some Sequence<Evidence>) {
        evidence.append(contentsOf: items)
    }

    /// Records one evidence item.
    public func addEvidence(_ item: Evidence) {
        evidence.append(item)
    }

    /// Records a problem for the report's warnings; the analysis goes on.
    public func addWarning(_ warning: ScanWarning) {
        warnings.append(warning)
    }

    /// Hands the built-in phases' results to the detectors that finish after them.
    package func publish(facts: SystemFacts, patterns: [PatternID: PatternFinding], inventory: WalkInventory, output: PhaseOutput) {
        self.facts = facts
        database = inventory.database
        configDocuments = inventory.configDocuments
        patternFindings = patterns
        evidence += output.evidence
        warnings += output.warnings
    }

    /// The host operating system, named as the original tool names it.
    public static var hostPlatform: String {
        #if os(macOS)
        "macos"
        #elseif os(Linux)
        "linux"
        #elseif os(Windows)
        "windows"
        #else
        "unknown"
        #endif
    }
}

/// Keeps the first few evidence items by path, whatever order the walk delivers
/// them in, so reports are identical from run to run; counts everything.
struct EvidenceSample {
    let limit: Int
    private(set) var items: [Evidence] = []
    private(set) var count = 0

    init(limit: Int = 5) { self.limit = limit }

    mutating func offer(_ item: Evidence) {
        count += 1
        if items.count == limit, let last = items.last, !Self.precedes(item, last) { return }
        let index = items.firstIndex { Self.precedes(item, $0) } ?? items.endIndex
        items.insert(item, at: index)
        if items.count > limit { items.removeLast() }
    }

    /// ``offer(_:)`` for an item that is built only when it would be kept: most items of a
    /// walk (one per message file) would not, and building one costs a few strings.
    mutating func offer(path: String, line: Int? = nil, _ make: () -> Evidence) {
        if items.count == limit, let last = items.last, (path, line ?? 0) >= (last.path, last.line ?? 0) {
            count += 1
            return
        }
        offer(make())
    }

    private static func precedes(_ a: Evidence, _ b: Evidence) -> Bool {
        (a.path, a.line ?? 0) < (b.path, b.line ?? 0)
    }
}
