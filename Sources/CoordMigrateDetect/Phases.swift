package import CoordMigrateModel
package import CoordMigrateScan
package import Foundation

// Detection runs in typed phases, each reading only what the phases before it made:
//
//   walk          every detector visits every entry (warnings only go to the context)
//   inventory     collectors hand in what they gathered: WalkInventory
//   database      WalkInventory → WalkInventory with the measurement (DatabaseStep)
//   facts         the infrastructure, decided in a fixed order: SystemFacts
//   patterns      one finding per pattern, from the inventory and the facts
//   custom        users' detectors and house rules, through the narrow DetectionContext
//   assembly      one function builds the DetectionResult
//
// The order is the order of the calls in `BuiltInDetection.finish`, and the data
// each phase receives is all it can read.

/// The fixed inputs of one detection.
package struct DetectionInputs: Sendable {
    package var root: String
    package var now: Date
    package var platform: String
    package var policy: ScoringPolicy
    package var skippedPatterns: [String: String]

    package init(root: String, now: Date, platform: String, policy: ScoringPolicy, skippedPatterns: [String: String]) {
        self.root = root
        self.now = now
        self.platform = platform
        self.policy = policy
        self.skippedPatterns = skippedPatterns
    }
}

/// What the walk collected that later phases read, handed in once after the walk.
package struct WalkInventory: Sendable {
    /// Agent configuration files at the root, by path: what each declares (nil: present, not readable).
    package var configFiles: [(path: String, summary: AgentConfigSummary?)] = []
    /// Every parsed agent configuration document, for rules that look up keys and the database phase.
    package var configDocuments: [ConfigDocument] = []
    /// What programs in the tree were seen doing (see ``SourceCodeDetector``).
    package var codeSignals: [SourceCodeDetector.Signal: [Evidence]] = [:]
    /// Facts in code that look like a pattern and were not counted for it, with why.
    package var codeNotCounted: [PatternID: [Evidence]] = [:]
    /// Per-agent folders in a layout other than `inbox/<agent>/`, when the root has no `inbox/`.
    package var inboxLayout: InboxLayout?
    /// Agents found in agent registries (beyond the root configuration files).
    package var registryAgents: [String] = []
    package var registryAgentsWithAuthority: [String] = []
    /// The registry file each of ``registryAgents`` is declared in.
    package var registryAgentSources: [String: String] = [:]
    /// What the system map is drawn from: programs' reads and writes, inbox folders (see ``SystemMapCollector``).
    package var mapSources = SystemMapSources()
    /// Settings files named for the agents they configure that list no agents (`agent-orchestrator.yaml`).
    package var agentSettingsFiles: [String] = []
    /// The keys that declared authority in registries (`capabilities`, …).
    package var registryAuthorityKeys = Set<String>()
    /// Folders a few levels down that look like coordination systems.
    package var discoveryCandidates: [DiscoveryCandidate] = []
    /// The tables the system's code declares (see ``SchemaDetector``).
    package var declaredSchema = DeclaredSchema()
    /// What was measured, read-only, in the system's database (the database phase sets it).
    package var database: DatabaseMeasurement?

    /// The code evidence for a signal, filed under `subject`.
    package func codeEvidence(_ signal: SourceCodeDetector.Signal, as subject: EvidenceSubject) -> [Evidence] {
        (codeSignals[signal] ?? []).map {
            Evidence(subject: subject, kind: .code, path: $0.path, line: $0.line, detail: $0.detail)
        }
    }
}

/// The infrastructure, as decided from the inventory: what the patterns and the
/// score build on.
package struct SystemFacts: Sendable {
    package var messageSystemType: MessageSystemType = .none
    package var databaseType: String?
    package var hasEventLog = false
    /// The evidence the event log was found by (event sourcing reports it too).
    package var eventLogEvidence: [Evidence] = []
    package var hasInboxStructure = false
    package var hasAgentConfig = false
    package var configuredAgents: Int?
    package var agentsWithAuthorityDomains: [String] = []
    package var authorityKeys = Set<String>()
    package var estimatedAgents = 0
    package var estimatedUsers = 1
    package var estimatedMessagesPerDay = 0
    package var messageFiles = 0
    package var recentMessageFiles = 0
    package var estimatedScale: Scale = .individual
}

/// The evidence and warnings a phase adds, in the order it adds them.
package struct PhaseOutput: Sendable {
    package var evidence: [Evidence] = []
    package var warnings: [ScanWarning] = []

    package mutating func add(_ item: Evidence) { evidence.append(item) }
    package mutating func add(_ items: some Sequence<Evidence>) { evidence.append(contentsOf: items) }
    package mutating func warn(_ warning: ScanWarning) { warnings.append(warning) }
}

/// A built-in detector: it visits the walk's entries (the context is there for the
/// report time and for warnings), then hands its result to its phase.
protocol BuiltInDetector: AnyObject {
    func visit(_ entry: ScanEntry, context: DetectionContext)
}

/// A detector whose result is part of the inventory.
protocol InventoryCollector: BuiltInDetector {
    func collect(into inventory: inout WalkInventory)
}

