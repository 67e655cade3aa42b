import ArgumentParser
import CoordMigrate
import Foundation

struct PortfolioDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two JSON portfolios: systems gained, lost, improved and regressed.",
        discussion: """
            A system regressed when it lost a pattern or its complexity, risk or hours went up; with \
            --fail-on-regression, exits 1 when one did. A system only in the old portfolio is listed as lost, \
            not as a regression.
            """)

    @Argument(help: ArgumentHelp("The earlier portfolio (portfolio --format json).", valueName: "OLD.json"))
    var old: String

    @Argument(help: ArgumentHelp("The later portfolio.", valueName: "NEW.json"))
    var new: String

    @Option(name: [.short, .long], help: ArgumentHelp("md or json (default md).", valueName: "FORMAT"))
    var format: String = "md"

    @Option(name: [.short, .long], help: ArgumentHelp("The output file, or - for stdout (default -).", valueName: "FILE"))
    var output: String = "-"

    @Flag(name: .long, help: "Exit 1 when a system lost a pattern or its complexity, risk or hours went up.")
    var failOnRegression = false

    func run() throws {
        let format = self.format.lowercased()
        guard ["md", "markdown", "json"].contains(format) else {
            throw UsageError("unknown portfolio diff format '\(self.format)'; choose from md, json")
        }
        if output == "-" { try checkStandardOutput(what: "the diff") }
        let diff = PortfolioDiff(old: try load(old), new: try load(new))
        let bytes = format == "json" ? try diff.jsonData() : Data(diff.markdown().utf8)
        if output == "-" {
            try writeStandardOutput(bytes, what: "the diff")
        } else {
            do { try AtomicFile.write(bytes, to: URL(fileURLWithPath: output)) } catch { throw UsageError("\(error)") }
        }
        if failOnRegression, diff.hasRegressions {
            for regression in diff.regressions {
                Terminal.standardError.line(Terminal.standardError.style("✗ ", .red) + Terminal.sanitize(regression))
            }
            throw ExitCode(ExitStatus.gateFailed)
        }
    }

    private func load(_ path: String) throws -> PortfolioReport {
        let data: Data
        do { data = try InputFile.read(path, limit: InputFile.reportLimit) } catch {
            throw UsageError("cannot read \(path): \(error.reason); pass a portfolio written with portfolio --format json")
        }
        do {
            return try PortfolioReport.decode(data)
        } catch {
            throw UsageError("\(path): \(error.description)")
        }
    }
}
