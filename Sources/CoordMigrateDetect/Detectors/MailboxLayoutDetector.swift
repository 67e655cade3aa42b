import CoordMigrateModel
import CoordMigrateScan
import Foundation

/// Per-agent message folders laid out other than the original `inbox/<agent>/`:
///
/// - `mailboxes/<agent>/` (Maildir when the agents hold `new/`, `cur/`, `tmp/`)
/// - `queue/<agent>/{tasks,reports,inbox}/` (lane names such as `high` are not agents)
/// - `<agent>/inbox/` (inverted)
/// - `.<name>/inbox/<agent>/` (hidden)
///
/// Used only when the tree has no `inbox/` at its root, so a tree laid out the
/// original way is scored exactly as before.
final class MailboxLayoutDetector: InventoryCollector {
    /// Folder names that are lanes or plumbing, never agents.
    static let notAgents: Set<String> = [
        "high", "low", "normal", "priority", "urgent", "defer", "deferred", "defer-queue", "new", "cur", "tmp",
        "archive", "done", "failed", "dead", "processed", "sent", "outbox", "tasks", "reports", "shared", "all",
    ]
    static let queueWork: Set<String> = ["tasks", "reports", "inbox", "outbox", "pending", "new"]

    private var seedInbox = false
    private var mailboxAgents = Set<String>()
    private var maildirAgents = Set<String>()
    private var queueAgents = Set<String>()
    private var queueAgentsWithWork = Set<String>()
    private var invertedAgents = Set<String>()
    /// `X/inbox/<agent>/`: X is a system of its own (nested), not an agent.
    private var nestedSystems = Set<String>()
    private var hiddenAgents: [String: Set<String>] = [:]
    private var messages: [InboxLayout.Kind: (all: Int, recent: Int, future: Int)] = [:]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        if entry.depth == 1, entry.name == "inbox", entry.isDirectoryLike { seedInbox = true }
        if entry.kind == .directory {
            visitFolder(entry)
        } else if entry.kind == .file, entry.depth >= 3, !seedInbox,
            MessageFiles.hasMessageName(entry) || MessageFiles.isMaildirMessage(entry),
            let kind = layout(of: entry.path)
        {
            var count = messages[kind] ?? (0, 0, 0)
            count.all += 1
            switch MessageAge(entry.modificationTime(), now: context.now) {
            case .recent: count.recent += 1
            case .future: count.future += 1
            case .older, .unknown: break
            }
            messages[kind] = count
            if kind == .queue, let agent = component(entry.path, 1) { queueAgentsWithWork.insert(agent) }
        }
    }

    private func visitFolder(_ entry: ScanEntry) {
        let parts = entry.path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        switch (entry.depth, parts.first) {
        case (2, "mailboxes"?) where !Self.notAgents.contains(entry.name):
            mailboxAgents.insert(entry.name)
        case (3, "mailboxes"?) where ["new", "cur", "tmp"].contains(entry.name):
            maildirAgents.insert(String(parts[1]))
        case (2, "queue"?) where !Self.notAgents.contains(entry.name):
            queueAgents.insert(entry.name)
        case (3, "queue"?) where Self.queueWork.contains(entry.name):
            queueAgentsWithWork.insert(String(parts[1]))
        case (2, let first?) where entry.name == "inbox" && first != "inbox" && !first.hasPrefix("."):
            invertedAgents.insert(String(first))
        case (3, let first?) where first.hasPrefix(".") && parts[1] == "inbox" && !Self.notAgents.contains(entry.name):
            hiddenAgents[String(first), default: []].insert(entry.name)
        case (3, let first?) where parts[1] == "inbox" && !Self.notAgents.contains(entry.name):
            nestedSystems.insert(String(first))
        default:
            break
        }
    }

    /// Which alternative layout a path lies in, if any.
    private func layout(of path: String) -> InboxLayout.Kind? {
        let parts = path.split(separator: "/", maxSplits: 3)
        guard parts.count >= 3 else { return nil }
        if parts[0] == "mailboxes" { return .mailboxes }
        if parts[0] == "queue" { return .queue }
        if parts[1] == "inbox" { return parts[0].hasPrefix(".") ? .hidden : .inverted }
        return nil
    }

    private func component(_ path: String, _ index: Int) -> String? {
        let parts = path.split(separator: "/")
        return parts.count > index ? String(parts[index]) : nil
    }

    func collect(into inventory: inout WalkInventory) {
        guard !seedInbox else { return }
        // One `<x>/inbox/` alone is too little to call a layout.
        let invertedSet = invertedAgents.subtracting(nestedSystems)
        let inverted = invertedSet.count >= 2 ? invertedSet.sorted() : []
        let hidden = hiddenAgents.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }
        let candidates: [InboxLayout] = [
            InboxLayout(
                kind: .mailboxes, root: "mailboxes/", agents: mailboxAgents.sorted(),
                detail: maildirAgents.isEmpty ? "per-agent mailboxes" : "Maildir mailboxes (new/cur/tmp)"),
            InboxLayout(
                kind: .queue, root: "queue/", agents: queueAgents.intersection(queueAgentsWithWork).sorted(),
                detail: "per-agent queues"),
            InboxLayout(
                kind: .inverted, root: "*/inbox/", agents: inverted, detail: "an inbox inside each agent's folder"),
            InboxLayout(
                kind: .hidden, root: hidden.map { "\($0.key)/inbox/" } ?? "", agents: hidden.map { $0.value.sorted() } ?? [],
                detail: "per-agent inboxes in a hidden folder"),
        ]
        guard var best = candidates.filter({ !$0.agents.isEmpty }).max(by: { $0.agents.count < $1.agents.count })
        else { return }
        let count = messages[best.kind] ?? (0, 0, 0)
        best.messageFiles = count.all
        best.recentMessageFiles = count.recent
        best.futureMessageFiles = count.future
        inventory.inboxLayout = best
    }
}

/// Per-agent message folders found in a layout other than `inbox/<agent>/`.
package struct InboxLayout: Sendable, Hashable {
    enum Kind: String, Sendable, Hashable {
        case mailboxes, queue, inverted, hidden
    }

    var kind: Kind
    /// The folder holding the agents, e.g. `mailboxes/`.
    var root: String
    var agents: [String]
    var detail: String
    var messageFiles = 0
    var recentMessageFiles = 0
    /// Message files dated after the report time (never counted as recent).
    var futureMessageFiles = 0

    /// Evidence for the layout: the root and the first agents.
    var evidence: [Evidence] {
        let shown = agents.prefix(5)
        return shown.map { agent in
            let path: String
            switch kind {
            case .inverted: path = "\(agent)/inbox/"
            default: path = root + agent + "/"
            }
            return Evidence(subject: .inboxStructure, kind: .disk, path: path, detail: detail)
        }
    }
}
