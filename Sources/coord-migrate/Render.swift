import ArgumentParser
import CoordMigrate
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Re-emit a saved JSON report in another format.",
        discussion: "The output is byte-identical to what the analysing run wrote in that format for the same report.")

    @Argument(help: ArgumentHelp("A report written with --format json (at most 64 MiB).", valueName: "REPORT.json"))
    var report: String

    @Option(name: .long, help: ArgumentHelp("Output format: \(EmitterRegistry.namesList).", valueName: "FORMAT"))
    var format: String = "md"

    @Option(name: .long, help: ArgumentHelp("The output file, or - for stdout (default: migration-plan.<ext>).", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template to use instead of the built-in one (md or html).", valueName: "FILE"))
    var template: String?

    func run() throws {
        guard let entry = EmitterRegistry.entry(named: format) else {
            throw UsageError("unknown format '\(format)'; choose from \(EmitterRegistry.namesList)")
        }
        if output == "-" { try checkStandardOutput(what: "the report") }
        let data = try readReport(report)
        let decoded: MigrationReport
        do {
            decoded = try MigrationReport.decode(data)
        } catch {
            throw UsageError("\(report): \(error.description)")
        }
        let templateText = try template.map { try readTemplate($0, flag: "--template") }
        let bytes: Data
        do {
            bytes = try entry.make(templateText).emit(decoded)
        } catch {
            throw UsageError("\(entry.identifier): \(error)")
        }
        let destination = output ?? "migration-plan.\(entry.fileExtension)"
        if destination == "-" {
            try writeStandardOutput(bytes, what: "the report")
        } else {
            do {
                try AtomicFile.write(bytes, to: URL(fileURLWithPath: destination))
            } catch {
                throw UsageError("\(error)")
            }
        }
        appendStepSummaries([decoded], formats: [entry.identifier], quiet: false)
    }
}
