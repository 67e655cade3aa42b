import CoordMigrateModel
import CoordMigrateScan
import Foundation

/// Estimates agents, users and message volume, and from them the scale.
///
/// Agents are the folders directly under `inbox/` when it exists (lane folders such as
/// `priority/`, `defer/` and `archive/` are not agents), else the agents
/// the configuration declares; users are a third of the agents (at least one).
/// Messages per day: message files under `inbox/` modified within seven days of
/// the report time, divided by 7; if none is that recent, all of them divided by 30.
/// When the tree has no message files (or no agents) and the system's database was
/// measured, the database's messages per day (and distinct senders and recipients) count.
final class ScaleDetector: BuiltInDetector {
    static let recentWindow: TimeInterval = 7 * 24 * 60 * 60

    private var inboxExists = false
    private var inboxFolders = 0
    private var messages = 0
    private var recent = 0
    private var future = 0

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        if entry.depth == 1, entry.kind == .directory, entry.name == "inbox" {
            inboxExists = true
        } else if entry.depth == 2, entry.kind == .directory, entry.parentPath == "inbox",
            !MailboxLayoutDetector.notAgents.contains(entry.name.lowercased())
        {
            // Lane folders (inbox/priority/, inbox/defer/, inbox/archive/) are not agents.
            inboxFolders += 1
        } else if MessageFiles.isInboxMessage(entry) {
            messages += 1
            switch MessageAge(entry.modificationTime(), now: context.now) {
            case .recent: recent += 1
            case .future: future += 1
            case .older, .unknown: break
            }
        }
    }

    func decide(_ inventory: WalkInventory, _ inputs: DetectionInputs, _ facts: inout SystemFacts, _ output: inout PhaseOutput) {
        var inboxFolders = inboxFolders, messages = messages, recent = recent, future = future
        if !inboxExists, let layout = inventory.inboxLayout {
            inboxFolders = layout.agents.count
            messages = layout.messageFiles
            recent = layout.recentMessageFiles
            future = layout.futureMessageFiles
        }
        if future > 0 {
            output.warn(ScanWarning(
                path: (inboxExists ? "inbox/" : inventory.inboxLayout?.root) ?? ".",
                message: "\(plural(future, "message file")) \(future == 1 ? "is" : "are") dated after the report time (\(Timestamp.iso8601(inputs.now))); \(future == 1 ? "it was" : "they were") not counted as recent"))
        }
        let fromFolders = inboxExists || inventory.inboxLayout != nil
        let treeAgents = fromFolders ? inboxFolders : (facts.configuredAgents ?? 0)
        var agents = treeAgents
        var perDay = recent > 0 ? recent / 7 : messages / 30
        // When the tree shows no messages (or no agents), the database's data speaks for them.
        if let database = inventory.database {
            var used: [String] = []
            if messages == 0, let measured = database.messagesPerDay {
                perDay = measured
                used.append("\(plural(measured, "message")) per day (\(database.messagesPerDayBasis))")
            }
            if agents == 0, let measured = database.agents {
                agents = measured
                used.append("\(plural(measured, "agent")) (distinct senders and recipients)")
            }
            if !used.isEmpty {
                output.add(Evidence(
                    subject: .scale, kind: .database, path: database.location,
                    detail: used.joined(separator: "; ")))
            }
        }
        let users = max(1, agents / 3)
        facts.estimatedAgents = agents
        facts.estimatedUsers = users
        facts.messageFiles = messages
        facts.recentMessageFiles = recent
        facts.estimatedMessagesPerDay = perDay
        facts.estimatedScale = inputs.policy.scale(users: users, messagesPerDay: perDay)
        let folder = inboxExists ? "inbox/" : inventory.inboxLayout?.root
        let source = folder ?? (facts.configuredAgents != nil ? "agent config" : "nothing found")
        output.add(Evidence(
            subject: .scale, kind: fromFolders || facts.configuredAgents == nil ? .disk : .config, path: folder ?? ".",
            detail: "\(plural(treeAgents, "agent")) (from \(source)), \(plural(messages, "message file")), \(recent) modified in the last 7 days"))
    }

    /// users ≥ 100 or messages/day ≥ 100 000 → enterprise; ≥ 10 or ≥ 1 000 →
    /// organization; ≥ 2 or ≥ 100 → team; else individual.
    static func scale(users: Int, messagesPerDay: Int) -> Scale {
        ScoringPolicy.seed.scale(users: users, messagesPerDay: messagesPerDay)
    }
}

/// How old a message file is against the report time. Only ages from 0 to 7 days
/// are recent: a file dated after the report time (a clock set wrong, a copied
/// archive, a crafted tree) is counted apart, never as recent.
enum MessageAge {
    case recent, older, future, unknown

    init(_ modified: Date?, now: Date) {
        guard let modified else {
            self = .unknown
            return
        }
        let age = now.timeIntervalSince(modified)
        if age < 0 {
            self = .future
        } else {
            self = age <= ScaleDetector.recentWindow ? .recent : .older
        }
    }
}
