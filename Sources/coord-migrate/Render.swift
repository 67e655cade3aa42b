import ArgumentParser
import CoordMigrate
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Re-emit a saved JSON report in other formats.",
        discussion: "Each output is byte-identical to what the analysing run wrote in that format for the same report.")

    @Argument(help: ArgumentHelp("A report written with --format json (at most 64 MiB).", valueName: "REPORT.json"))
    var report: String

    @OptionGroup var outputs: OutputFlags

    @Flag(name: [.short, .long], help: "Print nothing but errors (no line saying where the reports went).")
    var quiet = false

    func run() throws {
        let data = try readReport(report)
        let decoded: MigrationReport
        do {
            decoded = try MigrationReport.decode(data)
        } catch {
            throw UsageError("\(report): \(error.description)")
        }
        var request = RenderRequest()
        request.formats = outputs.format
        request.output = outputs.output
        request.outputDirectory = outputs.outputDir
        request.markdownTemplate = outputs.template
        request.htmlTemplate = outputs.htmlTemplate
        let resolved: [ReportWriter.Output]
        do { resolved = try request.resolve() } catch { throw UsageError(error) }
        if resolved.contains(where: { $0.destination == .standardOutput }) {
            try checkStandardOutput(what: "the report")
        }
        let written: [ReportWriter.Destination]
        do {
            written = try ReportWriter.write([decoded], to: resolved) { data in
                try writeStandardOutput(data, what: "the report")
            }
        } catch let error as RequestError {
            throw UsageError(error)
        }
        let files = written.map(\.displayName).filter { $0 != "stdout" }
        if !quiet, !files.isEmpty {
            let terminal = Terminal.standardError
            terminal.line("Wrote " + terminal.safe(files.joined(separator: ", ")))
        }
        appendStepSummaries([decoded], formats: resolved.map { type(of: $0.emitter).identifier }, quiet: quiet)
    }
}
