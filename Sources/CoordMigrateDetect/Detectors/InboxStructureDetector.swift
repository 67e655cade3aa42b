import CoordMigrateModel
import CoordMigrateScan
/// Checks for per-agent inboxes: `inbox/` holding at least one folder.
final class InboxStructureDetector: BuiltInDetector {
    private var subfolders = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 2, entry.kind == .directory, entry.parentPath == "inbox" else { return }
        subfolders.offer(Evidence(subject: .inboxStructure, kind: .disk, path: entry.path + "/", detail: "inbox folder"))
    }

    func decide(_ inventory: WalkInventory, _ facts: inout SystemFacts, _ output: inout PhaseOutput) {
        if subfolders.count > 0 {
            facts.hasInboxStructure = true
            output.add(subfolders.items)
        } else if let layout = inventory.inboxLayout {
            facts.hasInboxStructure = true
            output.add(layout.evidence)
        } else if facts.messageSystemType == .fileBased, inventory.codeSignals[.perAgentWrite] != nil {
            // Only where messages are files: in a database or API system, `inbox/<agent>`
            // in code is a route or a key, not a folder.
            facts.hasInboxStructure = true
            output.add(inventory.codeEvidence(.perAgentWrite, as: .inboxStructure))
        }
    }

    /// Folders directly under `inbox/`: the original tool counts each as an agent.
    var count: Int { subfolders.count }
}
