@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// Counts `*.lock` files, but only in the one tree it is meant for, so that other
/// tests analysing at the same time (the registry is global) see nothing of it.
final class LockFileDetector: Detector {
    let onlyRoot: String
    private(set) var visited = 0
    private var locks: [String] = []
    private(set) var sawEventLogInFinish: Bool?

    init(onlyRoot: String) { self.onlyRoot = onlyRoot }

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard context.root == onlyRoot else { return }
        visited += 1
        if entry.kind == .file && entry.name.hasSuffix(".lock") { locks.append(entry.path) }
    }

    func finish(context: DetectionContext) {
        guard context.root == onlyRoot else { return }
        sawEventLogInFinish = context.hasEventLog
        for path in locks.sorted() {
            context.addEvidence(Evidence(subject: "lock-files", kind: .disk, path: path, detail: "lock file"))
        }
        context.addCustomFinding(PatternFinding(
            id: "lock-files", title: "Lock files", present: !locks.isEmpty,
            summary: "\(locks.count) lock files", evidenceKinds: [.disk], remediation: "Use atomic renames instead."))
    }
}

/// The registry is process-wide: this suite runs its tests one at a time and
/// empties the registry after each, and its detectors ignore every other tree.
@Suite("Custom detectors", .serialized)
struct CustomDetectorTests {
    func makeTree() throws -> TempTree {
        let tree = try TempTree("custom")
        try tree.file("events.log", "x")
        try tree.file("run/a.lock", "")
        try tree.file("run/b.lock", "")
        try tree.file("inbox/code/m-550e8400-e29b-41d4-a716-446655440000.msg", "x")
        return tree
    }

    func options() -> AnalysisOptions { AnalysisOptions(now: fixedNow, platform: "linux") }

    @Test("a detector registered in DetectorRegistry runs in the same walk and does not change the score")
    func registryDetector() throws {
        let tree = try makeTree()
        let root = URL(fileURLWithPath: tree.path).standardizedFileURL.path
        let baseline = try MigrationAssistant(path: tree.path, options: options()).analyze()
        #expect(baseline.detection.customPatterns.isEmpty)

        DetectorRegistry.register { LockFileDetector(onlyRoot: root) }
        defer { DetectorRegistry.removeAll() }
        let report = try MigrationAssistant(path: tree.path, options: options()).analyze()

        let finding = try #require(report.detection.customPatterns.first)
        #expect(report.detection.customPatterns.count == 1)
        #expect(finding.id == "lock-files")
        #expect(finding.present)
        #expect(finding.summary == "2 lock files")
        #expect(report.detection.evidence.filter { $0.subject.rawValue == "lock-files" }.map(\.path) == ["run/a.lock", "run/b.lock"])
        // Nothing else moves.
        #expect(report.complexity == baseline.complexity)
        #expect(report.detection.existingPatterns == baseline.detection.existingPatterns)
        #expect(report.detection.gaps == baseline.detection.gaps)
        #expect(report.detection.patterns == baseline.detection.patterns)
        #expect(report.plan == baseline.plan)
        #expect(report.scan == baseline.scan)

        DetectorRegistry.removeAll()
        let after = try MigrationAssistant(path: tree.path, options: options()).analyze()
        #expect(after.detection.customPatterns.isEmpty)
    }

    @Test("detectors passed in the options run in that analysis only, fresh for each, with no process-wide state")
    func optionsDetectors() throws {
        let tree = try makeTree()
        let root = URL(fileURLWithPath: tree.path).standardizedFileURL.path
        var options = options()
        options.detectors = [{ LockFileDetector(onlyRoot: root) }]
        options.usesDetectorRegistry = false
        let first = try MigrationAssistant(path: tree.path, options: options).analyze()
        let second = try MigrationAssistant(path: tree.path, options: options).analyze()
        #expect(first.detection.customPatterns.map(\.summary) == ["2 lock files"])
        #expect(second.detection.customPatterns.map(\.summary) == ["2 lock files"], "a fresh detector, not one that counted twice")
        let without = try MigrationAssistant(path: tree.path, options: self.options()).analyze()
        #expect(without.detection.customPatterns.isEmpty)
    }

    @Test("a detector registered on one assistant sees every entry of its walk, once, after the built-ins")
    func assistantDetector() throws {
        let tree = try makeTree()
        let root = URL(fileURLWithPath: tree.path).standardizedFileURL.path
        let detector = LockFileDetector(onlyRoot: root)
        let assistant = MigrationAssistant(path: tree.path, options: options())
        assistant.register(detector)
        let report = try assistant.analyze()

        #expect(assistant.detectionResult?.customPatterns.map(\.id) == ["lock-files"])
        #expect(detector.visited == report.scan.files + report.scan.directories)
        #expect(detector.sawEventLogInFinish == true, "built-in facts are ready when a custom detector finishes")
        #expect(assistant.complexityResult == report.complexity)
        #expect(assistant.migrationPlan == report.plan)

        // Another assistant on the same tree does not get it.
        let other = try MigrationAssistant(path: tree.path, options: options()).analyze()
        #expect(other.detection.customPatterns.isEmpty)
    }

    @Test("a custom finding reaches the Markdown plan")
    func customFindingInMarkdown() throws {
        let tree = try makeTree()
        let root = URL(fileURLWithPath: tree.path).standardizedFileURL.path
        let assistant = MigrationAssistant(path: tree.path, options: options())
        assistant.register(LockFileDetector(onlyRoot: root))
        let report = try assistant.analyze()
        let markdown = String(decoding: try MarkdownEmitter().emit(report), as: UTF8.self)
        #expect(markdown.contains("### Custom findings"))
        #expect(markdown.contains("**Lock files**"))
        #expect(markdown.contains("`run/a.lock`"))
    }

    @Test("run() writes the Markdown plan to the output path")
    func runWritesOutput() throws {
        let tree = try makeTree()
        let outputFolder = try TempTree("out")
        let output = outputFolder.absolute("custom-report.md")
        let assistant = MigrationAssistant(path: tree.path, output: output, options: options())
        try assistant.run()
        let written = try String(contentsOfFile: output, encoding: .utf8)
        let report = try #require(assistant.report)
        #expect(written == String(decoding: try MarkdownEmitter().emit(report), as: UTF8.self))
        #expect(tree.listing().allSatisfy { !$0.hasSuffix(".md") }, "nothing is written into the analysed tree")
    }

    @Test("the same detector registered two ways is refused, naming the id; once is one finding")
    func duplicateDetectorRefused() throws {
        let tree = try makeTree()
        let root = URL(fileURLWithPath: tree.path).standardizedFileURL.path
        var options = options()
        options.detectors = [{ LockFileDetector(onlyRoot: root) }]
        let once = try MigrationAssistant(path: tree.path, options: options).analyze()
        #expect(once.detection.customPatterns.map(\.id) == ["lock-files"])

        let twice = MigrationAssistant(path: tree.path, options: options)
        twice.register(LockFileDetector(onlyRoot: root))
        do {
            _ = try twice.analyze()
            Issue.record("a finding id reported twice was accepted")
        } catch let error as AnalysisError {
            guard case .duplicateFinding("lock-files") = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(error.description.contains("'lock-files'"))
        }
    }
}
