import ArgumentParser
import CoordMigrate
import Foundation

/// Exit codes: 0 done, 1 a gate failed, 2 bad usage or input.
enum ExitStatus {
    static let success: Int32 = 0
    static let gateFailed: Int32 = 1
    static let usage: Int32 = 2
}

/// An error that ends the run with a one-line message and exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// Standard output could not take `what` (the report, the diff).
    init(
        standardOutput error: StandardOutput.WriteError, what: String,
        hint: String = "pass --output FILE to write it to a file instead"
    ) {
        self.init("cannot write \(what) to stdout: \(error.reason); \(hint)")
    }
}

extension UsageError {
    /// A library error, said with the options that lead to it: the library names no flags.
    init(_ error: RequestError) {
        switch error.underlying {
        case let analysis as AnalysisError: self.init(analysis)
        case let output as ReportWriter.OutputError: self.init(output)
        default: self.init(error.description)
        }
    }

    init(_ error: AnalysisError) {
        switch error {
        case let .pathNotFound(path):
            self.init("no such directory: \(path) (pass the folder that holds the system with --path DIR)")
        case let .notADirectory(path):
            self.init("not a directory: \(path) (--path takes the folder that holds the system, not a file in it)")
        case .emptyPath:
            self.init("the path is empty; pass the folder that holds the system with --path DIR (--path . for this folder)")
        default:
            self.init(error.description)
        }
    }

    init(_ error: ReportWriter.OutputError) {
        func flag(_ role: ReportWriter.OutputError.Role) -> String {
            switch role {
            case .outputFile: "--output"
            case .outputFolder: "--output-dir"
            case .reportsFolder: "--reports-dir"
            }
        }
        switch error {
        case let .severalFormatsForOneFile(count):
            self.init("--output names one file but \(count) formats were asked for; use --output-dir DIR")
        case .fileAndFolder:
            self.init("use either --output or --output-dir, not both")
        case let .notAFolder(_, role), let .cannotCreateFolder(_, role, _):
            self.init("\(flag(role)): \(error.description)")
        case .fileIsAFolder:
            self.init(error.description + " with --output")
        case .notWritable:
            self.init(error.description + " with --output or --output-dir")
        case .folderMissing:
            self.init(error.description)
        }
    }
}

/// Refuses, before any work, to write `what` to a stdout that is closed.
func checkStandardOutput(what: String, hint: String? = nil) throws {
    do { try StandardOutput.checkOpen() } catch {
        throw hint.map { UsageError(standardOutput: error, what: what, hint: $0) } ?? UsageError(standardOutput: error, what: what)
    }
}

/// Writes `data` (`what`: the report, the diff) to stdout; exit 2 when it cannot.
func writeStandardOutput(_ data: Data, what: String) throws {
    do { try StandardOutput.write(data) } catch { throw UsageError(standardOutput: error, what: what) }
}

@main
struct CoordMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coord-migrate",
        abstract: "Analyse a file-based multi-agent coordination system and write a migration plan.",
        discussion: """
            Scans the folder once, detects which of the eight universal coordination patterns it \
            already has, scores the migration (complexity, effort, risk) and writes a step-by-step \
            plan with rollback and testing strategies. Panels go to stderr; the report goes to a \
            file or, with --output -, to stdout.

            Exit codes: 0 done, 1 a --fail-on gate failed (reports still written), \
            2 bad usage or input (nothing written).
            """,
        version: coordMigrateVersion,
        // Every command states its commandName: left out, the parser derives it with
        // String(describing:), whose runtime type lookups cost about 1 ms per run.
        subcommands: [Analyze.self, Render.self, Diff.self, Patterns.self, MapCommand.self, Templates.self, PortfolioCommand.self],
        defaultSubcommand: Analyze.self)

    static func main() {
        // The first page of help shows the default command's options too: most runs are
        // `coord-migrate DIR …`, and its flags should not hide behind `help analyze`.
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.count == 1, ["--help", "-h", "help"].contains(arguments.first!) {
            print(helpMessage(columns: nil))
            print("")
            print("THE DEFAULT COMMAND, analyze (coord-migrate [analyze] [DIR] [options]):")
            print(helpMessage(for: Analyze.self, columns: nil))
            Foundation.exit(0)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UsageError {
            Terminal.standardError.error(error.description)
            Foundation.exit(ExitStatus.usage)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = Self.message(for: error)
            let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
            Terminal.standardError.error(firstLine.replacingOccurrences(of: "Error: ", with: "") + " (see coord-migrate --help)")
            Foundation.exit(ExitStatus.usage)
        }
    }
}

/// A saved JSON report for `render` or `diff`, at most ``InputFile/reportLimit`` bytes.
func readReport(_ path: String) throws -> Data {
    do {
        return try InputFile.read(path, limit: InputFile.reportLimit)
    } catch {
        throw UsageError("cannot read \(path): \(error.reason); pass a JSON report written with --format json")
    }
}

/// A user's template (`flag`: the option that named it), read as `analyze` reads one.
func readTemplate(_ file: String, flag: String) throws -> String {
    do { return try AnalysisRequest.template(file, flag: flag) } catch { throw UsageError(error) }
}
