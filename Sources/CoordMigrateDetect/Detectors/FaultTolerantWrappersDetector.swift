import CoordMigrateModel
import CoordMigrateScan
/// `fault-tolerant-wrappers`: a script at the root, in `scripts/` or in `bin/`
/// (`*.sh`, `*.py`) mentions retry, attempt or backoff, in any case.
final class FaultTolerantWrappersDetector: PatternDetector {
    static let pattern: PatternID = .faultTolerantWrappers

    static func isScript(_ ext: Substring) -> Bool { ext == "sh" || ext == "py" }
    static let scriptFolders = ["scripts", "bin"]
    static let words = ["retry", "attempt", "backoff"]

    private var scripts = 0
    private var matches = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.kind == .file, Self.isScript(entry.fileExtension) else { return }
        guard entry.depth == 1 || entry.path.hasPrefix("../") || Self.scriptFolders.contains(where: { entry.isInside($0) })
        else { return }
        scripts += 1
        guard let bytes = entry.contentPrefix() else { return }
        if let (line, word) = Self.firstMention(in: bytes) {
            matches.offer(Evidence(
                subject: .pattern(.faultTolerantWrappers), kind: .code, path: entry.path, line: line,
                detail: "mentions \(word)"))
        }
    }

    /// The first line mentioning one of the words, and the word.
    static func firstMention(in bytes: [UInt8]) -> (line: Int, word: String)? {
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let lowered = String(decoding: line, as: UTF8.self).lowercased()
            if let word = words.first(where: { lowered.contains($0) }) {
                return (number, word)
            }
        }
        return nil
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        output.add(matches.items)
        let code = inventory.codeEvidence(.retryLoop, as: .pattern(.faultTolerantWrappers))
            .filter { item in !matches.items.contains { $0.path == item.path } }
        if matches.count == 0, !code.isEmpty {
            output.add(code)
            let summary = "a program retries with backoff (\(code.map(\.location).joined(separator: ", ")))"
            return finding(present: true, summary: summary, kinds: [.code])
        }
        let summary = scripts == 0
            ? "no scripts at the root, in scripts/ or in bin/"
            : "\(matches.count) of \(plural(scripts, "script")) \(matches.count == 1 ? "wraps" : "wrap") commands in retries"
        return finding(present: matches.count > 0, summary: summary, kinds: [.code])
    }
}
