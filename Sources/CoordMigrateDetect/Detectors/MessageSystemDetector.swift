public import CoordMigrateModel
public import CoordMigrateScan
/// Decides how messages travel: `inbox/` or `messages/` → file-based; a
/// `database` key in the agent config → database; `api/` or `server.py` → api.
final class MessageSystemDetector: Detector {
    private var fileMarkers: [Evidence] = []
    private var apiMarkers: [Evidence] = []

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 1 else { return }
        if entry.isDirectoryLike, entry.name == "inbox" || entry.name == "messages" {
            fileMarkers.append(Evidence(
                subject: .messageSystem, kind: .disk, path: entry.path + "/", detail: "message folder" + entry.kindNote))
        } else if entry.isDirectoryLike, entry.name == "api" {
            apiMarkers.append(Evidence(
                subject: .messageSystem, kind: .disk, path: entry.path + "/", detail: "API folder" + entry.kindNote))
        } else if entry.isFileLike, entry.name == "server.py" {
            apiMarkers.append(Evidence(
                subject: .messageSystem, kind: .disk, path: entry.path, detail: "API server" + entry.kindNote))
        }
    }

    func finish(context: DetectionContext) {
        if !fileMarkers.isEmpty {
            context.messageSystemType = .fileBased
            context.addEvidence(fileMarkers)
        } else if context.databaseType != nil {
            context.messageSystemType = .database
        } else if !apiMarkers.isEmpty {
            context.messageSystemType = .api
            context.addEvidence(apiMarkers)
        } else if let layout = context.inboxLayout {
            context.messageSystemType = .fileBased
            context.addEvidence(Evidence(subject: .messageSystem, kind: .disk, path: layout.root, detail: layout.detail))
        } else if context.codeSignals[.perAgentWrite] != nil {
            context.messageSystemType = .fileBased
            context.addEvidence(context.codeEvidence(.perAgentWrite, as: .messageSystem))
        } else {
            context.messageSystemType = .none
        }
    }
}
