import ArgumentParser
import CoordMigrate
import Foundation

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a folder and write the migration plan (the default command).",
        aliases: ["analyse"])

    @Argument(help: ArgumentHelp("The folder that holds the system (or --path DIR; default .).", valueName: "DIR"))
    var folder: String?

    @Option(name: .customLong("path"), help: ArgumentHelp("The folder that holds the system.", valueName: "DIR"))
    var pathOption: String?

    /// The folder: positional or `--path`, not both differently; `.` by default.
    private func resolvedPath() throws -> String {
        if let folder, let pathOption, folder != pathOption {
            throw UsageError("the folder is given twice (\(folder) and --path \(pathOption)); pass it once, as an argument or with --path")
        }
        return folder ?? pathOption ?? "."
    }

    @OptionGroup var outputs: OutputFlags
    @OptionGroup var settings: SettingsFlags
    @OptionGroup var database: DatabaseFlags

    @Flag(
        name: .long,
        help: "When the folder itself is no system but folders below it are, analyse each of them (one report per system in --output-dir).")
    var discover = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: [.short, .long], help: "Show every finding's evidence on the terminal (files, lines, what matched).")
    var verbose = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Colour the terminal output: auto (on a terminal, unless NO_COLOR; FORCE_COLOR forces it), always or never.",
            valueName: "WHEN"))
    var color: Terminal.ColorChoice = .auto

    @Flag(name: .long, help: "Never colour the terminal output (the same as --color never).")
    var noColor = false

    @Flag(name: .long, help: "Report only: evaluate and show the --fail-on gates, but exit 0 when one fails (bad input still exits 2).")
    var exitZero = false

    @Flag(name: .long, help: "List on stderr what is skipped and why: reason, owner, expiry date, where it was declared (even with --quiet).")
    var showSkipped = false

    func run() throws {
        // Everything that can be refused is checked before the first panel is printed,
        // so a usage error is one line on stderr.
        var request = AnalysisRequest()
        let path = try resolvedPath()
        request.path = path
        request.discover = discover
        outputs.apply(to: &request)
        settings.apply(to: &request)
        database.apply(to: &request)
        let resolved: AnalysisRequest.Resolved
        do { resolved = try request.resolve(environment: ProcessInfo.processInfo.environment) } catch {
            throw UsageError(error)
        }
        if resolved.outputs.contains(where: { $0.destination == .standardOutput }) {
            try checkStandardOutput(what: "the report")
        }
        let terminal = Terminal.standardError
        terminal.colorEnabled = Terminal.color(
            noColor ? .never : color, isTerminal: terminal.isTerminal, environment: ProcessInfo.processInfo.environment)
        let ui = quiet ? nil : PanelPrinter(terminal: terminal, verbose: verbose)

        ui?.banner()
        ui?.section("Detecting Existing System")
        let assistant = MigrationAssistant(path: path, options: resolved.options)
        let reports: [MigrationReport]
        do {
            let meter = ui != nil && terminal.isTerminal ? ProgressLine(terminal: terminal) : nil
            defer { meter?.clear() }
            let update = meter.map { meter in { (progress: ScanProgress) in meter.update(progress) } }
            reports = discover ? try assistant.analyzeEach(progress: update) : [try assistant.analyze(progress: update)]
        } catch let error as AnalysisError {
            throw UsageError(error)
        }
        if reports.count > 1, resolved.namesOneFile {
            throw UsageError("--discover found \(reports.count) systems; write their reports with --output-dir DIR, not --output")
        }
        for (index, report) in reports.enumerated() {
            if reports.count > 1 {
                ui?.section("System \(index + 1) of \(reports.count): \(terminal.safe(report.detection.discovery?.chosen ?? "."))")
            }
            ui?.detection(report)
            ui?.section("Analyzing Migration Complexity")
            ui?.complexity(report)
        }
        ui?.section("Generating Migration Plan")
        let written: [ReportWriter.Destination]
        do {
            written = try ReportWriter.write(reports, to: resolved.outputs) { data in
                try writeStandardOutput(data, what: "the report")
            }
        } catch let error as RequestError {
            throw UsageError(error)
        }
        ui?.summary(reports[0], written: written.map(\.displayName))
        appendStepSummaries(reports, formats: resolved.outputs.map { type(of: $0.emitter).identifier }, quiet: quiet)
        if showSkipped {
            let printer = PanelPrinter(terminal: terminal)
            for report in reports { printer.skipped(report, system: reports.count > 1 ? report.detection.discovery?.chosen : nil) }
        }
        let failed = reports.flatMap { $0.gates.filter(\.failed) }
        for gate in failed {
            terminal.line(terminal.style(terminal.glyph("✗ ", "x "), .red) + terminal.safe(gate.message))
        }
        if !failed.isEmpty {
            if exitZero {
                if !quiet {
                    terminal.line("--exit-zero: \(failed.count) \(failed.count == 1 ? "gate" : "gates") failed; exit code 0 (report only)")
                }
                return
            }
            throw ExitCode(ExitStatus.gateFailed)
        }
    }
}

/// Appends the job summary to `$GITHUB_STEP_SUMMARY` when the github format was written;
/// a failure is a warning, since the reports are already in place.
func appendStepSummaries(_ reports: [MigrationReport], formats: [String], quiet: Bool) {
    do {
        try ReportWriter.appendStepSummaries(reports, formats: formats, environment: ProcessInfo.processInfo.environment)
    } catch {
        Terminal.standardError.warning(error.description)
    }
}

extension Terminal.ColorChoice: ExpressibleByArgument {}
