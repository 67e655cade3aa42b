public import CoordMigrateModel
public import CoordMigrateScan
public import Foundation

/// Something that looks at the tree during the single walk and reports findings.
///
/// Every detector, built-in or registered by a user, sees every entry of the same
/// walk through ``visit(_:context:)``; none walks the tree again. After the walk,
/// ``finish(context:)`` runs once per detector, in registration order (built-ins
/// first), so a detector may read facts that earlier ones recorded.
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

    /// Fresh instances of the built-in detectors followed by the registered ones.
    package static func makeDetectors() -> [any Detector] {
        let registered = lock.withLock { factories }
        return BuiltInDetectors.make() + registered.map { $0() }
    }
}

/// Collects what detectors find. Built-in facts are readable by every detector;
/// custom detectors add findings, evidence and warnings.
public final class DetectionContext {
    /// The analysed directory, absolute.
    public let root: String
    /// The report time: message ages are measured against it.
    public let now: Date

    /// How the system moves messages. Like the other built-in facts below, it is final
    /// only once the built-in detectors have finished: read it in ``Detector/finish(context:)``.
    public package(set) var messageSystemType: MessageSystemType = .none
    /// The database type the agent configuration declares (`unspecified` when it names
    /// none) or the database phase found; nil when no database is declared.
    public package(set) var databaseType: String?
    /// What was measured, read-only, in the system's database; set after the walk
    /// and before any detector finishes, nil when no database was read.
    public package(set) var database: DatabaseMeasurement?
    /// True when an event log was found: on disk, as an event table in the database, or
    /// in code that appends to one.
    public package(set) var hasEventLog = false
    /// True when per-agent inboxes were found: folders under `inbox/`, another per-agent
    /// mailbox layout, or code that writes per agent.
    public package(set) var hasInboxStructure = false
    /// True when an agent configuration file at the root or an agent registry was found.
    public package(set) var hasAgentConfig = false
    /// Agents the agent configuration declares, when it declares any.
    public package(set) var configuredAgents: Int?
    /// Agents that declare `authority_domains`, sorted.
    public package(set) var agentsWithAuthorityDomains: [String] = []
    /// Agents: the folders under `inbox/` (or another mailbox layout), else those the
    /// configuration declares, else the database's distinct senders and recipients.
    public package(set) var estimatedAgents = 0
    /// A third of ``estimatedAgents`` (rounded down), at least 1.
    public package(set) var estimatedUsers = 1
    /// Message files modified in the 7 days before ``now``, divided by 7; if none is, all of
    /// them divided by 30. The database's rate when the tree has no message files.
    public package(set) var estimatedMessagesPerDay = 0
    /// Message files counted under `inbox/` (or another per-agent mailbox layout).
    public package(set) var messageFiles = 0
    /// Of ``messageFiles``, those modified in the 7 days before ``now``; files dated after
    /// it are not counted.
    public package(set) var recentMessageFiles = 0
    /// The scale ``policy`` gives for ``estimatedUsers`` and ``estimatedMessagesPerDay``.
    public package(set) var estimatedScale: Scale = .individual
    /// The platform the report names: ``hostPlatform`` unless another was passed.
    public package(set) var platform: String
    /// The numbers behind the score (scale thresholds are used during detection).
    public package(set) var policy: ScoringPolicy = .seed

    var patternFindings: [PatternID: PatternFinding] = [:]
    /// What programs in the tree were seen doing (see ``SourceCodeDetector``).
    var codeSignals: [SourceCodeDetector.Signal: [Evidence]] = [:]
    /// Per-agent folders in a layout other than `inbox/<agent>/`, when the root has no `inbox/`.
    var inboxLayout: InboxLayout?
    /// Agents found in agent registries (beyond the root configuration files).
    var registryAgents: [String] = []
    var registryAgentsWithAuthority: [String] = []
    /// The keys that declared authority: `authority_domains`, or a registry's `capabilities`, ….
    var authorityKeys = Set<String>()
    /// Agent configuration documents, by path, for rules that look up keys.
    var configDocuments: [ConfigDocument] = []
    /// Pattern ids not to check, with the reason.
    public package(set) var skippedPatterns: [String: String] = [:]
    /// Folders a few levels down that look like coordination systems.
    package var discoveryCandidates: [DiscoveryCandidate] = []
    /// The findings added with ``addCustomFinding(_:)``, in the order they were added.
    public private(set) var customFindings: [PatternFinding] = []
    /// The evidence recorded by every detector so far, in the order it was added (the
    /// result sorts it).
    public private(set) var evidence: [Evidence] = []
    /// The warnings added with ``addWarning(_:)``; the result puts the walk's own first.
    public private(set) var warnings: [ScanWarning] = []

