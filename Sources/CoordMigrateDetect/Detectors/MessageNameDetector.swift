import CoordMigrateModel
import CoordMigrateScan

/// A pattern seen in message file names: every message file is checked (the original
/// tool sampled ten) and the share that carries the mark is reported; with no such
/// name on disk, a program that builds message names with it counts.
class MessageNameDetector {
    private let pattern: PatternID
    private let mark: (ScanEntry) -> Bool
    /// What the mark is, e.g. "a UUID", and its name in evidence, e.g. "UUID".
    private let what: String
    private let noun: String
    private let signal: SourceCodeDetector.Signal
    private var checked = 0
    private var matches = EvidenceSample()

    init(
        pattern: PatternID, what: String, noun: String, signal: SourceCodeDetector.Signal,
        mark: @escaping (ScanEntry) -> Bool
    ) {
        self.pattern = pattern
        self.what = what
        self.noun = noun
        self.signal = signal
        self.mark = mark
    }

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard MessageFiles.isNamedMessage(entry) else { return }
        checked += 1
        if mark(entry) {
            matches.offer(path: entry.path) {
                Evidence(subject: .pattern(pattern), kind: .disk, path: entry.path, detail: "\(noun) in message name")
            }
        }
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        output.add(matches.items)
        let code = inventory.codeEvidence(signal, as: .pattern(pattern))
        func finding(_ present: Bool, _ summary: String, _ kinds: [EvidenceKind]) -> PatternFinding {
            PatternFinding(pattern: pattern, present: present, summary: summary, evidenceKinds: kinds)
        }
        if matches.count == 0, !code.isEmpty {
            output.add(code)
            return finding(true, "no message file names show it, but a program builds message names with it (\(code.map(\.location).joined(separator: ", ")))", [.code])
        }
        let summary = checked == 0
            ? "no message files found"
            : "\(matches.count) of \(plural(checked, "message file")) \(matches.count == 1 ? "carries" : "carry") \(what) (\(Percent.of(matches.count, checked)))"
        return finding(matches.count > 0, summary, [.disk])
    }
}
