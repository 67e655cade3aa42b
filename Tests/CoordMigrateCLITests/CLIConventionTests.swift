import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// Conventions a user of other command-line tools expects.
@Suite("Command-line conventions")
struct CLIConventionTests {
    let sample = sampleURL("agent-bridge").path

    @Test("the folder may be given positionally, with --path, or both the same; different is an error")
    func positionalPath() throws {
        let positional = try CLI.run([sample, "--format", "json", "--output", "-", "--quiet", "--now", fixedNowText])
        let option = try CLI.run(["--path", sample, "--format", "json", "--output", "-", "--quiet", "--now", fixedNowText])
        #expect(positional.status == 0 && option.status == 0, "\(positional.stderr)\(option.stderr)")
        #expect(positional.stdout == option.stdout)
        let both = try CLI.run([sample, "--path", sample, "-o", "-", "-q"])
        #expect(both.status == 0, "\(both.stderr)")
        let different = try CLI.run([sample, "--path", "/tmp", "-o", "-", "-q"])
        #expect(different.status == 2)
        #expect(different.stderrLines.count == 1 && different.stderr.contains("given twice"), "\(different.stderr)")
    }

    @Test("analyse is analyze; -f, -o and -q are --format, --output and --quiet")
    func aliasesAndShortFlags() throws {
        let long = try CLI.run(["analyze", "--path", sample, "--format", "json", "--output", "-", "--quiet", "--now", fixedNowText])
        let short = try CLI.run(["analyse", sample, "-f", "json", "-o", "-", "-q", "--now", fixedNowText])
        #expect(short.status == 0, "\(short.stderr)")
        #expect(short.stdout == long.stdout)
        #expect(short.stderr.isEmpty, "-q printed: \(short.stderr)")
    }

    @Test("without --format, --output's extension picks the format; a conflicting --format is refused", arguments: [
        ("plan.html", "<!DOCTYPE html>"), ("plan.xml", "<?xml"), ("plan.json", "{"), ("plan.md", "# Migration Plan"),
        ("plan.txt", "# Migration Plan"),
    ])
    func formatFromExtension(_ name: String, _ start: String) throws {
        let scratch = try Scratch("ext")
        let run = try CLI.run([sample, "-o", scratch.absolute(name), "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: scratch.absolute(name), encoding: .utf8)
        #expect(text.hasPrefix(start), "\(name): \(text.prefix(40))")
        if name != "plan.md", name != "plan.txt" {
            let conflict = try CLI.run([sample, "-f", "md", "-o", scratch.absolute("other-" + name), "-q"])
            #expect(conflict.status == 2)
            #expect(conflict.stderr.contains("does not match"), "\(conflict.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.absolute("other-" + name)))
        }
    }
}
