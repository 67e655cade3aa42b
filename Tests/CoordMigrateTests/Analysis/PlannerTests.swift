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

func makePlan(_ detection: DetectionResult, target: String = "/srv/system") -> MigrationPlan {
    Planner.plan(detection: detection, complexity: Analyzer.analyze(detection), targetPath: target)
}

/// DESIGN §5: the fixed steps, by title: phase, duration, risk.
let fixedSteps: [String: (Phase, String, RiskLevel)] = [
    "Backup existing system": (.preparation, "30 minutes", .low),
    "Install coordination system": (.preparation, "10 minutes", .low),
    "Create agent configuration": (.configuration, "1 hour", .low),
    "Migrate existing messages": (.data, "2-4 hours", .medium),
    "Initialize event log": (.infrastructure, "5 minutes", .low),
    "Test migration": (.validation, "1-2 hours", .low),
    // The cutover carries the scored risk, never below medium (DESIGN §5 gave it high; the plan's
    // overall risk is now its riskiest step's, so a low-risk system's cutover is medium).
    "Production cutover": (.deployment, "1 hour", .medium),
]

@Suite("Planner (DESIGN §5)")
struct PlannerTests {
    @Test("agent-bridge-like detection: 7 steps")
    func agentBridgeSteps() {
        let plan = makePlan(makeDetection(scale: .team, missing: [.priorityQueue, .deferQueue]))
        #expect(plan.steps.map(\.title) == [
            "Backup existing system", "Install coordination system", "Migrate existing messages",
            "Implement priority-queue", "Implement defer-queue", "Test migration", "Production cutover",
        ])
        #expect(plan.steps.map(\.number) == Array(1...7))
    }

    @Test("nothing found, but a pattern present: the 13 steps build the system around it")
    func nothingButAPattern() {
        let detection = makeDetection(
            messageSystem: .none, eventLog: false, inbox: false, agentConfig: false, scale: .individual, gaps: 7)
        let plan = makePlan(detection)
        #expect(plan.steps.map(\.title) == [
            "Backup existing system", "Install coordination system", "Create agent configuration", "Initialize event log",
        ] + PatternID.allCases.suffix(7).map { "Implement \($0.rawValue)" } + ["Test migration", "Production cutover"])
        #expect(plan.steps.map(\.number) == Array(1...13))
    }

    @Test("step count and order for every combination of findings",
          arguments: [true, false], MessageSystemType.allCases)
    func stepRules(_ agentConfig: Bool, _ messageSystem: MessageSystemType) {
        for eventLog in [true, false] {
            for gapCount in 0...8 {
                let detection = makeDetection(
                    messageSystem: messageSystem, eventLog: eventLog, inbox: false, agentConfig: agentConfig,
                    scale: .team, gaps: gapCount)
                let plan = makePlan(detection)
                // Nothing at all (no system, no event log, no configuration, no pattern): no steps.
                if !agentConfig, messageSystem == .none, !eventLog, gapCount == 8 {
                    #expect(plan.steps.isEmpty)
                    continue
                }
                let expectedCount = 4 + (agentConfig ? 0 : 1) + (messageSystem != .none ? 1 : 0) + (eventLog ? 0 : 1) + gapCount
                #expect(plan.steps.count == expectedCount)
                #expect(plan.steps.map(\.number) == Array(1...plan.steps.count))

                var expectedTitles = ["Backup existing system", "Install coordination system"]
                if !agentConfig { expectedTitles.append("Create agent configuration") }
                if messageSystem != .none { expectedTitles.append("Migrate existing messages") }
                if !eventLog { expectedTitles.append("Initialize event log") }
                expectedTitles += detection.gaps.map { "Implement \($0.rawValue)" }
                expectedTitles += ["Test migration", "Production cutover"]
                #expect(plan.steps.map(\.title) == expectedTitles)

                for step in plan.steps {
                    if let (phase, duration, risk) = fixedSteps[step.title] {
                        #expect(step.phase == phase, "\(step.title)")
                        #expect(step.duration == duration, "\(step.title)")
                        #expect(step.risk == (step.title == "Production cutover" ? max(risk, Analyzer.analyze(detection).riskLevel) : risk), "\(step.title)")
                        #expect(step.pattern == nil)
                        #expect(step.documentation == nil)
                    } else {
                        #expect(step.phase == .patterns)
                        #expect(step.duration == "2-4 hours")
                        #expect(step.risk == .medium)
                    }
                    #expect(!step.description.isEmpty)
                    #expect(!step.commands.isEmpty)
                }
            }
        }
    }

    @Test("one pattern step per gap, in catalog order, with specific guidance and the doc anchor")
    func patternSteps() {
        let detection = makeDetection(messageSystem: .fileBased, eventLog: false, inbox: false, agentConfig: false, scale: .individual, gaps: 8)
        let steps = makePlan(detection).steps.filter { $0.phase == .patterns }
        #expect(steps.map(\.pattern) == PatternID.allCases)
        for step in steps {
            let id = step.pattern!.rawValue
            let anchor = "docs/patterns.md#" + id
            #expect(step.title == "Implement " + id)
            #expect(step.documentation == anchor)
            #expect(step.commands.first?.contains(anchor) == true)
            #expect(step.commands.count >= 2, "a first command or file to create follows the reference")
        }
        #expect(Set(steps.map(\.description)).count == 8, "each pattern has its own guidance")
        #expect(Set(steps.map { $0.commands.dropFirst().joined() }).count == 8)

        // A subset keeps the catalog's order.
        let subset = makePlan(makeDetection(missing: [.contentAddressedDAG, .deferQueue, .tlaVerification])).steps
        #expect(subset.compactMap(\.pattern) == [.contentAddressedDAG, .deferQueue, .tlaVerification])
    }

    @Test("the message migration step depends on the kind of system", arguments: [
        (MessageSystemType.fileBased, "message files"), (.database, "sqlite"), (.api, "server"),
    ])
    func messageMigrationStep(_ type: MessageSystemType, _ word: String) {
        let detection = makeDetection(messageSystem: type, databaseType: type == .database ? "sqlite" : nil)
        let step = makePlan(detection).steps.first { $0.title == "Migrate existing messages" }
        #expect(step?.description.contains(word) == true)
    }

    @Test("rollback time and data-loss risk by scale", arguments: [
        (Scale.individual, "5-10 minutes", "minimal"), (.team, "15-30 minutes", "low"),
        (.organization, "30-60 minutes", "low-medium"), (.enterprise, "1-2 hours", "medium"),
    ])
    func rollbackByScale(_ scale: Scale, _ time: String, _ loss: String) {
        let rollback = makePlan(makeDetection(scale: scale)).rollbackStrategy
        #expect(rollback.timeToRollback == time)
        #expect(rollback.dataLossRisk == loss)
        #expect(rollback.stages.map(\.title) == [
            "Stop the new system", "Restore the backup", "Restart the old system", "Analyse the failure",
        ])
    }

    @Test("the phases are the steps added up per phase, and add up to the plan's effort", arguments: [
        (Scale.individual, 0), (.team, 3), (.organization, 6), (.enterprise, 8),
    ])
    func phasesAreStepSums(_ scale: Scale, _ gaps: Int) {
        let plan = makePlan(makeDetection(eventLog: gaps % 2 == 0, agentConfig: gaps < 4, scale: scale, gaps: gaps))
        let timeline = plan.timeline
        #expect(timeline.effort == plan.stepHoursTotal)
        #expect(timeline.phases.map(\.phase) == plan.steps.map(\.phase).reduce(into: [Phase]()) { if !$0.contains($1) { $0.append($1) } })
        for phase in timeline.phases {
            let steps = plan.steps.filter { $0.phase == phase.phase }
            #expect(phase.steps == steps.count)
            #expect(abs(phase.range.low - steps.map(\.durationHours.low).reduce(0, +)) < 0.011)
            #expect(abs(phase.range.high - steps.map(\.durationHours.high).reduce(0, +)) < 0.011)
        }
        #expect(abs(timeline.phases.map(\.range.low).reduce(0, +) - timeline.effort.low) < 0.05)
        #expect(abs(timeline.phases.map(\.range.high).reduce(0, +) - timeline.effort.high) < 0.05)
        #expect((95...105).contains(timeline.phases.map(\.percent).reduce(0, +)))
    }

    @Test("the overall risk is the riskiest step's, and the cutover carries the scored risk", arguments: [
        (Scale.individual, MessageSystemType.fileBased, 0), (.organization, .database, 6), (.enterprise, .api, 8), (.team, .fileBased, 2),
    ])
    func riskFollowsSteps(_ scale: Scale, _ system: MessageSystemType, _ gaps: Int) {
        let detection = makeDetection(messageSystem: system, scale: scale, gaps: gaps)
        let complexity = Analyzer.analyze(detection)
        let plan = makePlan(detection)
        #expect(plan.riskAssessment.level == plan.steps.map(\.risk).max())
        #expect(plan.riskAssessment.level >= complexity.riskLevel)
        #expect(plan.steps.last?.title == "Production cutover")
        #expect(plan.steps.last?.risk == max(complexity.riskLevel, .medium))
        #expect(plan.riskAssessment.score == complexity.riskScore)
    }

    @Test("the seed's hours and timeline stay in the plan beside the effort")
    func planTimeline() {
        let detection = makeDetection(messageSystem: .fileBased, eventLog: false, inbox: true, agentConfig: false, scale: .individual, gaps: 8)
        let complexity = Analyzer.analyze(detection)
        let plan = makePlan(detection)
        #expect(plan.timeline.totalHours == complexity.estimatedHours)
        #expect(plan.estimatedTimeline == Analyzer.timeline(hours: complexity.estimatedHours))
        #expect(plan.timeline.effortEstimate == EffortWording.words(plan.stepHoursTotal))
        #expect(plan.riskAssessment.breakingChanges == complexity.breakingChanges)
        #expect(plan.testingStrategy.targetMessagesPerDay == detection.estimatedMessagesPerDay)
        #expect(plan.successCriteria.contains("Performance meets individual requirements"))
    }

    @Test("a tree with no coordination system gets no steps, and says why")
    func noSystemNoSteps() {
        let detection = makeDetection(messageSystem: .none, eventLog: false, inbox: false, agentConfig: false, scale: .individual, gaps: 8)
        let plan = makePlan(detection)
        #expect(plan.steps.isEmpty)
        #expect(plan.noSystem?.contains("No coordination system was found") == true)
        #expect(plan.stepHoursTotal == .zero)
        #expect(plan.timeline.phases.isEmpty)
        #expect(plan.rollbackStrategy.stages.isEmpty)
        #expect(plan.recommendedStrategy.strategy == .greenfield)
    }

    @Test("effort in words", arguments: [
        (HoursRange(low: 0.5, high: 4), "under 1 working day"), (HoursRange(low: 6, high: 12), "1–2 working days"),
        (HoursRange(low: 12.67, high: 23.67), "2–3 working days"), (HoursRange(low: 16, high: 16), "2 working days"),
        (HoursRange(low: 60, high: 100), "2–3 weeks"), (HoursRange.zero, "no time"),
    ])
    func effortWords(_ range: HoursRange, _ words: String) {
        #expect(EffortWording.words(range) == words)
    }

    struct StrategyCase: Sendable, CustomTestStringConvertible {
        var name: String
        var detection: DetectionResult
        var strategy: MigrationStrategyKind
        var testDescription: String { name }
    }

    static let strategyCases: [StrategyCase] = [
        .init(name: "nothing at all → greenfield",
              detection: makeDetection(messageSystem: .none, eventLog: false, inbox: false, agentConfig: false, scale: .individual, gaps: 8),
              strategy: .greenfield),
        .init(name: "database and complex → hybrid",
              detection: makeDetection(messageSystem: .database, databaseType: "postgresql", eventLog: false, inbox: false,
                                       scale: .organization, gaps: 6),
              strategy: .hybrid),
        .init(name: "high risk → parallel",
              detection: makeDetection(messageSystem: .database, eventLog: true, inbox: false, scale: .organization, gaps: 0),
              strategy: .parallel),
        .init(name: "organization scale → parallel",
              detection: makeDetection(scale: .organization, gaps: 2), strategy: .parallel),
        .init(name: "data to move, simple → parallel (enterprise-workflow)",
              detection: makeDetection(messageSystem: .database, databaseType: "postgresql", eventLog: true, inbox: false,
                                       scale: .team, missing: [.collisionFreeMessaging, .contentAddressedDAG, .priorityQueue, .deferQueue]),
              strategy: .parallel),
        .init(name: "compatible, low risk → direct (agent-bridge)",
              detection: makeDetection(scale: .team, missing: [.priorityQueue, .deferQueue]), strategy: .direct),
        .init(name: "one pattern and nothing else is not greenfield",
              detection: makeDetection(messageSystem: .none, eventLog: false, inbox: false, agentConfig: false, scale: .individual,
                                       missing: Array(PatternID.allCases.dropLast())),
              strategy: .direct),
    ]

    @Test("recommended strategy", arguments: strategyCases)
    func recommendedStrategy(_ row: StrategyCase) {
        let strategy = makePlan(row.detection).recommendedStrategy
        #expect(strategy.strategy == row.strategy)
        #expect(strategy.name.lowercased() == row.strategy.rawValue)
        #expect(!strategy.reason.isEmpty)
        #expect(!strategy.approach.isEmpty)
    }

    // MARK: Shell quoting of the analysed path

    static let hostileNames = [
        "my system 'quoted' $(touch pwned) `touch pwned` end",
        "semi;colon&& touch pwned || true",
        "dollar $HOME and \"double\" quotes",
        "-starts-with-dash",
    ]

    @Test("the backup and restore commands quote the analysed path", arguments: hostileNames)
    func backupQuoting(_ name: String) throws {
        let sandbox = try TempTree("backup")
        let home = try sandbox.dir("home")
        let cwd = try sandbox.dir("cwd")
        try sandbox.file("\(name)/inside.txt", "the right folder")
        try sandbox.file("\(name)/inbox/code/m.msg", "message")
        // Decoys that a split or unquoted path would pick up instead.
        try sandbox.file("my/decoy.txt", "wrong folder")
        try sandbox.file("my system/decoy.txt", "wrong folder")
        let target = sandbox.absolute(name)

        let plan = makePlan(makeDetection(), target: target)
        let backup = try #require(plan.steps.first)
        #expect(backup.title == "Backup existing system")
        #expect(backup.commands.count == 5)
        #expect(backup.commands.allSatisfy { !$0.contains("<platform>") })

        // Pasted as a whole: the first line names the backup folder for the others.
        let pasted = try runShell("set -e\n" + backup.commands.joined(separator: "\n"), environment: ["HOME": home], in: cwd)
        #expect(pasted.status == 0, "\(pasted.stderr)")
        let systems = try FileManager.default.contentsOfDirectory(atPath: home + "/coord-migrate-backups")
        #expect(systems.count == 1)
        let archive = home + "/coord-migrate-backups/" + (systems.first ?? "") + "/latest/system.tar.gz"
        let listing = try runShell("tar -tzf \"$1\"", arguments: [archive])
        let entries = Set(listing.stdoutText.split(separator: "\n").map(String.init))
        #expect(entries.contains("./inside.txt"))
        #expect(entries.contains("./inbox/code/m.msg"))
        #expect(!entries.contains { $0.contains("decoy") })

        // The rollback's restore stage moves the folder aside and unpacks the archive in its place.
        let restore = try #require(plan.rollbackStrategy.stages.first { $0.title == "Restore the backup" })
        try FileManager.default.removeItem(atPath: target + "/inside.txt")
        let restored = try runShell("set -e\n" + restore.commands.joined(separator: "\n"), environment: ["HOME": home], in: cwd)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(FileManager.default.fileExists(atPath: target + "/inside.txt"))
        #expect(FileManager.default.fileExists(atPath: target + ".failed/inbox/code/m.msg"))
        #expect(!FileManager.default.fileExists(atPath: target + ".failed/inside.txt"))

        // `cd` into the target lands there.
        let install = plan.steps[1]
        let cd = try runShell(install.commands[0] + " && pwd -P", environment: ["HOME": home], in: cwd)
        #expect(cd.stdoutText == URL(fileURLWithPath: target).resolvingSymlinksInPath().path + "\n")

        #expect(!sandbox.listing().contains { ($0 as NSString).lastPathComponent == "pwned" })
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/pwned"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd).isEmpty)
    }

    @Test("a path with a newline is quoted with $'…' and works in bash")
    func backupQuotingControlCharacters() throws {
        let sandbox = try TempTree("backup-nl")
        let home = try sandbox.dir("home")
        let name = "line\nbreak\tand 'quote'"
        try sandbox.file("\(name)/inside.txt", "x")
        let target = sandbox.absolute(name)
        let commands = makePlan(makeDetection(), target: target).steps[0].commands
        let tar = try #require(commands.first { $0.hasPrefix("tar -czf") })
        #expect(tar.contains("$'"))
        #expect(commands.allSatisfy { !$0.contains("\n") }, "each command stays on one line")
        let result = try runShell("set -e\n" + commands.joined(separator: "\n"), shell: "/bin/bash", environment: ["HOME": home], in: sandbox.path)
        #expect(result.status == 0, "\(result.stderr)")
        let systems = try FileManager.default.contentsOfDirectory(atPath: home + "/coord-migrate-backups")
        let listing = try runShell("tar -tzf \"$1\"", arguments: [home + "/coord-migrate-backups/" + (systems.first ?? "") + "/latest/system.tar.gz"])
        #expect(listing.stdoutText.split(separator: "\n").contains("./inside.txt"))
    }
}
