@testable import CoordMigrateModel
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
import CoordMigrateTestSupport
import Foundation
import Testing

@testable import CoordMigrate

/// The library as a programmer uses it: a project file applied to options, errors in
/// the library's own terms, skips by pattern, and `run` writing any registered format.
@Suite("The library as a programmer uses it")
struct LibraryUseTests {
    /// A small system with a project file that sets every analysis setting it can.
    static func projectTree() throws -> TempTree {
        let tree = try TempTree("library")
        _ = try tree.file("inbox/alice/m1.msg", "hi")
        _ = try tree.file("inbox/bob/m2.msg", "hi")
        _ = try tree.file("events.log", "started\n")
        _ = try tree.file("state.lock", "")
        _ = try tree.file("vendor/inbox/carol/m3.msg", "not ours")
        _ = try tree.file(".coord-migrate.yaml", #"""
            exclude: [vendor]
            skip_patterns:
              - id: tla-verification
                reason: We do not write formal specifications.
                owner: platform
              - id: lock-files
                reason: Not yet.
            fail_on: ["risk>=high", "gaps>=1"]
            policy:
              hours: { base: { simple: 6 } }
            rules:
              - id: lock-files
                when: { any: [ { file_name: '\.lock$' } ] }
            """#)
        return tree
    }

    @Test("a project file applied to AnalysisOptions gives the options, and the report, the command line's request gives")
    func projectConfigApplies() throws {
        let tree = try Self.projectTree()
        let config = try #require(try ProjectConfig.load(inFolder: tree.path))
        var options = AnalysisOptions(now: fixedNow)
        options.apply(config, analysedFolder: tree.path)

        #expect(options.scan.excludes == ScanOptions.defaultExcludes + ["vendor"])
        #expect(options.gates == [.riskAtLeast(.high), .gapsAtLeast(1)])
        #expect(options.rules.map(\.id) == ["lock-files"])
        #expect(options.policySource == config.path)
        #expect(options.skips.map(\.id) == ["tla-verification", "lock-files"])
        #expect(options.skips.map(\.source) == [".coord-migrate.yaml", ".coord-migrate.yaml"], "named relative to the analysed folder")
        #expect(AnalysisOptions(now: fixedNow).applying(config).skips.map(\.source) == [config.path, config.path])

        var request = AnalysisRequest()
        request.path = tree.path
        request.now = fixedNowText
        request.output = "-"
        let resolved = try request.resolve(environment: [:])
        let fromLibrary = try MigrationAssistant(path: tree.path, options: options).analyze()
        let fromRequest = try MigrationAssistant(path: tree.path, options: resolved.options).analyze()
        #expect(try fromLibrary.jsonData() == fromRequest.jsonData())

        // The file's settings really reached the analysis.
        #expect(fromLibrary.detection.skippedPatterns.sorted() == ["lock-files", "tla-verification"])
        #expect(fromLibrary.detection.estimatedAgents == 2, "vendor/ is excluded")
        #expect(fromLibrary.gates.count == 2)
        #expect(fromLibrary.policy?.source == config.path)
    }

    @Test("flags still replace the project file's value for the same setting")
    func flagsReplaceTheFile() throws {
        let tree = try Self.projectTree()
        var request = AnalysisRequest()
        request.path = tree.path
        request.output = "-"
        request.excludes = ["nothing-here"]
        request.failOn = ["risk>=medium"]
        request.skipPatterns = ["defer-queue"]
        let options = try request.resolve(environment: [:]).options
        #expect(options.scan.excludes == ScanOptions.defaultExcludes + ["nothing-here"])
        #expect(options.gates == [.riskAtLeast(.medium)])
        #expect(options.skips.map(\.id) == ["defer-queue"])
        #expect(options.rules.map(\.id) == ["lock-files"], "the file's rules stay when no --rules is given")
    }

    @Test("skipped patterns are keyed by PatternID, custom findings by their ids, and both reach the report")
    func skipsByPatternID() throws {
        let tree = try Self.projectTree()
        var options = AnalysisOptions(now: fixedNow, platform: "linux")
        options.discover = false
        options.rules = try #require(try ProjectConfig.load(inFolder: tree.path)).rules
        options.skippedPatterns = [.deferQueue: "Parked."]
        options.skippedFindings = ["lock-files": "Not yet."]
        let report = try MigrationAssistant(path: tree.path, options: options).analyze()
        #expect(report.detection.skippedPatterns.sorted() == ["defer-queue", "lock-files"])
        #expect(report.detection.patterns.first { $0.id == PatternID.deferQueue.rawValue }?.skippedReason == "Parked.")
        #expect(report.detection.customPatterns.first { $0.id == "lock-files" }?.skippedReason == "Not yet.")
        #expect(!report.detection.gaps.contains(.deferQueue))
        #expect(PatternSkip(pattern: .deferQueue, reason: "r", source: "s").pattern == .deferQueue)
        #expect(PatternSkip(id: "lock-files", reason: "r", source: "s").pattern == nil)

        let config = try #require(try ProjectConfig.load(inFolder: tree.path))
        #expect(config.skippedPatterns == [.tlaVerification: "We do not write formal specifications."])
        #expect(config.skippedFindings == ["lock-files": "Not yet."])
    }

    @Test("an id that names no pattern or rule is still refused, with the closest id")
    func unknownSkipRefused() throws {
        let tree = try Self.projectTree()
        var request = AnalysisRequest()
        request.path = tree.path
        request.output = "-"
        request.skipPatterns = ["tla-verificaton"]
        #expect { try request.resolve(environment: [:]) } throws: { error in
            "\(error)".contains("cannot skip 'tla-verificaton'") && "\(error)".contains("did you mean 'tla-verification'?")
        }
    }

    /// Every error the library raises about paths and outputs.
    static func libraryErrors() throws -> [String] {
        let scratch = try Scratch("errors")
        let file = try scratch.file("plain.txt", "x")
        let folder = try scratch.dir("a-folder")
        let md = try #require(EmitterRegistry.entry(named: "md"))
        let json = try #require(EmitterRegistry.entry(named: "json"))
        var messages: [String] = []
        func record(_ body: () throws -> Void) {
            do { try body(); Issue.record("no error") } catch { messages.append("\(error)") }
        }
        record { _ = try MigrationAssistant.resolveRoot(scratch.absolute("missing")) }
        record { _ = try MigrationAssistant.resolveRoot(file) }
        record { _ = try MigrationAssistant.resolveRoot("") }
        record { try MigrationAssistant(path: scratch.absolute("missing")).analyze() }
        record { _ = try ReportWriter.destinations(for: [md, json], output: "plan.md", outputDirectory: nil, templates: [:]) }
        record { _ = try ReportWriter.destinations(for: [md], output: "plan.md", outputDirectory: folder, templates: [:]) }
        record { _ = try ReportWriter.destinations(for: [md], output: nil, outputDirectory: file, templates: [:]) }
        record { _ = try ReportWriter.destinations(for: [md], output: file + "/plan.md", outputDirectory: nil, templates: [:]) }
        record { _ = try ReportWriter.destinations(for: [md], output: folder, outputDirectory: nil, templates: [:]) }
        record { _ = try PortfolioBuilder.destinations(formats: ["md", "json"], output: "p.md", outputDirectory: nil) }
        record { _ = try PortfolioBuilder.destinations(formats: ["md"], output: "p.md", outputDirectory: folder) }
        record { _ = try PortfolioBuilder.destinations(formats: ["md"], output: nil, outputDirectory: file) }
        record { _ = try PortfolioBuilder.Shard(parsing: "3/2") }
        record {
            _ = try PortfolioBuilder.analyse(
                [scratch.absolute("missing")], environment: [:], jobs: 1, reportsDirectory: nil)
        }
        record { _ = try PortfolioBuilder.analyse([], environment: [:], jobs: 1, reportsDirectory: file) }
        record { try MigrationAssistant(path: scratch.path, output: "x.md").run(formats: ["md", "json"]) }
        record { try MigrationAssistant(path: scratch.path).run(formats: ["mdd"]) }
        let cases: [any Error] = [
            AnalysisError.pathNotFound("p"), AnalysisError.notADirectory("p"), AnalysisError.unreadable("p", reason: "r"),
            AnalysisError.emptyPath, AnalysisError.duplicateFinding("x"),
            ReportWriter.OutputError.severalFormatsForOneFile(count: 2), ReportWriter.OutputError.fileAndFolder,
            ReportWriter.OutputError.notAFolder(path: "p", role: .outputFolder),
            ReportWriter.OutputError.cannotCreateFolder(path: "p", role: .reportsFolder, reason: "r"),
            ReportWriter.OutputError.folderMissing(file: "f", folder: "d"), ReportWriter.OutputError.fileIsAFolder(file: "f"),
            ReportWriter.OutputError.notWritable(file: "f", folder: "d", reason: "r"),
        ]
        return withExtendedLifetime(scratch) { messages + cases.map { "\($0)" } }
    }

    @Test("library errors name no command-line flag")
    func errorsNameNoFlags() throws {
        let messages = try Self.libraryErrors()
        #expect(messages.count == 29)
        for message in messages {
            #expect(!message.contains("--"), "\(message)")
            #expect(!message.isEmpty)
        }
        #expect(messages[0].hasPrefix("no such directory: "))
        #expect(messages[1].hasPrefix("not a directory: "))
        #expect(messages[16].contains("did you mean 'md'?"), "\(messages[16])")
    }

    /// A format of one's own: one line with the system's gap count.
    struct GapCountEmitter: ReportEmitter {
        static let identifier = "gap-count-test"
        static let aliases: [String] = []
        static let fileExtension = "gaps"
        static let summary = "the number of gaps"
        func emit(_ report: MigrationReport) throws -> Data { Data("gaps: \(report.detection.gaps.count)\n".utf8) }
    }

    @Test("run writes every format asked for, a registered custom emitter's included")
    func runWritesRegisteredFormats() throws {
        EmitterRegistry.register(.init(GapCountEmitter.self) { _ in GapCountEmitter() })
        let tree = try Self.projectTree()
        let out = try Scratch("run-out")
        let assistant = MigrationAssistant(path: tree.path, options: AnalysisOptions(now: fixedNow))
        let written = try assistant.run(formats: ["md", "gap-count-test"], outputDirectory: out.absolute("reports"))
        let report = try #require(assistant.report)
        #expect(written.map(\.displayName).map { ($0 as NSString).lastPathComponent } == ["migration-plan.md", "migration-plan.gaps"])
        #expect(try String(contentsOfFile: out.absolute("reports/migration-plan.gaps"), encoding: .utf8)
            == "gaps: \(report.detection.gaps.count)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out.absolute("reports/migration-plan.md"))) == MarkdownEmitter().emit(report))

        // One format goes to `output`; the default is Markdown there.
        let single = MigrationAssistant(path: tree.path, output: out.absolute("one.gaps"), options: AnalysisOptions(now: fixedNow))
        try single.run(formats: ["gap-count-test"])
        #expect(try String(contentsOfFile: out.absolute("one.gaps"), encoding: .utf8) == "gaps: \(report.detection.gaps.count)\n")
        let plain = MigrationAssistant(path: tree.path, output: out.absolute("plan.md"), options: AnalysisOptions(now: fixedNow))
        try plain.run()
        #expect(try Data(contentsOf: URL(fileURLWithPath: out.absolute("plan.md"))) == MarkdownEmitter().emit(report))
    }

    @Test("a report run writes inside the analysed folder is not counted by the next run")
    func runDoesNotCountItsOwnOutput() throws {
        let tree = try Self.projectTree()
        let assistant = MigrationAssistant(
            path: tree.path, output: tree.path + "/inbox/alice/plan.json", options: AnalysisOptions(now: fixedNow))
        try assistant.run(formats: ["json"])
        let first = try #require(assistant.report)
        try assistant.run(formats: ["json"])
        #expect(try #require(assistant.report).detection.messageFiles == first.detection.messageFiles)
        #expect(assistant.options.ownOutputs.isEmpty, "run leaves the options as they were")
    }
}