    /// Creates an empty context for the analysed folder `root` (absolute), with `now` as
    /// the report time; every fact starts at its default.
    public init(root: String, now: Date, platform: String = DetectionContext.hostPlatform) {
        self.root = root
        self.now = now
        self.platform = platform
    }

    /// The finding for a built-in pattern, once its detector has finished.
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

    /// The code evidence for a signal, filed under `subject`.
    func codeEvidence(_ signal: SourceCodeDetector.Signal, as subject: String) -> [Evidence] {
        (codeSignals[signal] ?? []).map {
            Evidence(subject: subject, kind: .code, path: $0.path, line: $0.line, detail: $0.detail)
        }
    }

    func setPattern(_ id: PatternID, present: Bool, summary: String, kinds: [EvidenceKind] = []) {
        patternFindings[id] = PatternFinding(
            id: id.rawValue, title: id.title, present: present, summary: summary,
            evidenceKinds: present ? kinds : [], remediation: PatternGuidance.for(id).remediation)
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

    /// The finished detection, patterns in catalog order.
    package func result(scanWarnings: [ScanWarning]) -> DetectionResult {
        let checked = PatternID.allCases.map { id in
            patternFindings[id] ?? PatternFinding(
                id: id.rawValue, title: id.title, present: false, summary: "not checked",
                remediation: PatternGuidance.for(id).remediation)
        }
        // A skipped pattern (or rule) is reported with its reason, neither present nor missing.
        func applySkip(_ finding: PatternFinding) -> PatternFinding {
            guard let reason = skippedPatterns[finding.id] else { return finding }
            var skipped = finding
            skipped.skippedReason = reason
            skipped.present = false
            skipped.evidenceKinds = []
            return skipped
        }
        let patterns = checked.map(applySkip)
        let skipped = PatternID.allCases.filter { skippedPatterns[$0.rawValue] != nil }
        let present = PatternID.allCases.filter { patternFindings[$0]?.present == true && !skipped.contains($0) }
        let order = Dictionary(uniqueKeysWithValues: PatternID.allCases.enumerated().map { ($1.rawValue, $0) })
        let sortedEvidence = evidence.sorted {
            (order[$0.subject] ?? Int.max, $0.subject, $0.path, $0.line ?? 0, $0.detail)
                < (order[$1.subject] ?? Int.max, $1.subject, $1.path, $1.line ?? 0, $1.detail)
        }
        return DetectionResult(
            hasMessageSystem: messageSystemType != .none,
            messageSystemType: messageSystemType,
            databaseType: messageSystemType == .database ? databaseType : nil,
            hasEventLog: hasEventLog,
            hasInboxStructure: hasInboxStructure,
            hasAgentConfig: hasAgentConfig,
            estimatedAgents: estimatedAgents,
            estimatedUsers: estimatedUsers,
            estimatedMessagesPerDay: estimatedMessagesPerDay,
            messageFiles: messageFiles,
            recentMessageFiles: recentMessageFiles,
            estimatedScale: estimatedScale,
            platform: platform,
            patterns: patterns,
            existingPatterns: present,
            gaps: PatternID.allCases.filter { !present.contains($0) && !skipped.contains($0) },
            skippedPatterns: skippedPatterns.keys.sorted(),
            customPatterns: customFindings.sorted { $0.id < $1.id }.map(applySkip),
            evidence: sortedEvidence,
            warnings: scanWarnings + warnings,
            discovery: nil,
            database: database)
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

    private static func precedes(_ a: Evidence, _ b: Evidence) -> Bool {
        (a.path, a.line ?? 0) < (b.path, b.line ?? 0)
    }
}
