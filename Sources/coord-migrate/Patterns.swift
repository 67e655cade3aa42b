import ArgumentParser
import CoordMigrate
import Foundation

struct Patterns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "List the eight patterns and what is looked for; with --explain, what was found in a tree.")

    @Option(name: .long, help: ArgumentHelp("Explain one pattern for the tree at --path.", valueName: "PATTERN-ID"))
    var explain: String?

    @Option(name: .long, help: ArgumentHelp("The folder to explain (with --explain).", valueName: "DIR"))
    var path = "."

    @Option(name: .long, help: ArgumentHelp("Fix the report time (ISO 8601).", valueName: "ISO8601"))
    var now: String?

    func run() throws {
        let hint = "check where stdout goes, or redirect it to a file"
        try checkStandardOutput(what: "the patterns", hint: hint)
        try write(to: Terminal.standardOutput)
        if let failure = Terminal.standardOutput.failure {
            throw UsageError(standardOutput: failure, what: "the patterns", hint: hint)
        }
    }

    private func write(to out: Terminal) throws {
        guard let explain else {
            for description in PatternCatalog.all {
                out.line(out.style(description.pattern.rawValue, .bold) + " — " + description.pattern.title)
                out.line("  " + description.summary)
                for (kind, what) in description.lookedFor {
                    out.line("  \(kind.rawValue): \(what)")
                }
                out.line()
            }
            return
        }
        guard let pattern = PatternID(rawValue: explain.lowercased()) else {
            throw UsageError(
                "unknown pattern '\(explain)'; choose from \(PatternID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let clock = try ReportClock.resolve(now: now, environment: ProcessInfo.processInfo.environment)
        let report: MigrationReport
        do {
            report = try MigrationAssistant(path: path, options: AnalysisOptions(now: clock)).analyze()
        } catch let error as AnalysisError {
            throw UsageError(error)
        }
        let description = PatternCatalog.describe(pattern)
        guard let finding = report.detection.patterns.first(where: { $0.id == pattern.rawValue }) else { return }
        out.line(out.style("\(pattern.rawValue) — \(pattern.title)", .bold))
        out.line(description.summary)
        out.line()
        out.line("Looked for in \(Terminal.sanitize(report.targetPath)):")
        for (kind, what) in description.lookedFor { out.line("  \(kind.rawValue): \(what)") }
        out.line()
        out.line("Found: " + (finding.present ? out.style("present", .green) : out.style("missing", .red)) + " — "
            + Terminal.sanitize(finding.summary))
        let evidence = report.detection.evidence.filter { $0.subject == .pattern(pattern) }
        for item in evidence {
            out.line("  \(item.kind.rawValue) \(Terminal.sanitize(item.location)): \(Terminal.sanitize(item.detail))")
        }
        let notCounted = (report.detection.notCounted ?? []).filter { $0.subject == .pattern(pattern) }
        if !notCounted.isEmpty {
            out.line("Seen and not counted:")
            for item in notCounted {
                out.line("  \(item.kind.rawValue) \(Terminal.sanitize(item.location)): \(Terminal.sanitize(item.detail))")
            }
        }
        if !finding.present { out.line("To add it: " + finding.remediation) }
        if let discovery = report.detection.discovery {
            out.line()
            out.line("Note: " + Terminal.sanitize(discovery.reason))
        }
    }
}
