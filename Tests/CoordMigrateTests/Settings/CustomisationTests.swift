@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

// Library-level tests of the customisation features: declarative rules
// (`--rules`, `rules:`), the scoring policy (`--policy`, `policy:`), skipped
// patterns (`--skip-pattern`, `skip_patterns:`) and the strict settings reader.
// Expected numbers are worked out from the seed arithmetic in each test, never
// copied from the tool's output.

@Suite("Customisation (library)")
struct CustomisationTests {
    // MARK: - Helpers

    /// Writes `text` to a file of its own and returns the folder (kept alive by the caller) and the path.
    static func write(_ text: String, as name: String) throws -> (folder: TempTree, path: String) {
        let folder = try TempTree("settings")
        let path = try folder.file(name, text)
        return (folder, path)
    }

    static func rules(_ yaml: String) throws -> [CustomRule] {
        let (folder, path) = try write(yaml, as: "rules.yaml")
        return try withExtendedLifetime(folder) { try CustomRule.load(path) }
    }

    static func policy(_ yaml: String) throws -> ScoringPolicy {
        let (folder, path) = try write(yaml, as: "policy.yaml")
        return try withExtendedLifetime(folder) { try ScoringPolicy.load(path) }
    }

    /// The whole pipeline on `tree` with the clock fixed and discovery off.
    static func run(
        _ tree: TempTree, rules: [CustomRule] = [], policy: ScoringPolicy = .seed, policySource: String? = nil,
        skipped: [String: String] = [:]
    ) throws -> MigrationReport {
        var options = AnalysisOptions(now: fixedNow, platform: "linux")
        options.discover = false
        options.rules = rules
        options.policy = policy
        options.policySource = policySource
        for (id, reason) in skipped {
            if let pattern = PatternID(rawValue: id) { options.skippedPatterns[pattern] = reason } else { options.skippedFindings[id] = reason }
        }
        return try MigrationAssistant(path: tree.path, options: options).analyze()
    }

    /// A system with an event log, two inboxes, an agent configuration (with a
    /// mapping of agents and a list of workers), a lock file, an empty folder and scripts.
    static func ruleTree() throws -> TempTree {
        let tree = try TempTree("rules")
        try tree.file("events.log", "{\"event\": \"start\"}\n")
        try tree.file("config.yaml", """
            agents:
              alpha:
                role: planner
                lock_timeout: 30
              beta:
                role: reviewer
            workers:
              - name: one
              - name: two
                retries: 3

            """)
        try tree.file("inbox/alpha/2026-11-20-beta-550e8400-e29b-41d4-a716-446655440000.msg", "hello\n")
        try tree.dir("inbox/beta")
        try tree.file("locks/state.lock", "")
        try tree.dir("locks/held")
        try tree.file("scripts/deploy.sh", "#!/bin/sh\necho start\nflock /tmp/deploy.lock make\nflock /tmp/again make\n")
        try tree.file("scripts/other.sh", "#!/bin/sh\necho nothing to see\n")
        // Matches the regex, but not the glob of the content condition.
        try tree.file("notes/flock.txt", "flock outside the glob\n")
        return tree
    }

    static func finding(_ report: MigrationReport, _ id: String) throws -> PatternFinding {
        try #require(report.detection.customPatterns.first { $0.id == id }, "no custom finding \(id)")
    }

    static func evidence(_ report: MigrationReport, _ subject: String) -> [Evidence] {
        report.detection.evidence.filter { $0.subject.rawValue == subject }
    }

    /// The seed's arithmetic, written out independently of the product:
    /// complexity = −1 per infrastructure part + scale weight (0,1,2,3) + gaps / 2;
    /// ≤1 simple, ≤3 moderate, ≤5 complex; hours = base (4,16,40,80) × factor (1,1.5,2,3);
    /// risk = 2 (database/API) + 2 (organization+) + 1 (≥5 gaps); ≤1 low, ≤3 medium.
    static func seedArithmetic(_ d: DetectionResult, extraGaps: Int = 0)
        -> (score: Int, level: ComplexityLevel, hours: Int, risk: Int, riskLevel: RiskLevel)
    {
        let credits = [d.hasMessageSystem, d.hasEventLog, d.hasInboxStructure].filter { $0 }.count
        let weights: [Scale: Int] = [.individual: 0, .team: 1, .organization: 2, .enterprise: 3]
        let gaps = d.gaps.count + extraGaps
        let score = -credits + weights[d.estimatedScale]! + gaps / 2
        let level: ComplexityLevel = score <= 1 ? .simple : score <= 3 ? .moderate : score <= 5 ? .complex : .veryComplex
        let base: [ComplexityLevel: Int] = [.simple: 4, .moderate: 16, .complex: 40, .veryComplex: 80]
        let factors: [Scale: Double] = [.individual: 1, .team: 1.5, .organization: 2, .enterprise: 3]
        let hours = Int(Double(base[level]!) * factors[d.estimatedScale]!)
        var risk = 0
        if d.messageSystemType == .database || d.messageSystemType == .api { risk += 2 }
        if d.estimatedScale >= .organization { risk += 2 }
        if gaps >= 5 { risk += 1 }
        let riskLevel: RiskLevel = risk <= 1 ? .low : risk <= 3 ? .medium : .high
        return (score, level, hours, risk, riskLevel)
    }

    static func expectSeedArithmetic(
        _ report: MigrationReport, extraGaps: Int = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = seedArithmetic(report.detection, extraGaps: extraGaps)
        let c = report.complexity
        #expect(c.complexityScore == expected.score, "score", sourceLocation: sourceLocation)
        #expect(c.complexityLevel == expected.level, "level", sourceLocation: sourceLocation)
        #expect(c.estimatedHours == expected.hours, "hours", sourceLocation: sourceLocation)
        #expect(c.riskScore == expected.risk, "risk", sourceLocation: sourceLocation)
        #expect(c.riskLevel == expected.riskLevel, "risk level", sourceLocation: sourceLocation)
    }

