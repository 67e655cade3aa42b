import CoordMigrateModel

/// What the plan reads from the system model: the channels that carry messages and events,
/// by the kind of place they are (a table, a folder, a file, an endpoint), and the stores the
/// system keeps its live data in. Every step's commands are written from this, so a system
/// whose messages are rows is never told to count files, and the backup covers every store.
struct SystemView {
    /// A channel as the plan uses it: the node, and where it is, for commands.
    struct Channel {
        var node: SystemMap.Node
        /// The folder, file or table as commands name it; nil when code names it only through a variable.
        var location: String?
        /// Programs that write it and read it, by path.
        var writers: [String]
        var readers: [String]
    }

    /// Message and event tables.
    var tables: [Channel] = []
    /// Folders of message files: per-agent inboxes, lanes, spool folders.
    var folders: [Channel] = []
    /// Files messages or events are appended to or kept in (`events.jsonl`, `queue.json`).
    var files: [Channel] = []
    /// Routes and tools a server in the tree serves messages through.
    var endpoints: [Channel] = []
    /// Where the system keeps its data, inside the tree first.
    var stores: [SystemMap.Store] = []
    /// The database the tables are in, when one is known: measured, or the one SQLite file code opens.
    var database: (engine: String, location: String)?
    /// The engine the configuration or the code's driver names, when no database was found to name.
    var engine: String?

    init(_ detection: DetectionResult) {
        let map = detection.systemMap ?? .empty
        stores = map.stores
        for node in map.messageChannels {
            let writers = Set(map.edges(to: node.id, .writes).map(\.path)).sorted()
            let readers = Set(map.edges(to: node.id, .reads).map(\.path)).sorted()
            var channel = Channel(node: node, location: Self.location(node), writers: writers, readers: readers)
            switch node.channelKind {
            case .table: tables.append(channel)
            case .endpoint: endpoints.append(channel)
            case .inbox, .lane: folders.append(channel)
            case .eventLog where node.id.hasPrefix("channel:table:"):
                channel.location = node.label
                tables.append(channel)
            case .eventLog, .messageStore, nil:
                if channel.location?.hasSuffix("/") == true || node.label.hasSuffix("/") { folders.append(channel) } else { files.append(channel) }
            }
        }
        // The table the messages are most surely in first: the one a query takes the next rows
        // of, then one named as a mailbox, then the one most programs touch; events after messages.
        func rank(_ channel: Channel) -> [Int] {
            let next = map.edges(to: channel.node.id, .reads).contains { $0.detail.hasPrefix("takes the next") }
            let name = channel.node.label.lowercased()
            let mailbox = ["messages", "message", "inbox", "mailbox", "queue", "tasks", "recipients"].contains(name)
            return [channel.node.role == .events ? 1 : 0, next ? 0 : 1, mailbox ? 0 : 1, -(channel.writers.count + channel.readers.count)]
        }
        tables = tables.enumerated().sorted { (rank($0.element) + [$0.offset]).lexicographicallyPrecedes(rank($1.element) + [$1.offset]) }.map(\.element)
        engine = detection.databaseType?.lowercased()
        if let measured = detection.database {
            database = (measured.engine, measured.location)
        } else {
            let sqlite = stores.filter { $0.kind == .sqlite }
            let postgres = stores.filter { $0.kind == .postgresql }
            if sqlite.count == 1 { database = ("sqlite", sqlite[0].location) } else if sqlite.isEmpty, postgres.count == 1 {
                database = ("postgresql", postgres[0].location)
            }
        }
    }

    /// Where a channel is, as a command names it: the folder or file seen on disk, the folder or
    /// file code names, the table's name; nil when code reaches it only through a variable.
    static func location(_ node: SystemMap.Node) -> String? {
        if node.id.hasPrefix("channel:table:") { return node.label }
        if node.channelKind == .endpoint { return node.label }
        if node.confidence == .high { return node.path }
        guard node.id.hasPrefix("channel:code:"), !node.id.contains("@") else { return nil }
        var label = node.label
        if label.hasSuffix("<agent>/") { label.removeLast("<agent>/".count) }
        return label.isEmpty ? nil : label
    }

    /// The folders that hold messages (not an event folder).
    var messageFolders: [Channel] { folders.filter { $0.node.role != .events } }

    /// Whether anything that carries messages was found.
    var isEmpty: Bool { tables.isEmpty && folders.isEmpty && files.isEmpty && endpoints.isEmpty }

    /// The channels in words, for a step's text: "`messages` (252 rows), `inbox/<agent>/` (7 message files)".
    func named(_ channels: [Channel]) -> String {
        channels.map { MarkdownText.codeSpan($0.node.label) + ($0.node.holdings.map { " (\($0))" } ?? "") }.joined(separator: ", ")
    }

    /// The event log the migrated system is watched through: a log file the system keeps, else the new `events.log`.
    func eventLogCommand(hasEventLog: Bool, follow: Bool) -> String {
        if hasEventLog, let log = files.first(where: { $0.node.role == .events && $0.location != nil }), let location = log.location {
            return follow ? "tail -f \(ShellQuoting.quote(location))" : "tail -n 20 \(ShellQuoting.quote(location))"
        }
        if hasEventLog, let table = tables.first(where: { $0.node.role == .events }), let count = countCommand(table) {
            return count
        }
        return follow ? "tail -f events.log" : "tail -n 20 events.log"
    }

    /// A read-only command that counts what a channel holds, or nil when it cannot be named.
    func countCommand(_ channel: Channel) -> String? {
        guard let location = channel.location else { return nil }
        switch channel.node.channelKind {
        case .table?, .eventLog? where channel.node.id.hasPrefix("channel:table:"):
            return tableCount(location)
        case .endpoint?:
            return nil
        default:
            if folders.contains(where: { $0.node.id == channel.node.id }) {
                return "find \(ShellQuoting.quote(location)) -type f 2>/dev/null | wc -l   # \(channel.node.label)"
            }
            return "wc -l < \(ShellQuoting.quote(location))   # lines in \(channel.node.label)"
        }
    }

    /// `SELECT count(*)` of `table`, read-only, in the database the tables are in.
    func tableCount(_ table: String) -> String {
        let sql = "SELECT count(*) FROM \(table.split(separator: ".").map { SQLText.quoteIdentifier(String($0)) }.joined(separator: "."))"
        guard let database else {
            if let engine, engine.hasPrefix("postgres") {
                return "psql \"$DATABASE_URL\" -c \(ShellQuoting.quote(sql))   # $DATABASE_URL: the database the system connects to"
            }
            return "sqlite3 -readonly \"$DB\" \(ShellQuoting.quote(sql))   # $DB: the database file the system opens (the tree does not name it)"
        }
        switch database.engine {
        case "sqlite": return "sqlite3 -readonly \(Self.shellPath(database.location)) \(ShellQuoting.quote(sql))"
        default: return "psql \"$DATABASE_URL\" -c \(ShellQuoting.quote(sql))   # $DATABASE_URL: \(database.location)"
        }
    }

    /// A path for the shell: `~/x` as `"$HOME"/'x'` (quoted, so nothing else expands), the rest quoted.
    static func shellPath(_ path: String) -> String {
        if path.hasPrefix("~/") { return "\"$HOME\"/" + ShellQuoting.quote(String(path.dropFirst(2))) }
        for home in ["$HOME/", "${HOME}/"] where path.hasPrefix(home) {
            return "\"$HOME\"/" + ShellQuoting.quote(String(path.dropFirst(home.count)))
        }
        return ShellQuoting.quote(path)
    }
}
