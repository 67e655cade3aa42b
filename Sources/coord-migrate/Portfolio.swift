import ArgumentParser
import CoordMigrate
import Foundation

/// `portfolio` (the rollup, by default) and `portfolio diff`.
struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Roll many systems up into one portfolio, or compare two portfolios.",
        discussion: "`coord-migrate portfolio REPORT…` is `portfolio rollup`; a folder of reports named diff or rollup is written ./diff.",
        subcommands: [PortfolioRollupCommand.self, PortfolioDiffCommand.self],
        defaultSubcommand: PortfolioRollupCommand.self)
}

struct PortfolioRollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Roll many systems up into one portfolio: the patterns × systems matrix, totals, shared gaps and migration waves.",
        discussion: """
            Reads JSON reports (files, folders searched for *.json, or - for a list of them on stdin), \
            or analyses the folders listed in --paths-from FILE, -j at a time. With --shard i/n only a \
            stable 1/n of the list is analysed (by a hash of each path's text) and its reports go to \
            --reports-dir; a later run over the shards' folders writes the rollup, equal byte for byte \
            to an unsharded run's.
            """)

    @Argument(help: ArgumentHelp("JSON reports, folders of them, or - to read a list of them from stdin.", valueName: "REPORT"))
    var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp("Analyse the folders listed in FILE, one a line (# comments, blank lines skipped).", valueName: "FILE"))
    var pathsFrom: String?

    @Option(name: [.short, .customLong("jobs")], help: ArgumentHelp("Systems analysed or read at a time (default: the cores).", valueName: "N"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Analyse only part i of n of the --paths-from list, chosen by a hash of each path.", valueName: "i/n"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Write each analysed system's JSON report into DIR (required with --shard).", valueName: "DIR"))
    var reportsDir: String?

    @Option(name: [.short, .long], help: ArgumentHelp("md, html or json; repeat or separate with commas (default: --output's extension, else md).", valueName: "FORMAT"))
    var format: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("The portfolio file, or - for stdout (default: portfolio.<ext>). One format only.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("The folder for portfolio.<ext> files (default: .).", valueName: "DIR"))
    var outputDir: String?

    @Option(name: .long, help: ArgumentHelp("The report time for analysed systems (ISO 8601), as analyze's --now.", valueName: "TIME"))
    var now: String?

    @Option(name: .long, help: ArgumentHelp("Also skip matching paths in every analysed system (repeatable), as analyze's --exclude.", valueName: "GLOB"))
    var exclude: [String] = []

    @Option(name: .long, help: ArgumentHelp("A scoring policy for every analysed system, as analyze's --policy.", valueName: "FILE"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("House rules for every analysed system, as analyze's --rules.", valueName: "FILE"))
    var rules: String?

    @Flag(name: .long, help: "Do not read the analysed systems' databases, as analyze's --no-database.")
    var noDatabase = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        guard jobs >= 1, jobs <= 256 else { throw UsageError("-j \(jobs) is out of range; pass 1 to 256") }
        var shard: PortfolioBuilder.Shard?
        if let text = self.shard {
            do { shard = try PortfolioBuilder.Shard(parsing: text) } catch { throw UsageError("--shard " + error.description) }
        }
        if shard != nil {
            guard pathsFrom != nil else { throw UsageError("--shard cuts the --paths-from list; pass --paths-from FILE") }
            guard reportsDir != nil else { throw UsageError("--shard writes the shard's reports; pass --reports-dir DIR") }
        }
        guard pathsFrom != nil || !inputs.isEmpty else {
            throw UsageError("no systems given; pass JSON reports or folders of them, - for a list on stdin, or --paths-from FILE")
        }
        guard inputs.filter({ $0 == "-" }).count + (pathsFrom == "-" ? 1 : 0) <= 1 else {
            throw UsageError("stdin can be read once; pass - either as a REPORT or as --paths-from, once")
        }
        // A shard's run writes the rollup only when asked to: its reports are what CI keeps.
        let writesRollup = shard == nil || !format.isEmpty || output != nil || outputDir != nil
        let destinations: [(format: String, destination: ReportWriter.Destination)]
        do {
            destinations = writesRollup
                ? try PortfolioBuilder.destinations(formats: format, output: output, outputDirectory: outputDir) : []
            if destinations.contains(where: { $0.destination == .standardOutput }) { try checkStandardOutput(what: "the portfolio") }

            var systems: [PortfolioSystem] = []
            if !inputs.isEmpty {
                var names: [String] = []
                for input in inputs {
                    if input == "-" { names += try standardInputList() } else { names.append(input) }
                }
                systems += try PortfolioBuilder.summaries(ofReports: try PortfolioBuilder.reportFiles(names), jobs: jobs)
            }
            if let pathsFrom {
                var paths = pathsFrom == "-" ? try standardInputList() : try PortfolioBuilder.readList(pathsFrom, flag: "--paths-from")
                if let shard { paths = paths.filter(shard.contains) }
                let terminal = Terminal.standardError
                var settings = AnalysisRequest()
                settings.now = now
                settings.excludes = exclude
                settings.policyFile = policy
                settings.rulesFile = rules
                settings.noDatabase = noDatabase
                let total = paths.count
                let meter = !quiet && terminal.isTerminal
                var done: (@Sendable (Int) -> Void)?
                if meter {
                    done = { count in terminal.raw("\r\u{1B}[2K  analysed \(count) of \(total)") }
                }
                systems += try PortfolioBuilder.analyse(
                    paths, settings: settings, environment: ProcessInfo.processInfo.environment, jobs: jobs,
                    reportsDirectory: reportsDir, done: done)
                if meter, total > 0 { terminal.raw("\r\u{1B}[2K") }
                if !quiet, let shard, let reportsDir {
                    terminal.line("shard \(shard.index)/\(shard.count): \(plural(paths.count, "system")) analysed, reports in \(terminal.safe(reportsDir))")
                }
            }
            guard writesRollup else { return }
            let portfolio = try PortfolioBuilder.rollUp(systems)
            let written = try PortfolioBuilder.write(portfolio, to: destinations) { data in
                try writeStandardOutput(data, what: "the portfolio")
            }
            if !quiet {
                let files = written.compactMap { if case .file = $0 { $0.displayName } else { nil } }
                let terminal = Terminal.standardError
                terminal.line("portfolio of \(plural(portfolio.totals.systems, "system")), \(plural(portfolio.totals.hours, "hour"))"
                    + (files.isEmpty ? "" : ": " + files.map(terminal.safe).joined(separator: ", ")))
            }
        } catch let error as RequestError {
            throw UsageError(error)
        }
    }

    /// The list on standard input (`-`), at most ``PortfolioBuilder/listLimit`` bytes.
    private func standardInputList() throws -> [String] {
        var data = Data()
        while true {
            let chunk = FileHandle.standardInput.readData(ofLength: 1 << 16)
            if chunk.isEmpty { break }
            data.append(chunk)
            if data.count > PortfolioBuilder.listLimit {
                throw UsageError("the list on stdin is more than \(PortfolioBuilder.listLimit >> 20) MiB; pass fewer paths")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw UsageError("the list on stdin is not UTF-8 text; pass one path a line")
        }
        return PortfolioBuilder.paths(inList: text)
    }
}
