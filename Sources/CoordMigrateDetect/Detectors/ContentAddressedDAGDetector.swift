public import CoordMigrateModel
public import CoordMigrateScan
/// `content-addressed-dag`: message file names carry a SHA-256 digest (64 hex digits).
final class ContentAddressedDAGDetector: PatternDetector {
    static let pattern: PatternID = .contentAddressedDAG

    private var checked = 0
    private var matches = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard MessageFiles.isNamedMessage(entry) else { return }
        checked += 1
        if entry.idMarks.sha256 {
            matches.offer(Evidence(
                subject: .pattern(.contentAddressedDAG), kind: .disk, path: entry.path,
                detail: "SHA-256 digest in message name"))
        }
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        output.add(matches.items)
        let code = inventory.codeEvidence(.digestNames, as: .pattern(.contentAddressedDAG))
        if matches.count == 0, !code.isEmpty {
            output.add(code)
            let summary = "no message file names show it, but a program builds message names with it (\(code.map(\.location).joined(separator: ", ")))"
            return finding(present: true, summary: summary, kinds: [.code])
        }
        let summary = checked == 0
            ? "no message files found"
            : "\(matches.count) of \(plural(checked, "message file")) \(matches.count == 1 ? "carries" : "carry") a SHA-256 digest (\(Percent.of(matches.count, checked)))"
        return finding(present: matches.count > 0, summary: summary, kinds: [.disk])
    }
}
