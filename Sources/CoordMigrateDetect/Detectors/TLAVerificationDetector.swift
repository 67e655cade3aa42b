import CoordMigrateModel
import CoordMigrateScan
/// `tla-verification`: a TLA+ specification (`*.tla`) anywhere in the tree.
final class TLAVerificationDetector: PatternDetector {
    static let pattern: PatternID = .tlaVerification

    private var specs = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.kind == .file, entry.fileExtension == "tla" else { return }
        specs.offer(Evidence(
            subject: .pattern(.tlaVerification), kind: .disk, path: entry.path, detail: "TLA+ specification"))
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        output.add(specs.items)
        let summary = specs.count == 0 ? "no *.tla files found" : plural(specs.count, "TLA+ specification")
        return finding(present: specs.count > 0, summary: summary, kinds: [.disk])
    }
}