/// A detector that decides one of the eight patterns (its texts are the pattern's
/// ``PatternDefinition``), from the inventory and the facts only.
protocol PatternDetector: BuiltInDetector {
    static var pattern: PatternID { get }
    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding
}

extension PatternDetector {
    /// The finding for this detector's pattern, with the remediation its definition gives.
    func finding(present: Bool, summary: String, kinds: [EvidenceKind] = []) -> PatternFinding {
        PatternFinding(pattern: Self.pattern, present: present, summary: summary, evidenceKinds: kinds)
    }
}

/// What detection hands on: the result, and the folders below the root that look
/// like systems of their own (for discovery).
package struct DetectionOutcome: Sendable {
    package var result: DetectionResult
    package var discoveryCandidates: [DiscoveryCandidate]
}

/// The built-in detectors of one analysis and the phases they run in.
package final class BuiltInDetection {
    let sourceCode = SourceCodeDetector()
    let schema = SchemaDetector()
    let registry = AgentRegistryDetector()
    let mailboxes = MailboxLayoutDetector()
    let agentConfig = AgentConfigDetector()
    let messageSystem = MessageSystemDetector()
    let eventLog = EventLogDetector()
    let inbox = InboxStructureDetector()
    let scale = ScaleDetector()
    let patterns = BuiltInDetectors.patterns()
    let discovery = DiscoveryDetector()
    let map = SystemMapCollector()
    let code: CodeReader

    package init() {
        code = CodeReader(consumers: [schema, sourceCode, map])
    }

    /// Every built-in detector, in the order they visit: built once, since the walk asks for each entry.
    private lazy var all: [any BuiltInDetector] =
        // The code reader first: the facts of every program go to the schema and code detectors.
        [code, map, registry, mailboxes, agentConfig, messageSystem, eventLog, inbox, scale] + patterns.map { $0 as any BuiltInDetector } + [discovery]

    /// Phase 1: every built-in detector sees the entry.
    package func visit(_ entry: ScanEntry, context: DetectionContext) {
        for detector in all { detector.visit(entry, context: context) }
    }

    /// The phases after the walk, in order; `custom` detectors finish last, through `context`.
    package func finish(
        database options: DatabaseOptions, context: DetectionContext, custom: [any Detector], scanWarnings: [ScanWarning]
    ) -> DetectionOutcome {
        // Phase 2: the inventory, once every program has been read.
        code.finish()
        var inventory = WalkInventory()
        let collectors: [any InventoryCollector] = [sourceCode, schema, map, registry, mailboxes, agentConfig, discovery]
        for collector in collectors { collector.collect(into: &inventory) }

        // Phase 3: the database, inventory → inventory.
        let database = DatabaseStep.run(options, inventory: inventory, root: context.inputs.root, now: context.inputs.now)
        inventory = database.inventory
        var output = PhaseOutput()
        output.warnings += database.outcome.warnings
        output.evidence += database.outcome.evidence

        // Phase 4: the infrastructure facts, each from what the ones before it decided.
        var facts = SystemFacts()
        if let declared = database.outcome.declaredType { facts.databaseType = declared }
        registry.decide(inventory, &output)
        agentConfig.decide(inventory, &facts, &output)
        messageSystem.decide(inventory, &facts, &output)
        eventLog.decide(inventory, &facts, &output)
        inbox.decide(inventory, &facts, &output)
        scale.decide(inventory, context.inputs, &facts, &output)

        // Phase 5: the patterns.
        var findings: [PatternID: PatternFinding] = [:]
        for detector in patterns {
            findings[type(of: detector).pattern] = detector.decide(inventory, facts, &output)
        }

        // Phase 5b: the map of the system, from the inventory, the facts and the evidence so far.
        let systemMap = SystemMapBuilder.build(inventory, facts, evidence: output.evidence)

        // Phase 6: custom detectors and house rules, which may read everything above.
        context.publish(facts: facts, patterns: findings, inventory: inventory, output: output)
        for detector in custom { detector.finish(context: context) }

        // Phase 7: one function assembles the result.
        let result = DetectionAssembly.result(
            inputs: context.inputs, facts: facts, patterns: findings, database: inventory.database,
            custom: context.customFindings, evidence: context.evidence, warnings: scanWarnings + context.warnings,
            notCounted: inventory.codeNotCounted, systemMap: systemMap)
        return DetectionOutcome(result: result, discoveryCandidates: inventory.discoveryCandidates)
    }
}

