import ArgumentParser
import CoordMigrate
import Foundation

/// `coord-migrate map DIR`: the system map alone, for a quick look or another tool.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Print the map of a system: its agents, channels and the programs that write and read them.",
        discussion: """
            Markdown by default (a channel list, a table of what each program writes and reads, and a \
            Mermaid flowchart); --format json gives the system_map object of the JSON report, dot a \
            Graphviz digraph (dot -Tsvg draws it), mermaid the flowchart alone. Written to stdout unless \
            --output names a file.
            """)

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case markdown, md, json, dot, mermaid
    }

    @Argument(help: ArgumentHelp("The folder that holds the system (or --path DIR; default .).", valueName: "DIR"))
    var folder: String?

    @Option(name: .customLong("path"), help: ArgumentHelp("The folder that holds the system.", valueName: "DIR"))
    var pathOption: String?

    @Option(name: [.short, .long], help: ArgumentHelp("markdown (or md), json, dot or mermaid.", valueName: "FORMAT"))
    var format: Format = .markdown

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout (- for stdout).", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Project settings file (default: .coord-migrate.yaml at the analysed root, if present); its excludes apply.", valueName: "FILE"))
    var config: String?

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip entries whose name or path matches GLOB (repeatable).", valueName: "GLOB"))
    var excludes: [String] = []

    @Flag(name: .long, help: "Do not skip .git, node_modules and .build.")
    var noDefaultExcludes = false

    @Flag(name: .customLong("no-database"), help: "Never connect to a database, even when the agent configuration declares one.")
    var noDatabase = false

    func run() throws {
        if let folder, let pathOption, folder != pathOption {
            throw UsageError("the folder is given twice (\(folder) and --path \(pathOption)); pass it once, as an argument or with --path")
        }
        let path = folder ?? pathOption ?? "."
        // A closed stdout is refused before any work, as analyze refuses it.
        if output == nil || output == "-" { try checkStandardOutput(what: "the system map") }
        // The same system `analyze` sees: the project file, the excludes and the database settings.
        var request = AnalysisRequest()
        request.path = path
        request.projectFile = config
        request.excludes = excludes
        request.noDefaultExcludes = noDefaultExcludes
        request.noDatabase = noDatabase
        let resolved: AnalysisRequest.Resolved
        do { resolved = try request.resolve(environment: ProcessInfo.processInfo.environment) } catch {
            throw UsageError(error)
        }
        let report: MigrationReport
        do {
            report = try MigrationAssistant(path: path, options: resolved.options).analyze()
        } catch let error as AnalysisError {
            throw UsageError(error)
        }
        let map = report.detection.systemMap ?? .empty
        let text: String
        switch format {
        case .markdown, .md: text = SystemMapText.markdownDocument(map, target: report.targetPath)
        case .json:
            let encoder = MigrationReport.jsonEncoder()
            text = String(decoding: try encoder.encode(map), as: UTF8.self) + "\n"
        case .dot: text = SystemMapText.dot(map)
        case .mermaid: text = SystemMapText.mermaid(map) + "\n"
        }
        let data = Data(text.utf8)
        if let output, output != "-" {
            let url = URL(fileURLWithPath: output)
            do { try AtomicFile.write(data, to: url) } catch {
                throw UsageError("cannot write \(output): \(error)")
            }
            Terminal.standardError.line("Wrote the system map to " + Terminal.sanitize(output))
        } else {
            try writeStandardOutput(data, what: "the system map")
        }
    }
}
