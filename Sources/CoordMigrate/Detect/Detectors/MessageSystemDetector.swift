/// Decides how messages travel: `inbox/` or `messages/` → file-based; a
/// `database` key in the agent config → database; `api/` or `server.py` → api.
final class MessageSystemDetector: Detector {
    private var fileMarkers: [String] = []
    private var apiMarkers: [String] = []

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 1 else { return }
        switch (entry.kind, entry.name) {
        case (.directory, "inbox"), (.directory, "messages"):
            fileMarkers.append(entry.path)
        case (.directory, "api"), (.file, "server.py"):
            apiMarkers.append(entry.path)
        default:
            break
        }
    }

    func finish(context: DetectionContext) {
        fileMarkers.sort()
        apiMarkers.sort()
        if !fileMarkers.isEmpty {
            context.messageSystemType = .fileBased
            for path in fileMarkers {
                context.addEvidence(Evidence(subject: "message-system", kind: .disk, path: path + "/", detail: "message folder"))
            }
        } else if context.databaseType != nil {
            context.messageSystemType = .database
        } else if !apiMarkers.isEmpty {
            context.messageSystemType = .api
            for path in apiMarkers {
                context.addEvidence(Evidence(subject: "message-system", kind: .disk, path: path, detail: "API server"))
            }
        } else {
            context.messageSystemType = .none
        }
    }
}
