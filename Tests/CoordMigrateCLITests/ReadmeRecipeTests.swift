import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// The README's CI recipes work on their first run: every `coord-migrate` command of
/// the "In CI" and "The baseline workflow" sections, as written, run in order in a
/// fresh folder holding a system (with the built binary on PATH).
@Suite("README CI recipes, as written")
struct ReadmeRecipeTests {
    /// The `coord-migrate …` command lines of a README section, in order: shell lines and
    /// YAML `run:` or `- ` script lines, with a path to a built binary reduced to its name.
    static func commands(inSection heading: String) throws -> [String] {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: heading) else { return [] }
        let level = heading.prefix { $0 == "#" }.count
        var end = lines.count
        for index in (start + 1)..<lines.count {
            let line = lines[index]
            let hashes = line.prefix { $0 == "#" }.count
            if hashes > 0, hashes <= level, line.dropFirst(hashes).hasPrefix(" ") {
                end = index
                break
            }
        }
        var commands: [String] = []
        var inCode = false
        for line in lines[(start + 1)..<end] {
            if line.hasPrefix("```") {
                inCode.toggle()
                continue
            }
            guard inCode else { continue }
            var text = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["- run: ", "run: ", "- "] where text.hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count))
                break
            }
            if let range = text.range(of: "tools/coord-migrate/.build/release/coord-migrate") {
                text.replaceSubrange(range, with: "coord-migrate")
            }
            guard text.hasPrefix("coord-migrate ") else { continue }
            // A trailing `# …` is a shell comment.
            if let comment = text.range(of: "   # ") { text = String(text[..<comment.lowerBound]) }
            commands.append(text)
        }
        return commands
    }

    @Test("every command of the CI sections runs, in order, on the first try", arguments: ["### In CI", "### The baseline workflow"])
    func recipes(_ section: String) throws {
        let commands = try Self.commands(inSection: section)
        #expect(commands.count >= 2, "the README section \(section) lost its commands")
        let scratch = try Scratch("readme")
        let work = scratch.absolute("repo")
        try FileManager.default.copyItem(atPath: sampleURL("agent-bridge").path, toPath: work)
        let binaryFolder = try CLI.requireBinary().deletingLastPathComponent().path
        for command in commands {
            let result = try runShell(
                command, environment: ["PATH": "\(binaryFolder):/usr/bin:/bin", "HOME": scratch.path, "LANG": "C.UTF-8"],
                in: work)
            #expect(result.status == 0, "\(section): `\(command)` exited \(result.status): \(result.stderr)")
        }
    }
}
