import CoordMigrateModel
import CoordMigrateScan
/// Decides how messages travel: `inbox/` or `messages/` → file-based; a
/// `database` key in the agent config → database; `api/` or `server.py` → api.
final class MessageSystemDetector: BuiltInDetector {
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

    /// Evidence that messages are kept in files without a message folder at the root:
    /// another inbox layout on disk, else a program writing per-agent folders, else a
    /// program writing messages into a store of files. Nil when there is none.
    private func fileStore(_ inventory: WalkInventory) -> [Evidence]? {
        if let layout = inventory.inboxLayout {
            return [Evidence(subject: .messageSystem, kind: .disk, path: layout.root, detail: layout.detail)]
        }
        for signal in [SourceCodeDetector.Signal.perAgentWrite, .messageStore] where inventory.codeSignals[signal] != nil {
            return inventory.codeEvidence(signal, as: .messageSystem)
        }
        return nil
    }

    /// The first that holds: message folders, a database declared, an API, another
    /// inbox layout, a program writing per-agent folders.
    func decide(_ inventory: WalkInventory, _ facts: inout SystemFacts, _ output: inout PhaseOutput) {
        if !fileMarkers.isEmpty {
            facts.messageSystemType = .fileBased
            output.add(fileMarkers)
        } else if facts.databaseType != nil {
            facts.messageSystemType = .database
        } else if let table = inventory.declaredSchema.messageTables.first {
            // The code creates a table that holds messages: the database is the mailbox.
            let schema = inventory.declaredSchema
            facts.messageSystemType = .database
            facts.databaseType = schema.engine ?? "unspecified"
            output.add(Evidence(
                subject: .messageSystem, kind: .code, path: table.evidence.path, line: table.evidence.line,
                detail: "creates message table \(table.name) (matched by \(table.matchedBy))"))
            if let driver = schema.driverEvidence {
                output.add(Evidence(subject: .messageSystem, kind: .code, path: driver.path, line: driver.line, detail: driver.detail))
            }
        } else if let files = fileStore(inventory) {
            // The store decides: a server in front of files is a file-based system.
            facts.messageSystemType = .fileBased
            output.add(files)
        } else if !apiMarkers.isEmpty {
            facts.messageSystemType = .api
            output.add(apiMarkers)
        } else if inventory.codeSignals[.messageRoutes] != nil {
            facts.messageSystemType = .api
            output.add(inventory.codeEvidence(.messageRoutes, as: .messageSystem))
        } else {
            facts.messageSystemType = .none
        }
    }
}
