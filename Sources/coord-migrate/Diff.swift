import ArgumentParser
import CoordMigrate
import Foundation

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two JSON reports of the same system.",
        discussion: """
            Patterns gained and lost; changes in complexity, risk, hours, scale, gaps and timeline; new and \
            resolved warnings. With --fail-on-regression, exits 1 when anything got worse.
            """)

    @Argument(help: ArgumentHelp("The earlier report (--format json, at most 64 MiB).", valueName: "OLD.json"))
    var old: String

    @Argument(help: ArgumentHelp("The later report (--format json, at most 64 MiB).", valueName: "NEW.json"))
    var new: String

    @Option(name: [.short, .long], help: ArgumentHelp("md, json (schemas/report-diff.schema.json) or junit.", valueName: "FORMAT"))
    var format: String = "md"

    @Option(name: [.short, .long], help: ArgumentHelp("The output file, or - for stdout.", valueName: "FILE"))
    var output: String = "-"

    @Flag(name: .long, help: "Exit 1 when a pattern was lost or a score got worse.")
    var failOnRegression = false

    func run() throws {
        let format = self.format.lowercased()
        guard ["md", "markdown", "json", "junit", "xml"].contains(format) else {
            throw UsageError("unknown diff format '\(self.format)'; choose from md, json, junit")
        }
        if output == "-" { try checkStandardOutput(what: "the diff") }
        let diff = ReportDiff(old: try load(old), new: try load(new))
        if let warning = diff.targetPathWarning { Terminal.standardError.warning(warning) }
        let bytes: Data
        switch format {
        case "json": bytes = try diff.jsonData()
        case "junit", "xml": bytes = try diff.junit()
        default: bytes = Data(diff.markdown().utf8)
        }
        if output == "-" {
            try writeStandardOutput(bytes, what: "the diff")
        } else {
            do { try AtomicFile.write(bytes, to: URL(fileURLWithPath: output)) } catch { throw UsageError("\(error)") }
        }
        if failOnRegression, diff.regressed {
            for regression in diff.regressions {
                Terminal.standardError.line(Terminal.standardError.style("✗ ", .red) + Terminal.sanitize(regression))
            }
            throw ExitCode(ExitStatus.gateFailed)
        }
    }

    private func load(_ path: String) throws -> MigrationReport {
        let data = try readReport(path)
        do {
            return try MigrationReport.decode(data)
        } catch {
            throw UsageError("\(path): \(error.description)")
        }
    }
}
