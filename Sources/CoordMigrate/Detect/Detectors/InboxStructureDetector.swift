/// Checks for per-agent inboxes: `inbox/` holding at least one folder.
final class InboxStructureDetector: Detector {
    private var subfolders = EvidenceSample()

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 2, entry.kind == .directory, entry.parentPath == "inbox" else { return }
        subfolders.offer(Evidence(subject: "inbox-structure", kind: .disk, path: entry.path + "/", detail: "inbox folder"))
    }

    func finish(context: DetectionContext) {
        context.hasInboxStructure = subfolders.count > 0
        context.addEvidence(subfolders.items)
    }

    /// Folders directly under `inbox/`: the original tool counts each as an agent.
    var count: Int { subfolders.count }
}