/// Builds the detection result from the phases' outputs: patterns in catalog
/// order, skipped ones with their reason, evidence sorted, warnings in order.
enum DetectionAssembly {
    static func result(
        inputs: DetectionInputs, facts: SystemFacts, patterns findings: [PatternID: PatternFinding],
        database: DatabaseMeasurement?, custom: [PatternFinding], evidence: [Evidence], warnings: [ScanWarning],
        notCounted: [PatternID: [Evidence]] = [:], systemMap: SystemMap? = nil
    ) -> DetectionResult {
        let skippedPatterns = inputs.skippedPatterns
        let checked = PatternID.allCases.map { id in
            findings[id] ?? PatternFinding(pattern: id, present: false, summary: "not checked")
        }
        // A skipped pattern (or rule) is reported with its reason, neither present nor missing.
        func applySkip(_ finding: PatternFinding) -> PatternFinding {
            var result = finding
            if let reason = skippedPatterns[finding.id] {
                result.skippedReason = reason
                result.present = false
                result.evidenceKinds = []
            }
            let confidence = Confidence.of(result)
            result.confidence = confidence?.0
            result.confidenceReason = confidence?.1
            return result
        }
        let patterns = checked.map(applySkip)
        let skipped = PatternID.allCases.filter { skippedPatterns[$0.rawValue] != nil }
        let present = PatternID.allCases.filter { findings[$0]?.present == true && !skipped.contains($0) }
        let order = Dictionary(uniqueKeysWithValues: PatternID.allCases.enumerated().map { ($1.rawValue, $0) })
        let sortedEvidence = evidence.sorted {
            (order[$0.subject.rawValue] ?? Int.max, $0.subject.rawValue, $0.path, $0.line ?? 0, $0.detail)
                < (order[$1.subject.rawValue] ?? Int.max, $1.subject.rawValue, $1.path, $1.line ?? 0, $1.detail)
        }
        // What was seen and not counted explains a missing pattern; beside a present one it is noise.
        let missing = PatternID.allCases.filter { !present.contains($0) && !skipped.contains($0) }
        let notCountedItems = missing.flatMap { notCounted[$0] ?? [] }
        var result = DetectionResult(
            hasMessageSystem: facts.messageSystemType != .none,
            messageSystemType: facts.messageSystemType,
            databaseType: facts.messageSystemType == .database ? facts.databaseType : nil,
            hasEventLog: facts.hasEventLog,
            hasInboxStructure: facts.hasInboxStructure,
            hasAgentConfig: facts.hasAgentConfig,
            estimatedAgents: facts.estimatedAgents,
            estimatedUsers: facts.estimatedUsers,
            estimatedMessagesPerDay: facts.estimatedMessagesPerDay,
            messageFiles: facts.messageFiles,
            recentMessageFiles: facts.recentMessageFiles,
            estimatedScale: facts.estimatedScale,
            platform: inputs.platform,
            patterns: patterns,
            existingPatterns: present,
            gaps: PatternID.allCases.filter { !present.contains($0) && !skipped.contains($0) },
            skippedPatterns: skippedPatterns.keys.sorted(),
            customPatterns: custom.sorted { $0.id < $1.id }.map(applySkip),
            evidence: sortedEvidence,
            warnings: warnings,
            discovery: nil,
            database: database)
        result.notCounted = notCountedItems.isEmpty ? nil : notCountedItems
        let factPresent: [EvidenceSubject.Infrastructure: Bool] = [
            .messageSystem: facts.messageSystemType != .none, .eventLog: facts.hasEventLog,
            .inboxStructure: facts.hasInboxStructure, .agentConfig: facts.hasAgentConfig,
        ]
        result.infrastructureConfidence = [EvidenceSubject.Infrastructure.messageSystem, .eventLog, .inboxStructure, .agentConfig].map { fact in
            let kinds = EvidenceKind.allCases.filter { kind in
                sortedEvidence.contains { $0.subject == .infrastructure(fact) && $0.kind == kind }
            }
            let (confidence, reason) = Confidence.of(present: factPresent[fact] ?? false, kinds: kinds)
            return FactConfidence(fact: fact.rawValue, confidence: confidence, reason: reason)
        }
        result.systemMap = systemMap
        result.parts = parts(of: sortedEvidence, present: present, facts: factPresent)
        return result
    }

    /// The parts the findings came from, when more than one part gave the system an
    /// infrastructure fact: which facts that hold and which present patterns each part gave
    /// evidence for. Only programs and settings make a part (``SystemPart/of(_:)``); data on
    /// disk (inboxes, logs, lanes) belongs to the system at the root.
    static func parts(
        of evidence: [Evidence], present: [PatternID], facts: [EvidenceSubject.Infrastructure: Bool]
    ) -> [SystemPart]? {
        let order = EvidenceSubject.Infrastructure.allCases.map(\.rawValue) + PatternID.allCases.map(\.rawValue)
        var found: [String: Set<String>] = [:]
        var givesFacts = Set<String>()
        for item in evidence {
            let part = item.kind == .code || item.kind == .config ? SystemPart.of(item.path) : "./"
            switch item.subject {
            case .infrastructure(let fact) where fact != .scale && facts[fact] == true:
                found[part, default: []].insert(fact.rawValue)
                givesFacts.insert(part)
            case .pattern(let pattern) where present.contains(pattern):
                found[part, default: []].insert(pattern.rawValue)
            default: break
            }
        }
        guard givesFacts.count > 1 else { return nil }
        return found.keys.sorted().map { path in
            SystemPart(path: path, findings: order.filter { found[path]?.contains($0) == true })
        }
    }
}