    /// The 1-based number of the first line of `text` containing `marker`.
    static func line(of marker: String, in text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.contains(marker) } ?? -1) + 1
    }

    // MARK: - 1. Rule evaluation

    static let ruleYAML = #"""
        rules:
          - id: path-file
            when: {any: [{path_exists: "locks/*.lock"}]}
          - id: path-folder
            when: {any: [{path_exists: "*/held/"}]}
          - id: path-folder-glob-skips-files
            when: {any: [{path_exists: "locks/*.lock/"}]}
          - id: name-regex
            when: {any: [{file_name: '^state\.lock$'}]}
          - id: name-regex-skips-folders
            when: {any: [{file_name: '^held$'}]}
          - id: content-regex
            when: {any: [{content: {glob: "scripts/*.sh", regex: "^flock "}}]}
          - id: content-outside-glob
            when: {any: [{content: {glob: "scripts/*.sh", regex: "outside the glob"}}]}
          - id: config-mapping
            when: {any: [{config_key: "agents.*.lock_timeout"}]}
          - id: config-list
            when: {any: [{config_key: "workers.*.retries"}]}
          - id: config-missing
            when: {any: [{config_key: "agents.*.retries"}]}
          - id: any-one-is-enough
            when: {any: [{path_exists: "nowhere/*"}, {file_name: '\.lock$'}]}
          - id: any-none-holds
            when: {any: [{path_exists: "nowhere/*"}, {file_name: '\.nothing$'}]}
          - id: all-needs-every-one
            when: {all: [{path_exists: "locks/*.lock"}, {content: {glob: "scripts/*.sh", regex: "no-such-command"}}]}
          - id: all-holds
            when:
              all:
                - path_exists: "locks/*.lock"
                - file_name: '\.lock$'
                - content: {glob: "scripts/*.sh", regex: "^flock "}
                - config_key: "agents.*.lock_timeout"
        """#

    @Test("rules file: every condition kind is read, with any/all")
    func ruleParsing() throws {
        let rules = try Self.rules(Self.ruleYAML)
        #expect(rules.count == 14)
        let byID = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0) })
        let all = try #require(byID["all-holds"])
        #expect(all.requiresAll)
        #expect(all.conditions.count == 4)
        #expect(all.conditions.map(\.kind) == [.disk, .disk, .code, .config])
        if case let .pathExists(glob) = all.conditions[0] { #expect(glob == "locks/*.lock") } else { Issue.record("not path_exists") }
        if case let .fileName(regex) = all.conditions[1] { #expect(regex.pattern == #"\.lock$"#) } else { Issue.record("not file_name") }
        if case let .content(glob, regex) = all.conditions[2] {
            #expect(glob == "scripts/*.sh")
            #expect(regex.pattern == "^flock ")
        } else { Issue.record("not content") }
        if case let .configKey(path) = all.conditions[3] { #expect(path == ["agents", "*", "lock_timeout"]) } else { Issue.record("not config_key") }
        #expect(byID["any-one-is-enough"]?.requiresAll == false)
        #expect(byID["all-needs-every-one"]?.requiresAll == true)
    }

    @Test("path_exists matches files and (with a trailing /) folders; evidence is disk")
    func pathExists() throws {
        let tree = try Self.ruleTree()
        let report = try Self.run(tree, rules: try Self.rules(Self.ruleYAML))

        let file = try Self.finding(report, "path-file")
        #expect(file.present)
        #expect(file.evidenceKinds == [.disk])
        #expect(Self.evidence(report, "path-file").map(\.location) == ["locks/state.lock"])
        #expect(Self.evidence(report, "path-file").map(\.kind) == [.disk])

        let folder = try Self.finding(report, "path-folder")
        #expect(folder.present)
        #expect(folder.evidenceKinds == [.disk])
        #expect(Self.evidence(report, "path-folder").map(\.path) == ["locks/held/"])

        // A glob ending in / names folders only: the file locks/state.lock does not match.
        let notFile = try Self.finding(report, "path-folder-glob-skips-files")
        #expect(!notFile.present)
        #expect(notFile.evidenceKinds.isEmpty)
        #expect(Self.evidence(report, "path-folder-glob-skips-files").isEmpty)
    }

    @Test("file_name is a regex on file names (not folders); evidence is disk")
    func fileName() throws {
        let tree = try Self.ruleTree()
        let report = try Self.run(tree, rules: try Self.rules(Self.ruleYAML))
        let name = try Self.finding(report, "name-regex")
        #expect(name.present)
        #expect(name.evidenceKinds == [.disk])
        let items = Self.evidence(report, "name-regex")
        #expect(items.map(\.path) == ["locks/state.lock"])
        #expect(items.map(\.kind) == [.disk])
        #expect(items.first?.detail.contains(#"^state\.lock$"#) == true, "\(items)")

        let folders = try Self.finding(report, "name-regex-skips-folders")
        #expect(!folders.present, "locks/held is a folder, not a file")
    }

    @Test("content matches a regex in files matching the glob; evidence is code with file:line")
    func content() throws {
        let tree = try Self.ruleTree()
        let report = try Self.run(tree, rules: try Self.rules(Self.ruleYAML))
        let content = try Self.finding(report, "content-regex")
        #expect(content.present)
        #expect(content.evidenceKinds == [.code])
        let items = Self.evidence(report, "content-regex")
        // Line 3 of scripts/deploy.sh is the first match; notes/flock.txt is outside the glob.
        #expect(items.map(\.location) == ["scripts/deploy.sh:3"])
        #expect(items.map(\.kind) == [.code])
        #expect(items.first?.line == 3)

        let outside = try Self.finding(report, "content-outside-glob")
        #expect(!outside.present, "only files matching the glob are read")
    }

    @Test("config_key: * matches any key of a mapping and any item of a list; evidence is config")
    func configKey() throws {
        let tree = try Self.ruleTree()
        let report = try Self.run(tree, rules: try Self.rules(Self.ruleYAML))
        let mapping = try Self.finding(report, "config-mapping")
        #expect(mapping.present)
        #expect(mapping.evidenceKinds == [.config])
        #expect(Self.evidence(report, "config-mapping").map(\.path) == ["config.yaml"])
        #expect(Self.evidence(report, "config-mapping").map(\.kind) == [.config])

        let list = try Self.finding(report, "config-list")
        #expect(list.present, "workers is a list; its second item has retries")
        #expect(list.evidenceKinds == [.config])
        #expect(Self.evidence(report, "config-list").map(\.path) == ["config.yaml"])

        let missing = try Self.finding(report, "config-missing")
        #expect(!missing.present, "no agent declares retries")
    }

    @Test("config_key wildcards, directly on parsed documents")
    func configKeyWildcards() throws {
        let document = try ConfigParser.parse(Array("""
            agents:
              alpha: {lock_timeout: 30}
              beta: {role: x}
            workers:
              - name: one
              - {name: two, retries: 3}
            flat: 1
            """.utf8), fileExtension: "yaml")
        func has(_ path: String) -> Bool {
            RuleDetector.has(path.split(separator: ".").map(String.init)[...], in: document)
        }
        #expect(has("agents.*.lock_timeout"))
        #expect(has("agents.alpha.lock_timeout"))
        #expect(!has("agents.beta.lock_timeout"))
        #expect(has("workers.*.retries"))
        #expect(has("workers.*.name"))
        #expect(!has("workers.*.missing"))
        #expect(has("*.*.retries"), "* at the top, then * over a list")
        #expect(!has("flat.*"), "a scalar has no keys")
        #expect(has("agents"))
    }

    @Test("any: one condition is enough; all: every condition must hold")
    func anyVersusAll() throws {
        let tree = try Self.ruleTree()
        let report = try Self.run(tree, rules: try Self.rules(Self.ruleYAML))

        let any = try Self.finding(report, "any-one-is-enough")
        #expect(any.present)
        #expect(any.evidenceKinds == [.disk])

        let none = try Self.finding(report, "any-none-holds")
        #expect(!none.present)

        let partial = try Self.finding(report, "all-needs-every-one")
        #expect(!partial.present, "path_exists holds but content does not; all requires both")
        #expect(partial.evidenceKinds.isEmpty)
        #expect(partial.summary.contains("all are required"), "\(partial.summary)")
        #expect(Self.evidence(report, "all-needs-every-one").isEmpty, "a rule that does not hold adds no evidence")

        let all = try Self.finding(report, "all-holds")
        #expect(all.present)
        // One evidence kind per condition: disk (path_exists, file_name), code (content), config (config_key).
        #expect(all.evidenceKinds == [.disk, .config, .code])
        let items = Self.evidence(report, "all-holds")
        #expect(Set(items.map(\.kind)) == [.disk, .code, .config])
        #expect(items.contains { $0.kind == .code && $0.location == "scripts/deploy.sh:3" })
        #expect(items.contains { $0.kind == .config && $0.path == "config.yaml" })
        #expect(items.filter { $0.kind == .disk }.map(\.path) == ["locks/state.lock", "locks/state.lock"])
    }

    @Test("rules are listed in customPatterns, sorted by id, and change nothing else by default")
    func rulesDoNotScore() throws {
        let tree = try Self.ruleTree()
        let rules = try Self.rules(Self.ruleYAML)
        let baseline = try Self.run(tree)
        let report = try Self.run(tree, rules: rules)

        #expect(baseline.detection.customPatterns.isEmpty)
        #expect(report.detection.customPatterns.map(\.id) == rules.map(\.id).sorted())
        #expect(report.detection.customPatterns.contains { !$0.present }, "some rules are missing")
        #expect(report.complexity == baseline.complexity)
        #expect(report.detection.gaps == baseline.detection.gaps)
        #expect(report.detection.existingPatterns == baseline.detection.existingPatterns)
        #expect(report.detection.patterns == baseline.detection.patterns)
        #expect(report.plan == baseline.plan)
        #expect(report.policy == nil)
        Self.expectSeedArithmetic(report)
    }

    @Test("a rule's title, description, remediation and doc reach the finding; defaults otherwise")
    func ruleMetadata() throws {
        let tree = try Self.ruleTree()
        let rules = try Self.rules(#"""
            rules:
              - id: lock-files
                title: Lock files guard shared state
                description: Writers take a lock before touching shared files.
                remediation: Take an flock around every write to shared state.
                doc: https://wiki.example.com/coordination/locks
                when: {any: [{file_name: '\.lock$'}]}
              - id: bare.rule_1
                when: {any: [{path_exists: "nowhere"}]}
            """#)
        let report = try Self.run(tree, rules: rules)
        let lock = try Self.finding(report, "lock-files")
        #expect(lock.title == "Lock files guard shared state")
        #expect(lock.summary == "Writers take a lock before touching shared files.")
        #expect(lock.remediation == "Take an flock around every write to shared state.")
        #expect(lock.documentation == "https://wiki.example.com/coordination/locks")
        let bare = try Self.finding(report, "bare.rule_1")
        #expect(bare.title == "bare.rule_1")
        #expect(!bare.present)
        #expect(bare.remediation.contains("bare.rule_1"))
        #expect(bare.documentation == nil)
    }

    @Test("count_custom_rules: true makes each missing (unskipped) rule a gap in the score")
    func countCustomRules() throws {
        let tree = try Self.ruleTree()
        let rules = try Self.rules(#"""
            rules:
              - id: held
                when: {any: [{file_name: '\.lock$'}]}
              - id: missing-a
                when: {any: [{path_exists: "nowhere-a"}]}
              - id: missing-b
                when: {any: [{path_exists: "nowhere-b"}]}
              - id: missing-but-skipped
                when: {any: [{path_exists: "nowhere-c"}]}
            """#)
        let policy = try Self.policy("complexity: {count_custom_rules: true}\n")
        #expect(policy.countCustomRules)
        #expect(policy.changesFromSeed == ["complexity.count_custom_rules: false → true"])
        let skipped = ["missing-but-skipped": "not ours"]

        let byDefault = try Self.run(tree, rules: rules, skipped: skipped)
        let counted = try Self.run(tree, rules: rules, policy: policy, policySource: "policy.yaml", skipped: skipped)

        // Same detection either way; the built-in gaps list does not grow.
        #expect(counted.detection.gaps == byDefault.detection.gaps)
        #expect(counted.detection.customPatterns == byDefault.detection.customPatterns)
        // By default the rules do not count; with the policy the two missing, unskipped rules do.
        Self.expectSeedArithmetic(byDefault)
        Self.expectSeedArithmetic(counted, extraGaps: 2)
        #expect(counted.complexity.complexityScore == byDefault.complexity.complexityScore + 1, "two more gaps, halved")
        let gapsFactor = try #require(counted.complexity.breakdown.first { $0.metric == .complexity && $0.factor == "gaps" })
        #expect(gapsFactor.contribution == Double((counted.detection.gaps.count + 2) / 2))
    }

    // MARK: - 2. Policy: every number is used

    struct PolicyCase: Sendable, CustomTestStringConvertible {
        /// The setting's key path, as in ``ScoringPolicy/settings``.
        var key: String
        var yaml: String
        /// `seed → value`, as `changesFromSeed` writes it.
        var change: String
        /// Shows the output with the seed and with the policy, each against numbers worked out by hand.
        var prove: @Sendable (ScoringPolicy) throws -> Void
        var testDescription: String { key }
    }

    static func complexity(_ d: DetectionResult, _ p: ScoringPolicy = .seed) -> ComplexityResult {
        Analyzer.analyze(d, policy: p)
    }

    /// Nothing present, so no infrastructure credit: score = weight + gaps / 2.
    static func bare(_ scale: Scale, gaps: Int = 0) -> DetectionResult {
        makeDetection(messageSystem: .none, eventLog: false, inbox: false, scale: scale, gaps: gaps)
    }

    /// The plan's timeline for a given number of hours.
    static func timeline(hours: Int, _ p: ScoringPolicy) -> String {
        let d = makeDetection()
        var c = Analyzer.analyze(d, policy: p)
        c.estimatedHours = hours
        let plan = Planner.plan(detection: d, complexity: c, targetPath: "/srv/system", policy: p)
        #expect(plan.timeline.estimate == plan.estimatedTimeline)
        return plan.estimatedTimeline
    }

    /// Each step's duration, by title, for a detection that needs every kind of step.
    static func durations(_ p: ScoringPolicy) -> [String: String] {
        let d = makeDetection(messageSystem: .fileBased, eventLog: false, agentConfig: false, gaps: 1)
        let plan = Planner.plan(detection: d, complexity: Analyzer.analyze(d, policy: p), targetPath: "/srv/system", policy: p)
        return Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.title, $0.duration) })
    }

    static let stepTitles: [(kind: String, title: String, seed: String)] = [
        ("backup", "Backup existing system", "30 minutes"),
        ("install", "Install coordination system", "10 minutes"),
        ("agent_config", "Create agent configuration", "1 hour"),
        ("migrate_messages", "Migrate existing messages", "2-4 hours"),
        ("event_log", "Initialize event log", "5 minutes"),
        ("pattern", "Implement tla-verification", "2-4 hours"),
        ("test", "Test migration", "1-2 hours"),
        ("cutover", "Production cutover", "1 hour"),
    ]

    /// Six agent folders and no messages: 2 users, 0 messages a day (team by the seed).
    static func usersTree() throws -> TempTree {
        let tree = try TempTree("scale-users")
        try tree.file("events.log", "x\n")
        for agent in ["a", "b", "c", "d", "e", "f"] { try tree.dir("inbox/\(agent)") }
        return tree
    }

    /// One agent folder with 14 messages from yesterday: 1 user, 14 / 7 = 2 messages a day (individual by the seed).
    static func messagesTree() throws -> TempTree {
        let tree = try TempTree("scale-messages")
        try tree.file("events.log", "x\n")
        for n in 1...14 {
            try tree.file("inbox/alpha/message-\(n).msg", "hello\n", modified: fixedNow.addingTimeInterval(-day))
        }
        return tree
    }

    static func scale(of tree: TempTree, _ p: ScoringPolicy) throws -> DetectionResult {
        try run(tree, policy: p).detection
    }

    static func scaleCase(_ level: String, _ metric: String, tree: @escaping @Sendable () throws -> TempTree,
                          seed: Scale, custom: Scale, value: Int, seedValue: Int) -> PolicyCase {
        PolicyCase(
            key: "scale.\(level).\(metric)", yaml: "scale:\n  \(level):\n    \(metric): \(value)\n",
            change: "\(seedValue) → \(value)"
        ) { p in
            let t = try tree()
            let before = try scale(of: t, .seed)
            let after = try scale(of: t, p)
            #expect(before.estimatedUsers == after.estimatedUsers)
            #expect(before.estimatedMessagesPerDay == after.estimatedMessagesPerDay)
            #expect(before.estimatedScale == seed)
            #expect(after.estimatedScale == custom)
        }
    }

    static let policyCases: [PolicyCase] = {
        var cases: [PolicyCase] = [
            PolicyCase(key: "complexity.infrastructure_credit", yaml: "complexity:\n  infrastructure_credit: 2\n", change: "1 → 2") { p in
                // All three parts present, individual, no gaps: −3 × credit.
                let d = makeDetection(scale: .individual)
                #expect(complexity(d).complexityScore == -3 * 1)
                #expect(complexity(d, p).complexityScore == -3 * 2)
            },
            PolicyCase(key: "complexity.gap_divisor", yaml: "complexity:\n  gap_divisor: 3\n", change: "2 → 3") { p in
                let d = bare(.individual, gaps: 7)
                #expect(complexity(d).complexityScore == 7 / 2)
                #expect(complexity(d, p).complexityScore == 7 / 3)
            },
            PolicyCase(key: "complexity.count_custom_rules", yaml: "complexity:\n  count_custom_rules: true\n", change: "false → true") { p in
                var d = bare(.individual, gaps: 1)
                d.customPatterns = ["a", "b"].map {
                    PatternFinding(id: $0, title: $0, present: false, summary: "", remediation: "")
                } + [PatternFinding(id: "c", title: "c", present: true, summary: "", remediation: "")]
                #expect(complexity(d).complexityScore == 1 / 2)
                #expect(complexity(d, p).complexityScore == (1 + 2) / 2)
            },
            // Level thresholds: a score just at the seed's boundary crosses it when the boundary moves down.
            PolicyCase(key: "complexity.thresholds.simple", yaml: "complexity:\n  thresholds: {simple: 0}\n", change: "1 → 0") { p in
                let d = bare(.team)  // score 1
                #expect(complexity(d).complexityScore == 1)
                #expect(complexity(d).complexityLevel == .simple)
                #expect(complexity(d, p).complexityLevel == .moderate)
            },
            PolicyCase(key: "complexity.thresholds.moderate", yaml: "complexity:\n  thresholds: {moderate: 2}\n", change: "3 → 2") { p in
                let d = bare(.enterprise)  // score 3
                #expect(complexity(d).complexityScore == 3)
                #expect(complexity(d).complexityLevel == .moderate)
                #expect(complexity(d, p).complexityLevel == .complex)
            },
            PolicyCase(key: "complexity.thresholds.complex", yaml: "complexity:\n  thresholds: {complex: 4}\n", change: "5 → 4") { p in
                let d = bare(.enterprise, gaps: 4)  // score 3 + 2 = 5
                #expect(complexity(d).complexityScore == 5)
                #expect(complexity(d).complexityLevel == .complex)
                #expect(complexity(d, p).complexityLevel == .veryComplex)
            },
            // Base hours: individual scale (factor 1), one level each.
            PolicyCase(key: "hours.base.simple", yaml: "hours:\n  base: {simple: 6}\n", change: "4 → 6") { p in
                let d = makeDetection(scale: .individual)  // score −3: simple
                #expect(complexity(d).estimatedHours == 4)
                #expect(complexity(d, p).estimatedHours == 6)
            },
            PolicyCase(key: "hours.base.moderate", yaml: "hours:\n  base: {moderate: 20}\n", change: "16 → 20") { p in
                let d = bare(.individual, gaps: 4)  // score 2: moderate
                #expect(complexity(d).complexityLevel == .moderate)
                #expect(complexity(d).estimatedHours == 16)
                #expect(complexity(d, p).estimatedHours == 20)
            },
            PolicyCase(key: "hours.base.complex", yaml: "hours:\n  base: {complex: 50}\n", change: "40 → 50") { p in
                let d = bare(.individual, gaps: 8)  // score 4: complex
                #expect(complexity(d).complexityLevel == .complex)
                #expect(complexity(d).estimatedHours == 40)
                #expect(complexity(d, p).estimatedHours == 50)
            },
            PolicyCase(key: "hours.base.very_complex", yaml: "hours:\n  base: {very_complex: 100}\n", change: "80 → 100") { p in
                let d = bare(.enterprise, gaps: 8)  // score 3 + 4 = 7: very complex, factor 3
                #expect(complexity(d).complexityLevel == .veryComplex)
                #expect(complexity(d).estimatedHours == 80 * 3)
                #expect(complexity(d, p).estimatedHours == 100 * 3)
            },
            // Risk.
            PolicyCase(key: "risk.message_system", yaml: "risk:\n  message_system: 5\n", change: "2 → 5") { p in
                let d = makeDetection(messageSystem: .database, databaseType: "sqlite", scale: .individual)
                #expect(complexity(d).riskScore == 2)
                #expect(complexity(d).riskLevel == .medium)
                #expect(complexity(d, p).riskScore == 5)
                #expect(complexity(d, p).riskLevel == .high)
            },
            PolicyCase(key: "risk.scale", yaml: "risk:\n  scale: 3\n", change: "2 → 3") { p in
                let d = makeDetection(scale: .organization)
                #expect(complexity(d).riskScore == 2)
                #expect(complexity(d, p).riskScore == 3)
            },
            PolicyCase(key: "risk.gaps", yaml: "risk:\n  gaps: 3\n", change: "1 → 3") { p in
                let d = makeDetection(scale: .individual, gaps: 5)
                #expect(complexity(d).riskScore == 1)
                #expect(complexity(d, p).riskScore == 3)
            },
            PolicyCase(key: "risk.gaps_threshold", yaml: "risk:\n  gaps_threshold: 3\n", change: "5 → 3") { p in
                let d = makeDetection(scale: .individual, gaps: 3)
                #expect(complexity(d).riskScore == 0)
                #expect(complexity(d, p).riskScore == 1)
            },
            PolicyCase(key: "risk.thresholds.low", yaml: "risk:\n  thresholds: {low: 2}\n", change: "1 → 2") { p in
                let d = makeDetection(messageSystem: .api, scale: .individual)  // risk 2
                #expect(complexity(d).riskLevel == .medium)
                #expect(complexity(d, p).riskScore == 2)
                #expect(complexity(d, p).riskLevel == .low)
            },
            PolicyCase(key: "risk.thresholds.medium", yaml: "risk:\n  thresholds: {medium: 4}\n", change: "3 → 4") { p in
                let d = makeDetection(messageSystem: .database, scale: .organization)  // risk 2 + 2
                #expect(complexity(d).riskScore == 4)
                #expect(complexity(d).riskLevel == .high)
                #expect(complexity(d, p).riskLevel == .medium)
            },
            // Timeline: 8-hour days, 40-hour weeks, 160-hour months by the seed.
            PolicyCase(key: "timeline.day_hours", yaml: "timeline:\n  day_hours: 4\n", change: "8 → 4") { p in
                #expect(timeline(hours: 16, .seed) == "\(16 / 8) days")
                #expect(timeline(hours: 16, p) == "\(16 / 4) days")
            },
            PolicyCase(key: "timeline.week_hours", yaml: "timeline:\n  week_hours: 48\n", change: "40 → 48") { p in
                #expect(timeline(hours: 48, .seed) == "1 week")
                #expect(timeline(hours: 48, p) == "\(48 / 8) days")
            },
            PolicyCase(key: "timeline.month_hours", yaml: "timeline:\n  month_hours: 200\n", change: "160 → 200") { p in
                #expect(timeline(hours: 200, .seed) == "1 month")
                #expect(timeline(hours: 200, p) == "\(200 / 40) weeks")
            },
        ]
        // Scale weights: nothing present, no gaps, so the score is the weight.
        for (scale, seedWeight) in [(Scale.individual, 0), (.team, 1), (.organization, 2), (.enterprise, 3)] {
            cases.append(PolicyCase(
                key: "complexity.scale_weights.\(scale.rawValue)",
                yaml: "complexity:\n  scale_weights:\n    \(scale.rawValue): 5\n", change: "\(seedWeight) → 5"
            ) { p in
                #expect(complexity(bare(scale)).complexityScore == seedWeight)
                #expect(complexity(bare(scale), p).complexityScore == 5)
            })
        }
        // Scale factors: all present, no gaps, so simple (base 4) at every scale.
        for (scale, seedFactor) in [(Scale.individual, 1.0), (.team, 1.5), (.organization, 2.0), (.enterprise, 3.0)] {
            let seedText = seedFactor == seedFactor.rounded() ? "\(Int(seedFactor))" : "\(seedFactor)"
            cases.append(PolicyCase(
                key: "hours.scale_factors.\(scale.rawValue)",
                yaml: "hours:\n  scale_factors: {\(scale.rawValue): 2.5}\n", change: "\(seedText) → 2.5"
            ) { p in
                let d = makeDetection(scale: scale)
                #expect(complexity(d).complexityLevel == .simple)
                #expect(complexity(d).estimatedHours == Int(4 * seedFactor))
                #expect(complexity(d, p).estimatedHours == Int(4 * 2.5))
            })
        }
        // Scale thresholds are applied during detection: a generated tree crosses a lowered threshold.
        cases += [
            scaleCase("team", "users", tree: usersTree, seed: .team, custom: .individual, value: 3, seedValue: 2),
            scaleCase("team", "messages_per_day", tree: messagesTree, seed: .individual, custom: .team, value: 2, seedValue: 100),
            scaleCase("organization", "users", tree: usersTree, seed: .team, custom: .organization, value: 2, seedValue: 10),
            scaleCase("organization", "messages_per_day", tree: messagesTree, seed: .individual, custom: .organization, value: 2, seedValue: 1000),
            scaleCase("enterprise", "users", tree: usersTree, seed: .team, custom: .enterprise, value: 2, seedValue: 100),
            scaleCase("enterprise", "messages_per_day", tree: messagesTree, seed: .individual, custom: .enterprise, value: 2, seedValue: 100_000),
        ]
        // Step durations, one kind of step each.
        for step in stepTitles {
            cases.append(PolicyCase(
                key: "step_durations.\(step.kind)", yaml: "step_durations:\n  \(step.kind): \"3 days\"\n",
                change: "\(step.seed) → 3 days"
            ) { p in
                let seed = durations(.seed), custom = durations(p)
                #expect(seed[step.title] == step.seed)
                #expect(custom[step.title] == "3 days")
                for other in stepTitles where other.title != step.title {
                    #expect(custom[other.title] == other.seed, "\(other.title) keeps its seed duration")
                }
            })
        }
        return cases
    }()

    @Test("every setting of the policy has a case below")
    func everySettingCovered() {
        let keys = ScoringPolicy.seed.settings.map(\.key)
        #expect(Set(Self.policyCases.map(\.key)) == Set(keys))
        #expect(Self.policyCases.count == keys.count)
        #expect(ScoringPolicy.seed.changesFromSeed.isEmpty)
        #expect(ScoringPolicy() == .seed)
    }

    @Test("a policy that changes one number: the number is used, and changesFromSeed lists exactly that key",
          arguments: CustomisationTests.policyCases)
    func policyNumberIsUsed(_ row: PolicyCase) throws {
        let policy = try Self.policy(row.yaml)
        #expect(policy != .seed)
        #expect(policy.changesFromSeed == ["\(row.key): \(row.change)"])
        try row.prove(policy)
    }

    @Test("changesFromSeed lists exactly the changed keys, in settings order; a policy restating the seed changes nothing")
    func changesFromSeed() throws {
        let policy = try Self.policy("""
            step_durations: {cutover: 2 hours}
            risk:
              gaps: 1          # the seed's value: not a change
              thresholds: {medium: 5}
            complexity:
              gap_divisor: 4
              infrastructure_credit: 1
            hours:
              scale_factors: {team: 1.25}
            """)
        #expect(policy.changesFromSeed == [
            "complexity.gap_divisor: 2 → 4",
            "hours.scale_factors.team: 1.5 → 1.25",
            "risk.thresholds.medium: 3 → 5",
            "step_durations.cutover: 1 hour → 2 hours",
        ])

        let restated = try Self.policy("""
            complexity: {infrastructure_credit: 1, gap_divisor: 2, thresholds: {simple: 1, moderate: 3, complex: 5}}
            hours: {base: {simple: 4, moderate: 16, complex: 40, very_complex: 80}, scale_factors: {team: 1.5}}
            timeline: {day_hours: 8, week_hours: 40, month_hours: 160}
            """)
        #expect(restated.changesFromSeed.isEmpty)
        #expect(restated == .seed)
        #expect(try Self.policy("").changesFromSeed.isEmpty, "an empty policy file is the seed")
    }

    @Test("a scale factor that differs from the seed only past the second decimal still counts as a change")
    func fineScaleFactorIsAChange() throws {
        let policy = try Self.policy("hours:\n  scale_factors: {team: 1.499}\n")
        #expect(policy.scaleFactors[.team] == 1.499)
        let d = makeDetection(scale: .team, gaps: 8)  // score −3 + 1 + 4 = 2: moderate, base 16
        #expect(Self.complexity(d).estimatedHours == Int(16 * 1.5))
        #expect(Self.complexity(d, policy).estimatedHours == Int(16 * 1.499), "the number is used")
        let tree = try Self.usersTree()  // team scale
        let report = try Self.run(tree, policy: policy, policySource: "policy.yaml")
        #expect(report.detection.estimatedScale == .team)
        let base: [ComplexityLevel: Double] = [.simple: 4, .moderate: 16, .complex: 40, .veryComplex: 80]
        let levelBase = try #require(base[report.complexity.complexityLevel])
        #expect(report.complexity.estimatedHours == Int(levelBase * 1.499), "the report's hours use 1.499")
        #expect(report.complexity.estimatedHours != Int(levelBase * 1.5))
        let equalsSeed = policy == .seed
        #expect(!equalsSeed, "a policy with team: 1.499 is not the seed")
        #expect(policy.changesFromSeed.count == 1)
        #expect(report.policy != nil, "the report must say a custom policy was used")
    }

    @Test("the report's policy: absent for the default policy; source and changes otherwise; Markdown and HTML say so")
    func reportPolicy() throws {
        let tree = try Self.ruleTree()
        let policy = try Self.policy("hours:\n  base: {simple: 7, moderate: 7, complex: 7, very_complex: 7}\n")

        let plain = try Self.run(tree)
        #expect(plain.policy == nil)
        let plainJSON = try #require(try JSONSerialization.jsonObject(with: plain.jsonData()) as? [String: Any])
        #expect(plainJSON["policy"] == nil, "no policy key for the default policy")
        #expect(!(try markdown(plain)).contains("custom scoring policy"))
        #expect(!String(decoding: try HTMLEmitter().emit(plain), as: UTF8.self).contains("custom scoring policy"))

        // A policy equal to the seed is the default policy, whatever its source.
        let restated = try Self.run(tree, policy: try Self.policy("hours: {base: {simple: 4}}\n"), policySource: "same.yaml")
        #expect(restated.policy == nil)

        let custom = try Self.run(tree, policy: policy, policySource: "team-policy.yaml")
        let summary = try #require(custom.policy)
        #expect(summary.source == "team-policy.yaml")
        #expect(summary.changes == policy.changesFromSeed)
        #expect(summary.changes.count == 4)
        let factors: [Scale: Double] = [.individual: 1, .team: 1.5, .organization: 2, .enterprise: 3]
        #expect(custom.complexity.estimatedHours == Int(7 * factors[custom.detection.estimatedScale]!))

        let json = try #require(try JSONSerialization.jsonObject(with: custom.jsonData()) as? [String: Any])
        let policyJSON = try #require(json["policy"] as? [String: Any])
        #expect(policyJSON["source"] as? String == "team-policy.yaml")
        #expect(policyJSON["changes"] as? [String] == summary.changes)

        // Markdown: the sentence, then the changes as a list (read back with cmark, so escaping does not matter).
        let blocks = CMark.parse(try markdown(custom)).children
        let sentence = try #require(blocks.firstIndex {
            $0.kind == .paragraph && $0.plainText == "This report uses a custom scoring policy from team-policy.yaml:"
        })
        let list = try #require(blocks.dropFirst(sentence + 1).first)
        #expect(list.kind == .list)
        #expect(list.children.map(\.plainText) == summary.changes)
        let html = String(decoding: try HTMLEmitter().emit(custom), as: UTF8.self)
        #expect(html.contains("This report uses a custom scoring policy from <code>team-policy.yaml</code>"))
        for change in summary.changes { #expect(html.contains("<li>\(change)</li>")) }
        let junit = try JUnitEmitter().emit(custom)
        #expect(String(decoding: junit, as: UTF8.self).contains("custom (team-policy.yaml)"))
    }

    @Test("a policy in .coord-migrate.yaml reads like a policy file")
    func projectPolicy() throws {
        let (folder, path) = try Self.write("""
            policy:
              complexity: {gap_divisor: 3}
              step_durations: {test: 1 day}
            """, as: ".coord-migrate.yaml")
        let config = try withExtendedLifetime(folder) { try ProjectConfig.load(path) }
        #expect(config.path == path)
        #expect(config.policy?.changesFromSeed == ["complexity.gap_divisor: 2 → 3", "step_durations.test: 1-2 hours → 1 day"])
    }

    @Test("the project file: every setting is read")
    func projectFile() throws {
        let (folder, path) = try Self.write(#"""
            exclude: [vendor, "*.bak"]
            skip_patterns:
              - id: tla-verification
                reason: We do not write formal specifications.
              - id: lock-files
                reason: Not yet.
            fail_on: ["risk>=high", "missing:event-sourcing", "gaps>3"]
            formats: [md, junit]
            rules:
              - id: lock-files
                when: { any: [ { file_name: '\.lock$' } ] }
            """#, as: ".coord-migrate.yaml")
        let config = try withExtendedLifetime(folder) { try ProjectConfig.load(path) }
        #expect(config.excludes == ["vendor", "*.bak"])
        #expect(config.skippedPatterns == [.tlaVerification: "We do not write formal specifications."])
        #expect(config.skippedFindings == ["lock-files": "Not yet."])
        #expect(config.failOn == [.riskAtLeast(.high), .missing(.eventSourcing), .gapsAbove(3)])
        #expect(config.formats == ["md", "junit"])
        #expect(config.rules.map(\.id) == ["lock-files"])
        #expect(config.policy == nil)

        let (emptyFolder, emptyPath) = try Self.write("# nothing set yet\n", as: ".coord-migrate.yaml")
        let empty = try withExtendedLifetime(emptyFolder) { try ProjectConfig.load(emptyPath) }
        #expect(empty.rules.isEmpty && empty.policy == nil && empty.excludes == nil && empty.failOn == nil && empty.formats == nil)
        #expect(empty.skippedPatterns.isEmpty && empty.skippedFindings.isEmpty)
    }

    // MARK: - 4. Skipped patterns

    @Test("skipping a missing pattern: neither present nor a gap, listed as skipped, no plan step")
    func skipMissingPattern() throws {
        let tree = try Self.ruleTree()
        let baseline = try Self.run(tree)
        try #require(baseline.detection.gaps.contains(.tlaVerification), "the tree has no .tla file")
        let reason = "We do not write formal specifications."
        let report = try Self.run(tree, skipped: ["tla-verification": reason])

        let d = report.detection
        #expect(!d.gaps.contains(.tlaVerification))
        #expect(!d.existingPatterns.contains(.tlaVerification))
        #expect(d.gaps == baseline.detection.gaps.filter { $0 != .tlaVerification })
        #expect(d.existingPatterns == baseline.detection.existingPatterns)
        #expect(d.skippedPatterns == ["tla-verification"])
        let finding = try #require(d.patterns.first { $0.id == "tla-verification" })
        #expect(finding.skippedReason == reason)
        #expect(!finding.present)
        #expect(d.patterns.filter { $0.skippedReason != nil }.count == 1)
        #expect(d.patterns.count == 8)

        #expect(report.plan.steps.count == baseline.plan.steps.count - 1)
        #expect(!report.plan.steps.contains { $0.pattern == .tlaVerification })
        #expect(baseline.plan.steps.contains { $0.pattern == .tlaVerification })
        #expect(report.plan.steps.map(\.number) == Array(1...report.plan.steps.count), "steps are renumbered")
        // One gap fewer in the score.
        Self.expectSeedArithmetic(report)
    }

    @Test("skipping a present pattern: no longer present, not a gap, the plan keeps its steps")
    func skipPresentPattern() throws {
        let tree = try Self.ruleTree()
        let baseline = try Self.run(tree)
        try #require(baseline.detection.existingPatterns.contains(.eventSourcing), "the tree has events.log")
        let report = try Self.run(tree, skipped: ["event-sourcing": "measured elsewhere"])
        #expect(!report.detection.existingPatterns.contains(.eventSourcing))
        #expect(!report.detection.gaps.contains(.eventSourcing))
        #expect(report.detection.gaps == baseline.detection.gaps)
        let finding = try #require(report.detection.patterns.first { $0.id == "event-sourcing" })
        #expect(!finding.present)
        #expect(finding.evidenceKinds.isEmpty)
        #expect(finding.skippedReason == "measured elsewhere")
        #expect(report.plan.steps.count == baseline.plan.steps.count)
    }

    @Test("skipping a custom rule: its finding carries the reason and it is not counted, even when it holds")
    func skipCustomRule() throws {
        let tree = try Self.ruleTree()
        let rules = try Self.rules(#"""
            rules:
              - id: held
                when: {any: [{file_name: '\.lock$'}]}
            """#)
        let report = try Self.run(tree, rules: rules, skipped: ["held": "not ours"])
        let finding = try Self.finding(report, "held")
        #expect(!finding.present)
        #expect(finding.skippedReason == "not ours")
        #expect(finding.evidenceKinds.isEmpty)
        #expect(report.detection.skippedPatterns == ["held"])
        #expect(report.detection.patterns.allSatisfy { $0.skippedReason == nil })
    }

    @Test("a skipped pattern in Markdown (under Skipped patterns), JSON and JUnit")
    func skippedInEmitters() throws {
        let tree = try Self.ruleTree()
        let reason = "We do not write formal specifications."
        let report = try Self.run(tree, skipped: ["tla-verification": reason])

        let document = CMark.parse(try markdown(report))
        let skipped = section(document, "Skipped patterns")
        let items = skipped.filter { $0.kind == .list }.flatMap(\.children).map(\.plainText)
        #expect(items.count == 1, "\(items)")
        #expect(items.first?.contains("tla-verification") == true)
        #expect(items.first?.contains(reason) == true)
        let missingHeading = try #require(document.children.first { $0.kind == .heading && $0.plainText.hasPrefix("Missing patterns") })
        #expect(missingHeading.plainText == "Missing patterns (\(report.detection.gaps.count))")
        let missing = section(document, missingHeading.plainText).map(\.plainText).joined()
        #expect(!missing.contains("tla-verification"))

        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let detection = try #require(json["detection"] as? [String: Any])
        #expect(detection["skipped_patterns"] as? [String] == ["tla-verification"])
        let patterns = try #require(detection["patterns"] as? [[String: Any]])
        #expect(patterns.first { $0["id"] as? String == "tla-verification" }?["skipped_reason"] as? String == reason)
        #expect(patterns.filter { $0["skipped_reason"] != nil }.count == 1, "only the skipped pattern has the key")

        let suites = JUnitEmitter.suites(for: report)
        let patternSuite = try #require(suites.first { $0.name == "patterns" })
        let testcase = try #require(patternSuite.cases.first { $0.name == "tla-verification" })
        #expect(testcase.skipped == reason)
        #expect(testcase.failure == nil)
        #expect(patternSuite.skipped == 1)
        let xml = String(decoding: try JUnitEmitter().emit(report), as: UTF8.self)
        #expect(xml.contains("<skipped message=\"\(reason)\"/>"))
    }

    @Test("Markdown: skipping only a custom rule does not print an empty Skipped patterns section")
    func skippedRuleOnlyMarkdown() throws {
        let tree = try Self.ruleTree()
        let rules = try Self.rules(#"""
            rules:
              - id: held
                when: {any: [{file_name: '\.lock$'}]}
            """#)
        let report = try Self.run(tree, rules: rules, skipped: ["held": "not ours"])
        let document = CMark.parse(try markdown(report))
        let custom = section(document, "Custom findings").map(\.plainText).joined()
        #expect(custom.contains("held") && custom.contains("not ours"), "\(custom)")
        let hasHeading = document.children.contains { $0.kind == .heading && $0.plainText == "Skipped patterns" }
        #expect(!hasHeading || !section(document, "Skipped patterns").isEmpty, "a heading with nothing under it")
    }

    // MARK: - 5. Bad settings: file, line and what was expected

    enum SettingsKind: String, Sendable { case rules, policy, project }

    struct BadSettings: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: SettingsKind
        var text: String
        /// The line the error must point at: the first containing this.
        var marker: String
        /// A fragment of the message: what was expected.
        var message: String
        var testDescription: String { name }
    }

    static let badSettings: [BadSettings] = [
        .init(name: "unknown key in a rule", kind: .rules, text: """
            rules:
              - id: lock-files
                colour: blue
                when: {any: [{file_name: a}]}
            """, marker: "colour", message: "unknown key 'colour' in a rule; expected one of id, title, description, remediation, doc, when"),
        .init(name: "rules file without rules:", kind: .rules, text: "# nothing\nrulez: []\n", marker: "rulez",
              message: "unknown key 'rulez' in a rules file (did you mean 'rules'?); expected one of rules"),
        .init(name: "rule id with capitals", kind: .rules, text: """
            rules:
              - id: Lock_Files
                when: {any: [{file_name: a}]}
            """, marker: "Lock_Files", message: "must be lower-case letters"),
        .init(name: "a rule without an id", kind: .rules, text: """
            rules:
              - title: Lock files
                when: {any: [{file_name: a}]}
            """, marker: "title", message: "a rule needs an 'id'"),
        .init(name: "a condition with two kinds", kind: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - {file_name: a, path_exists: b}
            """, marker: "path_exists", message: "a condition has exactly one of path_exists, file_name, content, config_key"),
        .init(name: "an unknown condition kind", kind: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - file_exists: a
            """, marker: "file_exists", message: "unknown key 'file_exists' in a condition"),
        .init(name: "content without a regex", kind: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - content: {glob: "*.sh"}
            """, marker: "content:", message: "content needs both 'glob' and 'regex'"),
        .init(name: "an empty any", kind: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any: []
            """, marker: "any:", message: "'any' needs at least one condition"),
        .init(name: "an invalid content regex", kind: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - content:
                        glob: "scripts/*.sh"
                        regex: "(unclosed"
            """, marker: "(unclosed", message: "content.regex is not a valid regular expression: (unclosed"),
        .init(name: "unknown key in policy.hours", kind: .policy, text: """
            hours:
              base: {simple: 6}
              overtime: 3
            """, marker: "overtime", message: "unknown key 'overtime' in hours; expected one of base, scale_factors"),
        .init(name: "a negative credit", kind: .policy, text: "complexity:\n  infrastructure_credit: -1\n",
              marker: "-1", message: "infrastructure_credit must be a whole number of at least 0"),
        .init(name: "a zero gap divisor", kind: .policy, text: "complexity:\n  gap_divisor: 0\n",
              marker: "gap_divisor", message: "gap_divisor must be a whole number of at least 1"),
        .init(name: "a scale factor that is not positive", kind: .policy, text: "hours:\n  scale_factors:\n    team: 0\n",
              marker: "team", message: "hours.scale_factors.team must be a positive number"),
        .init(name: "count_custom_rules not a boolean", kind: .policy, text: "complexity:\n  count_custom_rules: maybe\n",
              marker: "maybe", message: "count_custom_rules must be true or false"),
        .init(name: "an unknown step kind", kind: .policy, text: "step_durations:\n  review: 1 day\n",
              marker: "review", message: "unknown key 'review' in step_durations"),
        .init(name: "an unknown scale level", kind: .policy, text: "scale:\n  galaxy: {users: 5}\n",
              marker: "galaxy", message: "unknown key 'galaxy' in scale; expected one of team, organization, enterprise"),
        .init(name: "zero users for a scale", kind: .policy, text: "scale:\n  team:\n    users: 0\n",
              marker: "users", message: "scale.team.users must be a whole number of at least 1"),
        .init(name: "timeline that shrinks", kind: .policy, text: "# hours\ntimeline:\n  week_hours: 400\n",
              marker: "week_hours", message: "timeline hours must grow from day to week to month"),
        .init(name: "a skipped pattern without a reason", kind: .project, text: """
            skip_patterns:
              - id: tla-verification
            """, marker: "- id", message: "a skipped pattern needs an 'id' and a 'reason'"),
        .init(name: "formats not a list", kind: .project, text: "exclude: [vendor]\nformats: md\n", marker: "formats",
              message: "formats must be a list"),
        .init(name: "a rule in the project file with a built-in id", kind: .project, text: """
            formats: [md]
            rules:
              - id: tla-verification
                when: {any: [{file_name: '\\.tla$'}]}
            """, marker: "id: tla", message: "rule id 'tla-verification' is a built-in pattern id; choose another"),
        .init(name: "a wrong type in the project file's policy", kind: .project, text: """
            formats: [md]
            policy:
              hours:
                base:
                  simple: lots
            """, marker: "lots", message: "hours.base.simple must be a whole number of at least 0"),
    ]

    @Test("bad settings: SettingsError names the file, the line and what was expected", arguments: CustomisationTests.badSettings)
    func badSettingsError(_ row: BadSettings) throws {
        let name = row.kind == .project ? ".coord-migrate.yaml" : "\(row.kind.rawValue).yaml"
        let (folder, path) = try Self.write(row.text, as: name)
        let expectedLine = Self.line(of: row.marker, in: row.text)
        try #require(expectedLine > 0, "the marker is in the text")
        let error = withExtendedLifetime(folder) {
            #expect(throws: SettingsError.self) {
                switch row.kind {
                case .rules: _ = try CustomRule.load(path)
                case .policy: _ = try ScoringPolicy.load(path)
                case .project: _ = try ProjectConfig.load(path)
                }
            }
        }
        let problem = try #require(error)
        #expect(problem.file == path)
        #expect(problem.line == expectedLine, "\(problem)")
        #expect(problem.message.contains(row.message), "\(problem)")
        #expect(problem.description.hasPrefix("\(path):\(expectedLine): "), "\(problem)")
    }

    @Test("an unreadable settings file is an error without a line")
    func missingSettingsFile() throws {
        let folder = try TempTree("missing")
        let path = folder.absolute("nope.yaml")
        let error = #expect(throws: SettingsError.self) { _ = try ScoringPolicy.load(path) }
        #expect(error?.file == path)
        #expect(error?.line == nil)
        #expect(error?.description == "\(path): cannot read the file: no such file; check the path")
    }
}
