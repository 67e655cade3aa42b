public import CoordMigrateModel
public import CoordMigrateScan
/// Checks for per-agent inboxes: `inbox/` holding at least one folder.
final class InboxStructureDetector: Detector {
    private var subfolders = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 2, entry.kind == .directory, entry.parentPath == "inbox" else { return }
        subfolders.offer(Evidence(subject: .inboxStructure, kind: .disk, path: entry.path + "/", detail: "inbox folder"))
    }

    func finish(context: DetectionContext) {
        if subfolders.count > 0 {
            context.hasInboxStructure = true
            context.addEvidence(subfolders.items)
        } else if let layout = context.inboxLayout {
            context.hasInboxStructure = true
            context.addEvidence(layout.evidence)
        } else if context.codeSignals[.perAgentWrite] != nil {
            context.hasInboxStructure = true
            context.addEvidence(context.codeEvidence(.perAgentWrite, as: .inboxStructure))
        }
    }

    /// Folders directly under `inbox/`: the original tool counts each as an agent.
    var count: Int { subfolders.count }
}
